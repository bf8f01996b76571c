"""The records a hub keeps as a registered children's home (Children's Homes (England) Regulations 2015).

- ``LogEntry``: the daily log, short entries by residential workers through the shift about a young
  person staying in a hub; ``Handover``: what the next shift must know about them, one per shift.
- ``IndependentVisit`` (regulation 44) and ``QualityReview`` (regulation 45): the reports, the hub
  manager's signed response, and their recommendations as ``Action``s with owners and due dates.
- ``Visitor``: the visitors' record of schedule 4 (who, whom they visited, in and out, ID checked).

The admission register of schedule 4 is not a table: it is read from the hubs' stays and the care
episodes linked to them (``nwd.homes.queries.admission_register``), so nothing is typed twice.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from nwd.core import dates
from nwd.core.models import Recorded
from nwd.core.validation import END_NOT_BEFORE_START, Errors
from nwd.homes.choices import Shift

USER = settings.AUTH_USER_MODEL
HUB_MANAGER_ROLE = "hub_manager"  # nwd.access.roles.Role.HUB_MANAGER (access sits below; named here)
LOG_MAX = 2000


def _within_stay(errors: Errors, stay, day, field: str, what: str) -> None:
    """``day`` falls within the stay: from the admission to the discharge day (both included)."""
    if stay is None or day is None:
        return
    if day < stay.admitted:
        errors.add(field, f"{what} is before {stay.young_person} was admitted ({stay.admitted:%d/%m/%Y}).")
    elif stay.discharged and day > stay.discharged:
        errors.add(field, f"{what} is after {stay.young_person} left the hub ({stay.discharged:%d/%m/%Y}).")


class LogEntry(Recorded):
    """One entry of a young person's daily log, written through the shift."""

    stay = models.ForeignKey("hubs.Stay", on_delete=models.PROTECT, related_name="log_entries")
    at = models.DateTimeField("time")
    shift = models.CharField(max_length=8, choices=Shift.choices)
    text = models.TextField("what happened", max_length=LOG_MAX)

    history = HistoricalRecords()

    class Meta:
        ordering = ["stay", "-at"]
        indexes = [models.Index(fields=["stay", "at"])]
        verbose_name_plural = "log entries"

    def __str__(self) -> str:
        return f"Log entry at {timezone.localtime(self.at):%d/%m/%Y %H:%M}"

    def clean(self) -> None:
        errors = Errors()
        errors.check(dates.not_in_future, self.at, "The time of the entry", field="at")
        if not (self.text or "").strip():
            errors.add("text", "Write what happened: an entry cannot be empty.")
        stay = self.stay if self.stay_id else None
        if self.at:
            _within_stay(errors, stay, timezone.localtime(self.at).date(), "at", "The time of the entry")
        errors.raise_if_any()


class Handover(Recorded):
    """What the next shift must know about one young person, written at the end of a shift."""

    stay = models.ForeignKey("hubs.Stay", on_delete=models.PROTECT, related_name="handovers")
    on = models.DateField("shift date", help_text="The day the shift started (a night shift: the evening).")
    shift = models.CharField(max_length=8, choices=Shift.choices)
    summary = models.TextField("what the next shift must know", max_length=LOG_MAX)

    history = HistoricalRecords()

    class Meta:
        ordering = ["stay", "-on", "-created_at"]
        constraints = [models.UniqueConstraint(fields=["stay", "on", "shift"], name="handover_one_per_shift",
                                               violation_error_message="This shift's handover is already written: "
                                               "correct it instead.")]

    def __str__(self) -> str:
        return f"Handover, {self.get_shift_display()} shift on {self.on:%d/%m/%Y}"

    def clean(self) -> None:
        errors = Errors()
        errors.check(dates.not_in_future, self.on, "The shift date", field="on")
        if not (self.summary or "").strip():
            errors.add("summary", "Write what the next shift must know (\"nothing new\" is an answer).")
        _within_stay(errors, self.stay if self.stay_id else None, self.on, "on", "The shift date")
        if self.stay_id and self.on and self.shift and Handover.objects.filter(
                stay_id=self.stay_id, on=self.on, shift=self.shift).exclude(pk=self.pk).exists():
            errors.add("shift", "This shift's handover is already written: correct it instead.")
        errors.raise_if_any()


