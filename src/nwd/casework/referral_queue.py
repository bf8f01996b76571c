"""The referral queue's marks: each waiting referral against the service's decision target, and
whether its young person is already supported (and by whom).

The targets are the service's promise to referrers (the urgency choices say them): a routine
referral is decided within 5 working days, an urgent one within 24 hours, an emergency the day it
comes. A referral carries the day it was received, not the hour, so "24 hours" is the day after.
Working days leave out Saturdays, Sundays and the bank holidays of England and Wales (the
``holidays`` library's calendar, so a new year's holidays need no change here).

Why the already-supported mark: no wrong door means a second referral of a young person the service
already supports goes to the team that knows them, not to a fresh start. A partner's referral never
matches an existing record (``services.find_or_create_young_person``), so the mark, like the queue,
is only ever seen by staff.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable
from dataclasses import dataclass
from functools import lru_cache

import holidays
from django.db.models import Count, Exists, F, FilteredRelation, OuterRef, Q, QuerySet, Window

from nwd.casework import prepared
from nwd.casework.choices import Urgency
from nwd.casework.queries import referrals_decided_awaiting_support, referrals_waiting
from nwd.casework.queries.caseloads import Scope, built
from nwd.core import dates


@dataclass(frozen=True)
class DecisionTarget:
    days: int
    working_days: bool
    words: str


DECISION_TARGETS: dict[str, DecisionTarget] = {
    Urgency.ROUTINE: DecisionTarget(5, True, "5 working days"),
    Urgency.URGENT: DecisionTarget(1, False, "24 hours"),
    Urgency.EMERGENCY: DecisionTarget(0, False, "the same day"),
}


@lru_cache(maxsize=32)
def bank_holidays(year: int) -> frozenset[dt.date]:
    """England and Wales's bank holidays in ``year`` (the two nations share one list)."""
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in bank_holidays(day.year)


def working_days_after(day: dt.date, count: int) -> dt.date:
    """The ``count``-th working day after ``day`` (a referral received on a Saturday counts from Monday)."""
    while count > 0:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            count -= 1
    return day


@lru_cache(maxsize=4096)
def decision_due(urgency: str, received: dt.date) -> dt.date:
    """The last day on which a referral's decision meets the service's target (remembered: a queue's
    referrals share a handful of days, and the answer for a day never changes)."""
    target = DECISION_TARGETS.get(urgency, DECISION_TARGETS[Urgency.ROUTINE])
    if target.working_days:
        return working_days_after(received, target.days)
    return received + dt.timedelta(days=target.days)


def waiting(referrals: Scope, support_visible: Scope, today: dt.date | None = None, reader: Hashable = None) -> list:
    """The waiting referrals of ``referrals`` (as ``queries.referrals_waiting`` orders them), each with:

    - ``decision_due``, ``decision_target`` (in words) and ``past_target`` (today is after the due day);
    - ``supported_hub`` and ``supported_by`` (the key worker's name) when its young person has an open
      involvement and is among ``support_visible`` (the young people the viewer may open; it need
      answer only for young people with a referral waiting: ``scopes.young_people_awaiting_decision``), else "".

    One query, however long the queue. With ``reader`` (everything the two querysets depend on: the
    viewer's ``nwd.access.relations.user_key`` when both are the viewer's scopes), its SQL is compiled
    once a process for that reader (``nwd.casework.prepared.kept``) rather than on every request,
    and the querysets, when given as functions, built only then.
    """
    today = today or dates.today()
    if reader is None:
        rows = list(_waiting(built(referrals), built(support_visible)))
    else:
        rows = prepared.kept(("referral queue", "waiting", reader),
                             lambda: _waiting(built(referrals), built(support_visible)))
    for referral in rows:
        mark(referral, today)
    return rows


def most_urgent_waiting(referrals: Scope, support_visible: Scope, first: int, today: dt.date | None = None,
                        reader: Hashable = None) -> tuple[list, int]:
    """The first ``first`` of ``waiting`` (the most urgent and oldest), marked as ``waiting`` marks them,
    and how many are waiting in all: one query (the count a window over every waiting referral), so
    a manager's home reads ten referrals however long the queue."""
    today = today or dates.today()
    read = most_urgent_read(referrals, support_visible, first, reader)
    rows = list(read.build()) if reader is None else prepared.kept(read.key, read.build)
    for referral in rows:
        mark(referral, today)
    return rows, (rows[0].waiting_total if rows else 0)


def awaiting_support(referrals: Scope, reader: Hashable = None) -> list:
    """``queries.referrals_decided_awaiting_support(referrals)``, as a list; with ``reader`` (as for
    ``waiting``) its SQL compiled once a process for that reader."""
    read = awaiting_support_read(referrals, reader)
    return list(read.build()) if reader is None else prepared.kept(read.key, read.build)


def most_urgent_read(referrals: Scope, support_visible: Scope, first: int, reader: Hashable) -> prepared.Kept:
    """The query ``most_urgent_waiting`` reads for ``reader``, and its key: a page may send it with its
    other reads (``prepared.ahead``)."""

    def build() -> QuerySet:
        return _waiting(built(referrals), built(support_visible)).annotate(waiting_total=Window(Count("pk")))[:first]

    return prepared.Kept(("referral queue", "most urgent", first, reader), build)


def awaiting_support_read(referrals: Scope, reader: Hashable) -> prepared.Kept:
    """The query ``awaiting_support`` reads for ``reader``, and its key (as ``most_urgent_read``)."""
    return prepared.Kept(("referral queue", "awaiting support", reader),
                         lambda: referrals_decided_awaiting_support(built(referrals)))


def _waiting(referrals: QuerySet, support_visible: QuerySet) -> QuerySet:
    # The young person's open involvement and its current key worker, joined rather than looked up by
    # a subquery per column: at most one row each (``one_open_involvement_per_young_person``,
    # ``one_current_key_worker``), so the join adds no referral.
    return referrals_waiting(referrals).alias(
        open_support=FilteredRelation("young_person__involvements",
                                      condition=Q(young_person__involvements__end__isnull=True)),
        current_allocation=FilteredRelation("open_support__allocations",
                                            condition=Q(open_support__allocations__end__isnull=True)),
    ).annotate(
        support_seen=Exists(support_visible.filter(pk=OuterRef("young_person"))),
        open_hub=F("open_support__hub__name"),
        worker_first=F("current_allocation__key_worker__first_name"),
        worker_last=F("current_allocation__key_worker__last_name"),
    )


def mark(referral, today: dt.date) -> None:
    """Set the decision target's marks and the support's on one referral annotated by ``waiting``."""
    referral.decision_due = decision_due(referral.urgency, referral.received)
    referral.decision_target = DECISION_TARGETS.get(referral.urgency, DECISION_TARGETS[Urgency.ROUTINE]).words
    referral.past_target = today > referral.decision_due
    seen = getattr(referral, "support_seen", False) and referral.open_hub
    referral.supported_hub = referral.open_hub if seen else ""
    referral.supported_by = " ".join(filter(None, (referral.worker_first, referral.worker_last))) if seen else ""


def current_support(young_person) -> tuple[str, str] | None:
    """(hub name, key worker's name) of the young person's open involvement, or None."""
    involvement = young_person.involvements.filter(end__isnull=True).select_related("hub").first()
    if involvement is None:
        return None
    allocation = involvement.allocations.filter(end__isnull=True).select_related("key_worker").first()
    worker = allocation.key_worker.get_full_name() if allocation else ""
    return involvement.hub.name, worker
