"""Reads of the hubs' children's home records that pages and the command share: what is due, what
is overdue, and Ofsted's counts for a period.

Deadlines (each from the event; a step done at the deadline itself is in time, a minute after is late):

- regulation 35: the record written within 24 hours; the registered manager's signed record of
  speaking to the staff member within 48 hours; someone has spoken to the young person within 5 days;
- regulation 40: each body the event's kind names told within ``NWD_REG40_NOTIFY_HOURS`` (default
  24: "without delay" made a number);
- return home interviews: offered within 72 hours of the young person's return.

Alerts look back ``ALERT_DAYS`` (a step still undone after that is for the records, not the home page).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet, prefetch_related_objects
from django.urls import reverse
from django.utils import timezone

from nwd.casework import prepared
from nwd.casework.models import KeyWorkerAllocation, YoungPerson
from nwd.core import windows
from nwd.events.models import ExploitationConcern, ExploitationKind, MissingEpisode, MissingKind
from nwd.hubs.models import Hub, Stay
from nwd.safeguarding.models import (
    INTERVIEW_WITHIN,
    STAFF_DEBRIEF_WITHIN,
    WRITE_WITHIN,
    YOUNG_PERSON_WITHIN,
    Body,
    Notification,
    RestraintRecord,
    ReturnInterview,
    when,
)

if TYPE_CHECKING:
    from nwd.access.models import User

ALERT_DAYS = 90
RED, YELLOW = "red", "yellow"


@dataclass(frozen=True)
class Alert:
    text: str
    colour: str  # a govuk-tag modifier
    url: str
    person: str = ""


def notify_within() -> dt.timedelta:
    return dt.timedelta(hours=settings.NWD_REG40_NOTIFY_HOURS)


def overdue(done_at: dt.datetime | None, due: dt.datetime, now: dt.datetime) -> bool:
    """A step not done by its deadline (done at the deadline itself is in time)."""
    return done_at is None and now > due


def late(done_at: dt.datetime | None, due: dt.datetime) -> bool:
    return done_at is not None and done_at > due


def restraint_steps(record: RestraintRecord) -> list[tuple[str, dt.datetime, dt.datetime | None]]:
    """The three steps of a restraint record: (what, due, done)."""
    at = record.occurred_at
    return [("Restraint record written", at + WRITE_WITHIN, record.written_at),
            ("Manager's talk with the staff member signed", at + STAFF_DEBRIEF_WITHIN, record.staff_spoken_at),
            ("Talk with the young person confirmed", at + YOUNG_PERSON_WITHIN, record.young_person_spoken_at)]


def restraint_pending(records: QuerySet[RestraintRecord], now: dt.datetime) -> QuerySet[RestraintRecord]:
    """Restraint records of the last ``ALERT_DAYS`` with a step still to do (the alerts' and the worklist's)."""
    return _restraint_since(records, _alert_since(now))


def _alert_since(now: dt.datetime) -> dt.datetime:
    return now - dt.timedelta(days=ALERT_DAYS)


def _restraint_since(records: QuerySet[RestraintRecord], since: dt.datetime) -> QuerySet[RestraintRecord]:
    return records.filter(occurred_at__gte=since).filter(
        Q(written_at__isnull=True) | Q(staff_spoken_at__isnull=True) | Q(young_person_spoken_at__isnull=True))


def restraint_alerts(records: QuerySet[RestraintRecord], now: dt.datetime | None = None) -> list[Alert]:
    now = now or timezone.now()
    return _restraint_alerts_of(restraint_pending(records, now).select_related("young_person"), now)


def _restraint_alerts_of(records: Iterable[RestraintRecord], now: dt.datetime) -> list[Alert]:
    found = []
    for record in records:
        url = reverse("safeguarding:restraint", kwargs={"pk": record.pk})
        for what, due, done in restraint_steps(record):
            if done is None:
                colour = RED if overdue(done, due, now) else YELLOW
                state = "overdue" if colour == RED else "due"
                found.append(Alert(f"{what}: {state} {when(due)}", colour, url, record.young_person.full_name))
    return found


def notification_due(notification: Notification) -> dt.datetime:
    """When every body the notification's kind names must have been told."""
    return notification.event_at + notify_within()


