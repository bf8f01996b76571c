"""``generate()``: draw the whole county in memory, then write it in one transaction.

Drawing and writing are apart so that the county is decided before the database is touched (the
same seed, scale and as-of give the same county, whichever database it goes to), and a failure
half way leaves nothing behind. Each stage draws from its own random stream, derived from the seed,
so that a change in one stage does not reshuffle the others.
"""

from __future__ import annotations

import datetime as dt
import gc
import sys
import time
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import numpy as np
from django.db import transaction
from tqdm import tqdm

from nwd.access.models import User
from nwd.care.models import AnnualOutcome, CareEpisode, CareLeaverOutcome, CarePeriod, CareReview, Provider
from nwd.casework.choices import Sex
from nwd.casework.models import (
    Contact,
    GoalProgress,
    Involvement,
    KeyWorkerAllocation,
    Plan,
    PlanGoal,
    PlanReview,
    Referral,
    SpecialistInvolvement,
    YoungPerson,
)
from nwd.core import dates
from nwd.events.models import (
    EETPeriod,
    ExploitationConcern,
    HealthEvent,
    MissingEpisode,
    PoliceContact,
    SubstanceUseAssessment,
)
from nwd.hubs.models import Bed, Hub, Stay
from nwd.synth import childrens_homes, documents, homes, network, outcomes, places, provider_quality
from nwd.synth import episodes as episode_steps
from nwd.synth import leavers as care_leavers
from nwd.synth import worklist as county_worklist
from nwd.synth.care_history import CareHistory
from nwd.synth.casework_detail import Casework
from nwd.synth.events import Events
from nwd.synth.people import People
from nwd.synth.placements import PlacementMaker, Providers
from nwd.synth.service_journeys import ServiceJourneys
from nwd.synth.staff import Staffing
from nwd.synth.staff import build as build_staff
from nwd.synth.stays import Beds
from nwd.synth.timeline import Timeline, age_on, day, pick
from nwd.synth.writer import STAFF_EMAIL_DOMAIN, Writer, as_date, aware, county_exists, delete_county

STREAMS = {"names": 1, "staff": 2, "providers": 3, "people": 4, "care": 5, "journeys": 6, "stays": 7,
           "episodes": 8, "casework": 9, "events": 10, "reviews": 11, "restricted": 12, "placements": 13, "outcomes": 14}
STREAMS["provider quality"] = 18  # issue 18's step (nwd.synth.provider_quality): numbered apart from the rest
REVIEW_CODES = ("PN1", "PN2", "PN3", "PN4", "PN5", "PN6", "PN7")
REVIEW_CODE_SHARES = (0.55, 0.1, 0.03, 0.03, 0.08, 0.08, 0.13)


ALREADY_THERE = (
    "The database already holds casework records (young people, hubs, referrals, care history or the "
    "county's staff accounts): run with --replace to delete them and write a new county, or use an "
    "empty database."
)


class CountyExists(Exception):
    """The database already holds a county (or casework): refuse rather than mix two."""


@dataclass
class Summary:
    """What ``generate`` wrote: rows per table, seconds per stage, and the inputs that decide it."""

    scale: float
    seed: int
    as_of: dt.date
    counts: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    figures: dict[str, float] = field(default_factory=dict)

    @property
    def rows(self) -> int:
        return sum(self.counts.values())

    @property
    def total_seconds(self) -> float:
        return sum(self.seconds.values())

    def lines(self) -> list[str]:
        out = [f"Synthetic county: scale {self.scale:g}, seed {self.seed}, as at {self.as_of:%d/%m/%Y}"]
        width = max((len(k) for k in self.counts), default=10)
        for label, count in self.counts.items():
            out.append(f"  {label:<{width}}  {count:>9,}")
        out.append(f"  {'rows written':<{width}}  {self.rows:>9,}")
        out.append("Seconds per stage: " + ", ".join(f"{k} {v:.1f}" for k, v in self.seconds.items()))
        out.append(f"Total: {self.total_seconds:.1f} s")
        return out


@dataclass
class CountyPlan:
    """Everything drawn, before anything is written."""

    timeline: Timeline
    staffing: Staffing
    providers: Providers
    people: People
    care: CareHistory
    maker: PlacementMaker
    journeys: ServiceJourneys
    beds: Beds
    episodes: list
    casework: Casework
    events: Events
    reviews: list[tuple[int, int, str]]
    annual_outcomes: list
    leaver_outcomes: list
    restricted: dict[int, list[int]]
    child_ids: list[str]


