"""The worklist's forms: parse what was typed; the rules are the models' (services add them by field)."""

from __future__ import annotations

from django import forms

from nwd.access.models import User
from nwd.core.forms import CheckedForm, DateField
from nwd.worklist.choices import MeetingKind, NotificationKind


def colleagues(user: User) -> forms.ModelChoiceField:
    """Active staff to give a task to: the user's hub's (all staff when they have none)."""
    people = User.objects.filter(is_active=True).exclude(role__in=["", "partner_referrer"]).order_by("first_name", "last_name")
    if user.hub_id:
        people = people.filter(hub_id=user.hub_id) | User.objects.filter(pk=user.pk)
    return forms.ModelChoiceField(label="Who will do it", queryset=people.distinct(),
                                  error_messages={"required": "Choose who will do it.",
                                                  "invalid_choice": "Choose someone from the list."})


class TaskForm(CheckedForm):
    title = forms.CharField(label="What needs doing", max_length=200,
                            error_messages={"required": "Say what needs doing."})
    due = DateField(label="Due on", label_text="The due date", help_text="For example, 27 3 2026")
    details = forms.CharField(label="Details (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3}),
                              max_length=5000)

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"] = colleagues(user)
        self.initial.setdefault("owner", user.pk)


class CompleteForm(CheckedForm):
    outcome = forms.CharField(label="What was done (optional)", required=False,
                              widget=forms.Textarea(attrs={"rows": 2}), max_length=5000)


class ReassignForm(CheckedForm):
    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"] = colleagues(user)
        self.fields["owner"].label = "Give the task to"


class EmailChoicesForm(CheckedForm):
    kinds = forms.MultipleChoiceField(label="Send me an email when", required=False, choices=NotificationKind.choices,
                                      widget=forms.CheckboxSelectMultiple,
                                      help_text="Unticked: you see it here only. An email holds only a reference and a link.")


class MeetingForm(CheckedForm):
    kind = forms.ChoiceField(label="Kind of meeting", choices=MeetingKind.choices, widget=forms.RadioSelect,
                             error_messages={"required": "Choose the kind of meeting."})
    held_on = DateField(label="Held on", label_text="The meeting date", help_text="For example, 27 3 2026")
    staff = forms.ModelMultipleChoiceField(label="Staff who attended", required=False, queryset=User.objects.none(),
                                           widget=forms.CheckboxSelectMultiple)
    others = forms.CharField(
        label="Other professionals who attended (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000, help_text="One a line: name, agency. For example: Sam Patel, Greenfields Academy")
    young_persons_view = forms.CharField(label="The young person's view", required=False,
                                         widget=forms.Textarea(attrs={"rows": 4}), max_length=10000)
    decisions = forms.CharField(label="Decisions", required=False, widget=forms.Textarea(attrs={"rows": 4}),
                                max_length=10000)
    action = forms.CharField(label="An action (optional)", required=False, max_length=200,
                             help_text="It becomes a task of the person you choose.")
    action_owner = forms.ModelChoiceField(label="Who will do the action", required=False, queryset=User.objects.none())
    action_due = DateField(label="Action due on", label_text="The action's due date", required=False,
                           help_text="For example, 27 3 2026")

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        people = colleagues(user).queryset
        for name in ("staff", "action_owner"):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = people

    def clean_others(self) -> list[tuple[str, str]]:
        found = []
        for line in self.cleaned_data["others"].splitlines():
            if not line.strip():
                continue
            name, _, agency = line.partition(",")
            if not agency.strip():
                raise forms.ValidationError(f"Give the agency after a comma: '{line.strip()}, agency'.")
            found.append((name.strip(), agency.strip()))
        return found

    def clean(self):
        data = super().clean()
        if data.get("action") and not data.get("action_owner"):
            self.add_error("action_owner", "Choose who will do the action.")
        if data.get("action") and not data.get("action_due"):
            self.add_error("action_due", "Enter the action's due date.")
        return data
