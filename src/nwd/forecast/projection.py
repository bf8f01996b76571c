"""The projection: every draw at once, one time step at a time, with and without the service.

State: for each draw, the number of children by single year of age (0-17) and state (ten
placement groups and "supported at home"). Each step of ``step_days``:

1. Transitions. A child in state g at age a leaves it with probability q = 1 - exp(-hazard x step)
   and goes to destination h with probability Pi[band(a), g, h] (another group, home, elsewhere,
   or for "at home": into care or out of the service). Written as x += (x * q) @ (Pi - I), one
   batched matrix product per age band over all draws: the destinations are shared within a band,
   so the products are (draws x ages-in-band x 11) @ (draws x 11 x 13), which numpy hands to BLAS.
2. Birthdays at 18, exactly. For 17-year-olds the number whose 18th birthday falls in each coming
   step is carried in a ring of buckets (from real dates of birth for the starting population,
   uniformly for those who turn 17 or come into care at 17). Each step the bucket due leaves: care
   leavers if looked after, out of the service if supported at home. Its mix of states is that of
   all 17-year-olds that step (the only approximation; the timing is exact).
3. Younger children age by 1/52.18 of their age band each week (birthdays spread evenly).
4. Entrants by age and first placement; with the service, a share of those at its ages goes to
   "supported at home" instead.

Baseline and with-service differ only at the service's ages, so ages below it are computed once
and feed both; at its ages the two scenarios are one array with a leading axis of 2, so identical
parameters give bit-for-bit identical results (a service with no effect saves exactly nothing).
The draws are split between threads (numpy releases the GIL in its kernels).
"""

from __future__ import annotations

import math
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from nwd.forecast.parameters import Inputs
from nwd.forecast.states import (
    AT_HOME,
    DAYS_PER_YEAR,
    FAMILY_SETTINGS,
    N_AGES,
    N_COLUMNS,
    N_GROUPS,
    N_STATES,
    RETURNED_HOME,
    STEP_DOWN_FROM,
    band_of_age,
    split_bands,
)

CARE_LEAVER_YEARS = 3
RAMP_BLOCK_DAYS = 28  # the service's ramp-up is updated every four weeks
AGEING_BLOCK_DAYS = 28  # children below 17 move up an age in four-weekly batches


@dataclass(frozen=True)
class Plan:
    """The fixed shape of a projection: steps, years, which ages the service works with."""

    years: int
    step_days: float
    steps: int
    steps_per_year: float
    year_of_step: np.ndarray  # (steps,)
    year_end: np.ndarray  # (steps,) True at the last step of each year
    service_ages: tuple[int, int]
    bands: tuple[tuple[int, int], ...]
    go_live_offset_days: float  # go-live minus jump-off; negative if the service already runs
    buckets: int  # ring of weeks (steps) to the 18th birthday
    ageing_every: int  # steps between two moves of children below 17 to the next age

    @property
    def split(self) -> int:
        return self.service_ages[0]


