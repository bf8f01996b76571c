"""Forms and the services they call: what the practitioner types becomes a record, or a message by the field."""

import datetime as dt

import pytest
from django.utils import timezone
from django.utils.formats import date_format

from nwd.access.roles import Role
from nwd.casework import forms as casework_forms
from nwd.casework import services as casework
from nwd.casework.choices import Decision, ReferralStatus
from nwd.casework.models import Referral, YoungPerson
from nwd.core import dates
from nwd.events import forms as event_forms
from nwd.events import services as events
from nwd.events.models import EETPeriod, MissingEpisode
from nwd.hubs import forms as hub_forms
from nwd.hubs.models import BedKind
from tests.factories import (
    BedFactory,
    HubFactory,
    ReferralFactory,
    UserFactory,
    YoungPersonFactory,
    open_involvement,
)

pytestmark = pytest.mark.django_db
TODAY = dates.today()
YESTERDAY = TODAY - dt.timedelta(days=1)


def date_data(name: str, day: dt.date) -> dict:
    return {f"{name}_day": str(day.day), f"{name}_month": str(day.month), f"{name}_year": str(day.year)}


def referral_data(**extra) -> dict:
    data = {
        "given_name": "Jordan", "family_name": "Ashby", "sex": "1",
        **date_data("date_of_birth", TODAY.replace(year=TODAY.year - 14) - dt.timedelta(days=3)),
        "referrer_contact": "01603 000000", "reason": "Missing from home three times this month.",
        "urgency": "urgent",
    }
    data.update(extra)
    return data


def test_partner_referral_takes_the_agency_from_the_account():
    school = UserFactory(role=Role.PARTNER_REFERRER, agency="school", organisation="Dereham High School", hub=None)
    form = casework_forms.ReferralForm(referral_data(), user=school)
    assert "source_agency" not in form.fields and "received" not in form.fields
    assert form.is_valid(), form.errors
    referral = form.save()
    assert referral.source_agency == "school"
    assert referral.referrer_organisation == "Dereham High School"
    assert referral.received == TODAY
    assert referral.submitted_by == school
    assert referral.young_person.child_id.startswith("R")


def test_referral_finds_the_young_person_already_known_to_the_referrer():
    """Staff who may see the young person match their record; a partner's referral brings its own
    (the hub manager links it at triage: tests/access/test_need_to_know.py)."""
    known = YoungPersonFactory(given_name="Jordan", family_name="Ashby",
                               date_of_birth=TODAY.replace(year=TODAY.year - 14) - dt.timedelta(days=3))
    involvement = open_involvement(young_person=known)
    key_worker = involvement.allocations.get().key_worker
    form = casework_forms.ReferralForm(referral_data(given_name="jordan ", source_agency="health",
                                                     **date_data("received", TODAY)), user=key_worker)
    assert form.is_valid(), form.errors
    assert form.save().young_person == known
    school = UserFactory(role=Role.PARTNER_REFERRER, agency="school", hub=None)
    form = casework_forms.ReferralForm(referral_data(given_name="jordan "), user=school)
    assert form.is_valid(), form.errors
    assert form.save().young_person != known
    assert YoungPerson.objects.count() == 2


def test_referral_age_message_is_shown_by_the_date_of_birth_for_partners():
    school = UserFactory(role=Role.PARTNER_REFERRER, agency="school", hub=None)
    form = casework_forms.ReferralForm(
        referral_data(**date_data("date_of_birth", TODAY.replace(year=TODAY.year - 9))), user=school
    )
    assert form.is_valid()
    assert form.save() is None
    assert "aged 12 to 25" in form.errors["date_of_birth"][0]
    assert not YoungPerson.objects.exists()  # nothing half-written


