"""The project's checker and the DfE's validator agree, rule by rule, on the same files.

The synthetic county (fixture ``county``) is exported for 2024-25, 2025-26 and 2026-27, and two
messy returns are made from its 2019-20 and 2025-26 exports with deliberate faults for the rules
the checker reads by year or by sequence (runs of L1/L2/L3 episodes and open ones, V3 short breaks,
REC X1 without a continuation, postcodes shaped wrongly, the placement distance of an
unaccompanied child, providers and URNs the year's lists refuse). The validator
(csc-validator-be-903, bench/returns_dfe_check.py) runs once, in one process, on every file set
(with the year before), and the project's checker reads each year's files as ``nwd import-903``
does (read, stitch, check). For every rule both implement that ran, the rows each flags must be the
same; the county's exports must have none, apart from the validator's documented defects
(docs/ssda903.md, "Defects of the validator"), which ``known_defect`` names one by one.

Re-importing each year's export changes nothing (the round trip is idempotent year by year).
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from collections import defaultdict
from pathlib import Path

import polars as pl
import pytest

from nwd.codelists.codes import year_bounds
from tests.returns.test_dfe_rules import PYTHON, SCRIPT, needs_validator

pytestmark = [pytest.mark.slow, needs_validator]

COUNTY_YEARS = ("2024-25", "2025-26", "2026-27")
MESSY_YEARS = ("2019-20", "2025-26")
Rows = dict[str, dict[str, set[int]]]  # rule -> table -> spreadsheet rows


def previous(year: str) -> str:
    start = int(year[:4]) - 1
    return f"{start}-{(start + 1) % 100:02d}"


# --- the messy return -----------------------------------------------------------------------------

def day(value: dt.date) -> str:
    return value.strftime("%d/%m/%Y")


def read(folder: Path, table: str) -> pl.DataFrame:
    return pl.read_csv(folder / f"{table}.csv", infer_schema=False)


def make_messy(export: Path, out: Path, year: str) -> dict[str, str]:
    """A copy of ``export`` (one year of the county) with faults for the rules this module is about.

    Each fault is given to a child of its own, whose episodes in the year are replaced by the
    ones written here (the children chosen have a single episode in the year, none missing and are
    not unaccompanied), so that one fault does not run into another. Returns what each child is for.
    """
    out.mkdir(parents=True)
    for path in export.glob("*.csv"):
        (out / path.name).write_bytes(path.read_bytes())
    first, last = year_bounds(year)
    episodes = read(export, "Episodes")
    uasc = set(read(export, "UASC")["CHILD"].to_list())
    missing = set(read(export, "Missing")["CHILD"].to_list())
    counts = episodes.group_by("CHILD").len()
    single = episodes.join(counts.filter(pl.col("len") == 1), on="CHILD").filter(
        ~pl.col("CHILD").is_in(sorted(uasc | missing)) & pl.col("PLACE").is_in(["U4", "U6", "K2"])
        & pl.col("PL_POST").is_not_null() & pl.col("HOME_POST").is_not_null()).sort("CHILD")
    elsewhere = single.filter(pl.col("PLACE") == "U6").row(0, named=True)  # another foster placement
    pool = iter(single.filter(pl.col("CHILD") != elsewhere["CHILD"]).iter_rows(named=True))
    old = int(year[:4]) <= 2024
    faults: dict[str, str] = {}
    rows: dict[str, list[dict]] = {}

    def child(purpose: str, *steps: tuple) -> None:
        """Replace a child's episodes by ``steps``: (from, to or None, RNE, LS, REC, placement changes)."""
        base = next(pool)
        faults[base["CHILD"]] = purpose
        made = []
        for start, end, rne, ls, rec, place in steps:
            row = {**base, "DECOM": day(start), "DEC": day(end) if end else None, "RNE": rne, "LS": ls,
                   "REC": rec if end else None, "REASON_PLACE_CHANGE": None}
            if place:
                row.update({"PLACE": elsewhere["PLACE"], "PLACE_PROVIDER": elsewhere["PLACE_PROVIDER"],
                            "PL_POST": elsewhere["PL_POST"], "URN": elsewhere["URN"], **place})
            made.append(row)
        for before, after in zip(made, made[1:]):
            changed = any(before[c] != after[c] for c in ("PLACE", "PLACE_PROVIDER", "PL_POST", "URN"))
            if before["REC"] == "X1" and changed and after["DECOM"] == before["DEC"]:
                before["REASON_PLACE_CHANGE"] = "CARPL"
        rows[base["CHILD"]] = made

    f = first
    days = dt.timedelta
    moved = {"PLACE": elsewhere["PLACE"]}
    # 361: police protection over two episodes, 2 and 3 days, back to back: 5 days, both flagged.
    child("361 run", (f + days(10), f + days(12), "S", "L1", "X1", None),
          (f + days(12), f + days(15), "P", "L1", "X1", moved), (f + days(15), f + days(90), "L", "C1", "E4A", moved))
    # 361: police protection still open 10 days before the year ends: counted to 31 March.
    child("361 open", (last - days(10), None, "S", "L1", None, None))
    # 361: two days of L1, then C1 in the same placement: nothing flagged.
    child("361 apart", (f + days(20), f + days(22), "S", "L1", "X1", None),
          (f + days(22), f + days(40), "L", "C1", "E4A", None))
    # 362: an emergency protection order over two placements, 15 + 10 days.
    child("362 run", (f + days(20), f + days(35), "S", "L2", "X1", None),
          (f + days(35), f + days(45), "P", "L2", "X1", moved), (f + days(45), None, "L", "C1", None, moved))
    # 363: a child assessment order over two placements, 4 + 6 days.
    child("363 run", (f + days(50), f + days(54), "S", "L3", "X1", None),
          (f + days(54), f + days(60), "P", "L3", "X1", moved), (f + days(60), f + days(150), "L", "V2", "E4A", moved))
    # 365: a short break still open 20 days before the year ends; and two breaks of 10 days back to
    # back, each judged alone (nothing flagged).
    child("365 open", (last - days(19), None, "S", "V3", None, None))
    child("365 apart", (f + days(100), f + days(110), "S", "V3", "X1", None),
          (f + days(110), f + days(120), "P", "V3", "E4A", moved))
    # 388: REC X1 on the child's last episode; X1 with the next episode days later; E4A with the next
    # the same day.
    child("388 last", (f + days(30), f + days(60), "S", "V2", "X1", None))
    child("388 gap", (f + days(30), f + days(60), "S", "V2", "X1", None),
          (f + days(65), f + days(90), "P", "V2", "E4A", moved))
    child("388 not X1", (f + days(30), f + days(60), "S", "V2", "E4A", None),
          (f + days(60), f + days(90), "P", "V2", "E4A", moved))
    # 392c: postcodes of the wrong shape.
    base = next(pool)
    faults[base["CHILD"]] = "392c placement"
    rows[base["CHILD"]] = [{**base, "PL_POST": "V28 5OY"}]
    base = next(pool)
    faults[base["CHILD"]] = "392c home"
    rows[base["CHILD"]] = [{**base, "HOME_POST": "NR1 1CA"}]
    # 178, 213, 222: providers and URNs the year's lists refuse.
    if old:
        for place, what in (("H5", "222 H5 with a URN"), ("P2", "222 P2 with a URN"), ("Z1", "178 and 222 Z1")):
            base = next(pool)
            faults[base["CHILD"]] = what
            rows[base["CHILD"]] = [{**base, "PLACE": place, "PLACE_PROVIDER": "PR4", "URN": "1234567"}]
    else:
        base = next(pool)
        faults[base["CHILD"]] = "178, 213 and 222 Z14"
        rows[base["CHILD"]] = [{**base, "PLACE": "Z14", "PLACE_PROVIDER": "PR4", "URN": "1234567"}]
    # 406: an unaccompanied child with both postcodes, so a distance would be worked out.
    with_home = elsewhere["HOME_POST"]
    uasc_episodes = episodes.filter(pl.col("CHILD").is_in(sorted(uasc)) & pl.col("HOME_POST").is_null()
                                    & pl.col("PL_POST").is_not_null() & (pl.col("PL_POST") != with_home))
    target = uasc_episodes["CHILD"][0]
    faults[target] = "406"
    rows[target] = [{**r, "HOME_POST": with_home} for r in episodes.filter(pl.col("CHILD") == target).iter_rows(named=True)]

    kept = episodes.filter(~pl.col("CHILD").is_in(list(rows)))
    made = pl.DataFrame([r for child_rows in rows.values() for r in child_rows], schema=episodes.schema)
    pl.concat([kept, made]).sort("CHILD", pl.col("DECOM").str.to_date("%d/%m/%Y")).write_csv(
        out / "Episodes.csv", null_value="")
    return faults


