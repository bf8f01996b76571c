"""Checking and importing an uploaded return in the background (``nwd worker``), not in the request.

The page stores the files (``nwd.returns.uploads``: through Django's storage, per user and upload,
so a worker on another machine reads them), starts a job and shows its page, which refreshes itself until the job is done and then
shows the report. The check is a dry run; the import writes the return and the job's result in one
transaction (``nwd.jobs.services.finishing``), so a worker killed mid-import and its task run again
imports once. The worker copies the files to a temporary folder of its own to read them
(``uploads.fetched``). They are deleted once imported; the report waits beside them for the page
(``report-<job>.pickle``), and the whole upload goes after a day in any case.
"""

from __future__ import annotations

import pickle  # noqa: S403 - only reports this module wrote, in the service's own private storage
import tempfile
from pathlib import Path
from typing import Any

from django_tasks import task

from nwd.core import files as shared
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


def report_name(upload: uploads.Upload, job: Job) -> str:
    return f"{upload.prefix}/report-{int(job.pk)}.pickle"


def load_report(upload: uploads.Upload, job: Job) -> ImportReport | None:
    content = shared.read(report_name(upload, job))
    # Written by _save_report below, under the user's own upload.
    return None if content is None else pickle.loads(content)  # noqa: S301


def _save_report(upload: uploads.Upload, job: Job, report: ImportReport) -> None:
    shared.write(report_name(upload, job), pickle.dumps(report))


def _save_report_csv(upload: uploads.Upload, report: ImportReport) -> None:
    with tempfile.TemporaryDirectory(prefix="nwd-report-") as folder:
        shared.write_path(upload.report_name, write_report_csv(report, Path(folder) / "report.csv"))


def _upload_of(job: Job) -> uploads.Upload:
    upload = uploads.find(job.requested_by, job.params.get("token", ""))
    if upload is None or not upload.files:
        raise JobError(GONE)
    return upload


def _outcome(report: ImportReport) -> dict[str, Any]:
    return {"token": "", "written": report.written, "errors": int(report.error_count), "outcome": str(report.outcome)}


def _check(job: Job) -> None:
    upload = _upload_of(job)
    report_progress(job, percent=10, stage="Reading and checking the files")
    with uploads.fetched(upload) as folder:
        report = import_return([folder], collection_year=job.params.get("year") or None, dry_run=True,
                               user=job.requested_by)
    report_progress(job, percent=90, stage="Writing the report")
    _save_report_csv(upload, report)
    _save_report(upload, job, report)
    with finishing(job) as locked:
        locked.result = {**_outcome(report), "token": upload.token}


def _import(job: Job) -> None:
    upload = _upload_of(job)
    report_progress(job, percent=10, stage="Reading, checking and importing the files")
    with uploads.fetched(upload) as folder, finishing(job) as locked:
        report = import_return([folder], collection_year=job.params.get("year") or None,
                               skip_invalid=bool(job.params.get("skip")), user=job.requested_by)
        _save_report(upload, job, report)
        locked.result = {**_outcome(report), "token": upload.token}
    if report.written:
        uploads.discard_files(upload)  # imported: the files are not kept
    else:
        _save_report_csv(upload, report)


@task()
def check_return(job_id: int) -> dict[str, Any]:
    """Check an uploaded return (a dry run: nothing is written)."""
    return run(job_id, _check)


@task()
def import_checked_return(job_id: int) -> dict[str, Any]:
    """Import an uploaded, checked return (all of it, or leaving out the rows with errors)."""
    return run(job_id, _import)
