"""The projection: every draw at once, one time step at a time, with and without the service.

State: for each draw, the number of children by single year of age (0-17) and state (ten
placement groups and "supported at home"). A year is a whole number of steps (52 "weeks" of 7.024
days, or 365 "days"; see ``make_plan``). Each step:

1. Transitions. A child in state g at age a leaves it with probability q = 1 - exp(-hazard x step)
   and goes to destination h with probability Pi[band(a), g, h] (another group, home, elsewhere,
   or for "at home": into care or out of the service). Written as x += (x * q) @ (Pi - I), one
   batched matrix product per age band over all draws: the destinations are shared within a band,
   so the products are (draws x ages-in-band x 12) @ (draws x 12 x 12), which numpy hands to BLAS
   (the twelfth column carries each age's total; see ``_Group``).
   Exits are not stored each step: they are recovered exactly, when the tensors change or a year
   ends, from the children x steps accumulated since (the tensors being constant in between).
2. Birthdays. For every age the number of children whose next birthday falls in each coming step
   is carried in a ring of buckets: from real dates of birth for the starting population,
   uniform over the year ahead for entrants, exactly a year of steps on for those who just had
   one. The 17s whose 18th birthday falls in a step leave then (care leavers if looked after,
   out of the service if supported at home); younger children move up an age at the end of each
   four-week batch, each bucket keeping its own step, so that every next birthday (the 18th
   above all) stays exact and only the age whose rates apply lags by up to three weeks. Those
   moving take the mix of states of their age (the one approximation). The rings are kept in
   units of the survival at each age since the start, and the entrants' share as running sums,
   so a step touches only (draws x ages) numbers for them.
3. Entrants by age and first placement; with the service, a share of those at its ages goes to
   "supported at home" instead.

Baseline and with-service differ only at the service's ages, so ages below it are computed once
and feed both; at its ages the two scenarios are one array with a leading axis of 2, so identical
parameters give bit-for-bit identical results (a service with no effect saves exactly nothing).
The draws are split between processes (``project``).
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import traceback
from dataclasses import dataclass
from multiprocessing.connection import Connection

import numpy as np
from numpy.typing import DTypeLike

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
CHUNK_DRAWS = 500  # draws projected together: their arrays stay in the processor's cache
PARALLEL_DRAWS = 2000  # from this many draws a second process saves more than it costs
RAMP_BLOCK_DAYS = 28  # the service's ramp-up is updated every four weeks
BIRTHDAY_BATCH_DAYS = 28  # below 17, children whose birthday fell in the last four weeks move up together


@dataclass(frozen=True)
class Plan:
    """The fixed shape of a projection: steps, years, which ages the service works with."""

    years: int
    step_days: float
    steps: int
    steps_per_year: float  # a whole number (see ``make_plan``)
    year_of_step: np.ndarray  # (steps,)
    year_end: np.ndarray  # (steps,) True at the last step of each year
    service_ages: tuple[int, int]
    bands: tuple[tuple[int, int], ...]
    go_live_offset_days: float  # go-live minus jump-off; negative if the service already runs
    buckets: int  # ring of steps to the next birthday (a year's steps and two, up to whole batches)
    batch: int  # steps between moves up an age below 17 (the 17s leave on the day, every step)

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
    """The plan of a projection of ``years`` years in steps of about ``step_days`` days.

    The step is adjusted so that a whole number of steps makes a year of 365.25 days (a "week" is
    7.024 days, 52 to the year; a "day" 1.0007 days): every year then has the same number of
    steps, years end on a step boundary, and a birthday comes round exactly a year of steps later.
    """
    if service_ages[0] < 1:
        raise ValueError("the service's youngest age must be at least 1")
    per_year = max(1, int(round(DAYS_PER_YEAR / step_days)))
    step = DAYS_PER_YEAR / per_year
    steps = years * per_year
    t = np.arange(steps)
    batch = max(1, min(int(round(BIRTHDAY_BATCH_DAYS / step)), per_year))
    bands = split_bands(bands, service_ages[0])
    if service_ages[1] < N_AGES - 1:
        bands = split_bands(bands, service_ages[1] + 1)
    return Plan(
        years=years,
        step_days=step,
        steps=steps,
        steps_per_year=float(per_year),
        year_of_step=t // per_year,
        year_end=(t + 1) % per_year == 0,
        service_ages=service_ages,
        bands=bands,
        go_live_offset_days=float(go_live_offset_days),
        # Whole batches, so that the steps of a batch are one run of buckets (a slice, not a gather).
        buckets=-(-(per_year + 2) // batch) * batch,
        batch=batch,
    )


@dataclass(frozen=True)
class Start:
    """Who is where at the jump-off (the same in every draw)."""

    stock: np.ndarray  # (N_AGES, N_STATES)
    stock_age: np.ndarray  # for each child in the stock: age,
    stock_state: np.ndarray  # ... state,
    stock_days_to_birthday: np.ndarray  # ... and days from the jump-off to the next birthday
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
        looked_after: np.ndarray = self.population[..., :N_GROUPS].sum(axis=-1)
        return looked_after


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
    share: np.ndarray = np.clip(since / np.maximum(inputs.ramp_days, 1e-9), 0.0, 1.0)
    return share


def batch_ends(plan: Plan, t: int) -> bool:
    """Whether the children below 17 with a birthday in the current batch move up after step t."""
    return (t + 1) % plan.batch == 0 or t == plan.steps - 1


def stock_rings(plan: Plan, start: Start, keep: np.ndarray) -> np.ndarray:
    """(buckets, N_AGES) children of the stock by age and the step of their next birthday."""
    slots = (start.stock_days_to_birthday[keep] // plan.step_days).astype(np.int64) % plan.buckets
    ring = np.zeros((plan.buckets, N_AGES))
    np.add.at(ring, (slots, start.stock_age[keep]), 1.0)
    return ring


# ----------------------------------------------------------------------------------------------
# The batched time loop


class _Group:
    """The children of a run of ages in every draw: the ages below the service's (shared by both
    scenarios), or the service's ages and above (both scenarios, a leading axis of 2).

    ``x`` holds, for each draw and age, the children in each state and, in one more column,
    their total. Everything that happens to children (a transition, a birthday, entrants) is
    linear in a row of ``x``, so the total follows in that column without ever being summed. The
    transition tensors have the same extra column: ``q``'s is 0, ``p``'s holds the row sums of
    Pi - I (the change in the total) and its last row is 0. A step is then one elementwise
    product, one batched matrix product per age band (destinations are shared within a band, so
    its ages are the rows of one product per draw) and one addition, over whole contiguous arrays:
    a handful of numpy calls per step for the whole group, each on a large array.
    """

    def __init__(self, lead: tuple[int, ...], bands: list[tuple[int, int]], buckets: int, history: int,
                 dtype: DTypeLike, states: int) -> None:
        self.low, self.high = bands[0][0], bands[-1][1]
        n = self.high - self.low + 1
        self.n, self.states = n, states
        self.rows = [slice(low - self.low, high - self.low + 1) for low, high in bands]
        self.has_17 = self.high == N_AGES - 1
        width = states + 1
        shape = (*lead, n, width)
        self.x = np.zeros(shape, dtype=dtype)
        self.q = np.zeros(shape, dtype=dtype)
        self.e = np.zeros(shape, dtype=dtype)
        self.p = np.zeros((*lead, len(bands), width, width), dtype=dtype)
        self.exit = np.zeros((*lead, len(bands), states, N_COLUMNS - N_STATES), dtype=dtype)  # Pi, exit columns
        self.flow = np.empty(shape, dtype=dtype)
        self.out = np.empty(shape, dtype=dtype)
        self.moved = np.empty(shape, dtype=dtype)
        self.acc = np.zeros(shape, dtype=dtype)
        # Next birthdays: the ring (steps ahead, in units of ``sigma``, the survival at each age
        # since the start), and the running sum of entrants (also over sigma) for their share.
        # They are in the kernel's precision too: mixing precisions in one numpy call makes it
        # convert through a buffer, which cost more than the arithmetic.
        self.ring = np.zeros((buckets, *lead, n), dtype=dtype)
        self.entered = np.zeros((history, *lead, n), dtype=dtype)
        self.sigma = np.ones((*lead, n), dtype=dtype)
        self.arriving = np.zeros((*lead, n), dtype=dtype)  # entrants per step at each age
        self.change = np.zeros((*lead, n), dtype=dtype)  # this step's relative change of each age's total
        self.floor = np.finfo(dtype).tiny  # a total below it is nobody

    @property
    def total(self) -> np.ndarray:
        """(lead, n) children at each age: a view of ``x``'s last column."""
        return self.x[..., self.states]

    def view(self, scenario: int) -> _Group:
        """The group's tensors for one scenario (views into its arrays), for filling them."""
        part = object.__new__(_Group)
        part.low, part.n, part.states, part.rows = self.low, self.n, self.states, self.rows
        part.q, part.e, part.p, part.exit = self.q[scenario], self.e[scenario], self.p[scenario], self.exit[scenario]
        return part

    def transition(self) -> None:
        """One step of moves: x += (x * q) @ (Pi - I), the total column included; the survival at
        each age (which scales its ring) changes by the same factor as its total."""
        x, flow, out, change = self.x, self.flow, self.out, self.change
        np.add(self.acc, x, out=self.acc)
        np.multiply(x, self.q, out=flow)
        for j, rows in enumerate(self.rows):
            np.matmul(flow[..., rows, :], self.p[..., j, :, :], out=out[..., rows, :])
        # sigma *= after / before; where nobody is left the change is 0 / floor = 0.
        np.maximum(self.total, self.floor, out=change)
        np.divide(out[..., self.states], change, out=change)
        np.add(x, out, out=x)
        np.multiply(change, self.sigma, out=change)
        np.add(self.sigma, change, out=self.sigma)

    def flush(self, person_steps: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Person-steps added to ``person_steps`` (lead, N_STATES) since the last flush, and the
        flows out of each state and exits by kind (exact while q and Pi were constant)."""
        states, acc = self.states, self.acc
        person_steps[..., :states] += _over_ages(acc, slice(None))[..., :states]
        np.multiply(acc, self.q, out=acc)  # children x steps x probability of moving: flows
        flows: np.ndarray | float = 0.0
        exits: np.ndarray | float = 0.0
        for j, rows in enumerate(self.rows):
            band = _over_ages(acc, rows)[..., :states]
            flows = flows + band
            exits = exits + np.matmul(band[..., None, :], self.exit[..., j, :, :])[..., 0, :]
        acc[:] = 0.0
        return np.asarray(flows), np.asarray(exits)

    def renormalise(self) -> None:
        """Fold small survivals into the rings (all ages of a cell gone: everything to 0)."""
        small = self.sigma < 1e-6
        if small.any():
            factor = np.where(small, self.sigma, 1.0)
            self.ring *= factor
            self.entered *= factor
            self.sigma[small] = 1.0

    def due(self, first: int, length: int, rows: int, per_year: int) -> np.ndarray:
        """Children of the first ``rows`` ages whose birthday falls in the ``length`` steps from
        ``first``: from the ring, and the entrants' share (uniform over the year after they came),
        in numbers; the ring's buckets are emptied."""
        buckets, history = self.ring.shape[0], self.entered.shape[0]
        due = np.subtract(self.entered[_run(first - 1, length, history), ..., :rows],
                          self.entered[_run(first - per_year - 1, length, history), ..., :rows])
        due /= per_year
        slots = _run(first, length, buckets)
        due += self.ring[slots, ..., :rows]
        due *= self.sigma[..., :rows]
        self.ring[slots, ..., :rows] = 0.0
        return due


def _run(first: int, length: int, size: int) -> slice | np.ndarray:
    """The indices ``first`` to ``first + length - 1`` modulo ``size``: a slice (a view) unless they
    wrap round."""
    first %= size
    if first + length <= size:
        return slice(first, first + length)
    return (first + np.arange(length)) % size


def _over_ages(values: np.ndarray, rows: slice) -> np.ndarray:
    """(lead, W) the sum over the ages ``rows`` of (lead, ages, W): row by row, which numpy does
    far faster than a reduction over a short middle axis."""
    ages = range(*rows.indices(values.shape[-2]))
    out = values[..., ages[0], :].copy()
    for a in ages[1:]:
        out += values[..., a, :]
    return out


class _Filler:
    """Writes the transition tensors of a group, with the service's effects, into its arrays.

    The effects raise the hazards of a few destinations: step-down (residential to family
    settings, ``k``) and planned returns home (``m``). Only those entries change, so the total
    hazard of each state grows by ratio = 1 + sum(Pi x (multiplier - 1)) / sum(Pi), found from the
    few changed entries; then q = 1 - exp(-hazard x ratio x step) and Pi' = Pi x multiplier / ratio.
    With k = m = 0 the ratio is exactly 1 and the tensors are exactly the baseline's.
    """

    def __init__(self, group: _Group, hazard: np.ndarray, destination: np.ndarray, step_days: float):
        self.group = group
        self.states = states = group.states  # below the service's ages, no "at home" column
        dtype = self.dtype = group.p.dtype  # the tensors are worked out in the kernel's precision
        self.hazard = np.ascontiguousarray(hazard[..., :states] * step_days, dtype=dtype)  # (D, ages, S)
        destination = destination.astype(dtype)
        self.destination = destination[:, :, :states]  # (D, bands, S, C)
        self.total = self.destination.sum(axis=-1)
        self.to_states = np.ascontiguousarray(self.destination[..., :states])
        family = list(FAMILY_SETTINGS)
        self.family_states = [h for h in family if h < states]
        self.res = list(STEP_DOWN_FROM)
        self.to_family = destination[:, :, self.res][..., family].sum(axis=-1)  # (D, bands, len(res))
        self.home = destination[:, :, :N_GROUPS, RETURNED_HOME]  # (D, bands, G)
        self.band_of_row = np.concatenate([np.full(rows.stop - rows.start, j) for j, rows in enumerate(group.rows)])
        self.diagonal = np.arange(states)

    def fill(self, k: np.ndarray, m: np.ndarray, entrants_: np.ndarray) -> None:
        """Tensors with effects ``k``, ``m`` (D, bands) and entrants (D, ages, N_STATES)."""
        k, m = k.astype(self.dtype), m.astype(self.dtype)
        extra = np.zeros_like(self.total)
        extra[:, :, :N_GROUPS] = m[..., None] * self.home
        for i, g in enumerate(self.res):
            extra[:, :, g] = k * self.to_family[..., i] + (m + k * m) * self.home[:, :, g]
        ratio = np.divide(self.total + extra, self.total, out=np.ones_like(self.total), where=self.total > 0)
        group, states = self.group, self.states
        q = group.q[..., :states]
        np.multiply(self.hazard, ratio[:, self.band_of_row], out=q)
        np.negative(q, out=q)
        np.expm1(q, out=q)
        np.negative(q, out=q)
        group.e[..., :states] = entrants_[..., :states]
        group.e[..., states] = entrants_[..., :states].sum(axis=-1)
        p, exit_ = group.p, group.exit
        np.divide(self.to_states, ratio[..., None], out=p[..., :states, :states])
        np.divide(self.destination[..., N_STATES:], ratio[..., None], out=exit_)
        up = (1.0 + k)[..., None]
        for g in self.res:
            p[..., g, self.family_states] *= up
            exit_[..., g, 0] *= 1.0 + k
        exit_[..., :N_GROUPS, 0] *= (1.0 + m)[..., None]
        p[..., self.diagonal, self.diagonal] -= 1.0
        p[..., :states, states] = p[..., :states, :states].sum(axis=-1)


def _simulate(inputs: Inputs, plan: Plan, start: Start, dtype: DTypeLike) -> Trajectory:
    draws = inputs.draws
    split = plan.split
    step = plan.step_days
    buckets = plan.buckets
    service_lo, service_hi = plan.service_ages
    band_of = np.array(band_of_age(plan.bands))
    history = buckets + plan.batch
    young_ids = [b for b, (low, high) in enumerate(plan.bands) if high < split]
    teen_ids = [b for b, (low, _high) in enumerate(plan.bands) if low >= split]
    young = _Group((draws,), [plan.bands[b] for b in young_ids], buckets, history, dtype, states=N_GROUPS)
    teen = _Group((2, draws), [plan.bands[b] for b in teen_ids], buckets, history, dtype, states=N_STATES)
    groups = (young, teen)

    hz = full_hazards(inputs)
    pi = full_destinations(inputs)
    first_by_age = inputs.rates.first[:, band_of]
    none = np.zeros((draws, len(young_ids)))
    _Filler(young, hz[:, :split], pi[:, young_ids], step).fill(none, none, entrants(
        inputs.rates.entry[:, :split], first_by_age[:, :split], np.zeros((draws, split)), step))
    band_in_service = np.array(
        [service_lo <= plan.bands[b][0] and plan.bands[b][1] <= service_hi for b in teen_ids], dtype=float
    )[None]
    ages = np.arange(split, N_AGES)
    age_in_service = ((ages >= service_lo) & (ages <= service_hi)).astype(float)[None]
    teen_fill = [_Filler(teen.view(s), hz[:, split:], pi[:, teen_ids], step) for s in (0, 1)]

    def set_teen(scenario: int, share: np.ndarray) -> None:
        """The tensors at the service's ages with ``share`` (D,) of its full effect."""
        teen_fill[scenario].fill(
            (inputs.step_down * share)[:, None] * band_in_service,
            (inputs.planned_returns * share)[:, None] * band_in_service,
            entrants(inputs.rates.entry[:, split:], first_by_age[:, split:],
                     (inputs.reach * share)[:, None] * age_in_service, step),
        )
        teen.arriving = teen.e[..., N_STATES].copy()

    set_teen(0, np.zeros(draws))
    block = max(1, int(round(RAMP_BLOCK_DAYS / step)))
    share = ramp(plan, inputs, (block / 2) * step)
    set_teen(1, share)
    ramping = bool((share < 1).any())
    total_home = inputs.home_to_care + inputs.home_ended
    to_care_share = np.divide(inputs.home_to_care, total_home, out=np.zeros(draws), where=total_home > 0)

    # The starting point: the same in every draw; nobody supported at home in the baseline, nor
    # below the service's ages.
    everyone = np.ones(len(start.stock_age), dtype=bool)
    rings = [stock_rings(plan, start, (start.stock_state != AT_HOME) | (start.stock_age >= split)),
             stock_rings(plan, start, start.stock_state != AT_HOME), stock_rings(plan, start, everyone)]
    young.x[..., :N_GROUPS] = start.stock[:split, :N_GROUPS]
    young.ring[:] = rings[0][:, None, :split]
    young.arriving = young.e[..., N_GROUPS].copy()
    teen.x[..., :N_STATES] = start.stock[split:]
    teen.x[0, ..., AT_HOME] = 0.0
    teen.ring[:, 0] = rings[1][:, None, split:]
    teen.ring[:, 1] = rings[2][:, None, split:]
    for group in groups:
        group.x[..., group.states] = group.x[..., : group.states].sum(axis=-1)
    per_year = int(plan.steps_per_year)

    years = plan.years
    names = ("entries", "from_home", "diverted", "returned_home", "left_care", "aged_out", "support_ended")
    rec = {name: np.zeros((years, 2, draws)) for name in names}
    population = np.zeros((years, 2, draws, N_STATES))
    person_steps = np.zeros((years, 2, draws, N_STATES))
    aged_out_by_step = np.zeros((plan.steps, 2, draws))
    looked_after_by_step = np.zeros((plan.steps, 2, draws), dtype=np.float32)
    start_lac = np.array([young.x[0, :, :N_GROUPS].sum() + teen.x[s, 0, :, :N_GROUPS].sum() for s in (0, 1)])

    def per_step_entries() -> tuple[np.ndarray, np.ndarray]:
        new = sum(g.e[..., :N_GROUPS].sum(axis=(-2, -1), dtype=np.float64) for g in groups)
        return new, teen.e[..., AT_HOME].sum(axis=-1, dtype=np.float64)

    new_per_step, diverted_per_step = per_step_entries()
    pending = 0  # steps since the entries were last counted

    def flush(year: int, which: tuple[_Group, ...]) -> None:
        """Turn the children x steps accumulated in ``which`` into person-steps and flows, and
        count the entries since the last time."""
        nonlocal pending
        to_care = np.zeros((2, draws))
        for group in which:
            flows, exits = group.flush(person_steps[year])
            home = flows[..., AT_HOME] if group.states > AT_HOME else 0.0
            rec["returned_home"][year] += exits[..., 0]
            rec["left_care"][year] += exits[..., 1] - home * (1.0 - to_care_share)
            rec["support_ended"][year] += home * (1.0 - to_care_share)
            to_care += home * to_care_share
        rec["from_home"][year] += to_care
        rec["entries"][year] += pending * new_per_step + to_care
        rec["diverted"][year] += pending * diverted_per_step
        pending = 0

    for t in range(plan.steps):
        y = plan.year_of_step[t]
        if ramping and t > 0 and t % block == 0:
            # Only the service's ages change: the younger ages keep accumulating to the year end.
            flush(plan.year_of_step[t - 1], (teen,))
            share = ramp(plan, inputs, (t + block / 2) * step)
            set_teen(1, share)
            new_per_step, diverted_per_step = per_step_entries()
            ramping = bool((share < 1).any())
        pending += 1

        # 1. Transitions.
        young.transition()
        teen.transition()

        # 2. Birthdays. The 17s whose 18th birthday falls in this step leave care (or the
        #    service) at once. Younger children move up an age at the end of each batch, with their
        #    age's mix of states, each bucket's next birthday a year of steps after its own (oldest
        #    ages first, so that nobody moves twice).
        slot = t % buckets
        total_17 = teen.x[..., -1, N_STATES]
        share_due = np.subtract(teen.entered[(t - 1) % history, ..., -1],
                                teen.entered[(t - per_year - 1) % history, ..., -1])
        share_due /= per_year
        share_due += teen.ring[slot, ..., -1]
        share_due *= teen.sigma[..., -1]
        teen.ring[slot, ..., -1] = 0.0
        np.minimum(share_due, total_17, out=share_due)
        share_due /= np.maximum(total_17, teen.floor)
        leaving = teen.x[..., -1, :] * share_due[..., None]
        teen.x[..., -1, :] -= leaving
        aged_out_by_step[t] = leaving[..., :N_GROUPS].sum(axis=-1)
        rec["support_ended"][y] += leaving[..., AT_HOME]
        if batch_ends(plan, t):
            first, length = t - t % plan.batch, t % plan.batch + 1  # the steps of this batch
            ahead = _run(first + per_year, length, buckets)  # a year of steps after each birthday
            for group in (teen, young):
                group.renormalise()
                rows = group.n - 1 if group.has_17 else group.n  # the 17s have left already
                due = group.due(first, length, rows, per_year)
                moving = due.sum(axis=0)
                cap = group.x[..., :rows, group.states]
                if (moving > cap).any():  # more due than there are (rounding): scale down
                    due *= np.divide(cap, moving, out=np.ones_like(moving), where=moving > cap)
                    np.minimum(moving, cap, out=moving)
                share_due = moving / np.maximum(cap, group.floor)
                moved = group.moved[..., :rows, :]
                np.multiply(group.x[..., :rows, :], share_due[..., None], out=moved)
                group.x[..., :rows, :] -= moved
                inner = rows if group.has_17 else rows - 1  # movers staying in this group
                group.x[..., 1 : inner + 1, :] += moved[..., :inner, :]
                group.ring[ahead, ..., 1 : inner + 1] += due[..., :inner] / group.sigma[..., 1 : inner + 1]
                if group is young:  # the oldest of the young ages join the service's (both scenarios)
                    teen.ring[ahead, ..., 0] += due[:, None, :, -1] / teen.sigma[..., 0]
                    teen.x[..., 0, :N_GROUPS] += moved[..., -1, :N_GROUPS]
                    teen.x[..., 0, N_STATES] += moved[..., -1, N_GROUPS]

        # 3. Entrants, their next birthdays uniform over the year ahead.
        now, before = t % history, (t - 1) % history
        for group in groups:
            np.add(group.x, group.e, out=group.x)
            np.divide(group.arriving, group.sigma, out=group.entered[now])
            group.entered[now] += group.entered[before]
        lac = teen.total.sum(axis=-1) - teen.x[..., AT_HOME].sum(axis=-1)
        looked_after_by_step[t] = lac + young.total.sum(axis=-1)
        if plan.year_end[t]:
            flush(y, groups)
            for group in groups:
                population[y][..., : group.states] += np.einsum("...as->...s", group.x[..., : group.states])

    rec["aged_out"] = np.zeros((years, 2, draws))
    np.add.at(rec["aged_out"], plan.year_of_step, aged_out_by_step)
    leavers, leaver_steps = care_leavers_from(plan, start, aged_out_by_step)
    return Trajectory(
        population=population,
        person_steps=person_steps,
        care_leavers=leavers,
        care_leaver_steps=leaver_steps,
        looked_after_by_step=looked_after_by_step,
        start_looked_after=start_lac,
        **rec,
    )


def care_leavers_from(plan: Plan, start: Start, aged_out_by_step: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
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
    inputs: Inputs, plan: Plan, start: Start, dtype: DTypeLike = np.float32, workers: int | None = None,
) -> Trajectory:
    """Run the projection for every draw in ``inputs``, split across ``workers`` processes.

    ``workers`` None means one per core when there are at least ``PARALLEL_DRAWS`` draws, else
    one. Processes, not threads: the kernel makes many numpy calls of a few microseconds, and
    threads spent their time waiting for each other's interpreter lock (two threads ran slower
    than one). The extra processes are forked, so they start at once and share the inputs;
    only their results are copied back. Each process takes its draws in chunks of about
    ``CHUNK_DRAWS``, so that a chunk's arrays stay in the processor's cache. The result does not
    depend on how the draws were split.
    """
    fitted_bands = inputs.rates.destination.shape[1]
    if fitted_bands != len(plan.bands):
        raise ValueError(
            f"the rates have destinations for {fitted_bands} age bands but the plan has {len(plan.bands)}: "
            "fit them on the plan's bands (rates.fit(counts, plan.bands))"
        )
    draws = inputs.draws
    if workers is None:
        workers = (os.cpu_count() or 1) if draws >= PARALLEL_DRAWS else 1
    workers = max(1, min(workers, draws))
    if workers == 1 or not sys.platform.startswith("linux"):  # fork is safe (and cheap) on Linux
        return _in_chunks(inputs, plan, start, dtype)
    edges = np.linspace(0, draws, workers + 1).astype(int)
    parts = [slice(lo, hi) for lo, hi in zip(edges[:-1], edges[1:])]
    return _concat(_in_processes(parts, inputs, plan, start, dtype))


def _in_chunks(inputs: Inputs, plan: Plan, start: Start, dtype: DTypeLike) -> Trajectory:
    draws = inputs.draws
    pieces = -(-draws // CHUNK_DRAWS)
    if pieces <= 1:
        return _simulate(inputs, plan, start, dtype)
    edges = np.linspace(0, draws, pieces + 1).astype(int)
    return _concat([_simulate(inputs.take(slice(lo, hi)), plan, start, dtype) for lo, hi in zip(edges[:-1], edges[1:])])


class _Failed:
    """What a worker process sends back instead of a result when it fails."""

    def __init__(self, text: str):
        self.text = text


def _child(send: Connection, inputs: Inputs, plan: Plan, start: Start, dtype: DTypeLike) -> None:
    outcome: Trajectory | _Failed
    try:
        outcome = _in_chunks(inputs, plan, start, dtype)
    except BaseException:  # noqa: BLE001 - reported to the parent, which raises
        outcome = _Failed(traceback.format_exc())
    send.send(outcome)
    send.close()


def _in_processes(
    parts: list[slice], inputs: Inputs, plan: Plan, start: Start, dtype: DTypeLike
) -> list[Trajectory]:
    """The first part in this process, the others in forked ones at the same time."""
    context = multiprocessing.get_context("fork")
    children = []
    try:
        for part in parts[1:]:
            receive, send = context.Pipe(duplex=False)
            child = context.Process(target=_child, args=(send, inputs.take(part), plan, start, dtype), daemon=True)
            child.start()
            send.close()
            children.append((child, receive))
        results = [_in_chunks(inputs.take(parts[0]), plan, start, dtype)]
        for child, receive in children:
            try:
                outcome = receive.recv()
            except EOFError:
                raise RuntimeError(f"a projection process stopped without a result (exit code {child.exitcode})") from None
            if isinstance(outcome, _Failed):
                raise RuntimeError(f"a projection process failed:\n{outcome.text}")
            results.append(outcome)
        return results
    finally:
        for child, receive in children:
            receive.close()
            child.join(timeout=5)
            if child.is_alive():
                child.terminate()


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
