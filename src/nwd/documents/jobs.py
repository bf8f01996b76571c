"""The virus check of a document, as a job on the task queue (``nwd worker``), never in the request.

The page keeps the document (pending) and queues this; the worker streams the bytes to clamd
(``scanning``) and records the verdict. When clamd cannot be reached the document is marked so,
and the job fails with a message: it is checked again by ``nwd scan_documents`` (or a later job).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django_tasks import task

from nwd.documents import scanning, services
from nwd.documents.models import Document
from nwd.jobs import services as job_services
from nwd.jobs.models import Job
from nwd.jobs.runner import JobError, run

if TYPE_CHECKING:
    from nwd.access.models import User

SCAN = "document-scan"
PERMISSION = "documents.attach_document"


def _scan(job: Job) -> None:
    document = Document.objects.filter(pk=job.params.get("document")).first()
    if document is None:
        raise JobError("The document is no longer kept.")
    try:
        document = services.scan_document(document, by=job.requested_by)
    except scanning.ScannerUnavailable as error:
        raise JobError(f"{error}. The document stays closed until it is checked.") from error
    with job_services.finishing(job) as locked:
        locked.result = {"document": document.pk, "state": document.scan_state}


@task()
def scan_document_task(job_id: int) -> dict[str, Any]:
    return run(job_id, _scan)


def queue_scan(document: Document, *, by: User | None = None) -> Job:
    return job_services.start(SCAN, title=f"Virus check of {document.original_name}", task=scan_document_task,
                              requested_by=by, permission=PERMISSION, params={"document": document.pk})
