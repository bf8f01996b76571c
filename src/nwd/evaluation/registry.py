"""The one list of the evaluation's indicators: what each means, and the function that computes it.

Every indicator is written down once, here, as an ``Indicator``: its plain-English definition, its
window, who is counted and who is left out, beside the function that computes it. The report prints
the definition under each figure, docs/indicators.md is rendered from the same entries (a test
keeps the two equal), and the dashboard looks definitions up by key. So a definition cannot drift
from what is computed without someone editing both in the same place.

Two kinds:

* ``before_after``: a number per young person for any window of time (missing episodes, days in
  residential care...), compared in the 12 months before and after the start of support
  (``nwd.evaluation.before_after``).
* ``period``: a table for a reporting period (referral decisions, the trial outcome, spend...).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

Kind = Literal["before_after", "period"]

# The sections of the report and of docs/indicators.md, in order.
SECTIONS = {
    "referrals": "Referrals and decisions",
    "before_after": "Before and after support",
    "trial": "The national trial's outcome",
    "care": "Care in the council",
    "team": "The team around the young person",
    "money": "Money",
}


@dataclass(frozen=True)
class Indicator:
    key: str
    title: str
    kind: Kind
    unit: str
    definition: str
    window: str
    counted: str
    excluded: str
    compute: Callable
    section: str
    # before_after only: which way is better, the source whose coverage clips the windows, and
    # whether the window stops at the 18th birthday (measures of care).
    better: Literal["lower", "higher"] | None = None
    source: str | None = None
    stops_at_18: bool = False
    evidence: str = ""

    @property
    def additive(self) -> bool:
        """Counts, days and hours add up across young people; a share of days or a level does not."""
        return self.unit not in NON_ADDITIVE_UNITS

    def improved(self, before, after):
        """Whether ``after`` is better than ``before`` (arrays), by this indicator's direction."""
        return after < before if self.better == "lower" else after > before


NON_ADDITIVE_UNITS = frozenset({"share of days", "level (0-3)"})

_REGISTRY: dict[str, Indicator] = {}


def register(**fields) -> Callable:
    """Decorator: add the decorated function to the registry as an indicator's computation."""

    def wrap(function: Callable) -> Callable:
        key = fields["key"]
        if key in _REGISTRY:
            raise ValueError(f"Indicator {key!r} is defined twice.")
        _REGISTRY[key] = Indicator(compute=function, **fields)
        return function

    return wrap


def indicators() -> dict[str, Indicator]:
    """Every indicator, in the order the report presents them."""
    # Importing the modules registers their indicators; the order of import is the order of the report.
    from nwd.evaluation import indicators as _indicators  # noqa: F401
    from nwd.evaluation import money as _money  # noqa: F401
    from nwd.evaluation import trial as _trial  # noqa: F401

    order = list(SECTIONS)
    ranked = sorted(enumerate(_REGISTRY.values()), key=lambda pair: (order.index(pair[1].section), pair[0]))
    return {entry.key: entry for _, entry in ranked}


def indicator(key: str) -> Indicator:
    return indicators()[key]


def before_after_indicators() -> list[Indicator]:
    return [i for i in indicators().values() if i.kind == "before_after"]
