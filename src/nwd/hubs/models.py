"""Hubs, their beds and the stays of young people in them.

A hub is a children's home turned into a base: a few residential beds, a couple of emergency beds
and an outreach team. A stay is short by design; the planned discharge date is part of the plan.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.formats import date_format
from simple_history.models import HistoricalRecords

from nwd.core import dates
from nwd.core.models import Recorded, Withdrawable
from nwd.core.validation import Errors


class Hub(models.Model):
    name = models.CharField(max_length=80, unique=True)
    code = models.SlugField(max_length=20, unique=True)
    locality = models.CharField(max_length=80, help_text="The town the hub is in.")
    ofsted_urn = models.CharField("Ofsted URN", max_length=10, blank=True)
    opened = models.DateField()

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class BedKind(models.TextChoices):
    RESIDENTIAL = "residential", "Residential"
    EMERGENCY = "emergency", "Emergency"


class Bed(models.Model):
    hub = models.ForeignKey(Hub, on_delete=models.PROTECT, related_name="beds")
    label = models.CharField(max_length=40)
    kind = models.CharField(max_length=16, choices=BedKind.choices)
    in_use = models.BooleanField(default=True, help_text="Untick while a room is out of use.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["hub", "kind", "label"]
        constraints = [models.UniqueConstraint(fields=["hub", "label"], name="bed_label_unique_in_hub")]

    def __str__(self) -> str:
        return f"{self.hub.name}: {self.label} ({self.get_kind_display().lower()})"


class Destination(models.TextChoices):
    HOME = "home", "Home to parents"
    FAMILY = "family", "Relatives or friends"
    FOSTER_CARE = "foster_care", "Foster care"
    SUPPORTED = "supported", "Supported accommodation"
    INDEPENDENT = "independent", "Independent living"
    CHILDRENS_HOME = "childrens_home", "Another children's home"
    SECURE = "secure", "Secure accommodation"
    CUSTODY = "custody", "Custody"
    HOSPITAL = "hospital", "Hospital"
    OTHER = "other", "Other"


# Destinations that count as "toward a family or community setting", the direction every stay aims at.
FAMILY_OR_COMMUNITY = frozenset(
    {Destination.HOME, Destination.FAMILY, Destination.FOSTER_CARE, Destination.SUPPORTED,
     Destination.INDEPENDENT}
)


class Stay(Withdrawable, Recorded):
    """A young person's time in a hub bed, from admission to discharge (dates, half-open).

    A discharge and an admission on the same day do not overlap: the bed is turned round.
    """

    bed = models.ForeignKey(Bed, on_delete=models.PROTECT, related_name="stays")
    young_person = models.ForeignKey(
        "casework.YoungPerson", on_delete=models.PROTECT, related_name="stays"
    )
    involvement = models.ForeignKey(
        "casework.Involvement", null=True, blank=True, on_delete=models.PROTECT, related_name="stays"
    )
    admitted = models.DateField()
    planned_discharge = models.DateField(null=True, blank=True)
    discharged = models.DateField(null=True, blank=True)
    destination = models.CharField(max_length=20, choices=Destination.choices, blank=True)
    planned = models.BooleanField(
        null=True, blank=True, help_text="Was the discharge the planned one? Recorded at discharge."
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-admitted"]
        constraints = [
            models.CheckConstraint(
                condition=Q(discharged__isnull=True) | Q(discharged__gte=models.F("admitted")),
                name="stay_discharge_not_before_admission",
                violation_error_message="The discharge date must be on or after the admission date.",
            ),
            models.CheckConstraint(
                condition=Q(discharged__isnull=True) | ~Q(destination=""),
                name="stay_discharge_has_destination",
                violation_error_message="Record where the young person went when they left.",
            ),
        ]
        indexes = [models.Index(fields=["bed", "admitted"]), models.Index(fields=["young_person", "admitted"])]

    def __str__(self) -> str:
        return f"{self.young_person} in {self.bed} from {date_format(self.admitted)}"

    @property
    def is_open(self) -> bool:
        return self.discharged is None

    def clean(self) -> None:
        errors = Errors()
        errors.check(dates.not_in_future, self.admitted, "The admission date", field="admitted")
        errors.check(dates.not_in_future, self.discharged, "The discharge date", field="discharged")
        errors.check(
            dates.end_not_before_start, self.admitted, self.discharged,
            "discharged", "The discharge date", "the admission date",
        )
        errors.check(
            dates.end_not_before_start, self.admitted, self.planned_discharge,
            "planned_discharge", "The planned discharge date", "the admission date",
        )
        if self.discharged and not self.destination:
            errors.add("destination", "Record where the young person went when they left.")
        # Clashes are checked whatever else is wrong (every message at once), unless the dates run
        # backwards, when there is no stay to compare.
        in_order = dates.in_order(self.admitted, self.discharged)
        if self.admitted and self.bed_id and in_order:
            clash = self._overlapping(Stay.objects.filter(bed_id=self.bed_id)).first()
            if clash:
                until = f" to {date_format(clash.discharged)}" if clash.discharged else " with no discharge yet"
                errors.add(
                    "bed",
                    f"{self.bed.label} is taken from {date_format(clash.admitted)}{until}: "
                    "choose another bed or date.",
                )
        if self.admitted and self.young_person_id and in_order:
            elsewhere = self._overlapping(Stay.objects.filter(young_person_id=self.young_person_id)).first()
            if elsewhere:
                errors.add(
                    "admitted",
                    f"This young person is already staying in {elsewhere.bed.label} from "
                    f"{date_format(elsewhere.admitted)}: discharge them from that bed first.",
                )
        errors.raise_if_any()

    def _overlapping(self, stays: models.QuerySet) -> models.QuerySet:
        """Stays in ``stays`` that share a night with this one ([admitted, discharged) half-open)."""
        stays = stays.exclude(pk=self.pk).filter(Q(discharged__isnull=True) | Q(discharged__gt=self.admitted))
        if self.discharged is not None:
            stays = stays.filter(admitted__lt=self.discharged)
        return stays
