"""Helpers for the evaluation's tests: read the records as at a date and compute."""

from __future__ import annotations

import datetime as dt

import pytest

from nwd.evaluation import before_after, queries
from nwd.evaluation.figures import Period
from nwd.evaluation.params import SOURCES, current

# Records "complete" from a fixed early date, so hand-built tests control every window.
EARLY = dt.date(2015, 1, 1)
ALL_FROM_EARLY = dict.fromkeys(SOURCES, EARLY)


def load(as_of: dt.date, **overrides):
    overrides.setdefault("data_start", ALL_FROM_EARLY)
    return queries.load(as_of, current(**overrides))


def period_figures(indicator_key: str, date_from: dt.date, date_to: dt.date, hub_id=None, **overrides):
    """The figures a period indicator gives, computed from the records as at ``date_to``."""
    from nwd.evaluation.registry import indicator

    data = load(date_to, **overrides)
    return {f.key: f for f in indicator(indicator_key).compute(data, Period(date_from, date_to, hub_id))}


def before_and_after(date_from: dt.date, date_to: dt.date, hub_id=None, **overrides):
    data = load(date_to, **overrides)
    return before_after.compute(data, Period(date_from, date_to, hub_id))


def value(result, person, key: str) -> dict:
    """One young person's row for one indicator, as a dict."""
    match = [r for r in result.for_indicator(key).iter_rows(named=True) if r["person_id"] == person.pk]
    assert len(match) == 1, f"{person} is not in the cohort for {key}"
    return match[0]


@pytest.fixture
def no_forecast(settings):
    settings.NWD_COST_AVOIDED = None
    return settings
