"""The import report opens with a summary (files, years, rows, problems counted by rule) and lists at
most a few problems of each rule, on the command line and on the page; what it keeps is bounded."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from nwd.access.roles import Role
from nwd.returns.problems import ProblemTally, problem
from tests.factories import UserFactory
from tests.returns.conftest import through_job

CHILDREN = 30
HEADER = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n" + "".join(
    f"C{i},M,01/06/2010,WBRI,UN1,,\n" for i in range(CHILDREN))
# Every episode has a PLACE that is no code (rule 146) and a provider that is no code (rule 178).
EPISODES = "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n" + "".join(
    f"C{i},01/05/2025,S,C2,N1,Q9,PR9,,,,NR1 1EB,NR3 1DJ,SC123456\n" for i in range(CHILDREN))


def test_a_tally_counts_every_problem_and_keeps_the_first_few_of_each_rule():
    problems = [problem("146", "bad", file="Episodes.csv", row=i) for i in range(2, 100_002)]
    problems += [problem("392c", "shape", file="Episodes.csv", row=i, severity="warning") for i in range(2, 5)]
    tally = ProblemTally(problems, examples=5)
    [errors] = tally.by_rule("error")
    assert (errors.rule, errors.count, [p.row for p in errors.examples], errors.more) == ("146", 100_000, [2, 3, 4, 5, 6],
                                                                                       99_995)
    [warnings] = tally.by_rule("warning")
    assert (warnings.count, len(warnings.examples), warnings.more) == (3, 3, 0)
    assert sum(len(t.examples) for t in tally.rules.values()) == 8


@pytest.fixture
def bad_return(tmp_path: Path) -> Path:
    folder = tmp_path / "2025-26"
    folder.mkdir()
    (folder / "Header.csv").write_text(HEADER)
    (folder / "Episodes.csv").write_text(EPISODES)
    return folder


@pytest.mark.django_db
def test_the_command_opens_with_a_summary_by_rule_and_caps_the_listing(bad_return: Path):
    out = io.StringIO()
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import-903", str(bad_return), "--dry-run", "--examples", "2", "--as",
                     UserFactory(role=Role.ANALYST).username, stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("Nothing was imported: the return has 60 errors")
    details = lines.index("Details")
    summary = "\n".join(lines[:details])
    assert "Files: 2 files; collection year: 2025-26" in summary
    assert f"Rows: Episodes {CHILDREN}, Header {CHILDREN}" in summary
    assert "Errors: 60 in 2 rules" in summary
    assert any(line.split()[:3] == ["rule", "146", str(CHILDREN)] for line in lines[:details])
    assert any(line.split()[:3] == ["rule", "178", str(CHILDREN)] for line in lines[:details])
    listed = [line for line in lines[details:] if "(rule 146)" in line]
    assert len(listed) == 2
    assert f"    ... and {CHILDREN - 2} more" in lines[details:]


@pytest.mark.django_db
def test_the_page_opens_with_the_same_summary_and_caps_each_rule(bad_return: Path, settings, tmp_path: Path):
    from django.test import Client

    from nwd.access.roles import Role
    from nwd.access.testing import sign_in
    from tests.factories import UserFactory

    settings.NWD_DATA_DIR = tmp_path / "data"
    settings.NWD_903_EXAMPLES_PER_RULE = 3
    client = Client()
    sign_in(client, UserFactory(role=Role.ANALYST))
    uploaded = [SimpleUploadedFile(f"{name}_2025-26.csv", text.encode(), content_type="text/csv")
                for name, text in (("Header", HEADER), ("Episodes", EPISODES))]
    html = through_job(client, "/returns/import/", {"files": uploaded}).content.decode()
    assert html.index('id="summary"') < html.index('id="errors"')
    summary = html[html.index('id="summary"'):html.index('id="errors"')]
    assert "Errors by rule" in summary and '<a class="govuk-link" href="#rule-146">146</a>' in summary
    assert f'<td class="govuk-table__cell govuk-table__cell--numeric">{CHILDREN}</td>' in summary
    assert f"Rule 146: {CHILDREN} errors" in html
    assert html.count("(rule 146)") == 3 and f"And {CHILDREN - 3} more" in html


def test_the_checker_builds_at_most_the_examples_of_each_rule_and_counts_the_rest(bad_return: Path):
    from nwd.returns.checks import check_bounded
    from nwd.returns.reader import read_files

    tables = read_files([bad_return], "2025-26").tables
    checked = check_bounded(tables, "2025-26", examples=4)
    assert sorted(p.rule for p in checked.problems) == ["146"] * 4 + ["178"] * 4
    assert dict(checked.unlisted) == {("146", "error"): CHILDREN - 4, ("178", "error"): CHILDREN - 4}
    assert checked.unlisted_errors.height == 2 * (CHILDREN - 4)
    assert sorted(set(checked.unlisted_errors["child"])) == sorted(f"C{i}" for i in range(4, CHILDREN))


@pytest.mark.django_db
def test_the_import_keeps_a_bounded_number_of_problems_but_counts_and_skips_them_all(bad_return: Path, monkeypatch):
    from nwd.returns import importer
    from nwd.returns.reporting import report_lines

    monkeypatch.setattr(importer, "KEPT_PER_RULE", 5)
    report = importer.import_return([bad_return], dry_run=True)
    assert len(report.problems) == 10 and report.error_count == 2 * CHILDREN
    assert report.outcome().startswith(f"Nothing was imported: the return has {2 * CHILDREN} errors")
    assert any(line.split()[:3] == ["rule", "146", str(CHILDREN)] for line in report_lines(report))
    skipped = importer.import_return([bad_return], dry_run=True, skip_invalid=True)
    assert skipped.skipped_children == sorted(f"C{i}" for i in range(CHILDREN))
