"""Ofsted's counts against records built by hand, the command, and the pages' permissions."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from nwd.access.models import AuditEvent
from nwd.access.roles import Role
from nwd.access.testing import sign_in
from nwd.events.models import ExploitationConcern, MissingEpisode
from nwd.hubs.models import Stay
from nwd.safeguarding import queries, services
from nwd.safeguarding.models import RestraintRecord
from tests.factories import BedFactory, UserFactory, YoungPersonFactory

START, END = dt.date(2025, 4, 1), dt.date(2025, 9, 30)


def _at(day: dt.date, hour: int = 12) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _stay(hub, person, admitted, discharged=None):
    return Stay.objects.create(bed=BedFactory(hub=hub), young_person=person, admitted=admitted,
                               discharged=discharged, destination="home" if discharged else "")


@pytest.fixture
def period(home):
    """Around the period 1 April to 30 September 2025: who stayed, was restrained, went missing."""
    hub = home.hub  # home.person: staying since 1 May 2025 (admitted in the period, resident)
    left = YoungPersonFactory()
    _stay(hub, left, dt.date(2025, 1, 10), dt.date(2025, 4, 1))  # discharged on the first day: left, not resident
    before = YoungPersonFactory()
    _stay(hub, before, dt.date(2025, 2, 1), dt.date(2025, 3, 31))  # gone before the period: nothing
    across = YoungPersonFactory()
    _stay(hub, across, dt.date(2025, 3, 1), dt.date(2025, 10, 5))  # resident through it
    after = YoungPersonFactory()
    _stay(hub, after, dt.date(2025, 10, 1))  # admitted the day after: nothing
    for person, when in ((home.person, _at(dt.date(2025, 5, 3))), (home.person, _at(dt.date(2025, 9, 30), 23)),
                         (across, _at(dt.date(2025, 6, 1))), (across, _at(dt.date(2025, 3, 31), 23))):
        RestraintRecord.objects.create(hub=hub, young_person=person, occurred_at=when, place="Hall",
                                       measure="guide", used_by="Staff")
    MissingEpisode.objects.create(young_person=home.person, started_at=_at(dt.date(2025, 5, 10)),
                                  ended_at=_at(dt.date(2025, 5, 11)))
    MissingEpisode.objects.create(young_person=home.person, started_at=_at(dt.date(2025, 6, 10)),
                                  ended_at=_at(dt.date(2025, 6, 11)))
    MissingEpisode.objects.create(young_person=across, kind="A", started_at=_at(dt.date(2025, 7, 1)),
                                  ended_at=_at(dt.date(2025, 7, 1), 18))
    MissingEpisode.objects.create(young_person=before, started_at=_at(dt.date(2025, 5, 1)),
                                  ended_at=_at(dt.date(2025, 5, 2)))  # not staying then: not the home's
    ExploitationConcern.objects.create(young_person=across, raised_on=dt.date(2025, 2, 1), kind="sexual")
    ExploitationConcern.objects.create(young_person=home.person, raised_on=dt.date(2025, 5, 1), kind="criminal")
    ExploitationConcern.objects.create(young_person=before, raised_on=dt.date(2025, 5, 1), kind="sexual")
    return home


def test_the_counts_against_records_built_by_hand(period):
    counts = queries.ofsted_counts(period.hub, START, END).figures
    assert counts["admitted"] == 1  # home.person
    assert counts["left"] == 1  # "left", discharged on 1 April
    assert counts["resident"] == 2  # home.person and "across"
    assert (counts["restraints"], counts["restraint_children"]) == (3, 2)
    assert (counts["missing"], counts["missing_children"]) == (2, 1)
    assert (counts["away"], counts["away_children"]) == (1, 1)
    assert counts["cse_children"] == 1  # "across": sexual, open through the period
    assert counts["notifications"] == 0


def test_the_command_prints_and_writes_the_counts(period, tmp_path, capsys):
    path = tmp_path / "counts.json"
    call_command("ofsted-counts", "--hub", period.hub.name, "--from", "2025-04-01", "--to", "30/09/2025",
                 "--json", str(path))
    out = capsys.readouterr().out
    assert "Restraints and other measures: 3" in out and "Children resident: 2" in out
    assert json.loads(path.read_text())["missing"] == 2


def test_the_counts_page_the_pdf_and_who_may_see_them(period):
    url = f"/children-homes/{period.hub.pk}/ofsted-counts/?start=2025-04-01&end=2025-09-30"
    manager = Client()
    sign_in(manager, period.manager)
    response = manager.get(url)
    assert response.status_code == 200 and b"Children resident" in response.content
    pdf = manager.get(url.replace("ofsted-counts/", "ofsted-counts/pdf/"))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content[:4] == b"%PDF"
    assert AuditEvent.objects.filter(user=period.manager, action="download", young_person=period.person).exists()
    worker = Client()
    sign_in(worker, period.worker)
    assert worker.get(url).status_code == 404  # a residential worker keeps the records but not the counts
    inspector = UserFactory(username="insp", role=Role.INSPECTOR)
    services.grant_inspection(period.hub, inspector=inspector, starts=timezone.now() - dt.timedelta(hours=1),
                              expires=timezone.now() + dt.timedelta(days=3), reason="Full inspection")
    visiting = Client()
    sign_in(visiting, inspector)
    assert visiting.get(url).status_code == 200
    assert visiting.get(f"/children-homes/{period.hub.pk}/").status_code == 200
    assert visiting.get(f"/children-homes/{period.hub.pk}/restraints/new/").status_code == 404
    assert AuditEvent.objects.filter(user=inspector, action="view").exists()