def untold(notifications: QuerySet[Notification], now: dt.datetime) -> list[tuple[Notification, list[str]]]:
    """Notifications of the last ``ALERT_DAYS`` with bodies not yet told, and which (the alerts' and the worklist's)."""
    return _untold_of(_notifications_since(notifications, _alert_since(now)).prefetch_related("recipients"))


def _notifications_since(notifications: QuerySet[Notification], since: dt.datetime) -> QuerySet[Notification]:
    return notifications.filter(event_at__gte=since).select_related("young_person")


def _untold_of(notifications: Iterable[Notification]) -> list[tuple[Notification, list[str]]]:
    """``untold`` of notifications read with their recipients."""
    found = []
    for notification in notifications:
        told = {r.body for r in notification.recipients.all()}
        missing = [b for b in notification.required_bodies() if b not in told]
        if missing:
            found.append((notification, missing))
    return found


def notification_alerts(notifications: QuerySet[Notification], now: dt.datetime | None = None) -> list[Alert]:
    now = now or timezone.now()
    return _notification_alerts_of(untold(notifications, now), now)


def _notification_alerts_of(untold_ones: list[tuple[Notification, list[str]]], now: dt.datetime) -> list[Alert]:
    found = []
    for notification, missing in untold_ones:
        due = notification_due(notification)
        colour = RED if overdue(None, due, now) else YELLOW
        labels = ", ".join(str(Body(b).label) for b in missing)
        found.append(Alert(f"{notification.get_kind_display()}: not yet told {labels} "
                           f"({'overdue' if colour == RED else 'due'} {when(due)})", colour,
                           reverse("safeguarding:notification", kwargs={"pk": notification.pk}),
                           notification.young_person.full_name))
    return found


def _staying(hub_id: int) -> Exists:
    """The episode's young person was staying in the hub on the day they went."""
    return Exists(Stay.objects.filter(bed__hub_id=hub_id, young_person=OuterRef("young_person_id"),
                                      admitted__lte=OuterRef("started_at")).filter(
        Q(discharged__isnull=True) | Q(discharged__gt=OuterRef("started_at"))))


def episodes_at(hub: Hub | int) -> QuerySet[MissingEpisode]:
    """Missing episodes of young people supported by the hub or staying in it when they went (whose
    return interviews the hub sees to)."""
    hub_id = hub if isinstance(hub, int) else hub.pk
    return MissingEpisode.objects.filter(Q(involvement__hub_id=hub_id) | Q(_staying(hub_id)))


def episodes_from(hub: Hub) -> QuerySet[MissingEpisode]:
    """Missing episodes from the home: young people staying in it on the day they went (Ofsted's count)."""
    return MissingEpisode.objects.filter(_staying(hub.pk))


def interview_due(episode: MissingEpisode) -> dt.datetime:
    """When the return interview must have been offered: 72 hours after the return."""
    assert episode.ended_at is not None  # only returns are due an interview
    return episode.ended_at + INTERVIEW_WITHIN


def awaiting_interview(episodes: QuerySet[MissingEpisode], now: dt.datetime) -> QuerySet[MissingEpisode]:
    """Returns of the last ``ALERT_DAYS`` with no return interview offered yet (the alerts' and the worklist's)."""
    return _awaiting_interview_since(episodes, _alert_since(now))


def _awaiting_interview_since(episodes: QuerySet[MissingEpisode], since: dt.datetime) -> QuerySet[MissingEpisode]:
    return (episodes.filter(ended_at__isnull=False, ended_at__gte=since)
            .exclude(Exists(ReturnInterview.objects.filter(missing_episode=OuterRef("pk")))))


def _interviews_listed(episodes: QuerySet[MissingEpisode]) -> QuerySet[MissingEpisode]:
    return episodes.select_related("young_person", "involvement").order_by("ended_at")