# --- the two checkers -----------------------------------------------------------------------------

def project_rows(folder: Path, year: str) -> Rows:
    """What the project's checker flags in one year's files, read as ``nwd import-903`` reads them."""
    from nwd.returns.checks import check
    from nwd.returns.importer import within_each_year
    from nwd.returns.reader import read_files
    from nwd.returns.stitch import stitch

    read = read_files([folder], year)
    stitched = stitch(read.tables)
    found: Rows = defaultdict(lambda: defaultdict(set))
    for p in [*read.problems, *stitched.problems, *check(stitched.tables, year), *within_each_year(read.tables)]:
        if p.table and p.row is not None:
            found[p.rule][p.table].add(p.row)
    return found


def known_defect(rule: str, table: str, row: int, folder: Path, year: str) -> bool:
    """Whether the validator flags this row only through one of its documented defects."""
    if rule in ("575", "577") and table == "Missing":
        # Its rule 365 fills in every open episode's DEC in the data later rules share, so a missing
        # episode still open on 31 March is read as outliving its placement.
        return read(folder, "Missing").row(row - 2, named=True)["MIS_END"] is None
    if (year, rule, table) == ("2024-25", "146", "Episodes"):  # its 2024-25 list spells K3 "k3"
        return read(folder, "Episodes").row(row - 2, named=True)["PLACE"] == "K3"
    return (year, rule) == ("2024-25", "202")  # SEX compared across the 1/2 -> M/F change