def test_date_messages_follow_the_govuk_pattern():
    form = casework_forms.ContactForm({"kind": "phone", "contact_with": "young_person", "summary": "x",
                                       "date_day": "31", "date_month": "2", "date_year": "2025", "time": "10:00"})
    assert not form.is_valid()
    assert form.errors["date"] == ["The date of the contact must be a real date, for example 27 3 2025"]
    form = casework_forms.ContactForm({"kind": "phone", "contact_with": "young_person", "summary": "x",
                                       "date_day": "3", "date_month": "", "date_year": "2025", "time": "25:00"})
    assert not form.is_valid()
    assert form.errors["date"] == ["The date of the contact must include a month"]
    assert form.errors["time"] == ["Enter a time like 14:30"]
    assert [message for _, message in form.error_summary][:1] == ["The date of the contact must include a month"]


def test_contact_in_the_future_is_refused_next_to_the_date():
    involvement = open_involvement()
    tomorrow = TODAY + dt.timedelta(days=1)
    form = casework_forms.ContactForm({"kind": "phone", "contact_with": "young_person", "summary": "Called",
                                       **date_data("date", tomorrow), "time": "09:00"})
    assert form.is_valid()
    assert form.save(involvement.young_person, involvement.allocations.get().key_worker) is None
    assert form.errors["date"] == ["The date of the contact cannot be in the future."]


def test_triage_decide_allocate_admit_discharge_close():
    hub = HubFactory()
    manager = UserFactory(role=Role.HUB_MANAGER, hub=hub)
    worker = UserFactory(role=Role.KEY_WORKER, hub=hub)
    BedFactory(hub=hub, label="Room 1", kind=BedKind.RESIDENTIAL)
    emergency = BedFactory(hub=hub, label="Emergency 1", kind=BedKind.EMERGENCY)
    referral = ReferralFactory(received=YESTERDAY)
    casework.start_triage(referral, by=manager)

    form = casework_forms.DecisionForm({"decision": Decision.HANDOVER, **date_data("decided_on", TODAY)})
    assert form.is_valid() and form.save(referral, manager) is None
    assert form.errors["handover_service"] == ["Name the service the young person is being handed over to."]
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.TRIAGE

    form = casework_forms.DecisionForm({"decision": Decision.EMERGENCY_BED, **date_data("decided_on", TODAY)})
    assert form.is_valid() and form.save(referral, manager)

    form = casework_forms.StartSupportForm({"key_worker": worker.pk, **date_data("start", TODAY)}, hub=hub)
    assert form.is_valid(), form.errors
    involvement = form.save(referral, manager)
    assert involvement.support_type == "emergency"

    form = hub_forms.AdmitForm({"bed": emergency.pk, **date_data("admitted", TODAY)}, hub=hub, emergency=True)
    assert [bed.label for bed in form.fields["bed"].queryset] == ["Emergency 1"]
    assert form.is_valid(), form.errors
    stay = form.save(referral.young_person, involvement, manager)
    assert stay.bed == emergency

    form = casework_forms.CloseInvolvementForm({"end_reason": "stable_at_home", **date_data("end", TODAY)})
    assert form.is_valid() and form.save(involvement, manager) is None
    assert form.non_field_errors() == ["The young person is still in a hub bed: record their discharge first."]

    form = hub_forms.DischargeForm({"destination": "home", "planned": "yes", **date_data("discharged", TODAY)})
    assert form.is_valid() and form.save(stay, manager)
    form = casework_forms.CloseInvolvementForm({"end_reason": "stable_at_home", **date_data("end", TODAY)})
    assert form.is_valid() and form.save(involvement, manager)
    involvement.refresh_from_db()
    assert involvement.end == TODAY


def test_reallocation_needs_a_reason():
    involvement = open_involvement(start=YESTERDAY)
    new = UserFactory(role=Role.KEY_WORKER, hub=involvement.hub)
    form = casework_forms.ReallocateForm({"key_worker": new.pk, **date_data("on", TODAY)}, hub=involvement.hub)
    assert not form.is_valid()
    assert form.errors["reason"] == ["Say why the key worker is changing"]
    form = casework_forms.ReallocateForm(
        {"key_worker": new.pk, "reason": "workload", **date_data("on", TODAY)}, hub=involvement.hub
    )
    assert form.is_valid() and form.save(involvement, new)
    assert casework.key_worker_changes(involvement.young_person) == 1
    labels = [label for _, label in form.fields["key_worker"].choices]
    assert any("(1 young person)" in str(label) for label in labels)


