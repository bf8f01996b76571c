"""Corrections and withdrawals of any record (issue 16, item 7): which records, and their forms.

The contact note had its own correction (``CorrectContactForm``): the author changes the note, gives a
reason, and the change history keeps what it said before. Here the same flow serves every other record
a practitioner writes: each event, plan goals and reviews, referrals and hub stays. An event's correction
form is the form that recorded it (so the same questions, in the same words, with the same rules),
filled in with the record as it stands, plus the reason; the others have a small form of their own.

A record entered in error (the wrong young person, recorded twice) is withdrawn rather than deleted:
``nwd.core.models.Withdrawable``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils import timezone

from nwd.casework import services
from nwd.casework.choices import PortfolioArea, SourceAgency, Urgency
from nwd.casework.models import Contact, PlanGoal, PlanReview, Referral
from nwd.core.forms import DateField, ServiceForm, yes_no
from nwd.events import forms as event_forms
from nwd.events.models import (
    EETPeriod,
    ExploitationConcern,
    HealthEvent,
    MissingEpisode,
    PoliceContact,
    SubstanceUseAssessment,
)
from nwd.hubs.models import Destination, Stay


class GoalFields(ServiceForm):
    draft_name = "goal_fields"
    rule_model = PlanGoal

    area = forms.ChoiceField(label="Portfolio area", choices=PortfolioArea.choices, widget=forms.RadioSelect,
                             error_messages={"required": "Select the area of the plan this goal is in"})
    description = forms.CharField(label="Goal", widget=forms.Textarea(attrs={"rows": 3}),
                                  error_messages={"required": "Describe the goal"})
    target_date = DateField(label="Target date (optional)", label_text="The target date", required=False)


class ReviewFields(ServiceForm):
    draft_name = "review_fields"
    rule_model = PlanReview

    reviewed_on = DateField(label="Date of the review", label_text="The review date")
    summary = forms.CharField(label="Summary of the review (optional)", required=False,
                              widget=forms.Textarea(attrs={"rows": 4}))


class ReferralFields(ServiceForm):
    draft_name = "referral_fields"
    rule_model = Referral

    received = DateField(label="Date received", label_text="The date received")
    source_agency = forms.ChoiceField(label="Referring agency", choices=SourceAgency.choices,
                                      error_messages={"required": "Select the referring agency"})
    urgency = forms.ChoiceField(label="Urgency", choices=Urgency.choices, widget=forms.RadioSelect,
                                error_messages={"required": "Select how urgent the referral is"})
    referrer_name = forms.CharField(label="Referrer's name (optional)", required=False, max_length=120)
    referrer_organisation = forms.CharField(label="Referrer's organisation (optional)", required=False,
                                            max_length=120)
    reason = forms.CharField(label="Why they were referred", widget=forms.Textarea(attrs={"rows": 4}),
                             error_messages={"required": "Say why the young person was referred"})


class StayFields(ServiceForm):
    draft_name = "stay_fields"
    rule_model = Stay

    admitted = DateField(label="Date admitted", label_text="The admission date")
    planned_discharge = DateField(label="Planned discharge (optional)", label_text="The planned discharge date",
                                  required=False)
    discharged = DateField(label="Date discharged (if they have left)", label_text="The discharge date",
                           required=False)
    destination = forms.ChoiceField(label="Where they went (if they have left)", required=False,
                                    choices=[("", "Not left yet"), *Destination.choices])
    planned = yes_no("Was it the planned discharge? (if they have left)", required=False)


@dataclass(frozen=True)
class Correctable:
    """A kind of record that can be corrected: its key (in addresses), model, name and form."""

    key: str
    model: Any
    noun: str
    fields_form: Any  # the form whose questions are the record's (recording form, or one above)


CORRECTABLE: dict[str, Correctable] = {c.key: c for c in (
    Correctable("missing", MissingEpisode, "missing episode", event_forms.MissingEpisodeForm),
    Correctable("police", PoliceContact, "police contact", event_forms.PoliceContactForm),
    Correctable("health", HealthEvent, "health event", event_forms.HealthEventForm),
    Correctable("exploitation", ExploitationConcern, "exploitation concern", event_forms.ExploitationConcernForm),
    Correctable("substance", SubstanceUseAssessment, "substance use assessment", event_forms.SubstanceUseForm),
    Correctable("eet", EETPeriod, "education, employment or training status", event_forms.EETChangeForm),
    Correctable("goal", PlanGoal, "plan goal", GoalFields),
    Correctable("review", PlanReview, "plan review", ReviewFields),
    Correctable("referral", Referral, "referral", ReferralFields),
    Correctable("stay", Stay, "hub stay", StayFields),
)}
# Withdrawable: every correctable record, and a contact note (corrected by its own form).
WITHDRAWABLE: dict[str, tuple[type, str]] = {
    **{key: (c.model, c.noun) for key, c in CORRECTABLE.items()},
    "contact": (Contact, "contact note"),
}
KEY_OF_MODEL = {model: key for key, (model, _) in WITHDRAWABLE.items()}


def key_of(record: object) -> str:
    """The key of a record's kind ("" when it cannot be corrected or withdrawn here)."""
    return KEY_OF_MODEL.get(type(record), "")


