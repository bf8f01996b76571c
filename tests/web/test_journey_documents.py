"""The documents journey in Chromium (issue 16 items 5 and 6): a key worker attaches a document, the
real ClamAV finds it clean, the key worker opens it; then chooses events for the chronology and
exports it as PDF and CSV. Every page clean under axe-core, and within 320 pixels."""

from __future__ import annotations

import datetime as dt
import urllib.request
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from nwd.access.models import Action, AuditEvent
from nwd.access.roles import Role
from nwd.casework import services as casework
from nwd.casework.models import Contact
from nwd.documents.models import ChronologyEntry, Document, ScanState
from nwd.hubs.models import Hub
from nwd.jobs.testing import run_queued
from tests.browser.conftest import CHROMIUM, browse, chromium  # noqa: F401 - the browser fixtures
from tests.browser.world import PASSWORD, _person, _user
from tests.documents.conftest import clamd, clamd_socket  # noqa: F401 - the real ClamAV
from tests.documents.test_documents import PDF

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"No Chromium at {CHROMIUM} (set NWD_CHROMIUM)"),
]


def test_attach_a_document_and_export_a_chronology(browse, clamd, tmp_path, live_server):  # noqa: F811
    # The live server's first page loads the templates and static finders: warmed before the browser's clock runs.
    urllib.request.urlopen(live_server.url + "/sign-in/", timeout=120).read()  # noqa: S310 - the test's own server
    hub = Hub.objects.create(name="Riverside Hub", code="river", locality="Norwich", opened=dt.date(2021, 6, 1))
    worker = _user("sam.kw", "Sam", "Okafor", Role.KEY_WORKER, hub=hub)
    person = _person("C300101", "Riley", "Featherstonehaugh-Mbatha", 15)
    casework.start_involvement(person, hub, "outreach", worker, dt.date(2025, 1, 6))
    Contact.objects.create(young_person=person, staff=worker, kind="face_to_face", summary="Met at the hub.",
                           at=timezone.make_aware(dt.datetime(2025, 2, 3, 10, 0)))

    wide = browse()
    wide.sign_in(worker, PASSWORD)
    wide.go(f"/young-people/{person.pk}/")
    wide.page.get_by_role("link", name="Documents").first.click()
    expect(wide.page.locator("h1")).to_have_text("Documents")
    wide.axe("the documents page")
    upload = tmp_path / "consent.pdf"
    upload.write_bytes(PDF)
    wide.page.locator("#id_file").set_input_files(str(upload))
    wide.page.locator("#id_title").fill("Consent to share information")
    wide.page.locator("#id_kind").select_option("consent")
    wide.page.get_by_role("button", name="Attach the document").click()
    expect(wide.page.get_by_text("The document is attached.")).to_be_visible()
    expect(wide.page.get_by_text("Waiting")).to_be_visible()
    wide.axe("the documents page after attaching")

    assert run_queued() == 1  # the worker's virus check, against the real clamd
    assert Document.objects.get(young_person=person).scan_state == ScanState.CLEAN
    wide.page.reload()
    expect(wide.page.get_by_text("Clean", exact=True)).to_be_visible()
    with wide.page.expect_download() as download:
        wide.page.get_by_role("link", name="Consent to share information").click()
    assert download.value.suggested_filename == "consent.pdf"
    assert AuditEvent.objects.filter(action=Action.DOWNLOAD, user=worker, young_person_id=person.pk).exists()

    wide.page.get_by_role("link", name="Chronology of significant events").click()
    expect(wide.page.locator("h1")).to_have_text("Chronology")
    wide.axe("the chronology page, nothing chosen")
    wide.page.get_by_role("button", name="Add Face to face with").first.click()
    expect(wide.page.get_by_text("Download the chronology (PDF)")).to_be_visible()
    assert ChronologyEntry.objects.filter(young_person=person).count() == 1
    wide.axe("the chronology page with an event")
    with wide.page.expect_download() as pdf:
        wide.page.get_by_role("link", name="Download the chronology (PDF)").click()
    assert pdf.value.suggested_filename.endswith(".pdf")
    with wide.page.expect_download() as csv:
        wide.page.get_by_role("link", name="Download the chronology (CSV)").click()
    assert "Met at the hub." in Path(csv.value.path()).read_text(encoding="utf-8-sig")

    narrow = browse(width=320, height=700)
    narrow.sign_in(worker, PASSWORD)
    for path in (f"/young-people/{person.pk}/documents/", f"/young-people/{person.pk}/chronology/"):
        narrow.go(path)
        narrow.no_horizontal_scroll()
        narrow.axe(f"{path} at 320px")
