"""The forms of the home's records: parse what was typed; the rules are the models'."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from nwd.core.forms import CheckedForm
from nwd.homes.choices import Shift

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
DATE_ERRORS = {"invalid": "Enter the date as day/month/year, like 31/03/2026."}


def _date(label: str, required: bool = True) -> forms.DateField:
    return forms.DateField(label=label, input_formats=DATE_FORMATS, required=required,
                           help_text="For example, 31/03/2026",
                           error_messages={**DATE_ERRORS, "required": f"Enter the {label.lower()}."})


def add_errors(form: forms.Form, error: ValidationError) -> None:
    """File a model's messages under the form's boxes (or the whole form)."""
    if not hasattr(error, "error_dict"):  # a message about the whole record
        for message in error.messages:
            form.add_error(None, message)
        return
    for name, messages in error.message_dict.items():
        for message in messages:
            form.add_error(name if name in form.fields else None, message)


class LogEntryForm(CheckedForm):
    text = forms.CharField(label="What happened", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
                           error_messages={"required": "Write what happened: an entry cannot be empty."})


class HandoverForm(CheckedForm):
    on = _date("Shift date")
    shift = forms.ChoiceField(label="Shift", choices=Shift.choices, widget=forms.RadioSelect,
                              error_messages={"required": "Choose the shift."})
    summary = forms.CharField(label="What the next shift must know", max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 4}),
                              error_messages={"required": "Write what the next shift must know."})


class VisitForm(CheckedForm):
    visited_on = _date("Date of the visit")
    independent_person = forms.CharField(label="Independent person", max_length=120,
                                         error_messages={"required": "Name the independent person who visited."})
    children_spoken_to = forms.IntegerField(label="Children spoken to in private", min_value=0, max_value=20,
                                            initial=0)
    summary = forms.CharField(label="The report's findings", max_length=10000, widget=forms.Textarea(attrs={"rows": 5}),
                              error_messages={"required": "Write the report's findings."})


class ReviewForm(CheckedForm):
    reviewed_on = _date("Date the review was completed")
    period_start = _date("Start of the period reviewed")
    summary = forms.CharField(label="The report's findings", max_length=10000, widget=forms.Textarea(attrs={"rows": 5}),
                              error_messages={"required": "Write the report's findings."})


class ActionForm(CheckedForm):
    recommendation = forms.CharField(label="Recommendation", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
                                     error_messages={"required": "Write the recommendation."})
    owner = forms.ChoiceField(label="Owner", error_messages={"required": "Choose who owns the action."})
    due = _date("Due date")

    def __init__(self, *args, owners=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = (  # type: ignore[attr-defined]
            [("", "Choose")] + [(str(u.pk), u.get_full_name() or u.username) for u in owners])


class SignOffForm(CheckedForm):
    response = forms.CharField(label="Your response", max_length=10000, widget=forms.Textarea(attrs={"rows": 4}),
                               error_messages={"required": "Write your response before signing it off."})


class SentForm(CheckedForm):
    sent_on = _date("Date sent to Ofsted")


class DoneForm(CheckedForm):
    done_on = _date("Date done")
    outcome = forms.CharField(label="What was done", max_length=2000, widget=forms.Textarea(attrs={"rows": 2}),
                              error_messages={"required": "Say what was done."})


class VisitorForm(CheckedForm):
    name = forms.CharField(label="Visitor's name", max_length=120,
                           error_messages={"required": "Enter the visitor's name."})
    capacity = forms.CharField(label="Who they are", max_length=120, help_text="For example: mother, social worker, "
                               "plumber", error_messages={"required": "Say who they are."})
    young_person = forms.ChoiceField(label="Young person they visited", required=False)
    visiting = forms.CharField(label="Or whom else they visited", max_length=120, required=False,
                               help_text="Staff or the home itself")
    id_checked = forms.BooleanField(label="ID checked", required=False)

    def __init__(self, *args, people=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["young_person"].choices = (  # type: ignore[attr-defined]
            [("", "Nobody in particular")] + [(str(p.pk), p.full_name) for p in people])


class RegisterForm(CheckedForm):
    date_from = _date("From")
    date_to = _date("To")

    def clean(self) -> dict:
        data = super().clean() or {}
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", "The end of the period must be on or after its start.")
        return data


CORRECTION_REASON = forms.CharField(
    label="Why are you correcting it?", max_length=100,
    help_text="For example: wrong young person's name, typing error. The history keeps what it said before.",
    error_messages={"required": "Say why it is being corrected.", "max_length": "Say why in 100 characters or fewer."})


class CorrectLogEntryForm(CheckedForm):
    text = LogEntryForm.base_fields["text"]
    why_corrected = CORRECTION_REASON


class CorrectHandoverForm(CheckedForm):
    summary = HandoverForm.base_fields["summary"]
    why_corrected = CORRECTION_REASON