def _stream(seed: int, name: str) -> np.random.Generator:
    return np.random.default_rng([int(seed) % 2**32, STREAMS[name]])


def draw(scale: float, seed: int, as_of: dt.date, seconds: dict[str, float], progress: bool = False) -> CountyPlan:
    """Draw the whole county in memory (no database access).

    The cyclic garbage collector is paused meanwhile: the plans are millions of small objects
    without cycles, and collecting them again and again as they grow costs a fifth of the time.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _draw(scale, seed, as_of, seconds, progress)
    finally:
        if collecting:
            gc.enable()


def _draw(scale: float, seed: int, as_of: dt.date, seconds: dict[str, float], progress: bool) -> CountyPlan:
    timeline = Timeline(as_of)
    stages = tqdm(total=7, desc="drawing the county", disable=not progress, leave=False, file=sys.stderr)

    def stage(name: str, started: float) -> float:
        now = time.perf_counter()
        seconds[name] = seconds.get(name, 0.0) + now - started
        stages.update(1)
        return now

    t = time.perf_counter()
    book = places.NameBook(_stream(seed, "names"))
    staffing = build_staff(scale, _stream(seed, "staff"), timeline, book)
    providers = Providers(scale, _stream(seed, "providers"), book)
    for hub in staffing.hubs:
        providers.add_hub(hub.index, hub.name, hub.urn, hub.postcode)
    t = stage("staff and providers", t)
    people = People(_stream(seed, "people"), len(staffing.hubs), timeline.end)
    maker = PlacementMaker(providers, _stream(seed, "placements"), timeline.end)
    care = CareHistory(timeline, _stream(seed, "care"), people, maker, scale)
    care.generate()
    t = stage("care history", t)
    journeys = ServiceJourneys(timeline, _stream(seed, "journeys"), scale, staffing, people, care)
    journeys.generate()
    t = stage("service journeys", t)
    beds = Beds(timeline, _stream(seed, "stays"), staffing, journeys, care, maker)
    beds.allocate()
    beds.splice_into_care()
    t = stage("hub stays", t)
    rng = _stream(seed, "episodes")
    episode_steps.rebalance(care, maker, timeline, rng)
    episode_steps.fix_code_years(care, maker, timeline)
    episode_steps.fix_temporaries(care, maker)
    episode_steps.fix_adoption_carers(care, maker)
    episode_steps.fix_postcodes(care, maker)
    episodes = episode_steps.cut(care, maker, rng)
    reviews = _care_reviews(care, timeline, _stream(seed, "reviews"))
    outcome_rng = _stream(seed, "outcomes")
    annual_outcomes = outcomes.annual(care, timeline, outcome_rng)
    outcomes.mothers(care, episodes, timeline, outcome_rng)
    leaver_outcomes = outcomes.leavers(care, episodes, timeline, outcome_rng)
    t = stage("care episodes", t)
    casework = Casework(timeline, _stream(seed, "casework"), staffing, journeys, beds.stays)
    casework.generate()
    t = stage("casework", t)
    events = Events(timeline, _stream(seed, "events"), journeys, care)
    events.generate()
    restricted = _restricted(journeys, staffing, _stream(seed, "restricted"))
    child_ids = people.child_ids()
    stage("events", t)
    stages.close()
    return CountyPlan(timeline, staffing, providers, people, care, maker, journeys, beds, episodes, casework, events,
                      reviews, annual_outcomes, leaver_outcomes, restricted, child_ids)


def _care_reviews(care: CareHistory, timeline: Timeline, rng: np.random.Generator) -> list[tuple[int, int, str]]:
    """Looked-after children's reviews (the 903 Reviews table): within 20 working days of coming into
    care, three months later, then every six months, from the start of the history."""
    out = []
    people = care.people.rows
    for period in care.periods:
        end = min(period.end, timeline.end + 1)
        on = period.start + 28
        step = 0
        while on < end:
            if on >= timeline.history_start:
                jitter = int(rng.integers(-3, 4)) if step else 0
                held = max(period.start, min(on + jitter, end - 1, timeline.end))
                code = "PN0" if age_on(people[period.person].dob, held) < 4 else REVIEW_CODES[
                    pick(rng, REVIEW_CODE_SHARES)]
                out.append((period.person, held, code))
            on += 91 if step == 0 else 182
            step += 1
    return out


def _restricted(journeys: ServiceJourneys, staffing: Staffing, rng: np.random.Generator) -> dict[int, list[int]]:
    """About one in a hundred of the service's young people have a restricted record (a relative on
    the staff, a risk to their safety): only their key workers, hub manager and service manager may open it."""
    chosen: dict[int, list[int]] = {}
    involved = sorted({i.person for i in journeys.involvements})
    n = max(1, round(len(involved) / 100))
    for person in rng.choice(involved, size=min(n, len(involved)), replace=False):
        person = int(person)
        staff: set[int] = set()
        for involvement in journeys.involvements:
            if involvement.person == person:
                staff.update(a.staff for a in journeys.allocations_of.get(involvement.index, ()))
                staff.update(s.index for s in staffing.staff if s.hub == involvement.hub and s.role == "hub_manager")
                staff.update(staffing.serving[involvement.hub].get("service_manager", []))
        journeys.people.rows[person].restricted = True
        chosen[person] = sorted(staff)
    return chosen


def generate(scale: float = 1.0, seed: int = 2021, as_of: dt.date | None = None, progress: bool = True,
             replace: bool = False) -> Summary:
    """Write a synthetic county into the database and say what was written.

    ``scale`` multiplies hubs, beds, staff and young people (1 is the council in docs/domain; 0.2
    is a quick one for tests); ``seed`` decides every draw; ``as_of`` (default today) is the last
    day anything is dated. Refuses (CountyExists) when the database already has casework, unless
    ``replace``, which deletes the existing county first, in the same transaction.
    """
    today = dates.today()
    as_of = as_of or today
    if as_of > today:
        raise ValueError(f"The as-of date {as_of:%d/%m/%Y} is in the future: the county would hold future dates.")
    if not scale > 0:
        raise ValueError("The scale must be more than 0 (1 is the council in the domain notes).")
    if not replace and county_exists():  # say so before spending time drawing
        raise CountyExists(ALREADY_THERE)
    summary = Summary(scale=scale, seed=seed, as_of=as_of)
    plan = draw(scale, seed, as_of, summary.seconds, progress=progress and sys.stderr.isatty())
    # The plan is read, never changed, from here on: keep the garbage collector from walking its
    # millions of objects again and again while the model instances come and go.
    gc.freeze()
    try:
        with transaction.atomic():
            if county_exists():
                if not replace:
                    raise CountyExists(ALREADY_THERE)
                started = time.perf_counter()
                delete_county()
                summary.seconds["delete old county"] = time.perf_counter() - started
            started = time.perf_counter()
            writer = Writer(progress)
            write_plan(plan, writer)
            summary.seconds["write"] = time.perf_counter() - started
            # Provider quality (issue 18): a step of its own, from its own stream, after everything else.
            started = time.perf_counter()
            quality = provider_quality.write(plan.providers.rows, _stream(seed, "provider quality"), as_of)
            summary.seconds["provider quality"] = time.perf_counter() - started
    finally:
        gc.unfreeze()
    summary.counts = writer.counts
    for label, written in quality.items():
        summary.counts[label] = summary.counts.get(label, 0) + written
    summary.figures = {f"write {label}": round(s, 2) for label, s in writer.seconds.items()}
    return summary


def write_plan(plan: CountyPlan, writer: Writer) -> None:
    """Write the planned county, table by table, in the order the foreign keys need: each step
    returns or reads the database ids (``Keys``) of what it wrote by the plan's indexes."""
    keys = _write_people_and_staff(plan, writer)
    _write_journeys(plan, writer, keys)
    _write_care(plan, writer, keys)
    _write_casework(plan, writer, keys)
    _write_events(plan, writer, keys)
    # Care leavers (issue 17): derived from the care history just written; a stream of its own.
    care_leavers.write(plan.timeline.as_of, writer, np.random.default_rng([len(plan.child_ids), 17]))
    # The people around the young people, and a few recorded twice (issue 16); a stream of its own.
    network.write(plan.timeline.as_of, writer, np.random.default_rng([len(plan.child_ids), 16]),
                  len(plan.staffing.hubs) / 4)
    # The hubs' children's home records (issue 15): read from the hubs and stays just written; its own stream.
    homes.write(plan.timeline.as_of, writer, np.random.default_rng([len(plan.child_ids), 15]))
    # The hubs as children's homes (issue 15): from the stays and events just written; a stream of its own.
    childrens_homes.write(plan.timeline.as_of, writer, np.random.default_rng([len(plan.child_ids), 15]))
    # Tasks, meetings and notifications (issue 16): what the clocks find due, and a stream of its own.
    # After the children's home records: the homes' and safeguarding's clocks read them.
    county_worklist.write(plan.timeline.as_of, writer, np.random.default_rng([len(plan.child_ids), 16]))
    # Documents and chronology choices (issue 16): a few, files through storage; a stream of their own.
    documents.write(plan.timeline.as_of, writer, np.random.default_rng([len(plan.child_ids), 16]))


