"""The posterior: means recover the rates, bands narrow as the data grows, small cells stay wide."""

import numpy as np
import pytest

from nwd.codelists.groups import PlacementGroup as G
from nwd.forecast.counts import count
from nwd.forecast.histories import segments
from nwd.forecast.inputs import clean_episodes
from nwd.forecast.rates import allowed_destinations, draw_rates, fit, mean_rates
from nwd.forecast.states import DEFAULT_BANDS, GROUP_INDEX, N_AGES, N_COLUMNS, N_GROUPS
from nwd.forecast.synthetic import county, true_hazard_per_day

from .conftest import D


def fitted(synthetic):
    clean = clean_episodes(synthetic.episodes)
    segs, _ = segments(clean)
    counts = count(segs, clean.as_of, D(2021, 4, 1))
    return counts, fit(counts, DEFAULT_BANDS)


def test_posterior_mean_is_events_over_exposure_when_the_data_dominate():
    counts, posterior = fitted(county(entries_per_year=900, years=5, seed=21))
    mean = mean_rates(posterior)
    foster = GROUP_INDEX[G.IN_HOUSE_FOSTERING]
    events = counts.events[:, foster, :].sum()
    exposure = counts.exposure[:, foster].sum()
    pooled = (posterior.hazard_shape[:, foster].sum() - N_AGES) / (posterior.hazard_rate[:, foster].sum())
    assert abs(pooled - events / exposure) / (events / exposure) < 0.02
    # ... and recovers the hazard the county was made with (the same at every age there).
    weights = counts.exposure[4:15, foster]
    by_age = mean.hazard[0, 4:15, foster]
    truth = true_hazard_per_day(G.IN_HOUSE_FOSTERING)
    assert np.average(by_age, weights=weights) == pytest.approx(truth, rel=0.06)
    assert np.allclose(by_age, truth, rtol=0.5)


def test_bands_narrow_as_the_data_grow():
    widths = []
    for entries in (60, 240, 960):
        _, posterior = fitted(county(entries_per_year=entries, years=5, seed=22))
        draws = draw_rates(posterior, np.random.default_rng(0), 2000)
        total_hazard = draws.hazard[:, 5:15, GROUP_INDEX[G.AGENCY_FOSTERING]].mean(axis=1)
        p5, p95 = np.percentile(total_hazard, [5, 95])
        widths.append((p95 - p5) / np.median(total_hazard))
    assert widths[0] > 1.6 * widths[1] > 1.6 * 1.6 * widths[2] > 0


def test_a_small_cell_is_uncertain_and_pulled_toward_its_group():
    counts, posterior = fitted(county(entries_per_year=300, years=6, seed=23))
    secure = GROUP_INDEX[G.SECURE]
    draws = draw_rates(posterior, np.random.default_rng(1), 4000)
    young = draws.hazard[:, 3, secure]  # no child of 3 is in secure care: the prior only
    busy = draws.hazard[:, 10:16, GROUP_INDEX[G.IN_HOUSE_FOSTERING]].mean(axis=1)
    assert counts.exposure[3, secure] == 0
    assert np.std(young) / np.mean(young) > 0.8  # about one event's worth of information
    assert np.std(busy) / np.mean(busy) < 0.1


def test_destinations_are_distributions_without_moves_to_the_same_group():
    _, posterior = fitted(county(entries_per_year=200, years=5, seed=24))
    draws = draw_rates(posterior, np.random.default_rng(2), 500)
    assert draws.destination.shape == (500, len(DEFAULT_BANDS), N_GROUPS, N_COLUMNS)
    assert np.allclose(draws.destination.sum(axis=-1), 1.0)
    assert (draws.destination[..., ~allowed_destinations()] == 0).all()
    assert (draws.destination[..., np.arange(N_GROUPS), np.arange(N_GROUPS)] == 0).all()
    positive = draws.destination[draws.destination > 0]
    assert positive.min() >= 1e-9  # no denormal-prone crumbs
    assert np.allclose(draws.first.sum(axis=-1), 1.0)
