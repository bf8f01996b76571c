"""Issue 11 #6: every field of the shared form base refuses NUL and out-of-range numbers by the field."""

from __future__ import annotations

import pytest
from django import forms

from nwd.core.forms import NULL_MESSAGE, CheckedForm, DateField, ServiceForm, TimeField, yes_no


class Everything(ServiceForm):
    date = DateField(label_text="The date")
    time = TimeField(required=False)
    text = forms.CharField(required=False)
    count = forms.IntegerField(required=False)
    amount = forms.DecimalField(required=False)
    share = forms.FloatField(required=False)
    bounded = forms.IntegerField(required=False, max_value=10)
    answer = yes_no("Any answer?", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["added_later"] = forms.CharField(required=False)


GOOD = {"date_day": "1", "date_month": "2", "date_year": "2025"}


@pytest.mark.parametrize("name", ["date_day", "date_month", "date_year", "time", "text", "count", "amount", "share",
                                  "answer", "added_later"])
def test_a_null_character_in_any_field_is_a_message_by_that_field(name):
    form = Everything({**GOOD, name: (GOOD.get(name) or "1") + "\x00"})
    assert not form.is_valid()
    field = name.rsplit("_", 1)[0] if name.startswith("date_") else name
    assert form.errors[field] == [NULL_MESSAGE]


def test_twenty_nines_in_numbers_are_messages():
    form = Everything({**GOOD, "count": "9" * 20, "amount": "9" * 20, "share": "9" * 20, "bounded": "9" * 20})
    assert not form.is_valid()
    assert form.errors["count"] == ["Enter a number no bigger than 2,147,483,647"]
    assert form.errors["amount"] == ["Enter a number no bigger than 1,000,000,000,000,000"]
    assert form.errors["share"] == ["Enter a number no bigger than 1,000,000,000,000,000"]
    assert form.errors["bounded"] == ["Ensure this value is less than or equal to 10."]  # its own bound stands
    form = Everything({**GOOD, "count": "-" + "9" * 20})
    assert form.errors["count"] == ["Enter a number no smaller than -2,147,483,647"]


def test_twenty_nines_in_a_date_part_is_a_real_date_message():
    for part in ("date_day", "date_month", "date_year"):
        form = Everything({**GOOD, part: "9" * 20})
        assert form.errors["date"] == ["The date must be a real date, for example 27 3 2025"]


def test_good_values_still_pass():
    form = Everything({**GOOD, "text": "Fine", "count": "12", "share": "0.5", "answer": "yes"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["count"] == 12


def test_guarding_twice_adds_nothing():
    form = Everything(GOOD)
    form.is_valid()
    validators = list(form.fields["count"].validators)
    form.full_clean()
    assert form.fields["count"].validators == validators
    assert issubclass(ServiceForm, CheckedForm)
