"""Changes to tasks, notifications, email choices and meetings: each in one transaction, each record
through its rules (``save_valid``). The history of every change is kept by simple-history and its
audit line written from its signal (``nwd.access.signals``), so reassigning and completing a task
are in the task's history and the audit log with who did them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from nwd.core import dates
from nwd.core.services import save_valid
from nwd.core.validation import Errors
from nwd.worklist import emails
from nwd.worklist.choices import NotificationKind, Source, State
from nwd.worklist.models import Attendee, EmailChoice, Meeting, Notification, Task

if TYPE_CHECKING:
    from nwd.access.models import User
    from nwd.casework.models import YoungPerson
    from nwd.hubs.models import Hub


def hub_for(owner: User, young_person: YoungPerson | None) -> Hub | None:
    """The hub whose manager sees a task: the owner's, else the hub supporting the young person now."""
    if owner.hub_id is not None:
        return owner.hub
    if young_person is not None:
        involvement = young_person.involvements.filter(end__isnull=True).select_related("hub").first()
        if involvement is not None:
            return involvement.hub
    return None


# --------------------------------------------------------------------------------------------
# Notifications
# --------------------------------------------------------------------------------------------


def wants_email(user: User, kind: str) -> bool:
    """Does ``user`` want ``kind`` by email? Yes unless they said no, and only with an address."""
    if not user.email or not user.is_active:
        return False
    choice = EmailChoice.objects.filter(user=user, kind=kind).values_list("email", flat=True).first()
    return True if choice is None else bool(choice)


def notify(user: User, kind: str, *, reference: str, text: str, link: str, email: bool = True) -> Notification:
    """Tell ``user`` in the platform, and queue the email if they want it (``email=False``: another
    path sends it). Called inside the transaction that records what happened, so nothing is told of
    a change that was not saved."""
    with transaction.atomic():
        notification = save_valid(Notification(user=user, kind=kind, reference=reference, text=text, link=link))
        if email and wants_email(user, kind):
            notification.emailed = True
            save_valid(notification)
            emails.queue(notification)
    return notification


@transaction.atomic
def mark_read(notification: Notification, *, by: User) -> Notification:
    if notification.user_id != by.pk:
        raise ValidationError("Only the person told can mark a notification read.")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        save_valid(notification, by=by)
    return notification


@transaction.atomic
def mark_all_read(user: User) -> int:
    """Mark every unread notification of ``user`` read; returns how many."""
    count = 0
    for notification in Notification.objects.filter(user=user, read_at__isnull=True).select_for_update():
        mark_read(notification, by=user)
        count += 1
    return count


@transaction.atomic
def set_email_choice(user: User, *, kind: str, email: bool, by: User) -> EmailChoice:
    choice = EmailChoice.objects.filter(user=user, kind=kind).first() or EmailChoice(user=user, kind=kind)
    choice.email = email
    return save_valid(choice, by=by)


def _tell_owner(task: Task, by: User | None) -> None:
    if by is not None and task.owner_id == by.pk:
        return  # nobody is told of a task they gave themselves
    due = f"due {task.due:%d/%m/%Y}"
    notify(task.owner, NotificationKind.TASK_ASSIGNED, reference=task.reference,
           text=f"Task {task.reference} is assigned to you, {due}.", link=f"/tasks/{task.pk}/")


# --------------------------------------------------------------------------------------------
# Tasks
# --------------------------------------------------------------------------------------------


@transaction.atomic
def add_task(
    young_person: YoungPerson | None,
    *,
    title: str,
    owner: User,
    due: dt.date,
    details: str = "",
    by: User | None = None,
) -> Task:
    """A task set by hand: about a young person, or about none (``young_person=None``)."""
    task = save_valid(Task(title=title, details=details, owner=owner, due=due, young_person=young_person,
                           hub=hub_for(owner, young_person), source=Source.HAND), by=by)
    _tell_owner(task, by)
    return task


@transaction.atomic
def raise_clock_task(
    young_person: YoungPerson | None,
    *,
    clock: str,
    key: str,
    title: str,
    owner: User,
    due: dt.date,
    details: str = "",
    tell: bool = True,
) -> tuple[Task, bool]:
    """The clock's task for condition ``key``: the one already raised (open, done or closed), or a
    new one. Returns it and whether it is new; running a clock twice raises nothing twice."""
    found = Task.objects.filter(clock=clock, clock_key=key).first()
    if found is not None:
        return found, False
    task = save_valid(Task(title=title, details=details, owner=owner, due=due, young_person=young_person,
                           hub=hub_for(owner, young_person), source=Source.CLOCK, clock=clock, clock_key=key))
    if tell:
        _tell_owner(task, None)
    return task, True


