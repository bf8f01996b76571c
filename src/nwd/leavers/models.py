"""Care leavers: the record the personal adviser keeps for a young person who has left care.

One ``CareLeaver`` per young person (the people and their care history are casework's and care's):
the leaving-care category, the personal adviser, in touch, activity and accommodation in the DfE's
OC3 codes; with it the pathway plan and its reviews, the adviser's contacts, the places they have
lived since leaving care (each a move) and any Staying Put or Staying Close arrangement.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from nwd.codelists import codes
from nwd.core import dates
from nwd.core.models import Recorded
from nwd.core.validation import END_NOT_BEFORE_START, Errors
from nwd.leavers.choices import AdviserContactKind, Arrangement, Category

USER = settings.AUTH_USER_MODEL

NOT_IN_TOUCH = ("NO", "DIED", "REFU", "NREQ", "RHOM")
PERSONAL_ADVISER_ROLE = "personal_adviser"  # nwd.access.roles.Role.PERSONAL_ADVISER (access sits above)


class CareLeaver(Recorded):
    young_person = models.OneToOneField("casework.YoungPerson", on_delete=models.PROTECT, related_name="care_leaver")
    category = models.CharField("leaving-care category", max_length=16, choices=Category.choices)
    category_reason = models.CharField(
        max_length=300, blank=True,
        help_text="Why this category: derived from the care history, or what the records cannot show.")
    left_care = models.DateField("left care on", null=True, blank=True)
    personal_adviser = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT,
                                         related_name="care_leavers")
    in_touch = models.CharField("in touch (IN_TOUCH)", max_length=4, choices=codes.choices("IN_TOUCH"), blank=True)
    activity = models.CharField("activity (ACTIV)", max_length=2, choices=codes.choices("ACTIV"), blank=True)
    status_on = models.DateField("in touch and activity confirmed on", null=True, blank=True)
    support_ended = models.DateField(
        "support ended on", null=True, blank=True,
        help_text="From 21, support continues to 25 for those who want it; the day it ended.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["young_person__family_name", "young_person__given_name"]

    def __str__(self) -> str:
        return f"Care leaver ({self.get_category_display()})"

    def clean(self) -> None:
        errors = Errors()
        errors.check(dates.not_in_future, self.left_care, "The day they left care", field="left_care")
        errors.check(dates.not_in_future, self.status_on, "The day in touch was confirmed", field="status_on")
        errors.check(dates.not_in_future, self.support_ended, "The day support ended", field="support_ended")
        if self.category in (Category.RELEVANT, Category.FORMER_RELEVANT) and not self.left_care:
            errors.add("left_care", "A relevant or former relevant care leaver has left care: enter the day they left.")
        if self.category == Category.ELIGIBLE and self.left_care:
            errors.add("category", "An eligible young person is still looked after: a young person who has left "
                       "care is relevant (16 or 17) or former relevant (18 and over).")
        if self.in_touch in NOT_IN_TOUCH and self.activity not in ("", "0"):
            errors.add("activity", "When the young person is not in touch, their activity is not known: "
                       "choose 'Not applicable (not in touch)'.")
        if self.in_touch == "YES" and self.activity == "0":
            errors.add("activity", "The young person is in touch: say what they are doing.")
        if (self.in_touch or self.activity) and not self.status_on:
            errors.add("status_on", "Enter the day in touch and activity were confirmed.")
        adviser = self.personal_adviser if self.personal_adviser_id else None
        if adviser is not None and getattr(adviser, "role", None) != PERSONAL_ADVISER_ROLE:
            errors.add("personal_adviser", f"{adviser} is not a personal adviser.")
        if self.left_care and self.support_ended:
            errors.check(dates.end_not_before_start, self.left_care, self.support_ended, "support_ended",
                         "The day support ended", "the day they left care")
        errors.raise_if_any()

    @property
    def receiving_support(self) -> bool:
        return self.support_ended is None


class PathwayPlan(Recorded):
    """The pathway plan: written by 16 and a quarter, reviewed at least every six months."""

    care_leaver = models.ForeignKey(CareLeaver, on_delete=models.CASCADE, related_name="pathway_plans")
    started = models.DateField("plan agreed on")
    summary = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["care_leaver", "-started"]

    def __str__(self) -> str:
        return f"Pathway plan from {self.started:%d/%m/%Y}"

    def clean(self) -> None:
        errors = Errors()
        errors.check(dates.not_in_future, self.started, "The day the plan was agreed", field="started")
        errors.raise_if_any()


class PathwayReview(Recorded):
    plan = models.ForeignKey(PathwayPlan, on_delete=models.CASCADE, related_name="reviews")
    reviewed_on = models.DateField()
    reviewed_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    summary = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "-reviewed_on"]

    def __str__(self) -> str:
        return f"Pathway plan review on {self.reviewed_on:%d/%m/%Y}"

    def clean(self) -> None:
        errors = Errors()
        errors.check(dates.not_in_future, self.reviewed_on, "The review date", field="reviewed_on")
        if self.plan_id and self.reviewed_on and self.reviewed_on < self.plan.started:
            errors.add("reviewed_on", "A review cannot come before the plan was agreed "
                       f"({self.plan.started:%d/%m/%Y}).")
        errors.raise_if_any()


class AdviserContact(Recorded):
    """The personal adviser's contact: within 7 days of a move, then at least every 2 months."""

    care_leaver = models.ForeignKey(CareLeaver, on_delete=models.CASCADE, related_name="contacts")
    on = models.DateField("contact on")
    adviser = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=AdviserContactKind.choices)
    summary = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["care_leaver", "-on"]
        indexes = [models.Index(fields=["care_leaver", "on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.on:%d/%m/%Y}"

    def clean(self) -> None:
        errors = Errors()
        errors.check(dates.not_in_future, self.on, "The contact date", field="on")
        errors.raise_if_any()


class Accommodation(Recorded):
    """Where the care leaver lives from ``start``: a later one is a move. OC3's ACCOM code: the kind
    of accommodation (a letter) and whether it is suitable (1) or not (2)."""

    care_leaver = models.ForeignKey(CareLeaver, on_delete=models.CASCADE, related_name="accommodations")
    start = models.DateField("moved in on")
    accommodation = models.CharField("accommodation (ACCOM)", max_length=2, choices=codes.choices("ACCOM"))
    in_area = models.BooleanField(default=True, help_text="Within the council's own boundary.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["care_leaver", "-start"]
        constraints = [models.UniqueConstraint(fields=["care_leaver", "start"], name="accommodation_unique_start")]

    def __str__(self) -> str:
        return f"{self.get_accommodation_display()} from {self.start:%d/%m/%Y}"

    @property
    def suitable(self) -> bool | None:
        return {"1": True, "2": False}.get(self.accommodation[-1:])

    def clean(self) -> None:
        errors = Errors()
        errors.check(dates.not_in_future, self.start, "The day they moved in", field="start")
        if self.accommodation == "0":
            errors.add("accommodation", "Choose where the young person lives ('not applicable' is for the return "
                       "when they are not in touch).")
        errors.raise_if_any()


class StayingArrangement(Recorded):
    care_leaver = models.ForeignKey(CareLeaver, on_delete=models.CASCADE, related_name="arrangements")
    kind = models.CharField(max_length=14, choices=Arrangement.choices)
    start = models.DateField()
    end = models.DateField(null=True, blank=True)
    with_whom = models.CharField("carers or home", max_length=120, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["care_leaver", "-start"]
        constraints = [
            models.CheckConstraint(condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                                   name="staying_end_not_before_start",
                                   violation_error_message=END_NOT_BEFORE_START),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} from {self.start:%d/%m/%Y}"

    def clean(self) -> None:
        errors = Errors()
        errors.check(dates.not_in_future, self.start, "The start date", field="start")
        errors.check(dates.end_not_before_start, self.start, self.end, "end", "The end date", "the start date")
        person = self.care_leaver.young_person if self.care_leaver_id else None
        if person is not None and self.start and self.start >= _birthday(person.date_of_birth, 21) \
                and self.kind == Arrangement.STAYING_PUT:
            errors.add("start", "Staying Put lasts to the 21st birthday: it cannot start after it.")
        errors.raise_if_any()


def _birthday(dob: dt.date, age: int) -> dt.date:
    return dates.birthday(dob, age)
