"""Recording from the young person's page, in place: contacts, events, EET, plan goals and reviews,
and drawing a specialist into the team; and, about one of their records, the return from missing,
closing an exploitation concern and correcting a contact note.

Each form opens inside the page (htmx) or as its own page (no JavaScript), saves a draft as it is
typed, and on success answers with a confirmation in place of the form plus the updated timeline
(an out-of-band swap), so the practitioner sees what they recorded where it belongs. Validation
messages come from the model rules, next to the field, with the GOV.UK error summary.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse

from nwd.access.decorators import from_url, requires
from nwd.casework import forms as casework_forms
from nwd.casework import services as casework
from nwd.casework.models import Contact, YoungPerson
from nwd.drafts.services import discard_draft
from nwd.events import forms as event_forms
from nwd.events.models import (
    CONCERN_ALREADY_CLOSED,
    RETURN_ALREADY_RECORDED,
    ExploitationConcern,
    MissingEpisode,
)
from nwd.web.pages.common import (
    RECORD_PERMISSIONS,
    Allowed,
    bound_form,
    draft_response,
    htmx_redirect,
    is_draft_save,
    is_htmx,
    succeeded,
)
from nwd.web.pages.young_people import page_context


@dataclass(frozen=True)
class Recording:
    key: str
    form_class: type
    title: str
    done: str
    button: str = "Save"


RECORDINGS = {
    r.key: r
    for r in (
        Recording("contact", casework_forms.ContactForm, "Add a contact", "Contact recorded"),
        Recording("missing", event_forms.MissingEpisodeForm, "Record a missing episode", "Missing episode recorded"),
        Recording("police", event_forms.PoliceContactForm, "Record a police contact", "Police contact recorded"),
        Recording("health", event_forms.HealthEventForm, "Record a health event", "Health event recorded"),
        Recording("exploitation", event_forms.ExploitationConcernForm, "Raise an exploitation concern",
                  "Exploitation concern recorded"),
        Recording("substance", event_forms.SubstanceUseForm, "Record a substance use assessment",
                  "Substance use assessment recorded"),
        Recording("eet", event_forms.EETChangeForm, "Change education, employment or training status", "EET status changed"),
        Recording("goal", casework_forms.PlanGoalForm, "Add a goal to the plan", "Goal added to the plan"),
        Recording("review", casework_forms.PlanReviewForm, "Review the plan", "Plan review recorded"),
        Recording("specialist", casework_forms.SpecialistForm, "Draw in a specialist", "Specialist drawn in",
                  button="Draw in"),
    )
}
RETURN = Recording("return", event_forms.MissingReturnForm, "Record the return", "Return recorded")
CORRECT_CONTACT = Recording("correct_contact", casework_forms.CorrectContactForm, "Correct a contact note",
                            "Contact note corrected", button="Save the correction")
CLOSE_CONCERN = Recording("close_concern", event_forms.CloseConcernForm, "Close the exploitation concern",
                          "Exploitation concern closed", button="Close the concern")


def _form_kwargs(key: str, person) -> dict:
    if key == "contact":  # who from the young person's network it was with (issue 16)
        return {"person": person}
    if key == "specialist":
        return {"person": person}
    if key == "goal":
        return {"plan": casework.current_plan(person)}
    if key == "review":
        plan = casework.current_plan(person)
        if plan is None or not plan.goals.exists():
            raise Http404("There is no plan with goals to review yet: add a goal first.")
        return {"plan": plan}
    return {}


def _save(key: str, form, person, user):
    if key == "review":
        return form.save(user)
    return form.save(person, user)


def _person_url(request, person) -> str:
    allowed = request.user.has_perm("casework.view_young_person", person)
    name = "web:young_person" if allowed else "web:shared_with_police"
    return reverse(name, args=[person.pk])


def _respond(request, person, recording: Recording, form, draft, action_url: str, draft_record: str, status: int = 200):
    context = {
        "person": person, "form": form, "recording": recording, "draft": draft, "action_url": action_url,
        "back_url": _person_url(request, person), "draft_record": draft_record, "in_place": is_htmx(request),
    }
    template = "web/record/_form.html" if is_htmx(request) else "web/record/page.html"
    return render(request, template, context, status=status)


def _recorded(request, person, recording: Recording, draft_record: str):
    """After a successful save: in place (htmx) the confirmation and the updated timeline, else back to the page."""
    if not is_htmx(request):
        succeeded(request, recording.key, draft_record, recording.done)
        return htmx_redirect(request, _person_url(request, person) + "#timeline")
    discard_draft(request.user, recording.key, draft_record)  # the confirmation is shown in place
    allowed = Allowed(request.user, person)
    police_view = not request.user.has_perm("casework.view_young_person", person)
    context = page_context(request, person, allowed, police_view=police_view)
    context["recording"] = recording
    return render(request, "web/record/_recorded.html", context)


def _record(request, person, recording: Recording):
    draft_record = f"young_person:{person.pk}"
    kwargs = _form_kwargs(recording.key, person)
    if is_draft_save(request):
        return draft_response(request, recording.form_class, recording.key, draft_record, young_person=person, **kwargs)
    form, draft = bound_form(request, recording.form_class, recording.key, draft_record, **kwargs)
    action_url = reverse(f"web:record_{recording.key}", args=[person.pk])
    if request.method == "POST" and form.is_valid() and _save(recording.key, form, person, request.user) is not None:
        return _recorded(request, person, recording, draft_record)
    status = 422 if request.method == "POST" and not is_htmx(request) else 200
    return _respond(request, person, recording, form, draft, action_url, draft_record, status)


def _recording_view(recording: Recording):
    permission = RECORD_PERMISSIONS[recording.key]

    @requires(permission, record=from_url(YoungPerson, "young_person_id"))
    def view(request, young_person_id: int):
        return _record(request, request.record, recording)

    view.__name__ = view.__qualname__ = f"record_{recording.key}"
    view.__doc__ = f"{recording.title} (needs {permission})."
    return view


VIEWS = {key: _recording_view(recording) for key, recording in RECORDINGS.items()}


@requires("events.record_police_shared", record=from_url(MissingEpisode, "episode_id", select_related=("young_person",)))
def record_return(request, episode_id: int):
    """Close a missing episode: when the young person came back, and the return interview."""
    episode = request.record
    if episode.ended_at is not None and not is_draft_save(request):
        raise Http404(RETURN_ALREADY_RECORDED)
    return _record_on(request, episode, RETURN, f"missing:{episode.pk}", reverse("web:record_return", args=[episode.pk]))


@requires("events.record_police_shared",
          record=from_url(ExploitationConcern, "concern_id", select_related=("young_person",)))
def close_concern(request, concern_id: int):
    """Close an exploitation concern (shared with the police liaison officer, who may close it too)."""
    concern = request.record
    if concern.closed_on is not None and not is_draft_save(request):
        raise Http404(CONCERN_ALREADY_CLOSED)
    return _record_on(request, concern, CLOSE_CONCERN, f"concern:{concern.pk}",
                      reverse("web:close_concern", args=[concern.pk]))


@requires("casework.correct_contact", record=from_url(Contact, "contact_id", select_related=("young_person",)))
def correct_contact(request, contact_id: int):
    """Correct a contact note the user wrote; the change history keeps what it said before, and why."""
    contact = request.record
    return _record_on(request, contact, CORRECT_CONTACT, f"contact:{contact.pk}",
                      reverse("web:correct_contact", args=[contact.pk]), contact=contact)


def _record_on(request, record, recording: Recording, draft_record: str, action_url: str, **form_kwargs):
    """A form about one of the young person's records (not the young person): its draft, save and answer."""
    person = record.young_person
    if is_draft_save(request):
        return draft_response(request, recording.form_class, recording.key, draft_record, young_person=person,
                              **form_kwargs)
    form, draft = bound_form(request, recording.form_class, recording.key, draft_record, **form_kwargs)
    if request.method == "POST" and form.is_valid() and form.save(record, request.user) is not None:
        return _recorded(request, person, recording, draft_record)
    status = 422 if request.method == "POST" and not is_htmx(request) else 200
    return _respond(request, person, recording, form, draft, action_url, draft_record, status)
