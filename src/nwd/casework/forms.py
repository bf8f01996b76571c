"""Forms for referral to close and for recording on the young person's page.

Each form reads what was typed and calls one service from ``nwd.casework.services``; the rules and
their messages are the models' (``save_valid``), filed next to the field by ``ServiceForm``.
Dates default to today and times to now, because most things are recorded the day they happen.
"""

from __future__ import annotations

from django import forms
from django.utils import timezone

from nwd.access.models import User
from nwd.access.roles import SPECIALIST_ROLES, Role
from nwd.casework import services
from nwd.casework.choices import (
    DECISION_SUPPORT_TYPE,
    AllocationReason,
    ContactKind,
    ContactWith,
    Decision,
    Gender,
    InvolvementEndReason,
    PortfolioArea,
    Progress,
    Relationship,
    Sex,
    Sharing,
    SourceAgency,
    Urgency,
)
from nwd.casework.models import (
    Contact,
    Involvement,
    KeyWorkerAllocation,
    Plan,
    PlanGoal,
    PlanReview,
    Referral,
    SignificantPerson,
    SpecialistInvolvement,
    YoungPerson,
    referrer_contact_valid,
)
from nwd.casework.queries import caseloads, who_may_be_named
from nwd.casework.services import IDENTITY_FIELDS
from nwd.codelists import codes
from nwd.core import dates
from nwd.core.forms import DateField, ServiceForm, TimeField, at_moment, now_local, yes_no


def _text(label: str, required: bool = True, message: str = "", **kwargs) -> forms.CharField:
    errors = {"required": message} if message else {}
    return forms.CharField(label=label, required=required, error_messages=errors, **kwargs)


def _area(value: str) -> str:
    return dict(PortfolioArea.choices)[value]


class YoungPersonIdentityFields(forms.Form):
    """Who the young person is, asked the same way on a referral and when the record is corrected
    (declared fields are inherited by the forms that list this class; they come first)."""

    given_name = _text("First name", message="Enter the young person's first name", max_length=60)
    family_name = _text("Last name", message="Enter the young person's last name", max_length=60)
    preferred_name = _text("Name they like to be called (optional)", required=False, max_length=60)
    date_of_birth = DateField(label="Date of birth", label_text="Date of birth", help_text="For example, 27 3 2010")
    sex = forms.ChoiceField(
        label="Sex", choices=Sex.choices, widget=forms.RadioSelect, error_messages={"required": "Select the young person's sex"},
    )


class ReferralForm(ServiceForm, YoungPersonIdentityFields):
    """A referral from a partner agency (who they are comes from their account) or from staff."""

    draft_name = "referral"

    gender = forms.ChoiceField(label="Gender (optional)", choices=Gender.choices, initial=Gender.NOT_STATED, required=False)
    home_postcode = _text("Home postcode (optional)", required=False, max_length=8)
    upn = _text("Unique pupil number (optional)", required=False, max_length=13, help_text="13 characters, for example A123456789012")
    nhs_number = _text("NHS number (optional)", required=False, max_length=12, help_text="10 digits, for example 943 476 5919")
    source_agency = forms.ChoiceField(
        label="Referring agency", choices=SourceAgency.choices, widget=forms.RadioSelect,
        error_messages={"required": "Select the agency the referral comes from"},
    )
    referrer_name = _text("Referrer's name", required=False, max_length=120)
    referrer_organisation = _text("Referrer's organisation", required=False, max_length=120)
    referrer_contact = _text(
        "How can we reach the referrer?", message="Enter a phone number or email address for the referrer",
        max_length=120, help_text="An email address, or a UK phone number with its area code",
        validators=[referrer_contact_valid],
    )
    received = DateField(label="Date received", label_text="The date received", required=False)
    reason = forms.CharField(
        label="What is happening for the young person?", widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Say what is happening for the young person"},
        help_text="In your own words: what worries you, what has been tried, what the young person wants.",
    )
    urgency = forms.ChoiceField(
        label="How urgent is this?", choices=Urgency.choices, widget=forms.RadioSelect, initial=Urgency.ROUTINE,
        error_messages={"required": "Select how urgent the referral is"},
    )

    PARTNER_ONLY_HIDDEN = ("source_agency", "referrer_name", "referrer_organisation", "received")

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.partner = getattr(user, "role", None) == Role.PARTNER_REFERRER
        if self.partner:
            for name in self.PARTNER_ONLY_HIDDEN:
                del self.fields[name]
            self.field_map = {"received": "date_of_birth"}
        else:
            self.fields["received"].initial = dates.today()
            self.fields["received"].required = True
            self.fields["received"].error_messages["required"] = "Enter the date the referral was received"

    DETAILS = ("given_name", "family_name", "preferred_name", "date_of_birth", "sex", "gender", "home_postcode",
               "upn", "nhs_number")

    def rule_records(self) -> list:
        """The young person and the referral as far as they could be read: their rules (the NHS
        number's check digit, the age on the day received) come with the form's own messages."""
        data = self.cleaned_data
        person = services.new_young_person({k: data.get(k) for k in self.DETAILS})
        person.child_id = "R"  # a placeholder: the real id is given when the record is written
        received = dates.today() if self.partner else data.get("received")
        return [person, Referral(young_person=person, received=received)]

    def save(self) -> Referral | None:
        data = self.cleaned_data
        details = {k: data.get(k) for k in self.DETAILS}
        if self.partner:
            referral = Referral(
                source_agency=self.user.agency or SourceAgency.OTHER,
                referrer_name=self.user.get_full_name(),
                referrer_organisation=self.user.organisation,
                received=dates.today(),
            )
        else:
            referral = Referral(
                source_agency=data["source_agency"], referrer_name=data["referrer_name"],
                referrer_organisation=data["referrer_organisation"], received=data["received"],
            )
        referral.referrer_contact = data["referrer_contact"]
        referral.reason = data["reason"]
        referral.urgency = data["urgency"]
        return self.run(lambda: services.refer(details, referral, by=self.user))