class Report(Recorded):
    """What a regulation 44 visit and a regulation 45 review share: the report and the manager's response."""

    hub = models.ForeignKey("hubs.Hub", on_delete=models.PROTECT, related_name="+")
    summary = models.TextField("the report's findings", max_length=10000)
    response = models.TextField("the hub manager's response", max_length=10000, blank=True)
    signed_off_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    signed_off_on = models.DateField(null=True, blank=True)

    class Meta:
        abstract = True

    def _report_rules(self, errors: Errors, held_on, what: str) -> None:
        if not (self.summary or "").strip():
            errors.add("summary", "Write the report's findings (or what it says, in short).")
        errors.check(dates.not_in_future, self.signed_off_on, "The day of the sign-off", field="signed_off_on")
        if self.signed_off_on and held_on and self.signed_off_on < held_on:
            errors.add("signed_off_on", f"The response cannot be signed off before {what.lower()}.")
        if self.signed_off_on and not (self.response or "").strip():
            errors.add("response", "Write the hub manager's response before signing it off.")
        signer = self.signed_off_by if self.signed_off_by_id else None
        if signer is not None and (getattr(signer, "role", None) != HUB_MANAGER_ROLE or signer.hub_id != self.hub_id):
            errors.add("signed_off_by", f"{signer} is not the manager of this hub: the hub manager signs the response.")
        if bool(self.signed_off_on) != bool(self.signed_off_by_id):
            errors.add("signed_off_on", "A sign-off needs both who signed and when.")


