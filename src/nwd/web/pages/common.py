"""What the practitioner pages share: htmx or full page, forms restored from drafts, what a user may see.

Views parse and render: the reads are in ``queries.py`` modules, the changes in ``services.py``,
the permissions in ``nwd.access``. This module only joins them up the same way for every page.
"""

from __future__ import annotations

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render

from nwd.access import policy, scopes
from nwd.casework.models import Contact
from nwd.casework.timeline import KIND_KEYS
from nwd.drafts import services as drafts

DRAFT_HEADER = "HTTP_X_NWD_DRAFT"


def is_htmx(request) -> bool:
    """Asked for by htmx (a part of a page), not by the browser (a whole page)."""
    return request.headers.get("HX-Request") == "true" and request.headers.get("HX-History-Restore-Request") != "true"


def is_draft_save(request) -> bool:
    return request.method == "POST" and request.META.get(DRAFT_HEADER) == "save"


def form_field_names(form) -> list[str]:
    return list(form.fields)


def draft_response(request, form_class, draft_form: str, draft_record: str, young_person=None, **form_kwargs) -> HttpResponse:
    """Keep what has been typed so far; answers 204 (htmx and the draft script need no body)."""
    names = form_field_names(form_class(**form_kwargs))
    drafts.save_draft(request.user, draft_form, draft_record, request.POST, names, young_person=young_person)
    return HttpResponse(status=204)


def bound_form(request, form_class, draft_form: str, draft_record: str, **form_kwargs):
    """The form to show: what was just posted, else the user's draft (restored), else a fresh form.

    Returns (form, draft) where draft is the Draft restored, if any, so the page can say so.
    """
    if request.method == "POST":
        return form_class(data=request.POST, **form_kwargs), None
    if request.GET.get("discard") == "draft":
        drafts.discard_draft(request.user, draft_form, draft_record)
        return form_class(**form_kwargs), None
    draft = drafts.load_draft(request.user, draft_form, draft_record)
    if draft is not None:
        return form_class.restored(drafts.as_querydict(draft), **form_kwargs), draft
    return form_class(**form_kwargs), None


def succeeded(request, draft_form: str, draft_record: str, message: str) -> None:
    """After a successful submit: the draft has served its purpose, and the user is told what happened."""
    drafts.discard_draft(request.user, draft_form, draft_record)
    messages.success(request, message)


def redirect_to(url: str) -> HttpResponseRedirect:
    return HttpResponseRedirect(url)


def htmx_redirect(request, url: str) -> HttpResponse:
    """Go to ``url`` as a whole page, whether asked by htmx (HX-Redirect) or not (303)."""
    if is_htmx(request):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response


# --- What a user may see of a young person -----------------------------------------------------------

KIND_PERMISSIONS = {
    "contact": "casework.view_contacts",
    "missing": "events.view_police_shared",
    "police": "events.view_police_shared",
    "exploitation": "events.view_police_shared",
    "health": "events.view_health",
    "substance": "events.view_health",
    "eet": "casework.view_young_person",
    "stay": "casework.view_young_person",
    "referral": "casework.view_young_person",
    "support": "casework.view_young_person",
    "placement": "casework.view_care_history",
    "plan": "casework.view_plan",
}
SECTION_PERMISSIONS = {
    "support": "casework.view_young_person",
    "team": "casework.view_young_person",
    "facts": "casework.view_young_person",
    "plan": "casework.view_plan",
    # Issue 16: the people around the young person; correcting and withdrawing records.
    "network": "casework.view_network",
    "correct": "casework.correct_record",
    "withdraw": "casework.withdraw_record",
}
RECORD_PERMISSIONS = {
    "contact": "casework.record_contact",
    "missing": "events.record_police_shared",
    "police": "events.record_police_shared",
    "exploitation": "events.record_police_shared",
    "health": "casework.record_casework",
    "substance": "casework.record_casework",
    "eet": "casework.record_casework",
    "goal": "casework.record_casework",
    "review": "casework.record_casework",
    "specialist": "casework.draw_in_specialist",
}


class Allowed:
    """Which timeline kinds, page sections and recording forms ``user`` may use for ``person``.

    The permissions are answered together by the policy (``nwd.access.policy.answers``), each once
    however many kinds share it; ``may`` answers any other permission about ``person`` the page asks.
    """

    def __init__(self, user, person):
        cache: dict[str, bool] = policy.answers(
            user, person, [*(KIND_PERMISSIONS[kind] for kind in KIND_KEYS), *SECTION_PERMISSIONS.values(),
                           *RECORD_PERMISSIONS.values()],
        )

        def may(name: str) -> bool:
            if name not in cache:
                cache.update(policy.answers(user, person, [name]))
            return cache[name]

        self.may = may
        self.kinds = tuple(kind for kind in KIND_KEYS if may(KIND_PERMISSIONS[kind]))
        self.sections = frozenset(section for section, name in SECTION_PERMISSIONS.items() if may(name))
        self.forms = frozenset(form for form, name in RECORD_PERMISSIONS.items() if may(name))

    def __contains__(self, form: str) -> bool:
        return form in self.forms


def page(request, template: str, context: dict, fragment: str | None = None, status: int = 200) -> HttpResponse:
    """Render ``template``, or only ``fragment`` when htmx asked for part of the page."""
    chosen = fragment if (fragment and is_htmx(request)) else template
    return render(request, chosen, context, status=status)


def contacts_of(user, person) -> QuerySet:
    """The contact notes about ``person`` that ``user`` may read (``casework.view_contact``).

    The scope is a correlated EXISTS (``nwd.access.relations``), so filtering on the one young
    person first keeps it cheap: the database checks access for this person's notes only.
    """
    return scopes.visible_contacts(user, Contact.objects.filter(young_person_id=person.pk))
