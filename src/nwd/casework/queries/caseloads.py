"""Caseloads: the lists of young people on the homes of key workers, hub staff, specialists and
the police liaison officer (each with alerts), and the staff of a hub with the size of their caseload.

Functions take a queryset of the young people the user may see (``nwd.access`` scopes) rather than
a user, so the scope is decided once, by the access policy, and these reads cannot widen it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable
from typing import Any

from django.db.models import DateTimeField, F, Func, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from nwd.access.models import User
from nwd.access.relations import user_key
from nwd.access.roles import KEY_WORKER_ROLES
from nwd.casework import prepared
from nwd.casework.models import Involvement, KeyWorkerAllocation, SpecialistInvolvement, YoungPerson
from nwd.casework.queries.alerts import (
    AlertedPerson,
    Viewer,
    among,
    urgency,
    with_alert_words,
    with_alerts,
)
from nwd.casework.queries.planning import constant
from nwd.core import dates
from nwd.events.models import MissingEpisode
from nwd.hubs.models import Hub, Stay

__all__ = [
    "KEY_WORKER_ROLES", "caseloads", "caseloads_by_hub", "hub_young_people", "my_young_people",
    "my_young_people_for_home", "search_missing_now", "young_people_drawn_in_for",
]


# A queryset, or a function that builds it: where the query is compiled once a process
# (``prepared.kept``), an access scope given as a function is built only when it is compiled.
Scope = QuerySet[Any] | Callable[[], QuerySet[Any]]


def built(scope: Scope) -> QuerySet[Any]:
    """The queryset of ``scope`` (built now, when it is a function)."""
    return scope() if callable(scope) else scope


def _listed(people: Scope, ids: QuerySet[Any], today: dt.date | None, viewer: Viewer,
            within: str | None, kept: tuple[Hashable, ...] | None = None) -> list[AlertedPerson]:
    """The young people of ``people`` among ``ids``, most urgent first, each with ``alerts``.

    With ``kept`` (a key naming everything ``people`` and ``ids`` depend on), the query is compiled
    once a process for it, the viewer, the day and the time zone (``nwd.casework.prepared.kept``):
    the alerts' SQL depends on those and on nothing else.
    """
    # By name in the query, then by the alerts in Python (``urgency``, a stable sort).
    today = today or dates.today()
    read = _listed_read(people, ids, today, viewer, within, kept)
    found = list(read.build()) if kept is None else prepared.kept(read.key, read.build)
    return with_alert_words(sorted(found, key=urgency), today)


def _listed_read(people: Scope, ids: QuerySet[Any], today: dt.date, viewer: Viewer, within: str | None,
                 kept: tuple[Hashable, ...] | None) -> prepared.Kept:
    """``_listed``'s query, and its key (with ``kept``: see ``_listed``)."""

    def query() -> QuerySet[YoungPerson]:
        return with_alerts(among(built(people), ids), today, viewer, within).order_by("family_name", "given_name")

    key = None if kept is None else ("listed", kept, None if viewer is None else user_key(viewer), within, today,
                                     timezone.get_current_timezone_name())
    return prepared.Kept(key, query)


def my_young_people(key_worker: User, people: QuerySet[YoungPerson] | None = None, today: dt.date | None = None,
                    viewer: Viewer = None, within: str | None = None) -> list[AlertedPerson]:
    """The young people ``key_worker`` is the current key worker of, most urgent first, each with ``alerts``."""
    people = YoungPerson.objects.all() if people is None else people
    mine = KeyWorkerAllocation.objects.filter(involvement__end__isnull=True, end__isnull=True, key_worker=key_worker)
    return _listed(people, mine.values("involvement__young_person"), today, viewer, within)


def my_young_people_for_home(user: User, people_for: Callable[[], QuerySet[YoungPerson]], reader: Hashable,
                             today: dt.date | None = None, within: str | None = None) -> list[AlertedPerson]:
    """``my_young_people(user, people_for(), today, viewer=user, within=within)``: the user's own list
    on their home page, with its query built and compiled once a process (``nwd.casework.prepared``).

    The query depends on the user only through the scope ``people_for`` builds and the alerts'
    access filters (``with_alerts``): ``reader`` must name everything those depend on about the user
    (``nwd.access.relations``: id, role, hub, agency, organisation, active), and the key holds the
    day and time zone the alerts are counted from. A request runs the SQL with the user's id as the
    key worker; the rows are read afresh each time, only the SQL is kept.
    """
    today = today or dates.today()

    def build(pk: int) -> QuerySet[YoungPerson]:
        mine = KeyWorkerAllocation.objects.filter(involvement__end__isnull=True, end__isnull=True, key_worker_id=pk)
        listed = among(people_for(), mine.values("involvement__young_person"))
        return with_alerts(listed, today, user, within).order_by("family_name", "given_name")

    key = ("home", "my young people", reader, within, today, timezone.get_current_timezone_name())
    return with_alert_words(sorted(prepared.rows(key, build, user.pk), key=urgency), today)


