"""The casework record: young people, referrals, involvements, key workers, the team, contacts, plans.

``YoungPerson`` holds every child or young person the council's records name (CHILD in SSDA903),
whether or not the service has met them: the looked-after population the forecast learns from is in
the same table as the young people the hubs support, so a referral of a child already in care links
to their care history instead of duplicating it.
"""

from __future__ import annotations

import datetime as dt
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models
from django.db.models import OuterRef, Q
from simple_history.models import HistoricalRecords

from nwd.casework.choices import (
    AllocationReason,
    ContactKind,
    ContactWith,
    Decision,
    Gender,
    InvolvementEndReason,
    PortfolioArea,
    Progress,
    ReferralStatus,
    Relationship,
    Sex,
    Sharing,
    SourceAgency,
    SupportType,
    Urgency,
)
from nwd.codelists import codes
from nwd.core import dates
from nwd.core.models import Recorded, Withdrawable
from nwd.core.validation import END_NOT_BEFORE_START, Errors

USER = settings.AUTH_USER_MODEL


def nhs_number_valid(value: str) -> None:
    """An NHS number is ten digits whose last is a modulus-11 check digit."""
    digits = value.replace(" ", "")
    if not (len(digits) == 10 and digits.isdigit()):
        raise ValidationError("An NHS number has 10 digits, for example 943 476 5919.")
    total = sum(int(d) * (10 - i) for i, d in enumerate(digits[:9]))
    check = 11 - total % 11
    check = 0 if check == 11 else check
    if check == 10 or check != int(digits[9]):
        raise ValidationError("This is not a valid NHS number: check the digits again.")


UPN_UNKNOWN = {"UN1", "UN2", "UN3", "UN4", "UN5"}  # the DfE's codes for why a child has no UPN


def upn_valid(value: str) -> None:
    """A unique pupil number is 13 characters: a check letter then 12 digits (or 11 and a letter).

    UN1 to UN5 stand where a child has none (the DfE's codes for why), as the 903 return expects.
    """
    text = value.strip().upper()
    if text in UPN_UNKNOWN:
        return
    if len(text) != 13 or not text[0].isalpha() or not text[1:12].isdigit():
        raise ValidationError("A unique pupil number (UPN) has 13 characters, for example A123456789012.")


REFERRER_CONTACT_MESSAGE = (
    "Enter an email address, like name@example.org, or a UK phone number, like 01603 123456 or 07700 900123"
)


def referrer_contact_valid(value: str) -> None:
    """How the service reaches the referrer: an email address or a UK phone number, nothing vaguer.

    Practitioners write a name beside it ("01362 000000, Mr Lane"), so the text must hold at least one
    usable email address or phone number, whatever else it says. A phone number may be written with
    spaces, hyphens, dots or brackets and start +44 or 0044 in place of the 0; what remains is 10 or
    11 digits starting 0 (every UK landline and mobile).
    """
    text = (value or "").strip()
    for token in _CONTACT_SEPARATORS.split(text):
        if "@" in token:
            try:
                validate_email(token.strip(".:"))
            except ValidationError:
                continue
            return
    for candidate in _PHONE_LIKE.findall(text):
        digits = "".join(ch for ch in candidate if ch.isdigit() or ch == "+")
        for prefix in ("+44", "0044"):
            if digits.startswith(prefix):
                digits = "0" + digits[len(prefix):].removeprefix("0")
        if digits.isascii() and digits.isdigit() and digits.startswith("0") and len(digits) in (10, 11):
            return
    raise ValidationError(REFERRER_CONTACT_MESSAGE, code="referrer_contact")


_CONTACT_SEPARATORS = re.compile(r"[\s,;<>()]+")
# A run of digits and the separators people write in phone numbers, starting +44, 0044 or 0.
_PHONE_LIKE = re.compile(r"(?:\+44|0044|\(?0)[\d\s\-.()]*\d")