def make_plan(
    years: int,
    step_days: float,
    bands: tuple[tuple[int, int], ...],
    service_ages: tuple[int, int],
    go_live_offset_days: float = 0.0,
) -> Plan:
    if service_ages[0] < 1:
        raise ValueError("the service's youngest age must be at least 1")
    per_year = DAYS_PER_YEAR / step_days
    steps = int(round(years * per_year))
    t = np.arange(steps)
    year_of_step = np.minimum((t * step_days // DAYS_PER_YEAR).astype(np.int64), years - 1)
    year_end = np.zeros(steps, dtype=bool)
    year_end[:-1] = year_of_step[1:] != year_of_step[:-1]
    year_end[-1] = True
    bands = split_bands(bands, service_ages[0])
    if service_ages[1] < N_AGES - 1:
        bands = split_bands(bands, service_ages[1] + 1)
    return Plan(
        years=years,
        step_days=float(step_days),
        steps=steps,
        steps_per_year=per_year,
        year_of_step=year_of_step,
        year_end=year_end,
        service_ages=service_ages,
        bands=bands,
        go_live_offset_days=float(go_live_offset_days),
        buckets=int(math.floor(per_year)) + 2,
        ageing_every=max(1, min(int(round(AGEING_BLOCK_DAYS / step_days)), int(math.floor(per_year)))),
    )


@dataclass(frozen=True)
class Start:
    """Who is where at the jump-off (the same in every draw)."""

    stock: np.ndarray  # (N_AGES, N_STATES)
    days_to_18: np.ndarray  # for each 17-year-old (looked after or at home)
    state_at_17: np.ndarray
    care_leaver_days_to_21: np.ndarray


@dataclass
class Trajectory:
    """What the projection records, per year (index 0 = year 1), scenario (0 baseline, 1 with
    the service) and draw."""

    population: np.ndarray  # (Y, 2, D, N_STATES) at the end of the year
    person_steps: np.ndarray  # (Y, 2, D, N_STATES) children x steps in the year (for costs)
    care_leavers: np.ndarray  # (Y, 2, D) at the end of the year
    care_leaver_steps: np.ndarray  # (Y, 2, D)
    entries: np.ndarray  # (Y, 2, D) into care: new entrants and from "at home"
    from_home: np.ndarray  # (Y, 2, D) into care from "at home"
    diverted: np.ndarray  # (Y, 2, D) would-be entrants supported at home instead
    returned_home: np.ndarray  # (Y, 2, D) left care: planned return home
    left_care: np.ndarray  # (Y, 2, D) left care: any other reason
    aged_out: np.ndarray  # (Y, 2, D) left care on the 18th birthday
    support_ended: np.ndarray  # (Y, 2, D) left "at home" without care (incl. at 18)
    looked_after_by_step: np.ndarray  # (steps, 2, D) children looked after at the end of each step
    start_looked_after: np.ndarray  # (2,)

    def looked_after(self) -> np.ndarray:
        """(Y, 2, D) children looked after at the end of each year."""
        return self.population[..., :N_GROUPS].sum(axis=-1)


# ----------------------------------------------------------------------------------------------
# Transition tensors


def full_hazards(inputs: Inputs) -> np.ndarray:
    """(D, N_AGES, N_STATES) hazard per day of leaving each state (at home: either way out)."""
    draws = inputs.draws
    hz = np.empty((draws, N_AGES, N_STATES))
    hz[..., :N_GROUPS] = inputs.rates.hazard
    hz[..., AT_HOME] = (inputs.home_to_care + inputs.home_ended)[:, None]
    return hz


def full_destinations(inputs: Inputs) -> np.ndarray:
    """(D, bands, N_STATES, N_COLUMNS) where a child leaving each state goes."""
    rates = inputs.rates
    draws, bands = rates.destination.shape[:2]
    out = np.zeros((draws, bands, N_STATES, N_COLUMNS))
    out[:, :, :N_GROUPS, :] = rates.destination
    total = inputs.home_to_care + inputs.home_ended
    to_care = np.divide(inputs.home_to_care, total, out=np.zeros_like(total), where=total > 0)
    out[:, :, AT_HOME, :N_GROUPS] = to_care[:, None, None] * rates.first
    out[:, :, AT_HOME, N_COLUMNS - 1] = 1.0 - to_care[:, None]
    return out


def transitions(
    hazard: np.ndarray, destination: np.ndarray, band_local: np.ndarray,
    step_down: np.ndarray, planned_returns: np.ndarray, step_days: float,
) -> tuple[np.ndarray, np.ndarray]:
    """Leaving probabilities q (D, n, S) and Pi - I (D, bands, S, C) with the service's effects.

    ``step_down`` and ``planned_returns`` (D, bands) are the relative increases of the destination
    hazards (residential to family settings; any group to a planned return home) in each band, 0
    where the service does nothing. The total hazard grows by the weighted increase and the
    destinations are renormalised, so with both at 0 the result is exactly the baseline.
    """
    weighted = destination.copy()
    family = list(FAMILY_SETTINGS)
    for g in STEP_DOWN_FROM:
        weighted[:, :, g, family] *= (1.0 + step_down)[:, :, None]
    weighted[:, :, :N_GROUPS, RETURNED_HOME] *= (1.0 + planned_returns)[:, :, None]
    before = destination.sum(axis=-1)
    ratio = np.divide(weighted.sum(axis=-1), before, out=np.ones_like(before), where=before > 0)
    q = -np.expm1(-(hazard * ratio[:, band_local, :]) * step_days)
    weighted /= ratio[..., None]
    diagonal = np.arange(N_STATES)
    weighted[:, :, diagonal, diagonal] -= 1.0
    return q, weighted


def entrants(entry: np.ndarray, first: np.ndarray, diverted_share: np.ndarray, step_days: float) -> np.ndarray:
    """(D, n, S) entrants per step by age and first state; ``diverted_share`` (D, n) go home."""
    base = (entry * step_days)[..., None] * first
    out = np.zeros((*base.shape[:-1], N_STATES))
    out[..., :N_GROUPS] = base * (1.0 - diverted_share)[..., None]
    out[..., AT_HOME] = base.sum(axis=-1) * diverted_share
    return out


def ramp(plan: Plan, inputs: Inputs, day: float) -> np.ndarray:
    """(D,) share of the service's full effect on ``day`` days after the jump-off."""
    since = day - plan.go_live_offset_days
    return np.clip(since / np.maximum(inputs.ramp_days, 1e-9), 0.0, 1.0)


def entering_weights(plan: Plan) -> np.ndarray:
    """(buckets,) where a child coming into care at 17 during a step lands in the ring, by steps ahead.

    Their 18th birthday is unknown, so uniform over the coming year: steps 1 to floor(Y) ahead
    with weight 1/Y each and the next with the fraction left (Y steps a year); the weights sum to 1.
    """
    per_year = plan.steps_per_year
    whole = math.floor(per_year)
    weights = np.zeros(plan.buckets)
    weights[1 : whole + 1] = 1.0 / per_year
    weights[whole + 1] = (per_year - whole) / per_year
    return weights


def ageing_due(plan: Plan, t: int) -> int:
    """How many steps of ageing to do at the end of step ``t`` (0 between batches)."""
    every = plan.ageing_every
    if (t + 1) % every == 0:
        return every
    if t == plan.steps - 1:
        return (t + 1) % every
    return 0


def ageing_slots(plan: Plan, batch: int) -> tuple[np.ndarray, np.ndarray]:
    """Ring offsets (from the current step) and weights for a batch of ``batch`` steps turning 17.

    A child turning 17 during a step (at u, uniform) turns 18 in step floor(u + Y) from then, Y
    steps a year: ``whole`` steps on with weight 1 - part, one more with weight ``part``. In a
    batch moved at the end of step t, the child of sub-step j turned 17 in step t - batch + 1 + j.
    """
    per_year = plan.steps_per_year
    whole = math.floor(per_year)
    part = per_year - whole
    offsets = np.arange(whole - batch + 1, whole + 2)
    weights = np.zeros(batch + 1)
    weights[:-1] += (1.0 - part) / batch
    weights[1:] += part / batch
    return offsets, weights


def stock_slots(plan: Plan, start: Start, keep: np.ndarray) -> np.ndarray:
    """(buckets,) 17-year-olds at the jump-off by the step of their 18th birthday (slot = step % K)."""
    steps_ahead = (start.days_to_18[keep] // plan.step_days).astype(np.int64)
    return np.bincount(steps_ahead % plan.buckets, minlength=plan.buckets).astype(float)


# ----------------------------------------------------------------------------------------------
# The batched time loop


class _Band:
    """The children of one age band in every draw (and both scenarios at the service's ages), as
    contiguous arrays so that numpy's batched products run at BLAS speed."""

    def __init__(self, lead: tuple[int, ...], low: int, high: int, dtype) -> None:
        n = high - low + 1
        self.low, self.high, self.n = low, high, n
        self.has_17 = high == N_AGES - 1
        shape = (*lead, n, N_STATES)
        self.x = np.zeros(shape, dtype=dtype)
        self.q = np.zeros(shape, dtype=dtype)
        self.e = np.zeros(shape, dtype=dtype)
        self.p = np.zeros((*lead, N_STATES, N_STATES), dtype=dtype)  # Pi - I, states only
        self.exit = np.zeros((*lead, N_STATES, N_COLUMNS - N_STATES))  # Pi, exit columns
        self.flow = np.empty(shape, dtype=dtype)
        self.out = np.empty(shape, dtype=dtype)
        ageing_rows = n - 1 if self.has_17 else n
        self.moved = np.empty((*lead, ageing_rows, N_STATES), dtype=dtype)
        self.acc = np.zeros(shape, dtype=dtype)
        self.in_care = np.tile(np.r_[np.ones(N_GROUPS), 0.0], n).astype(dtype)


def _set_tensors(bands: list[_Band], q, pit, e, which) -> None:
    """Copy (D, ages, S) and (D, bands, S, C) tensors into the bands (``which`` picks a scenario)."""
    for i, band in enumerate(bands):
        rows = slice(band.low - bands[0].low, band.high - bands[0].low + 1)
        band.q[which] = q[:, rows]
        band.e[which] = e[:, rows]
        band.p[which] = pit[:, i, :, :N_STATES]
        band.exit[which] = pit[:, i, :, N_STATES:]


def _simulate(inputs: Inputs, plan: Plan, start: Start, dtype) -> Trajectory:
    draws = inputs.draws
    split = plan.split
    step = plan.step_days
    service_lo, service_hi = plan.service_ages
    band_of = np.array(band_of_age(plan.bands))
    young = [_Band((draws,), low, high, dtype) for low, high in plan.bands if high < split]
    teen = [_Band((2, draws), low, high, dtype) for low, high in plan.bands if low >= split]
    young_ids = [b for b, (low, high) in enumerate(plan.bands) if high < split]
    teen_ids = [b for b, (low, _high) in enumerate(plan.bands) if low >= split]
    last = teen[-1]

    hz = full_hazards(inputs)
    pi = full_destinations(inputs)
    first_by_age = inputs.rates.first[:, band_of]
    none = np.zeros((draws, len(young_ids)))
    q, pit = transitions(hz[:, :split], pi[:, young_ids], band_of[:split] - young_ids[0], none, none, step)
    e = entrants(inputs.rates.entry[:, :split], first_by_age[:, :split], np.zeros((draws, split)), step)
    _set_tensors(young, q, pit, e, slice(None))

    teen_local = band_of[split:] - teen_ids[0]
    band_in_service = np.array(
        [service_lo <= plan.bands[b][0] and plan.bands[b][1] <= service_hi for b in teen_ids], dtype=float
    )[None]
    ages = np.arange(split, N_AGES)
    age_in_service = ((ages >= service_lo) & (ages <= service_hi)).astype(float)[None]

    def set_teen(scenario: int, share: np.ndarray) -> None:
        q, pit = transitions(
            hz[:, split:], pi[:, teen_ids], teen_local,
            (inputs.step_down * share)[:, None] * band_in_service,
            (inputs.planned_returns * share)[:, None] * band_in_service, step,
        )
        e = entrants(inputs.rates.entry[:, split:], first_by_age[:, split:],
                     (inputs.reach * share)[:, None] * age_in_service, step)
        _set_tensors(teen, q, pit, e, scenario)

    set_teen(0, np.zeros(draws))
    block = max(1, int(round(RAMP_BLOCK_DAYS / step)))
    share = ramp(plan, inputs, (block / 2) * step)
    set_teen(1, share)
    ramping = bool((share < 1).any())
    total_home = inputs.home_to_care + inputs.home_ended
    to_care_share = np.divide(inputs.home_to_care, total_home, out=np.zeros(draws), where=total_home > 0)

    # The starting point: the same in every draw; nobody supported at home in the baseline.
    for band in young:
        band.x[:] = start.stock[band.low:band.high + 1]
        band.x[..., AT_HOME] = 0.0
    for band in teen:
        band.x[:] = start.stock[band.low:band.high + 1]
        band.x[0, ..., AT_HOME] = 0.0
    # The ring of 17-year-olds by the step of their 18th birthday (slot = step % K), kept in units
    # of the survival since the start (``sigma``) so that each step touches only (2, D) numbers;
    # entrants at 17 (uniform over the year ahead) are kept as prefix sums for the same reason.
    ring = np.zeros((2, draws, plan.buckets))
    ring[0] = stock_slots(plan, start, start.state_at_17 != AT_HOME)
    ring[1] = stock_slots(plan, start, np.ones(len(start.state_at_17), dtype=bool))
    sigma = np.ones((2, draws))
    entered = np.zeros((plan.steps + 1, 2, draws))  # entrants at 17 in step s (at s + 1), over sigma
    prefix = np.zeros((plan.steps + 1, 2, draws))  # their running sum
    whole = math.floor(plan.steps_per_year)
    tail = (plan.steps_per_year - whole) / plan.steps_per_year

    years = plan.years
    names = ("entries", "from_home", "diverted", "returned_home", "left_care", "aged_out", "support_ended")
    rec = {name: np.zeros((years, 2, draws)) for name in names}
    population = np.zeros((years, 2, draws, N_STATES))
    person_steps = np.zeros((years, 2, draws, N_STATES))
    aged_out_by_step = np.zeros((plan.steps, 2, draws))
    looked_after_by_step = np.zeros((plan.steps, 2, draws), dtype=np.float32)
    start_lac = np.array([
        sum(b.x[0, :, :N_GROUPS].sum() for b in young) + sum(b.x[s, 0, :, :N_GROUPS].sum() for b in teen)
        for s in (0, 1)
    ])

    def per_step_entries():
        new = sum(b.e[..., :N_GROUPS].sum(axis=(-2, -1), dtype=np.float64) for b in young)
        new = new + sum(b.e[..., :N_GROUPS].sum(axis=(-2, -1), dtype=np.float64) for b in teen)
        home = sum(b.e[..., AT_HOME].sum(axis=-1, dtype=np.float64) for b in teen)
        return new, home, last.e[..., -1, :].sum(axis=-1, dtype=np.float64)

    new_per_step, diverted_per_step, entering_17 = per_step_entries()
    pending = 0  # steps accumulated since the last flush

    def flush(year: int) -> None:
        """Turn the accumulated children x steps into person-steps and flows (exact: q and Pi were
        constant since the last flush)."""
        nonlocal pending
        to_care = np.zeros((2, draws))
        for band in young + teen:
            person_steps[year] += np.einsum("...as->...s", band.acc)
            flows = np.einsum("...as,...as->...s", band.acc, band.q)
            exits = np.einsum("...s,...sc->...c", flows, band.exit)
            home = flows[..., AT_HOME]
            rec["returned_home"][year] += exits[..., 0]
            rec["left_care"][year] += exits[..., 1] - home * (1.0 - to_care_share)
            rec["support_ended"][year] += home * (1.0 - to_care_share)
            to_care += home * to_care_share
            band.acc[:] = 0.0
        rec["from_home"][year] += to_care
        rec["entries"][year] += pending * new_per_step + to_care
        rec["diverted"][year] += pending * diverted_per_step
        pending = 0

    bands = young + teen
    for t in range(plan.steps):
        y = plan.year_of_step[t]
        if ramping and t > 0 and t % block == 0:
            flush(plan.year_of_step[t - 1])
            share = ramp(plan, inputs, (t + block / 2) * step)
            set_teen(1, share)
            new_per_step, diverted_per_step, entering_17 = per_step_entries()
            ramping = bool((share < 1).any())
        for band in bands:
            band.acc += band.x
        pending += 1

        # 1. Transitions: x += (x * q) @ (Pi - I).
        x17 = last.x[..., -1, :]
        before17 = x17.sum(axis=-1)
        for band in bands:
            np.multiply(band.x, band.q, out=band.flow)
            np.matmul(band.flow, band.p, out=band.out)
            band.x += band.out

        # 2. Birthdays at 18: the ring's bucket for this step leaves, with the mix of all 17s.
        after17 = x17.sum(axis=-1)
        survival = np.divide(after17, before17, out=np.ones_like(after17), where=before17 > 0)
        sigma *= survival
        if sigma.min() < 1e-6:
            ring *= sigma[..., None]
            entered *= sigma
            prefix *= sigma
            sigma[:] = 1.0
        slot = t % plan.buckets
        from_entrants = (prefix[t] - prefix[max(t - whole, 0)]) / plan.steps_per_year
        if t - whole >= 1:
            from_entrants += tail * entered[t - whole]
        due = np.minimum((ring[..., slot] + from_entrants) * sigma, after17)
        ring[..., slot] = 0.0
        mix = np.divide(x17, after17[..., None], out=np.zeros_like(x17), where=after17[..., None] > 0)
        leaving = mix * due[..., None].astype(dtype)
        x17 -= leaving
        aged_out_by_step[t] = leaving[..., :N_GROUPS].sum(axis=-1)
        rec["support_ended"][y] += leaving[..., AT_HOME]

        # 3. Children below 17 move up an age, a batch every few weeks (1/52.18 of the age per
        #    week: birthdays spread evenly); oldest band first, so that children carried into a
        #    band's first age do not age twice. Their 18th birthdays go to the ring exactly.
        batch = ageing_due(plan, t)
        if batch:
            fraction = dtype(batch / plan.steps_per_year)
            older, inflow_17 = None, None
            for band in reversed(bands):
                moved = band.moved
                if moved.shape[-2]:
                    np.multiply(band.x[..., : moved.shape[-2], :], fraction, out=moved)
                    band.x[..., : moved.shape[-2], :] -= moved
                    if band.has_17:
                        band.x[..., 1:, :] += moved
                        inflow_17 = moved[..., -1, :]
                    else:
                        band.x[..., 1:, :] += moved[..., :-1, :]
                        older.x[..., 0, :] += moved[..., -1, :]
                        if older.has_17 and older.n == 1:
                            inflow_17 = moved[..., -1, :]
                older = band
            if inflow_17 is not None:
                offsets, weights = ageing_slots(plan, batch)
                inflow = inflow_17.sum(axis=-1, dtype=np.float64) / sigma
                ring[..., (t + offsets) % plan.buckets] += inflow[..., None] * weights

        # 4. Entrants.
        for band in bands:
            band.x += band.e
        entered[t + 1] = entering_17 / sigma
        prefix[t + 1] = prefix[t] + entered[t + 1]

        lac = np.zeros((2, draws), dtype=np.float32)
        for band in bands:
            lac += np.einsum("...k,k->...", band.x.reshape(*band.x.shape[:-2], -1), band.in_care)
        looked_after_by_step[t] = lac
        if plan.year_end[t]:
            flush(y)
            for band in bands:
                population[y] += np.einsum("...as->...s", band.x)

    rec["aged_out"] = np.zeros((years, 2, draws))
    np.add.at(rec["aged_out"], plan.year_of_step, aged_out_by_step)
    leavers, leaver_steps = _care_leavers(plan, start, aged_out_by_step)
    return Trajectory(
        population=population,
        person_steps=person_steps,
        care_leavers=leavers,
        care_leaver_steps=leaver_steps,
        looked_after_by_step=looked_after_by_step,
        start_looked_after=start_lac,
        **rec,
    )


def _care_leavers(plan: Plan, start: Start, aged_out_by_step: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Care leavers (18-20) at each year end and their person-steps, from those leaving at 18."""
    span = int(round(CARE_LEAVER_YEARS * plan.steps_per_year))
    cumulative = np.cumsum(aged_out_by_step, axis=0)
    current = cumulative.copy()
    if span < plan.steps:
        current[span:] -= cumulative[:-span]
    elapsed = (np.arange(plan.steps) + 1) * plan.step_days
    initial = (start.care_leaver_days_to_21[None, :] > elapsed[:, None]).sum(axis=1).astype(float)
    current += initial[:, None, None]
    ends = np.flatnonzero(plan.year_end)
    steps = np.zeros((plan.years, *current.shape[1:]))
    np.add.at(steps, plan.year_of_step, current)
    return current[ends], steps


def project(
    inputs: Inputs, plan: Plan, start: Start, dtype=np.float32, workers: int | None = None,
) -> Trajectory:
    """Run the projection for every draw in ``inputs``, split across ``workers`` threads."""
    draws = inputs.draws
    workers = max(1, min(workers or os.cpu_count() or 1, draws // 256 or 1))
    if workers == 1:
        return _simulate(inputs, plan, start, dtype)
    edges = np.linspace(0, draws, workers + 1).astype(int)
    chunks = [inputs.take(slice(lo, hi)) for lo, hi in zip(edges[:-1], edges[1:])]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        parts = list(pool.map(lambda chunk: _simulate(chunk, plan, start, dtype), chunks))
    return _concat(parts)


def _concat(parts: list[Trajectory]) -> Trajectory:
    def join(name: str) -> np.ndarray:
        arrays = [getattr(p, name) for p in parts]
        return np.concatenate(arrays, axis=arrays[0].ndim - (2 if name in _STATE_ARRAYS else 1))

    out = {name: join(name) for name in _DRAW_ARRAYS}
    return Trajectory(start_looked_after=parts[0].start_looked_after, **out)


_STATE_ARRAYS = {"population", "person_steps"}
_DRAW_ARRAYS = (
    "population", "person_steps", "care_leavers", "care_leaver_steps", "entries", "from_home", "diverted",
    "returned_home", "left_care", "aged_out", "support_ended", "looked_after_by_step",
)