def validator_blind(rule: str, table: str, row: int, folder: Path) -> bool:
    """Whether the validator cannot see what the project flags on this row, by a documented defect:
    its rule 371 (the age for H5 and K3) drops episodes without a DEC, so an open one is never checked."""
    if rule == "371" and table == "Episodes":
        return read(folder, "Episodes").row(row - 2, named=True)["DEC"] is None
    return False


def unfinished(rule: str, table: str, row: int, folder: Path, year: str) -> bool:
    """A year not over yet: an episode open now is read as lasting to 31 March (both checkers)."""
    from nwd.core.dates import today

    if year_bounds(year)[1] < today() or rule not in ("361", "362", "363", "365") or table != "Episodes":
        return False
    return read(folder, "Episodes").row(row - 2, named=True)["DEC"] is None


@pytest.fixture(scope="module")
def file_sets(county, tmp_path_factory, django_db_blocker):
    """Every file set both checkers look at: folder, year, the validator's run and rows, and ours."""
    from nwd.returns.exporter import build_year, write_year

    root = tmp_path_factory.mktemp("dfe-agreement")
    export = root / "export"
    wanted = sorted(set(COUNTY_YEARS) | {previous(y) for y in COUNTY_YEARS}
                    | set(MESSY_YEARS) | {previous(y) for y in MESSY_YEARS})
    with django_db_blocker.unblock():
        for year in wanted:
            write_year(build_year(year), export / year)
    sets = [(f"county {y}", export / y, export / previous(y), y, {}) for y in COUNTY_YEARS]
    for year in MESSY_YEARS:
        folder = root / f"messy-{year}"
        sets.append((f"messy {year}", folder, export / previous(year), year, make_messy(export / year, folder, year)))
    args = [str(a) for _name, folder, prev, year, _faults in sets for a in (folder, prev, year)]
    run = subprocess.run([PYTHON, str(SCRIPT), "--json", *args], capture_output=True, text=True, timeout=1800)
    assert run.returncode == 0, run.stderr[-3000:]
    dfe = {d["folder"]: d for d in (json.loads(line) for line in run.stdout.splitlines() if line.startswith('{"'))}
    result = {}
    for name, folder, _prev, year, faults in sets:
        theirs = dfe[str(folder)]
        rows: Rows = defaultdict(lambda: defaultdict(set))
        for rule, tables in theirs["rows"].items():
            for table, flagged in tables.items():
                rows[rule][table] = {r for r in flagged if not known_defect(rule, table, r, folder, year)}
        result[name] = {"folder": folder, "year": year, "faults": faults, "run": set(theirs["run"]),
                        "dfe": rows, "ours": project_rows(folder, year), "dfe_errors": theirs["errors"]}
    return result


