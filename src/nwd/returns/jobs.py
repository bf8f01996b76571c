"""Checking and importing an uploaded return in the background (``nwd worker``), not in the request.

The page stores the files (``nwd.returns.uploads``: under the service's data folder, per user and
upload), starts a job and shows its page, which refreshes itself until the job is done and then
shows the report. The check is a dry run; the import writes the return and the job's result in one
transaction (``nwd.jobs.services.finishing``), so a worker killed mid-import and its task run again
imports once. The files are deleted once imported; the report waits beside them for the page
(``report.pickle`` per job), and the whole folder goes after a day in any case.
"""

from __future__ import annotations

import pickle  # noqa: S403 - only reports this module wrote, in the service's own private folder
import shutil
from typing import Any

from django_tasks import task

from nwd.jobs.models import Job
from nwd.jobs.runner import JobError, run
from nwd.jobs.services import finishing, report_progress
from nwd.returns import uploads
from nwd.returns.importer import ImportReport, import_return
from nwd.returns.reporting import write_report_csv

CHECK = "ssda903-check"
IMPORT = "ssda903-import"
KINDS = (CHECK, IMPORT)
PERMISSION = "returns.import_903"
GONE = "The uploaded files are no longer kept (they are removed after a day): upload the return again."


def report_path(upload: uploads.Upload, job: Job) -> Any:
    return upload.folder / f"report-{int(job.pk)}.pickle"


def load_report(upload: uploads.Upload, job: Job) -> ImportReport | None:
    path = report_path(upload, job)
    if not path.is_file():
        return None
    with path.open("rb") as file:
        return pickle.load(file)  # noqa: S301 - written by save_report below, in the user's own upload folder


def _save_report(upload: uploads.Upload, job: Job, report: ImportReport) -> None:
    with report_path(upload, job).open("wb") as file:
        pickle.dump(report, file)


def _upload_of(job: Job) -> uploads.Upload:
    upload = uploads.find(job.requested_by, job.params.get("token", ""))
    if upload is None or not upload.files_folder.is_dir():
        raise JobError(GONE)
    return upload


def _outcome(report: ImportReport) -> dict[str, Any]:
    return {"token": "", "written": report.written, "errors": int(report.error_count), "outcome": str(report.outcome)}


def _check(job: Job) -> None:
    upload = _upload_of(job)
    report_progress(job, percent=10, stage="Reading and checking the files")
    report = import_return([upload.files_folder], collection_year=job.params.get("year") or None, dry_run=True,
                           user=job.requested_by)
    report_progress(job, percent=90, stage="Writing the report")
    write_report_csv(report, upload.report_path)
    _save_report(upload, job, report)
    with finishing(job) as locked:
        locked.result = {**_outcome(report), "token": upload.token}


def _import(job: Job) -> None:
    upload = _upload_of(job)
    report_progress(job, percent=10, stage="Reading, checking and importing the files")
    with finishing(job) as locked:
        report = import_return([upload.files_folder], collection_year=job.params.get("year") or None,
                               skip_invalid=bool(job.params.get("skip")), user=job.requested_by)
        _save_report(upload, job, report)
        locked.result = {**_outcome(report), "token": upload.token}
    if report.written:
        shutil.rmtree(upload.files_folder, ignore_errors=True)  # imported: the files are not kept
    else:
        write_report_csv(report, upload.report_path)


@task()
def check_return(job_id: int) -> dict[str, Any]:
    """Check an uploaded return (a dry run: nothing is written)."""
    return run(job_id, _check)


@task()
def import_checked_return(job_id: int) -> dict[str, Any]:
    """Import an uploaded, checked return (all of it, or leaving out the rows with errors)."""
    return run(job_id, _import)
