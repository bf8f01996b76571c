"""The commissioning officer's forms on a provider's page, through ``nwd.placements.services``."""

from __future__ import annotations

from django import forms

from nwd.core import dates
from nwd.core.forms import DateField, ServiceForm
from nwd.placements.models import ProviderStanding, ProviderStatus, QualityEvent, QualityKind, Setting


class QualityEventForm(ServiceForm):
    """Record a monitoring visit, a concern or a complaint."""

    rule_model = QualityEvent

    kind = forms.ChoiceField(label="What it is", choices=QualityKind.choices, widget=forms.RadioSelect,
                             error_messages={"required": "Choose a visit, a concern or a complaint"})
    happened = DateField(label="Date", label_text="The date", initial=dates.today)
    setting = forms.ModelChoiceField(label="Which home or setting (optional)", queryset=Setting.objects.none(),
                                     required=False, empty_label="The provider as a whole")
    summary = forms.CharField(label="What was found, or what the concern or complaint is", max_length=500,
                              widget=forms.Textarea(attrs={"rows": 3}),
                              error_messages={"required": "Say what the visit found, or what the concern or complaint is"})

    def __init__(self, *args, provider=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.provider = provider
        if provider is not None:
            self.fields["setting"].queryset = Setting.objects.filter(provider=provider).order_by("name")


class StandingForm(ServiceForm):
    """Approve the provider, put it under review or suspend it."""

    rule_model = ProviderStanding

    status = forms.ChoiceField(label="Standing", choices=ProviderStatus.choices, widget=forms.RadioSelect,
                               error_messages={"required": "Choose the provider's standing"})
    since = DateField(label="Since", label_text="The date of the standing", initial=dates.today)
    reason = forms.CharField(label="Why (needed when under review or suspended)", max_length=300, required=False)