class DecisionForm(ServiceForm):
    """The decision on a referral: always a next step, never 'no further action'."""

    draft_name = "decision"
    rule_model = Referral
    field_map = {"decision_date": "decided_on"}

    decision = forms.ChoiceField(
        label="What happens next?", choices=Decision.choices, widget=forms.RadioSelect,
        error_messages={"required": "Select what happens next for the young person"},
    )
    handover_service = _text(
        "Which service is the young person handed over to?", required=False, max_length=120,
        help_text="Only for a warm handover: name the service and, if you can, the person you spoke to.",
    )
    decided_on = DateField(label="Date decided", label_text="The date decided", initial=dates.today)
    notes = forms.CharField(label="Reasons for the decision (optional)", required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def save(self, referral: Referral, user) -> Referral | None:
        data = self.cleaned_data
        return self.run(lambda: services.decide_referral(
            referral, data["decision"], data["decided_on"], by=user,
            handover_service=data["handover_service"], notes=data["notes"],
        ))


class KeyWorkerChoice(forms.ModelChoiceField):
    def label_from_instance(self, user):
        caseload = getattr(user, "caseload", None)
        suffix = f" ({caseload} young {'person' if caseload == 1 else 'people'})" if caseload is not None else ""
        return f"{user.get_full_name() or user.username}, {user.get_role_display().lower()}{suffix}"


def key_worker_choices(hub):
    """The staff of ``hub`` who may be key worker, each with their caseload (``queries.caseloads``)."""
    return caseloads(hub)


class StartSupportForm(ServiceForm):
    """After a decision for support: the hub and the key worker, opening the involvement."""

    draft_name = "start_support"
    rule_model = Involvement

    key_worker = KeyWorkerChoice(
        label="Key worker", queryset=None, empty_label="Choose a key worker",
        error_messages={"required": "Choose the young person's key worker"},
        help_text="The number in brackets is each worker's current caseload.",
    )
    start = DateField(label="Support starts on", label_text="The start date", initial=dates.today)

    def __init__(self, *args, hub=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.hub = hub
        self.fields["key_worker"].queryset = key_worker_choices(hub)

    def save(self, referral: Referral, user):
        data = self.cleaned_data
        support_type = DECISION_SUPPORT_TYPE[referral.decision]
        return self.run(lambda: services.start_involvement(
            referral.young_person, self.hub, support_type, data["key_worker"], data["start"], by=user, referral=referral,
        ))


class ReallocateForm(ServiceForm):
    """A change of key worker: dated, with a reason, because every change is counted."""

    draft_name = "reallocate"
    rule_model = KeyWorkerAllocation
    field_map = {"start": "on"}

    key_worker = KeyWorkerChoice(
        label="New key worker", queryset=None, empty_label="Choose a key worker",
        error_messages={"required": "Choose the new key worker"},
    )
    reason = forms.ChoiceField(
        label="Why is the key worker changing?", widget=forms.RadioSelect,
        choices=[c for c in AllocationReason.choices if c[0] != AllocationReason.FIRST],
        error_messages={"required": "Say why the key worker is changing"},
    )
    note = forms.CharField(label="More about the change (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    on = DateField(label="Date of the change", label_text="The date of the change", initial=dates.today)

    def __init__(self, *args, hub=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["key_worker"].queryset = key_worker_choices(hub)

    def save(self, involvement, user):
        data = self.cleaned_data
        return self.run(lambda: services.reallocate_key_worker(
            involvement, data["key_worker"], data["on"], data["reason"], by=user, note=data["note"],
        ))


class CloseInvolvementForm(ServiceForm):
    draft_name = "close"
    rule_model = Involvement

    end_reason = forms.ChoiceField(
        label="Why is support ending?", choices=InvolvementEndReason.choices, widget=forms.RadioSelect,
        error_messages={"required": "Say why support is ending"},
    )
    end = DateField(label="Last day of support", label_text="The end date", initial=dates.today)

    def save(self, involvement, user):
        data = self.cleaned_data
        return self.run(lambda: services.close_involvement(involvement, data["end"], data["end_reason"], by=user))


class ContactForm(ServiceForm):
    draft_name = "contact"
    field_map = {"at": "date"}
    rule_model = Contact

    kind = forms.ChoiceField(
        label="Kind of contact", choices=ContactKind.choices, widget=forms.RadioSelect, initial=ContactKind.FACE_TO_FACE,
        error_messages={"required": "Select the kind of contact"},
    )
    contact_with = forms.ChoiceField(
        label="With", choices=ContactWith.choices, widget=forms.RadioSelect, initial=ContactWith.YOUNG_PERSON,
        error_messages={"required": "Select who the contact was with"},
    )
    date = DateField(label="Date", label_text="The date of the contact", initial=dates.today)
    time = TimeField(label="Time", initial=lambda: now_local().strftime("%H:%M"))
    summary = forms.CharField(
        label="What happened", widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Write what happened in a sentence or two"},
    )

    def __init__(self, *args, person: YoungPerson | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        # Who from the young person's network it was with (issue 16): asked only when they have one.
        network = SignificantPerson.objects.filter(young_person=person, ended_on__isnull=True) if person else None
        if network is not None and network.exists():
            self.fields["people"] = forms.ModelMultipleChoiceField(
                label="Who else was there (optional)", queryset=network, required=False,
                widget=forms.CheckboxSelectMultiple, help_text="People around the young person the contact was with.",
            )

    def rule_values(self, data: dict) -> dict:
        values = {name: data[name] for name in ("kind", "contact_with", "summary") if name in data}
        if data.get("date") and data.get("time"):
            values["at"] = at_moment(data["date"], data["time"])
        return values

    def save(self, young_person, user):
        data = self.cleaned_data
        return self.run(lambda: services.add_contact(
            young_person, at_moment(data["date"], data["time"]), data["kind"], data["summary"], staff=user,
            contact_with=data["contact_with"], by=user, people=data.get("people") or (),
        ))


class CorrectContactForm(ContactForm):
    """The contact form, filled in with the note as it stands, and a reason for the correction."""

    draft_name = "correct_contact"

    reason = forms.CharField(
        label="Why are you correcting this note?", max_length=100,
        help_text="For example: wrong date, typing error. The note's history keeps what it said before.",
        error_messages={"required": "Say why the note is being corrected",
                        "max_length": "Say why in 100 characters or fewer"},
    )

    def __init__(self, *args, contact=None, **kwargs):
        if contact is not None:
            moment = timezone.localtime(contact.at)
            kwargs.setdefault("initial", {
                "kind": contact.kind, "contact_with": contact.contact_with, "date": moment.date(),
                "time": moment.strftime("%H:%M"), "summary": contact.summary,
                "people": list(contact.people.values_list("pk", flat=True)),
            })
            kwargs.setdefault("person", contact.young_person)
        super().__init__(*args, **kwargs)

    def save(self, contact, user):
        data = self.cleaned_data
        return self.run(lambda: services.correct_contact(
            contact, at=at_moment(data["date"], data["time"]), kind=data["kind"], contact_with=data["contact_with"],
            summary=data["summary"], reason=data["reason"], by=user,
            people=data.get("people") if "people" in self.fields else None,
        ))


class SpecialistChoice(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return f"{user.get_full_name() or user.username}, {user.get_role_display().lower()}"


class SpecialistForm(ServiceForm):
    """Draw a specialist into the team around the young person (the young person is not passed on).

    Drawing someone in is what lets them see the young person (the policy's "drawn in" scope), so
    only the service's specialists who are not already in the team are offered.
    """

    draft_name = "specialist"
    rule_model = SpecialistInvolvement

    specialist = SpecialistChoice(
        label="Specialist", queryset=None, empty_label="Choose a specialist",
        error_messages={"required": "Choose the specialist to draw in"},
    )
    start = DateField(label="Working with them from", label_text="The start date", initial=dates.today)
    reason = forms.CharField(
        label="What they will help with", widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say what the specialist will help with"},
    )

    def __init__(self, *args, person=None, **kwargs):
        super().__init__(*args, **kwargs)
        team = person.specialists.filter(end__isnull=True).values("specialist_id") if person else []
        self.fields["specialist"].queryset = (
            User.objects.filter(role__in=SPECIALIST_ROLES, is_active=True).exclude(pk__in=team)
            .order_by("role", "last_name", "first_name")
        )

    def save(self, young_person, user):
        data = self.cleaned_data
        return self.run(lambda: services.draw_in_specialist(
            young_person, data["specialist"], data["start"], by=user, reason=data["reason"],
        ))


class EndSpecialistForm(ServiceForm):
    draft_name = "end_specialist"

    end = DateField(label="Last day of their work with the young person", label_text="The end date",
                    initial=dates.today)

    def save(self, drawn_in, user):
        return self.run(lambda: services.end_specialist_involvement(drawn_in, end=self.cleaned_data["end"], by=user))


class PlanGoalForm(ServiceForm):
    """Add a goal to the young person's plan (starting the plan if they have none yet)."""

    draft_name = "goal"

    area = forms.ChoiceField(
        label="Portfolio area", choices=PortfolioArea.choices, widget=forms.RadioSelect,
        error_messages={"required": "Select the area of the plan this goal is in"},
    )
    description = forms.CharField(
        label="Goal", widget=forms.Textarea(attrs={"rows": 3}),
        help_text="In the young person's words where you can.",
        error_messages={"required": "Describe the goal"},
    )
    target_date = DateField(label="Target date (optional)", label_text="The target date", required=False)
    next_review_due = DateField(label="First review due (optional)", label_text="The review date", required=False)

    def __init__(self, *args, plan: Plan | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        if plan is not None:
            del self.fields["next_review_due"]

    def save(self, young_person, user):
        data = self.cleaned_data

        def add():
            plan = self.plan or services.start_plan(young_person, dates.today(), data.get("next_review_due"), by=user)
            return services.add_plan_goals(plan, [(data["area"], data["description"], data["target_date"])], by=user)[0]

        return self.run(add)


class PlanReviewForm(ServiceForm):
    """Progress on each goal of the plan, and when to review next."""

    draft_name = "review"
    rule_model = PlanReview

    reviewed_on = DateField(label="Date of the review", label_text="The review date", initial=dates.today)
    summary = forms.CharField(label="Summary of the review (optional)", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    next_review_due = DateField(label="Next review due", label_text="The next review date", required=False)

    def __init__(self, *args, plan: Plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.goals: list[PlanGoal] = list(plan.goals.order_by("area", "pk"))
        progress_choices = Progress.choices
        for goal in self.goals:
            self.fields[f"goal_{goal.pk}"] = forms.ChoiceField(
                label=f"{_area(goal.area)}: {goal.description}", choices=progress_choices, widget=forms.RadioSelect,
                required=False,
            )
            self.fields[f"note_{goal.pk}"] = forms.CharField(
                label=f"Note on the {_area(goal.area).lower()} goal (optional)", required=False, widget=forms.Textarea(attrs={"rows": 2}),
            )

    def goal_fields(self):
        """(goal, progress field, note field) for each goal, in plan order: how the template lays them out."""
        return [(goal, self[f"goal_{goal.pk}"], self[f"note_{goal.pk}"]) for goal in self.goals]

    def clean(self):
        data = super().clean()
        if self.goals and not any(data.get(f"goal_{goal.pk}") for goal in self.goals):
            self.add_error(f"goal_{self.goals[0].pk}", "Record progress on at least one goal")
        return data

    def save(self, user):
        data = self.cleaned_data
        progress = {
            goal.pk: (data.get(f"goal_{goal.pk}"), data.get(f"note_{goal.pk}", ""))
            for goal in self.goals if data.get(f"goal_{goal.pk}")
        }
        return self.run(lambda: services.record_plan_review(
            self.plan, reviewed_on=data["reviewed_on"], progress=progress, by=user, summary=data["summary"],
            next_review_due=data["next_review_due"],
        ))


# --- Data protection: rectification and restriction ------------------------------------------------

CHANGE_REASON_HELP = "The change history keeps what the record said before, who changed it and why."


def _change_reason(label: str, message: str, example: str) -> forms.CharField:
    return forms.CharField(
        label=label, max_length=100, help_text=f"For example: {example}. {CHANGE_REASON_HELP}",
        error_messages={"required": message, "max_length": "Say why in 100 characters or fewer"},
    )


class IdentityForm(ServiceForm, YoungPersonIdentityFields):
    """The young person's identity details as held, to correct, and why (the right to rectification)."""

    draft_name = "identity"
    rule_model = YoungPerson

    gender = forms.ChoiceField(label="Gender", choices=Gender.choices, error_messages={"required": "Select a gender"})
    ethnicity = forms.ChoiceField(label="Ethnicity", choices=(), error_messages={"required": "Select an ethnicity"})
    nhs_number = _text("NHS number (optional)", required=False, max_length=12, help_text="10 digits, for example 943 476 5919")
    upn = _text("Unique pupil number (optional)", required=False, max_length=13, help_text="13 characters, for example A123456789012")
    home_postcode = _text("Home postcode (optional)", required=False, max_length=8)
    date_of_death = DateField(label="Date of death (only if the young person has died)", label_text="The date of death",
                              required=False, help_text="For example, 27 3 2025")
    reason = _change_reason("Why are you correcting these details?", "Say why the details are being corrected",
                            "the young person asked, date of birth confirmed from the birth certificate")

    def __init__(self, *args, person=None, **kwargs):
        if person is not None:
            kwargs.setdefault("initial", {name: getattr(person, name) for name in IDENTITY_FIELDS})
        super().__init__(*args, **kwargs)
        self.fields["ethnicity"].choices = codes.choices("ETHNIC")

    def save(self, person, user):
        details = {name: self.cleaned_data[name] for name in IDENTITY_FIELDS}
        return self.run(lambda: services.rectify_identity(person, details=details, reason=self.cleaned_data["reason"], by=user))


class NamedUserChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, user):
        where = f", {user.hub}" if user.hub_id else ""
        return f"{user.get_full_name() or user.username}, {user.get_role_display().lower()}{where}"


class RestrictionForm(ServiceForm):
    """Restrict the record to named users (or lift the restriction), and why."""

    draft_name = "restriction"

    restricted = yes_no("Restrict this record?", help_text=(
        "Only the people named below may then see anything about the young person, whatever their role "
        "(for example when they are a relative of a member of staff)."))
    named = NamedUserChoice(
        label="Who may see the record", queryset=None, required=False, widget=forms.CheckboxSelectMultiple,
        help_text="Naming someone never lets them see more than their role allows.",
    )
    others = _text("Also name (optional)", required=False, max_length=400,
                   help_text="User names of anyone else, separated by commas")
    reason = _change_reason("Why is the restriction changing?", "Say why the restriction is changing",
                            "a member of staff is a relative")

    field_map = {"named": "named"}

    def __init__(self, *args, person=None, **kwargs):
        if person is not None:
            kwargs.setdefault("initial", {
                "restricted": "yes" if person.restricted else "no",
                "named": list(person.restricted_to.values_list("pk", flat=True)),
            })
        super().__init__(*args, **kwargs)
        self.fields["named"].queryset = who_may_be_named(person) if person is not None else None

    def clean_others(self):
        from django.contrib.auth import get_user_model

        names = [n.strip() for n in self.cleaned_data["others"].split(",") if n.strip()]
        users = {u.username: u for u in get_user_model().objects.filter(username__in=names, is_active=True)}
        unknown = [n for n in names if n not in users]
        if unknown:
            raise forms.ValidationError(f"There is no active user called {', '.join(unknown)}: check the user name")
        return list(users.values())

    def save(self, person, user):
        data = self.cleaned_data
        named = [*data["named"], *data["others"]]
        return self.run(lambda: services.set_restriction(
            person, restricted=bool(data["restricted"]), named=named, reason=data["reason"], by=user
        ))


class SignificantPersonForm(ServiceForm):
    """Someone around the young person: who they are to them, how to reach them, and what may be shared."""

    draft_name = "network"
    rule_model = SignificantPerson

    name = _text("Name", message="Enter the person's name", max_length=120)
    relationship = forms.ChoiceField(label="Who they are to the young person", choices=Relationship.choices,
                                     error_messages={"required": "Select who they are to the young person"})
    relationship_detail = _text("In a few words (optional)", required=False, max_length=80,
                                help_text="For example: older half-brother, mum's partner, youth club leader.")
    phone = _text("Phone (optional)", required=False, max_length=40)
    email = forms.EmailField(label="Email (optional)", required=False,
                             error_messages={"invalid": "Enter an email address like name@example.org"})
    address = forms.CharField(label="Address (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    parental_responsibility = yes_no("Do they hold parental responsibility?")
    may_contact = yes_no("May they be contacted?")
    no_contact_reason = _text("If not, why not", required=False, max_length=200)
    sharing = forms.ChoiceField(label="What may be shared with them", choices=Sharing.choices, widget=forms.RadioSelect,
                                error_messages={"required": "Select what may be shared with them"})
    notes = forms.CharField(label="Notes (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    ended_on = DateField(label="No longer in the young person's life from (optional)",
                         label_text="The date they left the young person's life", required=False)

    def __init__(self, *args, significant_person: SignificantPerson | None = None, **kwargs):
        if significant_person is not None:
            initial = {name: getattr(significant_person, name) for name in services.NETWORK_FIELDS}
            for name in ("parental_responsibility", "may_contact"):
                initial[name] = "yes" if initial[name] else "no"
            kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)

    def details(self) -> dict:
        data = self.cleaned_data
        return {name: data[name] for name in services.NETWORK_FIELDS if name in data}

    def save(self, record, user):
        """``record``: the young person (adding someone) or the significant person (changing them)."""
        if isinstance(record, SignificantPerson):
            return self.run(lambda: services.change_significant_person(record, details=self.details(), by=user))
        return self.run(lambda: services.add_significant_person(record, details=self.details(), by=user))


class MergeForm(ServiceForm):
    """Merge a duplicate record into the one kept: which to keep, and why."""

    draft_name = "merge"

    keep = forms.TypedChoiceField(label="Which record do you want to keep?", widget=forms.RadioSelect, coerce=int,
                                  error_messages={"required": "Select the record to keep"})
    reason = forms.CharField(
        label="Why are these the same young person?", max_length=100,
        help_text="For example: same NHS number, confirmed with the school. The history of both records keeps it.",
        error_messages={"required": "Say why these records are the same young person",
                        "max_length": "Say why in 100 characters or fewer"},
    )

    def __init__(self, *args, first: YoungPerson, second: YoungPerson, **kwargs):
        super().__init__(*args, **kwargs)
        self.pair = {first.pk: first, second.pk: second}
        self.fields["keep"].choices = [
            (p.pk, f"{p.full_name}, born {p.date_of_birth:%d/%m/%Y}, council child id {p.child_id}")
            for p in (first, second)
        ]

    def save(self, user):
        keep = self.pair[self.cleaned_data["keep"]]
        duplicate = next(p for pk, p in self.pair.items() if pk != keep.pk)
        return self.run(lambda: services.merge_young_people(
            keep, duplicate=duplicate, reason=self.cleaned_data["reason"], by=user))
