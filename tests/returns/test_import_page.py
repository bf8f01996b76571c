"""The analyst's SSDA903 pages: check an upload, see the row-level report, import, download a year."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils.html import escape

from nwd.access.models import Action, AuditEvent
from nwd.access.roles import Role
from nwd.access.testing import sign_in
from nwd.care.models import CareEpisode
from nwd.casework.models import YoungPerson
from nwd.core import files as stored_files
from nwd.returns import uploads
from tests.factories import UserFactory
from tests.returns.conftest import EPISODES, HEADER, MISSING, through_job

pytestmark = pytest.mark.django_db
BAD_EPISODES = EPISODES.replace("A2,01/09/2025,S,V2,N4,U6,PR4,01/12/2025", "A2,01/09/2025,S,V2,N4,U6,PR4,01/08/2025")


@pytest.fixture(autouse=True)
def upload_folder(tmp_path, settings):
    settings.NWD_DATA_DIR = tmp_path / "data"


def client_for(role: str) -> tuple[Client, object]:
    user = UserFactory(role=role)
    client = Client()
    sign_in(client, user)
    return client, user


def files(episodes: str = EPISODES) -> list[SimpleUploadedFile]:
    return [SimpleUploadedFile(f"{name}_2025-26.csv", text.encode(), content_type="text/csv")
            for name, text in (("Header", HEADER), ("Episodes", episodes), ("Missing", MISSING))]


def test_the_pages_are_for_analysts():
    keyworker, _ = client_for(Role.KEY_WORKER)
    for url in ("/returns/", "/returns/import/", "/returns/export/?year=2025-26"):
        assert keyworker.get(url).status_code == 403, url
    analyst, _ = client_for(Role.ANALYST)
    page = analyst.get("/returns/import/")
    assert page.status_code == 200
    html = page.content.decode()
    assert '<label class="govuk-label govuk-label--s" for="id_files">' in html
    assert 'type="file" multiple' in html
    assert analyst.get("/returns/").status_code == 200


def test_upload_is_checked_and_nothing_written_until_confirmed():
    analyst, user = client_for(Role.ANALYST)
    page = through_job(analyst, "/returns/import/", {"files": files()})
    assert page.status_code == 200
    html = page.content.decode()
    assert "SSDA903 return checked" in html and "What importing would do" in html
    assert "Import the return" in html
    assert not YoungPerson.objects.exists()
    token = page.context["upload"].token
    done = through_job(analyst, "/returns/import/confirm/", {"token": token, "mode": "all"})
    assert done.status_code == 200
    assert "SSDA903 return imported" in done.content.decode()
    assert CareEpisode.objects.count() == 3
    assert YoungPerson.objects.get(child_id="A1").recorded_by == user
    event = AuditEvent.objects.filter(user=user, action=Action.IMPORT, detail__startswith="SSDA903 import").get()
    assert event.path == ""  # written by the worker, from the job the page started (its page is audited)
    assert uploads.find(user, token).files == []  # the files are removed once imported


def test_the_report_lists_each_problem_by_file_row_column_value_and_rule():
    analyst, user = client_for(Role.ANALYST)
    page = through_job(analyst, "/returns/import/", {"files": files(BAD_EPISODES)})
    html = page.content.decode()
    assert "The return has 1 error" in html and 'class="govuk-error-summary"' in html
    row = ('<td class="govuk-table__cell">Episodes_2025-26.csv</td><td class="govuk-table__cell govuk-table__cell--numeric">'
           '4</td><td class="govuk-table__cell">DEC</td><td class="govuk-table__cell">01/08/2025</td>'
           '<td class="govuk-table__cell">356</td>')
    assert row in html
    [error] = page.context["report"].errors
    assert escape(error.message) in html
    assert "Import, leaving out the rows with errors" in html and "Import the return</button>" not in html
    report = analyst.get(f"/returns/import/{page.context['upload'].token}/report.csv")
    assert report.status_code == 200 and b"01/08/2025" in b"".join(report)
    skipped = through_job(analyst, "/returns/import/confirm/", {"token": page.context["upload"].token, "mode": "skip"})
    html = skipped.content.decode()
    assert "Rows left out: 2 (1 child)" in html
    assert list(YoungPerson.objects.values_list("child_id", flat=True)) == ["A1"]


def test_a_plain_import_of_a_return_with_errors_is_refused():
    analyst, _ = client_for(Role.ANALYST)
    page = through_job(analyst, "/returns/import/", {"files": files(BAD_EPISODES)})
    refused = through_job(analyst, "/returns/import/confirm/", {"token": page.context["upload"].token, "mode": "all"})
    assert refused.status_code == 422
    assert not YoungPerson.objects.exists()


def test_no_files_and_a_bad_year_are_explained():
    analyst, _ = client_for(Role.ANALYST)
    page = through_job(analyst, "/returns/import/", {"year": "2025"})
    assert page.status_code == 422
    html = page.content.decode()
    assert '<a href="#id_files">Choose the return&#x27;s files to upload</a>' in html
    assert "write it like 2025-26" in html
    wrong = through_job(analyst, "/returns/import/", {"files": [SimpleUploadedFile("notes.docx", b"x")]})
    assert "is not a CSV, XML or ZIP file" in wrong.content.decode()


def test_a_zip_of_year_folders_is_read():
    analyst, _ = client_for(Role.ANALYST)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("903/2025-26/Header.csv", HEADER)
        archive.writestr("903/2025-26/Episodes.csv", EPISODES)
        archive.writestr("903/2025-26/Missing.csv", MISSING)
        archive.writestr("../../escape.csv", "CHILD\n")
    page = through_job(analyst, "/returns/import/", {"files": [SimpleUploadedFile("return.zip", buffer.getvalue())]})
    report = page.context["report"]
    assert [f.collection_year for f in report.files if f.table] == ["2025-26"] * 3
    kept = page.context["upload"]
    escaped = [name for name in stored_files.walk(uploads.ROOT) if "escape" in name]
    assert escaped == [f"{kept.files_prefix}/escape.csv"]  # kept inside its upload, never above it
    assert not stored_files.storage().exists("escape.csv") and not stored_files.storage().exists(f"{uploads.ROOT}/escape.csv")


def test_someone_elses_upload_cannot_be_imported():
    analyst, _ = client_for(Role.ANALYST)
    token = through_job(analyst, "/returns/import/", {"files": files()}).context["upload"].token
    other, _ = client_for(Role.ANALYST)
    assert other.post("/returns/import/confirm/", {"token": token, "mode": "all"}).status_code == 410
    assert other.get(f"/returns/import/{token}/report.csv").status_code == 404
    assert not YoungPerson.objects.exists()


def test_a_year_is_downloaded_as_a_zip_and_audited():
    analyst, user = client_for(Role.ANALYST)
    token = through_job(analyst, "/returns/import/", {"files": files()}).context["upload"].token
    through_job(analyst, "/returns/import/confirm/", {"token": token, "mode": "all"})
    index = analyst.get("/returns/")
    assert '<option value="2025-26"' in index.content.decode()
    response = analyst.get("/returns/export/?year=2025-26")
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response)))
    assert {"2025-26/Header.csv", "2025-26/Episodes.csv", "2025-26/Missing.csv"} <= set(archive.namelist())
    assert archive.read("2025-26/Header.csv").decode().splitlines()[1].startswith("A1,M,01/06/2010")
    downloads = AuditEvent.objects.filter(user=user, action=Action.DOWNLOAD)
    assert downloads.filter(young_person__child_id="A1").exists()
    assert downloads.filter(detail__contains="ssda903-2025-26.zip").exists()
    assert analyst.get("/returns/export/").status_code == 302


FORMULA_EPISODES = EPISODES.replace("A2,01/09/2025,S,V2,N4,", "A2,01/09/2025,S,V2,=HYPERLINK(1),")


def test_the_full_report_downloads_escaped_and_audited_and_the_page_counts_every_problem(settings):
    """Issue 12 #2: the link to the CSV shows (it never did), the file escapes formulas and is audited,
    and the page says how many problems there are in all while listing only the first of each rule."""
    settings.NWD_903_EXAMPLES_PER_RULE = 1
    analyst, user = client_for(Role.ANALYST)
    two_errors = FORMULA_EPISODES.replace("01/12/2025,E4A", "01/08/2025,E4A")
    page = through_job(analyst, "/returns/import/", {"files": files(two_errors)})
    html = page.content.decode()
    token = page.context["upload"].token
    link = f'href="/returns/import/{token}/report.csv"'
    assert html.count(link) == 2  # in the summary and at the end
    assert "In all, 2 errors and 0 warnings, counted by rule below. The page lists the first 1 of each rule" in html
    assert "lists every one." in html
    response = analyst.get(f"/returns/import/{token}/report.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    text = b"".join(response).decode("utf-8-sig")
    assert ",'=HYPERLINK(1)," in text and ",=HYPERLINK" not in text
    assert "01/08/2025" in text
    assert AuditEvent.objects.filter(user=user, action=Action.DOWNLOAD,
                                     detail__contains="ssda903-import-report.csv").exists()


def test_without_the_download_permission_the_page_says_so_and_the_csv_is_refused(settings, monkeypatch):
    analyst, user = client_for(Role.ANALYST)
    real = type(user).has_perm
    monkeypatch.setattr(type(user), "has_perm", lambda self, perm, obj=None: perm != "exports.download"
                        and real(self, perm, obj))
    page = through_job(analyst, "/returns/import/", {"files": files(BAD_EPISODES)})
    html = page.content.decode()
    assert "report.csv" not in html
    assert "the full report (CSV) is for those who may download files" in html
    assert analyst.get(f"/returns/import/{page.context['upload'].token}/report.csv").status_code == 403


def test_the_check_runs_in_the_background_and_its_page_shows_progress_until_the_report():
    from nwd.jobs.models import Job
    from nwd.jobs.testing import run_queued

    analyst, user = client_for(Role.ANALYST)
    started = analyst.post("/returns/import/", {"files": files()})
    assert started.status_code == 302 and started.url.startswith("/returns/import/jobs/")
    waiting = analyst.get(started.url)
    html = waiting.content.decode()
    assert waiting.status_code == 200 and 'data-nwd-job-waiting="2"' in html and "jobs/progress" in html
    assert "Waiting to start" in html and 'role="status"' in html
    job = Job.objects.get(requested_by=user)
    assert AuditEvent.objects.filter(user=user, action=Action.VIEW, object_id=str(job.pk)).exists()
    # Only the person who asked sees it; others with the permission get 404, others 403.
    other_analyst, _ = client_for(Role.ANALYST)
    assert other_analyst.get(started.url).status_code == 404
    assert client_for(Role.KEY_WORKER)[0].get(started.url).status_code == 403
    assert run_queued() == 1
    done = analyst.get(started.url)
    assert "SSDA903 return checked" in done.content.decode() and "data-nwd-job-waiting" not in done.content.decode()


def test_a_check_whose_files_are_gone_says_so_in_plain_words():
    from nwd.jobs.testing import run_queued

    analyst, user = client_for(Role.ANALYST)
    started = analyst.post("/returns/import/", {"files": files()})
    for user_folder in stored_files.folders(uploads.ROOT):
        for token in stored_files.folders(f"{uploads.ROOT}/{user_folder}"):
            uploads.discard(uploads.Upload(token, f"{uploads.ROOT}/{user_folder}/{token}"))
    run_queued()
    page = analyst.get(started.url).content.decode()
    assert "The work did not finish" in page
    assert "The uploaded files are no longer kept (they are removed after a day): upload the return again." in page
