"""Admission to a hub bed and discharge from it, through ``nwd.hubs.services``."""

from __future__ import annotations

from django import forms

from nwd.core import dates
from nwd.core.forms import DateField, ServiceForm, yes_no
from nwd.hubs import services
from nwd.hubs.models import Bed, BedKind, Destination, Stay
from nwd.hubs.queries import free_beds


class BedChoice(forms.ModelChoiceField):
    def label_from_instance(self, bed: Bed) -> str:
        return f"{bed.label} ({bed.get_kind_display().lower()})"


class AdmitForm(ServiceForm):
    """Admit to a bed free today at the young person's hub; emergency beds first when it is an emergency."""

    draft_name = "admit"
    rule_model = Stay

    bed = BedChoice(
        label="Bed", queryset=Bed.objects.none(), widget=forms.RadioSelect, empty_label=None,
        error_messages={"required": "Choose a bed"},
    )
    admitted = DateField(label="Date admitted", label_text="The admission date", initial=dates.today)
    planned_discharge = DateField(
        label="Planned discharge (optional)", label_text="The planned discharge date", required=False,
        help_text="A stay is short by design: when do you plan for the young person to leave?",
    )

    def __init__(self, *args, hub=None, emergency: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        beds = free_beds(hub) if hub is not None else Bed.objects.none()
        if emergency:
            beds = beds.filter(kind=BedKind.EMERGENCY)
        self.fields["bed"].queryset = beds
        self.no_beds = hub is not None and not beds.exists()

    def save(self, young_person, involvement, user):
        data = self.cleaned_data
        return self.run(lambda: services.admit(
            young_person, data["bed"], data["admitted"], planned_discharge=data["planned_discharge"],
            involvement=involvement, by=user,
        ))


class DischargeForm(ServiceForm):
    draft_name = "discharge"
    rule_model = Stay

    destination = forms.ChoiceField(
        label="Where did the young person go?", choices=Destination.choices, widget=forms.RadioSelect,
        error_messages={"required": "Record where the young person went when they left"},
    )
    discharged = DateField(label="Date of discharge", label_text="The discharge date", initial=dates.today)
    planned = yes_no("Was this the planned discharge?", required=False)

    def save(self, stay, user):
        data = self.cleaned_data
        return self.run(lambda: services.discharge(
            stay, discharged=data["discharged"], destination=data["destination"], planned=data["planned"], by=user,
        ))
