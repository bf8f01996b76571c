"""An export passes the DfE's published validation rules for the year, as an independent program
checks them (see bench/returns_dfe_check.py). Skipped unless NWD_LAC_VALIDATOR_PYTHON names the
python of a virtualenv with csc-validator-be-903 installed (it cannot share ours: numpy<1.25)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from nwd.returns.synthetic import history
from nwd.returns.writer import tables_for_year, write_tables

PYTHON = os.environ.get("NWD_LAC_VALIDATOR_PYTHON")
SCRIPT = Path(__file__).resolve().parents[2] / "bench" / "returns_dfe_check.py"


@pytest.mark.slow
@pytest.mark.skipif(not PYTHON, reason="NWD_LAC_VALIDATOR_PYTHON is not set")
def test_synthetic_county_2025_26_passes_the_dfe_rules(tmp_path: Path):
    county = history(2000, seed=11)
    for year in ("2024-25", "2025-26"):
        tables = tables_for_year(county.episodes, county.header, county.missing, county.uasc, year)
        write_tables(tables, year, tmp_path / year)
    run = subprocess.run([PYTHON, str(SCRIPT), str(tmp_path / "2025-26"), str(tmp_path / "2024-25"), "2025-26"],
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout + run.stderr