class IndependentVisit(Report):
    """The independent person's monthly visit (regulation 44) and their report."""

    visited_on = models.DateField("visit on")
    independent_person = models.CharField(max_length=120)
    children_spoken_to = models.PositiveSmallIntegerField(
        default=0, help_text="Children the independent person spoke to in private, with their consent.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["hub", "-visited_on"]
        indexes = [models.Index(fields=["hub", "visited_on"])]

    def __str__(self) -> str:
        return f"Regulation 44 visit on {self.visited_on:%d/%m/%Y}"

    def clean(self) -> None:
        errors = Errors()
        errors.check(dates.not_in_future, self.visited_on, "The day of the visit", field="visited_on")
        self._report_rules(errors, self.visited_on, "The day of the visit")
        if not (self.independent_person or "").strip():
            errors.add("independent_person", "Name the independent person who visited.")
        errors.raise_if_any()


class QualityReview(Report):
    """The review of the quality of care (regulation 45), every six months, its report sent to Ofsted
    within 28 days."""

    reviewed_on = models.DateField("review completed on")
    period_start = models.DateField("the period reviewed, from")
    sent_to_ofsted = models.DateField("report sent to Ofsted on", null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["hub", "-reviewed_on"]
        constraints = [models.CheckConstraint(condition=Q(period_start__lte=models.F("reviewed_on")),
                                              name="review_period_before_review",
                                              violation_error_message="The period reviewed must start before the "
                                              "review.")]

    def __str__(self) -> str:
        return f"Regulation 45 review on {self.reviewed_on:%d/%m/%Y}"

    def clean(self) -> None:
        errors = Errors()
        errors.check(dates.not_in_future, self.reviewed_on, "The day of the review", field="reviewed_on")
        self._report_rules(errors, self.reviewed_on, "The day of the review")
        errors.check(dates.not_in_future, self.sent_to_ofsted, "The day the report was sent", field="sent_to_ofsted")
        errors.check(dates.end_not_before_start, self.period_start, self.reviewed_on, "period_start",
                     "The review", "the start of the period reviewed")
        if self.sent_to_ofsted and self.reviewed_on and self.sent_to_ofsted < self.reviewed_on:
            errors.add("sent_to_ofsted", "The report cannot be sent before the review it reports.")
        errors.raise_if_any()


class Action(Recorded):
    """A recommendation of a regulation 44 or 45 report, as an action with an owner and a due date."""

    visit = models.ForeignKey(IndependentVisit, null=True, blank=True, on_delete=models.CASCADE,
                              related_name="actions")
    review = models.ForeignKey(QualityReview, null=True, blank=True, on_delete=models.CASCADE,
                               related_name="actions")
    recommendation = models.TextField(max_length=2000)
    owner = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    due = models.DateField("due by")
    done_on = models.DateField(null=True, blank=True)
    outcome = models.TextField("what was done", max_length=2000, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["due", "pk"]
        constraints = [models.CheckConstraint(condition=Q(visit__isnull=True) ^ Q(review__isnull=True),
                                              name="action_of_one_report",
                                              violation_error_message="An action belongs to one report.")]

    def __str__(self) -> str:
        return f"Action due by {self.due:%d/%m/%Y}"

    @property
    def report(self) -> IndependentVisit | QualityReview:
        return self.visit if self.visit_id else self.review  # type: ignore[return-value]

    @property
    def hub(self):
        return self.report.hub

    def clean(self) -> None:
        errors = Errors()
        if not (self.recommendation or "").strip():
            errors.add("recommendation", "Write the recommendation.")
        report = self.visit if self.visit_id else (self.review if self.review_id else None)
        if bool(self.visit_id) == bool(self.review_id):
            errors.add(None, "An action belongs to one report: a regulation 44 visit or a regulation 45 review.")
        held = getattr(report, "visited_on", None) or getattr(report, "reviewed_on", None)
        if held and self.due and self.due < held:
            errors.add("due", f"The due date cannot be before the report's date ({held:%d/%m/%Y}).")
        errors.check(dates.not_in_future, self.done_on, "The day it was done", field="done_on")
        if held and self.done_on and self.done_on < held:
            errors.add("done_on", f"It cannot be done before the report's date ({held:%d/%m/%Y}).")
        if self.done_on and not (self.outcome or "").strip():
            errors.add("outcome", "Say what was done.")
        owner = self.owner if self.owner_id else None
        if owner is not None and report is not None and owner.hub_id not in (None, report.hub_id):
            errors.add("owner", f"{owner} works at another hub: choose someone at this hub, or the service manager.")
        if owner is not None and not owner.is_active:
            errors.add("owner", f"{owner}'s account is no longer active.")
        errors.raise_if_any()


class Visitor(Recorded):
    """One visit to the home (schedule 4's visitors' record)."""

    hub = models.ForeignKey("hubs.Hub", on_delete=models.PROTECT, related_name="+")
    name = models.CharField("visitor's name", max_length=120)
    capacity = models.CharField("who they are", max_length=120, help_text="For example: mother, social worker, "
                                "plumber, Ofsted inspector.")
    young_person = models.ForeignKey("casework.YoungPerson", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+", help_text="The young person they came to see, if any.")
    visiting = models.CharField("whom else they visited", max_length=120, blank=True,
                                help_text="When they came to see staff or the home itself.")
    arrived = models.DateTimeField()
    left = models.DateTimeField(null=True, blank=True)
    id_checked = models.BooleanField("ID checked", default=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["hub", "-arrived"]
        indexes = [models.Index(fields=["hub", "arrived"])]
        constraints = [models.CheckConstraint(condition=Q(left__isnull=True) | Q(left__gte=models.F("arrived")),
                                              name="visitor_left_after_arrival",
                                              violation_error_message=END_NOT_BEFORE_START)]

    def __str__(self) -> str:
        return f"Visitor {self.name} at {timezone.localtime(self.arrived):%d/%m/%Y %H:%M}"

    def clean(self) -> None:
        errors = Errors()
        errors.check(dates.not_in_future, self.arrived, "The time they arrived", field="arrived")
        errors.check(dates.not_in_future, self.left, "The time they left", field="left")
        errors.check(dates.end_not_before_start, self.arrived, self.left, "left", "The time they left",
                     "the time they arrived")
        if not (self.name or "").strip():
            errors.add("name", "Enter the visitor's name.")
        if not self.young_person_id and not (self.visiting or "").strip():
            errors.add("visiting", "Say whom they visited: a young person, or staff or the home.")
        if self.young_person_id and self.hub_id and self.arrived:
            from nwd.hubs.models import Stay

            day = timezone.localtime(self.arrived).date()
            staying = Stay.objects.filter(young_person_id=self.young_person_id, bed__hub_id=self.hub_id,
                                          admitted__lte=day).filter(Q(discharged__isnull=True) | Q(discharged__gte=day))
            if not staying.exists():
                errors.add("young_person", f"{self.young_person} was not staying at this hub on {day:%d/%m/%Y}.")
        errors.raise_if_any()
