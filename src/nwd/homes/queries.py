"""Reads of the home's records: the alerts of the clocks, the daily log and handovers of a stay, and the
admission register built from the hubs' stays and care episodes (never typed twice)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import OuterRef, Q, QuerySet, Subquery

from nwd.care.models import CareEpisode
from nwd.casework import prepared
from nwd.casework.queries.caseloads import Scope, built
from nwd.codelists import codes
from nwd.homes import deadlines
from nwd.homes.models import Action, Handover, IndependentVisit, LogEntry, QualityReview
from nwd.hubs.models import Hub, Stay

LOG_DAYS = 14  # the daily log page shows the last fortnight; the change history keeps the rest


@dataclass(frozen=True)
class Alert:
    """A step of the regulations that is overdue (red) or falls due soon (orange), for the hub manager."""

    hub: Hub
    text: str
    colour: str
    url_name: str
    pk: int | None = None


@dataclass(frozen=True)
class Clocks:
    """Where a hub stands on its regulation 44 and 45 clocks on ``today``."""

    last_visit: dt.date | None
    visit_due: dt.date
    last_review: dt.date | None
    review_due: dt.date
    unsent: list[tuple[QualityReview, dt.date]] = field(default_factory=list)
    overdue_actions: list[Action] = field(default_factory=list)


def clocks(hub: Hub, today: dt.date) -> Clocks:
    last_visit = IndependentVisit.objects.filter(hub=hub, visited_on__lte=today).order_by("-visited_on") \
        .values_list("visited_on", flat=True).first()
    last_review = QualityReview.objects.filter(hub=hub, reviewed_on__lte=today).order_by("-reviewed_on") \
        .values_list("reviewed_on", flat=True).first()
    unsent = [(review, deadlines.send_by(review.reviewed_on))
              for review in QualityReview.objects.filter(hub=hub, sent_to_ofsted__isnull=True).order_by("reviewed_on")]
    return Clocks(last_visit, deadlines.visit_due(last_visit, hub.opened), last_review,
                  deadlines.review_due(last_review, hub.opened), unsent, list(overdue_actions(hub, today)))


def overdue_actions(hub: Hub, today: dt.date) -> QuerySet[Action]:
    return (Action.objects.filter(Q(visit__hub=hub) | Q(review__hub=hub), done_on__isnull=True, due__lt=today)
            .select_related("owner", "visit", "review").order_by("due", "pk"))


def clocks_of(hubs: Scope, today: dt.date, reader: Hashable = None) -> list[tuple[Hub, Clocks]]:
    """``clocks`` of several hubs in three queries whatever their number (the home page's alerts).

    With ``reader`` (everything ``hubs`` depends on: the user's ``nwd.access.relations.user_key`` for
    their scope) the three queries are compiled once a process (``nwd.casework.prepared.kept``): the
    hubs' for the reader and the day, the reports' and actions' for the hubs found and the day;
    ``hubs`` may then be a function that builds the scope, called only when it is compiled."""

    def hub_rows() -> QuerySet[Hub]:
        visits = IndependentVisit.objects.filter(hub=OuterRef("pk"), visited_on__lte=today) \
            .order_by("-visited_on").values("visited_on")[:1]
        reviews = QualityReview.objects.filter(hub=OuterRef("pk"), reviewed_on__lte=today) \
            .order_by("-reviewed_on").values("reviewed_on")[:1]
        hub_scope: QuerySet[Hub] = built(hubs)
        return hub_scope.annotate(nwd_last_visit=Subquery(visits), nwd_last_review=Subquery(reviews))

    def unsent_reviews() -> QuerySet[QualityReview]:
        return QualityReview.objects.filter(hub_id__in=ids, sent_to_ofsted__isnull=True).order_by("reviewed_on")

    def open_actions() -> QuerySet[Action]:
        return (Action.objects.filter(Q(visit__hub_id__in=ids) | Q(review__hub_id__in=ids), done_on__isnull=True,
                                      due__lt=today)
                .select_related("owner", "visit", "review").order_by("due", "pk"))

    def read(name: str, key: Hashable, query: Callable[[], QuerySet[Any]]) -> list[Any]:
        return list(query()) if reader is None else prepared.kept(("regulation 44 and 45 clocks", name, key, today), query)

    rows = read("hubs", reader, hub_rows)
    ids = [hub.pk for hub in rows]
    unsent: dict[int, list[tuple[QualityReview, dt.date]]] = defaultdict(list)
    for review in read("unsent", tuple(ids), unsent_reviews):
        unsent[review.hub_id].append((review, deadlines.send_by(review.reviewed_on)))
    actions: dict[int, list[Action]] = defaultdict(list)
    for action in read("actions", tuple(ids), open_actions):
        for hub_id in {report.hub_id for report in (action.visit, action.review) if report is not None} & set(ids):
            actions[hub_id].append(action)
    return [(hub, Clocks(hub.nwd_last_visit, deadlines.visit_due(hub.nwd_last_visit, hub.opened),
                         hub.nwd_last_review, deadlines.review_due(hub.nwd_last_review, hub.opened),
                         unsent[hub.pk], actions[hub.pk])) for hub in rows]


def alerts(hub: Hub, today: dt.date) -> list[Alert]:
    """What the hub manager must act on: overdue visits and reviews, reports not sent to Ofsted within
    28 days (and those due within the week), and overdue actions."""
    return alerts_from(hub, clocks(hub, today), today)


def alerts_of(hubs: Scope, today: dt.date, reader: Hashable = None) -> list[Alert]:
    """``alerts`` of several hubs in a fixed number of queries (``reader``: as for ``clocks_of``)."""
    return [alert for hub, state in clocks_of(hubs, today, reader) for alert in alerts_from(hub, state, today)]


def alerts_from(hub: Hub, state: Clocks, today: dt.date) -> list[Alert]:
    found: list[Alert] = []
    if deadlines.overdue(state.visit_due, today):
        found.append(Alert(hub, f"Independent person's visit (regulation 44) overdue since "
                           f"{state.visit_due:%d/%m/%Y}", "red", "homes:reports"))
    if deadlines.overdue(state.review_due, today):
        found.append(Alert(hub, f"Quality of care review (regulation 45) overdue since "
                           f"{state.review_due:%d/%m/%Y}", "red", "homes:reports"))
    for review, send_by in state.unsent:
        if deadlines.overdue(send_by, today):
            found.append(Alert(hub, f"Regulation 45 report of {review.reviewed_on:%d/%m/%Y} not sent to Ofsted: "
                               f"it was due by {send_by:%d/%m/%Y}", "red", "homes:review", review.pk))
        elif (send_by - today).days <= deadlines.SEND_SOON_DAYS:
            found.append(Alert(hub, f"Regulation 45 report of {review.reviewed_on:%d/%m/%Y} to send to Ofsted by "
                               f"{send_by:%d/%m/%Y}", "orange", "homes:review", review.pk))
    for action in state.overdue_actions:
        report = action.visit or action.review
        url_name = "homes:visit" if action.visit_id else "homes:review"
        found.append(Alert(hub, f"Action overdue since {action.due:%d/%m/%Y} ({action.owner}): "
                           f"{action.recommendation[:80]}", "red", url_name, report.pk if report else None))
    return found


def open_stays(hub: Hub, today: dt.date) -> QuerySet[Stay]:
    return (Stay.objects.filter(bed__hub=hub, admitted__lte=today)
            .filter(Q(discharged__isnull=True) | Q(discharged__gt=today))
            .select_related("young_person", "bed"))


def _stays_on(young_person_id: int, today: dt.date) -> QuerySet[Stay]:
    return (Stay.objects.filter(young_person_id=young_person_id, admitted__lte=today)
            .filter(Q(discharged__isnull=True) | Q(discharged__gt=today))
            .select_related("bed__hub", "young_person"))


def current_stay(young_person_id: int, today: dt.date) -> Stay | None:
    """The young person's stay in a hub on ``today`` (the latest admitted), or None. The young person's
    page asks it on every view: its query is built and compiled once a process and day
    (``nwd.casework.prepared``); ``[:1]`` of the model's ordering is what ``first()`` reads."""
    stay: Stay | None = prepared.first(*current_stay_query(young_person_id, today))
    return stay


def current_stay_query(young_person_id: int, today: dt.date) -> prepared.Query:
    """``current_stay``'s query, for a page that sends it with its others (``prepared.together``: the
    young person's page); its rows are ``[stay]`` or ``[]``."""
    return (("homes", "current_stay", today), lambda pk: _stays_on(pk, today)[:1], young_person_id)


def recent_log(stay: Stay, today: dt.date, days: int = LOG_DAYS) -> QuerySet[LogEntry]:
    since = today - dt.timedelta(days=days)
    return stay.log_entries.filter(at__date__gte=since).select_related("recorded_by").order_by("-at")


def latest_handovers(stay_ids: list[int], compiled: bool = False) -> dict[int, Handover]:
    """The latest handover of each stay (by shift date, then the later shift).

    Only the handovers of each stay's latest shift date are read (at most one a shift): a long stay
    has three a day, and the bed board made a model instance of every one to keep the last.
    ``compiled``: the query's SQL compiled once a process for as many stays (``prepared.rows_among``).
    """
    order = {"early": 0, "late": 1, "night": 2}
    latest: dict[int, Handover] = {}
    found = (prepared.rows_among(("homes", "latest handovers"), _latest_handovers, stay_ids, prepared.size_for(stay_ids))
             if compiled else _latest_handovers(stay_ids))
    for handover in found:
        held = latest.get(handover.stay_id)
        if held is None or (handover.on, order[handover.shift]) > (held.on, order[held.shift]):
            latest[handover.stay_id] = handover
    return latest


def _latest_handovers(stay_ids: list[int]) -> QuerySet[Handover]:
    last_day = Handover.objects.filter(stay_id=OuterRef("stay_id")).order_by("-on").values("on")[:1]
    return (Handover.objects.filter(stay_id__in=stay_ids, on=Subquery(last_day)).select_related("recorded_by")
            .order_by("stay_id", "-on"))


@dataclass(frozen=True)
class RegisterRow:
    """One admission in the register: the stay, and what the care record says of it."""

    stay: Stay
    placing_authority: str
    legal_basis: str
    legal_status: str

    @property
    def cells(self) -> list[object]:
        person = self.stay.young_person
        return [person.child_id, person.full_name, person.date_of_birth, self.stay.bed.label, self.stay.admitted,
                self.stay.discharged, self.stay.get_destination_display() if self.stay.discharged else "",
                self.placing_authority, self.legal_status, self.legal_basis]


REGISTER_HEADER = ["Child id", "Name", "Date of birth", "Bed", "Admitted", "Left", "Went to", "Placing authority",
                   "Legal status (LS)", "Legal basis"]
NOT_LOOKED_AFTER = "Not looked after: no care episode covers the admission"


def admission_register(hub: Hub, start: dt.date, end: dt.date) -> list[RegisterRow]:
    """Every admission to the hub and its leaving, for stays that touch ``start`` to ``end``: dates
    from the stay, the legal basis from the care episode linked to the stay (or the young person's
    episode covering the admission day), and the placing authority for a looked-after child."""
    stays = list(Stay.objects.filter(bed__hub=hub, admitted__lte=end)
                 .filter(Q(discharged__isnull=True) | Q(discharged__gte=start))
                 .select_related("young_person", "bed").order_by("admitted", "pk"))
    episodes: dict[int, list[CareEpisode]] = defaultdict(list)
    for episode in CareEpisode.objects.filter(young_person_id__in={s.young_person_id for s in stays}) \
            .order_by("decom"):
        episodes[episode.young_person_id].append(episode)
    rows = []
    for stay in stays:
        theirs = episodes.get(stay.young_person_id, [])
        linked = [e for e in theirs if e.stay_id == stay.pk]
        covering = linked or [e for e in theirs if e.decom <= stay.admitted and (e.dec is None or e.dec > stay.admitted)]
        if covering:
            ls = covering[0].ls
            rows.append(RegisterRow(stay, settings.NWD_PLACING_AUTHORITY, codes.label("LS", ls), ls))
        else:
            rows.append(RegisterRow(stay, "", NOT_LOOKED_AFTER, ""))
    return rows
