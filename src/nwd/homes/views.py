"""The pages of the home's records. Views parse and render; the work is in ``queries`` and ``services``."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from nwd.access import audit, downloads, scopes
from nwd.access.decorators import from_url, requires
from nwd.access.models import Action as AuditAction
from nwd.access.models import User
from nwd.access.roles import Role
from nwd.casework.models import YoungPerson
from nwd.core import dates
from nwd.homes import deadlines, forms, queries, services
from nwd.homes.models import Action, Handover, IndependentVisit, LogEntry, QualityReview, Visitor
from nwd.hubs.models import Hub, Stay

HUB = from_url(Hub, "hub_code", field="code")
STAY = from_url(Stay, "stay_id", select_related=("young_person", "bed__hub"))


# --- The daily log and handovers -------------------------------------------------------------


def _log_page(request, entry_form=None, handover_form=None, status=200):
    stay = request.record
    today = dates.today()
    context = {
        "stay": stay, "person": stay.young_person, "hub": stay.bed.hub,
        "entries": queries.recent_log(stay, today), "days": queries.LOG_DAYS,
        "handovers": stay.handovers.select_related("recorded_by")[:12],
        "may_write": stay.is_open and request.user.has_perm("homes.write_daily_log", stay.young_person),
        "may_correct": (may_correct := request.user.has_perm("homes.correct_daily_log", stay.young_person)),
        "corrects_any": may_correct and request.user.role in (Role.HUB_MANAGER, Role.SERVICE_MANAGER),
        "entry_form": entry_form or forms.LogEntryForm(),
        "handover_form": handover_form or forms.HandoverForm(initial={"on": today.strftime("%d/%m/%Y")}),
    }
    return render(request, "homes/log.html", context, status=status)


@requires("homes.view_daily_log", record=STAY)
def stay_log(request, stay_id: int):
    """The young person's daily log for this stay (the last fortnight) and the shift handovers."""
    return _log_page(request)


@requires("homes.write_daily_log", record=STAY)
def write_entry(request, stay_id: int):
    if request.method != "POST":
        return redirect("homes:log", stay_id=stay_id)
    form = forms.LogEntryForm(request.POST)
    if form.is_valid():
        try:
            services.write_log_entry(request.record, text=form.cleaned_data["text"], by=request.user)
        except ValidationError as error:
            forms.add_errors(form, error)
        else:
            return redirect(reverse("homes:log", kwargs={"stay_id": stay_id}) + "#log")
    return _log_page(request, entry_form=form, status=422)


@requires("homes.write_daily_log", record=STAY)
def write_handover(request, stay_id: int):
    if request.method != "POST":
        return redirect("homes:log", stay_id=stay_id)
    form = forms.HandoverForm(request.POST)
    if form.is_valid():
        try:
            services.write_handover(request.record, on=form.cleaned_data["on"], shift=form.cleaned_data["shift"],
                                    summary=form.cleaned_data["summary"], by=request.user)
        except ValidationError as error:
            forms.add_errors(form, error)
        else:
            return redirect(reverse("homes:log", kwargs={"stay_id": stay_id}) + "#handovers")
    return _log_page(request, handover_form=form, status=422)


def _correct(request, form_class, field: str, save, anchor: str):
    """Correct a log entry or a handover: its author or a manager, with a reason the history keeps."""
    record = request.record
    if not services.may_correct(request.user, record):
        raise Http404("Only the person who wrote it, or a hub or service manager, may correct it.")
    stay = record.stay
    form = form_class(request.POST or None, initial={field: getattr(record, field)})
    if request.method == "POST" and form.is_valid():
        try:
            save(record, form.cleaned_data[field], form.cleaned_data["why_corrected"])
        except ValidationError as error:
            forms.add_errors(form, error)
        else:
            return redirect(reverse("homes:log", kwargs={"stay_id": stay.pk}) + anchor)
    return render(request, "homes/correct.html", {
        "record": record, "stay": stay, "person": stay.young_person, "form": form,
        "history": record.history.select_related("history_user").order_by("-history_date")[:10],
    }, status=422 if form.errors else 200)