def hub_young_people(hub: Hub, people: Scope | None = None, today: dt.date | None = None,
                     in_bed_only: bool = False, viewer: Viewer = None, within: str | None = None,
                     reader: Hashable = None) -> list[AlertedPerson]:
    """Young people supported by ``hub`` now (or only those in its beds), with alerts: for hub staff.

    ``reader``: everything ``people`` depends on (for a user's own scope: its permission and
    ``nwd.access.relations.user_key(user)``), for the query to be compiled once a process (``_listed``); ``people`` may then
    be a function that builds the scope, called only when the query is compiled."""
    people = YoungPerson.objects.all() if people is None else people
    kept = None if reader is None else ("hub young people", reader, hub.pk, in_bed_only)
    return _listed(people, _here(hub, in_bed_only), today, viewer, within, kept)


def hub_young_people_read(hub: Hub, people: Scope, today: dt.date, viewer: Viewer, within: str | None,
                          reader: Hashable) -> prepared.Kept:
    """The query ``hub_young_people`` (not ``in_bed_only``, with ``reader``) reads, and its key: a page may
    send it with its other reads (``prepared.ahead``)."""
    return _listed_read(people, _here(hub, False), today, viewer, within, ("hub young people", reader, hub.pk, False))


def _here(hub: Hub, in_bed_only: bool) -> QuerySet[Any]:
    """The ids of the young people supported by ``hub`` now (or only those in its beds)."""
    if in_bed_only:
        return Stay.objects.filter(discharged__isnull=True, bed__hub=hub).values("young_person")
    return Involvement.objects.open().filter(hub=hub).values("young_person")


def young_people_drawn_in_for(specialist: User, people: QuerySet[YoungPerson] | None = None,
                              today: dt.date | None = None, viewer: Viewer = None,
                              within: str | None = None) -> list[AlertedPerson]:
    """The young people a specialist is currently drawn in for."""
    people = YoungPerson.objects.all() if people is None else people
    drawn = SpecialistInvolvement.objects.filter(specialist=specialist, end__isnull=True).values("young_person")
    return _listed(people, drawn, today, viewer, within)


def search_missing_now(people: QuerySet[YoungPerson], today: dt.date | None = None, viewer: Viewer = None,
                       within: str | None = None) -> list[AlertedPerson]:
    """Young people in ``people`` with a missing episode open now: the police liaison officer's first list."""
    missing = MissingEpisode.objects.filter(young_person=OuterRef("pk"), ended_at__isnull=True)
    open_now = MissingEpisode.objects.filter(ended_at__isnull=True).values("young_person")
    rows = list(
        with_alerts(among(people, open_now), today, viewer, within)
        .annotate(missing_since=Subquery(missing.order_by("started_at").values("started_at")[:1], output_field=DateTimeField()))
        .order_by("missing_since", "pk")
    )
    return with_alert_words(rows, today)


def _may_be_key_worker() -> Q:
    """``nwd.access.roles.may_be_key_worker`` with the roles written into the SQL as constants: sent
    as parameters, PostgreSQL's generic plan guessed twice the staff and kept planning the caseloads
    on every request (``nwd.casework.queries.planning``)."""
    return Q(role__in=[constant(role) for role in sorted(KEY_WORKER_ROLES)], is_active=True)


def _with_caseload(staff: QuerySet[User]) -> QuerySet[User]:
    """The staff of ``staff`` who may be key worker (``nwd.access.roles``), each with ``caseload``, by
    name (then id: staff of the same name in a set order).

    The caseload is counted by a subquery a member of staff over their current allocations
    (``current_allocation_by_worker``), not by joining every allocation they ever had and grouping
    (some 30 a key worker, most ended): a hub's six staff, 0.33 -> 0.08 ms of the database's CPU."""
    current = KeyWorkerAllocation.objects.filter(key_worker=OuterRef("pk"), end__isnull=True, involvement__end__isnull=True)
    counted = current.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return (
        staff.filter(_may_be_key_worker())
        .annotate(caseload=Subquery(counted, output_field=IntegerField()))
        .order_by("last_name", "first_name", "pk")
    )


def caseloads(hub: Hub) -> QuerySet[User]:
    """Staff at ``hub`` who can hold a caseload, each with ``caseload``: their current young people."""
    return _with_caseload(User.objects.filter(hub=hub))


def caseloads_by_hub(hubs: Scope, reader: Hashable = None, hubs_read: list[Hub] | None = None) -> list[tuple[Hub, list[User]]]:
    """(hub, staff with ``caseload``) for every hub in ``hubs``: two queries however many hubs.

    With ``reader`` (everything ``hubs`` depends on, as for ``hub_young_people``) both queries are
    compiled once a process: the hubs' for the reader, the staff's for the hubs found. ``hubs_read``:
    the hubs of ``hubs`` by name, already read by the caller (then one query)."""
    if hubs_read is not None:
        ordered = hubs_read
    elif reader is None:
        ordered = list(built(hubs).order_by("name"))
    else:
        ordered = prepared.kept(("caseloads", "hubs", reader), lambda: built(hubs).order_by("name"))
    by_hub: dict[int, list[User]] = {hub.pk: [] for hub in ordered}

    def staff() -> QuerySet[User]:
        return _with_caseload(User.objects.filter(hub__in=ordered))

    found = list(staff()) if reader is None else prepared.kept(("caseloads", "staff", tuple(by_hub)), staff)
    for user in found:
        assert user.hub_id is not None  # filtered on the hub
        by_hub[user.hub_id].append(user)
    return [(hub, by_hub[hub.pk]) for hub in ordered]