@dataclass
class Keys:
    """The database id of each record written so far, by its index in the plan."""

    hub: list[int]
    bed: list[int]
    user: list[int]
    provider: list[int]
    person: list[int]
    referral: list[int] = field(default_factory=list)
    involvement: list[int] = field(default_factory=list)
    stay: list[int] = field(default_factory=list)

    def user_or_none(self, index: int | None) -> int | None:
        return None if index is None else self.user[index]

    def involvement_or_none(self, index: int | None) -> int | None:
        return None if index is None else self.involvement[index]


def _write_people_and_staff(plan: CountyPlan, writer: Writer) -> Keys:
    tl, staffing = plan.timeline, plan.staffing
    go_live = day(tl.go_live)
    hub_pk = writer.write(Hub, staffing.hubs, lambda h: Hub(
        name=h.name, code=h.code, locality=h.locality, ofsted_urn=h.urn, opened=go_live), len(staffing.hubs), True)
    bed_pk = writer.write(Bed, staffing.beds, lambda b: Bed(hub_id=hub_pk[b.hub], label=b.label, kind=b.kind),
                          len(staffing.beds), True)
    user_pk = writer.write(User, staffing.staff, lambda s: User(
        username=s.username, first_name=s.first_name, last_name=s.last_name,
        email=f"{s.username}@{STAFF_EMAIL_DOMAIN}", role=s.role, job_title=s.job_title,
        hub_id=None if s.hub is None else hub_pk[s.hub], agency=s.agency, organisation=s.organisation,
        portfolio_area=s.portfolio_area, is_active=s.is_active, password=s.password,
        date_joined=aware(s.joined, 9 * 60)), len(staffing.staff), True)
    provider_pk = writer.write(Provider, plan.providers.rows, lambda p: Provider(
        name=p.name, place_provider=p.code, urn=p.urn, in_area=p.in_area, regulated=p.regulated),
        len(plan.providers.rows), True)
    people = plan.people.rows
    person_pk = writer.write(YoungPerson, people, lambda p: YoungPerson(
        child_id=plan.child_ids[p.index], given_name=p.given_name, family_name=p.family_name,
        preferred_name=p.preferred_name, upn=p.upn, nhs_number=p.nhs_number, date_of_birth=day(p.dob),
        sex=Sex.MALE if p.sex == "M" else Sex.FEMALE, gender=p.gender, ethnicity=p.ethnicity, disability=p.disability,
        uasc=p.uasc, uasc_ceased=as_date(p.uasc_ceased), mother=p.mother, mother_child_dob=as_date(p.mother_child_dob),
        home_postcode=p.home_post, restricted=p.restricted),
        len(people), True)
    through = YoungPerson.restricted_to.through
    pairs = [(person, member) for person, staff in plan.restricted.items() for member in staff]
    writer.write(through, pairs, lambda pair: through(youngperson_id=person_pk[pair[0]], user_id=user_pk[pair[1]]),
                 len(pairs))
    return Keys(hub=hub_pk, bed=bed_pk, user=user_pk, provider=provider_pk, person=person_pk)


