"""Support after the decision: admission to a bed, discharge, a change of key worker, the end of a
specialist's work, closing the involvement."""

from __future__ import annotations

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


@requires("hubs.admit", record=INVOLVEMENT)
def admit(request, involvement_id: int):
    """Admit to a bed free today at the young person's hub (only emergency beds for an emergency)."""
    involvement = request.record
    person = involvement.young_person
    key = f"involvement:{involvement.pk}"
    emergency = involvement.support_type == "emergency"
    kwargs = {"hub": involvement.hub, "emergency": emergency}
    if is_draft_save(request):
        return draft_response(request, AdmitForm, "admit", key, young_person=person, **kwargs)
    if not involvement.is_open:
        return htmx_redirect(request, _person_url(involvement))
    form, draft = bound_form(request, AdmitForm, "admit", key, **kwargs)
    if request.method == "POST" and form.is_valid():
        stay = form.save(person, involvement, request.user)
        if stay is not None:
            succeeded(request, "admit", key, f"{person.full_name} admitted to {stay.bed.label}")
            return htmx_redirect(request, _person_url(involvement))
    return _form_page(request, "web/support/admit.html",
                      {"involvement": involvement, "person": person, "form": form, "draft": draft, "emergency": emergency})


@requires("hubs.discharge", record=STAY)
def discharge(request, stay_id: int):
    stay = request.record
    person = stay.young_person
    key = f"stay:{stay.pk}"
    if is_draft_save(request):
        return draft_response(request, DischargeForm, "discharge", key, young_person=person)
    if not stay.is_open:
        return htmx_redirect(request, _person_url(stay))
    form, draft = bound_form(request, DischargeForm, "discharge", key)
    if request.method == "POST" and form.is_valid() and form.save(stay, request.user) is not None:
        succeeded(request, "discharge", key, f"{person.full_name} discharged: {stay.get_destination_display().lower()}")
        return htmx_redirect(request, _person_url(stay))
    return _form_page(request, "web/support/discharge.html", {"stay": stay, "person": person, "form": form, "draft": draft})


@requires("casework.allocate_key_worker", record=INVOLVEMENT)
def reallocate(request, involvement_id: int):
    """A new key worker: asks why, and shows how many times the key worker has already changed."""
    involvement = request.record
    person = involvement.young_person
    key = f"involvement:{involvement.pk}"
    kwargs = {"hub": involvement.hub}
    if is_draft_save(request):
        return draft_response(request, ReallocateForm, "reallocate", key, young_person=person, **kwargs)
    if not involvement.is_open:
        return htmx_redirect(request, _person_url(involvement))
    form, draft = bound_form(request, ReallocateForm, "reallocate", key, **kwargs)
    if request.method == "POST" and form.is_valid():
        allocation = form.save(involvement, request.user)
        if allocation is not None:
            succeeded(request, "reallocate", key, f"{allocation.key_worker.get_full_name()} is now the key worker")
            return htmx_redirect(request, _person_url(involvement))
    context = {
        "involvement": involvement, "person": person, "form": form, "draft": draft,
        "current": casework.current_allocation(involvement), "changes": casework.key_worker_changes(person),
    }
    return _form_page(request, "web/support/reallocate.html", context)


@requires("casework.close_involvement", record=INVOLVEMENT)
def close(request, involvement_id: int):
    involvement = request.record
    person = involvement.young_person
    key = f"involvement:{involvement.pk}"
    if is_draft_save(request):
        return draft_response(request, CloseInvolvementForm, "close", key, young_person=person)
    if not involvement.is_open:
        return htmx_redirect(request, _person_url(involvement))
    form, draft = bound_form(request, CloseInvolvementForm, "close", key)
    if request.method == "POST" and form.is_valid() and form.save(involvement, request.user) is not None:
        succeeded(request, "close", key, f"Support for {person.full_name} has ended")
        return htmx_redirect(request, _person_url(involvement))
    open_stay = involvement.stays.filter(discharged__isnull=True).select_related("bed").first()
    return _form_page(request, "web/support/close.html",
                      {"involvement": involvement, "person": person, "form": form, "draft": draft, "open_stay": open_stay})


@requires("casework.draw_in_specialist", record=DRAWN_IN)
def end_specialist(request, specialist_involvement_id: int):
    """The specialist's work ends: they leave the team around the young person, and lose sight of the record."""
    drawn_in = request.record
    person = drawn_in.young_person
    key = f"specialist:{drawn_in.pk}"
    if is_draft_save(request):
        return draft_response(request, EndSpecialistForm, "end_specialist", key, young_person=person)
    if drawn_in.end is not None:
        return htmx_redirect(request, _person_url(drawn_in))
    form, draft = bound_form(request, EndSpecialistForm, "end_specialist", key)
    if request.method == "POST" and form.is_valid() and form.save(drawn_in, request.user) is not None:
        name = drawn_in.specialist.get_full_name() or drawn_in.specialist.username
        succeeded(request, "end_specialist", key, f"{name} has left the team around {person.full_name}")
        return htmx_redirect(request, _person_url(drawn_in))
    return _form_page(request, "web/support/end_specialist.html",
                      {"drawn_in": drawn_in, "person": person, "form": form, "draft": draft})