def test_missing_episode_and_its_return():
    involvement = open_involvement(start=YESTERDAY)
    person = involvement.young_person
    worker = involvement.allocations.get().key_worker
    went = timezone.localtime(timezone.now() - dt.timedelta(hours=5))
    form = event_forms.MissingEpisodeForm({"kind": "M", "reported_to_police": "yes", **date_data("date", went.date()),
                                           "time": went.strftime("%H:%M")})
    assert form.is_valid(), form.errors
    episode = form.save(person, worker)
    assert episode.involvement == involvement

    again = event_forms.MissingEpisodeForm({"kind": "M", "reported_to_police": "yes", **date_data("date", went.date()),
                                            "time": went.strftime("%H:%M")})
    assert again.is_valid() and again.save(person, worker) is None
    assert again.errors["date"] == ["This young person is already recorded as missing: record their return first."]

    back = timezone.localtime(timezone.now() - dt.timedelta(hours=1))
    form = event_forms.MissingReturnForm({"return_interview_offered": "no", "return_interview_accepted": "yes",
                                          **date_data("date", back.date()), "time": back.strftime("%H:%M")})
    assert form.is_valid() and form.save(episode, worker) is None
    assert form.errors["return_interview_accepted"] == ["A return interview can only be accepted if it was offered."]
    form = event_forms.MissingReturnForm({"return_interview_offered": "yes", "return_interview_accepted": "yes",
                                          **date_data("date", back.date()), "time": back.strftime("%H:%M")})
    assert form.is_valid() and form.save(episode, worker)
    assert MissingEpisode.objects.get().ended_at is not None


def test_eet_change_ends_the_current_period_the_day_before():
    person = YoungPersonFactory()
    events.change_eet_status(person, "school", TODAY - dt.timedelta(days=100), provider="Dereham High")
    form = event_forms.EETChangeForm({"status": "neet", **date_data("start", TODAY)})
    assert form.is_valid() and form.save(person, UserFactory())
    old, new = EETPeriod.objects.order_by("start")
    assert old.end == YESTERDAY and new.end is None and new.status == "neet"
    form = event_forms.EETChangeForm({"status": "college", **date_data("start", TODAY)})
    assert form.is_valid() and form.save(person, UserFactory()) is None
    assert form.errors["start"] == [f"The new status must start after the current one began ({date_format(TODAY)})."]


def test_police_health_and_exploitation_forms():
    involvement = open_involvement(start=YESTERDAY)
    person, user = involvement.young_person, UserFactory()
    for form in (
        event_forms.PoliceContactForm({"kind": "arrest", **date_data("occurred_on", TODAY)}),
        event_forms.HealthEventForm({"kind": "ae", **date_data("occurred_on", TODAY)}),
        event_forms.ExploitationConcernForm({"kind": "criminal", "summary": "Seen with older men", **date_data("raised_on", TODAY)}),
    ):
        assert form.is_valid(), form.errors
        assert form.save(person, user).involvement == involvement
    form = event_forms.ExploitationConcernForm({"kind": "criminal", **date_data("raised_on", TODAY)})
    assert not form.is_valid() and form.errors["summary"] == ["Describe the concern"]


