"""The young person's data protection page, for the data protection officer and the service manager:
their identity details as held, whether the record is restricted and to whom, and the forms to
correct the details (rectification) and to change the restriction.

The forms follow the correction of a contact note: the record changes, its change history keeps
what it said before, who changed it and the reason given, and the change is audited. Both are
whole pages (the data protection officer has no young person's page to open them in).
"""

from __future__ import annotations

from django.shortcuts import render
from django.urls import reverse

from nwd.access.decorators import from_url, requires
from nwd.casework import forms as casework_forms
from nwd.casework.models import YoungPerson
from nwd.codelists import codes
from nwd.web.pages.common import bound_form, draft_response, htmx_redirect, is_draft_save, succeeded
from nwd.web.pages.recording import Recording

PERSON = from_url(YoungPerson, "young_person_id")
IDENTITY = Recording("identity", casework_forms.IdentityForm, "Correct identity details", "Identity details corrected",
                     button="Save the correction")
RESTRICTION = Recording("restriction", casework_forms.RestrictionForm, "Restrict the record", "Restriction changed",
                        button="Save the restriction")


@requires("casework.rectify_identity", record=PERSON)
def data_protection(request, young_person_id: int):
    """Identity details as held and the restriction, with what the user may do about them."""
    person = request.record
    user = request.user
    may = {
        "restrict": user.has_perm("casework.restrict_record", person),
        "open": user.has_perm("casework.view_young_person", person),
        "viewed_by": user.has_perm("access.view_access_log", person),
        "history": user.has_perm("access.view_record_history", person),
        "subject_access": user.has_perm("access.subject_access_export", person) and user.has_perm("exports.download"),
    }
    return render(request, "web/data_protection/page.html", {
        "person": person, "named": person.restricted_to.order_by("last_name", "first_name"), "may": may,
        "ethnicity_label": codes.label("ETHNIC", person.ethnicity),
    })


@requires("casework.rectify_identity", record=PERSON)
def identity(request, young_person_id: int):
    """Correct the young person's identity details, with a reason."""
    return _form(request, IDENTITY, "web:identity")


@requires("casework.restrict_record", record=PERSON)
def restriction(request, young_person_id: int):
    """Restrict the record to named users, change who is named, or lift the restriction, with a reason."""
    return _form(request, RESTRICTION, "web:restriction")


def _form(request, recording: Recording, url_name: str):
    person = request.record
    draft_record = f"young_person:{person.pk}"
    if is_draft_save(request):
        return draft_response(request, recording.form_class, recording.key, draft_record, young_person=person,
                              person=person)
    form, draft = bound_form(request, recording.form_class, recording.key, draft_record, person=person)
    back_url = reverse("web:data_protection", args=[person.pk])
    if request.method == "POST" and form.is_valid() and form.save(person, request.user) is not None:
        succeeded(request, recording.key, draft_record, recording.done)
        # Restricting a record without naming oneself closes it to oneself too.
        still_open = request.user.has_perm("casework.rectify_identity", person)
        return htmx_redirect(request, back_url if still_open else reverse("home"))
    return render(request, "web/record/page.html", {
        "person": person, "form": form, "recording": recording, "draft": draft, "draft_record": draft_record,
        "action_url": reverse(url_name, args=[person.pk]), "back_url": back_url, "in_place": False,
    }, status=422 if request.method == "POST" else 200)
