"""The analyst's forms: the files of a return to check and import, the year of a return to download."""

from __future__ import annotations

from django import forms

from nwd.codelists.codes import year_start
from nwd.core.forms import CheckedForm
from nwd.core.uploads import max_bytes, megabytes


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented way; its FileField takes one)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"multiple": True, "accept": ".csv,.xml,.zip"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if not data:
            return single(None, initial)  # "required" when nothing was chosen
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)]


def _year(value: str) -> str:
    try:
        year_start(value)
    except ValueError as error:
        raise forms.ValidationError(str(error)) from None
    return value.strip()


class ImportForm(CheckedForm):
    files = MultipleFileField(
        label="The return's files",
        help_text="The CSV files (Header, Episodes, Missing, UASC, Reviews, OC2, OC3), the XML form, or a ZIP "
                  "of them. Several years at once is fine.",
        error_messages={"required": "Choose the return's files to upload"},
    )
    year = forms.CharField(
        label="Collection year (optional)", required=False, max_length=7,
        help_text="Only if every file is of one year and their names do not say which, for example 2025-26.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["files"].help_text += f" At most {megabytes(max_bytes())} at a time."

    def clean_year(self) -> str | None:
        value = (self.cleaned_data.get("year") or "").strip()
        return _year(value) if value else None


class ExportForm(CheckedForm):
    year = forms.ChoiceField(label="Collection year", error_messages={
        "required": "Choose the collection year", "invalid_choice": "Choose one of the years listed"})

    def __init__(self, *args, years: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, f"{y} (1 April {y[:4]} to 31 March {int(y[:4]) + 1})")
                                       for y in reversed(years)]
