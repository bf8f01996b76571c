"""Dated events in a young person's life that the evaluation counts.

Missing episodes, police contacts and exploitation concerns are what the police liaison officer
may see; health events and substance use are not shared with police (see docs/permissions.md).
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils import formats, timezone
from simple_history.models import HistoricalRecords

from nwd.core import dates
from nwd.core.models import Recorded, Withdrawable
from nwd.core.validation import END_NOT_BEFORE_START, Errors

# Messages said in more than one place (the model's rules, the services, the pages), defined once.
RETURN_ALREADY_RECORDED = "The return from this episode is already recorded."
CONCERN_ALREADY_CLOSED = "This concern is already closed."


def already_missing(since: dt.datetime | None = None, until: dt.datetime | None = None) -> str:
    """The refusal of a missing episode while another covers the same time: with the other's times
    when they are known (the model's check), else for the open episode the service finds first."""
    if since is None:
        return "This young person is already recorded as missing: record their return first."
    until_text = "" if until is None else f" to {formats.date_format(timezone.localtime(until), 'DATETIME_FORMAT')}"
    return (f"This young person is already recorded as missing from {formats.date_format(timezone.localtime(since), 'DATETIME_FORMAT')}"
            f"{until_text}: record the return of that episode, or correct its times.")


class YoungPersonEvent(Withdrawable, Recorded):
    young_person = models.ForeignKey("casework.YoungPerson", on_delete=models.PROTECT, related_name="%(class)ss")
    involvement = models.ForeignKey(
        "casework.Involvement", null=True, blank=True, on_delete=models.PROTECT, related_name="%(class)ss"
    )

    class Meta:
        abstract = True


class DatedEvent(YoungPersonEvent):
    """An event of a kind on a day: a police contact, a health event."""

    occurred_on = models.DateField()
    summary = models.TextField(blank=True)

    class Meta:
        abstract = True
        ordering = ["-occurred_on"]
        indexes = [models.Index(fields=["young_person", "occurred_on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.occurred_on:%d/%m/%Y}"

    def clean(self) -> None:
        errors = Errors()
        errors.check(dates.not_in_future, self.occurred_on, "The date", field="occurred_on")
        errors.raise_if_any()


class MissingKind(models.TextChoices):
    MISSING = "M", "Missing"
    AWAY = "A", "Away without authorisation"


class MissingEpisode(YoungPersonEvent):
    """A missing or away-without-authorisation episode (MISSING in SSDA903), timed to the hour."""

    kind = models.CharField(max_length=1, choices=MissingKind.choices, default=MissingKind.MISSING)
    started_at = models.DateTimeField("went missing")
    ended_at = models.DateTimeField("returned", null=True, blank=True)
    reported_to_police = models.BooleanField(default=True)
    return_interview_offered = models.BooleanField(null=True, blank=True)
    return_interview_accepted = models.BooleanField(null=True, blank=True)
    notes = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-started_at"]
        indexes = [
            models.Index(fields=["young_person", "started_at"]),
            # "Open missing episode" is an alert on every key worker's home page.
            models.Index(fields=["young_person"], condition=Q(ended_at__isnull=True), name="open_missing_episode"),
            # The hub manager's home: episodes that started, or ended, in the last days (regulation 40's
            # local additions, return interviews due): a range of the newest rows, not the whole table.
            models.Index(fields=["started_at"], name="missing_episode_started"),
            models.Index(fields=["ended_at"], condition=Q(ended_at__isnull=False), name="missing_episode_returned"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=models.F("started_at")),
                name="missing_return_not_before_start",
                violation_error_message="The return must be on or after the time the young person went missing.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} from {dates.as_date(self.started_at):%d/%m/%Y}"

    @property
    def hours(self) -> float | None:
        if self.ended_at is None:
            return None
        return (self.ended_at - self.started_at).total_seconds() / 3600

    def clean(self) -> None:
        errors = Errors()
        errors.check(dates.not_in_future, self.started_at, "The time the young person went missing", field="started_at")
        errors.check(dates.not_in_future, self.ended_at, "The return", field="ended_at")
        errors.check(
            dates.end_not_before_start, self.started_at, self.ended_at,
            "ended_at", "The return", "the time the young person went missing",
        )
        if self.return_interview_accepted and not self.return_interview_offered:
            errors.add("return_interview_accepted", "A return interview can only be accepted if it was offered.")
        if self.ended_at is None and (self.return_interview_offered or self.return_interview_accepted):
            errors.add("return_interview_offered", "Record the return before the return interview.")
        # The overlap is checked whatever else is wrong (every message at once), unless the times run
        # backwards, when there is no period to compare.
        if self.young_person_id and self.started_at and dates.in_order(self.started_at, self.ended_at):
            clash = self._overlapping().first()
            if clash:
                errors.add("started_at", already_missing(clash.started_at, clash.ended_at))
        errors.raise_if_any()

    def _overlapping(self):
        """Episodes of the same young person that share any time with this one (SSDA903 rule 574)."""
        others = MissingEpisode.objects.filter(young_person_id=self.young_person_id).exclude(pk=self.pk)
        others = others.filter(Q(ended_at__isnull=True) | Q(ended_at__gt=self.started_at))
        if self.ended_at is not None:
            others = others.filter(started_at__lt=self.ended_at)
        return others


class PoliceContactKind(models.TextChoices):
    ARREST = "arrest", "Arrest"
    CHARGE = "charge", "Charge"
    CALL_OUT = "call_out", "Police called out"
    VICTIM = "victim", "As a victim of crime"


class PoliceContact(DatedEvent):
    kind = models.CharField(max_length=12, choices=PoliceContactKind.choices)

    history = HistoricalRecords()

    class Meta(DatedEvent.Meta):
        pass


class HealthEventKind(models.TextChoices):
    AE = "ae", "A&E attendance"
    ADMISSION = "admission", "Hospital admission"
    CRISIS = "crisis", "Mental-health crisis presentation"


class HealthEvent(DatedEvent):
    kind = models.CharField(max_length=12, choices=HealthEventKind.choices)

    history = HistoricalRecords()

    class Meta(DatedEvent.Meta):
        pass


class ExploitationKind(models.TextChoices):
    SEXUAL = "sexual", "Child sexual exploitation"
    CRIMINAL = "criminal", "Child criminal exploitation"


class ExploitationConcern(YoungPersonEvent):
    raised_on = models.DateField()
    kind = models.CharField(max_length=12, choices=ExploitationKind.choices)
    summary = models.TextField(blank=True)
    closed_on = models.DateField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-raised_on"]
        indexes = [models.Index(fields=["young_person", "raised_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=models.F("raised_on")),
                name="exploitation_closed_not_before_raised",
                violation_error_message="The date closed must be on or after the date raised.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} concern raised {self.raised_on:%d/%m/%Y}"

    def clean(self) -> None:
        errors = Errors()
        errors.check(dates.not_in_future, self.raised_on, "The date raised", field="raised_on")
        errors.check(dates.not_in_future, self.closed_on, "The date closed", field="closed_on")
        errors.check(
            dates.end_not_before_start, self.raised_on, self.closed_on, "closed_on", "The date closed", "the date raised"
        )
        errors.raise_if_any()


class SubstanceUseLevel(models.TextChoices):
    NONE = "none", "Not using"
    EXPERIMENTAL = "experimental", "Occasional or experimental use"
    REGULAR = "regular", "Regular use"
    PROBLEMATIC = "problematic", "Use causing harm"


SUBSTANCE_USE_SCORE = {
    SubstanceUseLevel.NONE: 0,
    SubstanceUseLevel.EXPERIMENTAL: 1,
    SubstanceUseLevel.REGULAR: 2,
    SubstanceUseLevel.PROBLEMATIC: 3,
}


class SubstanceUseAssessment(YoungPersonEvent):
    """The young person's substance use as assessed on a date; it holds until the next assessment."""

    assessed_on = models.DateField()
    level = models.CharField(max_length=16, choices=SubstanceUseLevel.choices)
    substances = models.CharField(max_length=120, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-assessed_on"]

    def __str__(self) -> str:
        return f"{self.get_level_display()} on {self.assessed_on:%d/%m/%Y}"

    def clean(self) -> None:
        errors = Errors()
        errors.check(dates.not_in_future, self.assessed_on, "The date assessed", field="assessed_on")
        errors.raise_if_any()


class EETStatus(models.TextChoices):
    SCHOOL = "school", "In school"
    COLLEGE = "college", "In college or university"
    TRAINING = "training", "In training or an apprenticeship"
    EMPLOYMENT = "employment", "In employment"
    NEET = "neet", "Not in education, employment or training"
    UNAVAILABLE = "unavailable", "Not available (illness, pregnancy, caring, custody)"


IN_EET = frozenset({EETStatus.SCHOOL, EETStatus.COLLEGE, EETStatus.TRAINING, EETStatus.EMPLOYMENT})


class EETPeriod(YoungPersonEvent):
    """A period in one education, employment or training status; the periods of a young person don't overlap."""

    status = models.CharField(max_length=12, choices=EETStatus.choices)
    start = models.DateField()
    end = models.DateField(null=True, blank=True)
    provider = models.CharField(max_length=120, blank=True, help_text="School, college, employer or scheme.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["-start"]
        verbose_name = "EET period"
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="eet_end_not_before_start",
                violation_error_message=END_NOT_BEFORE_START,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_status_display()} from {self.start:%d/%m/%Y}"

    def clean(self) -> None:
        errors = Errors()
        errors.check(dates.not_in_future, self.start, "The start date", field="start")
        errors.check(dates.not_in_future, self.end, "The end date", field="end")
        errors.check(dates.end_not_before_start, self.start, self.end, "end", "The end date", "the start date")
        if self.young_person_id and self.start and dates.in_order(self.start, self.end):  # see MissingEpisode
            others = EETPeriod.objects.filter(young_person_id=self.young_person_id).exclude(pk=self.pk)
            others = others.filter(Q(end__isnull=True) | Q(end__gte=self.start))
            if self.end is not None:
                others = others.filter(start__lte=self.end)
            clash = others.first()
            if clash:
                errors.add(
                    "start",
                    f"This overlaps the period '{clash.get_status_display()}' from {formats.date_format(clash.start)}: "
                    "end that period first.",
                )
        errors.raise_if_any()