def compared_rules(file_set: dict) -> list[str]:
    """The rules both implement for the year that the validator ran (not skipped for want of a list)."""
    from nwd.returns.checks import rules_for_year

    return sorted({r.id for r in rules_for_year(file_set["year"])} & file_set["run"])


def disagreements(file_set: dict) -> dict[str, str]:
    found = {}
    for rule in compared_rules(file_set):
        ours, theirs = file_set["ours"].get(rule, {}), file_set["dfe"].get(rule, {})
        for table in sorted(set(ours) | set(theirs)):
            mine, dfe = ours.get(table, set()), theirs.get(table, set())
            mine = {r for r in mine if r in dfe or not validator_blind(rule, table, r, file_set["folder"])}
            if mine != dfe:
                found[f"{rule} {table}"] = (f"ours {len(mine)}, the DfE's {len(dfe)}; only ours: "
                                            f"{sorted(mine - dfe)[:8]}, only the DfE's: {sorted(dfe - mine)[:8]}")
    return found


def flagged(rows: Rows, file_set: dict) -> dict[str, int]:
    """Rows flagged per rule, leaving out what a year not over yet shows as open."""
    counts = {}
    for rule, tables in rows.items():
        n = sum(1 for table, found in tables.items() for r in found
                if not unfinished(rule, table, r, file_set["folder"], file_set["year"]))
        if n:
            counts[rule] = n
    return counts


@pytest.mark.django_db
@pytest.mark.parametrize("year", COUNTY_YEARS)
def test_the_countys_export_passes_both_checkers(file_sets, year):
    file_set = file_sets[f"county {year}"]
    assert len(compared_rules(file_set)) > 100
    assert flagged(file_set["ours"], file_set) == {}
    assert flagged(file_set["dfe"], file_set) == {}
    assert disagreements(file_set) == {}


@pytest.mark.django_db
def test_the_synthetic_countys_2025_26_return_from_the_database_passes_the_dfe_rules(file_sets):
    """The exporter's return of the county for 2025-26 (with 2024-25 as the year before): the DfE's
    rules find no error, in any table, but the validator's known defects (as
    ``bench/returns_dfe_check.py`` run on the two folders exits 0). The same export and validator run
    as the comparisons above, so the county is exported and checked once (it was test_dfe_rules')."""
    file_set = file_sets["county 2025-26"]
    assert file_set["folder"].name == "2025-26" and len(file_set["run"]) > 100
    assert file_set["dfe_errors"] == {}, "the DfE's rules found errors"


@pytest.mark.django_db
@pytest.mark.parametrize("year", MESSY_YEARS)
def test_both_checkers_find_the_same_rows_in_a_messy_return(file_sets, year):
    file_set = file_sets[f"messy {year}"]
    ours = flagged(file_set["ours"], file_set)
    for rule in ("361", "362", "363", "365", "388", "392c", "406", "178", "222"):
        assert ours.get(rule), f"the messy {year} return has no fault for rule {rule}: {ours}"
    assert ours["361"] == 3 and ours["362"] == 2 and ours["363"] == 2 and ours["365"] == 1
    assert ours["388"] == 3 and ours["392c"] == 2
    assert disagreements(file_set) == {}


@pytest.mark.django_db
@pytest.mark.parametrize("year", COUNTY_YEARS)
def test_reimporting_a_years_export_changes_nothing(file_sets, year):
    from nwd.returns.importer import import_return
    from tests.returns import dbstate

    checksum = dbstate.checksum()
    report = import_return([file_sets[f"county {year}"]["folder"]], collection_year=year)
    assert report.errors == [] and report.written
    assert {name: c.changed for name, c in report.counts.items() if c.changed} == {}
    assert dbstate.checksum() == checksum
