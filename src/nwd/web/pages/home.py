"""The home page: after sign-in each role lands on what it needs first.

- key worker, residential worker: "my young people", each with alerts (residential workers also
  see who is in their hub's beds);
- hub manager: referrals waiting (the 10 most urgent; the queue has the rest), decided referrals
  needing a key worker, free beds, caseloads, and the hub's young people with alerts (the most
  urgent 25, the rest on ``nwd.web.pages.hub``'s pages);
- service manager: every hub's queue (its 10 most urgent), beds and caseloads;
- specialist: the young people they are drawn in for;
- police liaison officer: young people missing now, and search;
- partner referrer: the referral form and their agency's referrals;
- analyst and data protection officer: their tools.
"""

from __future__ import annotations

from django.shortcuts import render
from django.urls import NoReverseMatch
from django.utils import timezone

from nwd.access import audit, scopes
from nwd.access.decorators import signed_in
from nwd.access.models import Action, User
from nwd.access.policy import reaches
from nwd.access.relations import user_key
from nwd.access.roles import SPECIALIST_ROLES, Role
from nwd.casework import prepared, queries, referral_queue
from nwd.core import dates
from nwd.hubs import queries as hub_queries
from nwd.safeguarding import queries as childrens_home
from nwd.web import navigation
from nwd.web.html import links
from nwd.web.pages import hub as hub_list
from nwd.web.pages.referrals import named

IDENTITY = "casework.view_identity"  # the permission the home page's lists are chosen by
BED_BOARD, CASELOADS = "hubs.view_bed_board", "hubs.view_caseloads"
WAITING_ON_HOME = 10  # the most referrals waiting for a decision a manager's home lists (the queue has them all)


def tools_for(user) -> list[dict]:
    """The pages beside this one that the user's role may use: the service navigation's items
    (``nwd.web.navigation``), with what each is for; pages not built yet are left out.

    The items are the menu's own (``navigation.allowed_items``: the role-level ``has_perm`` of each,
    worked out once a process per ``user_key``), their addresses reversed once (``nwd.web.html.links``)."""
    tools = []
    link_to = links()
    for item in navigation.allowed_items(user):
        if item.url_name == "home":
            continue
        try:
            url = link_to(item.url_name)
        except NoReverseMatch:
            continue
        tools.append({"url": url, "text": item.label, "description": item.description[:1].upper() + item.description[1:] + "."})
    return tools


def waiting_caption(shown: int, total: int) -> str:
    """The caption of the referrals waiting on a manager's home: how many of how many, when not all."""
    if shown < total:
        return f"The {shown} most urgent of {total} referrals waiting for a decision"
    return "Referrals waiting for a decision"


def _own_hub_among(user, hubs: list) -> None:
    """The user's hub, when among ``hubs`` just read (a manager's bed boards), as ``user.hub``: the page
    names it and reads its young people and alerts, and would otherwise read it again."""
    if user.hub_id is None or User.hub.is_cached(user):
        return
    own = next((hub for hub in hubs if hub.pk == user.hub_id), None)
    if own is not None:
        user.hub = own


def _sees_childrens_home_alerts(user, role) -> bool:
    """Whether the home shows the hub's children's home records due (issue 15, ``nwd.safeguarding``):
    a hub manager's restraint sign-offs, notifications and return interviews."""
    return role == Role.HUB_MANAGER and bool(user.hub_id) and user.has_perm("safeguarding.record", user.hub)


