"""The projection written the straightforward way: one draw at a time, one step at a time.

The same model as ``projection`` (read its docstring for the steps), written independently: each
age's one-step transition matrix is built directly from destination-specific hazards
(hazard x share x effect multiplier, then stay = exp(-total x step)), and all ages and both
scenarios move in one ``einsum`` per step. It serves three purposes:

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
    _care_leavers,
    ageing_due,
    ageing_slots,
    entering_weights,
    full_destinations,
    full_hazards,
    ramp,
    stock_slots,
)
from nwd.forecast.states import (
    AT_HOME,
    FAMILY_SETTINGS,
    LEFT_CARE,
    N_AGES,
    N_COLUMNS,
    N_GROUPS,
    N_STATES,
    RETURNED_HOME,
    STEP_DOWN_FROM,
    band_of_age,
)

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
    hz = full_hazards(inputs)[d]
    pi = full_destinations(inputs)[d]
    first_by_age = inputs.rates.first[d][band_of]
    entry = inputs.rates.entry[d]
    total_home = inputs.home_to_care[d] + inputs.home_ended[d]
    to_care_share = inputs.home_to_care[d] / total_home if total_home > 0 else 0.0

    def tensors(share: float) -> tuple[np.ndarray, np.ndarray]:
        matrix = one_step_matrices(hz, pi, band_of, inputs.step_down[d] * share * served,
                                   inputs.planned_returns[d] * share * served, step)
        return matrix, _entrants(entry, first_by_age, inputs.reach[d] * share * served, step)

    matrix = np.empty((2, N_AGES, N_STATES, N_COLUMNS))
    arrivals = np.empty((2, N_AGES, N_STATES))
    matrix[0], arrivals[0] = tensors(0.0)
    block = max(1, int(round(RAMP_BLOCK_DAYS / step)))
    one = inputs.take(slice(d, d + 1))
    share = float(ramp(plan, one, (block / 2) * step)[0])
    matrix[1], arrivals[1] = tensors(share)
    ramping = share < 1

    x = np.empty((2, N_AGES, N_STATES))
    x[:] = start.stock
    x[0, :, AT_HOME] = 0.0
    x[:, :lo, AT_HOME] = 0.0
    ring = np.stack([
        stock_slots(plan, start, start.state_at_17 != AT_HOME),
        stock_slots(plan, start, np.ones(len(start.state_at_17), dtype=bool)),
    ])
    entering = entering_weights(plan)

    years, steps = plan.years, plan.steps
    rec = {name: np.zeros((years, 2)) for name in NAMES}
    population = np.zeros((years, 2, N_STATES))
    person_steps = np.zeros((years, 2, N_STATES))
    aged_out_by_step = np.zeros((steps, 2))
    looked_after_by_step = np.zeros((steps, 2))
    start_lac = x[:, :, :N_GROUPS].sum(axis=(1, 2))

    for t in range(steps):
        y = plan.year_of_step[t]
        if ramping and t > 0 and t % block == 0:
            share = float(ramp(plan, one, (t + block / 2) * step)[0])
            matrix[1], arrivals[1] = tensors(share)
            ramping = share < 1
        person_steps[y] += x.sum(axis=1)
        home_flow = (x[:, :, AT_HOME] * (1.0 - matrix[:, :, AT_HOME, AT_HOME])).sum(axis=1)
        before17 = x[:, -1].sum(axis=1)
        moved = np.einsum("sag,sagc->sac", x, matrix)
        x = moved[:, :, :N_STATES].copy()
        exits = moved[:, :, N_STATES:].sum(axis=1)
        rec["returned_home"][y] += exits[:, 0]
        rec["left_care"][y] += exits[:, 1] - home_flow * (1.0 - to_care_share)
        rec["support_ended"][y] += home_flow * (1.0 - to_care_share)
        rec["from_home"][y] += home_flow * to_care_share
        rec["entries"][y] += arrivals[:, :, :N_GROUPS].sum(axis=(1, 2)) + home_flow * to_care_share
        rec["diverted"][y] += arrivals[:, :, AT_HOME].sum(axis=1)

        after17 = x[:, -1].sum(axis=1)
        for s in (0, 1):
            survival = after17[s] / before17[s] if before17[s] > 0 else 1.0
            ring[s] *= survival
            slot = t % plan.buckets
            due = min(ring[s, slot], after17[s])
            ring[s, slot] = 0.0
            leaving = x[s, -1] * (due / after17[s]) if after17[s] > 0 else np.zeros(N_STATES)
            x[s, -1] -= leaving
            aged_out_by_step[t, s] = leaving[:N_GROUPS].sum()
            rec["support_ended"][y, s] += leaving[AT_HOME]

        batch = ageing_due(plan, t)
        if batch:
            moving = x[:, :-1] * (batch / plan.steps_per_year)
            x[:, :-1] -= moving
            x[:, 1:] += moving
            offsets, weights = ageing_slots(plan, batch)
            ring[:, (t + offsets) % plan.buckets] += np.outer(moving[:, -1].sum(axis=1), weights)

        x += arrivals
        ring += np.outer(arrivals[:, -1].sum(axis=1), np.roll(entering, t % plan.buckets))  # uniform birthdays
        looked_after_by_step[t] = x[:, :, :N_GROUPS].sum(axis=(1, 2))
        if plan.year_end[t]:
            population[y] = x.sum(axis=1)

    np.add.at(rec["aged_out"], plan.year_of_step, aged_out_by_step)
    leavers, leaver_steps = _care_leavers(plan, start, aged_out_by_step[:, :, None])
    return {
        "population": population,
        "person_steps": person_steps,
        "care_leavers": leavers[..., 0],
        "care_leaver_steps": leaver_steps[..., 0],
        "looked_after_by_step": looked_after_by_step,
        "start_looked_after": start_lac,
        **rec,
    }


__all__ = ["simulate", "one_step_matrices", "LEFT_CARE"]