def interview_alerts(episodes: QuerySet[MissingEpisode], now: dt.datetime | None = None,
                     hub_id: int | None = None) -> list[Alert]:
    """Returns with no return interview offered yet (due 72 hours after the return)."""
    now = now or timezone.now()
    return _interview_alerts_of(_interviews_listed(awaiting_interview(episodes, now)), now)


def _interview_alerts_of(waiting: Iterable[MissingEpisode], now: dt.datetime) -> list[Alert]:
    found = []
    for episode in waiting:
        due = interview_due(episode)
        colour = RED if overdue(None, due, now) else YELLOW
        found.append(Alert(f"Return interview: {'overdue' if colour == RED else 'offer by'} {when(due)}", colour,
                           reverse("safeguarding:episode", kwargs={"pk": episode.pk}), episode.young_person.full_name))
    return found


def unnotified(hub: Hub, now: dt.datetime | None = None) -> list[Alert]:
    """Notifiable events with no notification raised: exploitation concerns of child sexual
    exploitation, and the local additions (NWD_REG40_LOCAL_EVENTS), of the hub's young people."""
    now = now or timezone.now()
    kinds = _local_kinds()
    return _unnotified_of(_unnotified_concerns(hub, _alert_since(now).date()),
                          _unnotified_episodes(hub, _local_since(now), kinds) if kinds else None)


def _local_since(now: dt.datetime) -> dt.datetime:
    return now - dt.timedelta(days=14)


def _local_kinds() -> list[str]:
    """The missing episodes' kinds the local additions (NWD_REG40_LOCAL_EVENTS) make notifiable."""
    return [k for k, name in ((MissingKind.MISSING, "missing"), (MissingKind.AWAY, "away"))
            if name in settings.NWD_REG40_LOCAL_EVENTS]


def _unnotified_concerns(hub: Hub | int, since: dt.date) -> QuerySet[ExploitationConcern]:
    return (ExploitationConcern.objects.filter(kind=ExploitationKind.SEXUAL, raised_on__gte=since,
                                               young_person__in=young_people_at(hub))
            .exclude(Exists(Notification.objects.filter(exploitation_concern=OuterRef("pk"))))
            .select_related("young_person"))


def _unnotified_episodes(hub: Hub | int, since: dt.datetime, kinds: list[str]) -> QuerySet[MissingEpisode]:
    return (episodes_at(hub).filter(kind__in=kinds, started_at__gte=since)
            .exclude(Exists(Notification.objects.filter(missing_episode=OuterRef("pk"))))
            .select_related("young_person"))


def _unnotified_of(concerns: Iterable[ExploitationConcern], episodes: Iterable[MissingEpisode] | None) -> list[Alert]:
    """``unnotified``'s alerts of the concerns and (with local additions) the episodes read."""
    found = []
    for concern in concerns:
        found.append(Alert(f"Sexual exploitation concern raised {concern.raised_on:%d/%m/%Y}: not yet notified",
                           RED, reverse("safeguarding:raise_from_concern", kwargs={"pk": concern.pk}),
                           concern.young_person.full_name))
    if episodes is not None:
        for episode in episodes:
            found.append(Alert(f"{episode}: not yet notified (local addition)", YELLOW,
                               reverse("safeguarding:raise_from_episode", kwargs={"pk": episode.pk}),
                               episode.young_person.full_name))
    return found


def hub_of_event(event: Any) -> Hub | None:
    """The hub an event belongs to: the hub of the involvement it was recorded in, else the hub the
    young person was staying in on the day."""
    if event.involvement_id:
        hub: Hub = event.involvement.hub
        return hub
    day = getattr(event, "raised_on", None) or getattr(event, "occurred_on", None) or event.started_at.date()
    stay = (Stay.objects.filter(young_person_id=event.young_person_id, admitted__lte=day)
            .filter(Q(discharged__isnull=True) | Q(discharged__gt=day)).select_related("bed__hub").first())
    return stay.bed.hub if stay else None


def young_people_at(hub: Hub | int) -> QuerySet[YoungPerson]:
    """Young people supported by the hub or who have stayed in it."""
    return YoungPerson.objects.filter(Q(involvements__hub=hub) | Q(stays__bed__hub=hub)).distinct()


