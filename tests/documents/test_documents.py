"""Documents: kept through Django's storage, told by their content, checked by a real ClamAV before
anyone can open them, opened only by those the policy allows, every download audited."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from nwd.access.models import Action, AuditEvent
from nwd.access.roles import Role
from nwd.access.testing import sign_in
from nwd.documents import scanning, services, sniffing
from nwd.documents.models import Document, DocumentKind, ScanState
from nwd.jobs.models import Job, JobState
from nwd.jobs.testing import run_queued
from tests.documents.conftest import EICAR
from tests.factories import ContactFactory, UserFactory, YoungPersonFactory, open_involvement

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


# --- What a file is: its content, not its name --------------------------------------------------------

@pytest.mark.parametrize(("data", "key"), [
    (PDF, "pdf"), (b"\x89PNG\r\n\x1a\n" + b"\0" * 20, "png"), (b"\xff\xd8\xff\xe0" + b"\0" * 20, "jpeg"),
    (sniffing.OLE2 + b"\0" * 20, "doc"), (docx_bytes(), "docx"), ("Letter from school, £3 refund".encode(), "txt"),
], ids=["pdf", "png", "jpeg", "doc", "docx", "txt"])
def test_a_file_is_told_by_its_first_bytes(data, key):
    assert sniffing.sniff(data).key == key


@pytest.mark.parametrize("data", [b"MZ\x90\x00\x03\x00\x00\x00\x04\x00", b"PK\x03\x04not really a zip", b"\x00\x01\x02"],
                         ids=["program", "broken-zip", "binary"])
def test_programs_archives_and_binary_are_not_documents(data):
    assert sniffing.sniff(data) is None


# --- Attaching, the rules and the limits --------------------------------------------------------------

@pytest.fixture
def person(db):
    return open_involvement().young_person


@pytest.fixture
def key_worker(person):
    return person.involvements.get().allocations.get().key_worker


@pytest.mark.django_db
def test_a_program_named_as_a_pdf_is_refused(person, key_worker):
    with pytest.raises(ValidationError) as refused:
        services.attach_document(person, upload=upload("report.pdf", b"MZ\x90\x00" + b"\0" * 100), title="Report",
                                 kind=DocumentKind.REPORT, by=key_worker, scan=False)
    assert "is not a kind of file that can be attached" in refused.value.message_dict["file"][0]
    assert not Document.objects.exists()


@pytest.mark.django_db
def test_a_name_that_claims_another_type_is_refused(person, key_worker):
    with pytest.raises(ValidationError) as refused:
        services.attach_document(person, upload=upload("consent.pdf", b"plain words"), title="Consent",
                                 kind=DocumentKind.CONSENT, by=key_worker, scan=False)
    assert "named as a .pdf file but its content is a plain text" in refused.value.message_dict["file"][0]


@pytest.mark.django_db
def test_a_type_not_allowed_by_the_configuration_is_refused(person, key_worker, settings):
    settings.NWD_DOCUMENT_TYPES = ("pdf",)
    with pytest.raises(ValidationError, match="content is not one of: PDF"):
        services.attach_document(person, upload=upload("photo.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 20), title="Photo",
                                 kind=DocumentKind.OTHER, by=key_worker, scan=False)


@pytest.mark.django_db
def test_a_file_over_the_limit_is_refused(person, key_worker, settings):
    settings.NWD_DOCUMENT_MAX_BYTES = 1024 * 1024
    big = PDF + b"0" * (1024 * 1024)
    with pytest.raises(ValidationError, match="the largest document that can be attached is 1 MB"):
        services.attach_document(person, upload=upload("big.pdf", big), title="Big", kind=DocumentKind.REPORT,
                                 by=key_worker, scan=False)


@pytest.mark.django_db
def test_the_record_rules_speak_to_the_practitioner(person, key_worker):
    other = YoungPersonFactory()
    note = ContactFactory(young_person=other)
    document = Document(young_person=person, title="Letter", kind=DocumentKind.LETTER, original_name="a.pdf",
                        content_type="application/pdf", size=0, sha256="0" * 64, about=note,
                        dated=dt.date.today() + dt.timedelta(days=2), scan_state=ScanState.CLEAN)
    with pytest.raises(ValidationError) as broken:
        document.full_clean(exclude=["file"])
    errors = broken.value.message_dict
    assert errors["file"] == ["The file is empty: choose the document again."]
    assert "cannot be in the future" in errors["dated"][0]
    assert errors["scanned_at"] == ["A document is clean only once it has been checked."]
    assert errors["__all__"] == ["The record this document belongs to is about another young person."]
    document.scan_state = ScanState.INFECTED
    with pytest.raises(ValidationError) as broken:
        document.full_clean(exclude=["file"])
    assert broken.value.message_dict["scan_result"] == ["Say which virus was found."]


# --- The real ClamAV ----------------------------------------------------------------------------------

@pytest.mark.django_db
def test_the_eicar_test_string_is_refused_by_clamav_and_its_bytes_removed(person, key_worker, clamd):
    letter = b"Dear colleague,\n" + EICAR + b"\nYours,\n"
    document = services.attach_document(person, upload=upload("letter.txt", letter), title="Letter from a stranger",
                                        kind=DocumentKind.LETTER, by=key_worker)
    stored = document.file.name
    assert document.scan_state == ScanState.PENDING and storages["documents"].exists(stored)
    assert run_queued() == 1
    document.refresh_from_db()
    assert document.scan_state == ScanState.INFECTED
    assert document.scan_result == "Nwd.Test.EICAR.UNOFFICIAL"
    assert not document.file and not storages["documents"].exists(stored)
    assert Job.objects.get(kind="document-scan").state == JobState.DONE
    history = list(document.history.order_by("history_date").values_list("scan_state", flat=True))
    assert history == [ScanState.PENDING, ScanState.INFECTED]


@pytest.mark.django_db
def test_a_clean_document_is_kept_in_storage_checked_and_downloaded_with_an_audit_line(person, key_worker, clamd, client):
    document = services.attach_document(person, upload=upload("consent.pdf", PDF), title="Consent to share",
                                        kind=DocumentKind.CONSENT, by=key_worker)
    assert storages["documents"].path(document.file.name).startswith(str(storages["documents"].location))
    sign_in(client, key_worker)
    url = reverse("documents:download", kwargs={"document_id": document.pk})
    assert client.get(url).status_code == 409  # not checked yet: nobody can open it
    run_queued()
    document.refresh_from_db()
    assert document.scan_state == ScanState.CLEAN and document.scanned_at is not None
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert 'attachment; filename="consent.pdf"' in response["Content-Disposition"]
    line = AuditEvent.objects.filter(action=Action.DOWNLOAD, user=key_worker).get()
    assert line.young_person_id == person.pk and line.object_id == str(document.pk)
    assert "consent.pdf" in line.detail


@pytest.mark.django_db
def test_when_clamav_cannot_be_reached_the_document_stays_closed(person, key_worker, settings, tmp_path):
    settings.NWD_CLAMD_SOCKET = str(tmp_path / "nobody-listens.sock")
    document = services.attach_document(person, upload=upload("r.pdf", PDF), title="Report", kind=DocumentKind.REPORT,
                                        by=key_worker)
    run_queued()
    document.refresh_from_db()
    assert document.scan_state == ScanState.FAILED and "could not be reached" in document.scan_result
    job = Job.objects.get(kind="document-scan")
    assert job.state == JobState.FAILED and "stays closed" in job.error
    with pytest.raises(scanning.ScannerUnavailable):
        scanning.scan(io.BytesIO(PDF))


# --- Who may open which ---------------------------------------------------------------------------------

@pytest.mark.django_db
def test_the_police_liaison_officer_opens_only_documents_shared_with_police(person, key_worker, clamd, client):
    shared = services.attach_document(person, upload=upload("statement.pdf", PDF), title="Statement",
                                      kind=DocumentKind.COURT, shared_with_police=True, by=key_worker)
    private = services.attach_document(person, upload=upload("health.pdf", PDF), title="Health letter",
                                       kind=DocumentKind.LETTER, by=key_worker)
    run_queued()
    officer = UserFactory(role=Role.POLICE_LIAISON)
    sign_in(client, officer)
    page = client.get(reverse("documents:index", kwargs={"young_person_id": person.pk}))
    assert page.status_code == 200
    assert b"Statement" in page.content and b"Health letter" not in page.content
    assert b"Attach a document" not in page.content
    assert client.get(reverse("documents:download", kwargs={"document_id": shared.pk})).status_code == 200
    assert client.get(reverse("documents:download", kwargs={"document_id": private.pk})).status_code == 404
    assert AuditEvent.objects.filter(action=Action.DENIED, user=officer).exists()


@pytest.mark.django_db
def test_attaching_through_the_page_links_a_contact_note(person, key_worker, client):
    note = ContactFactory(young_person=person, staff=key_worker)
    sign_in(client, key_worker)
    url = reverse("documents:attach", kwargs={"young_person_id": person.pk})
    response = client.post(url, {"file": upload("minutes.docx", docx_bytes()), "title": "Meeting minutes",
                                 "kind": DocumentKind.PLAN, "about": f"contact:{note.pk}"})
    assert response.status_code == 302
    document = Document.objects.get()
    assert document.about == note and document.content_type.endswith("wordprocessingml.document")
    assert document.recorded_by == key_worker
    assert AuditEvent.objects.filter(action=Action.CREATE, user=key_worker, young_person_id=person.pk).exists()
    refused = client.post(url, {"file": upload("x.pdf", b"MZ\x90\x00"), "title": "", "kind": DocumentKind.PLAN})
    assert refused.status_code == 422
    assert "Say what the document is" in refused.content.decode()


@pytest.mark.django_db
def test_documents_left_waiting_are_checked_again_once_clamav_answers(person, key_worker, settings, tmp_path, clamd_socket):
    from django.core.management import call_command

    settings.NWD_CLAMD_SOCKET = str(tmp_path / "nobody-listens.sock")
    document = services.attach_document(person, upload=upload("r.pdf", PDF), title="Report", kind=DocumentKind.REPORT,
                                        by=key_worker)
    run_queued()
    settings.NWD_CLAMD_SOCKET = clamd_socket
    out = io.StringIO()
    call_command("scan_documents", stdout=out)
    assert out.getvalue().strip() == "Queued the virus check of 1 document."
    run_queued()
    document.refresh_from_db()
    assert document.scan_state == ScanState.CLEAN and document.scan_result == ""


def test_an_s3_bucket_puts_documents_in_django_storages_s3_backend(tmp_path):
    """By configuration only (the s3 extra need not be installed to read the settings)."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "DEBUG": "1", "NWD_DATA_DIR": str(tmp_path), "NWD_S3_BUCKET": "council-documents",
           "NWD_S3_ENDPOINT_URL": "https://objects.example.org", "DJANGO_SETTINGS_MODULE": "nwd.settings"}
    code = "from django.conf import settings as s; d = s.STORAGES['documents']; print(d['BACKEND'], d['OPTIONS']['bucket_name'], d['OPTIONS']['default_acl'])"
    shown = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
    assert shown.split() == ["storages.backends.s3.S3Storage", "council-documents", "private"]
    env.pop("NWD_S3_BUCKET")
    env["NWD_MEDIA_DIR"] = str(tmp_path / "media")
    code = "from django.conf import settings as s; print(s.STORAGES['documents']['OPTIONS']['location'])"
    shown = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
    assert shown.strip() == str(tmp_path / "media")