@requires("homes.correct_daily_log", record=from_url(LogEntry, "pk", select_related=("stay__young_person",)))
def correct_entry(request, pk: int):
    return _correct(request, forms.CorrectLogEntryForm, "text", lambda entry, text, why: services.correct_log_entry(
        entry, text=text, reason=why, by=request.user), "#log")


@requires("homes.correct_daily_log", record=from_url(Handover, "pk", select_related=("stay__young_person",)))
def correct_handover(request, pk: int):
    return _correct(request, forms.CorrectHandoverForm, "summary", lambda handover, text, why: services.correct_handover(
        handover, summary=text, reason=why, by=request.user), "#handovers")


# --- Regulation 44 and 45 --------------------------------------------------------------------


@requires("homes.keep_visitors", listing=True)
def index(request):
    """The hubs whose records the user keeps, with what each may open."""
    hubs = list(scopes.hubs(request.user, "homes.keep_visitors"))
    user = request.user
    rows = [{"hub": hub, "reports": user.has_perm("homes.keep_quality_reports", hub),
             "register": user.has_perm("homes.view_admission_register", hub)} for hub in hubs]
    return render(request, "homes/index.html", {"rows": rows})


def _reports_page(request, visit_form=None, review_form=None, status=200):
    hub = request.record
    today = dates.today()
    context = {
        "hub": hub, "today": today, "clocks": queries.clocks(hub, today), "alerts": queries.alerts(hub, today),
        "visits": IndependentVisit.objects.filter(hub=hub).prefetch_related("actions")[:12],
        "reviews": QualityReview.objects.filter(hub=hub).prefetch_related("actions")[:6],
        "visit_form": visit_form or forms.VisitForm(initial={"visited_on": today.strftime("%d/%m/%Y")},
                                                   prefix="visit"),
        "review_form": review_form or forms.ReviewForm(prefix="review"),
    }
    return render(request, "homes/reports.html", context, status=status)


@requires("homes.keep_quality_reports", record=HUB)
def reports(request, hub_code: str):
    """Regulation 44 visits and regulation 45 reviews at the hub: the clocks, the reports, their actions."""
    return _reports_page(request)


