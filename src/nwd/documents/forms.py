"""The forms of the documents and chronology pages: parse what was typed, with practitioners' messages."""

from __future__ import annotations

from django import forms

from nwd.core.forms import CheckedForm
from nwd.documents.models import DocumentKind

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]


class AttachForm(CheckedForm):
    file = forms.FileField(label="The file", error_messages={
        "required": "Choose the file to attach.", "empty": "The file is empty: choose the document again.",
        "invalid": "The file did not arrive: choose it again."})
    title = forms.CharField(label="What it is", max_length=200,
                            error_messages={"required": "Say what the document is, for example \"Consent to share "
                                                        "information, signed\"."})
    kind = forms.ChoiceField(label="Kind of document", choices=DocumentKind.choices,
                             error_messages={"required": "Choose the kind of document."})
    dated = forms.DateField(label="Date on the document (optional)", required=False, input_formats=DATE_FORMATS,
                            error_messages={"invalid": "Enter the date as day/month/year, like 31/03/2026."})
    about = forms.ChoiceField(label="The record it belongs to (optional)", required=False, choices=[("", "None")])
    shared_with_police = forms.BooleanField(label="Share it with police (the police liaison officer may open it)",
                                            required=False)

    def __init__(self, *args, about_choices=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        about = self.fields["about"]
        assert isinstance(about, forms.ChoiceField)
        about.choices = [("", "None: the young person's record"), *about_choices]


class ChooseForm(CheckedForm):
    entry_key = forms.CharField(max_length=120, error_messages={"required": "Choose an event from the timeline."})
    on = forms.DateField(input_formats=["%Y-%m-%d"], error_messages={"required": "Choose an event from the timeline.",
                                                                     "invalid": "Choose an event from the timeline."})
    note = forms.CharField(label="Why it is significant (optional)", required=False, max_length=2000)
    remove = forms.BooleanField(required=False)
