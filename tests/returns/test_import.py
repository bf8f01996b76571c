"""Importing a return into the database: what is written, matching, idempotence, refusal, skipping,
stitching of years, and the transaction.

The return is the small valid 2025-26 one of conftest.py: A1 (boy, two episodes joined by X1, one
missing episode) and A2 (girl, one episode ended E4A).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from nwd.care.models import CareEpisode, CarePeriod
from nwd.casework.models import YoungPerson
from nwd.events.models import MissingEpisode
from nwd.returns import dbwrite
from nwd.returns.importer import import_return
from tests.factories import UserFactory, YoungPersonFactory
from tests.returns import dbstate
from tests.returns.conftest import EPISODES, HEADER, MISSING, YEAR, write

D = dt.date
pytestmark = pytest.mark.django_db


def make_return(folder: Path, header: str = HEADER, episodes: str = EPISODES, missing: str = MISSING) -> Path:
    write(folder, "Header.csv", header)
    write(folder, "Episodes.csv", episodes)
    write(folder, "Missing.csv", missing)
    return folder


@pytest.fixture
def valid_folder(tmp_path: Path) -> Path:
    return make_return(tmp_path / YEAR)


def test_a_valid_return_is_written(valid_folder):
    report = import_return([valid_folder])
    assert report.errors == [] and report.written
    a1 = YoungPerson.objects.get(child_id="A1")
    assert (a1.given_name, a1.family_name) == ("Child", "A1")
    assert (a1.sex, a1.date_of_birth, a1.ethnicity, a1.upn) == ("1", D(2010, 6, 1), "WBRI", "A123456789012")
    assert YoungPerson.objects.get(child_id="A2").sex == "2"  # F is stored as 2
    first, second = CareEpisode.objects.filter(young_person=a1).order_by("decom")
    assert (first.decom, first.dec, first.rec, first.rne, second.rne, second.dec) == (
        D(2024, 5, 1), D(2025, 6, 1), "X1", "S", "P", None)
    assert first.period_id == second.period_id  # joined by X1: one period of care
    period = CarePeriod.objects.get(young_person=a1)
    assert (period.start, period.end) == (D(2024, 5, 1), None)
    a2_period = CarePeriod.objects.get(young_person__child_id="A2")
    assert (a2_period.start, a2_period.end) == (D(2025, 9, 1), D(2025, 12, 1))
    missing = MissingEpisode.objects.get(young_person=a1)
    assert timezone.localtime(missing.started_at) == timezone.make_aware(dt.datetime(2025, 7, 3, 12))
    assert timezone.localtime(missing.ended_at).date() == D(2025, 7, 4)
    assert missing.kind == "M"
    assert report.counts["episodes"].created == 3


def test_full_postcodes_are_kept_as_they_are(valid_folder):
    report = import_return([valid_folder])
    episode = CareEpisode.objects.filter(young_person__child_id="A1").order_by("decom").first()
    assert (episode.home_post, episode.pl_post) == ("NR1 1AA", "NR4 6DS")
    assert not any("kept as the postcode district" in n for n in report.notices)


def test_re_importing_changes_nothing(valid_folder):
    import_return([valid_folder])
    counts, checksum = dbstate.counts(), dbstate.checksum()
    again = import_return([valid_folder])
    assert again.changed == 0
    assert all(c.created == c.updated == c.deleted == 0 for c in again.counts.values())
    assert dbstate.counts() == counts
    assert dbstate.checksum() == checksum


def test_children_already_held_are_updated_not_duplicated_and_keep_their_names(valid_folder):
    held = YoungPersonFactory(child_id="A1", given_name="Robin", family_name="Example", date_of_birth=D(2010, 6, 2),
                              ethnicity="NOBT")
    report = import_return([valid_folder])
    assert YoungPerson.objects.filter(child_id="A1").count() == 1
    held.refresh_from_db()
    assert (held.given_name, held.family_name) == ("Robin", "Example")
    assert (held.date_of_birth, held.ethnicity) == (D(2010, 6, 1), "WBRI")
    assert report.counts["young people"].updated == 1 and report.counts["young people"].created == 1
    history = held.history.order_by("-history_id").first()
    assert (history.history_type, history.history_change_reason) == ("~", "SSDA903 import")


def test_a_return_with_errors_imports_nothing_and_says_where(tmp_path: Path):
    bad = EPISODES.replace("A2,01/09/2025,S,V2,N4,U6,PR4,01/12/2025", "A2,01/09/2025,S,V2,N4,U6,PR4,01/08/2025")
    report = import_return([make_return(tmp_path / YEAR, episodes=bad)])
    assert report.refused and not report.written
    [error] = report.errors
    assert (error.file, error.row, error.column, error.value, error.rule) == ("Episodes.csv", 4, "DEC", "01/08/2025",
                                                                              "356")
    assert error.message.startswith("Episodes.csv row 4, DEC '01/08/2025': ")
    assert error.message.endswith("(rule 356)")
    assert sum(dbstate.counts().values()) == 0
    assert "Nothing was imported" in report.outcome()


def test_skip_invalid_imports_the_rest_and_lists_the_rows_left_out(tmp_path: Path):
    bad = EPISODES.replace("A2,01/09/2025,S,V2,N4,U6,PR4,01/12/2025", "A2,01/09/2025,S,V2,N4,U6,PR4,01/08/2025")
    report = import_return([make_return(tmp_path / YEAR, episodes=bad)], skip_invalid=True)
    assert report.written and not report.refused
    assert list(YoungPerson.objects.values_list("child_id", flat=True)) == ["A1"]
    assert report.skipped_children == ["A2"]
    rows = {(s.file, s.row, s.own) for s in report.skipped}
    assert rows == {("Episodes.csv", 4, True), ("Header.csv", 3, False)}  # A2's own error, and its Header row
    assert all(s.because.rule == "356" for s in report.skipped)


def test_unknown_sex_is_refused_with_a_message(tmp_path: Path):
    report = import_return([make_return(tmp_path / YEAR, header=HEADER.replace("A2,F,", "A2,U,"))])
    [error] = report.errors
    assert (error.rule, error.file, error.row, error.column, error.value) == ("NWD-SEX-UNKNOWN", "Header.csv", 3,
                                                                              "SEX", "U")
    assert "holds male (1 or M) or female (2 or F) only" in error.message
    skipping = import_return([make_return(tmp_path / YEAR, header=HEADER.replace("A2,F,", "A2,U,"))],
                             skip_invalid=True)
    assert skipping.skipped_children == ["A2"]


def test_dry_run_counts_and_writes_nothing(valid_folder):
    report = import_return([valid_folder], dry_run=True)
    assert not report.written
    assert report.counts["episodes"].created == 3 and report.counts["periods of care"].created == 2
    assert sum(dbstate.counts().values()) == 0
    assert "Checked only" in report.outcome()


# --- Several years -----------------------------------------------------------------------------

EPISODES_2024 = """\
CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN
A1,01/05/2024,S,C2,N1,U4,PR1,,,,NR1 1AA,NR4 6DS,SC123456
"""
MISSING_2024 = "CHILD,DOB,MISSING,MIS_START,MIS_END\n"


def two_years(tmp_path: Path) -> tuple[Path, Path]:
    earlier = make_return(tmp_path / "2024-25", header=HEADER.replace("A2,F,15/03/2012,BAFR,UN1,0,\n", ""),
                          episodes=EPISODES_2024, missing=MISSING_2024)
    return earlier, make_return(tmp_path / YEAR)


def test_an_episode_across_31_march_is_one_episode(tmp_path: Path):
    earlier, later = two_years(tmp_path)
    report = import_return([earlier, later])
    assert report.errors == []
    first = CareEpisode.objects.get(young_person__child_id="A1", decom=D(2024, 5, 1))
    assert (first.dec, first.rec) == (D(2025, 6, 1), "X1")  # the later year's row wins
    assert CareEpisode.objects.count() == 3


def test_years_imported_one_by_one_give_the_same_records(tmp_path: Path):
    earlier, later = two_years(tmp_path)
    import_return([earlier, later])
    together = dbstate.counts()
    CareEpisode.objects.all().delete()
    CarePeriod.objects.all().delete()
    MissingEpisode.objects.all().delete()
    YoungPerson.objects.all().delete()
    import_return([earlier])
    import_return([later])
    assert [(e.decom, e.dec, e.rec) for e in CareEpisode.objects.order_by("young_person__child_id", "decom")] == [
        (D(2024, 5, 1), D(2025, 6, 1), "X1"), (D(2025, 6, 1), None, ""), (D(2025, 9, 1), D(2025, 12, 1), "E4A")]
    assert CarePeriod.objects.count() == 2
    assert {k: v for k, v in dbstate.counts().items() if "Historical" not in k} == {
        k: v for k, v in together.items() if "Historical" not in k}


def test_an_earlier_year_does_not_reopen_an_episode_that_ended_after_it(tmp_path: Path):
    """The 2024-25 return shows A1's first episode open on 31 March 2025; it ended in June 2025."""
    earlier, later = two_years(tmp_path)
    import_return([later])
    checksum = dbstate.checksum()
    report = import_return([earlier])
    assert report.changed == 0 and dbstate.checksum() == checksum
    assert CareEpisode.objects.get(young_person__child_id="A1", decom=D(2024, 5, 1)).dec == D(2025, 6, 1)


