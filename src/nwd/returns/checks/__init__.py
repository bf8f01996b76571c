"""Checking a return against the code lists and the structural rules of its collection year.

``check(tables, collection_year)`` runs every rule and returns the problems, sorted by file and
row. The rules are the DfE's validation rules for the 903 that can be checked from the return
alone (their rule numbers are the ids), plus a few of ours (ids starting "NWD-"). Rules needing
outside lists (Ofsted's register of providers, the ONS postcode directory, the local authority
codes) are left to the DfE's own tool; see docs/ssda903.md for the list.

Input frames are the reader's (or the exporter's): 903 column names, dates as ``pl.Date``, codes
upper-case. ``_file``/``_row``/``_year`` are used when present and made up when not (the DfE file
name, the row the writer would put it on, the collection year given).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import polars as pl

from nwd.codelists.codes import year_start
from nwd.returns.checks import children, episodes, missing, sequence  # noqa: F401 - registers rules
from nwd.returns.checks.base import RULES, Context, Rule
from nwd.returns.problems import Problem
from nwd.returns.schema import YEAR_COL

__all__ = ["RULES", "Checked", "Rule", "check", "check_bounded", "check_years_apart", "rules_for_year"]


@dataclass
class Checked:
    """What ``check_bounded`` found: the problems listed (at most ``examples`` per rule), how many more
    of each (rule, severity) there were, and the keys of those further error rows."""

    problems: list[Problem]
    unlisted: Counter[tuple[str, str]]
    unlisted_errors: pl.DataFrame


def check(tables: dict[str, pl.DataFrame], collection_year: str | None = None) -> list[Problem]:
    """Every problem in ``tables``, checked by the rules of each row's collection year.

    With ``collection_year`` given, rows without a ``_year`` are taken to be of that year and only
    that year's rows are reported (other years' rows still serve as context, such as the episode
    before). With None, every row is reported by the rules of its own year.
    """
    return check_bounded(tables, collection_year).problems


def check_bounded(tables: dict[str, pl.DataFrame], collection_year: str | None = None,
                  examples: int | None = None) -> Checked:
    """``check``, building at most ``examples`` problems of each rule (None: all); the rest counted."""
    if collection_year is not None:
        year_start(collection_year)
    ctx = Context(tables, collection_year, examples)
    found: list[Problem] = []
    for r in RULES.values():
        if r.table != "*" and not ctx.has(r.table):
            continue
        if collection_year is not None and not r.applies_in(collection_year):
            continue
        found.extend(r.func(ctx, r))
    found.sort(key=lambda p: (p.file or "", p.row or 0, p.rule))
    return Checked(found, ctx.unlisted, ctx.unlisted_errors)


def check_years_apart(tables: dict[str, pl.DataFrame]) -> list[Problem]:
    """Each collection year's rows checked on their own, as the DfE checks each year's return.

    ``check`` on frames that hold several years is meant for a stitched history: unstitched, an
    episode returned in two years would look like two overlapping episodes.
    """
    years = sorted({y for frame in tables.values() if YEAR_COL in frame.columns
                    for y in frame.get_column(YEAR_COL).unique().to_list() if y is not None})
    found: list[Problem] = []
    for year in years:
        found.extend(check({name: frame.filter(pl.col(YEAR_COL) == year) for name, frame in tables.items()}, year))
    return found


def rules_for_year(collection_year: str) -> list[Rule]:
    """The rules that apply in a collection year, in registration order."""
    return [r for r in RULES.values() if r.applies_in(collection_year)]