@transaction.atomic
def close_met(clock: str, *, still_due: Iterable[str], on: dt.date | None = None, why: str) -> int:
    """Close the open tasks of ``clock`` whose condition is no longer due (met, or superseded by a
    later due date); returns how many. The history keeps each, with ``why``."""
    keep = set(still_due)
    count = 0
    for task in Task.objects.filter(clock=clock, state=State.OPEN).select_for_update():
        if task.clock_key in keep:
            continue
        task.state, task.completed_on, task.outcome = State.CLOSED, on or dates.today(), why
        save_valid(task)
        count += 1
    return count


@transaction.atomic
def complete_task(task: Task, *, outcome: str = "", on: dt.date | None = None, by: User) -> Task:
    """The task is done (by its owner, or a manager of its hub): the history says who and when."""
    task = Task.objects.select_for_update().get(pk=task.pk)
    if task.state != State.OPEN:
        raise ValidationError({"state": "This task is already finished."})
    task.state, task.completed_on, task.completed_by, task.outcome = State.DONE, on or dates.today(), by, outcome
    return save_valid(task, by=by)


@transaction.atomic
def reassign_task(task: Task, *, owner: User, by: User, due: dt.date | None = None) -> Task:
    """Give the task to someone else (and, optionally, a new due date): the new owner is told."""
    task = Task.objects.select_for_update().get(pk=task.pk)
    if task.state != State.OPEN:
        raise ValidationError({"owner": "A finished task cannot be reassigned."})
    if owner.pk == task.owner_id and (due is None or due == task.due):
        raise ValidationError({"owner": f"The task is already {owner}'s."})
    changed_owner = owner.pk != task.owner_id
    task.owner = owner
    task.hub = hub_for(owner, task.young_person) or task.hub
    if due is not None:
        if due < dates.today():
            raise ValidationError({"due": "The due date must be today or later."})
        task.due = due
    save_valid(task, by=by)
    if changed_owner:
        _tell_owner(task, by)
    return task


# --------------------------------------------------------------------------------------------
# Meetings
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Action:
    """An action agreed at a meeting: it becomes a task of ``owner``'s, due on ``due``."""

    title: str
    owner: User
    due: dt.date


@transaction.atomic
def record_meeting(
    young_person: YoungPerson,
    *,
    kind: str,
    held_on: dt.date,
    young_persons_view: str,
    decisions: str,
    staff: Sequence[User] = (),
    others: Sequence[tuple[str, str]] = (),
    actions: Sequence[Action] = (),
    chair: User | None = None,
    by: User | None = None,
) -> Meeting:
    """A meeting with its attendees and its actions, each action a task of its owner's. Every rule of
    every record is checked before any is written, so a refused meeting writes nothing."""
    meeting = Meeting(young_person=young_person, kind=kind, held_on=held_on, chair=chair,
                      young_persons_view=young_persons_view, decisions=decisions)
    errors = Errors()
    errors.check(meeting.full_clean)
    if not staff and not others:
        errors.add("attendees", "Say who was at the meeting.")
    for name, agency in others:
        errors.check(Attendee(name=name, agency=agency).clean, field="attendees")
    for action in actions:
        if not action.title.strip():
            errors.add("actions", "Say what each action is.")
        if action.due < held_on:
            errors.add("actions", f"The action '{action.title}' is due before the meeting was held.")
    errors.raise_if_any()
    save_valid(meeting, by=by)
    for user in staff:
        save_valid(Attendee(meeting=meeting, staff=user), by=by)
    for name, agency in others:
        save_valid(Attendee(meeting=meeting, name=name, agency=agency), by=by)
    for action in actions:
        task = save_valid(Task(title=action.title, owner=action.owner, due=action.due, young_person=young_person,
                               hub=hub_for(action.owner, young_person), source=Source.MEETING, meeting=meeting,
                               details=f"Agreed at the {meeting.get_kind_display().lower()} on {held_on:%d/%m/%Y}."),
                          by=by)
        _tell_owner(task, by)
    return meeting
