"""What commissioning keeps about providers: each home or setting a provider runs (its Ofsted
registration and latest inspection), the council's own quality record (monitoring visits, concerns,
complaints) and the provider's standing with the council (approved, under review, suspended).

The provider itself is care's (``nwd.care.models.Provider``, named in every placement); these records
hang off it, so care knows nothing of commissioning.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from nwd.core import dates
from nwd.core.models import Recorded
from nwd.core.validation import Errors


class RegistrationType(models.TextChoices):
    CHILDRENS_HOME = "childrens_home", "Children's home"
    SUPPORTED_ACCOMMODATION = "supported_accommodation", "Registered supported accommodation"
    FOSTERING_AGENCY = "fostering_agency", "Fostering agency"
    OTHER = "other", "Other (not registered with Ofsted as any of these)"


# Where a child may live under registration: a children's home or registered supported accommodation.
REGISTERED_ACCOMMODATION = frozenset({RegistrationType.CHILDRENS_HOME, RegistrationType.SUPPORTED_ACCOMMODATION})


class Judgement(models.TextChoices):
    OUTSTANDING = "outstanding", "Outstanding"
    GOOD = "good", "Good"
    REQUIRES_IMPROVEMENT = "requires_improvement", "Requires improvement to be good"
    INADEQUATE = "inadequate", "Inadequate"


JUDGEMENT_ORDER = [Judgement.OUTSTANDING, Judgement.GOOD, Judgement.REQUIRES_IMPROVEMENT, Judgement.INADEQUATE]


class ProviderStatus(models.TextChoices):
    APPROVED = "approved", "Approved"
    UNDER_REVIEW = "under_review", "Under review"
    SUSPENDED = "suspended", "Suspended"


# A placement with a provider in one of these standings is flagged (as is one judged inadequate).
CONCERNING_STATUSES = frozenset({ProviderStatus.UNDER_REVIEW, ProviderStatus.SUSPENDED})


class ProviderStanding(Recorded):
    """The council's standing with a provider: approved to place with, under review, or suspended."""

    provider = models.OneToOneField("care.Provider", on_delete=models.CASCADE, related_name="standing")
    status = models.CharField(max_length=20, choices=ProviderStatus.choices, default=ProviderStatus.APPROVED)
    since = models.DateField(help_text="The date the provider took this standing.")
    reason = models.CharField(max_length=300, blank=True, help_text="Why, when under review or suspended.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["provider__name"]

    def __str__(self) -> str:
        return f"{self.get_status_display()} since {self.since:%d/%m/%Y}"

    def clean(self) -> None:
        errors = Errors()
        errors.check(dates.not_in_future, self.since, "The date of the standing", field="since")
        if self.status != ProviderStatus.APPROVED and not self.reason.strip():
            errors.add("reason", f"Say why the provider is {self.get_status_display().lower()}.")
        errors.raise_if_any()


class Setting(Recorded):
    """A home or setting a provider runs, with its Ofsted registration and latest inspection."""

    provider = models.ForeignKey("care.Provider", on_delete=models.CASCADE, related_name="settings")
    name = models.CharField(max_length=120)
    urn = models.CharField("Ofsted URN", max_length=10, blank=True)
    registration = models.CharField(
        "registration type", max_length=30, choices=RegistrationType.choices, default=RegistrationType.CHILDRENS_HOME
    )
    places = models.PositiveSmallIntegerField("registered places", null=True, blank=True)
    inspected = models.DateField("latest inspection", null=True, blank=True)
    judgement = models.CharField("latest judgement", max_length=24, choices=Judgement.choices, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["provider__name", "name"]
        indexes = [models.Index(fields=["urn"])]
        constraints = [
            models.UniqueConstraint(fields=["provider", "name"], name="setting_unique_name"),
            models.CheckConstraint(
                condition=Q(judgement="") | Q(inspected__isnull=False),
                name="setting_judgement_has_date",
                violation_error_message="A judgement needs the date of the inspection that gave it.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors = Errors()
        errors.check(dates.not_in_future, self.inspected, "The inspection", field="inspected")
        if self.judgement and not self.inspected:
            errors.add("inspected", "A judgement needs the date of the inspection that gave it.")
        if self.inspected and not self.judgement:
            errors.add("judgement", "Give the judgement of the inspection.")
        if self.registration != RegistrationType.OTHER and not self.urn.strip():
            errors.add("urn", f"A {self.get_registration_display().lower()} needs its Ofsted URN.")
        if self.registration == RegistrationType.OTHER and self.judgement:
            errors.add("judgement", "Ofsted does not inspect a setting that is not registered with it.")
        if self.urn and not self.urn.strip().isdigit():
            errors.add("urn", "An Ofsted URN is digits only, such as 1234567.")
        errors.raise_if_any()


class QualityKind(models.TextChoices):
    MONITORING_VISIT = "monitoring_visit", "Monitoring visit"
    CONCERN = "concern", "Concern"
    COMPLAINT = "complaint", "Complaint"


class QualityEvent(Recorded):
    """One entry in the council's own quality record of a provider: a visit, a concern or a complaint."""

    provider = models.ForeignKey("care.Provider", on_delete=models.CASCADE, related_name="quality_events")
    setting = models.ForeignKey(Setting, null=True, blank=True, on_delete=models.CASCADE, related_name="quality_events")
    kind = models.CharField(max_length=20, choices=QualityKind.choices)
    happened = models.DateField("date")
    summary = models.CharField(max_length=500)
    resolved = models.DateField("date resolved", null=True, blank=True)
    outcome = models.CharField(max_length=500, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-happened", "-pk"]
        indexes = [models.Index(fields=["provider", "happened"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(resolved__isnull=True) | Q(resolved__gte=models.F("happened")),
                name="quality_event_resolved_not_before",
                violation_error_message="The date resolved must be on or after the date it was raised.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.happened:%d/%m/%Y}"

    @property
    def is_open(self) -> bool:
        return self.kind != QualityKind.MONITORING_VISIT and self.resolved is None

    def clean(self) -> None:
        errors = Errors()
        errors.check(dates.not_in_future, self.happened, "The date", field="happened")
        errors.check(dates.not_in_future, self.resolved, "The date resolved", field="resolved")
        errors.check(dates.end_not_before_start, self.happened, self.resolved, "resolved",
                     "The date resolved", "the date it was raised")
        if not self.summary.strip():
            errors.add("summary", "Say what the visit found, or what the concern or complaint is.")
        setting = self.setting if self.setting_id is not None else None
        if setting is not None and self.provider_id is not None and setting.provider_id != self.provider_id:
            errors.add("setting", "The setting is run by another provider.")
        if self.resolved and not self.outcome.strip():
            errors.add("outcome", "Say how it was resolved.")
        errors.raise_if_any()