def _write_journeys(plan: CountyPlan, writer: Writer, keys: Keys) -> None:
    """Referrals, involvements, key workers, specialists and hub stays (ids kept in ``keys``)."""
    journeys, person_pk, user_pk, user = plan.journeys, keys.person, keys.user, keys.user_or_none
    referral_pk = writer.write(Referral, journeys.referrals, lambda r: Referral(
        young_person_id=person_pk[r.person], source_agency=r.source, referrer_name=r.referrer_name,
        referrer_organisation=r.referrer_organisation, referrer_contact=r.referrer_contact,
        submitted_by_id=user(r.submitted_by), received=day(r.received), reason=r.reason, urgency=r.urgency,
        status=r.status, decision=r.decision, decision_date=as_date(r.decision_date), decided_by_id=user(r.decided_by),
        handover_service=r.handover_service, decision_notes=r.decision_notes,
        recorded_by_id=user(r.decided_by if r.decided_by is not None else r.submitted_by)),
        len(journeys.referrals), True)
    involvement_pk = writer.write(Involvement, journeys.involvements, lambda i: Involvement(
        young_person_id=person_pk[i.person], referral_id=referral_pk[i.referral], hub_id=keys.hub[i.hub],
        support_type=i.support_type, start=day(i.start), end=as_date(i.end), end_reason=i.end_reason),
        len(journeys.involvements), True)
    writer.write(KeyWorkerAllocation, journeys.allocations, lambda a: KeyWorkerAllocation(
        involvement_id=involvement_pk[a.involvement], key_worker_id=user_pk[a.staff], start=day(a.start),
        end=as_date(a.end), reason=a.reason, note=a.note), len(journeys.allocations))
    writer.write(SpecialistInvolvement, journeys.specialists, lambda s: SpecialistInvolvement(
        young_person_id=person_pk[s.person], involvement_id=involvement_pk[s.involvement],
        specialist_id=user_pk[s.staff], drawn_in_by_id=user(s.drawn_in_by), start=day(s.start), end=as_date(s.end),
        reason=s.reason, recorded_by_id=user(s.drawn_in_by)), len(journeys.specialists))
    stays = plan.beds.stays
    stay_pk = writer.write(Stay, stays, lambda s: Stay(
        bed_id=keys.bed[s.bed], young_person_id=person_pk[s.person], involvement_id=involvement_pk[s.involvement],
        admitted=day(s.admitted), planned_discharge=day(s.planned_discharge), discharged=as_date(s.discharged),
        destination=s.destination, planned=s.planned), len(stays), True)
    keys.referral, keys.involvement, keys.stay = referral_pk, involvement_pk, stay_pk


