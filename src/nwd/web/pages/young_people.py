"""The young person's page, its timeline, what is shared with police, and the plan as a PDF."""

from __future__ import annotations

from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.text import slugify

from nwd.access import policy, scopes
from nwd.access import queries as access_queries
from nwd.access.decorators import from_url, requires
from nwd.access.models import Action
from nwd.access.policy import RULES
from nwd.access.relations import ALL
from nwd.casework import prepared, queries
from nwd.casework.models import Contact, Involvement, SignificantPerson, YoungPerson
from nwd.casework.plan_reviews import plan_reviews
from nwd.casework.timeline import KIND_LABELS, PAGE_SIZE
from nwd.codelists import codes
from nwd.core import dates
from nwd.events.models import EETStatus
from nwd.homes import queries as homes_queries
from nwd.hubs.models import Hub, Stay
from nwd.placements import queries as placement_queries
from nwd.safeguarding.models import Notification as Regulation40
from nwd.web.pages.common import Allowed, is_htmx
from nwd.web.templatetags.nwd_records import NOTIFY_ROUTES
from nwd.worklist.models import Notification as WorklistNotification

PERSON = from_url(YoungPerson, "young_person_id")
POLICE_KINDS = ("missing", "police", "exploitation")


def _offset(request) -> int:
    try:
        return max(0, min(int(request.GET.get("offset", 0)), 100_000))
    except ValueError:
        return 0


def _may(user, data, allowed: Allowed) -> dict[str, bool]:
    """The changes to support the user may make from this page (each asked of its own record: the
    involvement's and the stay's only where the page would offer them), and the page's links."""
    involvement, stay = data.involvement, data.stay
    is_open = involvement is not None and involvement.is_open
    asked = ["casework.allocate_key_worker", "casework.close_involvement", *(["hubs.admit"] if stay is None else [])]
    of_support = policy.answers(user, involvement, asked) if is_open else {}
    return {
        "reallocate": of_support.get("casework.allocate_key_worker", False),
        "admit": of_support.get("hubs.admit", False),
        "discharge": stay is not None and policy.answers(user, stay, ["hubs.discharge"])["hubs.discharge"],
        "close": of_support.get("casework.close_involvement", False),
        "viewed_by": allowed.may("access.view_access_log"),
        "history": allowed.may("access.view_record_history"),
        "data_protection": allowed.may("casework.rectify_identity"),
        # Documents and the chronology (nwd.documents, issue 16).
        "documents": allowed.may("documents.view_documents"),
        "chronology": allowed.may("documents.chronology"),
        "meetings": allowed.may("worklist.view_meetings"),  # issue 16
    }


def who_ends_support(may: dict[str, bool], data) -> list | None:
    """The hub managers to ask, when the support is open and the user may not end it or discharge from
    the bed (the policy keeps both with the hub manager: nwd.access.policy, casework.close_involvement);
    None when there is nothing to ask."""
    involvement = data.involvement
    if involvement is None or not involvement.is_open or (may["close"] and (data.stay is None or may["discharge"])):
        return None
    return access_queries.hub_managers(involvement.hub_id)


def _their_hubs(person_id: int):
    """The hubs of the young person's involvements and stays (withdrawn ones too, as the joins
    ``involvements__young_person`` and ``beds__stays__young_person`` read them), each found by its
    index: the two outer joins of every hub to every involvement and stay, ORed, cost ~15 ms of
    PostgreSQL's CPU a page at scale 10; this costs ~0.2 ms."""
    return Hub.objects.filter(
        Q(pk__in=Involvement._base_manager.filter(young_person_id=person_id).values("hub_id"))
        | Q(pk__in=Stay._base_manager.filter(young_person_id=person_id).values("bed__hub_id"))
    )


def may_notify(user, person) -> bool:
    """Whether the user may raise a regulation 40 notification at a hub of the young person (one query;
    the notification's page asks again of the event's own hub)."""
    question = _notify_question(user, person.pk)
    if isinstance(question, bool):
        return question
    return bool(prepared.rows(*question))


