"""Properties for any rates: the batched kernel equals the reference, and children are conserved."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from nwd.forecast import reference
from nwd.forecast.parameters import Inputs
from nwd.forecast.projection import Start, make_plan, project
from nwd.forecast.rates import Rates, allowed_destinations
from nwd.forecast.states import DEFAULT_BANDS, N_AGES, N_COLUMNS, N_GROUPS, N_STATES


@st.composite
def worlds(draw):
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    draws = draw(st.integers(1, 3))
    service_from = draw(st.integers(1, 16))
    plan = make_plan(years=1, step_days=draw(st.sampled_from([7, 14])), bands=DEFAULT_BANDS,
                     service_ages=(service_from, draw(st.integers(service_from, 17))),
                     go_live_offset_days=draw(st.floats(-400, 100)))
    bands = len(plan.bands)
    destination = rng.gamma(0.5, size=(draws, bands, N_GROUPS, N_COLUMNS)) * allowed_destinations()
    destination /= destination.sum(axis=-1, keepdims=True)
    first = rng.dirichlet(np.ones(N_GROUPS), size=(draws, bands))
    rates = Rates(
        hazard=rng.gamma(2.0, 1.0, size=(draws, N_AGES, N_GROUPS)) / 365.25,
        destination=destination, entry=rng.gamma(2.0, 20.0, size=(draws, N_AGES)) / 365.25, first=first,
        home_to_care=None, home_ended=None,
    )
    zeros = np.zeros(draws)
    inputs = Inputs(
        rates=rates, home_to_care=rng.uniform(0.0001, 0.01, draws), home_ended=rng.uniform(0.001, 0.02, draws),
        reach=rng.uniform(0, 1, draws), step_down=rng.uniform(0, 1, draws), planned_returns=rng.uniform(0, 1, draws),
        ramp_days=rng.uniform(30, 500, draws), weekly_cost=np.ones((draws, N_STATES)), care_leaver_cost=zeros,
        inflation=zeros, running_cost_factor=zeros + 1,
    )
    children = int(rng.integers(0, 60))
    ages = rng.integers(0, N_AGES, children)
    states = rng.integers(0, N_GROUPS, children)
    stock = np.zeros((N_AGES, N_STATES))
    np.add.at(stock, (ages, states), 1.0)
    start = Start(stock=stock, stock_age=ages, stock_state=states,
                  stock_days_to_birthday=rng.integers(1, 366, children), care_leaver_days_to_21=np.array([]))
    return inputs, plan, start


@settings(max_examples=12, deadline=None)
@given(worlds())
def test_batched_equals_reference_and_nobody_is_lost(world):
    inputs, plan, start = world
    fast = project(inputs, plan, start, np.float64, workers=1)
    slow = reference.simulate(inputs, plan, start)
    for name in ("population", "person_steps", "entries", "returned_home", "left_care", "aged_out",
                 "diverted", "from_home", "support_ended"):
        assert np.allclose(getattr(fast, name), getattr(slow, name), rtol=1e-8, atol=1e-8), name
    lac = fast.looked_after()[-1]
    for s in (0, 1):
        flows = (fast.entries - fast.returned_home - fast.left_care - fast.aged_out)[:, s].sum(axis=0)
        assert np.allclose(fast.start_looked_after[s] + flows, lac[s], atol=1e-8)
    assert np.array_equal(fast.population[:, 0, :, N_GROUPS], np.zeros_like(fast.population[:, 0, :, 0]))
