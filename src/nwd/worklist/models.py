"""Tasks and reminders, notifications and each person's choice of email, multi-agency meetings.

- A ``Task`` has an owner, a due date, the young person it is about (where it is about one) and a
  source: set by hand, raised by a clock (``nwd.worklist.clocks``), or an action of a meeting. A
  clock's task carries the clock's name and the key of the condition it stands for (the plan and
  its due date, the referral), unique together, so running the clocks twice raises nothing twice.
- A ``Notification`` tells one person of something (a task assigned, an emergency referral, a young
  person they support referred again, a missing episode); ``EmailChoice`` says whether they also
  want it by email. An email holds a reference and a link, nothing about the young person.
- A ``Meeting`` about a young person: its kind, attendees (staff, and outside professionals by name
  and agency), the young person's view, the decisions; its actions are tasks.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from nwd.core import dates
from nwd.core.models import Recorded
from nwd.core.validation import Errors
from nwd.worklist.choices import MeetingKind, NotificationKind, Source, State

USER = settings.AUTH_USER_MODEL


class Meeting(Recorded):
    young_person = models.ForeignKey("casework.YoungPerson", on_delete=models.PROTECT, related_name="meetings")
    kind = models.CharField(max_length=12, choices=MeetingKind.choices)
    held_on = models.DateField("held on")
    chair = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    young_persons_view = models.TextField(
        "the young person's view", blank=True,
        help_text="What the young person said, in their words, or why their view was not heard.")
    decisions = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.held_on:%d/%m/%Y}"

    def clean(self) -> None:
        errors = Errors()
        errors.check(dates.not_in_future, self.held_on, "The meeting date", field="held_on")
        if not self.young_persons_view.strip():
            errors.add("young_persons_view", "Record the young person's view, or why it was not heard at this meeting.")
        if not self.decisions.strip():
            errors.add("decisions", "Record what the meeting decided (write 'no decisions' if it made none).")
        errors.raise_if_any()


class Attendee(Recorded):
    """One person at a meeting: a member of staff, or an outside professional named with their agency."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendees")
    staff = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=120, blank=True, help_text="An outside professional's name.")
    agency = models.CharField(max_length=120, blank=True, help_text="Their agency: school, police, health...")

    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(staff__isnull=False) | ~Q(name=""), name="attendee_staff_or_named",
                violation_error_message="Name the outside professional, or choose a member of staff."),
        ]

    def __str__(self) -> str:
        return str(self.staff) if self.staff_id else f"{self.name} ({self.agency})"

    def clean(self) -> None:
        errors = Errors()
        if self.staff_id is None:
            if not self.name.strip():
                errors.add("name", "Name the outside professional, or choose a member of staff.")
            if not self.agency.strip():
                errors.add("agency", "Say which agency the outside professional is from.")
        elif self.name or self.agency:
            errors.add("name", "A member of staff is named by their account: leave the name and agency empty.")
        errors.raise_if_any()