class YoungPerson(Recorded):
    child_id = models.CharField(
        "council child id", max_length=20, unique=True, help_text="CHILD in the SSDA903 return."
    )
    given_name = models.CharField(max_length=60)
    family_name = models.CharField(max_length=60)
    preferred_name = models.CharField(max_length=60, blank=True)
    upn = models.CharField("UPN", max_length=13, blank=True, validators=[upn_valid])
    nhs_number = models.CharField("NHS number", max_length=12, blank=True, validators=[nhs_number_valid])
    date_of_birth = models.DateField()
    sex = models.CharField(max_length=1, choices=Sex.choices, help_text="SEX in SSDA903 (1 male, 2 female).")
    gender = models.CharField(max_length=16, choices=Gender.choices, default=Gender.NOT_STATED)
    ethnicity = models.CharField(max_length=4, choices=codes.choices("ETHNIC"), default="NOBT")
    disability = models.BooleanField(default=False)
    uasc = models.BooleanField("unaccompanied asylum-seeking child", default=False)
    uasc_ceased = models.DateField("date UASC status ceased", null=True, blank=True)
    mother = models.BooleanField(
        "MOTHER", null=True, blank=True, help_text="Whether the young person is a mother (SSDA903; asked of girls)."
    )
    mother_child_dob = models.DateField(
        "MC_DOB", null=True, blank=True, help_text="Date of birth of the young person's first child."
    )
    home_postcode = models.CharField(max_length=8, blank=True)
    date_of_death = models.DateField(
        null=True, blank=True,
        help_text="Set when the young person has died: a death before 18 shortens how long their records are kept.",
    )
    restricted = models.BooleanField(
        "restricted record",
        default=False,
        help_text="Only the named users may open a restricted record, whatever their role.",
    )
    restricted_to = models.ManyToManyField(USER, blank=True, related_name="restricted_records")

    history = HistoricalRecords(m2m_fields=[restricted_to])

    class Meta:
        ordering = ["family_name", "given_name"]
        verbose_name = "young person"
        verbose_name_plural = "young people"
        indexes = [
            models.Index(fields=["family_name", "given_name"]),
            models.Index(fields=["date_of_birth"]),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        first = self.preferred_name or self.given_name
        return f"{first} {self.family_name}"

    def age_on(self, day: dt.date) -> int:
        return dates.age_on(self.date_of_birth, day)

    @property
    def age(self) -> int:
        return self.age_on(dates.today())

    def clean(self) -> None:
        errors = Errors()
        errors.check(dates.not_in_future, self.date_of_birth, "The date of birth", field="date_of_birth")
        errors.check(dates.not_in_future, self.uasc_ceased, "The date UASC status ceased", field="uasc_ceased")
        errors.check(dates.not_in_future, self.mother_child_dob, "The child's date of birth", field="mother_child_dob")
        errors.check(dates.not_in_future, self.date_of_death, "The date of death", field="date_of_death")
        errors.check(
            dates.end_not_before_start, self.date_of_birth, self.date_of_death,
            "date_of_death", "The date of death", "the date of birth",
        )
        if self.mother_child_dob and not self.mother:
            errors.add("mother_child_dob", "Only record a child's date of birth for a young person who is a mother.")
        if self.uasc_ceased and not self.uasc:
            errors.add("uasc_ceased", "Only an unaccompanied asylum-seeking child can have a date UASC status ceased.")
        errors.raise_if_any()



class FormerChildId(Recorded):
    """A council child id (CHILD) a young person's record no longer has: the id of a duplicate merged
    into it, or its own before it took the duplicate's (``nwd.casework.services.merge_young_people``).

    The SSDA903 import reads a former id as the record it now belongs to, so the next return does not
    make the merged duplicate again; a new referral id is never one used before."""

    child_id = models.CharField("former council child id", max_length=20, unique=True)
    young_person = models.ForeignKey(YoungPerson, on_delete=models.CASCADE, related_name="former_child_ids")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "former council child id"

    def __str__(self) -> str:
        return self.child_id

class Referral(Withdrawable, Recorded):
    """A request, from any agency, for the service to help a young person.

    A referral ends in a decision, and every decision is a next step: support (outreach, a hub
    stay, an emergency bed) or a warm handover to a named service. The database refuses a closed
    referral without one.
    """

    young_person = models.ForeignKey(YoungPerson, on_delete=models.PROTECT, related_name="referrals")
    source_agency = models.CharField(max_length=20, choices=SourceAgency.choices)
    referrer_name = models.CharField(max_length=120, blank=True)
    referrer_organisation = models.CharField(max_length=120, blank=True)
    referrer_contact = models.CharField(
        max_length=120, blank=True, help_text="A phone number or email to reach the referrer."
    )
    submitted_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="referrals_submitted"
    )
    received = models.DateField()
    reason = models.TextField(help_text="What is happening for the young person, in the referrer's words.")
    urgency = models.CharField(max_length=12, choices=Urgency.choices, default=Urgency.ROUTINE)
    status = models.CharField(max_length=12, choices=ReferralStatus.choices, default=ReferralStatus.RECEIVED)
    decision = models.CharField(max_length=16, choices=Decision.choices, blank=True)
    decision_date = models.DateField(null=True, blank=True)
    decided_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="referrals_decided"
    )
    handover_service = models.CharField(
        max_length=120, blank=True, help_text="The service the young person was handed over to."
    )
    decision_notes = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-received", "-pk"]
        indexes = [
            models.Index(fields=["status", "received"]),
            # The referral queue (every hub manager's home): the referrals not yet closed, a few dozen
            # of the thousands a county keeps.
            models.Index(fields=["received"], condition=~Q(status=ReferralStatus.CLOSED), name="referral_waiting"),
            # The referrals decided for support still awaiting it (the hub manager's home): the database
            # finds the few without an involvement from this index alone (``referrals_decided_awaiting_support``).
            # Not partial: its conditions stay usable when the query's values are bound as parameters.
            models.Index(fields=["status", "decision", "withdrawn_at", "young_person", "id"], name="referral_decided"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=ReferralStatus.CLOSED) | (~Q(decision="") & Q(decision_date__isnull=False)),
                name="referral_closed_has_next_step",
                violation_error_message=(
                    "A referral cannot be closed without a next step: choose outreach, a hub stay, "
                    "an emergency bed or a warm handover to a named service, and the date decided."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(decision=Decision.HANDOVER) | ~Q(handover_service=""),
                name="referral_handover_names_service",
                violation_error_message="Name the service the young person is being handed over to.",
            ),
            models.CheckConstraint(
                condition=Q(decision_date__isnull=True) | Q(decision_date__gte=models.F("received")),
                name="referral_decided_after_received",
                violation_error_message="The decision date must be on or after the date the referral was received.",
            ),
        ]

    def __str__(self) -> str:
        return f"Referral of {self.young_person} from {self.get_source_agency_display()} on {self.received:%d/%m/%Y}"

    @property
    def is_closed(self) -> bool:
        return self.status == ReferralStatus.CLOSED

    def clean(self) -> None:
        errors = Errors()
        errors.check(dates.not_in_future, self.received, "The date received", field="received")
        errors.check(dates.not_in_future, self.decision_date, "The decision date", field="decision_date")
        errors.check(
            dates.end_not_before_start, self.received, self.decision_date,
            "decision_date", "The decision date", "the date the referral was received",
        )
        # The young person may be one not saved yet (``services.refer`` checks both records before
        # writing either), so the age rule looks at the record held, not only at a saved id.
        person = self.young_person if self.young_person_id or Referral.young_person.is_cached(self) else None
        if person is not None and person.date_of_birth and self.received:
            errors.check(dates.referral_age_ok, person.date_of_birth, self.received, person.full_name)
        if self._state.adding and self.referrer_contact:  # a referral recorded before the rule stays decidable
            errors.check(referrer_contact_valid, self.referrer_contact, field="referrer_contact")
        if self.status == ReferralStatus.CLOSED and not self.decision:
            errors.add(
                "decision",
                "A referral cannot be closed without a next step: choose outreach, a hub stay, "
                "an emergency bed or a warm handover to a named service.",
            )
        if self.decision and not self.decision_date:
            errors.add("decision_date", "Enter the date the decision was made.")
        if self.decision == Decision.HANDOVER and not self.handover_service.strip():
            errors.add("handover_service", "Name the service the young person is being handed over to.")
        errors.raise_if_any()


