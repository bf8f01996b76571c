"""The evidence pages: the outcomes dashboard, the young people behind a figure, and the downloads.

Views parse and render; the report comes from ``nwd.evaluation.cache`` (built at most once every
few minutes per period), its layout from ``nwd.evaluation.layout``, the scoped list from
``nwd.evaluation.named_lists``. Who may do what is the access policy's (docs/permissions.md):

- the dashboard: ``evaluation.view_dashboard`` (hub and service managers, analysts). Links to the
  young people behind each figure appear only for ``evaluation.view_named_lists``; an analyst sees
  the same figures with no links and no ids (the "analyst's view");
- a named list: ``evaluation.view_named_lists``, and then only the young people whose identity the
  viewer may see (``casework.view_identity``), each written to the audit log as listed;
- the PDF and the spreadsheet: ``evaluation.download_report`` and ``exports.download``, through
  ``nwd.access.downloads`` (audited; aggregates only, so nobody is named in the log line).
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from nwd.access import audit, downloads
from nwd.access.decorators import requires
from nwd.access.models import Action
from nwd.evaluation import cache, layout
from nwd.evaluation.forms import hub_options, read_choice
from nwd.evaluation.named_lists import named_list

PDF_TYPE = "application/pdf"


def _choice(request, required: bool = False):
    """The period the address asks for (the defaults if none); a broken link's period is a 404."""
    form, choice = read_choice(request.GET, hub_options(), timezone.localdate())
    if required and choice is None:
        raise Http404("This link does not name a valid period.")
    return form, choice


@requires("evaluation.view_dashboard")
def dashboard(request):
    form, choice = _choice(request)
    user = request.user
    context = {"form": form, "choice": choice, "cache_minutes": cache.seconds() // 60}
    if choice is not None:
        report = cache.report(choice)
        named = user.has_perm("evaluation.view_named_lists")
        context["page"] = layout.page(report, choice, cache.charts(choice, report), named=named)
        context["downloads"] = user.has_perm("evaluation.download_report") and user.has_perm(downloads.PERMISSION)
    return render(request, "evaluation/dashboard.html", context)


@requires("evaluation.view_dashboard", "evaluation.view_named_lists", "casework.view_identity", listing=True)
def people(request):
    _form, choice = _choice(request, required=True)
    report = cache.report(choice)
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


def _document(request, kind: str):
    _form, choice = _choice(request, required=True)
    report = cache.report(choice)
    if kind == "pdf":
        content, content_type = cache.pdf(choice, report), PDF_TYPE
    else:
        content, content_type = cache.xlsx(choice, report), downloads.XLSX_TYPE
    return downloads.file_response(
        request, f"{choice.file_stem()}.{kind}", content, content_type,
        detail=f"evaluation report, {choice.where}, {choice.date_from:%d/%m/%Y} to {choice.date_to:%d/%m/%Y}",
    )


@requires("exports.download", "evaluation.download_report")
def report_pdf(request):
    return _document(request, "pdf")


@requires("exports.download", "evaluation.download_report")
def report_xlsx(request):
    return _document(request, "xlsx")
