"""Queries compiled once and run for any young person (``nwd.casework.prepared``) give what the queryset gives."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import Count, Exists, F, OuterRef, Subquery

from nwd.casework import prepared
from nwd.casework.models import Contact, Involvement, KeyWorkerAllocation, SpecialistInvolvement
from nwd.casework.queries import young_person as page_queries
from tests.factories import ContactFactory, YoungPersonFactory, open_involvement

pytestmark = pytest.mark.django_db


def two_with_contacts():
    """Two young people supported now: the first with contacts on 3 and 5 June 2025, the second on 4 June."""
    first, second = open_involvement(), open_involvement()
    for n, involvement in enumerate((first, second, first)):
        ContactFactory(young_person=involvement.young_person, at=dt.datetime(2025, 6, 3 + n, 10, tzinfo=dt.UTC))
    return first, second


def _fields(objects, *paths):
    def value(obj, path):
        for part in path.split("."):
            obj = getattr(obj, part)
        return obj

    return [tuple(value(obj, path) for path in paths) for obj in objects]


def test_rows_are_the_querysets_for_each_young_person(django_assert_num_queries):
    first, second = two_with_contacts()
    withdrawn = ContactFactory(young_person=first.young_person)
    Contact.all_objects.filter(pk=withdrawn.pk).update(withdrawn_at=dt.datetime(2025, 6, 9, tzinfo=dt.UTC))
    nobody = YoungPersonFactory()

    def contacts(pk):
        later = Contact.objects.filter(young_person_id=OuterRef("young_person_id"), at__gt=OuterRef("at"))
        return (Contact.objects.filter(young_person_id=pk).select_related("staff", "young_person")
                .annotate(later=Subquery(later.order_by().values("young_person_id").annotate(n=Count("pk")).values("n")),
                          day=F("at"))
                .order_by("-at", "-pk")[:5])

    for person in (first.young_person, second.young_person, nobody):
        expected = list(contacts(person.pk))
        with django_assert_num_queries(1):
            got = prepared.rows(("test", "contacts"), contacts, person.pk)
        assert [type(c) for c in got] == [Contact] * len(expected)
        assert _fields(got, "pk", "at", "summary", "staff.username", "young_person.given_name", "later", "day") == \
            _fields(expected, "pk", "at", "summary", "staff.username", "young_person.given_name", "later", "day")
        assert withdrawn.pk not in [c.pk for c in got]
    assert len(prepared.rows(("test", "contacts"), contacts, first.young_person.pk)) == 2


def test_dicts_are_the_values_querysets_for_each_young_person(django_assert_num_queries):
    first, second = two_with_contacts()
    nobody = YoungPersonFactory()

    def contacts(pk):
        later = Contact.objects.filter(young_person_id=OuterRef("young_person_id"), at__gt=OuterRef("at"))
        return (Contact.objects.filter(young_person_id=pk).annotate(has_later=Exists(later))
                .order_by("-at", "-pk").values("pk", "at", "staff__username", "young_person__date_of_birth", "has_later"))

    for person in (first.young_person, second.young_person, nobody):
        expected = list(contacts(person.pk))
        with django_assert_num_queries(1):
            got = prepared.dicts(("test", "contact values"), contacts, person.pk)
        assert got == expected
    assert [row["has_later"] for row in prepared.dicts(("test", "contact values"), contacts, first.young_person.pk)] \
        == [False, True]
    with pytest.raises(ValueError):  # model instances are ``rows``'
        prepared.dicts(("test", "instances"), lambda pk: Contact.objects.filter(young_person_id=pk), first.young_person.pk)


def test_first_is_the_querysets_first_and_the_page_reads_the_same():
    involvement = open_involvement()
    person = involvement.young_person
    allocation = prepared.first(("page", "allocation"), page_queries._allocation, person.pk)
    assert allocation == KeyWorkerAllocation.objects.filter(involvement__young_person=person, end__isnull=True).first()
    assert prepared.first(("page", "involvement"), page_queries._involvement, person.pk) == involvement
    assert prepared.first(("page", "stay"), page_queries._stay, person.pk) is None
    assert prepared.first(("page", "involvement"), page_queries._involvement, YoungPersonFactory().pk) is None


def test_a_query_that_does_not_take_the_id_is_refused():
    with pytest.raises(ValueError):
        prepared.rows(("test", "no id"), lambda pk: Involvement.objects.all()[:3], 1)
    with pytest.raises(ValueError):
        prepared.rows(("test", "values"), lambda pk: Involvement.objects.filter(young_person_id=pk).values("pk"), 1)


def test_the_pages_prepared_reading_equals_the_per_row_one():
    """The young person's page reads the person and the contacts compiled once per reader, and keeps each
    alert by the user's answer about this young person: the same alerts, counts and timeline as the
    per-row filters of the user's scope, for users of each kind (their hub, another hub, police, a
    specialist who wrote a note, the service manager)."""
    from nwd.access import scopes
    from nwd.access.roles import Role
    from nwd.casework.timeline import KIND_KEYS
    from nwd.events.models import MissingEpisode
    from nwd.web.pages.common import Allowed
    from tests.factories import UserFactory

    involvement = open_involvement()
    person, hub = involvement.young_person, involvement.hub
    specialist = UserFactory(role=Role.LIFE_COACH)
    SpecialistInvolvement.objects.create(young_person=person, involvement=involvement, specialist=specialist,
                                         start=dt.date(2025, 6, 2))
    ContactFactory(young_person=person, staff=specialist)
    ContactFactory(young_person=person)
    MissingEpisode.objects.create(young_person=person, started_at=dt.datetime(2025, 6, 5, tzinfo=dt.UTC))
    users = [
        UserFactory(role=Role.HUB_MANAGER, hub=hub), UserFactory(role=Role.KEY_WORKER, hub=UserFactory().hub),
        UserFactory(role=Role.POLICE_LIAISON), specialist, UserFactory(role=Role.SERVICE_MANAGER),
        UserFactory(role=Role.RESIDENTIAL_WORKER, hub=hub),
    ]
    compared = []
    for user in users:
        allowed = Allowed(user, person)

        def contacts_for(pk, user=user):
            return scopes.visible_contacts(user, Contact.objects.filter(young_person_id=pk))

        for within in ("casework.view_young_person", "events.view_police_shared"):
            per_row = page_queries.young_person_page(person.pk, kinds=KIND_KEYS, contacts=contacts_for(person.pk),
                                                     viewer=user, within=within)
            read = page_queries.young_person_page(person.pk, kinds=KIND_KEYS, viewer=user, within=within,
                                                  may=allowed.may, contacts_for=contacts_for,
                                                  reader=("test", user.pk, user.role, user.hub_id))
            if not user.has_perm(within, person):
                continue  # the page is not shown: the per-row reading is the one that may differ
            compared.append((user.role, within))
            assert [a.key for a in read.person.alerts] == [a.key for a in per_row.person.alerts], user.role
            assert read.counts == per_row.counts, user.role
            assert [(e.kind, e.record.pk) for e in read.timeline.entries] == \
                [(e.kind, e.record.pk) for e in per_row.timeline.entries], user.role
    assert "missing" in [a.key for a in read.person.alerts]
    assert {role for role, _ in compared} == {Role.HUB_MANAGER, Role.POLICE_LIAISON, Role.LIFE_COACH, Role.SERVICE_MANAGER,
                                              Role.RESIDENTIAL_WORKER}


def test_rows_since_puts_each_requests_moment_in_its_place(django_assert_num_queries):
    from zoneinfo import ZoneInfo

    first, second = two_with_contacts()

    def contacts(pk, since):
        return Contact.objects.filter(young_person_id=pk, at__gte=since).select_related("staff").order_by("at", "pk")

    moments = [dt.datetime(2025, 6, 1, tzinfo=dt.UTC), dt.datetime(2025, 6, 5, 10, tzinfo=dt.UTC),  # on the boundary
               dt.datetime(2025, 6, 5, 11, 0, 1, tzinfo=ZoneInfo("Europe/London")), dt.datetime(2025, 7, 1, tzinfo=dt.UTC)]
    seen = set()
    for person in (first.young_person, second.young_person):
        for since in moments:
            expected = list(contacts(person.pk, since))
            with django_assert_num_queries(1):
                got = prepared.rows_since(("test", "contacts since"), contacts, person.pk, since)
            assert _fields(got, "pk", "at", "staff.username") == _fields(expected, "pk", "at", "staff.username")
            seen.add(len(got))
    assert seen == {0, 1, 2}  # the window moved: none, one and both of the first's contacts


def test_a_query_since_that_does_not_take_the_moment_is_refused():
    with pytest.raises(ValueError, match="each of its values"):
        prepared.rows_since(("test", "no moment"), lambda pk, since: Contact.objects.filter(young_person_id=pk),
                            1, dt.datetime(2025, 6, 1, tzinfo=dt.UTC))

def test_rows_among_are_the_querysets_for_any_number_of_ids(django_assert_num_queries):
    """A query about a list of ids (at most ``size``), compiled once with stand-ins: the rows the
    queryset gives for each list, the places left over matching nobody."""
    involvements = [open_involvement() for _ in range(4)]
    people = [involvement.young_person for involvement in involvements]

    def build(ids):
        return (Involvement.objects.filter(young_person_id__in=ids).select_related("hub")
                .annotate(person=F("young_person__family_name")).order_by("pk"))

    for ids in ([people[0].pk], [p.pk for p in people[1:]], [p.pk for p in people], [YoungPersonFactory().pk]):
        expected = list(build(ids))
        with django_assert_num_queries(1):
            got = prepared.rows_among(("test", "among"), build, ids, 4)
        assert _fields(got, "pk", "hub.name", "person") == _fields(expected, "pk", "hub.name", "person")
    assert prepared.rows_among(("test", "among"), build, [], 4) == []
    with pytest.raises(ValueError):
        prepared.rows_among(("test", "among"), build, [p.pk for p in people] + [1], 4)
    with pytest.raises(ValueError):
        prepared.rows_among(("test", "among, no ids"), lambda ids: Involvement.objects.all(), [people[0].pk], 4)


def test_together_gives_each_querys_rows_in_one_go(django_assert_num_queries):
    """``together`` runs each query as ``rows`` would (its own statement: counted as such), in order,
    whatever the mix of empty answers and queries that can give no rows."""
    first, second = two_with_contacts()
    nobody = YoungPersonFactory()

    def contacts(pk):
        return Contact.objects.filter(young_person_id=pk).select_related("staff").order_by("-at", "-pk")[:5]

    def involvements(pk):
        return Involvement.objects.filter(young_person_id=pk).select_related("hub").order_by("-start", "-pk")

    def none(pk):
        return Contact.objects.filter(young_person_id=pk).none()

    for person in (first.young_person, second.young_person, nobody):
        queries = [(("test", "together", "contacts"), contacts, person.pk), (("test", "together", "none"), none, person.pk),
                   (("test", "together", "involvements"), involvements, person.pk)]
        with django_assert_num_queries(2):
            got = prepared.together(queries)
        assert _fields(got[0], "pk", "at", "staff.username") == _fields(contacts(person.pk), "pk", "at", "staff.username")
        assert got[1] == []
        assert _fields(got[2], "pk", "hub.name") == _fields(involvements(person.pk), "pk", "hub.name")
    assert prepared.together([]) == []


def test_together_gives_the_same_rows_whether_or_not_its_queries_are_counted(django_assert_num_queries):
    """Counted (a test's count, DEBUG), ``together``'s statements go through Django's cursors; not
    counted, on PostgreSQL, through psycopg's own: the same rows, converted the same way."""
    first = open_involvement()
    for n in range(3):
        ContactFactory(young_person=first.young_person, at=dt.datetime(2025, 6, 3 + n, 10, 30, tzinfo=dt.UTC))

    def contacts(pk):
        return Contact.objects.filter(young_person_id=pk).select_related("staff").order_by("-at", "-pk")

    def involvements(pk):
        return Involvement.objects.filter(young_person_id=pk).select_related("hub").order_by("-start", "-pk")

    queries = [(("test", "counted", "contacts"), contacts, first.young_person.pk),
               (("test", "counted", "involvements"), involvements, first.young_person.pk)]
    uncounted = prepared.together(queries)
    with django_assert_num_queries(2):
        counted = prepared.together(queries)
    for got in (uncounted, counted):
        assert _fields(got[0], "pk", "at", "staff.username") == _fields(contacts(first.young_person.pk), "pk", "at",
                                                                       "staff.username")
        assert [c.at.tzinfo for c in got[0]] == [c.at.tzinfo for c in contacts(first.young_person.pk)]
        assert _fields(got[1], "pk", "start", "hub.name") == _fields(involvements(first.young_person.pk), "pk",
                                                                    "start", "hub.name")


def test_the_pipelines_moments_are_read_as_djangos_loader_reads_them():
    """``together``'s ``timestamptz`` loader (psycopg's parse, the connection's time zone) gives
    Django's loader's very values: the instant, and the time zone object itself."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("psycopg's loaders are PostgreSQL's")
    from psycopg.pq import Format

    connection.ensure_connection()
    raw = connection.connection
    oid = 1184  # timestamptz
    djangos = raw.adapters.get_loader(oid, Format.TEXT)(oid, raw)
    ours = prepared._moment_loader(connection)(oid, raw)
    for text in (b"2025-06-03 10:30:00+00", b"2025-06-03 10:30:00.000123+00", b"1900-01-01 00:00:00+00",
                 b"2025-03-30 01:59:59.999999+00", b"2025-10-26 23:00:00+05:30", b"0001-01-01 00:00:00+00"):
        expected, got = djangos.load(text), ours.load(text)
        assert (got, got.tzinfo) == (expected, expected.tzinfo)
        assert got.tzinfo is connection.timezone


def test_a_query_since_that_can_give_no_rows_gives_none_without_a_query(django_assert_num_queries):
    """A build Django knows matches nothing (an empty scope) compiles to no SQL: no values to place, no rows."""
    with django_assert_num_queries(0):
        assert prepared.rows_since(("test", "nothing since"), lambda pk, since: Contact.objects.none(),
                                   1, dt.datetime(2025, 6, 1, tzinfo=dt.UTC)) == []


def test_together_gives_a_values_querys_dictionaries_with_the_rows(django_assert_num_queries):
    """A ``prepared.Values`` among ``together``'s queries gives the dictionaries its ``values()``
    queryset gives (as ``dicts``), in its place, in the same round trip as the model rows."""
    first, second = two_with_contacts()
    nobody = YoungPersonFactory()

    def contact_values(pk):
        later = Contact.objects.filter(young_person_id=OuterRef("young_person_id"), at__gt=OuterRef("at"))
        return (Contact.objects.filter(young_person_id=pk).annotate(has_later=Exists(later))
                .order_by("-at", "-pk").values("pk", "at", "staff__username", "has_later"))

    def involvements(pk):
        return Involvement.objects.filter(young_person_id=pk).select_related("hub").order_by("-start", "-pk")

    for person in (first.young_person, second.young_person, nobody):
        queries = [prepared.Values(("test", "together", "contact values"), contact_values, person.pk),
                   (("test", "together", "involvements"), involvements, person.pk)]
        with django_assert_num_queries(2):
            got = prepared.together(queries)
        assert got[0] == list(contact_values(person.pk))
        assert _fields(got[1], "pk", "hub.name") == _fields(involvements(person.pk), "pk", "hub.name")
    # The same compiled query as ``dicts``'s, and a model queryset refused as a ``Values``.
    assert prepared.dicts(("test", "together", "contact values"), contact_values, first.young_person.pk) == \
        list(contact_values(first.young_person.pk))
    with pytest.raises(ValueError):
        prepared.together([prepared.Values(("test", "together", "instances"), involvements, first.young_person.pk)])


def test_ahead_reads_kept_queries_together_and_their_calls_take_the_rows(django_assert_num_queries):
    """``ahead`` sends its reads in one go (each its own statement, counted as such); inside the block
    the ``kept``, ``kept_dicts`` and ``kept_at`` calls of the same statements take those rows (once
    each: the same call again reads afresh) and give what they would have read; a read that can
    give no rows is not sent; after the block, the calls read again."""
    first, second = two_with_contacts()

    def contacts():
        return Contact.objects.select_related("staff").order_by("-at", "-pk")

    def counts():
        return Contact.objects.values("young_person_id").annotate(n=Count("pk")).order_by("young_person_id")

    def since(at):
        return Contact.objects.filter(at__gte=at).order_by("at", "pk")

    moment = dt.datetime(2025, 6, 4, 10, tzinfo=dt.UTC)
    reads = [prepared.Kept(("test", "ahead", "contacts"), contacts), prepared.Kept(("test", "ahead", "counts"), counts, dicts=True),
             prepared.KeptAt(("test", "ahead", "since"), since, (moment,)),
             prepared.Kept(("test", "ahead", "none"), lambda: Contact.objects.none())]
    with django_assert_num_queries(3), prepared.ahead(reads):
        got = prepared.kept(*reads[0][:2])
        counted = prepared.kept_dicts(*reads[1][:2])
        later = prepared.kept_at(*reads[2])
        assert prepared.kept(*reads[3][:2]) == []
    assert _fields(got, "pk", "at", "staff.username") == _fields(contacts(), "pk", "at", "staff.username")
    assert counted == list(counts())
    assert [c.pk for c in later] == [c.pk for c in since(moment)] and len(later) == 2
    # Taken once; rows not taken dropped at the end of the block; nothing read ahead after it.
    with django_assert_num_queries(4):
        with prepared.ahead(reads[:2]):
            prepared.kept(*reads[0][:2])
            prepared.kept(*reads[0][:2])
        prepared.kept_dicts(*reads[1][:2])
    ContactFactory(young_person=second.young_person, at=dt.datetime(2025, 6, 9, 10, tzinfo=dt.UTC))
    assert len(prepared.kept(*reads[0][:2])) == 4


def _state(obj):
    """Everything of a model instance: its attributes (deferred ones absent), its state and, in turn,
    the related objects ``select_related`` cached on it."""
    if obj is None:
        return None
    attributes = {name: value for name, value in vars(obj).items() if name != "_state"}
    cached = {name: _state(related) for name, related in obj._state.fields_cache.items()}
    return (type(obj), attributes, obj._state.db, obj._state.adding, obj.get_deferred_fields(), cached)


def test_the_instances_are_djangos_own():
    """The instances ``prepared`` makes (without ``__init__``, ``_instance``) are those Django's
    queryset makes: the same attributes, deferred columns, state and ``select_related`` objects
    (nested, and none where the relation is empty), annotations included."""
    from nwd.casework.timeline import _contact_rows
    from nwd.hubs.models import Stay
    from tests.factories import BedFactory

    involvement = open_involvement()
    person = involvement.young_person
    ContactFactory(young_person=person)
    ContactFactory(young_person=person)
    bed = BedFactory(hub=involvement.hub)
    Stay.objects.create(young_person=person, bed=bed, admitted=dt.date(2025, 6, 1))
    builds = {
        "involvement": page_queries._involvement,  # select_related, the referral none
        "stay": page_queries._stay,  # nested select_related: the bed and its hub
        "plan": page_queries._plan,  # an annotation
        "team": page_queries._team,
        "contacts": lambda pk: _contact_rows(Contact.objects.all(), pk, 10),  # only(): deferred columns
    }
    for name, build in builds.items():
        expected = [_state(obj) for obj in build(person.pk)]
        got = [_state(obj) for obj in prepared.rows(("test", "instances", name), build, person.pk)]
        assert got == expected, name
    assert prepared.rows(("test", "instances", "stay"), page_queries._stay, person.pk)[0].bed.hub == involvement.hub


def test_a_model_with_an_init_receiver_is_made_through_init():
    """A model whose instances a ``post_init`` receiver watches is made by Django's ``from_db``:
    the receiver hears of each instance read."""
    from django.db.models.signals import post_init

    involvement = open_involvement()
    heard = []

    def receiver(sender, instance, **kwargs):
        heard.append(instance)

    post_init.connect(receiver, sender=Involvement)
    try:
        got = prepared.rows(("test", "instances", "involvement"), page_queries._involvement, involvement.young_person.pk)
    finally:
        post_init.disconnect(receiver, sender=Involvement)
    assert got == [involvement] and heard == got