def hub_alert_reads(hub_id: int, now: dt.datetime) -> dict[str, prepared.KeptAt]:
    """The queries ``hub_alerts(hub, now)`` reads, by name, with their keys: a page may send them with
    its other reads (``prepared.ahead``: the hub manager's home).

    Each query is compiled once a process for the hub (``prepared.kept_at``), with the time it
    looks back from (``ALERT_DAYS``, the local additions' 14 days) bound on each call, and that
    time's day written in as a constant (``nwd.core.windows``: PostgreSQL then plans it once a
    connection rather than on every request), so the day is in the key."""
    kinds = _local_kinds()

    def read(name: str, build: Callable[[Any], QuerySet[Any]], field: str, moment: prepared.Moment) -> prepared.KeptAt:
        bound = windows.day_floor(moment)
        return prepared.KeptAt(("children's home alerts", name, hub_id, tuple(kinds), bound),
                               lambda at: build(at).filter(windows.not_before(field, bound)), (moment,))

    since = _alert_since(now)
    reads = {
        "restraint": read("restraint", lambda at: _restraint_since(
            RestraintRecord.objects.filter(hub_id=hub_id), at).select_related("young_person"), "occurred_at", since),
        "notifications": read("notifications", lambda at: _notifications_since(
            Notification.objects.filter(hub_id=hub_id), at), "event_at", since),
        "concerns": read("concerns", lambda day: _unnotified_concerns(hub_id, day), "raised_on", since.date()),
        "interviews": read("interviews", lambda at: _interviews_listed(
            _awaiting_interview_since(episodes_at(hub_id), at)), "ended_at", since),
    }
    if kinds:
        reads["episodes"] = read("episodes", lambda at: _unnotified_episodes(hub_id, at, kinds), "started_at",
                                 _local_since(now))
    return reads


def hub_alerts(hub: Hub, now: dt.datetime | None = None) -> list[Alert]:
    """What the hub manager must act on: restraint steps, notifications, return interviews."""
    now = now or timezone.now()
    reads = hub_alert_reads(hub.pk, now)

    def read(name: str) -> list[Any]:
        return prepared.kept_at(*reads[name])

    found = _restraint_alerts_of(read("restraint"), now)
    notifications = read("notifications")
    prefetch_related_objects(notifications, "recipients")
    found += _notification_alerts_of(_untold_of(notifications), now)
    found += _unnotified_of(read("concerns"), read("episodes") if "episodes" in reads else None)
    found += _interview_alerts_of(read("interviews"), now)
    return sorted(found, key=lambda a: a.colour != RED)


def key_worker_alerts(user: User, now: dt.datetime | None = None) -> list[Alert]:
    """Return interviews due for the young people the user is the current key worker of."""
    now = now or timezone.now()

    since = _alert_since(now)
    bound = windows.day_floor(since)

    def build(pk: int, since: dt.datetime) -> QuerySet[MissingEpisode]:
        mine = KeyWorkerAllocation.objects.filter(key_worker_id=pk, end__isnull=True,
                                                  involvement__young_person=OuterRef("young_person_id"))
        return (_awaiting_interview_since(MissingEpisode.objects.filter(Exists(mine)), since)
                .filter(windows.not_before("ended_at", bound))
                .select_related("young_person", "involvement").order_by("ended_at"))

    # ``interview_alerts`` of the user's young people's returns: the query compiled once a process
    # (every key worker's home page asks it) and run with the user's id and this moment's window,
    # whose day is written in (``nwd.core.windows``: planned once a connection), so in the key.
    waiting = prepared.rows_since(("home", "return interviews", bound), build, user.pk, since)
    return _interview_alerts_of(waiting, now)


# Ofsted's counts ------------------------------------------------------------------------------


