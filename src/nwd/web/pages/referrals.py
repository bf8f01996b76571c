"""Referral to support: the referral form (staff and partners), the queue, triage, the decision, a key worker.

Every referral ends in a next step (outreach, a hub stay, an emergency bed, or a warm handover to a
named service): the decision form offers nothing else, and the model refuses anything else.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from nwd.access import audit, scopes
from nwd.access.decorators import from_url, not_found, requires
from nwd.access.models import Action
from nwd.access.relations import user_key
from nwd.access.roles import Role
from nwd.casework import queries
from nwd.casework import referral_queue as queue_marks
from nwd.casework import services as casework
from nwd.casework.choices import DECISION_SUPPORT_TYPE, Decision, ReferralStatus
from nwd.casework.forms import DecisionForm, ReferralForm, StartSupportForm
from nwd.casework.models import Involvement, Referral
from nwd.web.pages.common import bound_form, draft_response, htmx_redirect, is_draft_save, succeeded

REFERRAL = from_url(Referral, "referral_id", select_related=("young_person", "submitted_by"))


def named(user, referrals: list) -> list:
    """Each referral with ``named``: its young person's record where ``user`` may see their identity,
    else the young person as the referral named them (a partner never sees a record it was linked to)."""
    ids = {r.young_person_id for r in referrals}
    visible = set()
    if ids and user.has_perm("casework.view_identity"):
        visible = set(scopes.visible_young_people(user).filter(pk__in=ids).values_list("pk", flat=True))
    return queries.name_referrals(referrals, visible)


@requires("casework.submit_referral")
def new_referral(request):
    """The referral form. A partner's agency and organisation come from their account."""
    if is_draft_save(request):
        return draft_response(request, ReferralForm, "referral", "", user=request.user)
    form, draft = bound_form(request, ReferralForm, "referral", "", user=request.user)
    if request.method == "POST" and form.is_valid():
        referral = form.save()
        if referral is not None:
            succeeded(request, "referral", "", "Referral sent")
            return htmx_redirect(request, reverse("web:referral_sent", args=[referral.pk]))
    status = 422 if request.method == "POST" else 200
    return render(request, "web/referrals/new.html", {"form": form, "draft": draft}, status=status)


@requires("casework.view_referral", record=REFERRAL)
def referral_sent(request, referral_id: int):
    """The confirmation. To staff who may open the young person's page, it says when the young person
    is already supported, and by whom (who see the referral on their home page and the queue); a
    partner is never told (their referral never matches a record: ``services.find_or_create_young_person``)."""
    referral = named(request.user, [request.record])[0]
    person = referral.young_person
    support = None
    if (request.user.role != Role.PARTNER_REFERRER and referral.named is person
            and request.user.has_perm("casework.view_young_person", person)):
        support = queue_marks.current_support(person)
    return render(request, "web/referrals/sent.html", {"referral": referral, "support": support})


@requires("casework.view_referral", listing=True)
def my_referrals(request):
    """Referrals the user may follow: a partner's agency's own, newest first."""
    referrals = list(scopes.visible_referrals(request.user).select_related("young_person").order_by("-received", "-pk")[:200])
    named(request.user, referrals)
    audit.record_rows(request, [r.young_person_id for r in referrals], Action.LIST, detail="referrals")
    return render(request, "web/referrals/mine.html", {"referrals": referrals})


@requires("casework.triage_referrals")
def referral_queue(request):
    """The queue: referrals waiting for a decision, most urgent first, and decided ones needing a key worker."""
    # Both lists are chosen by the user's scopes alone: their SQL is compiled once a process for
    # what the scopes depend on (``prepared.kept``), the scopes built only then, the rows read on
    # every request.
    user = request.user
    reader = user_key(user)
    waiting = queue_marks.waiting(lambda: scopes.referrals_to_decide(user),
                                  lambda: scopes.young_people_awaiting_decision(user), reader=reader)
    awaiting_support = queue_marks.awaiting_support(lambda: scopes.referrals_to_decide(user), reader=reader)
    audit.record_rows(request, [r.young_person_id for r in waiting + awaiting_support], Action.LIST, detail="referral queue")
    return render(request, "web/referrals/queue.html", {"waiting": waiting, "awaiting_support": awaiting_support})


@requires("casework.view_referral", record=REFERRAL)
def referral_detail(request, referral_id: int):
    referral = named(request.user, [request.record])[0]
    user = request.user
    involvement = getattr(referral, "involvement", None) if referral.is_closed else None
    may_decide = user.has_perm("casework.decide_referral", referral)
    matches = []
    if may_decide and not referral.is_closed:
        matches = queries.referral_matches(referral, scopes.visible_young_people(user))
        if matches:
            audit.record_rows(request, matches, Action.SEARCH, detail=f"possible matches for referral {referral.pk}")
    context = {
        "referral": referral,
        "involvement": involvement,
        "may_decide": may_decide,
        "may_open": user.has_perm("casework.view_young_person", referral.young_person),
        "matches": matches,
        # Issue 16: a referral of a young person supported now says so (their key worker is told).
        "support": (queue_marks.current_support(referral.young_person)
                    if not referral.is_closed and referral.named is referral.young_person
                    and user.has_perm("casework.view_young_person", referral.young_person) else None),
        "needs_support": (
            referral.decision in DECISION_SUPPORT_TYPE and involvement is None
            and not Involvement.objects.open_for(referral.young_person).exists()
        ),
    }
    return render(request, "web/referrals/detail.html", context)


