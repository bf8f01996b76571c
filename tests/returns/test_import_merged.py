"""A duplicate merged in nwd is not made again by the next SSDA903 import: its council child id
(CHILD) is kept as a former id of the record it was merged into, and the import reads it as that
record (``nwd.casework.models.FormerChildId``)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from nwd.care.models import CareEpisode
from nwd.casework import services
from nwd.casework.models import FormerChildId, YoungPerson
from nwd.returns.importer import import_return
from tests.factories import UserFactory, YoungPersonFactory
from tests.returns.conftest import YEAR
from tests.returns.test_import import make_return

D = dt.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def imported(tmp_path: Path) -> Path:
    folder = make_return(tmp_path / YEAR)
    assert import_return([folder]).written
    return folder


def test_a_referral_record_merged_with_the_returns_child_takes_its_child_id(imported):
    """The usual duplicate: a referral made "R0000001" (with the young person's names), the return made
    "Child A1". Kept, the referral's record takes the council's CHILD, so the return it goes into and the
    next one read name it as the council's system does; its own id becomes a former id."""
    referred = YoungPersonFactory(child_id="R0000001", given_name="Robin", family_name="Example",
                                  date_of_birth=D(2010, 6, 1))
    from_return = YoungPerson.objects.get(child_id="A1")
    kept = services.merge_young_people(referred, duplicate=from_return, reason="the same boy", by=UserFactory())
    assert (kept.pk, kept.child_id, kept.given_name) == (referred.pk, "A1", "Robin")
    assert list(FormerChildId.objects.values_list("child_id", "young_person_id")) == [("R0000001", kept.pk)]
    assert CareEpisode.objects.filter(young_person=kept).count() == 2

    again = import_return([imported])
    assert again.written and again.changed == 0
    assert YoungPerson.objects.filter(child_id__in=["A1", "A2"]).count() == 2
    assert not YoungPerson.objects.filter(given_name="Child", family_name="A1").exists()
    kept.refresh_from_db()
    assert (kept.child_id, kept.given_name) == ("A1", "Robin")
    # A new referral's id is never one used before, even one merged away.
    assert services._new_child_id() == "R0000002"


def test_a_merged_councils_child_is_read_as_the_record_it_was_merged_into(imported):
    """Two records of the council's (A1 and B9, as when the council's system had the child twice),
    merged in nwd: the next return's rows for B9 go to the kept record, none is made again, and the
    report says so."""
    kept = YoungPerson.objects.get(child_id="A1")
    twin = YoungPersonFactory(child_id="B9", date_of_birth=kept.date_of_birth)
    services.merge_young_people(kept, duplicate=twin, reason="the same boy", by=UserFactory())
    kept.refresh_from_db()
    assert kept.child_id == "A1"  # both the council's: the kept record keeps its own
    before = CareEpisode.objects.filter(young_person=kept).count()

    folder = imported.parent / "with-b9" / YEAR
    header = (imported / "Header.csv").read_text()
    episodes = (imported / "Episodes.csv").read_text()
    first_row = next(line for line in header.splitlines()[1:] if line.startswith("A2,"))
    b9_episode = next(line for line in episodes.splitlines()[1:] if line.startswith("A2,"))
    make_return(folder, header=header.rstrip("\n") + "\n" + first_row.replace("A2,", "B9,", 1) + "\n",
                episodes=episodes.rstrip("\n") + "\n" + b9_episode.replace("A2,", "B9,", 1) + "\n")
    report = import_return([folder])
    assert report.written, report.errors
    assert not YoungPerson.objects.filter(child_id="B9").exists()
    assert report.counts["young people"].created == 0
    assert CareEpisode.objects.filter(young_person=kept).count() == before + 1  # B9's episode, on the kept record
    assert any("CHILD B9 into A1" in notice and "no new record was made" in notice for notice in report.notices)
