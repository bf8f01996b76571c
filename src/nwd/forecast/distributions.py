"""Uncertain numbers in a scenario: an effect size or a unit cost as a distribution, not a point.

The Monte Carlo draws each from its distribution, so what is not known well (how many would-be
entrants the service reaches, what a private children's home will cost) widens the bands by as
much as it should. The expected-value projection uses each distribution's mean.

In the TOML file a value is either a plain number (known exactly) or a table:

    { dist = "fixed", value = 0.5 }
    { dist = "beta", a = 305.3, b = 49.7 }            # a share; optional scale multiplies it
    { dist = "uniform", low = 0.75, high = 1.25 }
    { dist = "lognormal", p5 = 3830, p95 = 10000 }    # positive, heavy-tailed (costs)
    { dist = "normal", mean = 0.05, sd = 0.02 }       # optional low, high clip it
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from typing import Any

import numpy as np

Z95 = 1.6448536269514722  # the 95th percentile of the standard normal


class ScenarioError(ValueError):
    """A scenario value is missing or wrong; the message names the key."""


@dataclass(frozen=True)
class Dist:
    kind: str
    a: float = 0.0
    b: float = 0.0
    scale: float = 1.0
    low: float = -math.inf
    high: float = math.inf

    def mean(self) -> float:
        if self.kind == "fixed":
            return self.a
        if self.kind == "beta":
            return self.scale * self.a / (self.a + self.b)
        if self.kind == "uniform":
            return (self.a + self.b) / 2
        if self.kind == "lognormal":
            mu, sigma = self._lognormal()
            return math.exp(mu + sigma**2 / 2)
        return float(min(max(self.a, self.low), self.high))  # normal

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        if self.kind == "fixed":
            return np.full(n, self.a)
        if self.kind == "beta":
            return self.scale * rng.beta(self.a, self.b, n)
        if self.kind == "uniform":
            return rng.uniform(self.a, self.b, n)
        if self.kind == "lognormal":
            mu, sigma = self._lognormal()
            return np.exp(rng.normal(mu, sigma, n))
        return np.clip(rng.normal(self.a, self.b, n), self.low, self.high)

    def plausible(self) -> tuple[float, float]:
        """Its 5th and 95th percentiles: the low and high plausible values the sensitivity chart
        moves it between (a Beta's from 100,000 draws of a fixed seed, so always the same)."""
        if self.kind == "fixed":
            return self.a, self.a
        if self.kind == "beta":
            low, high = _beta_percentiles(self.a, self.b)
            return self.scale * low, self.scale * high
        if self.kind == "uniform":
            return self.a + 0.05 * (self.b - self.a), self.a + 0.95 * (self.b - self.a)
        if self.kind == "lognormal":
            return self.a, self.b
        return (float(min(max(self.a - Z95 * self.b, self.low), self.high)),
                float(min(max(self.a + Z95 * self.b, self.low), self.high)))

    def describe(self) -> str:
        if self.kind == "fixed":
            return f"{self.a:g}"
        if self.kind == "beta":
            scale = f" × {self.scale:g}" if self.scale != 1 else ""
            return f"Beta({self.a:g}, {self.b:g}){scale}, mean {self.mean():.3g}"
        if self.kind == "uniform":
            return f"uniform {self.a:g} to {self.b:g}"
        if self.kind == "lognormal":
            return f"lognormal, 90% between {self.a:g} and {self.b:g}, mean {self.mean():.4g}"
        return f"normal, mean {self.a:g}, sd {self.b:g}"

    def _lognormal(self) -> tuple[float, float]:
        lo, hi = math.log(self.a), math.log(self.b)
        return (lo + hi) / 2, (hi - lo) / (2 * Z95)


@functools.lru_cache(maxsize=256)
def _beta_percentiles(a: float, b: float) -> tuple[float, float]:
    sample = np.random.default_rng(0).beta(a, b, 100_000)
    low, high = np.percentile(sample, (5, 95))
    return float(low), float(high)


def fixed(value: float) -> Dist:
    return Dist("fixed", float(value))


def _number(table: dict[str, Any], key: str, where: str, default: float | None = None) -> float:
    if key not in table:
        if default is None:
            raise ScenarioError(f"{where}: needs '{key}'")
        return default
    value = table[key]
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ScenarioError(f"{where}.{key}: must be a number, not {value!r}")
    return float(value)


def parse_dist(value: object, where: str, *, positive: bool = False, share: bool = False) -> Dist:
    """A distribution from its TOML form; ``where`` (such as "service.reach") names it in errors."""
    if isinstance(value, bool):
        raise ScenarioError(f"{where}: must be a number or a distribution, not {value!r}")
    if isinstance(value, int | float):
        dist = fixed(value)
    elif isinstance(value, dict):
        kind = value.get("dist")
        known = {"fixed", "beta", "uniform", "lognormal", "normal"}
        if kind not in known:
            raise ScenarioError(f"{where}: 'dist' must be one of {', '.join(sorted(known))}, not {kind!r}")
        if kind == "fixed":
            dist = fixed(_number(value, "value", where))
        elif kind == "beta":
            a, b = _number(value, "a", where), _number(value, "b", where)
            if a <= 0 or b <= 0:
                raise ScenarioError(f"{where}: a and b of a Beta distribution must be above 0")
            dist = Dist("beta", a, b, scale=_number(value, "scale", where, 1.0))
        elif kind == "uniform":
            low, high = _number(value, "low", where), _number(value, "high", where)
            if high < low:
                raise ScenarioError(f"{where}: high must not be below low")
            dist = Dist("uniform", low, high)
        elif kind == "lognormal":
            p5, p95 = _number(value, "p5", where), _number(value, "p95", where)
            if not 0 < p5 <= p95:
                raise ScenarioError(f"{where}: a lognormal needs 0 < p5 <= p95")
            dist = Dist("lognormal", p5, p95)
        else:
            sd = _number(value, "sd", where)
            if sd < 0:
                raise ScenarioError(f"{where}: sd must not be negative")
            dist = Dist(
                "normal",
                _number(value, "mean", where),
                sd,
                low=_number(value, "low", where, -math.inf),
                high=_number(value, "high", where, math.inf),
            )
    else:
        raise ScenarioError(f"{where}: must be a number or a distribution table, not {value!r}")
    _check_range(dist, where, positive=positive, share=share)
    return dist


def _check_range(dist: Dist, where: str, *, positive: bool, share: bool) -> None:
    if dist.kind == "fixed":
        lo = hi = dist.a
    elif dist.kind == "beta":
        lo, hi = 0.0, dist.scale
    elif dist.kind == "uniform" or dist.kind == "lognormal":
        lo, hi = dist.a, dist.b
    else:
        lo, hi = dist.low, dist.high
    if positive and lo < 0:
        raise ScenarioError(f"{where}: must not be negative")
    if share and not (lo >= 0 and hi <= 1):
        raise ScenarioError(f"{where}: is a share, so must lie between 0 and 1")
