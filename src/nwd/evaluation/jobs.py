"""The report for cabinet (PDF) and every table (XLSX), made in the background (``nwd worker``).

Building the report reads every record of the period and drawing its charts takes seconds at
scale 10, too long for a request a proxy may cut off. The dashboard's download link starts a job
(the period in its parameters: the choice's query string, nothing personal); the job's page follows
it and, once done, links to the file, which is served (and audited) through ``nwd.access.downloads``.
The file is kept beside the job (``nwd.jobs.outputs``) for a day.
"""

from __future__ import annotations

from typing import Any

from django.http import QueryDict
from django.utils import timezone
from django_tasks import task

from nwd.evaluation import cache
from nwd.evaluation.forms import Choice, hub_options, read_choice
from nwd.jobs import outputs
from nwd.jobs.models import Job
from nwd.jobs.runner import JobError, run
from nwd.jobs.services import finishing, report_progress

PDF, XLSX = "pdf", "xlsx"
KIND = {PDF: "evidence-report-pdf", XLSX: "evidence-report-xlsx"}
KINDS = tuple(KIND.values())
TITLE = {PDF: "Make the report for cabinet (PDF)", XLSX: "Make the spreadsheet of every table (XLSX)"}
PERMISSION = "evaluation.download_report"
INVALID = "The period asked for is no longer valid (a hub may have closed): choose it again on the dashboard."


def choice_of(query: str) -> Choice | None:
    _form, choice = read_choice(QueryDict(query), hub_options(), timezone.localdate())
    return choice


def detail(choice: Choice) -> str:
    return f"evaluation report, {choice.where}, {choice.date_from:%d/%m/%Y} to {choice.date_to:%d/%m/%Y}"


def _make(job: Job) -> None:
    kind = job.params.get("kind")
    choice = choice_of(job.params.get("query", ""))
    if kind not in KIND or choice is None:
        raise JobError(INVALID)
    report_progress(job, percent=10, stage="Reading the records of the period")
    built = cache.report(choice)
    report_progress(job, percent=60, stage="Drawing the charts and writing the document")
    content = cache.pdf(choice, built) if kind == PDF else cache.xlsx(choice, built)
    outputs.write(job, f"report.{kind}", content)
    with finishing(job) as locked:
        locked.result = {"filename": f"{choice.file_stem()}.{kind}", "kind": kind, "detail": detail(choice),
                         "bytes": len(content)}


@task()
def make_report(job_id: int) -> dict[str, Any]:
    """Build the evaluation report of a period as a PDF or a spreadsheet."""
    return run(job_id, _make)
