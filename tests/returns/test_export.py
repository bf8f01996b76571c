"""Exporting a collection year's return from the database: what goes in, how it is written, who may."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.utils import timezone

from nwd.access.models import Action, AuditEvent
from nwd.access.roles import Role
from nwd.care.models import CareEpisode, CareLeaverOutcome, CarePeriod
from nwd.events.models import MissingEpisode
from nwd.hubs.models import Stay
from nwd.returns.exporter import build_year, export_year, years_held
from nwd.returns.reader import read_files
from tests.factories import BedFactory, UserFactory, YoungPersonFactory

D = dt.date
pytestmark = pytest.mark.django_db


def at(day: dt.date, hour: int = 12, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def episode(person, period, decom, dec=None, rec="", rne="S", place="U4", provider="PR1", home_post="NR1",
            **more) -> CareEpisode:
    return CareEpisode.objects.create(
        young_person=person, period=period, decom=decom, dec=dec, rec=rec, rne=rne, ls="C2", cin="N1", place=place,
        place_provider=provider, home_post=home_post, pl_post="NR19", urn="SC123456", **more)


@pytest.fixture
def records():
    """Robin (boy, =CMD as child id), in care from February 2024, a hub stay from June 2025; Sam, a UASC girl."""
    robin = YoungPersonFactory(child_id="=CMD", sex="1", date_of_birth=D(2010, 6, 1), upn="A123456789012")
    period = CarePeriod.objects.create(young_person=robin, start=D(2024, 2, 1))
    episode(robin, period, D(2024, 2, 1), D(2025, 6, 2), "X1", reason_place_change="CARPL")
    stay = Stay.objects.create(bed=BedFactory(), young_person=robin, admitted=D(2025, 6, 2))
    episode(robin, period, D(2025, 6, 2), rne="P", place="K2", stay=stay)
    MissingEpisode.objects.create(young_person=robin, kind="M", started_at=at(D(2025, 7, 3), 22, 30),
                                  ended_at=at(D(2025, 7, 4), 9))
    MissingEpisode.objects.create(young_person=robin, kind="A", started_at=at(D(2023, 12, 10)), ended_at=at(D(2023, 12, 11)))  # before care
    sam = YoungPersonFactory(child_id="S1", sex="2", date_of_birth=D(2008, 2, 29), uasc=True,
                             uasc_ceased=D(2025, 8, 1), upn="UN2")
    sams = CarePeriod.objects.create(young_person=sam, start=D(2024, 9, 1), end=D(2025, 8, 1))
    episode(sam, sams, D(2024, 9, 1), D(2025, 8, 1), "E15", place="U6", home_post="")
    return robin, sam


def frames(folder: Path) -> dict[str, pl.DataFrame]:
    read = read_files([folder])
    assert [p for p in read.problems if p.is_error] == []
    return read.tables


def test_a_year_holds_the_episodes_open_in_it_hub_stays_included(records, tmp_path):
    analyst = UserFactory(role=Role.ANALYST)
    result, files = export_year("2025-26", tmp_path, analyst)
    assert [p.name for p in files] == ["Header.csv", "Episodes.csv", "Missing.csv", "UASC.csv"]
    tables = frames(tmp_path)
    episodes = tables["Episodes"]
    assert episodes.select("CHILD", "DECOM", "PLACE", "DEC").rows() == [
        ("=CMD", D(2024, 2, 1), "U4", D(2025, 6, 2)), ("=CMD", D(2025, 6, 2), "K2", None),
        ("S1", D(2024, 9, 1), "U6", D(2025, 8, 1))]
    assert tables["Header"].select("CHILD", "SEX", "UPN").rows() == [("=CMD", "M", "A123456789012"),
                                                                     ("S1", "F", "UN2")]
    assert result.errors == []


def test_cells_are_escaped_for_spreadsheets(records, tmp_path):
    export_year("2025-26", tmp_path, UserFactory(role=Role.ANALYST))
    assert (tmp_path / "Header.csv").read_text().splitlines()[1].startswith("'=CMD,M,01/06/2010")


def test_sex_is_written_in_the_years_codes(records, tmp_path):
    export_year("2023-24", tmp_path / "2023-24", UserFactory(role=Role.ANALYST))
    export_year("2024-25", tmp_path / "2024-25", UserFactory(role=Role.ANALYST))
    assert "=CMD,1," in (tmp_path / "2023-24" / "Header.csv").read_text().replace("'", "")
    assert "=CMD,M," in (tmp_path / "2024-25" / "Header.csv").read_text().replace("'", "")


def test_missing_episodes_are_those_while_looked_after_on_the_day_they_began(records, tmp_path):
    export_year("2025-26", tmp_path, UserFactory(role=Role.ANALYST))
    missing = frames(tmp_path)["Missing"]
    assert missing.select("CHILD", "MISSING", "MIS_START", "MIS_END", "DOB").rows() == [
        ("=CMD", "M", D(2025, 7, 3), D(2025, 7, 4), D(2010, 6, 1))]  # 22:30 on 3 July is the 3rd


def test_uasc_status_is_shown_as_it_stood_at_the_end_of_the_year(records, tmp_path):
    build = build_year("2024-25")
    assert build.tables["UASC"].select("CHILD", "DUC").rows() == [("S1", D(2026, 2, 28))]  # 18th birthday
    assert build_year("2025-26").tables["UASC"].select("CHILD", "DUC").rows() == [("S1", D(2025, 8, 1))]


def test_years_held_run_from_the_first_episode_to_today(records):
    years = years_held()
    assert years[0] == "2023-24" and years[-1] >= "2025-26"


def test_export_needs_the_permission_and_is_audited(records, tmp_path):
    with pytest.raises(PermissionDenied):
        export_year("2025-26", tmp_path / "no", UserFactory(role=Role.KEY_WORKER))
    assert not (tmp_path / "no").exists()
    analyst = UserFactory(role=Role.ANALYST)
    result, _ = export_year("2025-26", tmp_path, analyst)
    events = AuditEvent.objects.filter(user=analyst, action=Action.EXPORT)
    summary = events.get(young_person__isnull=True)
    assert "SSDA903 2025-26 written to" in summary.detail and "Episodes 3" in summary.detail
    assert set(events.exclude(young_person__isnull=True).values_list("young_person__child_id", flat=True)) == {
        "=CMD", "S1"}


def test_the_command_runs_as_a_named_user(records, tmp_path, capsys):
    UserFactory(role=Role.ANALYST, username="ana")
    UserFactory(role=Role.KEY_WORKER, username="kim")
    with pytest.raises(CommandError, match="needs the permission returns.export_903"):
        call_command("export-903", str(tmp_path), "--year", "2025-26", "--as", "kim")
    with pytest.raises(CommandError, match="no active user called 'nobody'"):
        call_command("export-903", str(tmp_path), "--year", "2025-26", "--as", "nobody")
    with pytest.raises(CommandError):
        call_command("export-903", str(tmp_path), "--year", "2025-26")  # --as is required
    call_command("export-903", str(tmp_path), "--year", "2025-26", "--as", "ana")
    assert "2025-26: wrote 4 files" in capsys.readouterr().out
    call_command("export-903", str(tmp_path / "all"), "--all-years", "--as", "ana")
    assert sorted(p.name for p in (tmp_path / "all").iterdir())[:3] == ["2023-24", "2024-25", "2025-26"]


def test_the_command_says_when_the_return_has_errors(records, tmp_path, capsys):
    UserFactory(role=Role.ANALYST, username="ana")
    CareEpisode.objects.filter(place="K2").update(place="H5")  # withdrawn after 2024-25
    with pytest.raises(CommandError, match="written but has [0-9]+ errors?"):
        call_command("export-903", str(tmp_path), "--year", "2025-26", "--as", "ana")
    assert "not a valid PLACE code in 2025-26" in capsys.readouterr().out
    assert (tmp_path / "Episodes.csv").exists()


def test_mother_is_shown_as_it_stood_at_the_end_of_each_year(records):
    """MOTHER 0 until the year her child was born, then 1 with MC_DOB; blank for a boy (and a girl the record does not say), and for a care
    leaver no longer looked after (the DfE's rule 628)."""
    mum = YoungPersonFactory(child_id="M1", sex="2", date_of_birth=D(2009, 1, 5), mother=True,
                             mother_child_dob=D(2025, 10, 1), upn="UN5")
    period = CarePeriod.objects.create(young_person=mum, start=D(2024, 6, 1), end=D(2026, 1, 4))
    episode(mum, period, D(2024, 6, 1), D(2026, 1, 4), "E8")
    CareLeaverOutcome.objects.create(young_person=mum, collection_year="2026-27", in_touch="YES", activity="F2",
                                     accommodation="D1")

    def shown(year):
        header = build_year(year).tables["Header"]
        return {c: (m, d) for c, m, d in header.select("CHILD", "MOTHER", "MC_DOB").iter_rows()}

    assert shown("2024-25") == {"=CMD": (None, None), "S1": (None, None), "M1": ("0", None)}
    assert shown("2025-26") == {"=CMD": (None, None), "S1": (None, None), "M1": ("1", D(2025, 10, 1))}
    assert shown("2026-27")["M1"] == (None, None)
