"""Helpers for the forecast's tests: hand-written episodes and small synthetic counties.

Everything is synthetic. (The root conftest's ``county`` fixture is the database's synthetic county;
these tests need no database, so their counties have other names.)
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl
import pytest

from nwd.codelists.groups import PlacementGroup
from nwd.forecast import synthetic
from nwd.forecast.parameters import Inputs
from nwd.forecast.rates import Rates
from nwd.forecast.states import DEFAULT_BANDS, GROUP_INDEX, LEFT_CARE, N_AGES, N_COLUMNS, N_GROUPS, N_STATES

D = dt.date
EPISODE_SCHEMA = {
    "CHILD": pl.Utf8, "SEX": pl.Utf8, "DOB": pl.Date, "DECOM": pl.Date, "DEC": pl.Date, "RNE": pl.Utf8,
    "LS": pl.Utf8, "CIN": pl.Utf8, "PLACE": pl.Utf8, "PLACE_PROVIDER": pl.Utf8, "REC": pl.Utf8,
}


def episodes(*rows: tuple) -> pl.DataFrame:
    """Episodes from (CHILD, DOB, DECOM, DEC, PLACE, PLACE_PROVIDER, REC[, RNE[, LS]]) tuples."""
    out = []
    for row in rows:
        child, dob, decom, dec, place, provider, rec, *rest = row
        rne = rest[0] if rest else "S"
        ls = rest[1] if len(rest) > 1 else "C2"
        out.append({"CHILD": child, "SEX": "1", "DOB": dob, "DECOM": decom, "DEC": dec, "RNE": rne, "LS": ls,
                    "CIN": "N1", "PLACE": place, "PLACE_PROVIDER": provider, "REC": rec})
    return pl.DataFrame(out, schema=EPISODE_SCHEMA, orient="row")


def hand_inputs(
    hazard_per_year: float, entries_per_year_at: dict[int, float] | None = None,
    group: PlacementGroup = PlacementGroup.IN_HOUSE_FOSTERING, draws: int = 1,
) -> Inputs:
    """Inputs written by hand: one placement group, a constant hazard of leaving care (all exits),
    entrants at the given ages into that group, no service effect, zero costs."""
    g = GROUP_INDEX[group]
    bands = len(DEFAULT_BANDS)
    hazard = np.full((draws, N_AGES, N_GROUPS), hazard_per_year / 365.25)
    destination = np.zeros((draws, bands, N_GROUPS, N_COLUMNS))
    destination[..., LEFT_CARE] = 1.0
    entry = np.zeros((draws, N_AGES))
    for age, per_year in (entries_per_year_at or {}).items():
        entry[:, age] = per_year / 365.25
    first = np.zeros((draws, bands, N_GROUPS))
    first[..., g] = 1.0
    zeros = np.zeros(draws)
    return Inputs(
        rates=Rates(hazard=hazard, destination=destination, entry=entry, first=first,
                    home_to_care=None, home_ended=None),
        home_to_care=zeros + 1e-3, home_ended=zeros + 1e-2, reach=zeros.copy(), step_down=zeros.copy(),
        planned_returns=zeros.copy(), ramp_days=zeros + 365.25, weekly_cost=np.zeros((draws, N_STATES)),
        care_leaver_cost=zeros.copy(), inflation=zeros.copy(), running_cost_factor=zeros + 1.0,
    )


@pytest.fixture(scope="session")
def small_county() -> synthetic.County:
    """About 300 entries a year for 8 years to 31 March 2024, with the service's spells at home."""
    return synthetic.county(entries_per_year=300, years=8, seed=11, spells_per_year=40)


@pytest.fixture(scope="session")
def messy_county() -> synthetic.County:
    return synthetic.county(entries_per_year=150, years=6, seed=12, messy=0.1)


def write_903(synthetic_county: synthetic.County, folder, years=range(2019, 2024)) -> None:
    """Write a county as one SSDA903 return per collection year (Header and Episodes CSVs)."""
    from nwd.returns.writer import tables_for_year, write_tables

    extra = [pl.lit(None, dtype=pl.Utf8).alias(c) for c in ("REASON_PLACE_CHANGE", "HOME_POST", "PL_POST", "URN")]
    found = synthetic_county.episodes
    header = found.group_by("CHILD").agg(pl.col("SEX").first(), pl.col("DOB").first()).with_columns(
        pl.lit("WBRI").alias("ETHNIC"), pl.lit(None, dtype=pl.Utf8).alias("UPN"),
        pl.lit(None, dtype=pl.Utf8).alias("MOTHER"), pl.lit(None, dtype=pl.Date).alias("MC_DOB"),
    )
    for start in years:
        year = f"{start}-{(start + 1) % 100:02d}"
        tables = tables_for_year(found.drop("SEX", "DOB").with_columns(extra), header, None, None, year)
        write_tables(tables, year, folder / year)


@pytest.fixture(scope="session")
def return_903(small_county, tmp_path_factory):
    """The small county as five years of SSDA903 files, 2019-20 to 2023-24."""
    folder = tmp_path_factory.mktemp("return903")
    write_903(small_county, folder)
    return folder
