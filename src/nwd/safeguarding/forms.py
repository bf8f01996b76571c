"""The forms of the children's home pages: parse what was typed; the rules are the models'."""

from __future__ import annotations

from django import forms

from nwd.access.models import User
from nwd.core.forms import CheckedForm
from nwd.safeguarding.models import Body, Measure, NotifiableKind

WHEN_FORMATS = ["%d/%m/%Y %H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M"]
WHEN_HINT = "Day/month/year and 24-hour time, like 31/03/2026 14:30."


def when_field(label: str, required: bool = True) -> forms.DateTimeField:
    return forms.DateTimeField(label=label, input_formats=WHEN_FORMATS, required=required, help_text=WHEN_HINT,
                               error_messages={"required": f"Enter {label[0].lower()}{label[1:]}.",
                                               "invalid": "Enter the date and time like 31/03/2026 14:30."})


def text(label: str, required: bool = False, rows: int = 3) -> forms.CharField:
    return forms.CharField(label=label, required=required, max_length=5000,
                           widget=forms.Textarea(attrs={"rows": rows}),
                           error_messages={"required": f"Enter {label[0].lower()}{label[1:]}."})


class RestraintForm(CheckedForm):
    young_person = forms.TypedChoiceField(label="Young person", coerce=int,
                                          error_messages={"required": "Choose the young person."})
    occurred_at = when_field("When it happened")
    place = forms.CharField(label="Where it happened", max_length=120,
                            error_messages={"required": "Say where it happened."})
    measure = forms.ChoiceField(label="Measure used", choices=Measure.choices)
    led_to = text("What led to it")
    tried_first = text("What was tried first")
    duration_minutes = forms.IntegerField(label="How long it lasted (minutes)", required=False, min_value=1,
                                          max_value=1440)
    used_by = forms.CharField(label="Who used it", max_length=200, error_messages={"required": "Say who used it."})
    present = forms.CharField(label="Who else was present", max_length=200, required=False)
    effect = text("Its effect")
    injury = forms.BooleanField(label="Someone was injured", required=False)
    injury_treatment = text("The injury and the treatment given")
    late_reason = text("Why the record is late (if written more than 24 hours after)")

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["young_person"].choices = [("", "Choose")] + [(p.pk, p.full_name) for p in people]


class StaffTalkForm(CheckedForm):
    staff_notes = text("What you and the staff member said", required=True, rows=4)


class YoungPersonTalkForm(CheckedForm):
    young_person_view = text("What the young person said", required=True, rows=4)


class NotificationForm(CheckedForm):
    kind = forms.ChoiceField(label="Kind of event", choices=NotifiableKind.choices)
    event_at = when_field("When the event happened or came to light")
    summary = text("What happened", required=True, rows=4)


class ToldForm(CheckedForm):
    body = forms.ChoiceField(label="Who was told", choices=Body.choices)
    told_at = when_field("When they were told")
    how = forms.CharField(label="How (and any reference)", max_length=200, required=False)


class ReturnInterviewForm(CheckedForm):
    offered_at = when_field("When the interview was offered")
    held_at = when_field("When it was held", required=False)
    declined = forms.BooleanField(label="The young person declined the interview", required=False)
    conducted_by = forms.CharField(label="Who did it (name and organisation)", max_length=200, required=False)
    learnt = text("What was learnt (why they went, where, with whom, any risks)", rows=4)


class PeriodForm(CheckedForm):
    start = forms.DateField(label="From", input_formats=["%d/%m/%Y", "%Y-%m-%d"], help_text="Like 01/04/2026.",
                            error_messages={"required": "Enter the first day of the period.",
                                            "invalid": "Enter the date like 01/04/2026."})
    end = forms.DateField(label="To", input_formats=["%d/%m/%Y", "%Y-%m-%d"], help_text="Like 30/09/2026.",
                          error_messages={"required": "Enter the last day of the period.",
                                          "invalid": "Enter the date like 30/09/2026."})

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", "The last day must be on or after the first.")
        return data


class InspectorGrantForm(CheckedForm):
    """An inspector's read access to the hub's records, from a time until a time (at most NWD_INSPECTOR_GRANT_DAYS)."""

    inspector = forms.ModelChoiceField(label="Inspector", queryset=User.objects.none(),
                                       error_messages={"required": "Choose the inspector.",
                                                       "invalid_choice": "Choose an inspector from the list."})
    starts = when_field("When the access starts")
    expires = when_field("When the access ends")
    reason = forms.CharField(label="The inspection (what and why)", max_length=200,
                             error_messages={"required": "Say which inspection the access is for."})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["inspector"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = User.objects.filter(role="inspector", is_active=True).order_by("first_name", "last_name")
        field.empty_label = "Choose"


class EndInspectionForm(CheckedForm):
    """Ending an inspector's access early: why, optionally (kept in the grant's history)."""

    why = forms.CharField(label="Why end it now (optional)", required=False, max_length=80)
