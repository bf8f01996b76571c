"""The evidence pages: the outcomes dashboard, the young people behind a figure, and the downloads.

Views parse and render; the report comes from ``nwd.evaluation.cache`` (built at most once every
few minutes per period), its layout from ``nwd.evaluation.layout``, the scoped list from
``nwd.evaluation.named_lists``. No page builds the report: when the period's report is not kept, the
dashboard and a named list start the job that works it out (or join the one already doing so,
``nwd.evaluation.jobs.start_or_join``), and show its progress at their own address (``?job=N``
added), which renders at once when the job is done. Who may do what is the access policy's (docs/permissions.md):

- the dashboard: ``evaluation.view_dashboard`` (hub and service managers, analysts). Links to the
  young people behind each figure appear only for ``evaluation.view_named_lists``; an analyst sees
  the same figures with no links and no ids (the "analyst's view");
- a named list: ``evaluation.view_named_lists``, and then only the young people whose identity the
  viewer may see (``casework.view_identity``), each written to the audit log as listed;
- the PDF and the spreadsheet: ``evaluation.download_report`` and ``exports.download``, made in the
  background (``nwd.evaluation.jobs``: the link starts a job and shows its page, which links to the
  file once made), served through ``nwd.access.downloads`` (audited; aggregates only, so nobody is
  named in the log line).
"""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from nwd.access import audit, downloads
from nwd.access.decorators import requires
from nwd.access.models import Action
from nwd.evaluation import cache, jobs, layout
from nwd.evaluation.forms import hub_options, read_choice
from nwd.evaluation.named_lists import named_list
from nwd.jobs import outputs
from nwd.jobs.models import Job, JobState
from nwd.jobs.services import start as start_job

PDF_TYPE = "application/pdf"


def _choice(request, required: bool = False):
    """The period the address asks for (the defaults if none); a broken link's period is a 404."""
    form, choice = read_choice(request.GET, hub_options(), timezone.localdate())
    if required and choice is None:
        raise Http404("This link does not name a valid period.")
    return form, choice


def _kept(request, choice):
    """(report and charts or None, the job named by ``job`` in the address if it works out this choice)."""
    job = jobs.figures_job(choice, request.GET["job"]) if "job" in request.GET else None
    return jobs.ready(choice, job), job


def _working_out(request, choice, job, template: str = "jobs/progress.html", context: dict | None = None) -> HttpResponse:
    """The report is not kept: show the progress of the job working it out (named by ``job`` in the
    address), or start one (or join the one already running) and show its progress here. The page
    follows the job at this address with ``job=N`` (``follow_url``), which shows the figures once
    the job is done however long ago that was."""
    if job is None or job.state == JobState.DONE:  # none named, or done but its output no longer kept
        job = jobs.start_or_join(choice, request.user)
    query = request.GET.copy()
    query["job"] = str(job.pk)
    return render(request, template, {
        **(context or {}), "job": job, "working": True, "refresh_seconds": 2, "back_url": _without_job(request),
        "follow_url": f"{request.path}?{query.urlencode()}",
    })


def _without_job(request) -> str:
    query = request.GET.copy()
    query.pop("job", None)
    return f"{request.path}?{query.urlencode()}" if query else request.path


@requires("evaluation.view_dashboard")
def dashboard(request):
    form, choice = _choice(request)
    user = request.user
    context = {"form": form, "choice": choice, "cache_minutes": cache.seconds() // 60}
    if choice is not None:
        kept, job = _kept(request, choice)
        if kept is None:
            return _working_out(request, choice, job, "evaluation/dashboard.html", context)
        report, charts = kept
        named = user.has_perm("evaluation.view_named_lists")
        context["page"] = layout.page(report, choice, charts, named=named)
        context["downloads"] = user.has_perm("evaluation.download_report") and user.has_perm(downloads.PERMISSION)
    return render(request, "evaluation/dashboard.html", context)


@requires("evaluation.view_dashboard", "evaluation.view_named_lists", "casework.view_identity", listing=True)
def people(request):
    _form, choice = _choice(request, required=True)
    kept, job = _kept(request, choice)
    if kept is None:
        return _working_out(request, choice, job)
    report = kept[0]
    figure_key, row = request.GET.get("figure", ""), request.GET.get("row")
    try:
        figure = report.figure(figure_key)
        ids = report.people(figure_key, row)
    except KeyError:
        raise Http404("The report has no such figure or row.") from None
    listing = named_list(request.user, ids, request.GET.get("page"))
    shown = [person.pk for person in listing.people]
    if shown:
        audit.record_rows(request, shown, Action.LIST, detail=f"evidence: {figure.title}" + (f": {row}" if row else ""))
    query = layout.list_url(choice, figure.key, row).split("?", 1)[1]
    return render(request, "evaluation/dashboard_people.html", {
        "choice": choice, "report": report, "figure": figure, "row": row, "listing": listing, "query": query,
    })


def _start(request, kind: str):
    """Start the job that makes the document (or follow the same one already waiting or running)."""
    _form, choice = _choice(request, required=True)
    params = {"kind": kind, "query": choice.query}
    job = (Job.objects.filter(kind=jobs.KIND[kind], requested_by=request.user, params__kind=kind,
                              params__query=choice.query,
                              state__in=(JobState.QUEUED, JobState.RUNNING)).order_by("-pk").first()
           or start_job(jobs.KIND[kind], title=jobs.TITLE[kind], task=jobs.make_report, requested_by=request.user,
                        permission=jobs.PERMISSION, params=params))
    return redirect("evaluation:report_job", pk=job.pk)


@requires("exports.download", "evaluation.download_report")
def report_pdf(request):
    """The report for cabinet: made in the background; this starts it and shows its page."""
    return _start(request, jobs.PDF)


@requires("exports.download", "evaluation.download_report")
def report_xlsx(request):
    """Every table as a spreadsheet: made in the background; this starts it and shows its page."""
    return _start(request, jobs.XLSX)


def _own_job(request, pk: int) -> Job:
    return get_object_or_404(Job, pk=pk, kind__in=jobs.KINDS, requested_by=request.user)


@requires("exports.download", "evaluation.download_report")
def report_job(request, pk: int):
    """A document being made: its progress until it is done, then the link to it.

    Only the person who started it sees it (anyone else: 404), with the permissions that started it.
    """
    job = _own_job(request, pk)
    audit.record(request, Action.VIEW, job, detail=f"{job.title}: {job.get_state_display().lower()}")
    context = {"job": job, "refresh_seconds": 2, "back_url": reverse("evaluation:dashboard")}
    made = job.result or {}
    if job.state == JobState.DONE:
        if outputs.exists(job, f"report.{made['kind']}"):
            context["download_url"] = reverse("evaluation:report_file", args=[job.pk])
            context["download_name"] = made["filename"]
        else:
            return render(request, "jobs/progress.html", {**context, "gone": True}, status=410)
    return render(request, "jobs/progress.html", context)


@requires("exports.download", "evaluation.download_report")
def report_file(request, pk: int):
    """The document a finished job made (checked and audited like every download)."""
    job = _own_job(request, pk)
    if job.state != JobState.DONE:
        raise Http404("This document is not ready.")
    made = job.result or {}
    kind = made["kind"]
    content = outputs.read(job, f"report.{kind}")
    if content is None:
        raise Http404("This document is no longer kept: make it again from the dashboard.")
    return downloads.file_response(request, made["filename"], content,
                                   PDF_TYPE if kind == jobs.PDF else downloads.XLSX_TYPE, detail=made["detail"])