def _write_care(plan: CountyPlan, writer: Writer, keys: Keys) -> None:
    """Periods of care, their SSDA903 episodes, reviews and the yearly outcome tables."""
    person_pk, provider_pk, stay_pk = keys.person, keys.provider, keys.stay
    periods = plan.care.periods
    period_pk = writer.write(CarePeriod, periods, lambda p: CarePeriod(
        young_person_id=person_pk[p.person], start=day(p.start), end=as_date(p.end)), len(periods), True)
    writer.write(CareEpisode, plan.episodes, lambda e: CareEpisode(
        young_person_id=person_pk[e.person], period_id=period_pk[e.period], decom=day(e.decom), dec=as_date(e.dec),
        rne=e.rne, ls=e.ls, cin=e.cin, place=e.place, place_provider=e.place_provider, rec=e.rec,
        reason_place_change=e.reason_place_change, home_post=e.home_post, pl_post=e.pl_post, urn=e.urn,
        provider_id=None if e.provider is None else provider_pk[e.provider], in_area=e.in_area,
        regulated=e.regulated, weekly_cost=None if e.weekly_cost is None else Decimal(f"{e.weekly_cost:.2f}"),
        stay_id=None if e.stay is None else stay_pk[e.stay]), len(plan.episodes))
    writer.write(CareReview, plan.reviews, lambda r: CareReview(
        young_person_id=person_pk[r[0]], review_date=day(r[1]), review_code=r[2]), len(plan.reviews))
    writer.write(AnnualOutcome, plan.annual_outcomes, lambda o: AnnualOutcome(
        young_person_id=person_pk[o.person], collection_year=o.collection_year, sdq_score=o.sdq_score,
        sdq_reason=o.sdq_reason, convicted=o.convicted, health_check=o.health_check, immunisations=o.immunisations,
        teeth_check=o.teeth_check, health_assessment=o.health_assessment, substance_misuse=o.substance_misuse,
        intervention_received=o.intervention_received, intervention_offered=o.intervention_offered),
        len(plan.annual_outcomes))
    writer.write(CareLeaverOutcome, plan.leaver_outcomes, lambda o: CareLeaverOutcome(
        young_person_id=person_pk[o.person], collection_year=o.collection_year, in_touch=o.in_touch,
        activity=o.activity, accommodation=o.accommodation), len(plan.leaver_outcomes))