@require_POST
@requires("casework.decide_referral", record=REFERRAL)
def link_to_record(request, referral_id: int):
    """At triage: the referral is about an existing young person the hub manager was offered as a match.

    Only a record offered on the referral's page (a match within the manager's own scope) can be
    chosen; any other id answers as a record that does not exist.
    """
    referral = request.record
    chosen = request.POST.get("young_person", "")
    offered = {p.pk: p for p in queries.referral_matches(referral, scopes.visible_young_people(request.user))}
    person = offered.get(int(chosen)) if chosen.isdigit() else None
    if person is None:
        raise not_found(request, referral, detail="link at triage: not an offered match")
    try:
        casework.link_referral(referral, young_person=person, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Referral linked to {person.full_name}'s record")
    return htmx_redirect(request, reverse("web:referral", args=[referral.pk]))


@require_POST
@requires("casework.decide_referral", record=REFERRAL)
def start_triage(request, referral_id: int):
    try:
        casework.start_triage(request.record, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return htmx_redirect(request, reverse("web:referral_decide", args=[referral_id]))


@requires("casework.decide_referral", record=REFERRAL)
def decide(request, referral_id: int):
    """The decision: outreach, a hub stay, an emergency bed, or a warm handover to a named service."""
    referral = request.record
    key = f"referral:{referral.pk}"
    if is_draft_save(request):
        return draft_response(request, DecisionForm, "decision", key, young_person=referral.young_person)
    if referral.is_closed:
        return htmx_redirect(request, reverse("web:referral", args=[referral.pk]))
    form, draft = bound_form(request, DecisionForm, "decision", key)
    if request.method == "POST" and form.is_valid() and form.save(referral, request.user) is not None:
        succeeded(request, "decision", key, f"Decision recorded: {referral.get_decision_display().lower()}")
        if referral.decision in DECISION_SUPPORT_TYPE:
            return htmx_redirect(request, reverse("web:referral_support", args=[referral.pk]))
        return htmx_redirect(request, reverse("web:referral_queue"))
    status = 422 if request.method == "POST" else 200
    return render(request, "web/referrals/decide.html", {"referral": referral, "form": form, "draft": draft,
                                                         "Decision": Decision, "ReferralStatus": ReferralStatus},
                  status=status)


def _support_hub(request):
    """The hub support starts at: the manager's own, or the one a service manager chose (?hub=)."""
    hubs = scopes.hubs(request.user, "casework.allocate_key_worker")
    if request.user.role == Role.HUB_MANAGER and request.user.hub_id:
        return get_object_or_404(hubs, pk=request.user.hub_id), hubs
    chosen = request.POST.get("hub") or request.GET.get("hub")
    if chosen and chosen.isdigit():
        return get_object_or_404(hubs, pk=int(chosen)), hubs
    return None, hubs


@requires("casework.decide_referral", record=REFERRAL)
def start_support(request, referral_id: int):
    """Allocate the key worker and open the involvement; then, for a stay or an emergency bed, admit."""
    referral = request.record
    if referral.decision not in DECISION_SUPPORT_TYPE:
        return htmx_redirect(request, reverse("web:referral", args=[referral.pk]))
    hub, hubs = _support_hub(request)
    if hub is None:
        return render(request, "web/referrals/choose_hub.html", {"referral": referral, "hubs": hubs})
    if not request.user.has_perm("casework.allocate_key_worker", hub):
        raise Http404("No such record.")
    key = f"referral:{referral.pk}:hub:{hub.pk}"
    if is_draft_save(request):
        return draft_response(request, StartSupportForm, "start_support", key, young_person=referral.young_person, hub=hub)
    form, draft = bound_form(request, StartSupportForm, "start_support", key, hub=hub)
    if request.method == "POST" and form.is_valid():
        involvement = form.save(referral, request.user)
        if involvement is not None:
            worker = form.cleaned_data["key_worker"]
            succeeded(request, "start_support", key, f"Support started: {worker.get_full_name()} is the key worker")
            if referral.decision in (Decision.HUB_STAY, Decision.EMERGENCY_BED):
                return htmx_redirect(request, reverse("web:admit", args=[involvement.pk]))
            return htmx_redirect(request, reverse("web:young_person", args=[referral.young_person_id]))
    status = 422 if request.method == "POST" else 200
    context = {"referral": referral, "form": form, "draft": draft, "hub": hub, "many_hubs": hubs.count() > 1}
    return render(request, "web/referrals/support.html", context, status=status)