def test_conflicting_years_are_reported(tmp_path: Path):
    earlier, later = two_years(tmp_path)
    write(earlier, "Episodes.csv", EPISODES_2024.replace(",U4,PR1,", ",U6,PR1,"))
    report = import_return([earlier, later])
    conflict = next(p for p in report.errors if p.rule == "NWD-CONFLICT")
    assert conflict.file == "2024-25/Episodes.csv" and conflict.column == "PLACE"
    assert report.refused


# --- The transaction -----------------------------------------------------------------------------

def test_a_failure_half_way_leaves_the_database_as_it_was(valid_folder, monkeypatch):
    YoungPersonFactory(child_id="A1", given_name="Robin", date_of_birth=D(2010, 6, 2))
    counts, checksum = dbstate.counts(), dbstate.checksum()

    def broken(*args, **kwargs):
        assert CareEpisode.objects.exists()  # episodes and periods are written by now
        raise RuntimeError("the database went away")

    monkeypatch.setattr(dbwrite, "missing_episodes", broken)
    with pytest.raises(RuntimeError):
        import_return([valid_folder])
    assert dbstate.counts() == counts
    assert dbstate.checksum() == checksum


# --- Who imports -----------------------------------------------------------------------------------

def test_a_named_user_needs_the_permission_and_is_recorded(valid_folder):
    from nwd.access.models import Action, AuditEvent
    from nwd.access.roles import Role

    with pytest.raises(PermissionDenied):
        import_return([valid_folder], user=UserFactory(role=Role.KEY_WORKER))
    assert not YoungPerson.objects.exists()
    analyst = UserFactory(role=Role.ANALYST)
    import_return([valid_folder], user=analyst)
    event = AuditEvent.objects.get(user=analyst, action=Action.IMPORT)
    assert "SSDA903 import of Episodes.csv, Header.csv, Missing.csv: young people +2" in event.detail
    person = YoungPerson.objects.get(child_id="A1")
    assert person.recorded_by == analyst
    assert person.history.get().history_user == analyst


