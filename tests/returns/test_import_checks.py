"""The database import reports each check with the same message as the pure checker.

Every case of tests/returns/test_checks.py (a return that breaks one rule) is written out as CSV
files, imported (dry run: the checks are what is tested here, and nothing may be written anyway),
and must be refused with the problem the checker gives: same rule, file, row and words.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from nwd.returns.checks import RULES
from nwd.returns.importer import import_return
from nwd.returns.writer import write_tables
from tests.returns import dbstate
from tests.returns.conftest import YEAR
from tests.returns.test_checks import CASES

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("rule_id", "change", "file", "row_number", "words"), CASES,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_the_import_gives_the_checkers_message(valid_return, tmp_path: Path, rule_id, change, file, row_number, words):
    tables = change(valid_return)
    write_tables(tables, YEAR, tmp_path / YEAR)
    report = import_return([tmp_path / YEAR])
    mine = [p for p in report.problems if p.rule == rule_id and p.file == file and p.row == row_number]
    assert mine, f"rule {rule_id} not reported at {file} row {row_number}: {[p.message for p in report.problems]}"
    assert any(words in p.message for p in mine), [p.message for p in mine]
    if RULES[rule_id].severity == "error":
        assert report.refused and not report.written
        assert sum(dbstate.counts().values()) == 0
