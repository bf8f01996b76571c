"""The chronology: significant events chosen from the timeline, oldest first, with who recorded each
and when; exported as PDF and CSV (cells escaped), permission-checked and audited."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from nwd.access.models import Action, AuditEvent
from nwd.access.roles import Role
from nwd.access.testing import sign_in
from nwd.documents import chronology, services
from nwd.documents.models import ChronologyEntry
from tests.factories import ContactFactory, UserFactory, open_involvement


@pytest.fixture
def case(db):
    involvement = open_involvement()
    key_worker = involvement.allocations.get().key_worker
    person = involvement.young_person
    first = ContactFactory(young_person=person, staff=key_worker, summary="=HYPERLINK(\"http://x\")",
                           at=timezone.make_aware(dt.datetime(2025, 6, 3, 10, 0)))
    second = ContactFactory(young_person=person, staff=key_worker, summary="Went to court with them.",
                            at=timezone.make_aware(dt.datetime(2025, 7, 1, 14, 30)))
    ContactFactory(young_person=person, staff=key_worker, summary="Not significant.",
                   at=timezone.make_aware(dt.datetime(2025, 8, 1, 9, 0)))
    return person, key_worker, first, second


def _key(person, user, record):
    return next(line.key for line, _ in chronology.candidates(user, person) if line.title and line.key.split(":")[2] == str(record.pk)
                and line.key.startswith("contact:"))


@pytest.mark.django_db
def test_chosen_events_come_back_oldest_first_with_author_and_recorded_date(case):
    person, key_worker, first, second = case
    for record, note in ((second, "Court hearing"), (first, "")):
        key = _key(person, key_worker, record)
        services.choose_for_chronology(person, entry_key=key, on=record.at.date(), note=note, by=key_worker)
    lines = chronology.chronology(key_worker, person)
    assert [line.detail for line in lines] == [first.summary, second.summary]
    assert lines[1].note == "Court hearing"
    assert lines[0].author == key_worker.get_full_name()
    assert lines[0].recorded_on == timezone.localdate()
    assert lines[1].when == "01/07/2025 14:30"
    entry = ChronologyEntry.objects.get(note="Court hearing")
    assert entry.history.count() == 1 and entry.recorded_by == key_worker
    pk = entry.pk
    services.remove_from_chronology(entry, by=key_worker)
    assert [line.detail for line in chronology.chronology(key_worker, person)] == [first.summary]
    removed = ChronologyEntry.history.filter(id=pk).latest("history_date")
    assert removed.history_type == "-" and removed.history_user == key_worker


@pytest.mark.django_db
def test_the_rules_speak_to_the_practitioner(case):
    person, key_worker, first, _ = case
    with pytest.raises(ValidationError) as broken:
        services.choose_for_chronology(person, entry_key="whatever", on=dt.date.today() + dt.timedelta(days=3),
                                       by=key_worker)
    errors = broken.value.message_dict
    assert errors["entry_key"] == ["Choose an event from the timeline."]
    assert "cannot be in the future" in errors["on"][0]


@pytest.mark.django_db
def test_exports_are_escaped_permission_checked_and_audited(case, client):
    person, key_worker, first, second = case
    for record in (first, second):
        services.choose_for_chronology(person, entry_key=_key(person, key_worker, record), on=record.at.date(),
                                       by=key_worker)
    sign_in(client, key_worker)
    csv = client.get(reverse("documents:chronology_csv", kwargs={"young_person_id": person.pk}))
    assert csv.status_code == 200 and csv["Content-Type"].startswith("text/csv")
    text = csv.content.decode("utf-8-sig")
    assert text.splitlines()[0] == "Date,Kind,What happened,Detail,Recorded by,Recorded on,Why it is significant"
    assert "'=HYPERLINK" in text and "Went to court" in text and "Not significant" not in text
    pdf = client.get(reverse("documents:chronology_pdf", kwargs={"young_person_id": person.pk}))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    import pypdfium2

    document = pypdfium2.PdfDocument(io.BytesIO(pdf.content))
    words = "".join(document[i].get_textpage().get_text_range() for i in range(len(document)))
    assert "Chronology for" in words and "Went to court with them." in words
    assert AuditEvent.objects.filter(action=Action.DOWNLOAD, user=key_worker, young_person_id=person.pk).count() == 2
    # A specialist not drawn in, and the police liaison officer, may not (404, as for any record they may not see).
    for role in (Role.LIFE_COACH, Role.POLICE_LIAISON):
        other = UserFactory(role=role)
        sign_in(client, other)
        for name in ("documents:chronology", "documents:chronology_csv", "documents:chronology_pdf"):
            assert client.get(reverse(name, kwargs={"young_person_id": person.pk})).status_code == 404


@pytest.mark.django_db
def test_choosing_through_the_page(case, client):
    person, key_worker, first, _ = case
    sign_in(client, key_worker)
    url = reverse("documents:chronology", kwargs={"young_person_id": person.pk})
    page = client.get(url)
    assert page.status_code == 200 and b"No events have been chosen yet." in page.content
    key = _key(person, key_worker, first)
    assert client.post(url, {"entry_key": key, "on": "2025-06-03"}).status_code == 302
    assert ChronologyEntry.objects.filter(young_person=person, entry_key=key).exists()
    assert b"Download the chronology (PDF)" in client.get(url).content
    assert client.post(url, {"entry_key": key, "on": "2025-06-03", "remove": "on"}).status_code == 302
    assert not ChronologyEntry.objects.exists()
    assert client.post(url, {"entry_key": "", "on": ""}).status_code == 422