@signed_in
def home(request):
    user = request.user
    today = dates.today()
    role = user.role
    context = {"today": today, "tools": tools_for(user), "role": role}
    listed = []
    alerts_at = None  # when a hub manager's children's home alerts are read: the moment they look back from
    if role in (Role.KEY_WORKER, Role.RESIDENTIAL_WORKER, Role.PORTFOLIO_LEAD):
        # The user's own list: its query compiled once a process for what their identity scope
        # depends on (``nwd.casework.prepared``; the same key as ``nwd.access.relations``'s answers).
        reader = ("visible_young_people", user.pk, role, user.hub_id, user.agency, user.organisation, user.is_active)
        context["mine"] = queries.my_young_people_for_home(
            user, lambda: scopes.visible_young_people(user), reader, today, within=IDENTITY
        )
        listed += context["mine"]
        if role == Role.RESIDENTIAL_WORKER and user.hub_id:
            people = scopes.visible_young_people(user)
            context["in_beds"] = queries.hub_young_people(user.hub, people, today, in_bed_only=True, viewer=user, within=IDENTITY)
            listed += context["in_beds"]
        if role == Role.PORTFOLIO_LEAD and user.hub_id:
            # The hub's most urgent young people, the rest a link away (``nwd.web.pages.hub``).
            people = scopes.visible_young_people(user)
            context["hub_people"], context["hub_capped"] = hub_list.on_home(
                queries.hub_young_people(user.hub, people, today, viewer=user, within=IDENTITY))
            listed += context["hub_people"]
        template = "web/home/key_worker.html"
    elif role in (Role.HUB_MANAGER, Role.SERVICE_MANAGER):
        # The lists chosen by the user's scopes alone are compiled once a process for what the
        # scopes depend on (``nwd.casework.prepared.kept``), the scopes built only then, the rows
        # read on every request.
        reader = user_key(user)
        context["boards"] = hub_queries.bed_boards(
            lambda: scopes.hubs(user, BED_BOARD), today,
            read=lambda name, build, moments: prepared.kept_at(("home bed boards", name, reader), build, moments))
        boarded = [board.hub for board in context["boards"]]
        # The hubs whose caseloads the user sees are those whose bed boards they see, when each
        # permission reaches every hub the other does (``policy.reaches``: a hub manager's own hub,
        # a service manager's every hub): read once.
        same_hubs = reaches(user, CASELOADS, BED_BOARD) and reaches(user, BED_BOARD, CASELOADS)
        context["caseloads"] = queries.caseloads_by_hub(lambda: scopes.hubs(user, CASELOADS), reader=reader,
                                                        hubs_read=boarded if same_hubs else None)
        _own_hub_among(user, boarded)
        # The reads that need nothing read before them (the queue's two, the hub's young people, the
        # children's home alerts'), sent to the database together (``prepared.ahead``: one round trip
        # on PostgreSQL rather than one each); the modules' own calls below take their rows.
        to_decide = lambda: scopes.referrals_to_decide(user)  # noqa: E731
        awaiting_decision = lambda: scopes.young_people_awaiting_decision(user)  # noqa: E731
        reads = [referral_queue.most_urgent_read(to_decide, awaiting_decision, WAITING_ON_HOME, reader),
                 referral_queue.awaiting_support_read(to_decide, reader)]
        if role == Role.HUB_MANAGER and user.hub_id:
            reads.append(hub_list.hub_young_people_read(user, user.hub, today, reader))
        if _sees_childrens_home_alerts(user, role):
            alerts_at = timezone.now()
            reads += childrens_home.hub_alert_reads(user.hub_id, alerts_at).values()
        with prepared.ahead(reads):
            # The queue's most urgent and oldest, the rest on the queue's page (a home page costs the
            # same however long the queue): only those shown are audited.
            context["waiting"], context["waiting_total"] = referral_queue.most_urgent_waiting(
                to_decide, awaiting_decision, WAITING_ON_HOME, today, reader=reader)
            context["waiting_caption"] = waiting_caption(len(context["waiting"]), context["waiting_total"])
            context["awaiting_support"] = referral_queue.awaiting_support(to_decide, reader=reader)
            if role == Role.HUB_MANAGER and user.hub_id:
                # The hub's own young people: chosen by the plan's reach (their hub), so the plan and
                # contact alerts need no second filter (a manager's identity scope adds the queue). The
                # most urgent are shown, the rest a link away (``nwd.web.pages.hub``); only those shown
                # are audited.
                context["hub_people"], context["hub_capped"] = hub_list.on_home(
                    hub_list.hub_young_people(user, user.hub, today, reader))
                listed += context["hub_people"]
            if alerts_at is not None:
                context["childrens_home_alerts"] = childrens_home.hub_alerts(user.hub, alerts_at)
        listed += [r.young_person for r in context["waiting"] + context["awaiting_support"]]
        template = "web/home/manager.html"
    elif role in SPECIALIST_ROLES:
        context["mine"] = queries.young_people_drawn_in_for(user, scopes.visible_young_people(user), today, viewer=user, within=IDENTITY)
        listed += context["mine"]
        template = "web/home/specialist.html"
    elif role == Role.POLICE_LIAISON:
        people = scopes.young_people(user, "events.view_police_shared")
        context["missing"] = queries.search_missing_now(people, today, viewer=user, within="events.view_police_shared")
        listed += context["missing"]
        template = "web/home/police.html"
    elif role == Role.PARTNER_REFERRER:
        context["referrals"] = named(user, list(
            scopes.visible_referrals(user).select_related("young_person").order_by("-received", "-pk")[:50]
        ))
        listed += [r.young_person for r in context["referrals"]]
        template = "web/home/partner.html"
    else:
        template = "web/home/tools.html"
    # The children's home records due (issue 15, nwd.safeguarding): the hub manager's restraint
    # sign-offs, notifications and return interviews; a key worker's return interviews.
    # (A hub manager's are read with the rest of the managers' home, above.)
    if role in (Role.KEY_WORKER, Role.RESIDENTIAL_WORKER, Role.PORTFOLIO_LEAD):
        context["childrens_home_alerts"] = childrens_home.key_worker_alerts(user)
    if listed:
        audit.record_rows(request, listed, Action.LIST, detail="home page")
    return render(request, template, context)
