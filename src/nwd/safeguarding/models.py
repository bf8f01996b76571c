"""The records the Children's Homes (England) Regulations 2015 ask of each hub (issue 15, part).

- ``RestraintRecord``: each use of a measure of control, discipline or restraint (regulation 35),
  written within 24 hours; the registered manager's signed record of speaking to the staff member
  within 48 hours; confirmation of speaking to the young person within 5 days.
- ``Notification`` and ``NotificationRecipient``: a notifiable event (regulation 40), raised from the
  event that triggered it, and who was told when; the clock runs from the event.
- ``ReturnInterview``: the interview offered after every missing episode, within 72 hours of the return.
- ``InspectorGrant``: an inspector's read access to one hub's records, for a limited time.

The deadlines are worked out in ``nwd.safeguarding.queries``; the rules a practitioner meets are here.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import formats, timezone
from simple_history.models import HistoricalRecords

from nwd.core import dates
from nwd.core.models import Recorded
from nwd.core.validation import Errors

USER = settings.AUTH_USER_MODEL
HUB_MANAGER_ROLE = "hub_manager"  # nwd.access.roles.Role.HUB_MANAGER (access sits below, named here as casework's are)
INSPECTOR_ROLE = "inspector"  # nwd.access.roles.Role.INSPECTOR

WRITE_WITHIN = dt.timedelta(hours=24)
STAFF_DEBRIEF_WITHIN = dt.timedelta(hours=48)
YOUNG_PERSON_WITHIN = dt.timedelta(days=5)
INTERVIEW_WITHIN = dt.timedelta(hours=72)


def when(value: dt.datetime) -> str:
    return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")


class Measure(models.TextChoices):
    RESTRAINT = "restraint", "Restraint (physical intervention)"
    GUIDE = "guide", "Holding or guiding away (brief touch to prevent harm)"
    CONTROL = "control", "Measure of control or discipline (a sanction)"
    SEARCH = "search", "Search of the young person or their room"


class RestraintRecord(Recorded):
    """A measure of control, discipline or restraint used at a hub (regulation 35(3))."""

    hub = models.ForeignKey("hubs.Hub", on_delete=models.PROTECT, related_name="restraints")
    young_person = models.ForeignKey("casework.YoungPerson", on_delete=models.PROTECT, related_name="restraints")
    occurred_at = models.DateTimeField("when it happened")
    place = models.CharField("where it happened", max_length=120)
    led_to = models.TextField("what led to it", blank=True)
    measure = models.CharField("measure used", max_length=12, choices=Measure.choices)
    duration_minutes = models.PositiveIntegerField("how long it lasted (minutes)", null=True, blank=True)
    tried_first = models.TextField("what was tried first", blank=True)
    used_by = models.CharField("who used it", max_length=200)
    present = models.CharField("who else was present", max_length=200, blank=True)
    effect = models.TextField("its effect", blank=True)
    injury = models.BooleanField("anyone injured", default=False)
    injury_treatment = models.TextField("the injury and the treatment given", blank=True)
    written_at = models.DateTimeField("record written", null=True, blank=True)
    late_reason = models.TextField("why the record is late", blank=True)
    staff_spoken_at = models.DateTimeField("manager spoke to the staff member", null=True, blank=True)
    staff_signed_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                        verbose_name="signed by (registered manager)")
    staff_notes = models.TextField("what the manager and staff member said", blank=True)
    young_person_spoken_at = models.DateTimeField("someone spoke to the young person", null=True, blank=True)
    young_person_spoken_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT,
                                               related_name="+", verbose_name="spoken to by")
    young_person_view = models.TextField("what the young person said", blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-occurred_at"]
        indexes = [models.Index(fields=["hub", "occurred_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(written_at__isnull=True) | Q(written_at__gte=models.F("occurred_at")),
                                   name="restraint_written_not_before_event",
                                   violation_error_message="The record cannot be written before the event."),
        ]

    def __str__(self) -> str:
        return f"{self.get_measure_display()} on {dates.as_date(self.occurred_at):%d/%m/%Y}"

    def clean(self) -> None:
        errors = Errors()
        errors.check(dates.not_in_future, self.occurred_at, "The time it happened", field="occurred_at")
        errors.check(dates.not_in_future, self.written_at, "The time the record was written", field="written_at")
        errors.check(dates.not_in_future, self.staff_spoken_at, "The time the manager spoke to the staff member",
                     field="staff_spoken_at")
        errors.check(dates.not_in_future, self.young_person_spoken_at, "The time someone spoke to the young person",
                     field="young_person_spoken_at")
        if self.duration_minutes is not None and not 0 < self.duration_minutes <= 24 * 60:
            errors.add("duration_minutes", "Enter how long it lasted in minutes, from 1 to 1440 (a day).")
        if self.injury and not self.injury_treatment.strip():
            errors.add("injury_treatment", "Say who was injured, how, and the treatment given.")
        if self.written_at is not None:
            for name, label in (("led_to", "what led to it"), ("tried_first", "what was tried first"),
                                ("effect", "its effect")):
                if not getattr(self, name).strip():
                    errors.add(name, f"Say {label}: the regulation asks for it in the record.")
            if self.duration_minutes is None:
                errors.add("duration_minutes", "Enter how long it lasted, in minutes.")
        occurred = self.occurred_at
        if occurred is not None:
            if self.written_at is not None:
                if self.written_at < occurred:
                    errors.add("written_at", "The record cannot be written before the event.")
                elif self.written_at - occurred > WRITE_WITHIN and not self.late_reason.strip():
                    errors.add("late_reason", "The record is written more than 24 hours after the event: "
                               "say why it is late.")
            if self.staff_spoken_at is not None and self.staff_spoken_at < occurred:
                errors.add("staff_spoken_at", "The manager cannot speak to the staff member about it before it happened.")
            if self.young_person_spoken_at is not None and self.young_person_spoken_at < occurred:
                errors.add("young_person_spoken_at", "The young person cannot be spoken to about it before it happened.")
        if self.staff_spoken_at is not None:
            if self.written_at is None:
                errors.add("staff_spoken_at", "Write the record of the event before the manager signs it.")
            signer = self.staff_signed_by if self.staff_signed_by_id else None
            if signer is None:
                errors.add("staff_signed_by", "The registered manager signs the record of speaking to the staff member.")
            elif getattr(signer, "role", None) != HUB_MANAGER_ROLE or getattr(signer, "hub_id", None) != self.hub_id:
                errors.add("staff_signed_by", f"{signer} is not this home's registered manager (the hub manager): "
                           "only they sign the record of speaking to the staff member.")
            if not self.staff_notes.strip():
                errors.add("staff_notes", "Say what the manager and the staff member said.")
        if self.young_person_spoken_at is not None and not self.young_person_view.strip():
            errors.add("young_person_view", "Say what the young person said about it (or that they chose not to).")
        errors.raise_if_any()


class NotifiableKind(models.TextChoices):
    DEATH = "death", "Death of a child"
    SERIOUS_INJURY = "injury", "Serious injury or serious illness"
    CP_ENQUIRY = "cp_enquiry", "Child protection enquiry (section 47)"
    ALLEGATION = "allegation", "Allegation of abuse against the home or its staff"
    POLICE = "police", "Serious incident needing the police"
    CSE = "cse", "Child sexual exploitation, known or suspected"
    # Local additions (NWD_REG40_LOCAL_EVENTS): not named by the regulation, notified by local agreement.
    MISSING = "missing", "Missing from the home (local addition)"
    AWAY = "away", "Away without authorisation (local addition)"


class Body(models.TextChoices):
    OFSTED = "ofsted", "Ofsted (HMCI)"
    PLACING = "placing", "The placing authority"
    HOST = "host", "The local authority where the home is"
    POLICE = "police", "The police"
    ICB = "icb", "The integrated care board (health)"
    LADO = "lado", "The local authority designated officer (LADO)"


# Who must be told of each kind of event: Ofsted and the placing authority always, and the others by
# the event (the project's reading of regulation 40(4); docs/safeguarding.md).
REQUIRED_BODIES: dict[str, tuple[str, ...]] = {
    NotifiableKind.DEATH: (Body.OFSTED, Body.PLACING, Body.HOST, Body.ICB),
    NotifiableKind.SERIOUS_INJURY: (Body.OFSTED, Body.PLACING, Body.ICB),
    NotifiableKind.CP_ENQUIRY: (Body.OFSTED, Body.PLACING, Body.HOST),
    NotifiableKind.ALLEGATION: (Body.OFSTED, Body.PLACING, Body.LADO),
    NotifiableKind.POLICE: (Body.OFSTED, Body.PLACING, Body.HOST),
    NotifiableKind.CSE: (Body.OFSTED, Body.PLACING, Body.HOST, Body.POLICE),
    NotifiableKind.MISSING: (Body.OFSTED, Body.PLACING, Body.POLICE),
    NotifiableKind.AWAY: (Body.OFSTED, Body.PLACING),
}
LOCAL_KINDS = (NotifiableKind.MISSING, NotifiableKind.AWAY)


class Notification(Recorded):
    """A notifiable event (regulation 40): what happened, when (the clock), and what triggered it."""

    hub = models.ForeignKey("hubs.Hub", on_delete=models.PROTECT, related_name="notifications")
    young_person = models.ForeignKey("casework.YoungPerson", on_delete=models.PROTECT, related_name="notifications")
    kind = models.CharField(max_length=12, choices=NotifiableKind.choices)
    event_at = models.DateTimeField("when the event happened or came to light")
    summary = models.TextField("what happened")
    police_contact = models.ForeignKey("events.PoliceContact", null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="notifications")
    exploitation_concern = models.ForeignKey("events.ExploitationConcern", null=True, blank=True,
                                             on_delete=models.PROTECT, related_name="notifications")
    health_event = models.ForeignKey("events.HealthEvent", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="notifications")
    missing_episode = models.ForeignKey("events.MissingEpisode", null=True, blank=True, on_delete=models.PROTECT,
                                        related_name="notifications")

    history = HistoricalRecords()

    class Meta:
        ordering = ["-event_at"]
        indexes = [models.Index(fields=["hub", "event_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {dates.as_date(self.event_at):%d/%m/%Y}"

    @property
    def source(self):
        return self.police_contact or self.exploitation_concern or self.health_event or self.missing_episode

    def required_bodies(self) -> tuple[str, ...]:
        return REQUIRED_BODIES.get(self.kind, (Body.OFSTED, Body.PLACING))

    def clean(self) -> None:
        errors = Errors()
        errors.check(dates.not_in_future, self.event_at, "The time of the event", field="event_at")
        if not self.summary.strip():
            errors.add("summary", "Say what happened: the people told read it.")
        sources = [name for name in ("police_contact", "exploitation_concern", "health_event", "missing_episode")
                   if getattr(self, f"{name}_id")]
        if len(sources) > 1:
            errors.add(None, "A notification is raised from one event: choose one.")
        for name in sources:
            event = getattr(self, name)
            if self.young_person_id and event.young_person_id != self.young_person_id:
                errors.add(name, "The event is another young person's: raise the notification from their record.")
        if self.kind in LOCAL_KINDS and self.kind not in settings.NWD_REG40_LOCAL_EVENTS:
            errors.add("kind", f"'{self.get_kind_display()}' is not notified in this council "
                       "(NWD_REG40_LOCAL_EVENTS): choose a kind the regulation names.")
        errors.raise_if_any()


class NotificationRecipient(Recorded):
    """One body told of a notifiable event: who, when, by whom and how."""

    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="recipients")
    body = models.CharField("who was told", max_length=12, choices=Body.choices)
    told_at = models.DateTimeField("when they were told")
    told_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    how = models.CharField("how (and any reference)", max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["notification", "told_at"]
        constraints = [models.UniqueConstraint(fields=["notification", "body"], name="notification_body_once")]

    def __str__(self) -> str:
        return f"{self.get_body_display()} told {when(self.told_at)}"

    def clean(self) -> None:
        errors = Errors()
        errors.check(dates.not_in_future, self.told_at, "The time they were told", field="told_at")
        event_at = self.notification.event_at if self.notification_id else None
        if event_at is not None and self.told_at is not None and self.told_at < event_at:
            errors.add("told_at", f"Nobody can be told before the event ({when(event_at)}).")
        if self.notification_id and self.body and NotificationRecipient.objects.filter(
                notification_id=self.notification_id, body=self.body).exclude(pk=self.pk).exists():
            errors.add("body", f"{self.get_body_display()} is already recorded as told: correct that entry instead.")
        errors.raise_if_any()


class ReturnInterview(Recorded):
    """The return home interview after a missing episode: offered within 72 hours of the return."""

    missing_episode = models.OneToOneField("events.MissingEpisode", on_delete=models.PROTECT,
                                           related_name="return_interview")
    offered_at = models.DateTimeField("interview offered")
    held_at = models.DateTimeField("interview held", null=True, blank=True)
    declined = models.BooleanField("the young person declined", default=False)
    conducted_by = models.CharField("who did it (name and organisation)", max_length=200, blank=True)
    learnt = models.TextField("what was learnt (why they went, where, with whom, risks)", blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-offered_at"]

    def __str__(self) -> str:
        return f"Return interview offered {when(self.offered_at)}"

    def clean(self) -> None:
        errors = Errors()
        errors.check(dates.not_in_future, self.offered_at, "The time it was offered", field="offered_at")
        errors.check(dates.not_in_future, self.held_at, "The time it was held", field="held_at")
        episode = self.missing_episode if self.missing_episode_id else None
        if episode is not None:
            if episode.ended_at is None:
                errors.add("missing_episode", "Record the young person's return first: the interview follows it.")
            elif self.offered_at is not None and self.offered_at < episode.ended_at:
                errors.add("offered_at", f"The interview cannot be offered before the young person returned "
                           f"({when(episode.ended_at)}).")
        if self.held_at is not None:
            if self.offered_at is not None and self.held_at < self.offered_at:
                errors.add("held_at", "The interview cannot be held before it was offered.")
            if self.declined:
                errors.add("declined", "A declined interview was not held: untick 'declined', or clear when it was held.")
            if not self.conducted_by.strip():
                errors.add("conducted_by", "Say who did the interview (name and organisation).")
            if not self.learnt.strip():
                errors.add("learnt", "Say what was learnt: why they went, where, with whom, and any risks.")
        errors.raise_if_any()


class InspectorGrant(Recorded):
    """An inspector's read access to one hub's records, from ``starts`` until ``expires`` (then none)."""

    inspector = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="inspection_grants")
    hub = models.ForeignKey("hubs.Hub", on_delete=models.PROTECT, related_name="inspection_grants")
    starts = models.DateTimeField()
    expires = models.DateTimeField()
    reason = models.CharField("the inspection", max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-starts"]
        constraints = [
            models.CheckConstraint(condition=Q(expires__gt=models.F("starts")), name="inspector_grant_expires_after_start",
                                   violation_error_message="The access must end after it starts."),
        ]

    def __str__(self) -> str:
        return f"Inspection access to {self.hub} until {when(self.expires)}"

    def clean(self) -> None:
        errors = Errors()
        person = self.inspector if self.inspector_id else None
        if person is not None and getattr(person, "role", None) != INSPECTOR_ROLE:
            errors.add("inspector", f"{person} is not an inspector: only an inspector's account is given this access.")
        if self.starts and self.expires:
            if self.expires <= self.starts:
                errors.add("expires", "The access must end after it starts.")
            elif self.expires - self.starts > dt.timedelta(days=settings.NWD_INSPECTOR_GRANT_DAYS):
                errors.add("expires", f"An inspector's access lasts at most {settings.NWD_INSPECTOR_GRANT_DAYS} days "
                           "(NWD_INSPECTOR_GRANT_DAYS): give a new grant for a longer inspection.")
        if not self.reason.strip():
            errors.add("reason", "Say which inspection the access is for.")
        errors.raise_if_any()

    def is_current(self, at: dt.datetime | None = None) -> bool:
        at = at or timezone.now()
        return self.starts <= at < self.expires
