"""The young person's page: everything on it in a fixed number of queries whatever the length of
the young person's history (tests assert the counts), and who a restriction of the record may name.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    Case,
    CharField,
    Count,
    DateField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from nwd.access.models import User
from nwd.access.roles import Role
from nwd.care.models import CareEpisode
from nwd.casework import prepared
from nwd.casework import timeline as timelines
from nwd.casework.choices import AllocationReason, PortfolioArea
from nwd.casework.models import (
    Contact,
    GoalProgress,
    Involvement,
    KeyWorkerAllocation,
    Plan,
    PlanGoal,
    PlanReview,
    SpecialistInvolvement,
    YoungPerson,
)
from nwd.casework.queries.alerts import ALERT_PERMISSIONS, AlertedPerson, Viewer, alerts_of, with_alerts
from nwd.core import dates
from nwd.events.models import EETPeriod, ExploitationConcern, MissingEpisode
from nwd.hubs.models import Stay


@dataclass
class GoalLine:
    goal: PlanGoal
    progress: str | None
    progress_label: str
    note: str
    reviewed_on: dt.date | None


@dataclass
class PlanArea:
    key: str
    label: str
    goals: list[GoalLine] = field(default_factory=list)


@dataclass
class YoungPersonPage:
    person: AlertedPerson  # a YoungPerson annotated by with_alerts and the page's facts
    involvement: Involvement | None
    allocation: KeyWorkerAllocation | None
    stay: Stay | None
    team: list[SpecialistInvolvement]
    plan: Plan | None
    plan_areas: list[PlanArea]
    timeline: timelines.Timeline
    counts: dict[str, int]
    also: list[list[Any]] = field(default_factory=list)  # the rows of ``young_person_page``'s ``also``

    @property
    def key_worker(self) -> User | None:
        return self.allocation.key_worker if self.allocation else None

    @property
    def key_worker_changes(self) -> int:
        changes: int = self.person.key_worker_changes
        return changes

    @property
    def open_missing_id(self) -> int | None:
        missing: int | None = self.person.open_missing_id
        return missing


SECTIONS = frozenset({"support", "team", "plan", "facts"})


def _person_query(kinds: Iterable[str], contacts: QuerySet[Contact] | None = None) -> QuerySet[YoungPerson]:
    """Young people annotated with the facts the page shows and the timeline's counts by kind."""
    changes = (
        KeyWorkerAllocation.objects.filter(involvement__young_person=OuterRef("pk"))
        .exclude(reason=AllocationReason.FIRST).order_by().values("involvement__young_person")
        .annotate(n=Count("pk")).values("n")
    )
    eet = EETPeriod.objects.filter(young_person=OuterRef("pk"), end__isnull=True).order_by("-start")
    care = CareEpisode.objects.filter(young_person=OuterRef("pk"), dec__isnull=True).order_by("-decom")
    open_missing = MissingEpisode.objects.filter(young_person=OuterRef("pk"), ended_at__isnull=True).order_by("-started_at")
    concerns = ExploitationConcern.objects.filter(young_person=OuterRef("pk"), closed_on__isnull=True)
    return YoungPerson.objects.annotate(
        key_worker_changes=Coalesce(Subquery(changes, output_field=IntegerField()), 0),
        eet_status=Subquery(eet.values("status")[:1], output_field=CharField()),
        eet_provider=Subquery(eet.values("provider")[:1], output_field=CharField()),
        eet_since=Subquery(eet.values("start")[:1], output_field=DateField()),
        care_place=Subquery(care.values("place")[:1], output_field=CharField()),
        care_legal_status=Subquery(care.values("ls")[:1], output_field=CharField()),
        care_since=Subquery(care.values("decom")[:1], output_field=DateField()),
        open_missing_id=Subquery(open_missing.values("pk")[:1], output_field=IntegerField()),
        open_concerns=Coalesce(
            Subquery(concerns.order_by().values("young_person").annotate(n=Count("pk")).values("n"),
                     output_field=IntegerField()), 0,
        ),
        **timelines.count_annotations(kinds, contacts),
    )


# The sections' queries, each about one young person (or plan) and nothing else: built and compiled
# once a process (``nwd.casework.prepared``), run with the id of the one in hand.


def _goals(plan_id: int) -> QuerySet[PlanGoal]:
    return _goals_where(plan_id=plan_id)


def _goals_of_the_plan(person_id: int) -> QuerySet[PlanGoal]:
    """The goals of the young person's latest plan (the one ``_plan`` reads), asked by the young
    person's id so that they go with the page's other queries (``prepared.together``) rather than
    after the plan's; none when there is no plan."""
    latest_plan = Plan.objects.filter(young_person_id=person_id).order_by("-started", "-pk").values("pk")[:1]
    return _goals_where(plan_id=Subquery(latest_plan))


