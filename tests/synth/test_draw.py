"""The county drawn in memory (no database): deterministic, and its invariants hold for other seeds,
scales and as-of dates than the scale-1 county the other tests load."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib

import pytest

from nwd.synth.county import draw
from nwd.synth.placements import LAST_OLD_CODE_DAY
from nwd.synth.timeline import NEVER, day
from tests.synth.invariants import episode_problems, overlapping_stays, postcode_problems, upn_problems

AS_OF = dt.date(2025, 10, 31)


def fingerprint(plan) -> str:
    """A digest of everything drawn that ends up in a row."""
    digest = hashlib.sha256()
    for rows in (plan.staffing.staff, plan.providers.rows, plan.people.rows, plan.child_ids, plan.journeys.referrals,
                 plan.journeys.involvements, plan.journeys.allocations, plan.journeys.specialists, plan.beds.stays,
                 plan.care.periods, plan.episodes, plan.reviews, plan.annual_outcomes, plan.leaver_outcomes,
                 plan.casework.plans, plan.casework.goals, plan.casework.reviews, plan.casework.progress,
                 plan.casework.contacts, plan.events.missing, plan.events.dated, plan.events.eet):
        for row in rows:
            value = dataclasses.astuple(row) if dataclasses.is_dataclass(row) else row
            digest.update(repr(value).encode())
    return digest.hexdigest()


def rows_of(plan) -> tuple[list[dict], dict]:
    rows = []
    for e in plan.episodes:
        rows.append({
            "person": e.person, "period": e.period, "decom": day(e.decom),
            "dec": None if e.dec is None else day(e.dec), "rne": e.rne, "ls": e.ls, "cin": e.cin, "place": e.place,
            "place_provider": e.place_provider, "rec": e.rec, "reason_place_change": e.reason_place_change,
            "home_post": e.home_post, "pl_post": e.pl_post, "uasc": plan.people.rows[e.person].uasc,
        })
    dobs = {p.index: day(p.dob) for p in plan.people.rows}
    return rows, dobs


def test_the_same_seed_draws_the_same_county():
    first = draw(0.2, 7, AS_OF, {})
    second = draw(0.2, 7, AS_OF, {})
    assert fingerprint(first) == fingerprint(second)


def test_another_seed_or_as_of_draws_another():
    base = fingerprint(draw(0.2, 7, AS_OF, {}))
    assert fingerprint(draw(0.2, 8, AS_OF, {})) != base
    assert fingerprint(draw(0.2, 7, AS_OF - dt.timedelta(days=1), {})) != base


@pytest.mark.parametrize(("scale", "seed", "as_of"), [
    (0.2, 1, dt.date(2022, 6, 30)),  # before K3 existed: supported accommodation is H5
    (0.3, 2, dt.date(2025, 3, 31)),  # the last day of H5, P2 and Z1
    (0.5, 3, dt.date(2025, 4, 1)),  # the first day of Z11-Z14
    (0.2, 4, AS_OF),
])
def test_invariants_hold_for_other_seeds_scales_and_dates(scale, seed, as_of):
    plan = draw(scale, seed, as_of, {})
    rows, dobs = rows_of(plan)
    assert episode_problems(rows, dobs, as_of) == []
    assert postcode_problems(rows) == []
    people = [{"child_id": plan.child_ids[p.index], "upn": p.upn, "date_of_birth": day(p.dob)} for p in plan.people.rows]
    assert upn_problems(people, as_of) == []
    stays = [{"bed": s.bed, "person": s.person, "admitted": s.admitted,
              "discharged": None if s.discharged == NEVER else s.discharged} for s in plan.beds.stays]
    assert overlapping_stays(stays) == []
    end = as_of.toordinal()
    for referral in plan.journeys.referrals:
        assert referral.received <= end
        assert referral.status != "closed" or (referral.decision and referral.decision_date <= end)
        assert referral.decision != "handover" or referral.handover_service
    current: dict[int, int] = {}
    for allocation in plan.journeys.allocations:
        if allocation.end == NEVER:
            current[allocation.involvement] = current.get(allocation.involvement, 0) + 1
    open_involvements = {i.index for i in plan.journeys.involvements if i.end == NEVER}
    assert set(current) == open_involvements and set(current.values()) <= {1}
    if end <= LAST_OLD_CODE_DAY:
        assert not any(r["place"] in {"Z11", "Z12", "Z13", "Z14"} for r in rows)


def test_a_small_scale_still_has_a_hub_and_everyone_in_it():
    plan = draw(0.2, 5, AS_OF, {})
    assert len(plan.staffing.hubs) == 1
    roles = {s.role for s in plan.staffing.staff}
    assert {"hub_manager", "key_worker", "life_coach", "service_manager", "partner_referrer", "analyst", "dpo"} <= roles
    assert 60 <= len(plan.journeys.referrals) <= 80
    looked_after = sum(p.is_open for p in plan.care.periods)
    assert 200 <= looked_after <= 240
