"""The projection written the straightforward way: one draw at a time, one step at a time.

The same model as ``projection`` (read its docstring for the steps), written separately: each
age's one-step transition matrix is built directly from destination-specific hazards
(hazard x share x effect multiplier, then stay = exp(-total x step)), all ages and both scenarios
move in one matrix product per step, and flows are recorded every step rather than recovered
from accumulated exposure. It serves three purposes:

- the expected-value projection (one draw, float64; fast because its arrays are tiny);
- the benchmark's reference, timed against the batched Monte Carlo;
- a check on the batched kernel: the tests require both to give the same numbers.
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

BEFORE, AFTER, HOME_FLOW, IN_CARE = N_COLUMNS, N_COLUMNS + 1, N_COLUMNS + 2, N_COLUMNS + 3
WIDE = N_COLUMNS + 4
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
    return matrix


def _entrants(entry, first_by_age, diverted, step_days) -> np.ndarray:
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
        """The one-step matrices with four more columns, so that one product also gives each
        age's total before the step, its total after, the flow out of "at home", and the number
        looked after at the start of the step."""
        matrix = one_step_matrices(hz, pi, band_of, inputs.step_down[d] * share * served,
                                   inputs.planned_returns[d] * share * served, step)
        extended = np.zeros((N_AGES, N_STATES, WIDE))
        extended[:, :, :N_COLUMNS] = matrix
        extended[:, :, BEFORE] = 1.0
        extended[:, :, AFTER] = matrix[:, :, :N_STATES].sum(axis=2)
        extended[:, AT_HOME, HOME_FLOW] = 1.0 - matrix[:, AT_HOME, AT_HOME]
        extended[:, :N_GROUPS, IN_CARE] = 1.0
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
    buffers = [np.empty((2, N_AGES, 1, WIDE)), np.empty((2, N_AGES, 1, WIDE))]
    flows = np.zeros((steps, 2, WIDE - N_STATES))  # per step: exits, totals, flow out of "at home"
    present = np.zeros((2, N_AGES, N_STATES))  # children x steps since the last year end

    def split_arrivals():
        return np.stack([arrivals[:, :, :N_GROUPS].sum(axis=(1, 2)), arrivals[:, :, AT_HOME].sum(axis=1)], 1)

    add = np.add.reduce  # the ufunc's own reduce: a tenth of ``.sum``'s overhead on tiny arrays
    batch = plan.batch
    arrival_changes = [(0, split_arrivals())]
    for t in range(steps):
        y = plan.year_of_step[t]
        if ramping and t > 0 and t % block == 0:
            share = float(ramp(plan, one, (t + block / 2) * step)[0])
            matrix[1], arrivals[1] = tensors(share)
            arriving = arrivals.sum(axis=2)
            arrival_changes.append((t, split_arrivals()))
            ramping = share < 1
        present += x
        moved = np.matmul(x[:, :, None, :], matrix, out=buffers[t % 2])[:, :, 0]
        x = moved[:, :, :N_STATES]
        add(moved[:, :, N_STATES:], axis=1, out=flows[t])
        before, after = moved[:, :, BEFORE], moved[:, :, AFTER]

        # Birthdays: the 17s whose 18th birthday falls in this step leave at once; younger ones
        # move up at the end of each batch, with their age's mix of states, each bucket's next
        # birthday exactly a year of steps after its own.
        sigma *= (after + 1e-300) / (before + 1e-300)  # 1 at an age with nobody
        slot = t % buckets
        # (in plain floats: two numbers, so numpy's call overhead would cost more than the sums)
        now, then = entered[(t - 1) % history], entered[(t - per_year - 1) % history]
        shares = []
        for s in (0, 1):
            due = (ring[s, -1, slot] + (now[s, -1] - then[s, -1]) / per_year) * sigma[s, -1]
            total = after[s, -1]
            shares.append(min(due, total) / total if total > 0 else 0.0)
        ring[:, -1, slot] = 0.0
        leaving = x[:, -1] * np.array(shares)[:, None]
        x[:, -1] -= leaving
        add(leaving[:, :N_GROUPS], axis=1, out=at_18[t, :, 0])
        at_18[t, :, 1] = leaving[:, AT_HOME]
        if (t + 1) % batch == 0 or t == steps - 1:  # ``batch_ends``
            if sigma.min() < 1e-6:
                factor = np.where(sigma < 1e-6, sigma, 1.0)
                ring *= factor[:, :, None]
                entered *= factor
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
        if plan.year_end[t]:
            population[y] = x.sum(axis=1)
            person_steps[y] = present.sum(axis=1)
            present[:] = 0.0
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
