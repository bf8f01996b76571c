"""Real councils' files as they come (issue 10): all tables of five years in one folder, named the
council's way; a regional file of several councils with LA and YEAR columns and ISO dates. The
import reads each row in its own collection year, reports what does not fit, never compares an
episode with itself, and reads one council at a time."""

from __future__ import annotations

from collections import Counter

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from nwd.access.roles import Role
from nwd.returns.importer import import_return
from nwd.returns.reader import read_files
from tests.factories import UserFactory
from tests.returns.real_shaped import YEARS, council_folder, regional_file

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def council(tmp_path_factory):
    return council_folder(tmp_path_factory.mktemp("council") / "903")


@pytest.fixture(scope="module")
def regional(tmp_path_factory):
    return regional_file(tmp_path_factory.mktemp("regional") / "903")


def analyst():
    """A user who may import a return (``--as`` is required)."""
    return UserFactory(role=Role.ANALYST)


def test_every_file_of_a_councils_folder_is_read_in_its_own_year(council):
    read = read_files([council])
    years = {f.name: f.collection_year for f in read.files}
    for number, year in enumerate(YEARS, start=2021):
        for table in ("episodes", "header", "missing", "uasc"):
            assert years[f"SSDA903_{number}_{table}.csv"] == year
    # the latest Reviews file holds reviews already booked for later years: only those rows move
    assert years["SSDA903_2025_reviews.csv"] == "2024-25 to 2026-27"
    assert read.errors == []


def test_the_dry_run_import_of_a_councils_folder_compares_no_episode_with_itself(council):
    report = import_return([council], dry_run=True)
    rules = Counter(p.rule for p in report.problems)
    assert rules["501"] == 0 and rules["574"] == 0 and rules["NWD-CONFLICT"] == 0
    # every open episode carries a REC: the DfE's rule 148, reported for the latest year's open rows
    assert rules["148"] > 100
    # the 2021-22 Episodes were extracted late (DECs after 31 March): that does not move the file into
    # 2022-23 beside that year's copies of its episodes
    assert {f.collection_year for f in report.files if "episodes" in f.name} == set(YEARS)


def test_the_dry_run_command_on_a_councils_folder_reports_rule_148_and_no_overlap(council, capsys):
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import-903", "--as", analyst().username, str(council), "--dry-run", "--all-warnings")
    printed = capsys.readouterr().out
    assert "(rule 148)" in printed
    assert "(rule 501)" not in printed and "overlap" not in printed


def test_a_regional_file_needs_la_and_the_command_lists_the_councils(regional):
    with pytest.raises(CommandError) as error:
        call_command("import-903", "--as", analyst().username, str(regional.path), "--dry-run")
    for council in regional.councils:
        assert council in str(error.value)
    assert "--la" in str(error.value)
    with pytest.raises(CommandError, match="no row has the LA Hackney: the files hold Barnet, Camden, Enfield"):
        call_command("import-903", "--as", analyst().username, str(regional.path), "--dry-run", "--la", "Hackney")


def test_a_regional_file_is_read_one_council_at_a_time_and_a_wrong_year_is_reported(regional):
    report = import_return([regional.path], dry_run=True, la="barnet")
    rules = Counter(p.rule for p in report.problems)
    assert rules["501"] == 0 and rules["574"] == 0 and rules["INT32"] == 0
    moved = [p for p in report.problems if p.rule == "NWD-YEAR-DATES" and p.table == "Episodes"]
    assert len(moved) == regional.moved_rows == 4
    assert all("its YEAR column says 2021-22" in p.message and "read as 2022-23" in p.message for p in moved)
    only_barnet = read_files([regional.path], la="Barnet")
    assert only_barnet.council == "Barnet"
    assert only_barnet.councils == list(regional.councils)
    assert only_barnet.years[:5] == list(YEARS)


def test_the_import_command_reads_one_council_with_la(regional, capsys):
    with pytest.raises(CommandError, match="Nothing was imported"):  # rule 148 on the open rows
        call_command("import-903", "--as", analyst().username, str(regional.path), "--dry-run", "--la", "Camden")
    printed = capsys.readouterr().out
    assert "rule 501" not in printed
