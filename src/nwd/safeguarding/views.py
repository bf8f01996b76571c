"""The children's home pages of a hub. Views parse and render; the work is in ``queries`` and ``services``."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages as flash
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from nwd.access import audit, scopes
from nwd.access.decorators import from_url, not_found, requires
from nwd.access.models import Action
from nwd.events.models import ExploitationConcern, HealthEvent, MissingEpisode, PoliceContact
from nwd.hubs.models import Hub
from nwd.safeguarding import queries, services
from nwd.safeguarding.forms import (
    EndInspectionForm,
    InspectorGrantForm,
    NotificationForm,
    PeriodForm,
    RestraintForm,
    ReturnInterviewForm,
    StaffTalkForm,
    ToldForm,
    YoungPersonTalkForm,
)
from nwd.safeguarding.models import (
    INTERVIEW_WITHIN,
    Body,
    InspectorGrant,
    Notification,
    RestraintRecord,
    ReturnInterview,
)

HUB = from_url(Hub, "hub_id")


def _errors_onto(form, error: ValidationError) -> None:
    for name, messages in error.message_dict.items():
        for message in messages:
            form.add_error(name if name in form.fields else None, message)


@requires("safeguarding.view_records", listing=True)
def index(request):
    hubs = list(scopes.hubs(request.user, "safeguarding.view_records"))
    if len(hubs) == 1:
        return redirect("safeguarding:hub", hub_id=hubs[0].pk)
    return render(request, "safeguarding/index.html", {"hubs": hubs})


@requires("safeguarding.view_records", record=HUB)
def hub(request, hub_id: int):
    """The hub's regulation 35 and 40 records and return interviews, what is due first."""
    home = request.record
    may_record = request.user.has_perm("safeguarding.record", home)
    restraints = list(RestraintRecord.objects.filter(hub=home).select_related("young_person")[:50])
    notifications = list(Notification.objects.filter(hub=home).select_related("young_person")
                         .prefetch_related("recipients")[:50])
    episodes = list(queries.episodes_at(home).filter(ended_at__isnull=False)
                    .select_related("young_person", "return_interview").order_by("-ended_at")[:50])
    audit.record_rows(request, [r.young_person_id for r in restraints] + [n.young_person_id for n in notifications]
                      + [e.young_person_id for e in episodes], action=Action.LIST, detail=f"children's home records {home}")
    return render(request, "safeguarding/hub.html", {
        "home": home, "alerts": queries.hub_alerts(home) if may_record else [], "may_record": may_record,
        "restraints": restraints, "notifications": notifications, "episodes": episodes,
        "may_count": request.user.has_perm("safeguarding.ofsted_counts", home),
        "may_grant": request.user.has_perm("safeguarding.grant_inspection", home),
    })


@requires("safeguarding.record", record=HUB)
def new_restraint(request, hub_id: int):
    home = request.record
    people = list(queries.young_people_at(home).filter(stays__bed__hub=home).order_by("family_name", "given_name"))
    form = RestraintForm(request.POST or None, people=people)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        person = next(p for p in people if p.pk == data.pop("young_person"))
        try:
            record = services.record_restraint(home, young_person=person, by=request.user, **data)
        except ValidationError as error:
            _errors_onto(form, error)
        else:
            return redirect("safeguarding:restraint", pk=record.pk)
    return render(request, "safeguarding/form.html", {
        "home": home, "form": form, "title": "Record a restraint or other measure",
        "caption": "Regulation 35", "button": "Save the record"}, status=422 if form.errors else 200)


def _restraint_page(request, staff_form=None, talk_form=None, status=200):
    record = request.record
    context = {"record": record, "home": record.hub, "steps": queries.restraint_steps(record), "now": timezone.now(),
               "may_sign": request.user.has_perm("safeguarding.sign_restraint", record),
               "may_record": request.user.has_perm("safeguarding.record", record),
               "staff_form": staff_form or StaffTalkForm(), "talk_form": talk_form or YoungPersonTalkForm()}
    return render(request, "safeguarding/restraint.html", context, status=status)


RESTRAINT = from_url(RestraintRecord, "pk", select_related=("hub", "young_person"))


@requires("safeguarding.view_records", record=RESTRAINT)
def restraint(request, pk: int):
    return _restraint_page(request)


@requires("safeguarding.sign_restraint", record=RESTRAINT)
def sign_staff_talk(request, pk: int):
    if request.method != "POST":
        return redirect("safeguarding:restraint", pk=pk)
    form = StaffTalkForm(request.POST)
    if form.is_valid():
        try:
            services.sign_staff_talk(request.record, notes=form.cleaned_data["staff_notes"], by=request.user)
        except ValidationError as error:
            _errors_onto(form, error)
        else:
            return redirect("safeguarding:restraint", pk=pk)
    return _restraint_page(request, staff_form=form, status=422)


