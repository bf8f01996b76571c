"""The forecast page and its downloads, under /forecast/ (namespace ``forecast``).

Who may do what is the access policy's (docs/permissions.md): the page needs ``forecast.use``
(service managers and analysts); the downloads also ``exports.download``, and go through
``nwd.access.downloads`` (checked, audited; the spreadsheet's text cells escaped by the forecast's
own writer, ``nwd.forecast.xlsx``). The page and the files hold figures only.

The scenario is read from the address (GET), so a shared link asks for the same run. The bare page
shows the default numbers to change; with numbers in the address the page starts the run as a
background job (``nwd.forecast.web.jobs``, run by ``nwd worker``) and shows the job's page, which
follows it and then shows the figures and the downloads of that run.
"""

from __future__ import annotations

import datetime as dt
import io
import json

from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from nwd.access import audit, downloads
from nwd.access.decorators import requires
from nwd.access.models import Action
from nwd.forecast.report import write_xlsx
from nwd.forecast.web import tables
from nwd.forecast.web.jobs import KIND, PERMISSION, TITLE, form_for, outcome, run_forecast
from nwd.jobs.models import Job, JobState
from nwd.jobs.services import start as start_job

JSON_TYPE = "application/json"


@requires("forecast.use")
def index(request):
    """The scenario's numbers; with numbers in the address, start their run and show its job."""
    form = form_for(request.GET)
    if request.GET and form.is_valid():
        query = request.GET.urlencode()
        job = (Job.objects.filter(kind=KIND, requested_by=request.user, params__query=query,
                                  state__in=(JobState.QUEUED, JobState.RUNNING)).order_by("-pk").first()
               or start_job(KIND, title=TITLE, task=run_forecast, requested_by=request.user,
                            permission=PERMISSION, params={"query": query}))
        return redirect("forecast:job", pk=job.pk)
    return render(request, "forecast/index.html", {"form": form, "run": None, "problem": ""})


def _own_job(request, pk: int) -> Job:
    return get_object_or_404(Job, pk=pk, kind=KIND, requested_by=request.user)


@requires("forecast.use")
def run_page(request, pk: int):
    """A forecast run: its progress until it is done, then the page with its figures.

    Only the person who started it sees it (anyone else: 404), with the permission that started it.
    """
    job = _own_job(request, pk)
    audit.record(request, Action.VIEW, job, detail=f"{job.title}: {job.get_state_display().lower()}")
    waiting = {"job": job, "refresh_seconds": 2, "back_url": reverse("forecast:index")}
    if not job.finished:
        return render(request, "jobs/progress.html", waiting)
    kept = outcome(job) if job.state == JobState.DONE else None
    if kept is None:
        return render(request, "jobs/progress.html", {**waiting, "gone": job.state == JobState.DONE},
                      status=200 if job.state == JobState.FAILED else 410)
    query = job.params.get("query", "")
    form = form_for(QueryDict(query))
    form.is_valid()
    context = {"form": form, "run": kept["run"], "problem": kept["problem"]}
    run = kept["run"]
    if run is not None:
        result = run.result
        info = result.info
        context.update({
            "result": result,
            "info": info,
            "data_to": dt.date.fromisoformat(info["data_to"]),
            "window_from": dt.date.fromisoformat(info["reference_window"][0]),
            "window_to": dt.date.fromisoformat(info["reference_window"][1]),
            "headline": tables.headline(result),
            "looked_after": tables.looked_after(result),
            "by_group": tables.by_group(result),
            "money": tables.money_tables(result),
            "fan_table": tables.looked_after_fan(result),
            "savings_table": tables.savings_fan(result),
            "left_out": tables.left_out(result),
            "levers": tables.levers(result),
            "tornado": tables.tornado(result),
            "calibration": tables.calibration(result),
            "stay_out": tables.stay_out(result),
            "xlsx_url": reverse("forecast:xlsx", args=[job.pk]),
            "json_url": reverse("forecast:json", args=[job.pk]),
            "downloads": request.user.has_perm(downloads.PERMISSION),
        })
        context.update(kept["compared"])
    return render(request, "forecast/index.html", context)


def _result_for_download(request, pk: int):
    job = _own_job(request, pk)
    kept = outcome(job) if job.state == JobState.DONE else None
    if kept is None or kept["run"] is None:
        raise Http404("This forecast has no figures to download (not finished, or no longer kept).")
    return kept["run"].result


def _detail(result) -> str:
    info = result.info
    return f"forecast, {info['scenario']}, {info['draws']:,} draws, records to {info['data_to']}"


@requires("forecast.use", "exports.download")
def download_json(request, pk: int):
    result = _result_for_download(request, pk)
    content = json.dumps(result.to_json(), indent=2, allow_nan=False).encode("utf-8")
    return downloads.file_response(request, "nwd-forecast.json", content, JSON_TYPE, detail=_detail(result))


@requires("forecast.use", "exports.download")
def download_xlsx(request, pk: int):
    result = _result_for_download(request, pk)
    buffer = io.BytesIO()
    write_xlsx(result, buffer)  # type: ignore[arg-type]  # openpyxl saves to a file object too
    return downloads.file_response(request, "nwd-forecast.xlsx", buffer.getvalue(), downloads.XLSX_TYPE,
                                   detail=_detail(result))
