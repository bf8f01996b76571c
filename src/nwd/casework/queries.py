"""Reads the practitioner pages share: the young person's page, caseloads with alerts, the referrals queue, search.

Every function here makes a fixed number of queries whatever the length of a young person's
history or the size of a caseload (tests assert the counts): alerts are computed by the database
as annotations, never row by row in Python. Functions take a queryset of the young people the user
may see (``nwd.access`` scopes) rather than a user, so the scope is decided once, by the access
policy, and these reads cannot widen it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    DateField,
    DateTimeField,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Lower
from django.utils import formats, timezone

from nwd.access.roles import Role
from nwd.care.models import CareEpisode
from nwd.casework import timeline as timelines
from nwd.casework.choices import AllocationReason, PortfolioArea, ReferralStatus, Urgency
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
from nwd.core import dates
from nwd.events.models import EETPeriod, ExploitationConcern, MissingEpisode
from nwd.hubs.models import Stay

NO_CONTACT_DAYS = 14
REVIEW_DUE_SOON_DAYS = 7
KEY_WORKER_ROLES = (Role.KEY_WORKER, Role.RESIDENTIAL_WORKER, Role.HUB_MANAGER)


# --- Alerts, as database annotations ----------------------------------------------------------------


@dataclass(frozen=True)
class Alert:
    key: str
    text: str
    colour: str  # a govuk-tag modifier


# Each alert tells something from one part of the record, so it is shown only to a viewer who may
# see that part: "Missing now" is police-shared, a plan review comes from the plan, "no contact"
# from the contacts, "past planned discharge" from the stay on the young person's page.
ALERT_PERMISSIONS = {
    "missing": "events.view_police_shared",
    "overstay": "casework.view_young_person",
    "review": "casework.view_plan",
    "no_contact": "casework.view_contacts",
}


def _seen_by(viewer, permission: str, alert, within: str | None):
    """``alert`` (a boolean expression) where ``viewer`` holds ``permission`` for the row, else False.

    The permission's own database filter (``nwd.access``), so the answer is the policy's, row by
    row, restricted records included. No SQL at all when the role never holds it, or when its
    reach is the very one ``within`` (the permission the rows were already chosen by) has.
    """
    if viewer is None:
        return alert
    from nwd.access.policy import RULES, same_reach
    from nwd.access.relations import ALL, NOTHING

    if within is not None and same_reach(viewer, permission, within):
        return alert
    condition = RULES[permission].where(viewer)
    if condition is ALL:
        return alert
    if condition is NOTHING:
        return Value(False, output_field=BooleanField())
    return Case(When(condition, then=alert), default=Value(False), output_field=BooleanField())


def with_alerts(people: QuerySet, today: dt.date | None = None, viewer=None, within: str | None = None) -> QuerySet:
    """Annotate young people with what needs attention, in the same query that lists them.

    - ``alert_missing``: a missing episode with no return recorded;
    - ``alert_review``: the current plan's next review is due within a week, or past (``review_due``);
    - ``alert_overstay``: in a hub bed past the planned discharge date;
    - ``alert_no_contact``: no contact recorded in the last 14 days (``last_contact`` says when).

    With ``viewer`` (every page passes the user), an alert is raised only where the viewer may see
    the data it comes from (``ALERT_PERMISSIONS``), decided per row in the same query: a police
    liaison officer's lists and view show "Missing now" and nothing from plans, contacts or stays.
    ``within``: the permission ``people`` are already limited to for ``viewer`` (saves the SQL
    where an alert's permission reaches exactly as far).
    """
    today = today or dates.today()
    since = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=NO_CONTACT_DAYS), dt.time.min))
    latest_plan = Plan.objects.filter(young_person=OuterRef("pk")).order_by("-started", "-pk")
    last_contact = Contact.objects.filter(young_person=OuterRef("pk")).order_by("-at").values("at")[:1]
    open_stay = Stay.objects.filter(young_person=OuterRef("pk"), discharged__isnull=True)
    open_involvement = Involvement.objects.filter(young_person=OuterRef("pk"), end__isnull=True)
    key_worker = KeyWorkerAllocation.objects.filter(
        involvement__young_person=OuterRef("pk"), involvement__end__isnull=True, end__isnull=True
    )
    return people.annotate(
        review_due=Subquery(latest_plan.values("next_review_due")[:1], output_field=DateField()),
        last_contact=Subquery(last_contact, output_field=DateTimeField()),
        alert_missing=_seen_by(viewer, ALERT_PERMISSIONS["missing"], within=within, alert=Exists(
            MissingEpisode.objects.filter(young_person=OuterRef("pk"), ended_at__isnull=True))),
        alert_overstay=_seen_by(viewer, ALERT_PERMISSIONS["overstay"], within=within, alert=Exists(open_stay.filter(planned_discharge__lt=today))),
        alert_no_contact=_seen_by(viewer, ALERT_PERMISSIONS["no_contact"], within=within, alert=~Exists(
            Contact.objects.filter(young_person=OuterRef("pk"), at__gte=since))),
        support_type=Subquery(open_involvement.values("support_type")[:1], output_field=CharField()),
        hub_name=Subquery(open_involvement.values("hub__name")[:1], output_field=CharField()),
        bed_label=Subquery(open_stay.values("bed__label")[:1], output_field=CharField()),
        key_worker_first=Subquery(key_worker.values("key_worker__first_name")[:1], output_field=CharField()),
        key_worker_last=Subquery(key_worker.values("key_worker__last_name")[:1], output_field=CharField()),
    ).annotate(
        alert_review=_seen_by(viewer, ALERT_PERMISSIONS["review"], within=within, alert=Case(
            When(review_due__lte=today + dt.timedelta(days=REVIEW_DUE_SOON_DAYS), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )),
    )


def alerts_of(person, today: dt.date | None = None) -> list[Alert]:
    """The alerts of a young person annotated by ``with_alerts``, as words (no query)."""
    today = today or dates.today()
    alerts = []
    if person.alert_missing:
        alerts.append(Alert("missing", "Missing now", "red"))
    if person.alert_overstay:
        alerts.append(Alert("overstay", "Past planned discharge", "orange"))
    if person.alert_review:
        if person.review_due < today:
            alerts.append(Alert("review", f"Plan review overdue ({formats.date_format(person.review_due)})", "orange"))
        else:
            alerts.append(Alert("review", f"Plan review due {formats.date_format(person.review_due)}", "yellow"))
    if person.alert_no_contact:
        if person.last_contact is None:
            alerts.append(Alert("no_contact", "No contact recorded", "orange"))
        else:
            last = dates.as_date(person.last_contact)
            alerts.append(Alert("no_contact", f"No contact for {(today - last).days} days", "orange"))
    return alerts


def _alert_order():
    return (
        Case(When(alert_missing=True, then=Value(0)), default=Value(1), output_field=IntegerField()),
        Case(When(alert_overstay=True, then=Value(0)), When(alert_review=True, then=Value(0)),
             When(alert_no_contact=True, then=Value(0)), default=Value(1), output_field=IntegerField()),
        "family_name",
        "given_name",
    )


def _among(people: QuerySet, ids: QuerySet) -> QuerySet:
    """``people`` narrowed to the ids of a small subquery (a caseload, a hub's beds).

    Written as ``pk IN (subquery)`` rather than a correlated EXISTS so the database starts from the
    handful of ids and checks the (costlier) access scope on those rows only, instead of checking
    the scope for every young person the council holds.
    """
    return people.filter(pk__in=ids)


def my_young_people(key_worker, people: QuerySet | None = None, today: dt.date | None = None, viewer=None,
                    within: str | None = None) -> list:
    """The young people ``key_worker`` is the current key worker of, most urgent first, each with ``alerts``."""
    people = YoungPerson.objects.all() if people is None else people
    mine = KeyWorkerAllocation.objects.filter(involvement__end__isnull=True, end__isnull=True, key_worker=key_worker)
    rows = list(with_alerts(_among(people, mine.values("involvement__young_person")), today, viewer, within).order_by(*_alert_order()))
    for row in rows:
        row.alerts = alerts_of(row, today)
    return rows


def hub_young_people(hub, people: QuerySet | None = None, today: dt.date | None = None, in_bed_only: bool = False,
                     viewer=None, within: str | None = None) -> list:
    """Young people supported by ``hub`` now (or only those in its beds), with alerts: for hub staff."""
    people = YoungPerson.objects.all() if people is None else people
    if in_bed_only:
        here = Stay.objects.filter(discharged__isnull=True, bed__hub=hub).values("young_person")
    else:
        here = Involvement.objects.filter(end__isnull=True, hub=hub).values("young_person")
    rows = list(with_alerts(_among(people, here), today, viewer, within).order_by(*_alert_order()))
    for row in rows:
        row.alerts = alerts_of(row, today)
    return rows


def young_people_drawn_in_for(specialist, people: QuerySet | None = None, today: dt.date | None = None,
                              viewer=None, within: str | None = None) -> list:
    """The young people a specialist is currently drawn in for."""
    people = YoungPerson.objects.all() if people is None else people
    drawn = SpecialistInvolvement.objects.filter(specialist=specialist, end__isnull=True).values("young_person")
    rows = list(with_alerts(_among(people, drawn), today, viewer, within).order_by(*_alert_order()))
    for row in rows:
        row.alerts = alerts_of(row, today)
    return rows


def search_missing_now(people: QuerySet, today: dt.date | None = None, viewer=None,
                       within: str | None = None) -> list:
    """Young people in ``people`` with a missing episode open now: the police liaison officer's first list."""
    missing = MissingEpisode.objects.filter(young_person=OuterRef("pk"), ended_at__isnull=True)
    open_now = MissingEpisode.objects.filter(ended_at__isnull=True).values("young_person")
    rows = list(
        with_alerts(_among(people, open_now), today, viewer, within)
        .annotate(missing_since=Subquery(missing.order_by("started_at").values("started_at")[:1], output_field=DateTimeField()))
        .order_by("missing_since", "pk")
    )
    for row in rows:
        row.alerts = alerts_of(row, today)
    return rows


# --- The hub manager's home -------------------------------------------------------------------------


def referrals_waiting(referrals: QuerySet) -> QuerySet:
    """Referrals without a decision, the most urgent and the oldest first."""
    urgency = Case(
        When(urgency=Urgency.EMERGENCY, then=Value(0)),
        When(urgency=Urgency.URGENT, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return (
        referrals.exclude(status=ReferralStatus.CLOSED)
        .select_related("young_person")
        .annotate(urgency_rank=urgency)
        .order_by("urgency_rank", "received", "pk")
    )


def referrals_decided_awaiting_support(referrals: QuerySet) -> QuerySet:
    """Referrals decided for support whose young person has no involvement yet: a key worker is needed."""
    return (
        referrals.filter(status=ReferralStatus.CLOSED, decision__in=["outreach", "hub_stay", "emergency_bed"],
                         involvement__isnull=True)
        .exclude(Exists(Involvement.objects.filter(young_person=OuterRef("young_person"), end__isnull=True)))
        .select_related("young_person")
        .order_by("decision_date", "pk")
    )


def caseloads(hub) -> QuerySet:
    """Staff at ``hub`` who can hold a caseload, each with ``caseload``: their current young people."""
    from nwd.access.models import User

    return (
        User.objects.filter(hub=hub, role__in=KEY_WORKER_ROLES, is_active=True)
        .annotate(caseload=Count("allocations", filter=Q(allocations__end__isnull=True, allocations__involvement__end__isnull=True)))
        .order_by("last_name", "first_name")
    )


def caseloads_by_hub(hubs: QuerySet) -> list[tuple]:
    """(hub, staff with ``caseload``) for every hub in ``hubs``: two queries however many hubs."""
    from nwd.access.models import User

    hubs = list(hubs.order_by("name"))
    staff = (
        User.objects.filter(hub__in=hubs, role__in=KEY_WORKER_ROLES, is_active=True)
        .annotate(caseload=Count("allocations", filter=Q(allocations__end__isnull=True, allocations__involvement__end__isnull=True)))
        .order_by("last_name", "first_name")
    )
    by_hub: dict[int, list] = {hub.pk: [] for hub in hubs}
    for user in staff:
        by_hub[user.hub_id].append(user)
    return [(hub, by_hub[hub.pk]) for hub in hubs]


# --- The young person's page ------------------------------------------------------------------------


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
    person: YoungPerson
    involvement: Involvement | None
    allocation: KeyWorkerAllocation | None
    stay: Stay | None
    team: list[SpecialistInvolvement]
    plan: Plan | None
    plan_areas: list[PlanArea]
    timeline: timelines.Timeline
    counts: dict[str, int]

    @property
    def key_worker(self):
        return self.allocation.key_worker if self.allocation else None

    @property
    def key_worker_changes(self) -> int:
        return self.person.key_worker_changes

    @property
    def open_missing_id(self) -> int | None:
        return self.person.open_missing_id


SECTIONS = frozenset({"support", "team", "plan", "facts"})


def _person_query(kinds: Iterable[str], contacts: QuerySet | None = None) -> QuerySet:
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


def plan_areas(plan: Plan | None) -> list[PlanArea]:
    """The plan's goals grouped in the six portfolio areas, each with its latest progress (one query)."""
    areas = {key: PlanArea(key, str(label)) for key, label in PortfolioArea.choices}
    if plan is None:
        return list(areas.values())
    latest = GoalProgress.objects.filter(goal=OuterRef("pk")).order_by("-review__reviewed_on", "-review_id")
    goals = PlanGoal.objects.filter(plan=plan).annotate(
        latest_progress=Subquery(latest.values("progress")[:1], output_field=CharField()),
        latest_note=Subquery(latest.values("note")[:1], output_field=CharField()),
        latest_reviewed_on=Subquery(latest.values("review__reviewed_on")[:1], output_field=DateField()),
    ).order_by("area", "pk")
    labels = dict(GoalProgress._meta.get_field("progress").choices)
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
    people: QuerySet | None = None,
    contacts: QuerySet | None = None,
    shown: Iterable[str] | None = None,
    today: dt.date | None = None,
    viewer=None,
    within: str | None = None,
) -> YoungPersonPage:
    """Everything on the young person's page, in a fixed number of queries.

    ``kinds`` are the timeline kinds the user may see (each counted for the filter), ``shown`` those
    the timeline shows now (default: all of ``kinds``); ``sections`` the parts of the
    page the user may see (a police liaison officer sees no plan). Sections not asked for are not
    read at all. ``contacts`` is the scope of contact notes the user may read (a specialist reads
    only their own); ``viewer``, the user, decides which alerts are raised (``with_alerts``; ``within``:
    the permission the page was opened with). Raises YoungPerson.DoesNotExist when ``person_id`` is
    not in ``people``.
    """
    kinds = tuple(kinds)
    shown = kinds if shown is None else tuple(k for k in shown if k in kinds)
    sections = set(sections)
    people_query = with_alerts(_person_query(kinds, contacts), today, viewer, within)
    people = people_query if people is None else people_query.filter(pk__in=people.values("pk"))
    person = people.get(pk=person_id)
    person.alerts = alerts_of(person, today)
    involvement = allocation = stay = plan = None
    team: list[SpecialistInvolvement] = []
    if "support" in sections:
        involvement = (
            Involvement.objects.filter(young_person=person).select_related("hub", "referral")
            .order_by(Case(When(end__isnull=True, then=Value(0)), default=Value(1)), "-start").first()
        )
        allocation = (
            KeyWorkerAllocation.objects.filter(involvement__young_person=person, involvement__end__isnull=True, end__isnull=True)
            .select_related("key_worker").first()
        )
        stay = Stay.objects.filter(young_person=person, discharged__isnull=True).select_related("bed__hub").first()
    if "team" in sections:
        team = list(
            SpecialistInvolvement.objects.filter(young_person=person, end__isnull=True)
            .select_related("specialist").order_by("start", "pk")
        )
    if "plan" in sections:
        last_review = PlanReview.objects.filter(plan=OuterRef("pk")).order_by("-reviewed_on", "-pk")
        plan = (
            Plan.objects.filter(young_person=person)
            .annotate(last_reviewed_on=Subquery(last_review.values("reviewed_on")[:1], output_field=DateField()))
            .order_by("-started", "-pk").first()
        )
    areas = plan_areas(plan) if "plan" in sections else []
    counts = {key: getattr(person, f"count_{key}") for key in timelines.KIND_KEYS if key in kinds}
    return YoungPersonPage(
        person=person, involvement=involvement, allocation=allocation, stay=stay, team=team, plan=plan,
        plan_areas=areas, timeline=timelines.timeline(person.pk, shown, offset, limit, contacts), counts=counts,
    )


# --- Search -------------------------------------------------------------------------------------------

_DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d", "%d %m %Y", "%d %B %Y", "%d %b %Y")
SEARCH_LIMIT = 50


def parse_date(text: str) -> dt.date | None:
    text = " ".join(text.split())
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def search_condition(text: str) -> Q | None:
    """What a search for ``text`` matches, or None for an empty search.

    A date (27/03/2010, 2010-03-27, 27 March 2010) matches the date of birth; text with a digit
    matches the council child id (exactly, or its start) or the UPN; anything else matches every
    word against given, preferred and family names.
    """
    text = (text or "").strip()
    if not text:
        return None
    born = parse_date(text)
    if born is not None:
        return Q(date_of_birth=born)
    if re.search(r"\d", text):
        return Q(child_id__iexact=text) | Q(child_id__istartswith=text) | Q(upn__iexact=text)
    condition = Q()
    for word in text.split()[:4]:
        condition &= Q(given_name__icontains=word) | Q(family_name__icontains=word) | Q(preferred_name__icontains=word)
    return condition


def search_results(found: QuerySet, today: dt.date | None = None, viewer=None, within: str | None = None) -> list:
    """The first 50 of ``found`` (already matched and scoped) by name, each with alerts (two queries).

    Two steps: the ids in name order, then their alerts; in one query the database would work out
    the alerts of every match before sorting and cutting at 50.
    """
    # Ordered on lower(name): case-insensitive, and it stops SQLite walking the whole name index in
    # order (a random read per young person held) instead of sorting the few hundred matches.
    ids = list(
        found.order_by(Lower("family_name"), Lower("given_name"), "pk").values_list("pk", flat=True)[:SEARCH_LIMIT]
    )
    rows = sorted(with_alerts(YoungPerson.objects.filter(pk__in=ids), today, viewer, within), key=lambda row: ids.index(row.pk))
    for row in rows:
        row.alerts = alerts_of(row, today)
    return rows


def search_young_people(people: QuerySet, text: str, today: dt.date | None = None, viewer=None,
                        within: str | None = None) -> list:
    """Young people in ``people`` matching a name, a council child id or a date of birth (at most 50).

    For a large scope, filter by ``search_condition`` before applying the scope (as the search page
    does), so the database tests the cheap match before the access rules.
    """
    condition = search_condition(text)
    if condition is None:
        return []
    return search_results(people.filter(condition), today, viewer, within)


def who_may_be_named(person) -> QuerySet:
    """The users a restriction form offers to name: those named now, the team around the young person
    (key workers, staff at the hubs supporting them now, specialists drawn in) and every data
    protection officer and service manager. Anyone else is named by user name."""
    from django.contrib.auth import get_user_model

    open_hubs = person.involvements.filter(end__isnull=True).values("hub_id")
    team = (
        Q(restricted_records=person)
        | Q(hub_id__in=open_hubs, role__in=[Role.KEY_WORKER, Role.RESIDENTIAL_WORKER, Role.HUB_MANAGER,
                                            Role.PORTFOLIO_LEAD])
        | Q(allocations__involvement__young_person=person, allocations__end__isnull=True)
        | Q(specialist_involvements__young_person=person, specialist_involvements__end__isnull=True)
        | Q(role__in=[Role.DATA_PROTECTION_OFFICER, Role.SERVICE_MANAGER])
    )
    users = get_user_model().objects.filter(is_active=True)
    return users.filter(pk__in=users.filter(team).values("pk")).order_by("last_name", "first_name", "username")



# --- Referrals: possible matches at triage, and the young person as the referral named them ---------

MATCHED_ON = {0: "NHS number", 1: "unique pupil number", 2: "name and date of birth"}


def _match_terms(details: dict) -> list[tuple[int, Q]]:
    """(rank, condition) for each identifier ``details`` carry: the NHS number, the UPN (not one of
    the DfE's "no UPN" codes, which thousands of children share), the same names and date of birth."""
    from nwd.casework.models import UPN_UNKNOWN

    terms = []
    nhs = (details.get("nhs_number") or "").replace(" ", "")
    if nhs:
        spaced = f"{nhs[:3]} {nhs[3:6]} {nhs[6:]}"
        terms.append((0, Q(nhs_number__in=sorted({nhs, spaced, (details.get("nhs_number") or "").strip()}))))
    upn = (details.get("upn") or "").strip().upper()
    if upn and upn not in UPN_UNKNOWN:
        terms.append((1, Q(upn__iexact=upn)))
    given, family = (details.get("given_name") or "").strip(), (details.get("family_name") or "").strip()
    if given and family and details.get("date_of_birth"):
        terms.append((2, Q(given_name__iexact=given, family_name__iexact=family, date_of_birth=details["date_of_birth"])))
    return terms


def details_of(person) -> dict:
    """A young person's identifiers, as a referral gives them (for matching one record against others)."""
    return {
        "nhs_number": person.nhs_number, "upn": person.upn, "given_name": person.given_name,
        "family_name": person.family_name, "date_of_birth": person.date_of_birth,
    }


def possible_matches(details: dict, among: QuerySet) -> QuerySet:
    """Young people in ``among`` who clearly are the one ``details`` describe, the strongest match first.

    ``among`` is always a scope of the access policy (``nwd.access.scopes.visible_young_people``
    of the user who will see the answer): a match is only ever looked for where the user could
    have found the young person anyway, so identifiers cannot be used to look a child up.
    Each row has ``match_rank`` (0 NHS number, 1 UPN, 2 names and date of birth).
    """
    terms = _match_terms(details)
    if not terms:
        return among.none()
    condition = Q()
    for _, term in terms:
        condition |= term
    rank = Case(*[When(term, then=Value(r)) for r, term in terms], default=Value(9), output_field=IntegerField())
    return among.filter(condition).annotate(match_rank=rank).order_by("match_rank", "family_name", "given_name", "pk")


def referral_matches(referral, people: QuerySet, limit: int = 10) -> list:
    """Existing records (in ``people``, the triaging user's scope) that the referral's young person
    may be, each with ``matched_on`` in words: what the hub manager is offered to link at triage."""
    among = people.exclude(pk=referral.young_person_id)
    rows = list(possible_matches(details_of(referral.young_person), among)[:limit])
    for row in rows:
        row.matched_on = MATCHED_ON.get(row.match_rank, "")
    return rows


@dataclass(frozen=True)
class AsReferred:
    """The young person as a referral named them: what the referrer typed, not the record linked since."""

    given_name: str
    family_name: str
    preferred_name: str
    date_of_birth: dt.date | None

    @property
    def full_name(self) -> str:
        return f"{self.preferred_name or self.given_name} {self.family_name}".strip()


def name_referrals(referrals: list, identity_visible: set[int]) -> list:
    """Set ``referral.named`` on each referral: the identity its pages show.

    The young person's record where the viewer may see it (``identity_visible``: ids from
    ``nwd.access.scopes.visible_young_people``); otherwise the young person as the referral first
    named them (from the change history: the record it came with, as it was then). So a partner's
    pages show what the partner typed, never the existing record a hub manager linked it to.
    Two queries, only when some referral needs them.
    """
    hidden = [r for r in referrals if r.young_person_id not in identity_visible]
    for referral in referrals:
        referral.named = referral.young_person
    if not hidden:
        return referrals
    from nwd.casework.models import Referral

    first: dict[int, tuple[int, dt.datetime]] = {}
    for pk, person_id, when in (
        Referral.history.filter(id__in=[r.pk for r in hidden]).order_by("history_date", "history_id")
        .values_list("id", "young_person_id", "history_date")
    ):
        first.setdefault(pk, (person_id, when))
    wanted = {first.get(r.pk, (r.young_person_id, None))[0] for r in hidden}
    versions: dict[int, list] = {}
    for row in (
        YoungPerson.history.filter(id__in=wanted).order_by("history_date", "history_id")
        .values("id", "given_name", "family_name", "preferred_name", "date_of_birth", "history_date")
    ):
        versions.setdefault(row["id"], []).append(row)
    for referral in hidden:
        person_id, when = first.get(referral.pk, (referral.young_person_id, None))
        rows = versions.get(person_id, [])
        earlier = [row for row in rows if when is None or row["history_date"] <= when]
        row = (earlier or rows or [None])[-1 if earlier else 0]
        if row is not None:
            referral.named = AsReferred(row["given_name"], row["family_name"], row["preferred_name"], row["date_of_birth"])
        elif person_id != referral.young_person_id:
            referral.named = AsReferred("", "", "", None)  # linked since, and nothing kept of what was typed
    return referrals
