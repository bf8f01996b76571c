"""The analyst's SSDA903 pages: import a return (checked first), download a year's return.

Views parse and render; the work is ``nwd.returns.importer`` and ``nwd.returns.exporter``, the
same functions the commands call, so the page shows the same report in the same words.

Importing is two steps. The files are uploaded and checked (a dry run: every problem, and what
importing would change); the analyst then imports them, or imports them leaving out the rows with
errors. The files wait between the two in ``nwd.returns.uploads``. Neither step runs in the request:
each is a job on the queue (``nwd.returns.jobs``, run by ``nwd worker``), and the page redirects to
the job's page, which refreshes itself until the report is ready (the synthetic county at ten
times a council's size, 100,000 episodes, takes about half a minute: docs/ssda903.md).
"""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path

from django.conf import settings
from django.forms.utils import ErrorDict
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from nwd.access import audit, downloads
from nwd.access.decorators import requires
from nwd.access.models import Action
from nwd.codelists.codes import year_start
from nwd.core import files as shared
from nwd.core.uploads import declared_too_large, too_large_message
from nwd.jobs import services as jobs
from nwd.jobs.models import Job, JobState
from nwd.returns import uploads
from nwd.returns.exporter import build_year, write_year, years_held
from nwd.returns.forms import ExportForm, ImportForm
from nwd.returns.importer import KEPT_PER_RULE
from nwd.returns.jobs import (
    CHECK,
    IMPORT,
    KINDS,
    PERMISSION,
    check_return,
    import_checked_return,
    load_report,
)
from nwd.returns.reporting import PROBLEM_COLUMNS, page_summary, problem_row

SHOWN = 500  # rows left out listed on the page; all of them are in the CSV report (a download)


@requires("returns.export_903")
def index(request):
    """The return: download a year's files; import a return (for those who may)."""
    years = years_held()
    form = ExportForm(request.GET or None, years=years) if years else None
    return render(request, "returns/index.html", {
        "form": form, "years": years, "may_import": request.user.has_perm("returns.import_903"),
        "may_download": request.user.has_perm("exports.download"),
    })


@csrf_exempt  # only so the size can be checked before the CSRF check reads the body: it runs next
@requires("returns.import_903")
def import_check(request):
    """Upload the files and check them: nothing is written yet.

    An upload larger than the limit (NWD_UPLOAD_MAX_MB) is refused from its declared size, before
    any of it is read (``nwd.core.uploads``); then the CSRF check runs as on every other form.
    """
    if request.method != "POST":
        return render(request, "returns/import.html", {"form": ImportForm()})
    size = declared_too_large(request)
    if size is not None:
        return render(request, "returns/import.html", {"form": _refused_form(too_large_message(size))}, status=413)
    return _check_upload(request)


def _refused_form(message: str) -> ImportForm:
    """The import form showing ``message`` by the files box, with nothing read from the request."""
    form = ImportForm(data={})
    form._errors = ErrorDict({"files": form.error_class([message])})
    return form


@csrf_protect
def _check_upload(request):
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, "returns/import.html", {"form": form}, status=422)
    try:
        upload = uploads.keep(request.user, form.cleaned_data["files"])
    except uploads.UploadError as error:
        form.add_error("files", str(error))
        return render(request, "returns/import.html", {"form": form}, status=422)
    year = form.cleaned_data.get("year")
    job = jobs.start(CHECK, title="Check an SSDA903 return", task=check_return, requested_by=request.user,
                     permission=PERMISSION, params={"token": upload.token, "year": year or ""})
    return redirect("returns:import_job", pk=job.pk)


@requires("returns.import_903")
@require_POST
def import_confirm(request):
    """Import the checked files (all of them, or leaving out the rows with errors)."""
    upload = uploads.find(request.user, request.POST.get("token", ""))
    if upload is None:
        return render(request, "returns/import.html", {
            "form": ImportForm(), "expired": True}, status=410)
    year = _year_or_none(request.POST.get("year"))
    skip = request.POST.get("mode") == "skip"
    job = jobs.start(IMPORT, title="Import an SSDA903 return", task=import_checked_return, requested_by=request.user,
                     permission=PERMISSION, params={"token": upload.token, "year": year or "", "skip": skip})
    return redirect("returns:import_job", pk=job.pk)


