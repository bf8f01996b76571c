"""Issue 12: what the pages say (plurals, one date format, the audit log in sentences) and the data
protection officer's way from the audit log to a record's trail."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.test import Client
from django.utils.formats import date_format

from nwd.access.models import Action, AuditEvent
from nwd.access.roles import Role
from nwd.access.testing import sign_in
from nwd.access.wording import what_happened
from nwd.returns import dbwrite
from nwd.returns.importer import ImportReport
from tests.factories import UserFactory, YoungPersonFactory

TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "nwd"
# Documents (the cabinet report, the plan and the chronology as PDF) write dates as documents do: the
# month in full.
DOCUMENTS = {"report.html", "plan_pdf.html", "chronology_pdf.html"}
NAMED_FORMATS = {"DATE_FORMAT", "DATETIME_FORMAT", "j M Y, H:i:s", "j", "D"}


def test_one_record_is_one_record():
    report = ImportReport(counts={"episodes": dbwrite.Counts(created=1)}, written=True)
    assert report.outcome() == "Imported: 1 record created, changed or removed."
    report = ImportReport(counts={"episodes": dbwrite.Counts(created=2, updated=1)}, written=True)
    assert report.outcome() == "Imported: 3 records created, changed or removed."
    assert ImportReport(counts={"episodes": dbwrite.Counts(deleted=1)}, dry_run=True).outcome() == (
        "Checked only, nothing was written: importing would make 1 change.")


def test_the_pages_write_a_date_one_way():
    """No template writes "07/12/2026" or "7 December 2026" beside "10 May 2012": ``|date`` (DATE_FORMAT)
    or a named format only."""
    stray = []
    for template in TEMPLATES.rglob("templates/**/*.html"):
        if template.name in DOCUMENTS:
            continue
        for fmt in re.findall(r'\|date:"([^"]*)"', template.read_text(encoding="utf-8")):
            if fmt not in NAMED_FORMATS:
                stray.append(f"{template.name}: {fmt}")
    assert not stray
    assert date_format(dt.date(2026, 12, 7)) == "7 Dec 2026"
    assert date_format(dt.datetime(2026, 12, 7, 14, 30), "DATETIME_FORMAT") == "7 Dec 2026, 14:30"


@pytest.mark.django_db
def test_the_plan_review_alert_writes_the_date_as_the_pages_do():
    from nwd.casework.queries import alerts_of

    person = YoungPersonFactory()
    person.alert_missing = person.alert_overstay = person.alert_no_contact = person.alert_referral = False
    person.alert_review, person.review_due = True, dt.date(2026, 12, 7)
    assert [a.text for a in alerts_of(person, today=dt.date(2026, 12, 1))] == ["Plan review due 7 Dec 2026"]


@pytest.mark.parametrize(("action", "detail", "sentence", "note"), [
    (Action.LIST, "home page", "Saw the young person listed on the home page", ""),
    (Action.LIST, "referral queue", "Saw the young person listed in the referral queue", ""),
    (Action.LIST, "hub's young people", "Saw the young person listed in the list of the hub's young people", ""),
    (Action.LIST, "evidence: Missing episodes: 2024", "Saw the young person listed behind a figure on the outcomes page",
     "Missing episodes: 2024"),
    (Action.SEARCH, "possible matches for referral 12", "Found the young person as a possible match for referral 12", ""),
    (Action.SEARCH, "search: haddad", "Found the young person by searching", "search: haddad"),
    (Action.LOGIN_SUCCESS, "", "Signed in", ""),
])
def test_the_audit_log_says_what_happened_in_a_sentence(action, detail, sentence, note):
    event = AuditEvent(action=action, detail=detail, young_person_id=1)
    assert (what_happened(event).sentence, what_happened(event).note) == (sentence, note)


@pytest.mark.django_db
def test_audit_rows_link_to_the_records_trail_for_the_officer_only_where_it_opens():
    officer = UserFactory(role=Role.DATA_PROTECTION_OFFICER)
    person = YoungPersonFactory(given_name="Tyler", family_name="Reeve")
    reader = UserFactory(role=Role.KEY_WORKER)
    AuditEvent.objects.create(action=Action.LIST, detail="home page", user=reader, username=reader.username,
                              young_person_id=person.pk)
    client = Client()
    sign_in(client, officer)
    body = client.get("/audit/").content.decode()
    table = body[body.index("<table"):]
    assert "Saw the young person listed on the home page" in table and "Saw in a list" not in table
    assert f'href="/young-people/{person.pk}/viewed-by/"' in body
    assert f'href="/young-people/{person.pk}/changes/"' in body
    # Links that would open: the trail pages answer the officer.
    assert client.get(f"/young-people/{person.pk}/viewed-by/").status_code == 200
    assert client.get(f"/young-people/{person.pk}/changes/").status_code == 200
