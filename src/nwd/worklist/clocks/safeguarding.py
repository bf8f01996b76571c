"""Safeguarding's clocks (regulations 35 and 40, return home interviews), over ``nwd.safeguarding.queries``'
deadlines, the same ones its alerts use (nothing re-derived here):

- Return interview: a return with no interview offered raises a task for the young person's key
  worker (else the manager of the hub the episode belongs to), due by the 72 hours' deadline.
- Restraint, the registered manager's signed talk with the staff member (48 hours): the manager of
  the restraint's hub.
- Restraint, someone spoke to the young person (5 days): their key worker, else the hub manager.
- Regulation 40: a notification with a body the event's kind names not yet told: the hub manager,
  due by ``NWD_REG40_NOTIFY_HOURS`` after the event.

The deadlines are datetimes, the clocks run on days: a clock run on ``today`` sees the records as of
the end of that day; a task is raised from the day of the event (the home page's alert shows it from
then), and its due date is the deadline's day in local time (a step done at the deadline itself is in
time, so the task is overdue from the next day, as the alert turns red a minute after it). Recording
the step (the interview offered, the talk, every body told) closes the task. Like the alerts, the
clocks look back ``ALERT_DAYS``: a step still undone after that is for the records, and its task closes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.utils import timezone

from nwd.events.models import MissingEpisode
from nwd.safeguarding import queries
from nwd.safeguarding.models import Body, Notification, RestraintRecord, when
from nwd.worklist.clocks import Due, clock
from nwd.worklist.clocks.casework import _deciders, _key_workers


def end_of(today: dt.date) -> dt.datetime:
    """The moment ``today`` ends (local time): the clocks see the records as of then."""
    return timezone.make_aware(dt.datetime.combine(today + dt.timedelta(days=1), dt.time()))


def due_day(deadline: dt.datetime) -> dt.date:
    """A datetime deadline as a task's due date: its day, in local time."""
    return timezone.localdate(deadline)


@clock("return-interview", description="A return home interview to offer within 72 hours of the return: the key "
       "worker's task (else the hub manager's).", met="The return interview was offered.")
def return_interviews(today: dt.date) -> Iterator[Due]:
    now = end_of(today)
    workers = _key_workers()
    managers, _ = _deciders()
    episodes = (queries.awaiting_interview(MissingEpisode.objects.filter(ended_at__lt=now), now)
                .select_related("young_person", "involvement__hub").order_by("ended_at", "pk"))
    for episode in episodes:
        owner = workers.get(episode.young_person_id)
        if owner is None:
            hub = queries.hub_of_event(episode)
            owner = managers.get(hub.pk) if hub is not None else None
        if owner is None:
            continue
        deadline = queries.interview_due(episode)
        yield Due(key=f"return-interview:{episode.pk}", title="Offer the return home interview", owner=owner,
                  due=due_day(deadline), young_person=episode.young_person,
                  details=f"Back from a missing episode; the interview is offered within 72 hours: by {when(deadline)}.")


def _restraints(today: dt.date) -> Iterator[tuple[RestraintRecord, list[tuple[str, dt.datetime, dt.datetime | None]]]]:
    now = end_of(today)
    records = RestraintRecord.objects.filter(occurred_at__lt=now)
    for record in queries.restraint_pending(records, now).select_related("young_person").order_by("occurred_at", "pk"):
        yield record, queries.restraint_steps(record)


@clock("restraint-staff-talk", description="A restraint's 48 hours: the hub manager's signed record of speaking to "
       "the staff member.", met="The manager's talk with the staff member is signed.")
def restraint_staff_talks(today: dt.date) -> Iterator[Due]:
    managers, _ = _deciders()
    for record, (_, (what, deadline, done), _) in _restraints(today):
        owner = managers.get(record.hub_id)
        if done is not None or owner is None:
            continue
        yield Due(key=f"restraint-staff-talk:{record.pk}", title="Sign the talk with the staff member after a restraint",
                  owner=owner, due=due_day(deadline), young_person=record.young_person,
                  details=f"Regulation 35: {what.lower()} within 48 hours of the restraint, by {when(deadline)}.")


@clock("restraint-young-person-talk", description="A restraint's 5 days: someone speaks to the young person (the "
       "key worker's task, else the hub manager's).", met="The talk with the young person is confirmed.")
def restraint_young_person_talks(today: dt.date) -> Iterator[Due]:
    workers = _key_workers()
    managers, _ = _deciders()
    for record, (_, _, (what, deadline, done)) in _restraints(today):
        owner = workers.get(record.young_person_id) or managers.get(record.hub_id)
        if done is not None or owner is None:
            continue
        yield Due(key=f"restraint-young-person-talk:{record.pk}", title="Speak to the young person after a restraint",
                  owner=owner, due=due_day(deadline), young_person=record.young_person,
                  details=f"Regulation 35: {what.lower()} within 5 days of the restraint, by {when(deadline)}.")


@clock("reg40-notification", description="A regulation 40 notification with a body not yet told: the hub "
       "manager's task.", met="Every body the notification names has been told.")
def notifications(today: dt.date) -> Iterator[Due]:
    now = end_of(today)
    managers, _ = _deciders()
    for notification, missing in queries.untold(Notification.objects.filter(event_at__lt=now).order_by("event_at", "pk"), now):
        owner = managers.get(notification.hub_id)
        if owner is None:
            continue
        deadline = queries.notification_due(notification)
        labels = ", ".join(str(Body(b).label) for b in missing)
        yield Due(key=f"reg40-notification:{notification.pk}", title=f"Notify: {notification.get_kind_display()}",
                  owner=owner, due=due_day(deadline), young_person=notification.young_person,
                  details=f"Regulation 40: not yet told {labels}; due by {when(deadline)}.")
