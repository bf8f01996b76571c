"""Run the DfE's 903 validation rules, as the open-source lac_validator implements them, on a return.

    /path/to/other-venv/bin/python bench/returns_dfe_check.py THIS_YEAR_FOLDER [PREV_YEAR_FOLDER|-] 2025-26
    /path/to/other-venv/bin/python bench/returns_dfe_check.py --json THIS PREV YEAR [THIS PREV YEAR ...]

It needs the PyPI package csc-validator-be-903 (import name lac_validator; from Social Finance /
Data to Insight) in ANOTHER virtualenv: it pins numpy<1.25 and pandas<2, which the project's own
environment (numpy 2) cannot take. It prints one line per rule that found errors and exits 1 if
any did, 0 otherwise; with --json it prints, for each file set in one run, the rows each rule
flagged (tests/returns/test_dfe_agreement.py compares them with the project's checker) and the
errors the plain run counts ("errors", empty where it would exit 0). Years
before 2022-23 are checked by the validator's earliest rules, 2022-23's. The project's tests call it through NWD_LAC_VALIDATOR_PYTHON when that is set.

Rules that need lists the return does not carry (Ofsted's provider register) are skipped by the
validator. Known defects of csc-validator-be-903 0.1.17, ignored here: rules 231 and 233 fail to
run; its 2024-25 rule 146 spells K3 "k3" and so rejects it; its rule 202 compares SEX across years
without knowing the 1/2 -> M/F change of 2024-25.
"""

from __future__ import annotations

import collections
import csv
import importlib
import io
import logging
import sys
from pathlib import Path

KNOWN_DEFECTS = {("2024-25", "146"), ("2024-25", "202")}
FIRST_RULE_SET = 2022  # the validator's earliest rules (2022-23): older years are checked by them


def registry_for(year: str):
    start = max(int(year[:4]), FIRST_RULE_SET)
    return importlib.import_module(f"lac_validator.rules.lac{start}_{(start + 1) % 100:02d}").registry


def run(folder: Path, previous: Path | None, year: str):
    """The validator run on one year's CSV files (and the year before's, when given)."""
    from lac_validator import datastore, lac_validator

    files = [{"name": p.name, "file_content": p.read_bytes(), "description": "This year"} for p in sorted(folder.glob("*.csv"))]
    if previous is not None:
        files += [{"name": p.name, "file_content": p.read_bytes(), "description": "Prev year"}
                  for p in sorted(previous.glob("*.csv"))]
    full = datastore.postcodes
    datastore.postcodes = PostcodesIn(full, files)
    try:
        return lac_validator.LacValidator(
            metadata={"collectionYear": str(int(year[:4]) + 1), "localAuthority": "E10000020"},
            files=files, registry=registry_for(year))
    finally:
        datastore.postcodes = full


class PostcodesIn:
    """The validator's postcode list cut to the postcodes that could occur in ``files``.

    The validator joins every postcode column (``lac_validator.datastore.merge_postcodes``: upper case,
    spaces removed, a left join on the list's ``pcd_abbr``) with the whole list of the letters the
    file uses: over 2 million rows, hashed afresh for each of its six joins per file set, which was
    half of its time. A left join gives the same rows whatever the list holds beyond the keys on its
    left, so the list is cut to every cell of every file as the join would read it (a superset of
    the postcodes): the validator's result is the same, faster.
    """

    def __init__(self, postcodes, files: list[dict]):
        self._postcodes = postcodes
        self._cut = None
        self._cut_of = None
        self._cells: set[str] = set()
        self._letters: set[str] = set()
        for f in files:
            text = f["file_content"].decode("utf-8", errors="replace").upper()
            for line in text.splitlines():
                self._cells.update("".join(cell.split()).strip('"') for cell in line.split(","))
            rows = csv.DictReader(io.StringIO(text))
            columns = [c for c in ("HOME_POST", "PL_POST") if c in (rows.fieldnames or ())]
            self._letters.update(row[c][:1] for row in rows for c in columns if row[c])

    def load_postcodes(self, letters) -> None:
        """Every letter the file set's postcodes begin with at the first call: the list recomputes
        its keys over all it holds each time it loads a letter."""
        self._postcodes.load_postcodes({*letters, *self._letters})

    @property
    def dataframe(self):
        whole = self._postcodes.dataframe
        if self._cut_of is not whole:
            self._cut = whole[whole["pcd_abbr"].isin(self._cells)].reset_index(drop=True)
            self._cut_of = whole
        return self._cut


def flagged_rows(validator) -> dict[str, dict[str, list[int]]]:
    """rule -> table -> the spreadsheet rows (header row 1) it flagged in this year's files."""
    found: dict[str, dict[str, list[int]]] = {}
    for table, frame in validator.ds_results.items():
        if table == "metadata" or table.endswith("_last"):
            continue
        for column in (c for c in frame.columns if c.startswith("ERR_")):
            hits = frame.index[frame[column].fillna(False).astype(bool)]
            if len(hits):
                found.setdefault(column[4:], {})[table] = sorted(int(i) + 2 for i in hits)
    return found


def errors(validator, year: str) -> dict[str, int]:
    """"TABLE RULE" -> rows flagged, in every table (the year before's too), but the known defects:
    what makes the plain run exit 1 (``--json`` gives it as "errors")."""
    counts: collections.Counter = collections.Counter()
    for table, frame in validator.ds_results.items():
        if table == "metadata":
            continue
        for column in (c for c in frame.columns if c.startswith("ERR_")):
            found = int(frame[column].fillna(False).astype(bool).sum())
            if found and (year, column[4:]) not in KNOWN_DEFECTS:
                counts[f"{table} {column[4:]}"] += found
    return dict(counts)


def main_json(args: list[str]) -> int:
    """``--json THIS PREV YEAR [THIS PREV YEAR ...]``: one JSON object per line and file set, with the
    rules run, skipped and failing and the rows each rule flagged, for the tests to compare."""
    import json

    for this, prev, year in zip(args[0::3], args[1::3], args[2::3]):
        validator = run(Path(this), None if prev == "-" else Path(prev), year)
        print(json.dumps({"folder": this, "year": year, "run": sorted(validator.dones),
                          "skipped": sorted(validator.skips), "failed": sorted(validator.fails),
                          "rows": flagged_rows(validator), "errors": errors(validator, year)}))
    return 0


def main() -> int:
    logging.disable(logging.CRITICAL)
    if sys.argv[1] == "--json":
        return main_json(sys.argv[2:])
    folder = Path(sys.argv[1])
    previous = None if sys.argv[2] == "-" else Path(sys.argv[2])
    year = sys.argv[3]
    validator = run(folder, previous, year)
    registry = validator.registry
    counts = errors(validator, year)
    print(f"rules run {len(validator.dones)}, skipped {len(validator.skips)}, failed to run {validator.fails}")
    for key, found in sorted(counts.items()):
        table, code = key.split(" ")
        print(f"{found} {table} {code}: {registry[code].message}")
    return 1 if counts else 0


if __name__ == "__main__":
    sys.exit(main())