@requires("safeguarding.record", record=RESTRAINT)
def confirm_young_person_talk(request, pk: int):
    if request.method != "POST":
        return redirect("safeguarding:restraint", pk=pk)
    form = YoungPersonTalkForm(request.POST)
    if form.is_valid():
        try:
            services.confirm_young_person_talk(request.record, view=form.cleaned_data["young_person_view"],
                                               by=request.user)
        except ValidationError as error:
            _errors_onto(form, error)
        else:
            return redirect("safeguarding:restraint", pk=pk)
    return _restraint_page(request, talk_form=form, status=422)


def _event_hub(request, event, permission: str):
    """The hub of the event, if the user holds ``permission`` there (else the answer a missing record gets)."""
    home = queries.hub_of_event(event)
    if home is None or not request.user.has_perm(permission, home):
        raise not_found(request, event, detail=permission)
    return home


def _raise_from(request, event):
    """Raise a regulation 40 notification from the event that triggered it."""
    home = _event_hub(request, event, "safeguarding.record")
    kind, event_at = services.source_facts(event)
    form = NotificationForm(request.POST or None, initial={
        "kind": kind, "event_at": timezone.localtime(event_at).strftime("%d/%m/%Y %H:%M"),
        "summary": services.source_summary(event)})
    if request.method == "POST" and form.is_valid():
        try:
            made = services.raise_notification(home, young_person=event.young_person, source=event, by=request.user,
                                               **form.cleaned_data)
        except ValidationError as error:
            _errors_onto(form, error)
        else:
            return redirect("safeguarding:notification", pk=made.pk)
    return render(request, "safeguarding/form.html", {
        "home": home, "form": form, "title": f"Notify: {event} ({event.young_person.full_name})",
        "caption": "Regulation 40", "button": "Raise the notification"}, status=422 if form.errors else 200)


# Raised from the event's own record: who may read the event (and record at its hub) may raise it.
@requires("events.view_police_shared", record=from_url(ExploitationConcern, "pk", select_related=("young_person",)))
def raise_from_concern(request, pk: int):
    return _raise_from(request, request.record)


@requires("events.view_police_shared", record=from_url(MissingEpisode, "pk", select_related=("young_person",)))
def raise_from_episode(request, pk: int):
    return _raise_from(request, request.record)


@requires("events.view_police_shared", record=from_url(PoliceContact, "pk", select_related=("young_person",)))
def raise_from_police(request, pk: int):
    return _raise_from(request, request.record)


@requires("events.view_health", record=from_url(HealthEvent, "pk", select_related=("young_person",)))
def raise_from_health(request, pk: int):
    return _raise_from(request, request.record)


NOTIFICATION = from_url(Notification, "pk", select_related=("hub", "young_person"))


