"""Small synthetic returns built from strings, for the reader, stitching, checks and writer tests."""

from __future__ import annotations

import textwrap
from pathlib import Path

import polars as pl
import pytest

from nwd.returns.reader import read_files

YEAR = "2025-26"

HEADER = """\
CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB
A1,M,01/06/2010,WBRI,A123456789012,,
A2,F,15/03/2012,BAFR,UN1,0,
"""

EPISODES = """\
CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN
A1,01/05/2024,S,C2,N1,U4,PR1,01/06/2025,X1,CARPL,NR1 1AA,NR4 6DS,SC123456
A1,01/06/2025,P,C2,N1,K2,PR4,,,,NR1 1AA,NR7 8QU,SC654321
A2,01/09/2025,S,V2,N4,U6,PR4,01/12/2025,E4A,,NR3 2AN,NR6 7DT,SC111111
"""

MISSING = """\
CHILD,DOB,MISSING,MIS_START,MIS_END
A1,01/06/2010,M,03/07/2025,04/07/2025
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text))
    return path


@pytest.fixture
def valid_return(tmp_path: Path) -> dict[str, pl.DataFrame]:
    """A small 2025-26 return with no problems, as the reader gives it."""
    folder = tmp_path / YEAR
    write(folder, "Header.csv", HEADER)
    write(folder, "Episodes.csv", EPISODES)
    write(folder, "Missing.csv", MISSING)
    result = read_files([folder])
    assert result.problems == []
    return result.tables


def set_cell(tables: dict[str, pl.DataFrame], table: str, row: int, column: str, value) -> dict[str, pl.DataFrame]:
    """A copy of ``tables`` with one cell changed (row as the spreadsheet numbers it)."""
    frame = tables[table]
    dtype = frame.schema[column]
    changed = frame.with_columns(
        pl.when(pl.col("_row") == row).then(pl.lit(value, dtype=dtype)).otherwise(pl.col(column)).alias(column)
    )
    return {**tables, table: changed}


def add_row(tables: dict[str, pl.DataFrame], table: str, **values) -> dict[str, pl.DataFrame]:
    """A copy of ``tables`` with a row added to ``table`` (row number one past the last)."""
    frame = tables[table]
    row = {c: values.get(c) for c in frame.columns}
    row["_file"] = values.get("_file", frame["_file"][0] if frame.height else f"{table}.csv")
    row["_row"] = (frame["_row"].max() or 1) + 1
    row["_year"] = values.get("_year", YEAR)
    return {**tables, table: pl.concat([frame, pl.DataFrame([row], schema=frame.schema)])}


def through_job(client, url: str, data: dict):
    """Post a form that starts a background job, run the job as the worker would, and open its page.

    A response that is not a redirect to the job's page (a form refused) is returned as it is.
    """
    from nwd.jobs.testing import run_queued

    response = client.post(url, data)
    if response.status_code != 302 or "/jobs/" not in response.url:
        return response
    run_queued()
    return client.get(response.url)