@dataclass
class OfstedCounts:
    hub: str
    start: dt.date
    end: dt.date
    figures: dict[str, int] = field(default_factory=dict)

    LABELS = {
        "admitted": "Children admitted", "left": "Children who left", "resident": "Children resident",
        "restraints": "Restraints and other measures", "restraint_children": "Children restrained",
        "missing": "Missing episodes", "missing_children": "Children missing",
        "away": "Away without authorisation episodes", "away_children": "Children away without authorisation",
        "cse_children": "Children at risk of sexual exploitation",
        "notifications": "Regulation 40 notifications", "interviews_in_time": "Return interviews offered within 72 hours",
    }

    def rows(self) -> list[tuple[str, int]]:
        return [(self.LABELS[key], self.figures[key]) for key in self.LABELS]

    def as_json(self) -> dict[str, Any]:
        return {"hub": self.hub, "from": self.start.isoformat(), "to": self.end.isoformat(), **self.figures}


def _bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The period as datetimes: from the start of ``start`` to the end of ``end`` (half-open)."""
    first = timezone.make_aware(dt.datetime.combine(start, dt.time()))
    return first, timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time()))


def stays_in(hub: Hub, start: dt.date, end: dt.date) -> QuerySet[Stay]:
    """The hub's stays that share a day with the period (stays are half-open: [admitted, discharged))."""
    return Stay.objects.filter(bed__hub=hub, admitted__lte=end).filter(
        Q(discharged__isnull=True) | Q(discharged__gt=start))


def period_records(hub: Hub, start: dt.date, end: dt.date) -> dict[str, Any]:
    """The period's records behind the counts (the PDF lists them)."""
    first, last = _bounds(start, end)
    episodes = episodes_from(hub).filter(started_at__gte=first, started_at__lt=last)
    resident = stays_in(hub, start, end).values("young_person_id")
    return {
        "stays": stays_in(hub, start, end).select_related("young_person", "bed").order_by("admitted"),
        "restraints": RestraintRecord.objects.filter(hub=hub, occurred_at__gte=first, occurred_at__lt=last)
        .select_related("young_person", "staff_signed_by").order_by("occurred_at"),
        "episodes": episodes.select_related("young_person", "return_interview").order_by("started_at"),
        "concerns": ExploitationConcern.objects.filter(kind=ExploitationKind.SEXUAL, young_person_id__in=resident,
                                                       raised_on__lte=end)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gte=start)).select_related("young_person"),
        "notifications": Notification.objects.filter(hub=hub, event_at__gte=first, event_at__lt=last)
        .select_related("young_person").prefetch_related("recipients").order_by("event_at"),
    }


def ofsted_counts(hub: Hub, start: dt.date, end: dt.date) -> OfstedCounts:
    """Ofsted's counts for the hub over ``start`` to ``end`` (both days included).

    Admitted and left: stays admitted or discharged in the period; resident: children with a stay
    sharing a day with it. Missing and away: episodes started in the period by children staying in
    the hub on the day they went. Sexual exploitation: children resident in the period with a
    concern of child sexual exploitation open at some time in it.
    """
    records = period_records(hub, start, end)
    stays = stays_in(hub, start, end)
    restraints = records["restraints"]
    episodes = records["episodes"]
    missing = episodes.filter(kind=MissingKind.MISSING)
    away = episodes.filter(kind=MissingKind.AWAY)
    in_time = [e for e in episodes.filter(ended_at__isnull=False)
               if hasattr(e, "return_interview") and e.return_interview.offered_at <= e.ended_at + INTERVIEW_WITHIN]
    figures = {
        "admitted": Stay.objects.filter(bed__hub=hub, admitted__gte=start, admitted__lte=end)
        .values("young_person_id").distinct().count(),
        "left": Stay.objects.filter(bed__hub=hub, discharged__gte=start, discharged__lte=end)
        .values("young_person_id").distinct().count(),
        "resident": stays.values("young_person_id").distinct().count(),
        "restraints": restraints.count(),
        "restraint_children": restraints.values("young_person_id").distinct().count(),
        "missing": missing.count(),
        "missing_children": missing.values("young_person_id").distinct().count(),
        "away": away.count(),
        "away_children": away.values("young_person_id").distinct().count(),
        "cse_children": records["concerns"].values("young_person_id").distinct().count(),
        "notifications": records["notifications"].count(),
        "interviews_in_time": len(in_time),
    }
    return OfstedCounts(hub=hub.name, start=start, end=end, figures=figures)
