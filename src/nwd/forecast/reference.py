"""The projection written the straightforward way: one draw at a time, one step at a time.

The same model as ``projection`` (read its docstring for the steps), written separately: each
age's one-step transition matrix is built directly from destination-specific hazards
(hazard x share x effect multiplier, then stay = exp(-total x step)), all ages and both scenarios
move in one matrix product per step, and flows are recorded every step rather than recovered
from accumulated exposure. It serves three purposes:

- the expected-value projection (one draw, float64; fast because its arrays are tiny);
- the benchmark's reference, timed against the batched Monte Carlo;
- a check on the batched kernel: the tests require both to give the same numbers.

A step on arrays this small costs what its numpy calls cost (a microsecond or two each), so the
loop makes few: the product writes the children and every per-age total into one buffer; the
17-year-olds' birthdays are worked out in plain floats; and the survival at each age and the
entrants' running sum, which the younger ages need only when a batch of birthdays is due, are
worked out then for all the steps since at once (``settle``), from the totals each product gave.
"""

from __future__ import annotations

import numpy as np

from nwd.forecast.parameters import Inputs
from nwd.forecast.projection import (
    RAMP_BLOCK_DAYS,
    Plan,
    Start,
    Trajectory,
    care_leavers_from,
    full_destinations,
    full_hazards,
    ramp,
    stock_rings,
)
from nwd.forecast.states import (
    AT_HOME,
    FAMILY_SETTINGS,
    N_AGES,
    N_COLUMNS,
    N_GROUPS,
    N_STATES,
    RETURNED_HOME,
    STEP_DOWN_FROM,
    band_of_age,
)

BEFORE, AFTER, HOME_FLOW, IN_CARE, IN_CARE_AFTER = (N_COLUMNS + i for i in range(5))
WIDE = N_COLUMNS + 5
TINY = 1e-300  # added to both totals of an age, so that an age with nobody keeps its survival
NAMES = ("entries", "from_home", "diverted", "returned_home", "left_care", "aged_out", "support_ended")


def one_step_matrices(
    hazard: np.ndarray, destination: np.ndarray, band_of: np.ndarray, step_down: np.ndarray,
    planned_returns: np.ndarray, step_days: float,
) -> np.ndarray:
    """(N_AGES, S, C) probabilities of being in each column after one step, for one draw.

    ``step_down`` and ``planned_returns`` are per age (0 where the service does nothing).
    """
    to = hazard[:, :, None] * destination[band_of]  # destination-specific hazards (A, S, C)
    for g in STEP_DOWN_FROM:
        for h in FAMILY_SETTINGS:
            to[:, g, h] *= 1.0 + step_down
    for g in range(N_GROUPS):
        to[:, g, RETURNED_HOME] *= 1.0 + planned_returns
    total = to.sum(axis=2)
    stay = np.exp(-total * step_days)
    share = np.divide(to, total[:, :, None], out=np.zeros_like(to), where=total[:, :, None] > 0)
    matrix = (1.0 - stay)[:, :, None] * share
    states = np.arange(N_STATES)
    matrix[:, states, states] += stay
    moves: np.ndarray = matrix
    return moves


def _entrants(
    entry: np.ndarray, first_by_age: np.ndarray, diverted: np.ndarray, step_days: float
) -> np.ndarray:
    base = (entry * step_days)[:, None] * first_by_age
    out = np.zeros((N_AGES, N_STATES))
    out[:, :N_GROUPS] = base * (1.0 - diverted)[:, None]
    out[:, AT_HOME] = base.sum(axis=1) * diverted
    return out


def simulate(inputs: Inputs, plan: Plan, start: Start) -> Trajectory:
    """Every draw of ``inputs``, one after another (float64)."""
    parts = [_one(inputs, d, plan, start) for d in range(inputs.draws)]

    def stack(name: str, axis: int = -1) -> np.ndarray:
        return np.stack([p[name] for p in parts], axis=axis)

    return Trajectory(
        population=stack("population", 2),
        person_steps=stack("person_steps", 2),
        care_leavers=stack("care_leavers"),
        care_leaver_steps=stack("care_leaver_steps"),
        looked_after_by_step=stack("looked_after_by_step"),
        start_looked_after=parts[0]["start_looked_after"],
        **{name: stack(name) for name in NAMES},
    )