def _goals_where(**plan: Any) -> QuerySet[PlanGoal]:
    latest = GoalProgress.objects.filter(goal=OuterRef("pk")).order_by("-review__reviewed_on", "-review_id")
    return PlanGoal.objects.filter(**plan).annotate(
        latest_progress=Subquery(latest.values("progress")[:1], output_field=CharField()),
        latest_note=Subquery(latest.values("note")[:1], output_field=CharField()),
        latest_reviewed_on=Subquery(latest.values("review__reviewed_on")[:1], output_field=DateField()),
    ).order_by("area", "pk")


def _involvement(person_id: int) -> QuerySet[Involvement]:
    """The open involvement, else the latest."""
    return (
        Involvement.objects.filter(young_person_id=person_id).select_related("hub", "referral")
        .order_by(Case(When(end__isnull=True, then=Value(0)), default=Value(1)), "-start")[:1]
    )


def _allocation(person_id: int) -> QuerySet[KeyWorkerAllocation]:
    return (
        KeyWorkerAllocation.objects.filter(involvement__young_person_id=person_id, involvement__end__isnull=True,
                                           end__isnull=True)
        .select_related("key_worker")[:1]  # as .first(): the model's ordering
    )


def _stay(person_id: int) -> QuerySet[Stay]:
    return Stay.objects.filter(young_person_id=person_id, discharged__isnull=True).select_related("bed__hub")[:1]  # as .first()


def _team(person_id: int) -> QuerySet[SpecialistInvolvement]:
    return (
        SpecialistInvolvement.objects.filter(young_person_id=person_id, end__isnull=True)
        .select_related("specialist").order_by("start", "pk")
    )


def _plan(person_id: int) -> QuerySet[Plan]:
    last_review = PlanReview.objects.filter(plan=OuterRef("pk")).order_by("-reviewed_on", "-pk")
    return (
        Plan.objects.filter(young_person_id=person_id)
        .annotate(last_reviewed_on=Subquery(last_review.values("reviewed_on")[:1], output_field=DateField()))
        .order_by("-started", "-pk")[:1]
    )


def plan_areas(plan: Plan | None, goals: list[Any] | None = None) -> list[PlanArea]:
    """The plan's goals grouped in the six portfolio areas, each with its latest progress (one query,
    unless ``goals``, annotated as ``_goals`` annotates them, were read already)."""
    areas = {key: PlanArea(key, str(label)) for key, label in PortfolioArea.choices}
    if plan is None:
        return list(areas.values())
    if goals is None:
        goals = prepared.rows(("page", "goals"), _goals, plan.pk)
    labels = dict(GoalProgress._meta.get_field("progress").choices or ())
    for goal in goals:
        areas[goal.area].goals.append(GoalLine(
            goal=goal, progress=goal.latest_progress, progress_label=str(labels.get(goal.latest_progress, "Not yet reviewed")),
            note=goal.latest_note or "", reviewed_on=goal.latest_reviewed_on,
        ))
    return list(areas.values())


