"""Issue 12 #7, #8, #9: the referrer's contact, every message at once, a contact time later today."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from nwd.access.roles import Role
from nwd.casework import forms as casework_forms
from nwd.casework.models import REFERRER_CONTACT_MESSAGE, Referral, YoungPerson, referrer_contact_valid
from nwd.core import dates
from tests.factories import UserFactory, open_involvement
from tests.web.test_recording import date_data, referral_data

pytestmark = pytest.mark.django_db
TODAY = dates.today()


# --- 7: a usable way to reach the referrer --------------------------------------------------------

@pytest.mark.parametrize("contact", [
    "x", "phone me", "123", "1603 123456", "016031234567", "+1 555 123 4567", "name@", "@example.org", "0800", "Mr Lane", "call 0800 1111",
])
def test_an_unusable_referrer_contact_is_refused_with_a_clear_message(contact):
    with pytest.raises(ValidationError) as refused:
        referrer_contact_valid(contact)
    assert refused.value.messages == [REFERRER_CONTACT_MESSAGE]


@pytest.mark.parametrize("contact", [
    "01603 123456", "(01603) 123 456", "07700 900123", "07700-900-123", "+44 7700 900123", "+44 (0)1603 123456",
    "0044 20 7946 0000", "020 7946 0000", "0800 123 4567", "j.smith@norfolk.gov.uk", "pat.o'neil@nhs.net",
    # a name or a note beside a usable number or address, as practitioners write it
    "01362 000000, Mr Lane", "Mr Lane 07700 900123", "jo@school.sch.uk (head of year)", "01603 123456 ext 12",
])
def test_an_email_or_uk_phone_number_is_accepted(contact):
    referrer_contact_valid(contact)


def test_the_referral_form_refuses_x_as_the_referrers_contact():
    school = UserFactory(role=Role.PARTNER_REFERRER, agency="school", hub=None)
    form = casework_forms.ReferralForm(referral_data(referrer_contact="x"), user=school)
    assert not form.is_valid()
    assert form.errors["referrer_contact"] == [REFERRER_CONTACT_MESSAGE]
    assert not Referral.objects.exists()


def test_the_model_refuses_a_new_referral_with_an_unusable_contact_whatever_the_path():
    person = open_involvement().young_person
    referral = Referral(young_person=person, source_agency="school", received=TODAY, reason="r", referrer_contact="x")
    with pytest.raises(ValidationError) as refused:
        referral.full_clean()
    assert refused.value.message_dict["referrer_contact"] == [REFERRER_CONTACT_MESSAGE]


# --- 8: every message at once ----------------------------------------------------------------------

def test_a_referral_shows_the_age_rule_with_the_upn_and_nhs_number_messages():
    """Before: the bad UPN and NHS number first; the age rule only once they were fixed."""
    school = UserFactory(role=Role.PARTNER_REFERRER, agency="school", hub=None)
    data = referral_data(upn="A12", nhs_number="943 476 5918",
                         **date_data("date_of_birth", TODAY.replace(year=TODAY.year - 9)))
    form = casework_forms.ReferralForm(data, user=school)
    assert form.is_valid()  # each box could be read: the rules are the service's
    assert form.save() is None
    assert form.errors["upn"] == ["A unique pupil number (UPN) has 13 characters, for example A123456789012."]
    assert form.errors["nhs_number"] == ["This is not a valid NHS number: check the digits again."]
    assert "aged 12 to 25" in form.errors["date_of_birth"][0]
    assert not YoungPerson.objects.exists() and not Referral.objects.exists()


def test_a_referral_with_a_field_missing_still_shows_the_rules_of_the_others():
    staff = UserFactory(role=Role.HUB_MANAGER)
    data = referral_data(reason="", upn="A12", source_agency="school",
                         **date_data("date_of_birth", TODAY.replace(year=TODAY.year - 30)), **date_data("received", TODAY))
    form = casework_forms.ReferralForm(data, user=staff)
    assert not form.is_valid()
    assert form.errors["reason"] == ["Say what is happening for the young person"]
    assert form.errors["upn"] == ["A unique pupil number (UPN) has 13 characters, for example A123456789012."]
    assert "aged 12 to 25" in form.errors["received"][0]


def test_a_contact_shows_its_future_date_with_the_missing_summary():
    """Before: "write what happened" first; "cannot be in the future" only once the summary was filled."""
    tomorrow = TODAY + dt.timedelta(days=1)
    form = casework_forms.ContactForm({"kind": "phone", "contact_with": "young_person", "summary": "",
                                       **date_data("date", tomorrow), "time": "09:00"})
    assert not form.is_valid()
    assert form.errors["summary"] == ["Write what happened in a sentence or two"]
    assert form.errors["date"] == ["The date of the contact cannot be in the future."]
    assert [field for field, _ in form.error_summary] == ["id_date_day", "id_summary"]


def test_a_field_in_error_keeps_only_its_own_message():
    form = casework_forms.ContactForm({"kind": "phone", "contact_with": "young_person", "summary": "",
                                       "date_day": "31", "date_month": "2", "date_year": "2025", "time": "10:00"})
    assert not form.is_valid()
    assert form.errors["date"] == ["The date of the contact must be a real date, for example 27 3 2025"]
    assert form.errors["summary"] == ["Write what happened in a sentence or two"]


# --- 9: a contact later today ------------------------------------------------------------------------

def test_a_contact_later_today_says_so_with_both_times(monkeypatch):
    """At 22:27 (BST) a contact at 23:59 today is refused as "later today", saying the time now."""
    now = timezone.make_aware(dt.datetime(2026, 7, 1, 22, 27))
    monkeypatch.setattr(timezone, "now", lambda: now)
    monkeypatch.setattr(dates, "today", lambda: dt.date(2026, 7, 1))
    person = open_involvement().young_person
    worker = person.involvements.get().allocations.get().key_worker
    form = casework_forms.ContactForm({"kind": "phone", "contact_with": "young_person", "summary": "Called",
                                       **date_data("date", dt.date(2026, 7, 1)), "time": "23:59"})
    assert form.is_valid()
    assert form.save(person, worker) is None
    assert form.errors["date"] == [
        "The date of the contact is later today (23:59): it is now 22:27. "
        "Check the time, or record it once it has happened."
    ]
    form = casework_forms.ContactForm({"kind": "phone", "contact_with": "young_person", "summary": "Called",
                                       **date_data("date", dt.date(2026, 7, 1)), "time": "22:20"})
    assert form.is_valid() and form.save(person, worker) is not None
