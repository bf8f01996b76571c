"""The reads behind the pages: what they return, and that their query count does not grow with history."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from nwd.access.roles import Role
from nwd.casework import queries
from nwd.casework import services as casework
from nwd.casework.choices import Decision
from nwd.casework.models import Referral, YoungPerson
from nwd.casework.timeline import KIND_KEYS, timeline
from nwd.core import dates
from nwd.events import services as events
from nwd.hubs import queries as hub_queries
from nwd.hubs import services as hubs
from nwd.hubs.models import BedKind
from tests.factories import (
    BedFactory,
    HubFactory,
    ReferralFactory,
    UserFactory,
    YoungPersonFactory,
    open_involvement,
)
from tests.web.history import build_history, fill_beds

pytestmark = pytest.mark.django_db
TODAY = dates.today()


def count_queries(call) -> int:
    with CaptureQueriesContext(connection) as captured:
        call()
    return len(captured.captured_queries)


# --- The young person's page ------------------------------------------------------------------------


def test_young_person_page_query_count_does_not_grow_with_history(django_assert_num_queries):
    short = build_history(contacts=3, events=4, reviews=1)
    long = build_history(contacts=500, events=100, reviews=10, hub=short.hub)
    short_count = count_queries(lambda: queries.young_person_page(short.person.pk))
    with django_assert_num_queries(short_count):
        page = queries.young_person_page(long.person.pk)
    assert short_count <= 21  # person, involvement, key worker, stay, team, plan, goals + 14 timeline kinds
    assert page.counts["contact"] == 500
    assert len(page.timeline.entries) == 50
    assert page.timeline.has_more


def test_young_person_page_contents():
    history = build_history(contacts=30, events=8, reviews=2)
    page = queries.young_person_page(history.person.pk)
    assert page.key_worker == history.key_worker
    assert page.key_worker_changes == 2
    assert page.involvement == history.involvement
    assert page.stay is None
    assert page.plan == history.plan
    assert [area.key for area in page.plan_areas] == [
        "safety", "relationships", "accommodation", "eet", "resilience", "emotional_health",
    ]
    # The latest review (the second, index 1) recorded "some progress" on every goal.
    assert all(area.goals[0].progress == "some" for area in page.plan_areas)
    assert page.person.eet_status == "neet"
    assert page.counts["missing"] == 2 and page.counts["referral"] == 1


def test_timeline_is_newest_first_and_filterable_by_kind():
    history = build_history(contacts=20, events=8, reviews=2)
    everything = timeline(history.person.pk, KIND_KEYS, limit=500)
    moments = [entry.at for entry in everything.entries]
    assert moments == sorted(moments, reverse=True)
    assert {entry.kind for entry in everything.entries} == set(KIND_KEYS)
    only_missing = timeline(history.person.pk, ["missing", "police"])
    assert {entry.kind for entry in only_missing.entries} == {"missing", "police"}
    assert len(only_missing.entries) == 4


def test_timeline_pages_do_not_repeat_or_skip():
    history = build_history(contacts=120, events=8, reviews=2)
    first = timeline(history.person.pk, KIND_KEYS, offset=0, limit=50)
    second = timeline(history.person.pk, KIND_KEYS, offset=50, limit=50)
    whole = timeline(history.person.pk, KIND_KEYS, offset=0, limit=100)
    assert [e.title + str(e.at) for e in first.entries + second.entries] == [e.title + str(e.at) for e in whole.entries]


def test_page_without_plan_section_reads_no_plan():
    history = build_history(contacts=3, events=4, reviews=1)
    page = queries.young_person_page(history.person.pk, kinds=["missing", "police", "exploitation"], sections={"support"})
    assert page.plan is None and page.plan_areas == [] and page.team == []
    assert set(page.counts) == {"missing", "police", "exploitation"}
    assert {entry.kind for entry in page.timeline.entries} <= {"missing", "police", "exploitation"}


def test_page_respects_the_scope_it_is_given():
    history = build_history(contacts=3, events=4, reviews=1)
    with pytest.raises(YoungPerson.DoesNotExist):
        queries.young_person_page(history.person.pk, people=YoungPerson.objects.none())


# --- Home pages ---------------------------------------------------------------------------------------


def _caseload(key_worker, hub, n: int) -> list:
    people = []
    for i in range(n):
        involvement = open_involvement(hub=hub, key_worker=key_worker, start=TODAY - dt.timedelta(days=60))
        people.append(involvement.young_person)
        casework.add_contact(involvement.young_person, timezone.now() - dt.timedelta(days=i), "phone", "Called", staff=key_worker)
    return people


def test_my_young_people_alerts():
    hub = HubFactory()
    me = UserFactory(role=Role.KEY_WORKER, hub=hub)
    missing, overdue_review, overstay, quiet, fine = _caseload(me, hub, 5)
    events.record_missing_episode(missing, timezone.now() - dt.timedelta(hours=3))
    casework.start_plan(overdue_review, TODAY - dt.timedelta(days=40), next_review_due=TODAY - dt.timedelta(days=1))
    bed = BedFactory(hub=hub, kind=BedKind.RESIDENTIAL)
    hubs.admit(overstay, bed, TODAY - dt.timedelta(days=10), planned_discharge=TODAY - dt.timedelta(days=2))
    quiet.contacts.all().delete()
    casework.start_plan(fine, TODAY - dt.timedelta(days=10), next_review_due=TODAY + dt.timedelta(days=30))
    someone_elses = open_involvement(hub=hub)

    rows = queries.my_young_people(me)
    by_person = {row.pk: {alert.key for alert in row.alerts} for row in rows}
    assert someone_elses.young_person.pk not in by_person
    assert by_person[missing.pk] == {"missing"}
    assert by_person[overdue_review.pk] == {"review"}
    assert by_person[overstay.pk] == {"overstay"}
    assert by_person[quiet.pk] == {"no_contact"}
    assert by_person[fine.pk] == set()
    assert rows[0].pk == missing.pk  # missing now comes first
    assert rows[-1].pk == fine.pk


def test_my_young_people_query_count_is_fixed(django_assert_num_queries):
    hub = HubFactory()
    me = UserFactory(role=Role.KEY_WORKER, hub=hub)
    _caseload(me, hub, 2)
    with django_assert_num_queries(1):
        queries.my_young_people(me)
    _caseload(me, hub, 25)
    with django_assert_num_queries(1):
        rows = queries.my_young_people(me)
    assert len(rows) == 27


def _rows_of(rows) -> list[tuple]:
    return [(row.pk, row.full_name, [alert.text for alert in row.alerts], row.support_type, row.hub_name, row.bed_label,
             row.key_worker_first, row.key_worker_last, row.review_due, row.last_contact) for row in rows]


@pytest.mark.parametrize("role", [Role.KEY_WORKER, Role.RESIDENTIAL_WORKER])
def test_my_young_people_for_home_is_my_young_people(role, django_assert_num_queries):
    """The home page's list, its SQL compiled once for the reader and day, gives the rows (order,
    alerts, annotations) of ``my_young_people`` within the user's identity scope; read again after the
    record changes, the kept SQL gives the new rows, and another key worker gets only their own."""
    from nwd.access import scopes

    hub = HubFactory()
    me = UserFactory(role=role, hub=hub)
    missing, overdue_review, overstay, quiet, leaving = _caseload(me, hub, 5)
    casework.start_plan(overdue_review, TODAY - dt.timedelta(days=40), next_review_due=TODAY - dt.timedelta(days=1))
    hubs.admit(overstay, BedFactory(hub=hub, kind=BedKind.RESIDENTIAL), TODAY - dt.timedelta(days=10),
               planned_discharge=TODAY - dt.timedelta(days=2))
    quiet.contacts.all().delete()
    restricted = open_involvement(hub=hub, key_worker=me).young_person
    YoungPerson.objects.filter(pk=restricted.pk).update(restricted=True)  # not named on it: not listed
    other = UserFactory(role=Role.KEY_WORKER, hub=hub)
    _caseload(other, hub, 2)

    def per_request(user):
        return queries.my_young_people(user, scopes.visible_young_people(user), TODAY, viewer=user,
                                       within="casework.view_identity")

    def for_home(user):
        reader = ("test", user.pk, user.role, user.hub_id, user.agency, user.organisation, user.is_active)
        return queries.my_young_people_for_home(user, lambda: scopes.visible_young_people(user), reader, TODAY,
                                                within="casework.view_identity")

    first = for_home(me)
    assert _rows_of(first) == _rows_of(per_request(me))
    assert {row.pk for row in first} == {missing.pk, overdue_review.pk, overstay.pk, quiet.pk, leaving.pk}
    events.record_missing_episode(missing, timezone.now() - dt.timedelta(hours=3))
    casework.close_involvement(leaving.involvements.get(), TODAY, "goals_met")  # support ended: off the list
    with django_assert_num_queries(1):
        again = for_home(me)
    assert _rows_of(again) == _rows_of(per_request(me))
    assert again[0].pk == missing.pk and leaving.pk not in {row.pk for row in again}
    assert _rows_of(for_home(other)) == _rows_of(per_request(other)) and len(for_home(other)) == 2


def test_hub_manager_home_reads_are_fixed(django_assert_num_queries):
    hub = HubFactory()
    for _ in range(3):
        ReferralFactory(received=TODAY - dt.timedelta(days=2))
    workers = [UserFactory(role=Role.KEY_WORKER, hub=hub) for _ in range(4)]
    for worker in workers:
        _caseload(worker, hub, 3)
    fill_beds(hub, occupied=3, free=3)
    with django_assert_num_queries(3):
        waiting = list(queries.referrals_waiting(Referral.objects.all()))
        loads = list(queries.caseloads(hub))
        free = hub_queries.free_bed_counts(hub)
    assert len(waiting) == 3
    assert sorted(user.caseload for user in loads) == [3, 3, 3, 3]
    assert free == {"residential": 2, "emergency": 1}


def test_referrals_waiting_most_urgent_first():
    routine = ReferralFactory(received=TODAY - dt.timedelta(days=5))
    emergency = ReferralFactory(received=TODAY, urgency="emergency")
    decided = ReferralFactory(received=TODAY - dt.timedelta(days=9))
    casework.decide_referral(decided, Decision.HANDOVER, TODAY, handover_service="CAMHS")
    assert list(queries.referrals_waiting(Referral.objects.all())) == [emergency, routine]


# --- The bed board ------------------------------------------------------------------------------------


def test_bed_board_query_count_is_fixed(django_assert_num_queries):
    first, second = HubFactory(), HubFactory()
    fill_beds(first, occupied=2, free=2)
    with django_assert_num_queries(3):
        queries_small = hub_queries.bed_boards()
    fill_beds(second, occupied=5, free=1)
    build_history(contacts=10, events=4, hub=first)  # past stays on more beds
    with django_assert_num_queries(3):
        boards = hub_queries.bed_boards()
    assert len(queries_small) == 2 and len(boards) == 2


def test_bed_board_shows_who_is_where_and_the_days_ahead():
    hub = HubFactory()
    room = BedFactory(hub=hub, label="Room 1", kind=BedKind.RESIDENTIAL)
    emergency = BedFactory(hub=hub, label="Emergency 1", kind=BedKind.EMERGENCY)
    BedFactory(hub=hub, label="Emergency 2", kind=BedKind.EMERGENCY)
    closed = BedFactory(hub=hub, label="Room 9", kind=BedKind.RESIDENTIAL, in_use=False)
    person = YoungPersonFactory()
    hubs.admit(person, room, TODAY - dt.timedelta(days=3), planned_discharge=TODAY + dt.timedelta(days=4))
    late = YoungPersonFactory()
    hubs.admit(late, emergency, TODAY - dt.timedelta(days=5), planned_discharge=TODAY - dt.timedelta(days=1))

    (board,) = hub_queries.bed_boards(type(hub).objects.filter(pk=hub.pk))
    rows = {row.bed.label: row for row in board.rows}
    assert rows["Room 1"].stay.young_person == person
    assert [c.state for c in rows["Room 1"].cells[:6]] == ["occupied"] * 4 + ["leaving", "free"]
    assert rows["Emergency 1"].overdue and all(c.state == "overdue" for c in rows["Emergency 1"].cells)
    assert [row.bed.label for row in board.emergency_free] == ["Emergency 2"]
    assert all(c.state == "out_of_use" for c in rows[closed.label].cells)
    assert len(board.days) == 14
    assert board.free_by_day[0] == 1 and board.free_by_day[5] == 2


def _board(boards) -> list:
    return [(b.hub.pk, b.days, [(r.bed.pk, r.bed.hub.name, r.stay and (r.stay.pk, r.stay.young_person.given_name),
                                 [(c.day, c.state, c.stay and c.stay.pk) for c in r.cells]) for r in b.rows])
            for b in boards]


def test_bed_boards_read_through_kept_sql_are_the_same(django_assert_num_queries):
    """The hub manager's home keeps the bed boards' compiled SQL (``read``, ``prepared.kept_at``): the
    same boards as built afresh, for each set of hubs, and rows written since are read."""
    from nwd.casework import prepared

    first, second = HubFactory(), HubFactory()
    fill_beds(first, occupied=2, free=2)
    fill_beds(second, occupied=1, free=1)
    BedFactory(hub=first, label="Room 9", in_use=False)

    def kept(name, build, moments, chosen="every hub"):  # the caller's key names the hubs chosen
        return prepared.kept_at(("test bed boards", chosen, name), build, moments)

    one = lambda: type(first).objects.filter(pk=first.pk)  # noqa: E731
    for chosen, read in ((one, lambda name, build, moments: kept(name, build, moments, "first")),
                         (lambda: type(first).objects.all(), kept)):
        fresh = _board(hub_queries.bed_boards(chosen()))
        for _ in range(2):  # the second time from the compiled SQL
            with django_assert_num_queries(3):
                boards = hub_queries.bed_boards(chosen, TODAY, read=read)
            assert _board(boards) == fresh
    free = next(row.bed for row in hub_queries.bed_boards(one())[0].rows if row.free_now)
    hubs.admit(YoungPersonFactory(), free, TODAY - dt.timedelta(days=1), planned_discharge=TODAY + dt.timedelta(days=2))
    everything = lambda: type(first).objects.all()  # noqa: E731
    assert _board(hub_queries.bed_boards(everything, TODAY, read=kept)) == _board(hub_queries.bed_boards(everything()))


def test_bed_is_free_on_the_day_of_discharge():
    hub = HubFactory()
    room = BedFactory(hub=hub, label="Room 1")
    stay = hubs.admit(YoungPersonFactory(), room, TODAY - dt.timedelta(days=3))
    hubs.discharge(stay, discharged=TODAY, destination="home")
    assert list(hub_queries.free_beds(hub)) == [room]


# --- Search -------------------------------------------------------------------------------------------


def test_search_by_name_id_and_date_of_birth():
    kai = YoungPersonFactory(given_name="Kai", family_name="Marsh", child_id="C1234", date_of_birth=dt.date(2010, 3, 27))
    YoungPersonFactory(given_name="Kaitlyn", family_name="Hollis", child_id="C9999")
    everyone = YoungPerson.objects.all()
    assert [p.pk for p in queries.search_young_people(everyone, "kai marsh")] == [kai.pk]
    assert len(queries.search_young_people(everyone, "kai")) == 2
    assert [p.pk for p in queries.search_young_people(everyone, "c1234")] == [kai.pk]
    assert [p.pk for p in queries.search_young_people(everyone, "27/03/2010")] == [kai.pk]
    assert [p.pk for p in queries.search_young_people(everyone, "27 March 2010")] == [kai.pk]
    assert queries.search_young_people(everyone, "   ") == []


def test_search_stays_within_the_scope_given():
    YoungPersonFactory(given_name="Kai", family_name="Marsh")
    assert queries.search_young_people(YoungPerson.objects.none(), "kai") == []