@requires("homes.keep_quality_reports", record=HUB)
def new_visit(request, hub_code: str):
    if request.method != "POST":
        return redirect("homes:reports", hub_code=hub_code)
    form = forms.VisitForm(request.POST, prefix="visit")
    if form.is_valid():
        try:
            visit = services.record_visit(request.record, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            forms.add_errors(form, error)
        else:
            return redirect("homes:visit", pk=visit.pk)
    return _reports_page(request, visit_form=form, status=422)


@requires("homes.keep_quality_reports", record=HUB)
def new_review(request, hub_code: str):
    if request.method != "POST":
        return redirect("homes:reports", hub_code=hub_code)
    form = forms.ReviewForm(request.POST, prefix="review")
    if form.is_valid():
        try:
            review = services.record_review(request.record, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            forms.add_errors(form, error)
        else:
            return redirect("homes:review", pk=review.pk)
    return _reports_page(request, review_form=form, status=422)


def _owners(hub: Hub):
    return User.objects.filter(is_active=True, hub=hub).order_by("last_name", "first_name")


def _report_page(request, action_form=None, sign_form=None, sent_form=None, status=200):
    report = request.record
    today = dates.today()
    context = {
        "report": report, "hub": report.hub, "today": today,
        "is_review": isinstance(report, QualityReview),
        "actions": report.actions.select_related("owner"),
        "may_sign": not report.signed_off_on and request.user.has_perm("homes.sign_off_reports", report),
        "action_form": action_form or forms.ActionForm(owners=_owners(report.hub)),
        "sign_form": sign_form or forms.SignOffForm(),
        "sent_form": sent_form or forms.SentForm(initial={"sent_on": today.strftime("%d/%m/%Y")}),
        "done_form": forms.DoneForm(initial={"done_on": today.strftime("%d/%m/%Y")}),
    }
    if isinstance(report, QualityReview):
        context["send_by"] = deadlines.send_by(report.reviewed_on)
        context["send_overdue"] = not report.sent_to_ofsted and deadlines.overdue(context["send_by"], today)
    return render(request, "homes/report.html", context, status=status)


@requires("homes.keep_quality_reports", record=from_url(IndependentVisit, select_related=("hub",)))
def visit(request, pk: int):
    return _report_page(request)


@requires("homes.keep_quality_reports", record=from_url(QualityReview, select_related=("hub",)))
def review(request, pk: int):
    return _report_page(request)


def _back(report) -> str:
    name = "homes:review" if isinstance(report, QualityReview) else "homes:visit"
    return reverse(name, kwargs={"pk": report.pk})


def _add_action(request):
    report = request.record
    if request.method != "POST":
        return redirect(_back(report))
    form = forms.ActionForm(request.POST, owners=_owners(report.hub))
    if form.is_valid():
        try:
            services.add_action(report, recommendation=form.cleaned_data["recommendation"],
                                owner=User.objects.get(pk=form.cleaned_data["owner"]), due=form.cleaned_data["due"],
                                by=request.user)
        except ValidationError as error:
            forms.add_errors(form, error)
        else:
            return redirect(_back(report) + "#actions")
    return _report_page(request, action_form=form, status=422)


@requires("homes.keep_quality_reports", record=from_url(IndependentVisit, select_related=("hub",)))
def visit_action(request, pk: int):
    return _add_action(request)


@requires("homes.keep_quality_reports", record=from_url(QualityReview, select_related=("hub",)))
def review_action(request, pk: int):
    return _add_action(request)


def _sign_off(request):
    report = request.record
    if request.method != "POST":
        return redirect(_back(report))
    form = forms.SignOffForm(request.POST)
    if form.is_valid():
        try:
            services.sign_off(report, response=form.cleaned_data["response"], by=request.user)
        except ValidationError as error:
            forms.add_errors(form, error)
        else:
            return redirect(_back(report))
    return _report_page(request, sign_form=form, status=422)


@requires("homes.sign_off_reports", record=from_url(IndependentVisit, select_related=("hub",)))
def visit_sign_off(request, pk: int):
    return _sign_off(request)


@requires("homes.sign_off_reports", record=from_url(QualityReview, select_related=("hub",)))
def review_sign_off(request, pk: int):
    return _sign_off(request)


@requires("homes.keep_quality_reports", record=from_url(QualityReview, select_related=("hub",)))
def review_sent(request, pk: int):
    report = request.record
    if request.method != "POST":
        return redirect(_back(report))
    form = forms.SentForm(request.POST)
    if form.is_valid():
        try:
            services.mark_sent_to_ofsted(report, sent_on=form.cleaned_data["sent_on"], by=request.user)
        except ValidationError as error:
            forms.add_errors(form, error)
        else:
            return redirect(_back(report))
    return _report_page(request, sent_form=form, status=422)


@requires("homes.keep_quality_reports", record=from_url(Action, select_related=("visit__hub", "review__hub")))
def action_done(request, pk: int):
    action = request.record
    back = _back(action.report)
    if request.method == "POST":
        form = forms.DoneForm(request.POST)
        if form.is_valid():
            try:
                services.complete_action(action, done_on=form.cleaned_data["done_on"],
                                         outcome=form.cleaned_data["outcome"], by=request.user)
            except ValidationError as error:
                forms.add_errors(form, error)
        if form.errors:
            return render(request, "homes/action_done.html", {"action": action, "form": form, "back": back},
                          status=422)
    return redirect(back + "#actions")


# --- Schedule 4: the admission register and the visitors' record ------------------------------


def _register_period(request) -> tuple[forms.RegisterForm, dt.date, dt.date]:
    today = dates.today()
    start = deadlines.add_months(today, -12)
    form = forms.RegisterForm(request.GET or None, initial={"date_from": start.strftime("%d/%m/%Y"),
                                                           "date_to": today.strftime("%d/%m/%Y")})
    if request.GET and form.is_valid():
        return form, form.cleaned_data["date_from"], form.cleaned_data["date_to"]
    return form, start, today


@requires("homes.view_admission_register", record=HUB, audit_as=None)
def admission_register(request, hub_code: str):
    """Schedule 4's admission register, built from the stays and care episodes of the period."""
    form, start, end = _register_period(request)
    rows = queries.admission_register(request.record, start, end) if not form.errors else []
    audit.record_rows(request, [r.stay.young_person_id for r in rows], AuditAction.LIST,
                      detail=f"admission register {start:%d/%m/%Y} to {end:%d/%m/%Y}")
    return render(request, "homes/register.html", {
        "hub": request.record, "form": form, "rows": rows, "start": start, "end": end,
        "may_download": request.user.has_perm("exports.download"),
    }, status=400 if form.errors else 200)


@requires("homes.view_admission_register", "exports.download", record=HUB, audit_as=None)
def admission_register_download(request, hub_code: str, extension: str):
    form, start, end = _register_period(request)
    rows = queries.admission_register(request.record, start, end)
    name = f"admission-register-{request.record.code}-{start:%Y-%m-%d}-to-{end:%Y-%m-%d}.{extension}"
    detail = f"admission register of {request.record.name}, {start:%d/%m/%Y} to {end:%d/%m/%Y}"
    people = [r.stay.young_person_id for r in rows]
    if extension == "csv":
        return downloads.csv_response(request, name, queries.REGISTER_HEADER, (r.cells for r in rows),
                                      young_people=people, detail=detail)
    return downloads.xlsx_response(request, name, {"Admission register": (queries.REGISTER_HEADER,
                                                                          [r.cells for r in rows])},
                                   young_people=people, detail=detail)


def _visitors_page(request, form=None, status=200):
    hub = request.record
    today = dates.today()
    stays = list(queries.open_stays(hub, today))
    shown = scopes.named_and_openable(request.user, [s.young_person_id for s in stays])
    people = [s.young_person for s in stays if s.young_person_id in shown]
    since = today - dt.timedelta(days=30)
    visitors = list(Visitor.objects.filter(hub=hub, arrived__date__gte=since).select_related("young_person"))
    named = scopes.named_and_openable(request.user, [v.young_person_id for v in visitors if v.young_person_id])
    audit.record_rows(request, list(named), AuditAction.LIST, detail="visitors' record")
    return render(request, "homes/visitors.html", {
        "hub": hub, "visitors": visitors, "named": set(named), "since": since,
        "form": form or forms.VisitorForm(people=people),
    }, status=status)


@requires("homes.keep_visitors", record=HUB, audit_as=None)
def visitors(request, hub_code: str):
    """The visitors' record of the last 30 days, and signing a visitor in."""
    if request.method != "POST":
        return _visitors_page(request)
    hub = request.record
    stays = list(queries.open_stays(hub, dates.today()))
    shown = scopes.named_and_openable(request.user, [s.young_person_id for s in stays])
    people = [s.young_person for s in stays if s.young_person_id in shown]
    form = forms.VisitorForm(request.POST, people=people)
    if form.is_valid():
        data = form.cleaned_data
        person = YoungPerson.objects.get(pk=data["young_person"]) if data["young_person"] else None
        try:
            services.sign_in_visitor(hub, name=data["name"], capacity=data["capacity"], arrived=timezone.now(),
                                     id_checked=data["id_checked"], young_person=person, visiting=data["visiting"],
                                     by=request.user)
        except ValidationError as error:
            forms.add_errors(form, error)
        else:
            return redirect("homes:visitors", hub_code=hub_code)
    return _visitors_page(request, form=form, status=422)


@requires("homes.keep_visitors", record=from_url(Visitor, select_related=("hub",)))
def visitor_out(request, pk: int):
    visitor_ = request.record
    if request.method == "POST" and not visitor_.left:
        services.sign_out_visitor(visitor_, by=request.user)
    return redirect("homes:visitors", hub_code=visitor_.hub.code)
