"""Periods of care and the placements within them, shaped like SSDA903 episodes.

One ``CareEpisode`` is one row of the 903 Episodes table (DECOM to DEC, with its legal status,
placement and provider). Consecutive episodes joined by X1 (or starting the day the last ended)
form one ``CarePeriod``: entries to care are new periods, placement moves are new episodes with a
placement change (RNE P, T, B or U), out-of-area placements are episodes with ``in_area`` false.
The 903 review, health (OC2) and care leaver (OC3) rows are kept too, so a return read in can be
written out again.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from nwd.codelists import codes
from nwd.codelists.groups import GROUP_LABELS, placement_group
from nwd.core import dates
from nwd.core.models import Recorded
from nwd.core.validation import Errors


class Provider(models.Model):
    """Who runs a placement: the council itself, another council, a private or voluntary provider."""

    name = models.CharField(max_length=120)
    place_provider = models.CharField("PLACE_PROVIDER", max_length=3, choices=codes.choices("PLACE_PROVIDER"))
    urn = models.CharField("Ofsted URN", max_length=10, blank=True)
    in_area = models.BooleanField(default=True, help_text="Within the council's own boundary.")
    regulated = models.BooleanField(default=True, help_text="Registered with Ofsted.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["name", "place_provider"], name="provider_unique")]

    def __str__(self) -> str:
        return self.name


class CarePeriod(models.Model):
    """A continuous period of being looked after, from the first DECOM to the last DEC."""

    young_person = models.ForeignKey(
        "casework.YoungPerson", on_delete=models.PROTECT, related_name="care_periods",
        db_index=False,  # the unique constraint below starts with young_person: a second index only slows writes
    )
    start = models.DateField()
    end = models.DateField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["young_person", "start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="care_period_end_not_before_start",
                violation_error_message="The end of care must be on or after its start.",
            ),
            models.UniqueConstraint(fields=["young_person", "start"], name="care_period_unique_start"),
        ]

    def __str__(self) -> str:
        return f"Looked after from {self.start:%d/%m/%Y}"


class CareEpisode(Recorded):
    """One SSDA903 episode: a stretch of care with one legal status and one placement."""

    young_person = models.ForeignKey(
        "casework.YoungPerson", on_delete=models.PROTECT, related_name="care_episodes",
        db_index=False,  # the unique constraint below starts with young_person: a second index only slows writes
    )
    period = models.ForeignKey(CarePeriod, on_delete=models.CASCADE, related_name="episodes")
    decom = models.DateField("DECOM", help_text="Date the episode commenced.")
    dec = models.DateField("DEC", null=True, blank=True, help_text="Date the episode ceased.")
    rne = models.CharField("RNE", max_length=1, choices=codes.choices("RNE"))
    ls = models.CharField("LS", max_length=2, choices=codes.choices("LS"))
    cin = models.CharField("CIN", max_length=2, choices=codes.choices("CIN"))
    place = models.CharField("PLACE", max_length=3, choices=codes.choices("PLACE"))
    place_provider = models.CharField(
        "PLACE_PROVIDER", max_length=3, choices=codes.choices("PLACE_PROVIDER"), blank=True
    )
    rec = models.CharField("REC", max_length=3, choices=codes.choices("REC"), blank=True)
    reason_place_change = models.CharField(
        "REASON_PLACE_CHANGE", max_length=6, choices=codes.choices("REASON_PLACE_CHANGE"), blank=True
    )
    home_post = models.CharField("HOME_POST", max_length=8, blank=True, help_text="Postcode of the child's home.")
    pl_post = models.CharField("PL_POST", max_length=8, blank=True, help_text="Postcode of the placement.")
    urn = models.CharField("URN", max_length=10, blank=True, help_text="Ofsted URN of the placement, or XXXXXXX.")
    provider = models.ForeignKey(Provider, null=True, blank=True, on_delete=models.PROTECT, related_name="episodes")
    in_area = models.BooleanField(default=True, help_text="Placed within the council's own boundary.")
    regulated = models.BooleanField(default=True)
    weekly_cost = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    stay = models.ForeignKey(
        "hubs.Stay", null=True, blank=True, on_delete=models.SET_NULL, related_name="care_episodes",
        help_text="The hub stay this episode records, when the young person was looked after in a hub.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["young_person", "decom"]
        indexes = [models.Index(fields=["decom"]), models.Index(fields=["dec"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(dec__isnull=True) | Q(dec__gte=models.F("decom")),
                name="episode_dec_not_before_decom",
                violation_error_message="The date the episode ceased (DEC) must be on or after the date it commenced (DECOM).",
            ),
            models.CheckConstraint(
                condition=Q(dec__isnull=True) | ~Q(rec=""),
                name="episode_ceased_has_reason",
                violation_error_message="An episode that has ceased needs a reason (REC).",
            ),
            models.UniqueConstraint(fields=["young_person", "decom"], name="episode_unique_start"),
        ]

    def __str__(self) -> str:
        return f"{self.place} ({self.ls}) from {self.decom:%d/%m/%Y}"

    @property
    def placement_group(self):
        return placement_group(self.place, self.place_provider)

    @property
    def placement_group_label(self) -> str:
        group = self.placement_group
        return GROUP_LABELS[group] if group else "Temporary"

    def clean(self) -> None:
        errors = Errors()
        errors.check(dates.not_in_future, self.decom, "DECOM", field="decom")
        errors.check(dates.not_in_future, self.dec, "DEC", field="dec")
        errors.check(
            dates.end_not_before_start, self.decom, self.dec, "dec",
            "The date the episode ceased (DEC)", "the date it commenced (DECOM)",
        )
        if self.dec and not self.rec:
            errors.add("rec", "An episode that has ceased needs a reason (REC).")
        if self.rec and not self.dec:
            errors.add("dec", "An episode with a reason ceased (REC) needs the date it ceased (DEC).")
        if self.place in codes.PLACE_WITHOUT_PROVIDER and self.place_provider:
            errors.add("place_provider", f"Leave PLACE_PROVIDER blank for placement {self.place}.")
        if self.place and self.place not in codes.PLACE_WITHOUT_PROVIDER and not self.place_provider:
            errors.add("place_provider", f"Placement {self.place} needs a PLACE_PROVIDER.")
        errors.raise_if_any()


class CareReview(models.Model):
    """A looked-after child review (the 903 Reviews table)."""

    young_person = models.ForeignKey(
        "casework.YoungPerson", on_delete=models.PROTECT, related_name="care_reviews",
        db_index=False,  # the unique constraint below starts with young_person: a second index only slows writes
    )
    review_date = models.DateField("REVIEW")
    review_code = models.CharField("REVIEW_CODE", max_length=4, blank=True)

    class Meta:
        ordering = ["young_person", "review_date"]
        constraints = [models.UniqueConstraint(fields=["young_person", "review_date"], name="care_review_unique")]

    def __str__(self) -> str:
        return f"Review on {self.review_date:%d/%m/%Y}"


class AnnualOutcome(models.Model):
    """Outcomes of a child looked after for 12 months at 31 March (the 903 OC2 table)."""

    young_person = models.ForeignKey(
        "casework.YoungPerson", on_delete=models.PROTECT, related_name="annual_outcomes",
        db_index=False,  # the unique constraint below starts with young_person: a second index only slows writes
    )
    collection_year = models.CharField(max_length=7)
    sdq_score = models.PositiveSmallIntegerField("SDQ_SCORE", null=True, blank=True)
    sdq_reason = models.CharField("SDQ_REASON", max_length=4, blank=True)
    convicted = models.BooleanField("CONVICTED", null=True, blank=True)
    health_check = models.BooleanField("HEALTH_CHECK", null=True, blank=True)
    immunisations = models.BooleanField("IMMUNISATIONS", null=True, blank=True)
    teeth_check = models.BooleanField("TEETH_CHECK", null=True, blank=True)
    health_assessment = models.BooleanField("HEALTH_ASSESSMENT", null=True, blank=True)
    substance_misuse = models.BooleanField("SUBSTANCE_MISUSE", null=True, blank=True)
    intervention_received = models.BooleanField("INTERVENTION_RECEIVED", null=True, blank=True)
    intervention_offered = models.BooleanField("INTERVENTION_OFFERED", null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["young_person", "collection_year"], name="annual_outcome_unique")
        ]

    def __str__(self) -> str:
        return f"Outcomes (OC2) for {self.collection_year}"


class CareLeaverOutcome(models.Model):
    """A care leaver's situation around their birthday (the 903 OC3 table)."""

    young_person = models.ForeignKey(
        "casework.YoungPerson", on_delete=models.PROTECT, related_name="care_leaver_outcomes",
        db_index=False,  # the unique constraint below starts with young_person: a second index only slows writes
    )
    collection_year = models.CharField(max_length=7)
    in_touch = models.CharField("IN_TOUCH", max_length=4, blank=True)
    activity = models.CharField("ACTIV", max_length=4, blank=True)
    accommodation = models.CharField("ACCOM", max_length=2, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["young_person", "collection_year"], name="care_leaver_outcome_unique")
        ]

    def __str__(self) -> str:
        return f"Care leaver outcomes (OC3) for {self.collection_year}"
