"""The files the machines share go through Django's storage API (``nwd.core.files``): an SSDA903
upload and a job's output are written by one machine and read by another, and removed after a day
through the storage too.

With Django's in-memory storage as the default storage nothing can reach a path on disk, so a test
that passes there went through the storage API; with a real worker process whose data folder is
another than the web's (as on another machine), sharing only the files folder, the worker reads the
upload the web wrote and the web reads the figures the worker made.
"""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from django_tasks.backends.database.models import DBTaskResult
from django_tasks.base import TaskResultStatus

from nwd.access.roles import Role
from nwd.access.testing import sign_in
from nwd.care.models import CareEpisode
from nwd.core import files
from nwd.jobs import outputs
from nwd.jobs.models import Job, JobState
from nwd.jobs.testing import run_queued
from nwd.returns import uploads
from tests.factories import UserFactory
from tests.jobs.conftest import wait_for
from tests.returns.conftest import EPISODES, HEADER, MISSING

IN_MEMORY = {"BACKEND": "django.core.files.storage.InMemoryStorage"}


def the_return() -> list[SimpleUploadedFile]:
    return [SimpleUploadedFile(f"{name}_2025-26.csv", text.encode(), content_type="text/csv")
            for name, text in (("Header", HEADER), ("Episodes", EPISODES), ("Missing", MISSING))]


@pytest.fixture
def in_memory(settings, tmp_path):
    """The default storage in this process's memory, and the files folder an empty one: any file
    written or read by path instead of through the storage would show there or fail."""
    settings.STORAGES = {**settings.STORAGES, "default": IN_MEMORY}
    settings.NWD_FILES_DIR = tmp_path / "files"
    return files.storage()


@pytest.mark.django_db
def test_an_upload_is_kept_read_by_the_worker_and_removed_through_the_storage(in_memory, tmp_path):
    analyst = UserFactory(role=Role.ANALYST)
    client = Client()
    sign_in(client, analyst)
    started = client.post("/returns/import/", {"files": the_return()})
    assert started.status_code == 302
    job = Job.objects.get(kind="ssda903-check")
    upload = uploads.find(analyst, job.params["token"])
    assert [name.rsplit("/", 1)[1] for name in upload.files] == [
        "Episodes_2025-26.csv", "Header_2025-26.csv", "Missing_2025-26.csv"]
    assert files.read(upload.files[1]) == HEADER.encode()

    assert run_queued() == 1  # the worker's path: copies the files out of the storage to read them
    checked = client.get(started["Location"])
    assert "SSDA903 return checked" in checked.content.decode()
    report = client.get(f"/returns/import/{upload.token}/report.csv")
    assert report.status_code == 200 and report["Content-Type"].startswith("text/csv")
    confirmed = client.post("/returns/import/confirm/", {"token": upload.token, "mode": "all"})
    assert run_queued() == 1
    assert "SSDA903 return imported" in client.get(confirmed["Location"]).content.decode()
    assert CareEpisode.objects.count() == 3
    assert upload.files == [] and uploads.find(analyst, upload.token) is not None  # imported: files gone

    # A day later the rest of it (the report, the marker) goes too, through the storage.
    assert uploads.remove_old(timezone.now() + dt.timedelta(hours=23)) == 0
    assert uploads.remove_old(timezone.now() + dt.timedelta(hours=25)) == 1
    assert uploads.find(analyst, upload.token) is None and list(files.walk(uploads.ROOT)) == []
    assert not (tmp_path / "files").exists()  # nothing went to a folder on disk


@pytest.mark.django_db
def test_a_jobs_output_is_written_and_read_through_the_storage_and_removed_after_a_day(in_memory, tmp_path):
    old, new = Job.objects.create(kind="test", title="Old"), Job.objects.create(kind="test", title="New")
    outputs.write_object(old, "figures.pickle", {"figures": [1, 2, 3]})
    assert in_memory.exists(f"jobs/{old.pk}/figures.pickle")
    assert outputs.read_object(old, "figures.pickle") == {"figures": [1, 2, 3]}
    assert outputs.read(new, "figures.pickle") is None and not outputs.exists(new, "figures.pickle")
    outputs.write(old, "report.pdf", b"%PDF-1")  # written again: replaced, not renamed
    outputs.write(old, "report.pdf", b"%PDF-2")
    assert outputs.read(old, "report.pdf") == b"%PDF-2" and sorted(files.walk("jobs")) == [
        f"jobs/{old.pk}/figures.pickle", f"jobs/{old.pk}/report.pdf"]
    with pytest.raises(ValueError, match="not an output name"):
        outputs.read(old, "../../secret")

    assert outputs.remove_old(timezone.now() + dt.timedelta(hours=23)) == 0
    outputs.write(new, "report.pdf", b"%PDF-new")
    assert outputs.remove_old(timezone.now() + dt.timedelta(hours=24, seconds=1)) == 2
    assert list(files.walk("jobs")) == [] and outputs.read_object(old, "figures.pickle") is None
    assert not (tmp_path / "files").exists()


@pytest.mark.django_db
def test_expired_outputs_on_local_disk_leave_no_folders_behind(settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path / "shared"}}}
    job = Job.objects.create(kind="test", title="Old")
    outputs.write(job, "report.pdf", b"%PDF")
    assert (tmp_path / "shared" / "jobs" / str(job.pk) / "report.pdf").read_bytes() == b"%PDF"
    assert outputs.remove_old(timezone.now() + dt.timedelta(days=2)) == 1
    assert not (tmp_path / "shared" / "jobs" / str(job.pk)).exists()


def _succeeded(workers, count: int) -> bool:
    if workers.sqlite:
        with sqlite3.connect(workers.folder / "nwd.sqlite3") as db:
            done = db.execute("SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE status = 'SUCCEEDED' "
                              "AND task_path LIKE 'nwd.returns.%'").fetchone()[0]
    else:
        done = DBTaskResult.objects.filter(status=TaskResultStatus.SUCCEEDED, task_path__startswith="nwd.returns.").count()
    return done >= count


@pytest.mark.django_db(transaction=True)
def test_a_worker_on_another_machine_reads_the_upload_the_web_machine_wrote(workers, settings, tmp_path):
    """The worker's data folder is its own (another machine's); only the files folder is shared."""
    analyst = UserFactory(role=Role.ANALYST)
    client = Client()
    sign_in(client, analyst)
    started = client.post("/returns/import/", {"files": the_return()})
    assert started.status_code == 302
    machine_b = tmp_path / "machine-b"
    machine_b.mkdir()
    workers.env["NWD_FILES_DIR"] = str(settings.NWD_FILES_DIR)
    if not workers.sqlite:
        workers.env["NWD_DATA_DIR"] = str(machine_b)
    workers.share()
    worker = workers.start()
    wait_for(lambda: _succeeded(workers, 1), "the worker to check the return", worker, timeout=60)
    workers.stop(worker)
    workers.collect()
    job = Job.objects.get(kind="ssda903-check")
    assert job.state == JobState.DONE, job.error
    page = client.get(started["Location"]).content.decode()  # the report the worker kept, read here
    assert "SSDA903 return checked" in page
    own = workers.folder if workers.sqlite else machine_b
    assert not (own / "files").exists() and not (own / "returns-uploads").exists()
