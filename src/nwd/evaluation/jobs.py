"""The dashboard's figures, the report for cabinet (PDF) and every table (XLSX), made in the background.

The dashboard's figures (``work_out``): when the period's report is not kept (``ready``), the page
starts a job, or joins the one already working out the same period (whoever asked for it: the figures
are the same for everyone who may see the dashboard, and hold no names), and shows its progress. The
worker (``nwd worker``) builds the report and draws its charts, and keeps both beside the job
(``nwd.jobs.outputs``, through Django's storage, so a web server on another machine reads them); the
page, once the job is done, reads them back into its own process's cache and renders at once.

Building the report reads every record of the period and drawing its charts takes seconds at
scale 10, too long for a request a proxy may cut off. The dashboard's download link starts a job
(the period in its parameters: the choice's query string, nothing personal); the job's page follows
it and, once done, links to the file, which is served (and audited) through ``nwd.access.downloads``.
The file is kept beside the job (``nwd.jobs.outputs``) for a day.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.http import QueryDict
from django.utils import timezone
from django_tasks import task

from nwd.evaluation import cache
from nwd.evaluation.forms import Choice, hub_options, read_choice
from nwd.jobs import outputs
from nwd.jobs.models import Job, JobState
from nwd.jobs.runner import JobError, run
from nwd.jobs.services import finishing, report_progress
from nwd.jobs.services import start as start_job

if TYPE_CHECKING:
    from nwd.access.models import User
    from nwd.evaluation.report import Report

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
    found = ready(choice)
    built = found[0] if found is not None else cache.report(choice)
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


# --- The dashboard's figures -----------------------------------------------------------------------

FIGURES = "evidence-figures"
FIGURES_OUTPUT = "figures.pickle"
FIGURES_PERMISSION = "evaluation.view_dashboard"


def figures_title(choice: Choice) -> str:
    return (f"Work out the outcomes for {choice.hub_name or 'all hubs'}, "
            f"{choice.date_from:%-d %b %Y} to {choice.date_to:%-d %b %Y}")


def _from_output(job: Job, choice: Choice) -> tuple[Report, dict[str, str]] | None:
    kept = outputs.read_object(job, FIGURES_OUTPUT)
    if kept is None:
        return None
    cache.keep("report", choice, kept["report"])
    cache.keep("charts", choice, kept["charts"])
    return kept["report"], kept["charts"]


def figures_job(choice: Choice, job_id: object) -> Job | None:
    """The job of ``job_id`` (from the page's address) if it works out this very choice; else None."""
    try:
        pk = int(str(job_id))
    except (TypeError, ValueError):
        return None
    return Job.objects.filter(pk=pk, kind=FIGURES, params__key=cache.key("report", choice)).first()


def ready(choice: Choice, job: Job | None = None) -> tuple[Report, dict[str, str]] | None:
    """The report and charts of the choice if they are kept, without building anything: in this
    process's cache, else in the output of ``job`` once it is done, else in that of a job that
    worked out the same choice within the last NWD_EVIDENCE_CACHE_SECONDS (whichever process or
    machine ran it). None: they have to be worked out (``start_or_join``)."""
    report, charts = cache.peek("report", choice), cache.peek("charts", choice)
    if report is not None and charts is not None:
        return report, charts
    if job is not None and job.state == JobState.DONE:
        return _from_output(job, choice)
    since = timezone.now() - dt.timedelta(seconds=cache.seconds())
    latest = (Job.objects.filter(kind=FIGURES, params__key=cache.key("report", choice), state=JobState.DONE,
                                 finished_at__gte=since).order_by("-finished_at").first())
    return _from_output(latest, choice) if latest is not None else None


def start_or_join(choice: Choice, user: User) -> Job:
    """The job working out the choice's figures: the one already waiting or running, or a new one."""
    key = cache.key("report", choice)
    running = (Job.objects.filter(kind=FIGURES, params__key=key, state__in=(JobState.QUEUED, JobState.RUNNING))
               .order_by("-pk").first())
    return running or start_job(FIGURES, title=figures_title(choice), task=work_out, requested_by=user,
                                permission=FIGURES_PERMISSION, params={"query": choice.query, "key": key})


def _work_out(job: Job) -> None:
    choice = choice_of(job.params.get("query", ""))
    if choice is None:
        raise JobError(INVALID)
    report_progress(job, percent=10, stage="Reading the records of the period and working out each figure")
    built = cache.report(choice)
    report_progress(job, percent=70, stage="Drawing the charts")
    drawn = cache.charts(choice, built)
    outputs.write_object(job, FIGURES_OUTPUT, {"report": built, "charts": drawn})
    with finishing(job) as locked:
        locked.result = {"figures": len(built.figures), "detail": detail(choice)}


@task()
def work_out(job_id: int) -> dict[str, Any]:
    """Work out the dashboard's figures and charts for a period, hub and cohort."""
    return run(job_id, _work_out)