def _initial(form_class: Any, record: object) -> dict:
    """The form's answers as the record stands: fields of the same name (through the form's
    ``field_map``), a date-time split into its date and time, yes and no for a boolean."""
    to_model = {form_name: model_name for model_name, form_name in form_class.field_map.items()}
    initial: dict = {}
    moment = None
    for name in form_class.base_fields:
        model_name = to_model.get(name, name)
        if not hasattr(record, model_name) or name == "why_corrected":
            continue
        value = getattr(record, model_name)
        if isinstance(value, dt.datetime):
            moment = timezone.localtime(value)
            value = moment.date()
        elif isinstance(value, bool):
            value = "yes" if value else "no"
        elif value is None:
            continue
        initial[name] = value
    if moment is not None and "time" in form_class.base_fields:
        initial["time"] = moment.strftime("%H:%M")
    return initial


REASON_HELP = "For example: wrong date, typing error. The record's history keeps what it said before."


def correction_form(correctable: Correctable) -> type:
    """The record's own questions, filled in with what it says, and why it is being corrected."""
    base = correctable.fields_form

    class CorrectionForm(base):  # type: ignore[misc, valid-type]
        draft_name = f"correct_{correctable.key}"

        why_corrected = forms.CharField(
            label=f"Why are you correcting this {correctable.noun}?", max_length=100, help_text=REASON_HELP,
            error_messages={"required": f"Say why the {correctable.noun} is being corrected",
                            "max_length": "Say why in 100 characters or fewer"},
        )

        def __init__(self, *args, record=None, **kwargs):
            if record is not None:
                kwargs.setdefault("initial", _initial(base, record))
            super().__init__(*args, **kwargs)

        def changes(self) -> dict:
            """The record's fields from the answers: those of the same name, then the form's own."""
            data = self.cleaned_data
            values = ServiceForm.rule_values(self, data)
            values.update(self.rule_values(data))
            names = {f.name for f in correctable.model._meta.concrete_fields}
            return {name: value for name, value in values.items()
                    if name in names and name not in ("young_person", "involvement")}

        def save(self, record, user):
            return self.run(lambda: services.correct_record(
                record, changes=self.changes(), reason=self.cleaned_data["why_corrected"], by=user))

    CorrectionForm.__name__ = CorrectionForm.__qualname__ = f"Correct{correctable.model.__name__}Form"
    return CorrectionForm


CORRECTION_FORMS = {key: correction_form(c) for key, c in CORRECTABLE.items()}


class WithdrawForm(ServiceForm):
    """Withdraw a record entered in error: why (the history and the audit log keep it)."""

    draft_name = "withdraw"
    field_map = {"withdrawn_reason": "reason"}

    reason = forms.CharField(
        label="Why is this record being withdrawn?", max_length=200,
        help_text="For example: recorded for the wrong young person, recorded twice. It leaves every count, list "
                  "and timeline; its history keeps it.",
        error_messages={"required": "Say why the record is being withdrawn",
                        "max_length": "Say why in 200 characters or fewer"},
    )

    def __init__(self, *args, record=None, **kwargs):
        super().__init__(*args, **kwargs)

    def save(self, record, user):
        return self.run(lambda: services.withdraw_record(record, reason=self.cleaned_data["reason"], by=user))
