"""The numbers the evaluation is set with, and where a council overrides them.

Defaults come from the public record (../shared/domain.md): 12-month windows either side of the
start of support, the national trial's 18 months and ages 12 to 17, the £12.8m savings target by the
fourth year. A council sets its own in ``settings.NWD_EVALUATION`` (a dict with any of the field
names below); nothing here is a constant buried in a calculation.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields, replace

from django.conf import settings

SOURCES = ("care", "missing", "police", "health", "exploitation", "substance", "eet")


@dataclass(frozen=True)
class EvaluationSettings:
    window_months: int = 12
    trial_months: int = 18
    trial_min_age: int = 12
    trial_max_age: int = 17
    # Whole years before the service began shown in the yearly comparison of entries to care.
    comparison_years_before: int = 5
    confidence: float = 0.95
    savings_target: float = 12_800_000.0
    target_years: int = 4
    # The day the service began. None: the day the first hub opened.
    go_live: dt.date | None = None
    # The first date each source holds complete records from, by source (see SOURCES). Missing
    # sources are worked out from the data (see ``nwd.evaluation.queries.coverage``).
    data_start: dict[str, dt.date] = field(default_factory=dict)
    # Ask the forecast engine for the cost avoided (about a second at scale 1). A dashboard page that
    # does not show money can switch it off: build_report(..., link_forecast=False).
    link_forecast: bool = True


def current(**overrides) -> EvaluationSettings:
    """The settings in force: defaults, then ``settings.NWD_EVALUATION``, then ``overrides``."""
    configured = dict(settings.NWD_EVALUATION or {})
    configured.update(overrides)
    known = {f.name for f in fields(EvaluationSettings)}
    unknown = sorted(set(configured) - known)
    if unknown:
        raise ValueError(f"NWD_EVALUATION has settings the evaluation does not know: {', '.join(unknown)}")
    return replace(EvaluationSettings(), **configured)