class InvolvementQuerySet(models.QuerySet["Involvement"]):
    """Involvements, with the one place that says which is a young person's open one."""

    def open(self) -> InvolvementQuerySet:
        """Involvements not ended: support going on now."""
        return self.filter(end__isnull=True)

    def open_for(self, young_person: YoungPerson | int | OuterRef) -> InvolvementQuerySet:
        """The young person's open involvement, as a queryset of at most one row (a constraint allows
        one open involvement per young person): ``.first()`` for the record, ``.exists()`` to ask,
        or a subquery with ``OuterRef("pk")``. Code with the young person's ``involvements`` at
        hand (and no import of this module) asks ``young_person.involvements.open()``.
        """
        return self.open().filter(young_person=young_person)


class Involvement(Recorded):
    """A young person's time with the service, from the start of support to its end."""

    objects = InvolvementQuerySet.as_manager()

    young_person = models.ForeignKey(YoungPerson, on_delete=models.PROTECT, related_name="involvements")
    referral = models.OneToOneField(
        Referral, null=True, blank=True, on_delete=models.PROTECT, related_name="involvement"
    )
    hub = models.ForeignKey("hubs.Hub", on_delete=models.PROTECT, related_name="involvements")
    support_type = models.CharField(max_length=12, choices=SupportType.choices)
    start = models.DateField()
    end = models.DateField(null=True, blank=True)
    end_reason = models.CharField(max_length=20, choices=InvolvementEndReason.choices, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-start"]
        indexes = [
            models.Index(fields=["hub", "end"]),
            # The access scopes ask "is this young person supported at this hub?" for every row a
            # list shows: without this index SQLite scans the hub's involvements each time.
            models.Index(fields=["young_person", "hub"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="involvement_end_not_before_start",
                violation_error_message=END_NOT_BEFORE_START,
            ),
            models.CheckConstraint(
                condition=Q(end__isnull=True) | ~Q(end_reason=""),
                name="involvement_end_has_reason",
                violation_error_message="Say why the involvement ended.",
            ),
            models.UniqueConstraint(
                fields=["young_person"],
                condition=Q(end__isnull=True),
                name="one_open_involvement_per_young_person",
                violation_error_message="This young person already has an open involvement with the service.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.young_person} with {self.hub} from {self.start:%d/%m/%Y}"

    @property
    def is_open(self) -> bool:
        return self.end is None

    def clean(self) -> None:
        errors = Errors()
        errors.check(dates.not_in_future, self.start, "The start date", field="start")
        errors.check(dates.not_in_future, self.end, "The end date", field="end")
        errors.check(dates.end_not_before_start, self.start, self.end, "end", "The end date", "the start date")
        if self.end and not self.end_reason:
            errors.add("end_reason", "Say why the involvement ended.")
        if self.referral_id and self.start and self.referral.received and self.start < self.referral.received:
            errors.add("start", "Support cannot start before the referral was received.")
        errors.raise_if_any()


class KeyWorkerAllocation(Recorded):
    """Who the young person's key worker is, from when, and why it changed.

    The service's promise is one key worker who stays: changes are counted, so each is dated and
    has a reason. While an involvement is open it has exactly one current allocation (the
    database allows at most one; ``nwd.casework.services`` always opens one with the involvement).
    """

    involvement = models.ForeignKey(Involvement, on_delete=models.CASCADE, related_name="allocations")
    key_worker = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="allocations")
    start = models.DateField()
    end = models.DateField(null=True, blank=True)
    reason = models.CharField(max_length=20, choices=AllocationReason.choices)
    note = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["start", "pk"]
        indexes = [
            models.Index(fields=["key_worker"], condition=Q(end__isnull=True), name="current_allocation_by_worker"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["involvement"],
                condition=Q(end__isnull=True),
                name="one_current_key_worker",
                violation_error_message="A young person has one current key worker: end the current allocation first.",
            ),
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="allocation_end_not_before_start",
                violation_error_message=END_NOT_BEFORE_START,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key_worker} for {self.involvement.young_person} from {self.start:%d/%m/%Y}"

    def clean(self) -> None:
        errors = Errors()
        errors.check(dates.not_in_future, self.start, "The allocation date", field="start")
        errors.check(dates.end_not_before_start, self.start, self.end, "end", "The end date", "the start date")
        errors.raise_if_any()


class SpecialistInvolvement(Recorded):
    """A specialist drawn in by the key worker: the young person is not passed on, the team comes to them."""

    young_person = models.ForeignKey(YoungPerson, on_delete=models.PROTECT, related_name="specialists")
    involvement = models.ForeignKey(
        Involvement, null=True, blank=True, on_delete=models.PROTECT, related_name="specialists"
    )
    specialist = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="specialist_involvements")
    drawn_in_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    start = models.DateField()
    end = models.DateField(null=True, blank=True)
    reason = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["start"]
        constraints = [
            models.UniqueConstraint(
                fields=["young_person", "specialist"],
                condition=Q(end__isnull=True),
                name="one_open_specialist_involvement",
                violation_error_message="This specialist is already working with this young person.",
            ),
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="specialist_end_not_before_start",
                violation_error_message=END_NOT_BEFORE_START,
            ),
        ]

    def clean(self) -> None:
        errors = Errors()
        errors.check(dates.not_in_future, self.start, "The start date", field="start")
        errors.check(dates.not_in_future, self.end, "The end date", field="end")
        errors.check(dates.end_not_before_start, self.start, self.end, "end", "The end date", "the start date")
        errors.raise_if_any()


class SignificantPerson(Recorded):
    """Someone around the young person: family, a carer, a friend, a trusted adult (issue 16).

    The key worker needs to know who matters to the young person, who holds parental responsibility,
    whether each person may be contacted at all, and what may be shared with them. A contact note can
    name who it was with (``Contact.people``).
    """

    young_person = models.ForeignKey(YoungPerson, on_delete=models.PROTECT, related_name="network")
    name = models.CharField(max_length=120, error_messages={"blank": "Enter the person's name."})
    relationship = models.CharField(max_length=16, choices=Relationship.choices)
    relationship_detail = models.CharField(
        "relationship, in a few words", max_length=80, blank=True,
        help_text="For example: older half-brother, mum's partner, youth club leader.",
    )
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    address = models.TextField(blank=True)
    parental_responsibility = models.BooleanField(default=False)
    may_contact = models.BooleanField(
        "may be contacted", default=True,
        help_text="No when the young person or a court says so, or contact would put them at risk.",
    )
    no_contact_reason = models.CharField("why they may not be contacted", max_length=200, blank=True)
    sharing = models.CharField("what may be shared with them", max_length=12, choices=Sharing.choices,
                               default=Sharing.AGREED)
    notes = models.TextField(blank=True)
    ended_on = models.DateField("no longer in the young person's life from", null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = "significant person"
        verbose_name_plural = "people around the young person"

    def __str__(self) -> str:
        return f"{self.name} ({self.get_relationship_display().lower()})"

    def clean(self) -> None:
        errors = Errors()
        if self.relationship == Relationship.OTHER and not (self.relationship_detail or "").strip():
            errors.add("relationship_detail", "Say in a few words who they are to the young person.")
        if self.may_contact is False and not (self.no_contact_reason or "").strip():
            errors.add("no_contact_reason", "Say why they may not be contacted, so nobody does by mistake.")
        if self.may_contact and (self.no_contact_reason or "").strip():
            errors.add("no_contact_reason", "Only give a reason when the person may not be contacted.")
        if self.phone and sum(ch.isdigit() for ch in self.phone) < 10:
            errors.add("phone", "Enter a phone number with the area code, like 01603 123456 or 07700 900123.")
        if self.parental_responsibility and self.relationship in (
            Relationship.SIBLING, Relationship.FRIEND, Relationship.PARTNER, Relationship.TRUSTED_ADULT,
        ):
            errors.add("parental_responsibility",
                       f"A {self.get_relationship_display().lower()} does not hold parental responsibility: "
                       "check the relationship.")
        errors.check(dates.not_in_future, self.ended_on, "The date they left the young person's life", field="ended_on")
        errors.raise_if_any()


class Contact(Withdrawable, Recorded):
    young_person = models.ForeignKey(YoungPerson, on_delete=models.PROTECT, related_name="contacts")
    involvement = models.ForeignKey(
        Involvement, null=True, blank=True, on_delete=models.PROTECT, related_name="contacts"
    )
    at = models.DateTimeField("when")
    kind = models.CharField(max_length=16, choices=ContactKind.choices)
    contact_with = models.CharField("with", max_length=16, choices=ContactWith.choices, default=ContactWith.YOUNG_PERSON)
    staff = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="contacts", help_text="Who made the contact.")
    summary = models.TextField()
    people = models.ManyToManyField(
        SignificantPerson, blank=True, related_name="contacts",
        help_text="The people around the young person the contact was with (family, carers, friends).",
    )

    history = HistoricalRecords(m2m_fields=[people])

    class Meta:
        ordering = ["-at"]
        # The timeline reads a person's latest contacts by ``-at, -id`` (``casework.timeline``): with the
        # id in the index, contacts recorded at the same moment (a day's notes typed in at once, an
        # import's midnight) are read in order too, instead of all of them being read and sorted to
        # show the first fifty.
        indexes = [models.Index(fields=["young_person", "at", "id"], name="casework_contact_person_at")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} with {self.young_person} on {dates.as_date(self.at):%d/%m/%Y}"

    def clean(self) -> None:
        errors = Errors()
        errors.check(dates.not_in_future, self.at, "The date of the contact", field="at")
        if self.summary is not None and not self.summary.strip():
            errors.add("summary", "Write what happened in a sentence or two.")
        errors.raise_if_any()


class Plan(Recorded):
    """The young person's plan: goals in the six portfolio areas, reviewed on dates."""

    young_person = models.ForeignKey(YoungPerson, on_delete=models.PROTECT, related_name="plans")
    involvement = models.ForeignKey(Involvement, null=True, blank=True, on_delete=models.PROTECT, related_name="plans")
    started = models.DateField()
    next_review_due = models.DateField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-started"]

    def __str__(self) -> str:
        return f"Plan for {self.young_person} from {self.started:%d/%m/%Y}"

    def clean(self) -> None:
        errors = Errors()
        errors.check(dates.not_in_future, self.started, "The plan's start date", field="started")
        errors.check(
            dates.end_not_before_start, self.started, self.next_review_due,
            "next_review_due", "The next review date", "the plan's start date",
        )
        errors.raise_if_any()


class PlanGoal(Withdrawable, Recorded):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="goals")
    area = models.CharField(max_length=20, choices=PortfolioArea.choices)
    description = models.TextField()
    target_date = models.DateField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["area", "pk"]

    def __str__(self) -> str:
        return f"{self.get_area_display()}: {self.description[:60]}"


class PlanReview(Withdrawable, Recorded):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="reviews")
    reviewed_on = models.DateField()
    reviewed_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    summary = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-reviewed_on", "-pk"]

    def __str__(self) -> str:
        return f"Review of {self.plan} on {self.reviewed_on:%d/%m/%Y}"

    def clean(self) -> None:
        errors = Errors()
        errors.check(dates.not_in_future, self.reviewed_on, "The review date", field="reviewed_on")
        if self.plan_id and self.reviewed_on and self.reviewed_on < self.plan.started:
            errors.add("reviewed_on", "The review date must be on or after the plan's start date.")
        errors.raise_if_any()


class GoalProgress(models.Model):
    review = models.ForeignKey(PlanReview, on_delete=models.CASCADE, related_name="progress")
    goal = models.ForeignKey(PlanGoal, on_delete=models.CASCADE, related_name="progress")
    progress = models.CharField(max_length=16, choices=Progress.choices)
    note = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["goal__area", "goal_id"]
        constraints = [
            models.UniqueConstraint(fields=["review", "goal"], name="one_progress_per_goal_per_review")
        ]

    def __str__(self) -> str:
        return f"{self.get_progress_display()} on {self.goal}"
