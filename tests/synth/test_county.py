"""The scale-1 county (the session fixture ``county``) keeps its invariants and looks like the council.

Sizes are checked against ranges from the domain notes, proportions against the figures the
generator is drawn with; every model's rules are run (``full_clean``) on a sample of each table,
so the generator and the model rules cannot drift apart.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from django.apps import apps
from django.db import models
from django.db.models import Count, Q

from nwd.access.models import User
from nwd.access.roles import SERVICE_ROLES
from nwd.care.models import AnnualOutcome, CareEpisode, CareLeaverOutcome, CarePeriod
from nwd.casework.models import Involvement, KeyWorkerAllocation, Referral, YoungPerson
from nwd.core.dates import age_on, birthday
from nwd.events.models import EETPeriod, MissingEpisode, PoliceContact
from nwd.hubs.models import Bed, Hub, Stay
from nwd.synth import params
from nwd.synth.writer import county_models
from tests.synth.invariants import (
    episode_problems,
    mix_at,
    oc2_problems,
    overlapping_stays,
    postcode_problems,
    upn_problems,
)

pytestmark = pytest.mark.django_db

# Planned dates may lie ahead; everything recorded as having happened may not.
PLANNED_FIELDS = {("hubs", "Stay", "planned_discharge"), ("casework", "Plan", "next_review_due"),
                  ("casework", "PlanGoal", "target_date"),
                  ("homes", "Action", "due"),  # a regulation 44 action's due date (issue 15)
                  ("worklist", "Task", "due"),  # a task raised by a clock is due when its clock says (issue 16)
                  # An inspector's grant runs in real time (the demo's inspector may sign in now), not the county's.
                  ("safeguarding", "InspectorGrant", "starts"), ("safeguarding", "InspectorGrant", "expires")}


def episodes_as_rows() -> tuple[list[dict], dict]:
    rows = list(CareEpisode.objects.values(
        "decom", "dec", "rne", "ls", "cin", "place", "place_provider", "rec", "reason_place_change", "pl_post",
        "home_post", "urn", person=models.F("young_person_id"), period_id_=models.F("period_id")))
    for row in rows:
        row["period"] = row.pop("period_id_")
    dobs = dict(YoungPerson.objects.filter(care_episodes__isnull=False).values_list("pk", "date_of_birth"))
    return rows, dobs


def test_summary_counts_what_is_in_the_database(county):
    assert county.counts["casework.YoungPerson"] == YoungPerson.objects.count()
    assert county.counts["care.CareEpisode"] == CareEpisode.objects.count()
    assert county.rows > 50_000


def test_hubs_beds_and_staff_are_the_councils(county):
    assert Hub.objects.count() == 2
    assert set(Hub.objects.values_list("locality", flat=True)) == {"Dereham", "Norwich"}
    for hub in Hub.objects.all():
        kinds = Counter(hub.beds.values_list("kind", flat=True))
        assert kinds == {"residential": 4, "emergency": 2}
    active = User.objects.filter(is_active=True)
    service = active.filter(role__in=SERVICE_ROLES).count()
    assert 18 <= service <= 30, service
    roles = set(active.values_list("role", flat=True))
    assert {"hub_manager", "key_worker", "residential_worker", "portfolio_lead", "life_coach", "communication_support",
            "police_liaison", "mental_health", "substance_misuse", "service_manager", "partner_referrer", "analyst",
            "dpo"} <= roles
    assert set(active.filter(role="partner_referrer").values_list("agency", flat=True)) == {"school", "police", "health"}
    usernames = list(User.objects.values_list("username", flat=True))
    assert len(usernames) == len(set(usernames))
    assert all("." in name for name in usernames)


def test_about_350_referrals_from_every_agency_in_plausible_proportions(county):
    assert 330 <= Referral.objects.count() <= 370
    sources = Counter(Referral.objects.values_list("source_agency", flat=True))
    assert set(sources) == set(params.SOURCE_AGENCIES)
    top = {source for source, _ in sources.most_common(3)}
    assert top == {"police", "school", "social_care"}, sources


def test_ages_at_referral_are_12_to_25_and_mostly_under_18(county):
    ages = [age_on(dob, received) for dob, received in
            Referral.objects.values_list("young_person__date_of_birth", "received")]
    assert min(ages) >= 12 and max(ages) <= 25
    assert sum(a <= 17 for a in ages) / len(ages) > 0.75


def test_every_closed_referral_has_a_next_step_and_a_few_wait(county):
    closed = Referral.objects.filter(status="closed")
    assert not closed.filter(Q(decision="") | Q(decision_date__isnull=True)).exists()
    handovers = closed.filter(decision="handover")
    assert not handovers.filter(handover_service="").exists()
    share = handovers.count() / closed.count()
    assert 0.08 <= share <= 0.18, share
    decisions = Counter(closed.values_list("decision", flat=True))
    assert decisions.most_common(1)[0][0] == "outreach"
    assert decisions["hub_stay"] and decisions["emergency_bed"]
    waiting = Referral.objects.exclude(status="closed")
    assert 1 <= waiting.count() <= 10
    assert not waiting.exclude(decision="").exists()


def test_each_open_involvement_has_exactly_one_key_worker(county):
    open_ones = Involvement.objects.filter(end__isnull=True).annotate(
        current=Count("allocations", filter=Q(allocations__end__isnull=True)))
    assert open_ones.exists()
    assert set(open_ones.values_list("current", flat=True)) == {1}
    assert not KeyWorkerAllocation.objects.filter(involvement__end__isnull=False, end__isnull=True).exists()
    hubs = Hub.objects.count()
    assert 25 * hubs <= open_ones.count() <= 55 * hubs  # domain: about 40 supported per hub at any time


def test_key_worker_changes_are_dated_with_reasons_and_few(county):
    changes = Counter(KeyWorkerAllocation.objects.exclude(reason="first").values_list("involvement", flat=True))
    involvements = Involvement.objects.count()
    assert KeyWorkerAllocation.objects.filter(reason="first").count() == involvements
    none_or_one = involvements - sum(1 for n in changes.values() if n > 1)
    assert none_or_one / involvements > 0.9
    assert KeyWorkerAllocation.objects.filter(reason="staff_left").exists()
    # A key worker who left has no allocation running past their leaving.
    for allocation in KeyWorkerAllocation.objects.filter(key_worker__is_active=False):
        assert allocation.end is not None


def test_no_overlapping_stays_and_some_beds_taken_at_as_of(county):
    stays = list(Stay.objects.values("admitted", "discharged", bed_=models.F("bed_id"),
                                     person=models.F("young_person_id")))
    for stay in stays:
        stay["bed"] = stay.pop("bed_")
    assert overlapping_stays(stays) == []
    occupied = Stay.objects.filter(discharged__isnull=True).count()
    assert 0 < occupied < Bed.objects.count()
    assert not Stay.objects.filter(discharged__isnull=True).exclude(destination="").exists()
    discharged = Stay.objects.filter(discharged__isnull=False)
    toward_family = discharged.filter(destination__in=["home", "family", "foster_care", "supported", "independent"])
    assert toward_family.count() / discharged.count() > 0.7
    emergency = [(s.discharged - s.admitted).days for s in discharged.filter(bed__kind="emergency")]
    residential = [(s.discharged - s.admitted).days for s in discharged.filter(bed__kind="residential")]
    assert sorted(emergency)[len(emergency) // 2] <= 7  # days
    assert sorted(residential)[len(residential) // 2] >= 21  # weeks


def test_looked_after_stays_are_care_episodes(county):
    """A stay of someone looked after (or who comes into care during it) is a K2/PR1 episode."""
    for stay in Stay.objects.all():
        periods = CarePeriod.objects.filter(Q(end__isnull=True) | Q(end__gt=stay.admitted),
                                            young_person=stay.young_person_id)
        if stay.discharged is not None:
            periods = periods.filter(start__lt=stay.discharged)
        episodes = CareEpisode.objects.filter(stay=stay)
        assert periods.exists() == episodes.exists(), stay
        for episode in episodes:
            assert (episode.place, episode.place_provider) == ("K2", "PR1")
            assert episode.decom >= stay.admitted
            assert stay.discharged is None or (episode.dec is not None and episode.dec <= stay.discharged)


def test_looked_after_children_at_as_of(county):
    as_of = county.as_of
    current = CareEpisode.objects.filter(dec__isnull=True, decom__lte=as_of)
    assert 1000 <= current.count() <= 1200, current.count()
    uasc = current.filter(young_person__uasc=True).count()
    assert 85 <= uasc <= 120, uasc
    ages = [age_on(dob, as_of) for dob in current.values_list("young_person__date_of_birth", flat=True)]
    assert min(ages) >= 0 and max(ages) <= 17


def test_placement_mix_at_as_of(county):
    rows, _ = episodes_as_rows()
    mix = mix_at(rows, county.as_of)
    for group, share in params.PLACEMENT_MIX.items():
        assert abs(mix.get(group, 0.0) - share) <= 0.03, (group, mix.get(group), share)


def test_flow_of_entries_exits_and_episodes(county):
    as_of = county.as_of
    year_ago = as_of - dt.timedelta(days=365)
    ten_years_ago = birthday(as_of, -10)
    entries = CarePeriod.objects.filter(start__gt=year_ago).count()
    exits = CarePeriod.objects.filter(end__gt=year_ago).count()
    assert 350 <= entries <= 560 and 350 <= exits <= 560, (entries, exits)
    assert CareEpisode.objects.filter(decom__lt=ten_years_ago + dt.timedelta(days=365)).exists()
    assert 8_000 <= CareEpisode.objects.count() <= 13_000


def test_episodes_are_903_shaped_and_their_codes_valid_in_each_year(county):
    rows, dobs = episodes_as_rows()
    problems = episode_problems(rows, dobs, county.as_of)
    assert problems == [], "\n".join(problems[:20])


def test_every_years_903_return_of_the_county_passes_the_checks(county):
    """The project's own exporter and checker (nwd.returns) find nothing in any year's return, not
    even a warning (the DfE's own rules are run on 2025-26 in tests/returns/test_dfe_rules.py)."""
    from nwd.returns.exporter import build_year, years_held

    years = years_held()
    assert len(years) >= 10
    for year in years:
        problems = build_year(year).problems
        assert problems == [], f"{year}: " + "; ".join(str(p) for p in problems[:5])


def test_postcodes_are_real_and_placements_where_the_dfe_expects_them(county):
    rows = list(CareEpisode.objects.values("decom", "place", "place_provider", "home_post", "pl_post",
                                           person=models.F("young_person_id"), uasc=models.F("young_person__uasc")))
    assert postcode_problems(rows) == []
    homes = YoungPerson.objects.exclude(uasc=True).values_list("home_postcode", flat=True)
    assert all(" " in home and len(home) <= 8 for home in homes)
    placed_out = CareEpisode.objects.filter(dec__isnull=True, in_area=False).count()
    assert placed_out > 50  # out of area still happens (fostering agencies, private homes, secure)


def test_unique_pupil_numbers_or_the_dfes_codes_for_none(county):
    people = list(YoungPerson.objects.values("child_id", "upn", "date_of_birth"))
    assert upn_problems(people, county.as_of) == []
    codes = Counter(p["upn"] for p in people if p["upn"].startswith("UN"))
    assert codes["UN1"] > 50 and codes["UN2"] > 5 and codes["UN5"] > 5, codes


def test_girls_in_care_are_asked_whether_they_are_mothers_and_a_few_are(county):
    """MOTHER is asked of every girl in care (False, or True with MC_DOB); not of boys. A mother's
    child was born while she was looked after, at 15 or over, by as-of."""
    in_care = YoungPerson.objects.filter(care_episodes__isnull=False).distinct()
    assert not in_care.filter(sex="2", mother__isnull=True).exists()
    assert not YoungPerson.objects.filter(sex="1", mother__isnull=False).exists()
    assert not YoungPerson.objects.filter(mother_child_dob__isnull=False).exclude(mother=True).exists()
    mothers = YoungPerson.objects.filter(mother=True)
    assert 5 <= mothers.count() <= 0.05 * in_care.filter(sex="2").count(), mothers.count()
    for mother in mothers:
        born = mother.mother_child_dob
        assert born is not None and born <= county.as_of and age_on(mother.date_of_birth, born) >= 15
        assert CareEpisode.objects.filter(Q(dec__isnull=True) | Q(dec__gt=born), young_person=mother,
                                          decom__lte=born).exists(), mother.child_id


def test_oc2_items_are_those_of_the_childs_age(county):
    rows = list(AnnualOutcome.objects.values(
        "collection_year", "sdq_score", "sdq_reason", "convicted", "health_check", "immunisations", "teeth_check",
        "health_assessment", "substance_misuse", "intervention_received", "intervention_offered",
        date_of_birth=models.F("young_person__date_of_birth")))
    assert oc2_problems(rows) == []


def test_oc3_is_for_care_leavers_around_their_17th_to_19th_birthdays(county):
    from nwd.codelists.codes import year_bounds

    for dob, year, left in CareLeaverOutcome.objects.annotate(left=models.Max("young_person__care_periods__end")).values_list(
            "young_person__date_of_birth", "collection_year", "left"):
        start, end = year_bounds(year)
        birthdays = [birthday(dob, age) for age in (17, 18, 19)]
        assert any(start <= b <= end and left is not None and left < b for b in birthdays), (dob, year, left)


def test_weekly_costs_are_heavy_tailed_for_residential(county):
    residential = CareEpisode.objects.filter(place="K2", place_provider__in=["PR4", "PR5"])
    assert residential.filter(weekly_cost__gt=10_000).exists()
    assert not CareEpisode.objects.filter(weekly_cost__lt=0).exists()
    out = residential.filter(dec__isnull=True)
    share_out = out.filter(in_area=False).count() / out.count()
    assert 0.15 <= share_out <= 0.6, share_out


def test_no_date_is_after_as_of(county):
    as_of = county.as_of
    from django.utils import timezone

    for model in county_models():
        for field in model._meta.concrete_fields:
            if not isinstance(field, models.DateField) or field.name == "created_at":
                continue
            if (model._meta.app_label, model.__name__, field.name) in PLANNED_FIELDS:
                continue
            latest = model._default_manager.aggregate(latest=models.Max(field.name))["latest"]
            if latest is None:
                continue
            if isinstance(latest, dt.datetime):
                latest = timezone.localtime(latest).date()
            assert latest <= as_of, f"{model.__name__}.{field.name}: {latest}"


def test_becoming_looked_after_within_18_months(county):
    """About 14% of referred young people (12-17) not looked after at referral are within 18 months."""
    as_of = county.as_of
    cutoff = as_of - dt.timedelta(days=548)
    outcomes = []
    for referral in Referral.objects.filter(received__lte=cutoff).select_related("young_person"):
        if not 12 <= referral.young_person.age_on(referral.received) <= 17:
            continue
        periods = CarePeriod.objects.filter(young_person=referral.young_person_id)
        if periods.filter(Q(end__isnull=True) | Q(end__gt=referral.received), start__lte=referral.received).exists():
            continue
        outcomes.append(periods.filter(start__gt=referral.received,
                                       start__lte=referral.received + dt.timedelta(days=548)).exists())
    share = sum(outcomes) / len(outcomes)
    assert 0.06 <= share <= 0.24, (share, len(outcomes))


def test_missing_episodes_and_arrests_fall_after_support_starts(county):
    """Domain: missing incidents halved (503 to 253 a year) and arrests fell by about 40%.

    Rates in the year before support against the year after (or as much of it as has passed, at
    least three months), over every involvement.
    """
    as_of = county.as_of
    year = dt.timedelta(days=365)
    counts = {"missing": [0, 0], "arrests": [0, 0]}
    days = [0, 0]
    for involvement in Involvement.objects.filter(start__lte=as_of - dt.timedelta(days=90)):
        start = involvement.start
        end = min(start + year, as_of + dt.timedelta(days=1))
        days[0] += 365
        days[1] += (end - start).days
        missing = MissingEpisode.objects.filter(young_person=involvement.young_person_id)
        arrests = PoliceContact.objects.filter(young_person=involvement.young_person_id, kind="arrest")
        for kind, events, field in (("missing", missing, "started_at__date"), ("arrests", arrests, "occurred_on")):
            counts[kind][0] += events.filter(**{f"{field}__gte": start - year, f"{field}__lt": start}).count()
            counts[kind][1] += events.filter(**{f"{field}__gte": start, f"{field}__lt": end}).count()
    rate = {kind: (after / days[1]) / (before / days[0]) for kind, (before, after) in counts.items()}
    assert counts["missing"][0] > 100 and counts["arrests"][0] > 50, counts
    assert 0.35 <= rate["missing"] <= 0.75, (counts, rate)
    assert rate["arrests"] < 0.95, (counts, rate)


def test_a_young_persons_missing_episodes_and_eet_periods_do_not_overlap(county):
    last: dict = {}
    for person, started, ended in MissingEpisode.objects.order_by("young_person", "started_at").values_list(
            "young_person", "started_at", "ended_at"):
        previous = last.get(person)
        assert previous is None or (previous is not dt.datetime.max and started > previous), person
        last[person] = ended or dt.datetime.max
    last = {}
    for person, start, end in EETPeriod.objects.order_by("young_person", "start").values_list(
            "young_person", "start", "end"):
        assert person not in last or (last[person] is not None and start > last[person]), person
        last[person] = end


def test_outcome_tables_cover_the_years(county):
    years = set(AnnualOutcome.objects.values_list("collection_year", flat=True))
    assert len(years) >= 9
    per_year = Counter(AnnualOutcome.objects.values_list("collection_year", flat=True))
    assert all(450 <= n <= 1000 for n in per_year.values()), per_year
    leavers = CareLeaverOutcome.objects.filter(in_touch="YES")
    in_eet = leavers.filter(activity__in=["F1", "P1", "F2", "P2", "F4", "P4"]).count() / leavers.count()
    assert 0.35 <= in_eet <= 0.65, in_eet  # domain: about half of care leavers in EET


def test_events_plans_and_contacts_are_there(county):
    for label in ("events.MissingEpisode", "events.PoliceContact", "events.HealthEvent", "events.ExploitationConcern",
                  "events.SubstanceUseAssessment", "events.EETPeriod", "casework.Plan", "casework.PlanGoal",
                  "casework.PlanReview", "casework.GoalProgress", "casework.Contact", "casework.SpecialistInvolvement",
                  "care.CareReview", "care.Provider"):
        assert county.counts.get(label, 0) > 0, label
    assert set(apps.get_model("casework", "PlanGoal").objects.values_list("area", flat=True)) == {
        "safety", "relationships", "accommodation", "eet", "resilience", "emotional_health"}


@pytest.mark.parametrize("model", county_models(), ids=lambda m: m._meta.label)
def test_a_sample_of_every_table_passes_its_model_rules(county, model):
    """full_clean() on 200 rows of each table, spread over the table: the generator keeps the rules."""
    queryset = model._default_manager.order_by("pk")
    total = queryset.count()
    if not total:
        pytest.skip(f"no {model._meta.verbose_name_plural} in the county")
    step = max(1, total // 200)
    pks = list(queryset.values_list("pk", flat=True)[::step][:200])
    for record in model._default_manager.filter(pk__in=pks):
        record.full_clean()


def test_the_staff_accounts_pass_their_rules_and_cannot_sign_in(county):
    for user in User.objects.all():
        user.full_clean()
        assert not user.has_usable_password()
