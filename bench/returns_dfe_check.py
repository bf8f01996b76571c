"""Run the DfE's 903 validation rules, as the open-source lac_validator implements them, on a return.

    /path/to/other-venv/bin/python bench/returns_dfe_check.py THIS_YEAR_FOLDER [PREV_YEAR_FOLDER|-] 2025-26

It needs the PyPI package csc-validator-be-903 (import name lac_validator; from Social Finance /
Data to Insight) in ANOTHER virtualenv: it pins numpy<1.25 and pandas<2, which the project's own
environment (numpy 2) cannot take. It prints one line per rule that found errors and exits 1 if
any did, 0 otherwise. The project's tests call it through NWD_LAC_VALIDATOR_PYTHON when that is set.

Rules that need lists the return does not carry (Ofsted's provider register) are skipped by the
validator. Known defects of csc-validator-be-903 0.1.17, ignored here: rules 231 and 233 fail to
run; its 2024-25 rule 146 spells K3 "k3" and so rejects it; its rule 202 compares SEX across years
without knowing the 1/2 -> M/F change of 2024-25.
"""

from __future__ import annotations

import collections
import importlib
import logging
import sys
from pathlib import Path

KNOWN_DEFECTS = {("2024-25", "146"), ("2024-25", "202")}


def main() -> int:
    logging.disable(logging.CRITICAL)
    from lac_validator import lac_validator

    folder = Path(sys.argv[1])
    previous = None if sys.argv[2] == "-" else Path(sys.argv[2])
    year = sys.argv[3]
    files = [{"name": p.name, "file_content": p.read_bytes(), "description": "This year"} for p in sorted(folder.glob("*.csv"))]
    if previous is not None:
        files += [{"name": p.name, "file_content": p.read_bytes(), "description": "Prev year"}
                  for p in sorted(previous.glob("*.csv"))]
    registry = importlib.import_module(f"lac_validator.rules.lac{year[:4]}_{year[-2:]}").registry
    validator = lac_validator.LacValidator(
        metadata={"collectionYear": str(int(year[:4]) + 1), "localAuthority": "E10000020"},
        files=files, registry=registry)
    counts: collections.Counter = collections.Counter()
    for table, frame in validator.ds_results.items():
        if table == "metadata":
            continue
        for column in (c for c in frame.columns if c.startswith("ERR_")):
            found = int(frame[column].fillna(False).astype(bool).sum())
            if found and (year, column[4:]) not in KNOWN_DEFECTS:
                counts[(table, column[4:])] += found
    print(f"rules run {len(validator.dones)}, skipped {len(validator.skips)}, failed to run {validator.fails}")
    for (table, code), found in sorted(counts.items()):
        print(f"{found} {table} {code}: {registry[code].message}")
    return 1 if counts else 0


if __name__ == "__main__":
    sys.exit(main())
