"""The forms of the care leaver pages: parse what was typed; the rules are the models'."""

from __future__ import annotations

import datetime as dt

from django import forms

from nwd.core import dates
from nwd.core.forms import CheckedForm
from nwd.leavers.choices import AdviserContactKind


class ContactForm(CheckedForm):
    on = forms.DateField(label="Date of the contact", input_formats=["%d/%m/%Y", "%Y-%m-%d"],
                         error_messages={"required": "Enter the date of the contact.",
                                         "invalid": "Enter the date as day/month/year, like 31/03/2026."})
    kind = forms.ChoiceField(label="Kind of contact", choices=AdviserContactKind.choices,
                             error_messages={"required": "Choose the kind of contact."})
    summary = forms.CharField(label="What happened", required=False, widget=forms.Textarea(attrs={"rows": 4}),
                              max_length=5000)


class AnnexAForm(CheckedForm):
    on = forms.DateField(label="As at", input_formats=["%d/%m/%Y", "%Y-%m-%d"],
                         help_text="The date the lists are as at, like 31/03/2026.",
                         error_messages={"required": "Enter the date the lists are as at.",
                                         "invalid": "Enter the date as day/month/year, like 31/03/2026."})

    def clean_on(self) -> dt.date:
        on: dt.date = self.cleaned_data["on"]
        if on > dates.today():
            raise forms.ValidationError("The date cannot be in the future: the lists say what the records held on it.")
        if on.year < 1900:
            raise forms.ValidationError("Enter a year from 1900.")
        return on
