"""Re-importing a return never brings back a record a practitioner withdrew as entered in error.

The 903's Missing table is the only one whose records can be withdrawn in nwd (a missing episode is an
event: ``nwd.core.models.Withdrawable``); episodes, periods, reviews, OC2 and OC3 cannot be withdrawn,
so re-importing them is idempotent as ``test_import.test_re_importing_changes_nothing`` shows.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from nwd.casework import services as casework
from nwd.events.models import MissingEpisode
from nwd.returns.importer import import_return
from tests.factories import UserFactory
from tests.returns.conftest import YEAR
from tests.returns.test_import import make_return

pytestmark = pytest.mark.django_db


def test_a_withdrawn_missing_episode_stays_withdrawn_when_the_return_is_imported_again(tmp_path):
    folder = make_return(tmp_path / YEAR)
    import_return([folder])
    episode = MissingEpisode.objects.get(young_person__child_id="A1")
    manager = UserFactory(role="hub_manager")
    casework.withdraw_record(episode, reason="recorded for the wrong young person", by=manager)
    history_rows = episode.history.count()

    again = import_return([folder])

    assert again.errors == [] and again.written
    assert MissingEpisode.objects.filter(young_person__child_id="A1").count() == 0  # not recreated
    assert MissingEpisode.all_objects.filter(young_person__child_id="A1").count() == 1  # not duplicated
    episode.refresh_from_db()
    assert episode.is_withdrawn and episode.withdrawn_reason == "recorded for the wrong young person"
    assert episode.history.count() == history_rows  # untouched: no change written to it
    counts = again.counts["missing episodes"]
    assert (counts.created, counts.updated, counts.withdrawn) == (0, 0, 1)
    assert again.changed == 0
    assert any("withdrawn in nwd as entered in error" in n and "1 row" in n for n in again.notices)


def test_a_changed_row_does_not_change_the_withdrawn_episode(tmp_path):
    folder = make_return(tmp_path / YEAR)
    import_return([folder])
    episode = MissingEpisode.objects.get(young_person__child_id="A1")
    casework.withdraw_record(episode, reason="recorded twice", by=UserFactory(role="hub_manager"))
    changed = make_return(tmp_path / "changed" / YEAR, missing="""\
        CHILD,DOB,MISSING,MIS_START,MIS_END
        A1,01/06/2010,A,03/07/2025,05/07/2025
        """)
    import_return([changed])
    episode.refresh_from_db()
    assert episode.kind == "M" and timezone.localtime(episode.ended_at).date() == dt.date(2025, 7, 4)
    assert MissingEpisode.all_objects.filter(young_person__child_id="A1").count() == 1


def test_a_current_episode_on_the_day_of_a_withdrawn_one_is_the_one_matched(tmp_path):
    """Withdrawn as recorded twice: the copy kept is the return's row, updated as usual."""
    folder = make_return(tmp_path / YEAR)
    import_return([folder])
    kept = MissingEpisode.objects.get(young_person__child_id="A1")
    twice = MissingEpisode.objects.create(young_person=kept.young_person, kind="M",
                                          started_at=kept.started_at + dt.timedelta(hours=1),
                                          ended_at=kept.ended_at)
    casework.withdraw_record(twice, reason="recorded twice", by=UserFactory(role="hub_manager"))
    changed = make_return(tmp_path / "changed" / YEAR, missing="""\
        CHILD,DOB,MISSING,MIS_START,MIS_END
        A1,01/06/2010,A,03/07/2025,04/07/2025
        """)
    report = import_return([changed])
    assert report.counts["missing episodes"].updated == 1 and report.counts["missing episodes"].withdrawn == 0
    kept.refresh_from_db()
    twice.refresh_from_db()
    assert kept.kind == "A" and twice.kind == "M" and twice.is_withdrawn


def test_a_dry_run_counts_the_withdrawn_rows_too(tmp_path):
    folder = make_return(tmp_path / YEAR)
    import_return([folder])
    casework.withdraw_record(MissingEpisode.objects.get(young_person__child_id="A1"), reason="recorded twice",
                             by=UserFactory(role="hub_manager"))
    report = import_return([folder], dry_run=True)
    assert report.counts["missing episodes"].withdrawn == 1 and report.changed == 0