def young_person_page(
    person_id: int,
    kinds: Iterable[str] = timelines.KIND_KEYS,
    sections: Iterable[str] = SECTIONS,
    offset: int = 0,
    limit: int = timelines.PAGE_SIZE,
    people: QuerySet[YoungPerson] | None = None,
    contacts: QuerySet[Contact] | None = None,
    shown: Iterable[str] | None = None,
    today: dt.date | None = None,
    viewer: Viewer = None,
    within: str | None = None,
    may: Callable[[str], bool] | None = None,
    contacts_for: Callable[[int], QuerySet[Contact]] | None = None,
    reader: Hashable = None,
    also: Sequence[prepared.Query] = (),
) -> YoungPersonPage:
    """Everything on the young person's page, in a fixed number of queries.

    ``kinds`` are the timeline kinds the user may see (each counted for the filter), ``shown`` those
    the timeline shows now (default: all of ``kinds``); ``sections`` the parts of the
    page the user may see (a police liaison officer sees no plan). Sections not asked for are not
    read at all. ``contacts`` is the scope of contact notes the user may read (a specialist reads
    only their own); ``viewer``, the user, decides which alerts are raised (``with_alerts``; ``within``:
    the permission the page was opened with). Raises YoungPerson.DoesNotExist when ``person_id`` is
    not in ``people``.

    The page itself (``nwd.web.pages.young_people``), which has already established that the user
    may see this young person, passes ``may`` (the user's answer to a permission about this young
    person, asked once a request), ``contacts_for`` (the notes the user may read about the young
    person of a given id: ``contacts`` built for any id) and ``reader`` (everything those depend on
    about the user). Then the person's query and the contacts' are built and compiled once a
    process for that reader, kinds and day (``nwd.casework.prepared``), and each alert is kept
    where ``may`` holds the permission its data needs (``ALERT_PERMISSIONS``): for one young person
    the very answer the per-row filter of ``viewer`` gives in SQL.

    ``also``: other queries of the page about this young person (``prepared.together``'s), sent with
    the page's; their rows are in ``also`` of the result, in the same order.
    """
    kinds = tuple(kinds)
    shown = kinds if shown is None else tuple(k for k in shown if k in kinds)
    sections = set(sections)
    prepared_reading = may is not None and people is None and reader is not None
    # The sections' queries and the timeline's (and, read for a reader, the person's) are sent to the
    # database together (``prepared.together``: one round trip on PostgreSQL).
    queries: list[prepared.Query] = []
    if prepared_reading:
        today = today or dates.today()
        scoped = contacts_for

        def build(pk: int) -> QuerySet[YoungPerson]:
            return with_alerts(_person_query(kinds, scoped(pk) if scoped else None), today).filter(pk=pk).order_by()[:2]

        key = ("page", "person", kinds, today, timezone.get_current_timezone_name(), contacts_for is None, reader)
        queries.append((key, build, person_id))
    if "support" in sections:
        queries += [(("page", "involvement"), _involvement, person_id), (("page", "allocation"), _allocation, person_id),
                    (("page", "stay"), _stay, person_id)]
    if "team" in sections:
        queries.append((("page", "team"), _team, person_id))
    if "plan" in sections:
        queries += [(("page", "plan"), _plan, person_id), (("page", "goals of the plan"), _goals_of_the_plan, person_id)]
    person: AlertedPerson
    if not prepared_reading:
        # The per-row filters (a list's scope, ``viewer``'s alerts), read before the rest: the person
        # may be out of ``people``.
        if contacts_for is not None and contacts is None:
            contacts = contacts_for(person_id)
        people_query = with_alerts(_person_query(kinds, contacts), today, viewer, within)
        if people is not None:
            people_query = people_query.filter(pk__in=people.values("pk"))
        person = people_query.get(pk=person_id)
        contacts_for = reader = None
    timeline_queries, made = timelines.reading(person_id, shown, offset, limit, contacts, contacts_for=contacts_for,
                                               reader=reader)
    results = iter(prepared.together(queries + timeline_queries + list(also)))
    if prepared_reading:
        found = next(results)
        if not found:
            raise YoungPerson.DoesNotExist("YoungPerson matching query does not exist.")
        person = found[0]
        assert may is not None
        for alert, permission in ALERT_PERMISSIONS.items():
            if not may(permission):
                setattr(person, f"alert_{alert}", False)
    person.alerts = alerts_of(person, today)
    involvement: Involvement | None = None
    allocation: KeyWorkerAllocation | None = None
    stay: Stay | None = None
    plan: Plan | None = None
    team: list[SpecialistInvolvement] = []
    if "support" in sections:
        involvement, allocation, stay = (next(iter(next(results)), None) for _ in range(3))
        # Their young person is the one in hand: the page's permission checks on them (a hub
        # permission asks the young person's restriction) need not load it again.
        for record in (involvement, stay):
            if record is not None:
                record.young_person = person
    if "team" in sections:
        team = next(results)
    goals: list[Any] = []  # PlanGoals annotated with their latest progress
    if "plan" in sections:
        plan = next(iter(next(results)), None)
        goals = next(results)
    timeline = made(results)
    also_read = [next(results) for _ in also]
    areas = plan_areas(plan, goals) if "plan" in sections else []
    counts = {key: getattr(person, f"count_{key}") for key in timelines.KIND_KEYS if key in kinds}
    return YoungPersonPage(
        person=person, involvement=involvement, allocation=allocation, stay=stay, team=team, plan=plan,
        plan_areas=areas, timeline=timeline, counts=counts, also=also_read,
    )


def who_may_be_named(person: YoungPerson) -> QuerySet[User]:
    """The users a restriction form offers to name: those named now, the team around the young person
    (key workers, staff at the hubs supporting them now, specialists drawn in) and every data
    protection officer and service manager. Anyone else is named by user name."""
    open_hubs = Involvement.objects.open_for(person).values("hub_id")
    team = (
        Q(restricted_records=person)
        | Q(hub_id__in=open_hubs, role__in=[Role.KEY_WORKER, Role.RESIDENTIAL_WORKER, Role.HUB_MANAGER,
                                            Role.PORTFOLIO_LEAD])
        | Q(allocations__involvement__young_person=person, allocations__end__isnull=True)
        | Q(specialist_involvements__young_person=person, specialist_involvements__end__isnull=True)
        | Q(role__in=[Role.DATA_PROTECTION_OFFICER, Role.SERVICE_MANAGER])
    )
    users = User.objects.filter(is_active=True)
    return users.filter(pk__in=users.filter(team).values("pk")).order_by("last_name", "first_name", "username")