def _one(inputs: Inputs, d: int, plan: Plan, start: Start) -> dict[str, np.ndarray]:
    step = plan.step_days
    band_of = np.array(band_of_age(plan.bands))
    ages = np.arange(N_AGES)
    lo, hi = plan.service_ages
    served = ((ages >= lo) & (ages <= hi)).astype(float)
    one = inputs.take(slice(d, d + 1))
    hz = full_hazards(one)[0]
    pi = full_destinations(one)[0]
    first_by_age = inputs.rates.first[d][band_of]
    entry = inputs.rates.entry[d]
    total_home = inputs.home_to_care[d] + inputs.home_ended[d]
    to_care_share = inputs.home_to_care[d] / total_home if total_home > 0 else 0.0

    def tensors(share: float) -> tuple[np.ndarray, np.ndarray]:
        """The one-step matrices with five more columns, so that one product also gives each
        age's total before the step, its total after, the flow out of "at home", and the number
        looked after at the start of the step and after its moves."""
        matrix = one_step_matrices(hz, pi, band_of, inputs.step_down[d] * share * served,
                                   inputs.planned_returns[d] * share * served, step)
        extended = np.zeros((N_AGES, N_STATES, WIDE))
        extended[:, :, :N_COLUMNS] = matrix
        extended[:, :, BEFORE] = 1.0
        extended[:, :, AFTER] = matrix[:, :, :N_STATES].sum(axis=2)
        extended[:, AT_HOME, HOME_FLOW] = 1.0 - matrix[:, AT_HOME, AT_HOME]
        extended[:, :N_GROUPS, IN_CARE] = 1.0
        extended[:, :, IN_CARE_AFTER] = matrix[:, :, :N_GROUPS].sum(axis=2)
        return extended, _entrants(entry, first_by_age, inputs.reach[d] * share * served, step)

    matrix = np.empty((2, N_AGES, N_STATES, WIDE))
    arrivals = np.empty((2, N_AGES, N_STATES))
    matrix[0], arrivals[0] = tensors(0.0)
    block = max(1, int(round(RAMP_BLOCK_DAYS / step)))
    share = float(ramp(plan, one, (block / 2) * step)[0])
    matrix[1], arrivals[1] = tensors(share)
    ramping = share < 1

    x = np.empty((2, N_AGES, N_STATES))
    x[:] = start.stock
    x[0, :, AT_HOME] = 0.0
    x[:, :lo, AT_HOME] = 0.0
    at_home = start.stock_state == AT_HOME
    # Children by age and the step of their next birthday, in units of ``sigma`` (the survival at
    # each age since the start); entrants (birthdays uniform over the year ahead) as prefix sums.
    ring = np.stack([
        stock_rings(plan, start, ~at_home).T,
        stock_rings(plan, start, ~at_home | (start.stock_age >= lo)).T,
    ])
    buckets = plan.buckets
    sigma = np.ones((2, N_AGES))
    history = buckets + plan.batch
    entered = np.zeros((history, 2, N_AGES))
    per_year = int(plan.steps_per_year)
    arriving = arrivals.sum(axis=2)

    years, steps = plan.years, plan.steps
    population = np.zeros((years, 2, N_STATES))
    person_steps = np.zeros((years, 2, N_STATES))
    # Per step: exits (returned home, other), flow out of "at home", leaving at 18 (care, home),
    # entrants (care, diverted home).
    at_18 = np.zeros((steps, 2, 2))
    arrived = np.zeros((steps, 2, 2))
    looked_after_by_step = np.zeros((steps, 2))
    start_lac = x[:, :, :N_GROUPS].sum(axis=(1, 2))
    # Per step and age: the extra columns of the product (exits, totals before and after, flow out of
    # "at home", in care); summed over ages once at the end.
    extra = np.zeros((steps, 2, N_AGES, WIDE - N_STATES))
    totals = extra[..., BEFORE - N_STATES:AFTER - N_STATES + 1]  # each age's total before and after the moves
    present = np.zeros((2, N_AGES, N_STATES))  # children x steps since the last year end
    # The children live in the product's output: two buffers, written in turn, with their views
    # made once (a step is then a handful of numpy calls on tiny arrays, which is what it costs).
    buffers = [np.zeros((2, N_AGES, 1, WIDE)), np.zeros((2, N_AGES, 1, WIDE))]
    states = [b[:, :, 0, :N_STATES] for b in buffers]
    rows = [b[:, :, :, :N_STATES] for b in buffers]
    extras = [b[:, :, 0, N_STATES:] for b in buffers]
    eldest = [b[:, -1, 0, :] for b in buffers]  # the 17s: their states and extra columns
    eldest_states = [b[:, -1, 0, :N_STATES] for b in buffers]
    states[0][:] = x
    current = 0
    factor = np.ones((2, 1))

    def split_arrivals() -> np.ndarray:
        return np.stack([arrivals[:, :, :N_GROUPS].sum(axis=(1, 2)), arrivals[:, :, AT_HOME].sum(axis=1)], 1)

    add = np.add.reduce  # the ufunc's own reduce: a tenth of ``.sum``'s overhead on tiny arrays
    batch = plan.batch
    arrival_changes = [(0, split_arrivals())]
    year_of, year_end = plan.year_of_step.tolist(), plan.year_end.tolist()
    first = 0  # the first step whose survival and entrants are not yet in ``sigma`` and ``entered``

    def settle(last: int, entrants_too: bool) -> None:
        """Fold the steps from ``first`` to ``last`` into the survival ``sigma`` (from each age's
        totals before and after the moves) and the entrants' running sum ``entered`` (to ``last``,
        or to the step before it while its entrants have not come yet). The 17s need them every
        step and keep them in plain floats (``sigma_17``, ``entered_17``); the other ages only at
        the end of a batch of birthdays, so they are worked out then, all steps at once."""
        nonlocal sigma, first
        if last < first:
            return
        window = totals[first:last + 1]
        survival = sigma * np.cumprod((window[..., 1] + TINY) / (window[..., 0] + TINY), axis=0)
        counted = survival if entrants_too else survival[:-1]
        if len(counted):
            steps_in = np.arange(first, first + len(counted))
            entered[steps_in % history] = entered[(first - 1) % history] + np.cumsum(arriving / counted, axis=0)
        sigma = survival[-1]
        first = last + 1

    sigma_17, entered_17, arriving_17 = sigma[:, -1].tolist(), [0.0, 0.0], arriving[:, -1].tolist()
    ring_17 = [ring[0, -1], ring[1, -1]]  # the 17s' rings, read and emptied one bucket a step
    for t in range(steps):
        y = year_of[t]
        if ramping and t > 0 and t % block == 0:
            settle(t - 1, entrants_too=True)
            share = float(ramp(plan, one, (t + block / 2) * step)[0])
            matrix[1], arrivals[1] = tensors(share)
            arriving = arrivals.sum(axis=2)
            arrival_changes.append((t, split_arrivals()))
            ramping = share < 1
            sigma_17, arriving_17 = sigma[:, -1].tolist(), arriving[:, -1].tolist()
            entered_17 = entered[(t - 1) % history, :, -1].tolist()
        present += states[current]
        np.matmul(rows[current], matrix, out=buffers[1 - current])
        current = 1 - current
        x = states[current]
        extra[t] = extras[current]

        # Birthdays: the 17s whose 18th birthday falls in this step leave at once (in plain
        # floats: two scenarios, so numpy's call overhead would cost more than the sums).
        slot, then = t % buckets, (t - per_year - 1) % history
        now_17 = eldest[current].tolist()
        for s in (0, 1):
            row = now_17[s]
            total = row[AFTER]
            sigma_17[s] *= (total + TINY) / (row[BEFORE] + TINY)
            due = (ring_17[s][slot] + (entered_17[s] - entered[then, s, -1]) / per_year) * sigma_17[s]
            ring_17[s][slot] = 0.0
            leaving = min(due, total) / total if total > 0 else 0.0
            factor[s, 0] = 1.0 - leaving
            at_18[t, s, 0] = leaving * row[IN_CARE_AFTER]
            at_18[t, s, 1] = leaving * row[AT_HOME]
        np.multiply(eldest_states[current], factor, out=eldest_states[current])
        if (t + 1) % batch == 0 or t == steps - 1:  # ``batch_ends``: younger ones move up an age
            settle(t, entrants_too=False)
            if sigma.min() < 1e-6:
                small = np.where(sigma < 1e-6, sigma, 1.0)
                ring *= small[:, :, None]
                entered *= small
                sigma = np.where(sigma < 1e-6, 1.0, sigma)
            origin = t - t % batch + np.arange(t % batch + 1)
            due = (np.moveaxis(ring[:, :-1, origin % buckets], -1, 0) + (
                entered[(origin - 1) % history, :, :-1] - entered[(origin - per_year - 1) % history, :, :-1]
            ) / per_year) * sigma[:, :-1]
            ring[:, :-1, origin % buckets] = 0.0
            moving = due.sum(axis=0)
            cap = add(x[:, :-1], axis=2)
            due *= np.divide(cap, moving, out=np.ones_like(cap), where=moving > cap)
            moving = np.minimum(moving, cap)
            movers = x[:, :-1] * np.divide(moving, cap, out=np.zeros_like(cap), where=cap > 0)[:, :, None]
            x[:, :-1] -= movers
            x[:, 1:] += movers
            ring[:, 1:, (origin + per_year) % buckets] += np.moveaxis(due / sigma[:, 1:], 0, -1)
            x += arrivals
            entered[t % history] = entered[(t - 1) % history] + arriving / sigma
            first = t + 1
            sigma_17, entered_17 = sigma[:, -1].tolist(), entered[t % history, :, -1].tolist()
        else:
            x += arrivals
            for s in (0, 1):
                entered_17[s] += arriving_17[s] / sigma_17[s]
        if year_end[t]:
            population[y] = x.sum(axis=1)
            person_steps[y] = present.sum(axis=1)
            present[:] = 0.0
    flows = extra.sum(axis=2)
    looked_after_by_step[:-1] = flows[1:, :, IN_CARE - N_STATES]  # at the start of the next step
    looked_after_by_step[-1] = x[:, :, :N_GROUPS].sum(axis=(1, 2))
    for (begin, split), (end, _) in zip(arrival_changes, [*arrival_changes[1:], (steps, None)]):
        arrived[begin:end] = split

    exits = flows[:, :, :2]
    home_flow = flows[:, :, HOME_FLOW - N_STATES]
    rec = {name: np.zeros((years, 2)) for name in NAMES}
    to_care = home_flow * to_care_share
    ended = home_flow - to_care
    for name, values in (
        ("returned_home", exits[:, :, 0]),
        ("left_care", exits[:, :, 1] - ended),
        ("support_ended", ended + at_18[:, :, 1]),
        ("from_home", to_care),
        ("entries", arrived[:, :, 0] + to_care),
        ("diverted", arrived[:, :, 1]),
        ("aged_out", at_18[:, :, 0]),
    ):
        np.add.at(rec[name], plan.year_of_step, values)
    aged_out_by_step = at_18[:, :, 0]
    leavers, leaver_steps = care_leavers_from(plan, start, aged_out_by_step[:, :, None])
    return {
        "population": population,
        "person_steps": person_steps,
        "care_leavers": leavers[..., 0],
        "care_leaver_steps": leaver_steps[..., 0],
        "looked_after_by_step": looked_after_by_step,
        "start_looked_after": start_lac,
        **rec,
    }