def _notify_question(user, person_id: int) -> bool | prepared.Query:
    """``may_notify``: its answer, or the query that answers it (a row: yes) when that query depends on
    nothing of the user, so that the page sends it with its others (``prepared.together``)."""
    if not user.has_perm("safeguarding.record"):
        return False
    if RULES["safeguarding.record"].where(user) is ALL:
        # At every hub (the service manager): whether the young person has a hub at all, a query that
        # depends on nothing of the user, compiled once a process (``nwd.casework.prepared``).
        return (("page", "has a hub"), _has_a_hub, person_id)
    return scopes.hubs(user, "safeguarding.record", _their_hubs(person_id)).exists()


def _has_a_hub(person_id: int):
    return _their_hubs(person_id).order_by("pk").only("pk")[:1]


# The event each regulation 40 notification was raised from, by its column, and the timeline's kind of it.
_NOTIFIED_FROM = {"police_contact_id": "police", "health_event_id": "health",
                  "exploitation_concern_id": "exploitation", "missing_episode_id": "missing"}


def _notified_events(person_id: int):
    """The events of the young person a regulation 40 notification was raised from (not withdrawn)."""
    return Regulation40.objects.filter(young_person_id=person_id).order_by().values(*_NOTIFIED_FROM)


def _network(person_id: int):
    return SignificantPerson.objects.filter(young_person_id=person_id, ended_on__isnull=True)


def _unread_of(user_id: int):
    """The header's count of the user's unread notifications (``nwd.web.context``'s ``nwd_unread``),
    as a query that goes with the page's others: one row with the count, or none for none."""
    return (WorklistNotification.objects.filter(user_id=user_id, read_at__isnull=True).order_by()
            .values("user_id").annotate(n=Count("pk")).values("n"))


def page_context(request, person, allowed: Allowed, police_view: bool = False, daily_log: bool = False,
                 header: bool = False) -> dict:
    """Everything the young person's page (or the police view of it) shows, read in a fixed number of queries.

    ``daily_log``: the whole page, whose daily-log section (``{% homes_person_log %}``) is given the
    young person's stay read with the page's other queries, when the user may read the log.
    ``header``: the whole page, whose header's count of unread notifications is read with them too
    (the context processor's ``nwd_unread``, which would ask it alone while the template renders)."""
    kinds = tuple(k for k in allowed.kinds if not police_view or k in POLICE_KINDS)
    asked = [k for k in request.GET.getlist("kind") if k in kinds]
    sections = set() if police_view else allowed.sections
    user = policy.unwrapped(request.user)  # not the lazy request.user: read some hundred times a page
    # The network and the regulation 40 check, where they are queries of a fixed shape, are sent with
    # the page's own (one round trip on PostgreSQL).
    notify = _notify_question(user, person.pk)
    also: list[prepared.Query] = [(("page", "network"), _network, person.pk)] if "network" in sections else []
    if not isinstance(notify, bool):
        also.append(notify)
    # The timeline offers to raise a notification from an event only once: those raised are read too.
    reads_notified = notify is not False and any(kind in NOTIFY_ROUTES for kind in (asked or kinds))
    if reads_notified:
        also.append(prepared.Values(("page", "notified"), _notified_events, person.pk))
    reads_log = daily_log and not police_view and allowed.may("homes.view_daily_log")
    if reads_log:
        also.append(homes_queries.current_stay_query(person.pk, dates.today()))
    counts_unread = header and user.has_perm("worklist.use_worklist")  # as nwd.web.context._unread
    if counts_unread:
        also.append(prepared.Values(("page", "unread"), _unread_of, user.pk))
    # Placements the law forbids or with a provider of concern (issue 18), beside the care history:
    # their two queries go with the rest too.
    flags_made = None
    if "placement" in allowed.kinds and not police_view:
        flag_queries, flags_made = placement_queries.flagged_reading(dates.today(), person.pk)
        also += flag_queries
    # The person's and the contacts' queries are compiled once a process for what the user's
    # scope of contact notes depends on (``nwd.casework.prepared``); the alerts are kept by the
    # user's answers about this young person (``allowed.may``, asked once a request).
    data = queries.young_person_page(
        person.pk, kinds=kinds, sections=sections, offset=_offset(request), limit=PAGE_SIZE,
        shown=asked or kinds, viewer=user,
        within="events.view_police_shared" if police_view else "casework.view_young_person",
        may=allowed.may,
        contacts_for=(lambda pk: scopes.visible_contacts(user, Contact.objects.filter(young_person_id=pk)))
        if "contact" in kinds else None,
        reader=("visible_contacts", user.pk, user.role, user.hub_id, user.agency, user.organisation, user.is_active),
        also=also,
    )
    # In the order asked: the network, the regulation 40 check and the events notified, the stay,
    # the unread count, the placements' flags.
    also_read = iter(data.also)
    network = next(also_read) if "network" in sections else None
    notifies = notify if isinstance(notify, bool) else bool(next(also_read))
    notified = {(kind, row[column]) for row in next(also_read) for column, kind in _NOTIFIED_FROM.items()
                if row[column] is not None} if reads_notified else set()
    stays = next(also_read) if reads_log else False
    unread = next(also_read) if counts_unread else []
    placement_flags = flags_made(also_read) if flags_made is not None else []
    may = _may(user, data, allowed) if not police_view else {}
    context = {
        "person": data.person,
        "eet_label": dict(EETStatus.choices).get(data.person.eet_status, ""),
        "ethnicity_label": codes.label("ETHNIC", data.person.ethnicity),
        "may": may,
        "ask_to_end": who_ends_support(may, data) if may else None,
        "data": data,
        "allowed": allowed,
        "police_view": police_view,
        # Regulation 40 (issue 15): raise a notification from a police contact, a health event, an
        # exploitation concern or a missing episode on the timeline.
        "may_notify": notifies,
        "notified": notified,  # (kind, id) of the timeline's events a notification was raised from
        # The daily log's section (``nwd.homes``): its stay, read with the rest, or False (not shown).
        "daily_log": stays,
        "kind_choices": [(k, KIND_LABELS[k], data.counts.get(k, 0), (k in asked)) for k in kinds],
        "filtered": bool(asked) and set(asked) != set(kinds),
        "asked": asked,
        "today": dates.today(),
        # Placements the law forbids or with a provider of concern (issue 18), beside the care history.
        "placement_flags": placement_flags,
        # The people around the young person (issue 16): one query, when the section is shown.
        "network": network,
    }
    if header:  # what the context processor's would be: none for a user without the worklist
        context["nwd_unread"] = (unread[0]["n"] if unread else 0) if counts_unread else None
    return context