def test_plan_goals_then_a_review_with_progress():
    involvement = open_involvement(start=YESTERDAY)
    person, worker = involvement.young_person, involvement.allocations.get().key_worker
    form = casework_forms.PlanGoalForm({"area": "eet", "description": "Back to school three days a week",
                                        **date_data("next_review_due", TODAY + dt.timedelta(days=28))}, plan=None)
    assert form.is_valid() and form.save(person, worker)
    plan = casework.current_plan(person)
    assert plan.next_review_due == TODAY + dt.timedelta(days=28)
    form = casework_forms.PlanGoalForm({"area": "safety", "description": "Home by 10pm"}, plan=plan)
    assert "next_review_due" not in form.fields
    assert form.is_valid() and form.save(person, worker)

    goals = list(plan.goals.order_by("area"))
    form = casework_forms.PlanReviewForm({**date_data("reviewed_on", TODAY)}, plan=plan)
    assert not form.is_valid()
    assert "Record progress on at least one goal" in form.errors[f"goal_{goals[0].pk}"]
    form = casework_forms.PlanReviewForm({
        **date_data("reviewed_on", TODAY), **date_data("next_review_due", TODAY + dt.timedelta(days=42)),
        f"goal_{goals[0].pk}": "good", f"note_{goals[0].pk}": "Went every day this week",
    }, plan=plan)
    assert form.is_valid(), form.errors
    review = form.save(worker)
    assert review.progress.get().progress == "good"
    plan.refresh_from_db()
    assert plan.next_review_due == TODAY + dt.timedelta(days=42)


def test_restored_form_shows_the_draft_without_errors():
    form = casework_forms.ContactForm.restored({"summary": "Half way through", "date_day": "3"})
    assert form.errors == {}
    assert form["summary"].value() == "Half way through"


def test_decided_referral_cannot_be_decided_again():
    referral = ReferralFactory(received=YESTERDAY)
    casework.decide_referral(referral, Decision.OUTREACH, TODAY)
    form = casework_forms.DecisionForm({"decision": Decision.HUB_STAY, **date_data("decided_on", TODAY)})
    assert form.is_valid() and form.save(Referral.objects.get(), UserFactory()) is None
    assert form.non_field_errors() == ["This referral has already been decided."]


def test_substance_use_assessment_form():
    involvement = open_involvement(start=YESTERDAY)
    person = involvement.young_person
    form = event_forms.SubstanceUseForm({"level": "regular", "substances": "cannabis", **date_data("assessed_on", TODAY)})
    assert form.is_valid(), form.errors
    assessment = form.save(person, UserFactory())
    assert (assessment.level, assessment.substances, assessment.involvement) == ("regular", "cannabis", involvement)
    form = event_forms.SubstanceUseForm({**date_data("assessed_on", TODAY + dt.timedelta(days=1))})
    assert not form.is_valid()
    assert form.errors["level"] == ["Select how the young person is using substances"]
    form = event_forms.SubstanceUseForm({"level": "none", **date_data("assessed_on", TODAY + dt.timedelta(days=1))})
    assert form.is_valid() and form.save(person, UserFactory()) is None
    assert form.errors["assessed_on"] == ["The date assessed cannot be in the future."]


def test_drawing_in_a_specialist_offers_only_specialists_not_already_in_the_team():
    involvement = open_involvement(start=YESTERDAY)
    person, key_worker = involvement.young_person, UserFactory(role=Role.KEY_WORKER)
    psychologist = UserFactory(role=Role.LIFE_COACH, first_name="Priya", last_name="Okafor")
    therapist = UserFactory(role=Role.COMMUNICATION_SUPPORT)
    UserFactory(role=Role.POLICE_LIAISON)
    form = casework_forms.SpecialistForm(person=person)
    assert set(form.fields["specialist"].queryset) == {psychologist, therapist}
    form = casework_forms.SpecialistForm({"specialist": psychologist.pk, "reason": "Sleep and nightmares",
                                          **date_data("start", TODAY)}, person=person)
    assert form.is_valid(), form.errors
    drawn_in = form.save(person, key_worker)
    assert (drawn_in.specialist, drawn_in.drawn_in_by, drawn_in.involvement) == (psychologist, key_worker, involvement)
    assert set(casework_forms.SpecialistForm(person=person).fields["specialist"].queryset) == {therapist}
    form = casework_forms.SpecialistForm({"specialist": therapist.pk, **date_data("start", TODAY)}, person=person)
    assert not form.is_valid() and form.errors["reason"] == ["Say what the specialist will help with"]
