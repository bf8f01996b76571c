"""Returns the project writes pass the DfE's published validation rules for the year, as an
independent program checks them (bench/returns_dfe_check.py runs csc-validator-be-903).

The validator pins numpy<1.25 and pandas<2, so it lives in a virtualenv of its own: ``.venv-dfe``
at the top of the repository (``make test`` makes it), or the python named by
NWD_LAC_VALIDATOR_PYTHON. Without either, these tests are skipped. The synthetic county's return
from the database is checked in test_dfe_agreement.py, on the exports and validator run it shares.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from nwd.returns.synthetic import history
from nwd.returns.writer import tables_for_year, write_tables

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "bench" / "returns_dfe_check.py"
PYTHON = os.environ.get("NWD_LAC_VALIDATOR_PYTHON") or str(ROOT / ".venv-dfe" / "bin" / "python")
needs_validator = pytest.mark.skipif(not Path(PYTHON).exists(),
                                     reason=f"the DfE validator's python ({PYTHON}) is not installed: make .venv-dfe")


def dfe_check(this_year: Path, last_year: Path, year: str) -> subprocess.CompletedProcess:
    return subprocess.run([PYTHON, str(SCRIPT), str(this_year), str(last_year), year],
                          capture_output=True, text=True, timeout=900)


@pytest.mark.slow
@needs_validator
def test_the_pure_synthetic_return_2025_26_passes_the_dfe_rules(tmp_path: Path):
    county = history(2000, seed=11)
    for year in ("2024-25", "2025-26"):
        tables = tables_for_year(county.episodes, county.header, county.missing, county.uasc, year)
        write_tables(tables, year, tmp_path / year)
    run = dfe_check(tmp_path / "2025-26", tmp_path / "2024-25", "2025-26")
    assert run.returncode == 0, run.stdout + run.stderr


@pytest.mark.slow
@needs_validator
def test_the_validator_still_reads_a_missing_episode_open_on_31_march_as_an_error(tmp_path: Path):
    """A known defect of the validator (docs/ssda903.md, "Defects of the validator"): its rule 365
    fills in the end of every open episode of care in the data the later rules share, so 575 and
    577 flag a missing episode still open on 31 March in a placement that has not ended. The
    synthetic county keeps clear of it (nwd.synth.events); when this test fails, the validator has
    been fixed and the county may let missing episodes run across 31 March again."""
    this_year, last_year = tmp_path / "2025-26", tmp_path / "2024-25"
    header = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\nC1,M,01/06/2010,WBRI,A123456789012,,\n"
    columns = "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n"
    for folder, episodes in ((this_year, columns + "C1,01/05/2025,S,C2,N1,U4,PR1,,,,NR1 1EB,NR3 1DJ,SC123456\n"),
                             (last_year, columns)):
        folder.mkdir()
        (folder / "Header.csv").write_text(header)
        (folder / "Episodes.csv").write_text(episodes)
    (this_year / "Missing.csv").write_text("CHILD,DOB,MISSING,MIS_START,MIS_END\nC1,01/06/2010,M,30/03/2026,\n")
    run = dfe_check(this_year, last_year, "2025-26")
    flagged = {line.split()[2].rstrip(":") for line in run.stdout.splitlines() if line[:1].isdigit()}
    assert flagged == {"575", "577"}, run.stdout