@requires("casework.view_young_person", record=PERSON)
def young_person(request, young_person_id: int):
    allowed = Allowed(request.user, request.record)
    timeline_only = is_htmx(request) and request.headers.get("HX-Target") == "timeline"
    context = page_context(request, request.record, allowed, daily_log=not timeline_only, header=not timeline_only)
    if timeline_only:
        return render(request, "web/young_people/_timeline.html", context)
    return render(request, "web/young_people/page.html", context)


@requires("casework.view_identity", "events.view_police_shared", record=PERSON)
def shared_with_police(request, young_person_id: int):
    """The police liaison officer's view: minimum identity, missing episodes, police contacts, exploitation."""
    allowed = Allowed(request.user, request.record)
    context = page_context(request, request.record, allowed, police_view=True)
    if is_htmx(request) and request.headers.get("HX-Target") == "timeline":
        return render(request, "web/young_people/_timeline.html", context)
    return render(request, "web/young_people/police.html", context)


@requires("casework.view_young_person", "casework.view_plan", record=PERSON, audit_as=Action.DOWNLOAD)
def plan_pdf(request, young_person_id: int):
    """The plan in its six areas, as a PDF to print or take to a meeting (WeasyPrint)."""
    from weasyprint import HTML

    data = queries.young_person_page(request.record.pk, kinds=(), sections={"support", "plan", "team"}, limit=0,
                                     viewer=request.user, within="casework.view_young_person")
    html = render_to_string("web/young_people/plan_pdf.html", {"person": data.person, "data": data, "today": dates.today(),
                                                               "reviews": plan_reviews(data.plan)}, request=request)
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    name = slugify(f"plan {data.person.child_id} {dates.today():%Y-%m-%d}")
    response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    return response