@requires("returns.import_903")
def import_job(request, pk: int):
    """A check or an import in the background: its progress until it is done, then its report.

    Only the person who started it sees it (anyone else: 404), with the permission that started it.
    The page refreshes itself every few seconds while the work runs (a meta refresh: no script).
    """
    job = get_object_or_404(Job, pk=pk, kind__in=KINDS, requested_by=request.user)
    audit.record(request, Action.VIEW, job, detail=f"{job.title}: {job.get_state_display().lower()}")
    if not job.finished:
        return render(request, "jobs/progress.html", {"job": job, "refresh_seconds": 2,
                                                      "back_url": reverse("returns:import")})
    upload = uploads.find(request.user, (job.result or {}).get("token") or job.params.get("token", ""))
    report = load_report(upload, job) if upload is not None else None
    if job.state == JobState.FAILED or report is None:
        return render(request, "jobs/progress.html", {
            "job": job, "back_url": reverse("returns:import"),
            "gone": job.state == JobState.DONE,
        }, status=200 if job.state == JobState.FAILED else 410)
    year = job.params.get("year") or None
    kept = None if report.written else upload
    status = 422 if job.kind == IMPORT and not report.written else 200
    return render(request, "returns/report.html", _report_context(request, report, kept, year), status=status)


@requires("returns.import_903", "exports.download")
def import_report_csv(request, token: str):
    """The whole report of a check as a CSV file (every problem; the page lists the first few hundred)."""
    upload = uploads.find(request.user, token)
    content = shared.read(upload.report_name) if upload is not None else None
    if content is None:
        raise Http404("No such report.")
    return downloads.file_response(request, "ssda903-import-report.csv", content,
                                   downloads.CSV_TYPE, detail="SSDA903 import report")


@requires("returns.export_903", "exports.download")
def export_zip(request):
    """A year's return as a ZIP of its CSV files (and problems.csv if the checks found any)."""
    years = years_held()
    form = ExportForm(request.GET or None, years=years)
    if not request.GET or not form.is_valid():
        return redirect(reverse("returns:index") + (f"?year={request.GET.get('year', '')}" if request.GET else ""))
    year = form.cleaned_data["year"]
    year_return = build_year(year)
    buffer = io.BytesIO()
    with tempfile.TemporaryDirectory(prefix="nwd-903-") as folder, zipfile.ZipFile(buffer, "w",
                                                                                   zipfile.ZIP_DEFLATED) as archive:
        for path in write_year(year_return, folder):
            archive.write(path, f"{year}/{path.name}")
        if year_return.problems:
            rows = (problem_row(p) for p in year_return.problems)
            archive.writestr(f"{year}/problems.csv", downloads.csv_text(PROBLEM_COLUMNS, rows))
    counts = ", ".join(f"{table} {count}" for table, count in year_return.counts.items())
    detail = f"SSDA903 {year} ({counts}; {len(year_return.errors)} errors)"
    return downloads.file_response(request, f"ssda903-{year}.zip", buffer.getvalue(), "application/zip",
                                   young_people=year_return.young_person_ids, detail=detail)


def _year_or_none(text: str | None) -> str | None:
    """The collection year the check was made with (a hidden field: anything else is ignored)."""
    try:
        return text.strip() if text and year_start(text) else None
    except ValueError:
        return None


def _report_context(request, report, upload, year) -> dict:
    examples = settings.NWD_903_EXAMPLES_PER_RULE
    return {
        "report": report,
        "upload": upload,
        # The full report (CSV) is a download: import_report_csv needs exports.download as well.
        "may_download": request.user.has_perm(downloads.PERMISSION),
        # A return past KEPT_PER_RULE problems of a rule: the CSV holds those and counts the rest.
        "csv_kept": f"{KEPT_PER_RULE:,}" if report.unlisted else "",
        "year": year or "",
        **page_summary(report, examples),
        "skipped": report.skipped[:SHOWN],
        "skipped_hidden": max(0, len(report.skipped) - SHOWN),
        "files": [(f.name, f.table, f.rows, f.collection_year, f.year_from) for f in report.files],
        "file_names": ", ".join(Path(f.name).name for f in report.files),
    }
