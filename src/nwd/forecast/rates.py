"""Rates learnt from the counts, as posterior distributions, so that small cells carry wide bands.

- The hazard of leaving a state (age x placement group) is Gamma(prior + events, prior + exposure):
  conjugate to the Poisson count of events in the exposure. The prior is the group's all-age rate
  worth ``prior_events`` events, so a cell with a dozen children in secure care is pulled toward
  what secure care does at other ages, and is uncertain in proportion to how little is known.
- Where children go when they leave (another group, home, elsewhere) is Dirichlet over the
  destinations, per age band and group, with the group's all-band pattern as prior worth
  ``destination_prior`` moves. Moving to the same group is impossible by construction.
- Entries to care per single year of age are a Poisson rate per day: Gamma(0.5 + entries, days)
  (Jeffreys' prior); the first placement is Dirichlet per age band, pooled as above.
- Leaving the "supported at home" state (into care, or support ending) is learnt from the
  service's spells when given (how soon it ends; the share who stay out of care is the scenario's
  figure updated by these counts, ``parameters.stay_out_share``); otherwise the scenario's stay-out
  share and length of support set it.

``mean_rates`` gives the posterior means (the expected-value projection); ``draw_rates`` gives
``n`` joint draws as arrays with a leading draws axis (the Monte Carlo).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nwd.forecast.counts import Counts
from nwd.forecast.inputs import InputError
from nwd.forecast.states import (
    AT_HOME,
    LEFT_CARE,
    N_AGES,
    N_COLUMNS,
    N_GROUPS,
    RETURNED_HOME,
    band_of_age,
)

POOLED_PRIOR_DAYS = 365.25
NEGLIGIBLE = 1e-9  # the all-groups rate is worth one child-year in each group's prior


HOME_PRIOR = 0.5  # Jeffreys' prior on the two ways out of "supported at home", in events


@dataclass(frozen=True)
class Posterior:
    bands: tuple[tuple[int, int], ...]
    hazard_shape: np.ndarray  # (N_AGES, N_GROUPS)
    hazard_rate: np.ndarray  # (N_AGES, N_GROUPS), per day
    destination_alpha: np.ndarray  # (bands, N_GROUPS, N_COLUMNS)
    entry_shape: np.ndarray  # (N_AGES,)
    entry_rate: np.ndarray  # (N_AGES,), days
    first_alpha: np.ndarray  # (bands, N_GROUPS)
    home_to_care: tuple[float, float] | None  # Gamma(shape, rate per day), from the service's spells
    home_ended: tuple[float, float] | None


@dataclass(frozen=True)
class Rates:
    """Rates per day, with a leading draws axis (length 1 for the posterior mean)."""

    hazard: np.ndarray  # (D, N_AGES, N_GROUPS)
    destination: np.ndarray  # (D, bands, N_GROUPS, N_COLUMNS), rows sum to 1
    entry: np.ndarray  # (D, N_AGES)
    first: np.ndarray  # (D, bands, N_GROUPS), rows sum to 1
    home_to_care: np.ndarray | None  # (D,)
    home_ended: np.ndarray | None  # (D,)

    @property
    def draws(self) -> int:
        return int(self.hazard.shape[0])


def allowed_destinations() -> np.ndarray:
    """(N_GROUPS, N_COLUMNS) mask of where a child in each group can go in one move."""
    allowed = np.zeros((N_GROUPS, N_COLUMNS), dtype=bool)
    allowed[:, :N_GROUPS] = True
    allowed[np.arange(N_GROUPS), np.arange(N_GROUPS)] = False
    allowed[:, RETURNED_HOME] = True
    allowed[:, LEFT_CARE] = True
    return allowed


def fit(counts: Counts, bands: tuple[tuple[int, int], ...], prior_events: float = 1.0,
        destination_prior: float = 2.0) -> Posterior:
    """The posterior of every rate given the counts (see the module docstring for the priors)."""
    band = np.array(band_of_age(bands))
    exposure = counts.exposure[:, :N_GROUPS]
    events = counts.events[:, :N_GROUPS, :]
    leaving = events.sum(axis=2)
    if exposure.sum() <= 0:
        raise InputError(
            f"no child was looked after between {counts.window_start:%d/%m/%Y} and "
            f"{counts.window_end:%d/%m/%Y}, so there is nothing to learn rates from"
        )
    overall = (leaving.sum() + 0.5) / (exposure.sum() + POOLED_PRIOR_DAYS)
    group_rate = (leaving.sum(axis=0) + overall * POOLED_PRIOR_DAYS) / (exposure.sum(axis=0) + POOLED_PRIOR_DAYS)
    hazard_shape = prior_events + leaving
    hazard_rate = prior_events / group_rate[None, :] + exposure

    allowed = allowed_destinations()
    by_band = np.zeros((len(bands), N_GROUPS, N_COLUMNS))
    np.add.at(by_band, band, events)
    uniform = allowed / allowed.sum(axis=1, keepdims=True)
    pooled = by_band.sum(axis=0) + uniform
    pooled = pooled / pooled.sum(axis=1, keepdims=True)
    destination_alpha = np.where(allowed, destination_prior * pooled[None] + by_band, 0.0)

    entries_by_age = counts.entries.sum(axis=1)
    entry_shape = 0.5 + entries_by_age
    entry_rate = np.full(N_AGES, float(counts.window_days))
    first_by_band = np.zeros((len(bands), N_GROUPS))
    np.add.at(first_by_band, band, counts.entries)
    first_pooled = first_by_band.sum(axis=0) + 1.0 / N_GROUPS
    first_pooled = first_pooled / first_pooled.sum()
    first_alpha = destination_prior * first_pooled[None] + first_by_band

    home_to_care = home_ended = None
    home_days = counts.exposure[:, AT_HOME].sum()
    if counts.with_service_data and home_days > 0:
        to_care = counts.events[:, AT_HOME, :N_GROUPS].sum()
        ended = counts.events[:, AT_HOME, LEFT_CARE].sum()
        home_to_care = (HOME_PRIOR + to_care, float(home_days))
        home_ended = (HOME_PRIOR + ended, float(home_days))
    return Posterior(
        bands=bands,
        hazard_shape=hazard_shape,
        hazard_rate=hazard_rate,
        destination_alpha=destination_alpha,
        entry_shape=entry_shape,
        entry_rate=entry_rate,
        first_alpha=first_alpha,
        home_to_care=home_to_care,
        home_ended=home_ended,
    )


def _normalised(values: np.ndarray) -> np.ndarray:
    total = values.sum(axis=-1, keepdims=True)
    shares: np.ndarray = np.divide(values, total, out=np.zeros_like(values), where=total > 0)
    return shares


def mean_rates(posterior: Posterior) -> Rates:
    """The posterior means, as Rates with one draw."""
    def gamma_mean(pair: tuple[float, float] | None) -> np.ndarray | None:
        return None if pair is None else np.array([pair[0] / pair[1]])
    return Rates(
        hazard=(posterior.hazard_shape / posterior.hazard_rate)[None],
        destination=_normalised(posterior.destination_alpha)[None],
        entry=(posterior.entry_shape / posterior.entry_rate)[None],
        first=_normalised(posterior.first_alpha)[None],
        home_to_care=gamma_mean(posterior.home_to_care),
        home_ended=gamma_mean(posterior.home_ended),
    )


def draw_rates(posterior: Posterior, rng: np.random.Generator, n: int) -> Rates:
    """``n`` independent draws from the posterior of every rate."""
    def gamma(shape: np.ndarray, rate: np.ndarray) -> np.ndarray:
        drawn: np.ndarray = rng.standard_gamma(np.broadcast_to(shape, (n, *np.shape(shape)))) / rate
        return drawn

    def dirichlet(alpha: np.ndarray) -> np.ndarray:
        shares = _normalised(rng.standard_gamma(np.broadcast_to(alpha, (n, *alpha.shape))))
        # A destination with a tiny prior share is often drawn as 1e-100 or less: set anything
        # below one in a billion to zero. It changes no figure, and such numbers become
        # "denormal" in float32 arithmetic, which runs many times slower.
        shares[shares < NEGLIGIBLE] = 0.0
        return _normalised(shares)

    def scalar(pair: tuple[float, float] | None) -> np.ndarray | None:
        return None if pair is None else rng.standard_gamma(pair[0], n) / pair[1]

    return Rates(
        hazard=gamma(posterior.hazard_shape, posterior.hazard_rate),
        destination=dirichlet(posterior.destination_alpha),
        entry=gamma(posterior.entry_shape, posterior.entry_rate),
        first=dirichlet(posterior.first_alpha),
        home_to_care=scalar(posterior.home_to_care),
        home_ended=scalar(posterior.home_ended),
    )