def test_sex_written_in_two_years_codes_is_the_same_sex(tmp_path: Path):
    """A UASC row of 2023-24 (SEX 1) and the child's latest Header row of 2025-26 (SEX M) agree (INT21)."""
    earlier = tmp_path / "2023-24"
    write(earlier, "Header.csv", "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\nU1,1,01/06/2008,WBRI,UN1,,\n")
    write(earlier, "Episodes.csv", EPISODES_2024.splitlines()[0] + "\nU1,01/05/2023,S,V2,N1,U4,PR1,01/06/2023,E8,,,NR4 6DS,SC123456\n")
    write(earlier, "UASC.csv", "CHILD,SEX,DOB,DUC\nU1,1,01/06/2008,01/06/2023\n")
    later = tmp_path / YEAR
    write(later, "Header.csv", "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\nU1,M,01/06/2008,WBRI,UN1,,\n")
    write(later, "Episodes.csv", EPISODES_2024.splitlines()[0] + "\nU1,01/05/2025,S,V2,N1,U4,PR1,01/06/2025,E8,,,NR4 6DS,SC123456\n")
    report = import_return([earlier, later])
    assert [p.rule for p in report.errors] == []
    person = YoungPerson.objects.get(child_id="U1")
    assert (person.sex, person.uasc, person.uasc_ceased) == ("1", True, D(2023, 6, 1))


@pytest.mark.django_db(transaction=True)
def test_a_failure_rolls_back_a_real_transaction(valid_folder, monkeypatch):
    """The same, outside the test's own transaction: the import's is the outermost, and rolls back."""
    def broken(*args, **kwargs):
        raise RuntimeError("stopped half way")

    monkeypatch.setattr(dbwrite, "reviews", broken)
    write(valid_folder, "Reviews.csv", "CHILD,DOB,REVIEW,REVIEW_CODE\nA1,01/06/2010,01/08/2025,PN1\n")
    with pytest.raises(RuntimeError):
        import_return([valid_folder])
    assert sum(dbstate.counts().values()) == 0


