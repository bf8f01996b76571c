"""Recording events on the young person's page: missing and its return, police, health, exploitation,
substance use, EET."""

from __future__ import annotations

from django import forms

from nwd.core import dates
from nwd.core.forms import DateField, ServiceForm, TimeField, at_moment, now_local, yes_no
from nwd.events import services
from nwd.events.models import (
    EETPeriod,
    EETStatus,
    ExploitationConcern,
    ExploitationKind,
    HealthEvent,
    HealthEventKind,
    MissingEpisode,
    MissingKind,
    PoliceContact,
    PoliceContactKind,
    SubstanceUseAssessment,
    SubstanceUseLevel,
)


def _summary(label: str = "What happened (optional)", required: bool = False, message: str = "") -> forms.CharField:
    errors = {"required": message} if message else {}
    return forms.CharField(label=label, required=required, widget=forms.Textarea(attrs={"rows": 4}), error_messages=errors)


class MissingEpisodeForm(ServiceForm):
    draft_name = "missing"
    rule_model = MissingEpisode
    field_map = {"started_at": "date"}

    kind = forms.ChoiceField(
        label="Missing or away?", choices=MissingKind.choices, widget=forms.RadioSelect, initial=MissingKind.MISSING,
        error_messages={"required": "Select missing or away without authorisation"},
    )
    date = DateField(label="Date they went missing", label_text="The date they went missing", initial=dates.today)
    time = TimeField(label="Time they were last seen", initial=lambda: now_local().strftime("%H:%M"))
    reported_to_police = yes_no("Reported to the police?", initial="yes")
    notes = _summary("Circumstances (optional)")

    def rule_values(self, data: dict) -> dict:
        values = {name: data[name] for name in ("kind", "notes") if name in data}
        if data.get("date") and data.get("time"):
            values["started_at"] = at_moment(data["date"], data["time"])
        return values

    def save(self, young_person, user):
        data = self.cleaned_data
        return self.run(lambda: services.record_missing_episode(
            young_person, at_moment(data["date"], data["time"]), kind=data["kind"],
            reported_to_police=bool(data["reported_to_police"]), notes=data["notes"], by=user,
        ))


class MissingReturnForm(ServiceForm):
    draft_name = "return"
    field_map = {"ended_at": "date"}

    date = DateField(label="Date they returned", label_text="The date they returned", initial=dates.today)
    time = TimeField(label="Time they returned", initial=lambda: now_local().strftime("%H:%M"))
    return_interview_offered = yes_no("Was a return interview offered?", required=False)
    return_interview_accepted = yes_no("Was it accepted?", required=False)
    notes = _summary("Where they were and how they are (optional)")

    def save(self, episode, user):
        data = self.cleaned_data
        return self.run(lambda: services.record_return(
            episode, ended_at=at_moment(data["date"], data["time"]),
            return_interview_offered=data["return_interview_offered"],
            return_interview_accepted=data["return_interview_accepted"], notes=data["notes"], by=user,
        ))


class PoliceContactForm(ServiceForm):
    draft_name = "police"
    rule_model = PoliceContact

    kind = forms.ChoiceField(
        label="Kind of police contact", choices=PoliceContactKind.choices, widget=forms.RadioSelect,
        error_messages={"required": "Select the kind of police contact"},
    )
    occurred_on = DateField(label="Date", label_text="The date", initial=dates.today)
    summary = _summary()

    def save(self, young_person, user):
        data = self.cleaned_data
        return self.run(lambda: services.record_police_contact(
            young_person, data["occurred_on"], data["kind"], data["summary"], by=user,
        ))


class HealthEventForm(ServiceForm):
    draft_name = "health"
    rule_model = HealthEvent

    kind = forms.ChoiceField(
        label="Kind of health event", choices=HealthEventKind.choices, widget=forms.RadioSelect,
        error_messages={"required": "Select the kind of health event"},
    )
    occurred_on = DateField(label="Date", label_text="The date", initial=dates.today)
    summary = _summary()

    def save(self, young_person, user):
        data = self.cleaned_data
        return self.run(lambda: services.record_health_event(
            young_person, occurred_on=data["occurred_on"], kind=data["kind"], summary=data["summary"], by=user,
        ))


class ExploitationConcernForm(ServiceForm):
    draft_name = "exploitation"
    rule_model = ExploitationConcern

    kind = forms.ChoiceField(
        label="Kind of exploitation", choices=ExploitationKind.choices, widget=forms.RadioSelect,
        error_messages={"required": "Select the kind of exploitation"},
    )
    raised_on = DateField(label="Date raised", label_text="The date raised", initial=dates.today)
    summary = _summary("What is the concern?", required=True, message="Describe the concern")

    def save(self, young_person, user):
        data = self.cleaned_data
        return self.run(lambda: services.raise_exploitation_concern(
            young_person, data["raised_on"], data["kind"], data["summary"], by=user,
        ))


class SubstanceUseForm(ServiceForm):
    """An assessment of the young person's substance use: it holds until the next one (an indicator)."""

    draft_name = "substance"
    rule_model = SubstanceUseAssessment

    level = forms.ChoiceField(
        label="Substance use", choices=SubstanceUseLevel.choices, widget=forms.RadioSelect,
        error_messages={"required": "Select how the young person is using substances"},
    )
    assessed_on = DateField(label="Date assessed", label_text="The date assessed", initial=dates.today)
    substances = forms.CharField(
        label="Which substances (optional)", required=False, max_length=120,
        help_text="For example: cannabis, alcohol, nitrous oxide.",
        error_messages={"max_length": "Name the substances in 120 characters or fewer"},
    )

    def save(self, young_person, user):
        data = self.cleaned_data
        return self.run(lambda: services.assess_substance_use(
            young_person, assessed_on=data["assessed_on"], level=data["level"], substances=data["substances"], by=user,
        ))


class CloseConcernForm(ServiceForm):
    """An exploitation concern is closed when the risk has passed or is managed elsewhere."""

    draft_name = "close_concern"

    closed_on = DateField(label="Date closed", label_text="The date closed", initial=dates.today)

    def save(self, concern, user):
        return self.run(lambda: services.close_exploitation_concern(
            concern, closed_on=self.cleaned_data["closed_on"], by=user
        ))


class EETChangeForm(ServiceForm):
    """A change in education, employment or training: the current period ends the day before."""

    draft_name = "eet"
    rule_model = EETPeriod

    status = forms.ChoiceField(
        label="New status", choices=EETStatus.choices, widget=forms.RadioSelect,
        error_messages={"required": "Select the young person's new status"},
    )
    start = DateField(label="From", label_text="The start date", initial=dates.today)
    provider = forms.CharField(
        label="School, college, employer or scheme (optional)", required=False, max_length=120,
    )

    def save(self, young_person, user):
        data = self.cleaned_data
        return self.run(lambda: services.change_eet_status(
            young_person, data["status"], data["start"], provider=data["provider"], by=user,
        ))
