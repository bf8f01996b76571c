"""The dashboard's period picker: from, to, hub and the start of the before-and-after cohort.

Why a form of its own: the dashboard, the named lists and the downloads must all show the same
report, so they read the same choice from the address. The boxes a person types in are the GOV.UK
date input (day, month, year: ``date_from_day`` ...), but the links the dashboard writes carry each
date as one ISO value (``date_from=2025-04-01``), short enough to read and to share; the form takes
either. With nothing chosen, the dashboard shows the last complete financial year, with the cohort
starting when the service began (so that someone has a full year before and after).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlencode

from django import forms

from nwd.core.forms import DateField, DateWidget, ServiceForm
from nwd.evaluation.params import current
from nwd.hubs.models import Hub

PERIOD_FIELDS = ("date_from", "date_to", "hub", "cohort_from")


@dataclass(frozen=True)
class HubOption:
    pk: int
    code: str
    name: str
    opened: dt.date


def hub_options() -> list[HubOption]:
    """Every hub, for the hub filter and the service's start (one query)."""
    return [HubOption(*row) for row in Hub.objects.order_by("name").values_list("pk", "code", "name", "opened")]


def last_complete_financial_year(today: dt.date) -> tuple[dt.date, dt.date]:
    """1 April to 31 March of the last financial year that has ended before ``today``."""
    end_year = today.year if today > dt.date(today.year, 3, 31) else today.year - 1
    return dt.date(end_year - 1, 4, 1), dt.date(end_year, 3, 31)


def service_start(hubs: list[HubOption]) -> dt.date | None:
    """The day the service began: the council's ``go_live`` setting, else the first hub's opening."""
    configured = current().go_live
    return configured or min((hub.opened for hub in hubs), default=None)


@dataclass(frozen=True)
class Choice:
    """A period, hub and cohort start that the dashboard, its lists and its downloads all share."""

    date_from: dt.date
    date_to: dt.date
    hub_id: int | None = None
    hub_code: str = ""
    hub_name: str = ""
    cohort_from: dt.date | None = None

    @property
    def params(self) -> dict[str, str]:
        values = {"date_from": self.date_from.isoformat(), "date_to": self.date_to.isoformat()}
        if self.hub_code:
            values["hub"] = self.hub_code
        if self.cohort_from:
            values["cohort_from"] = self.cohort_from.isoformat()
        return values

    @property
    def query(self) -> str:
        """The choice as a query string (no leading ``?``), for links to lists and downloads."""
        return urlencode(self.params)

    @property
    def where(self) -> str:
        return self.hub_name or "All hubs"

    def file_stem(self) -> str:
        where = self.hub_code or "all-hubs"
        return f"nwd-outcomes-{where}-{self.date_from:%Y-%m-%d}-to-{self.date_to:%Y-%m-%d}"


class IsoOrPartsDateWidget(DateWidget):
    """The GOV.UK day, month and year boxes, or one ISO date under the field's own name (from a link)."""

    def value_from_datadict(self, data, files, name):
        if data.get(name):
            return self.decompress(str(data.get(name)))
        return super().value_from_datadict(data, files, name)

    def value_omitted_from_data(self, data, files, name):
        return name not in data and super().value_omitted_from_data(data, files, name)


class PeriodForm(ServiceForm):
    """The period picker. ``ServiceForm`` for its GOV.UK error summary; there is no service to call."""

    date_from = DateField(label="From", label_text="The first day of the period", widget=IsoOrPartsDateWidget,
                          help_text="For example, 1 4 2025")
    date_to = DateField(label="To", label_text="The last day of the period", widget=IsoOrPartsDateWidget,
                        help_text="For example, 31 3 2026. Records dated after it are left out.")
    hub = forms.ChoiceField(label="Hub", required=False)
    cohort_from = DateField(
        label="Compare before and after support for young people whose support began from",
        label_text="The start of the before-and-after comparison", widget=IsoOrPartsDateWidget, required=False,
        help_text="Leave it empty to compare only those whose support began in the period.",
    )

    def __init__(self, *args, hubs: list[HubOption], **kwargs):
        super().__init__(*args, **kwargs)
        self.hubs = {hub.code: hub for hub in hubs}
        self.fields["hub"].choices = [("", "All hubs")] + [(hub.code, hub.name) for hub in hubs]

    def clean(self):
        cleaned = super().clean()
        date_from, date_to, cohort_from = cleaned.get("date_from"), cleaned.get("date_to"), cleaned.get("cohort_from")
        if date_from and date_to and date_to < date_from:
            self.add_error("date_to", "The last day of the period must be the same as or after the first day")
        if cohort_from and date_to and cohort_from > date_to:
            self.add_error("cohort_from", "The start of the before-and-after comparison must be on or before the last day")
        return cleaned

    def choice(self) -> Choice:
        data = self.cleaned_data
        hub = self.hubs.get(data.get("hub") or "")
        return Choice(
            date_from=data["date_from"], date_to=data["date_to"], hub_id=hub.pk if hub else None,
            hub_code=hub.code if hub else "", hub_name=hub.name if hub else "",
            cohort_from=data.get("cohort_from"),
        )


def default_choice(today: dt.date, hubs: list[HubOption]) -> Choice:
    """The last complete financial year, all hubs, the cohort from the service's start (if earlier)."""
    date_from, date_to = last_complete_financial_year(today)
    began = service_start(hubs)
    cohort_from = began if began and began < date_from else None
    return Choice(date_from, date_to, cohort_from=cohort_from)


def asked(query) -> bool:
    """Whether the address chooses a period at all (else the defaults apply)."""
    return any(key == name or key.startswith(f"{name}_") for key in query for name in PERIOD_FIELDS)


def read_choice(query, hubs: list[HubOption], today: dt.date) -> tuple[PeriodForm, Choice | None]:
    """The form to show and the choice it makes: the defaults when nothing is asked, None when invalid."""
    if not asked(query):
        choice = default_choice(today, hubs)
        initial = {"date_from": choice.date_from, "date_to": choice.date_to, "cohort_from": choice.cohort_from}
        return PeriodForm(initial=initial, hubs=hubs), choice
    form = PeriodForm(data=query, hubs=hubs)
    return form, (form.choice() if form.is_valid() else None)
