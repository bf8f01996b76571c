"""The people around the young person, corrections and withdrawals of any record, and duplicates (issue 16).

- The network: the family members, carers and other significant people around the young person, listed
  on a page of their own (and in a section of the young person's page), added and changed with a form.
- Corrections: every event, plan goal and review, referral and stay can be corrected, as a contact note
  can, by its author or a manager with a reason the change history keeps; and withdrawn as entered in
  error (out of every count, kept in the history and the audit log).
- Duplicates: the possible duplicate young people a hub or service manager may see, and the merge of two.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse

from nwd.access import audit, scopes
from nwd.access.decorators import from_url, not_found, requires
from nwd.access.models import Action
from nwd.access.policy import young_person_of
from nwd.casework import corrections, queries
from nwd.casework import forms as casework_forms
from nwd.casework import services as casework
from nwd.casework.models import SignificantPerson, YoungPerson
from nwd.web.pages.common import bound_form, draft_response, htmx_redirect, is_draft_save, succeeded
from nwd.web.pages.recording import Recording


@dataclass(frozen=True)
class Place:
    """Where a form about one record sits: the young person, the address it posts to, where back goes."""

    person: YoungPerson
    action_url: str
    back_url: str
    draft_record: str


def _form_page(request, place: Place, recording: Recording, form_class, target, done_url: str, **form_kwargs):
    """Draft, show, save and answer a form about ``target`` (as the recording forms do, as a page)."""
    if is_draft_save(request):
        return draft_response(request, form_class, recording.key, place.draft_record, young_person=place.person,
                              **form_kwargs)
    form, draft = bound_form(request, form_class, recording.key, place.draft_record, **form_kwargs)
    if request.method == "POST" and form.is_valid() and form.save(target, request.user) is not None:
        succeeded(request, recording.key, place.draft_record, recording.done)
        return htmx_redirect(request, done_url)
    context = {
        "person": place.person, "form": form, "recording": recording, "draft": draft, "action_url": place.action_url,
        "back_url": place.back_url, "draft_record": place.draft_record, "in_place": False,
    }
    return render(request, "web/record/page.html", context, status=422 if request.method == "POST" else 200)


# --- The people around the young person -------------------------------------------------------------

ADD_PERSON = Recording("network", casework_forms.SignificantPersonForm, "Add someone around the young person",
                       "Person added", button="Add")
CHANGE_PERSON = Recording("network_change", casework_forms.SignificantPersonForm,
                          "Change the details of someone around the young person", "Details changed",
                          button="Save the changes")


@requires("casework.view_network", record=from_url(YoungPerson, "young_person_id"))
def network(request, young_person_id: int):
    """The family members, carers and other significant people around the young person."""
    person = request.record
    people = list(SignificantPerson.objects.filter(young_person=person).order_by("ended_on", "name", "pk"))
    return render(request, "web/network/list.html", {
        "person": person, "people": people,
        "may_record": request.user.has_perm("casework.record_network", person),
    })


@requires("casework.record_network", record=from_url(YoungPerson, "young_person_id"))
def add_to_network(request, young_person_id: int):
    """Add a family member, carer or other significant person."""
    person = request.record
    place = Place(person, reverse("web:network_add", args=[person.pk]), reverse("web:network", args=[person.pk]),
                  f"young_person:{person.pk}")
    return _form_page(request, place, ADD_PERSON, casework_forms.SignificantPersonForm, person, place.back_url)


@requires("casework.record_network", record=from_url(SignificantPerson, "significant_person_id",
                                                     select_related=("young_person",)))
def change_in_network(request, significant_person_id: int):
    """Change what is held about someone around the young person (the history keeps what it said)."""
    someone = request.record
    person = someone.young_person
    place = Place(person, reverse("web:network_change", args=[someone.pk]), reverse("web:network", args=[person.pk]),
                  f"significant_person:{someone.pk}")
    return _form_page(request, place, CHANGE_PERSON, casework_forms.SignificantPersonForm, someone, place.back_url,
                      significant_person=someone)


# --- Corrections and withdrawals --------------------------------------------------------------------


def _person_url(person) -> str:
    return reverse("web:young_person", args=[person.pk]) + "#timeline"


def _correction_view(key: str, correctable: corrections.Correctable):
    recording = Recording(f"correct_{key}", corrections.CORRECTION_FORMS[key], f"Correct a {correctable.noun}",
                          f"{correctable.noun[0].upper()}{correctable.noun[1:]} corrected", button="Save the correction")

    @requires("casework.correct_record", record=from_url(correctable.model, "record_id"))
    def view(request, record_id: int):
        record = request.record
        if not casework.may_change_record(request.user, record):
            raise Http404(casework.ONLY_AUTHOR_OR_MANAGER)
        person = young_person_of(record)
        place = Place(person, reverse(f"web:correct_{key}", args=[record.pk]), _person_url(person),
                      f"{key}:{record.pk}")
        return _form_page(request, place, recording, recording.form_class, record, place.back_url, record=record)

    view.__name__ = view.__qualname__ = f"correct_{key}"
    view.__doc__ = f"Correct a {correctable.noun}, with a reason the change history keeps (author or manager)."
    return view


def _withdrawal_view(key: str, model: type, noun: str):
    recording = Recording(f"withdraw_{key}", corrections.WithdrawForm, f"Withdraw a {noun} entered in error",
                          f"{noun[0].upper()}{noun[1:]} withdrawn", button="Withdraw it")

    @requires("casework.withdraw_record", record=from_url(model, "record_id"))
    def view(request, record_id: int):
        record = request.record
        if not casework.may_change_record(request.user, record):
            raise Http404(casework.ONLY_AUTHOR_OR_MANAGER)
        person = young_person_of(record)
        place = Place(person, reverse(f"web:withdraw_{key}", args=[record.pk]), _person_url(person),
                      f"{key}:{record.pk}")
        return _form_page(request, place, recording, corrections.WithdrawForm, record, place.back_url)

    view.__name__ = view.__qualname__ = f"withdraw_{key}"
    view.__doc__ = f"Withdraw a {noun} entered in error, with a reason (author or manager)."
    return view


CORRECTION_VIEWS = {key: _correction_view(key, c) for key, c in corrections.CORRECTABLE.items()}
WITHDRAWAL_VIEWS = {key: _withdrawal_view(key, model, noun) for key, (model, noun) in corrections.WITHDRAWABLE.items()}


# --- Duplicates -------------------------------------------------------------------------------------

MERGE = Recording("merge", casework_forms.MergeForm, "Merge two records of one young person", "Records merged",
                  button="Merge the records")


@requires("casework.merge_duplicates")
def duplicates(request):
    """Possible duplicate young people among those the user may see."""
    visible = scopes.permitted(request.user, "casework.view_identity")
    pairs = queries.possible_duplicates(visible)
    audit.record_rows(request, [p for pair in pairs for p in (pair.first.pk, pair.second.pk)], Action.LIST,
                      detail="possible duplicates")
    return render(request, "web/duplicates/list.html", {"pairs": pairs})


@requires("casework.merge_duplicates")
def merge(request, first_id: int, second_id: int):
    """Merge two records of one young person: every record moves to the one kept, in one transaction."""
    visible = scopes.permitted(request.user, "casework.view_identity")
    pair = {p.pk: p for p in visible.filter(pk__in=[first_id, second_id])}
    if first_id == second_id or len(pair) != 2:
        raise not_found(request, detail="merge")
    first, second = pair[first_id], pair[second_id]
    for person in (first, second):
        audit.record(request, Action.VIEW, person, detail="merge")
    refusals = casework.merge_refusals(first, second)
    place = Place(first, reverse("web:merge", args=[first_id, second_id]), reverse("web:duplicates"),
                  f"merge:{first_id}:{second_id}")
    if refusals:
        return render(request, "web/duplicates/refused.html", {"pair": [first, second],
                                                                "refusals": refusals})
    if is_draft_save(request):
        return draft_response(request, casework_forms.MergeForm, MERGE.key, place.draft_record, first=first,
                              second=second)
    form, draft = bound_form(request, casework_forms.MergeForm, MERGE.key, place.draft_record, first=first,
                             second=second)
    if request.method == "POST" and form.is_valid():
        kept = form.save(request.user)
        if kept is not None:
            succeeded(request, MERGE.key, place.draft_record, MERGE.done)
            return htmx_redirect(request, reverse("web:young_person", args=[kept.pk]))
    context = {"first": first, "second": second, "form": form, "recording": MERGE, "draft": draft,
               "action_url": place.action_url, "back_url": place.back_url}
    return render(request, "web/duplicates/merge.html", context, status=422 if request.method == "POST" else 200)