def _write_casework(plan: CountyPlan, writer: Writer, keys: Keys) -> None:
    """Plans with their goals, reviews and progress, and contact notes."""
    casework, person_pk, user_pk, involvement_pk = plan.casework, keys.person, keys.user, keys.involvement
    plan_pk = writer.write(Plan, casework.plans, lambda p: Plan(
        young_person_id=person_pk[p.person], involvement_id=involvement_pk[p.involvement], started=day(p.started),
        next_review_due=as_date(p.next_review_due)), len(casework.plans), True)
    goal_pk = writer.write(PlanGoal, casework.goals, lambda g: PlanGoal(
        plan_id=plan_pk[g.plan], area=g.area, description=g.description, target_date=day(g.target_date)),
        len(casework.goals), True)
    review_pk = writer.write(PlanReview, casework.reviews, lambda r: PlanReview(
        plan_id=plan_pk[r.plan], reviewed_on=day(r.reviewed_on), reviewed_by_id=user_pk[r.reviewed_by],
        summary=r.summary, recorded_by_id=user_pk[r.reviewed_by]), len(casework.reviews), True)
    writer.write(GoalProgress, casework.progress, lambda g: GoalProgress(
        review_id=review_pk[g.review], goal_id=goal_pk[g.goal], progress=g.progress), len(casework.progress))
    writer.write(Contact, casework.contacts, lambda c: Contact(
        young_person_id=person_pk[c.person], involvement_id=involvement_pk[c.involvement], at=aware(c.day, c.minutes),
        kind=c.kind, contact_with=c.contact_with, staff_id=user_pk[c.staff], summary=c.summary,
        recorded_by_id=user_pk[c.staff]), len(casework.contacts))


def _write_events(plan: CountyPlan, writer: Writer, keys: Keys) -> None:
    """Missing episodes, police contacts, health events, exploitation, substance use and EET."""
    events, person_pk, involvement = plan.events, keys.person, keys.involvement_or_none
    writer.write(MissingEpisode, events.missing, lambda m: MissingEpisode(
        young_person_id=person_pk[m.person], involvement_id=involvement(m.involvement), kind=m.kind,
        started_at=aware(m.start_day, m.start_minutes),
        ended_at=None if m.hours is None else aware(m.start_day, m.start_minutes) + dt.timedelta(hours=m.hours),
        reported_to_police=m.reported_to_police, return_interview_offered=m.offered,
        return_interview_accepted=m.accepted), len(events.missing))
    dated: dict[str, list[Any]] = {"police": [], "health": [], "exploitation": [], "substance": []}
    for row in events.dated:
        dated[row.model].append(row)
    writer.write(PoliceContact, dated["police"], lambda d: PoliceContact(
        young_person_id=person_pk[d.person], involvement_id=involvement(d.involvement), occurred_on=day(d.day),
        kind=d.kind), len(dated["police"]))
    writer.write(HealthEvent, dated["health"], lambda d: HealthEvent(
        young_person_id=person_pk[d.person], involvement_id=involvement(d.involvement), occurred_on=day(d.day),
        kind=d.kind), len(dated["health"]))
    writer.write(ExploitationConcern, dated["exploitation"], lambda d: ExploitationConcern(
        young_person_id=person_pk[d.person], involvement_id=involvement(d.involvement), raised_on=day(d.day),
        kind=d.kind, closed_on=as_date(d.closed)), len(dated["exploitation"]))
    writer.write(SubstanceUseAssessment, dated["substance"], lambda d: SubstanceUseAssessment(
        young_person_id=person_pk[d.person], involvement_id=involvement(d.involvement), assessed_on=day(d.day),
        level=d.kind, substances=d.substances), len(dated["substance"]))
    writer.write(EETPeriod, events.eet, lambda e: EETPeriod(
        young_person_id=person_pk[e.person], involvement_id=involvement(e.involvement), status=e.status,
        start=day(e.start), end=as_date(e.end), provider=e.provider), len(events.eet))


__all__ = ["CountyExists", "Summary", "draw", "generate"]