class Task(Recorded):
    title = models.CharField(max_length=200)
    details = models.TextField(blank=True)
    owner = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="tasks")
    hub = models.ForeignKey("hubs.Hub", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                            help_text="The hub whose manager sees the task: the owner's, else the young person's.")
    young_person = models.ForeignKey("casework.YoungPerson", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="tasks")
    due = models.DateField("due on")
    source = models.CharField(max_length=8, choices=Source.choices, default=Source.HAND)
    clock = models.CharField(max_length=40, blank=True, help_text="The clock that raised it.")
    clock_key = models.CharField(max_length=120, blank=True,
                                 help_text="What the clock's condition is about (the plan and its due date...).")
    meeting = models.ForeignKey(Meeting, null=True, blank=True, on_delete=models.PROTECT, related_name="actions")
    state = models.CharField(max_length=8, choices=State.choices, default=State.OPEN)
    completed_on = models.DateField(null=True, blank=True)
    completed_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    outcome = models.TextField(blank=True, help_text="What was done, or why the task is no longer needed.")

    history = HistoricalRecords()

    # Set by the pages on the rows they show (not stored): the young person if the viewer may see who
    # they are, and whether the task is overdue today.
    person: object = None
    is_overdue: bool = False

    class Meta:
        ordering = ["due", "pk"]
        indexes = [models.Index(fields=["owner", "state", "due"]), models.Index(fields=["hub", "state", "due"])]
        constraints = [
            models.UniqueConstraint(fields=["clock", "clock_key"], condition=~Q(clock=""),
                                    name="task_one_per_clock_condition",
                                    violation_error_message="The clock has already raised this task."),
            models.CheckConstraint(condition=Q(state="open") | Q(completed_on__isnull=False),
                                   name="task_finished_has_a_date",
                                   violation_error_message="Say when the task was done."),
        ]

    def __str__(self) -> str:
        return f"T-{int(self.pk or 0):06d}: {self.title}"

    @property
    def reference(self) -> str:
        return f"T-{int(self.pk or 0):06d}"

    def overdue(self, today=None) -> bool:
        return self.state == State.OPEN and self.due < (today or dates.today())

    def clean(self) -> None:
        errors = Errors()
        if not self.title.strip():
            errors.add("title", "Say what needs doing.")
        owner = self.owner if self.owner_id else None
        if owner is not None and not owner.is_active:
            errors.add("owner", f"{owner} no longer has an account that is in use: choose someone else.")
        if self.source == Source.CLOCK and not (self.clock and self.clock_key):
            errors.add("clock", "A task raised by a clock names the clock and its condition.")
        if self.source != Source.CLOCK and self.clock:
            errors.add("clock", "Only a task raised by a clock names a clock.")
        if self.source == Source.MEETING and self.meeting_id is None:
            errors.add("meeting", "An action from a meeting names the meeting.")
        if self.meeting is not None and self.young_person_id != self.meeting.young_person_id:
            errors.add("young_person", "A meeting's action is about the young person the meeting was about.")
        if self.source == Source.HAND and self._state.adding and self.due and self.due < dates.today():
            errors.add("due", "The due date must be today or later.")
        if self.state == State.OPEN:
            if self.completed_on is not None:
                errors.add("state", "An open task has no completion date.")
        else:
            if self.completed_on is None:
                errors.add("completed_on", "Say when the task was done.")
            else:
                errors.check(dates.not_in_future, self.completed_on, "The day the task was done", field="completed_on")
            if self.state == State.CLOSED and not self.outcome.strip():
                errors.add("outcome", "Say why the task is no longer needed.")
        errors.raise_if_any()


class Notification(models.Model):
    """Something one person is told, in the platform (and by email if they choose)."""

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=20, choices=NotificationKind.choices)
    reference = models.CharField(max_length=20, help_text="The record's reference: T-000012, R-000034...")
    text = models.CharField(max_length=200, help_text="What happened, without the young person's details.")
    link = models.CharField(max_length=200, help_text="The page to open (a path on this site).")
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed = models.BooleanField(default=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return f"{self.reference}: {self.text}"

    def clean(self) -> None:
        errors = Errors()
        if not self.link.startswith("/"):
            errors.add("link", "A notification links to a page of this service.")
        if not self.text.strip():
            errors.add("text", "Say what the notification is about.")
        errors.raise_if_any()


class EmailChoice(models.Model):
    """Whether a person wants a kind of notification by email too (without a row: yes)."""

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="email_choices")
    kind = models.CharField(max_length=20, choices=NotificationKind.choices)
    email = models.BooleanField(default=True)

    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="email_choice_once_per_kind",
                                               violation_error_message="This choice is already recorded.")]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_kind_display()} by email {'yes' if self.email else 'no'}"

    def clean(self) -> None:
        if self.email and self.user_id and not self.user.email:
            raise ValidationError(
                {"email": "Your account has no email address: ask the service's support team to add one."})