# --- MOTHER and MC_DOB ---------------------------------------------------------------------------

def mothers_header(mother: str, mc_dob: str) -> str:
    """The Header with A2 a girl of 16 whose MOTHER and MC_DOB are as given."""
    return HEADER.replace("A2,F,15/03/2012,BAFR,UN1,0,", f"A2,F,15/03/2009,BAFR,UN1,{mother},{mc_dob}")


def test_mother_and_her_childs_date_of_birth_are_imported(tmp_path: Path):
    report = import_return([make_return(tmp_path / YEAR, header=mothers_header("1", "02/10/2025"))])
    assert report.errors == []
    a2 = YoungPerson.objects.get(child_id="A2")
    assert (a2.mother, a2.mother_child_dob) == (True, D(2025, 10, 2))
    a1 = YoungPerson.objects.get(child_id="A1")  # a boy: not asked
    assert (a1.mother, a1.mother_child_dob) == (None, None)
    report = import_return([make_return(tmp_path / "again" / YEAR, header=mothers_header("", ""))])
    assert report.changed == 0, "a blank MOTHER (not asked) leaves what is held"
    assert YoungPerson.objects.get(child_id="A2").mother is True


def test_a_year_before_the_birth_does_not_undo_it(tmp_path: Path):
    """2024-25 says not a mother (the child was born in October 2025); 2025-26 says a mother."""
    earlier = make_return(tmp_path / "2024-25", header=mothers_header("0", ""), episodes=EPISODES_2024.replace(
        "A1,01/05/2024", "A2,01/09/2024,S,V2,N4,U6,PR4,,,,NR3 2AN,NR6 7DT,SC111111\nA1,01/05/2024"),
        missing=MISSING_2024)
    later = make_return(tmp_path / YEAR, header=mothers_header("1", "02/10/2025"), episodes=EPISODES.replace(
        "A2,01/09/2025", "A2,01/09/2024"))
    for order in ([earlier, later], [later], [earlier]):  # together, then the earlier year after the later
        report = import_return(order)
        assert report.errors == []
        a2 = YoungPerson.objects.get(child_id="A2")
        assert (a2.mother, a2.mother_child_dob) == (True, D(2025, 10, 2)), order
    YoungPerson.objects.filter(child_id="A2").update(mother=None, mother_child_dob=None)
    import_return([earlier])
    assert YoungPerson.objects.get(child_id="A2").mother is False


def test_a_care_leavers_blank_mother_keeps_the_answer_of_the_year_before(tmp_path: Path):
    """A care leaver's later Header rows leave MOTHER blank (DfE rule 628): the last answer stands."""
    earlier = make_return(tmp_path / "2024-25", header=mothers_header("1", "02/10/2024"), episodes=EPISODES_2024.replace(
        "A1,01/05/2024", "A2,01/09/2024,S,V2,N4,U6,PR4,01/12/2024,E4A,,NR3 2AN,NR6 7DT,SC111111\nA1,01/05/2024"),
        missing=MISSING_2024)
    later = make_return(tmp_path / YEAR, header=mothers_header("", ""), episodes=EPISODES.replace(
        "A2,01/09/2025,S,V2,N4,U6,PR4,01/12/2025,E4A,,NR3 2AN,NR6 7DT,SC111111\n", ""))
    report = import_return([earlier, later])
    assert report.errors == []
    a2 = YoungPerson.objects.get(child_id="A2")
    assert (a2.mother, a2.mother_child_dob) == (True, D(2024, 10, 2))


def test_a_date_that_is_not_real_is_one_error_not_also_blank(tmp_path: Path):
    """Issue 12 #5: DECOM "31/02/2025" was reported as not a real date and again as "DECOM blank"."""
    episodes = EPISODES.replace("A2,01/09/2025,", "A2,31/02/2025,")
    report = import_return([make_return(tmp_path / YEAR, episodes=episodes)], dry_run=True)
    on_the_cell = [p for p in report.problems if p.file == "Episodes.csv" and p.row == 4 and p.column == "DECOM"]
    assert [p.message for p in on_the_cell] == [
        "Episodes.csv row 4, DECOM '31/02/2025': not a real date (rule 141)"]
    assert not [p for p in report.problems if "DECOM blank" in p.message]
    assert report.refused  # the error still stops the import
