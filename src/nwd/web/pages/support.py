"""Support after the decision: admission to a bed, discharge, a change of key worker, the end of a
specialist's work, closing the involvement."""

from __future__ import annotations

from collections.abc import Callable

from django.shortcuts import render
from django.urls import reverse

from nwd.access.decorators import from_url, requires
from nwd.casework import services as casework
from nwd.casework.forms import CloseInvolvementForm, EndSpecialistForm, ReallocateForm
from nwd.casework.models import Involvement, SpecialistInvolvement
from nwd.hubs.forms import AdmitForm, DischargeForm
from nwd.hubs.models import Stay
from nwd.web.pages.common import bound_form, draft_response, htmx_redirect, is_draft_save, succeeded

INVOLVEMENT = from_url(Involvement, "involvement_id", select_related=("young_person", "hub"))
DRAWN_IN = from_url(SpecialistInvolvement, "specialist_involvement_id", select_related=("young_person", "specialist"))
STAY = from_url(Stay, "stay_id", select_related=("young_person", "bed__hub", "involvement"))


def _person_url(involvement_or_stay) -> str:
    return reverse("web:young_person", args=[involvement_or_stay.young_person_id])


def _form_page(request, template: str, context: dict):
    return render(request, template, context, status=422 if request.method == "POST" else 200)


def _support_step(request, record, form_class, name: str, template: str, *, still_open: bool,
                  save: Callable, done: Callable[[object], str], context: Callable[[], dict] | None = None,
                  **form_kwargs):
    """How every page here runs, so each view says only what differs.

    A draft save is kept whatever the record's state; a record no longer open (support ended, the
    young person discharged, the specialist gone) sends the user back to the young person; a valid
    submit calls ``save(form)`` (the service's result, or None with the messages on the form) and
    tells the user ``done(result)``; otherwise the form page, with ``context()`` added.
    """
    person = record.young_person
    key = f"{record._meta.model_name}:{record.pk}"
    if is_draft_save(request):
        return draft_response(request, form_class, name, key, young_person=person, **form_kwargs)
    if not still_open:
        return htmx_redirect(request, _person_url(record))
    form, draft = bound_form(request, form_class, name, key, **form_kwargs)
    if request.method == "POST" and form.is_valid():
        result = save(form)
        if result is not None:
            succeeded(request, name, key, done(result))
            return htmx_redirect(request, _person_url(record))
    extra = context() if context else {}
    return _form_page(request, template, {"person": person, "form": form, "draft": draft, **extra})


@requires("hubs.admit", record=INVOLVEMENT)
def admit(request, involvement_id: int):
    """Admit to a bed free today at the young person's hub (only emergency beds for an emergency)."""
    involvement = request.record
    person = involvement.young_person
    emergency = involvement.support_type == "emergency"
    return _support_step(
        request, involvement, AdmitForm, "admit", "web/support/admit.html", still_open=involvement.is_open,
        save=lambda form: form.save(person, involvement, request.user),
        done=lambda stay: f"{person.full_name} admitted to {stay.bed.label}",
        context=lambda: {"involvement": involvement, "emergency": emergency},
        hub=involvement.hub, emergency=emergency,
    )


@requires("hubs.discharge", record=STAY)
def discharge(request, stay_id: int):
    stay = request.record
    return _support_step(
        request, stay, DischargeForm, "discharge", "web/support/discharge.html", still_open=stay.is_open,
        save=lambda form: form.save(stay, request.user),
        done=lambda saved: f"{stay.young_person.full_name} discharged: {saved.get_destination_display().lower()}",
        context=lambda: {"stay": stay},
    )


@requires("casework.allocate_key_worker", record=INVOLVEMENT)
def reallocate(request, involvement_id: int):
    """A new key worker: asks why, and shows how many times the key worker has already changed."""
    involvement = request.record
    return _support_step(
        request, involvement, ReallocateForm, "reallocate", "web/support/reallocate.html",
        still_open=involvement.is_open,
        save=lambda form: form.save(involvement, request.user),
        done=lambda allocation: f"{allocation.key_worker.get_full_name()} is now the key worker",
        context=lambda: {
            "involvement": involvement, "current": casework.current_allocation(involvement),
            "changes": casework.key_worker_changes(involvement.young_person),
        },
        hub=involvement.hub,
    )


@requires("casework.close_involvement", record=INVOLVEMENT)
def close(request, involvement_id: int):
    involvement = request.record
    return _support_step(
        request, involvement, CloseInvolvementForm, "close", "web/support/close.html", still_open=involvement.is_open,
        save=lambda form: form.save(involvement, request.user),
        done=lambda _: f"Support for {involvement.young_person.full_name} has ended",
        context=lambda: {
            "involvement": involvement,
            "open_stay": involvement.stays.filter(discharged__isnull=True).select_related("bed").first(),
        },
    )


@requires("casework.draw_in_specialist", record=DRAWN_IN)
def end_specialist(request, specialist_involvement_id: int):
    """The specialist's work ends: they leave the team around the young person, and lose sight of the record."""
    drawn_in = request.record
    name = drawn_in.specialist.get_full_name() or drawn_in.specialist.username
    return _support_step(
        request, drawn_in, EndSpecialistForm, "end_specialist", "web/support/end_specialist.html",
        still_open=drawn_in.end is None,
        save=lambda form: form.save(drawn_in, request.user),
        done=lambda _: f"{name} has left the team around {drawn_in.young_person.full_name}",
        context=lambda: {"drawn_in": drawn_in},
    )