@requires("safeguarding.view_records", record=NOTIFICATION)
def notification(request, pk: int):
    record = request.record
    may_record = request.user.has_perm("safeguarding.record", record)
    form = ToldForm(request.POST or None) if may_record else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            services.record_told(record, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _errors_onto(form, error)
        else:
            return redirect("safeguarding:notification", pk=pk)
    told = {r.body: r for r in record.recipients.select_related("told_by")}
    due = record.event_at + queries.notify_within()
    bodies = list(record.required_bodies()) + [body for body in told if body not in record.required_bodies()]
    rows = [(Body(body).label, told.get(body)) for body in bodies]
    return render(request, "safeguarding/notification.html", {
        "record": record, "home": record.hub, "rows": rows, "due": due, "form": form,
        "may_open_source": request.user.has_perm("casework.view_young_person", record.young_person),
        "overdue": timezone.now() > due and any(r is None for b, r in rows)}, status=422 if form and form.errors else 200)


@requires("events.view_police_shared", record=from_url(MissingEpisode, "pk", select_related=("young_person",)))
def episode(request, pk: int):
    """A missing episode's return home interview: see it, and record it (at the hub of the episode)."""
    found = request.record
    home = _event_hub(request, found, "safeguarding.view_records")
    interview = ReturnInterview.objects.filter(missing_episode=found).first()
    may_record = request.user.has_perm("safeguarding.record", home)
    form = None
    if may_record:
        initial = {}
        if interview is not None:
            initial = {"offered_at": timezone.localtime(interview.offered_at).strftime("%d/%m/%Y %H:%M"),
                       "declined": interview.declined, "conducted_by": interview.conducted_by,
                       "learnt": interview.learnt}
        form = ReturnInterviewForm(request.POST or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            try:
                services.record_return_interview(found, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                _errors_onto(form, error)
            else:
                return redirect("safeguarding:episode", pk=pk)
    due = found.ended_at + INTERVIEW_WITHIN if found.ended_at else None
    return render(request, "safeguarding/episode.html", {
        "home": home, "episode": found, "interview": interview, "form": form, "due": due,
        "overdue": due is not None and interview is None and timezone.now() > due,
    }, status=422 if form is not None and form.errors else 200)


def _period(request):
    form = PeriodForm(request.GET or None)
    return form, (form.cleaned_data["start"], form.cleaned_data["end"]) if form.is_valid() else None


@requires("safeguarding.ofsted_counts", record=HUB)
def counts(request, hub_id: int):
    """Ofsted's counts for a period, and the period's records as a PDF for the inspector."""
    form, period = _period(request)
    result = queries.ofsted_counts(request.record, *period) if period else None
    return render(request, "safeguarding/counts.html", {"home": request.record, "form": form, "result": result},
                  status=400 if form.errors else 200)


@requires("safeguarding.ofsted_counts", record=HUB, audit_as=Action.DOWNLOAD)
def counts_pdf(request, hub_id: int):
    """The period's counts and records as a PDF (WeasyPrint); every child named is in the audit log."""
    from weasyprint import HTML  # a heavy import, needed by this download only

    form, period = _period(request)
    if period is None:
        return render(request, "safeguarding/counts.html", {"home": request.record, "form": form, "result": None},
                      status=400)
    home = request.record
    result = queries.ofsted_counts(home, *period)
    records = queries.period_records(home, *period)
    named = {s.young_person_id for s in records["stays"]} | {r.young_person_id for r in records["restraints"]} \
        | {e.young_person_id for e in records["episodes"]} | {n.young_person_id for n in records["notifications"]}
    audit.record_rows(request, named, action=Action.DOWNLOAD, detail=f"Ofsted PDF {home} {period[0]}-{period[1]}")
    html = render_to_string("safeguarding/counts_pdf.html", {"home": home, "result": result, **records},
                            request=request)
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    name = slugify(f"ofsted {home.code} {period[0]:%Y-%m-%d} {period[1]:%Y-%m-%d}")
    response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    return response


# --- Inspectors' time-limited access (issue 15, item 7) ------------------------------------------


def _inspectors_page(request, home, form, status=200):
    now = timezone.now()
    grants = list(InspectorGrant.objects.filter(hub=home).select_related("inspector", "recorded_by")[:50])
    return render(request, "safeguarding/inspectors.html", {
        "home": home, "form": form, "now": now, "max_days": settings.NWD_INSPECTOR_GRANT_DAYS,
        "current": [g for g in grants if g.is_current(now) or g.starts > now],
        "past": [g for g in grants if g.expires <= now]}, status=status)


@requires("safeguarding.grant_inspection", record=HUB)
def inspectors(request, hub_id: int):
    """Who may read the hub's records as an inspector, until when; give access, or end it early."""
    home = request.record
    now = timezone.localtime()
    form = InspectorGrantForm(request.POST or None, initial={
        "starts": now.strftime("%d/%m/%Y %H:%M"),
        "expires": (now + dt.timedelta(days=5)).replace(hour=18, minute=0).strftime("%d/%m/%Y %H:%M")})
    if request.method == "POST" and form.is_valid():
        try:
            services.grant_inspection(home, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _errors_onto(form, error)
        else:
            flash.success(request, f"{form.cleaned_data['inspector']} may read {home.name}'s records until "
                                   f"{form.cleaned_data['expires']:%d/%m/%Y %H:%M}")
            return redirect("safeguarding:inspectors", hub_id=home.pk)
    return _inspectors_page(request, home, form, status=422 if form.errors else 200)


@requires("safeguarding.grant_inspection", record=from_url(InspectorGrant, "pk", select_related=("hub", "inspector")))
@require_POST  # inside: a role without the permission is refused (403) before the method is asked
def end_inspection(request, pk: int):
    grant = request.record
    form = EndInspectionForm(request.POST)
    if not form.is_valid():  # a NUL or an over-long reason: said on the page, nothing saved
        flash.error(request, " ".join(str(message) for messages in form.errors.values() for message in messages))
        return redirect("safeguarding:inspectors", hub_id=grant.hub_id)
    try:
        services.end_inspection(grant, by=request.user, why=form.cleaned_data["why"])
    except ValidationError as error:
        flash.error(request, " ".join(error.messages))
    else:
        flash.success(request, f"{grant.inspector}'s access to {grant.hub.name} has ended")
    return redirect("safeguarding:inspectors", hub_id=grant.hub_id)
