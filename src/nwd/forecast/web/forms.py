"""The scenario's main numbers as a form, in the words a finance officer uses.

Each box holds one plain number (a percentage, an amount in pounds, a number of years); the
uncertainty around it keeps the shape the default scenario gives it (``default_scenario.toml``,
whose sources docs/forecast.md lists), so changing "50%" to "30%" moves the whole distribution
of the service's reach, not just its middle. Amounts may be typed as a finance officer writes
them: "£3,000,000", "3000000", "£3m", "250k". The messages say what to type, and the form is
read from the address (GET): a scenario is a link that can be shared, and the downloads repeat it.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError

from nwd.codelists.groups import GROUP_LABELS
from nwd.core.forms import ServiceForm
from nwd.forecast.distributions import Dist
from nwd.forecast.scenario import Scenario
from nwd.forecast.states import GROUPS

MAX_DRAWS = 5_000  # beyond this the page keeps its reader waiting: `nwd forecast` runs more
MIN_DRAWS = 100  # fewer make the 5th and 95th percentiles jump about
MAX_YEARS = 10
MONEY_YEARS = 4  # running cost and grant are typed for years 1 to 4; later years repeat year 4's cost
MILLION = 1_000_000
# How the messages name each placement group's cost: "Enter the low weekly cost of secure care".
COST_OF = {
    "kinship_fostering": "kinship fostering",
    "in_house_fostering": "in-house fostering",
    "agency_fostering": "independent agency fostering",
    "in_house_residential": "an in-house children's home",
    "private_residential": "a private or voluntary children's home",
    "secure": "secure care",
    "supported": "supported or semi-independent accommodation",
    "with_parents": "a placement with parents",
    "adoption": "a placement for adoption",
    "other": "other placements",
}
_AMOUNT = re.compile(r"^(-?\d+(?:\.\d+)?)\s*(m|mn|million|k|thousand)?$")


def pounds(value: float) -> str:
    """£3,000,000 / £12.8m style for messages."""
    if abs(value) >= MILLION and value % 100_000 == 0:
        return f"£{value / MILLION:,.10g}m"
    return f"£{value:,.0f}" if float(value).is_integer() else f"£{value:,.2f}"


def plain(value: float) -> str:
    """A number as it is shown in a box: 3,000,000 / 3.5 / 50."""
    if float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:,.6g}"


class Amount(forms.Field):
    """An amount in pounds. ``what`` completes the messages: "Enter the running cost in year 1"."""

    def __init__(self, *, what: str, minimum: float = 0.0, maximum: float = 1e9, above: bool = False,
                 example: str = "£3,000,000 or £3m", **kwargs):
        self.what, self.minimum, self.maximum, self.above, self.example = what, minimum, maximum, above, example
        kwargs.setdefault("error_messages", {"required": f"Enter {what}"})
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        text = str(value).strip().lower().replace(",", "").replace("£", "").replace(" ", "")
        match = _AMOUNT.match(text)
        if not match:
            raise ValidationError(f"Enter {self.what} as an amount in pounds, like {self.example}", code="invalid")
        number = float(match.group(1)) * {"m": MILLION, "mn": MILLION, "million": MILLION, "k": 1000,
                                          "thousand": 1000}.get(match.group(2) or "", 1)
        subject = self.what[0].upper() + self.what[1:]
        if self.above and number <= self.minimum:
            raise ValidationError(f"{subject} must be more than {pounds(self.minimum)}", code="min")
        if number < self.minimum:
            raise ValidationError(f"{subject} must be {pounds(self.minimum)} or more", code="min")
        if number > self.maximum:
            raise ValidationError(f"{subject} must be {pounds(self.maximum)} or less", code="max")
        return number


class Number(forms.Field):
    """A number (a percentage with ``unit="%"``) between ``low`` and ``high``; ``whole`` for counts."""

    def __init__(self, *, what: str, low: float, high: float, example: str, unit: str = "", whole: bool = False,
                 **kwargs):
        self.what, self.low, self.high, self.example, self.unit, self.whole = what, low, high, example, unit, whole
        kwargs.setdefault("error_messages", {"required": f"Enter {what}"})
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        text = str(value).strip().replace(",", "").replace(" ", "")
        if self.unit:
            text = text.removesuffix(self.unit)
        kind = "a whole number" if self.whole else ("a percentage" if self.unit == "%" else "a number")
        try:
            number = float(text)
        except ValueError:
            raise ValidationError(f"Enter {self.what} as {kind}, like {self.example}", code="invalid") from None
        if not math.isfinite(number) or (self.whole and not number.is_integer()):
            raise ValidationError(f"Enter {self.what} as {kind}, like {self.example}", code="invalid")
        if not self.low <= number <= self.high:
            subject = self.what[0].upper() + self.what[1:]
            raise ValidationError(
                f"{subject} must be between {plain(self.low)}{self.unit} and {plain(self.high)}{self.unit}",
                code="range",
            )
        return int(number) if self.whole else number


@dataclass(frozen=True)
class Box:
    """How a box is drawn: a prefix (£) or suffix (%), and its width in characters."""

    prefix: str = ""
    suffix: str = ""
    width: int = 10


def _cost_name(group, end: str) -> str:
    return f"cost_{group.value}_{end}"


class ScenarioForm(ServiceForm):
    """The numbers of a scenario a person may change on the page; the rest stay the defaults."""

    def __init__(self, data=None, *, scenario: Scenario):
        self.default = scenario
        super().__init__(data=data, initial=initial(scenario))
        youngest, oldest = scenario.service.ages
        self.boxes: dict[str, Box] = {}

        def add(name: str, field: forms.Field, box: Box) -> None:
            self.fields[name] = field
            self.boxes[name] = box

        percent, money, small = Box(suffix="%", width=4), Box(prefix="£", width=10), Box(width=4)
        add("reach", Number(
            label=f"Young people aged {youngest} to {oldest} supported at home instead of coming into care (%)",
            what="the share supported at home instead", low=0, high=100, unit="%", example="50",
            help_text="The share of those who would otherwise come into care that the service works with at home. "
                      "No published figure: 50% by default, the least certain number here."), percent)
        add("stay_out", Number(
            label="Young people supported at home who stay out of care (%)",
            what="the share who stay out of care", low=0, high=100, unit="%", example="86",
            help_text="North Yorkshire: 86% of 355 referred young people stayed out of care. With the service's own "
                      "records of support at home, the forecast weighs this figure, as that many young people, "
                      "with what the records show."), percent)
        add("step_down", Number(
            label="More moves from a children's home to a family or community setting (%)",
            what="the increase in moves from a children's home", low=0, high=500, unit="%", example="50",
            help_text="The rise in the rate of these moves at the service's ages. North Yorkshire halved its use "
                      "of children's homes; 50% by default."), percent)
        add("planned_returns", Number(
            label="More planned returns home (%)", what="the increase in planned returns home", low=0, high=500,
            unit="%", example="25", help_text="The rise in the rate of leaving care by a planned return home at the "
                                              "service's ages. An assumption: 25% by default."), percent)
        add("ramp_years", Number(
            label="Years until the service has its full effect", what="the years until the full effect", low=0,
            high=5, example="1", help_text="The effect rises in a straight line from the start; the forecast "
                                          "allows a quarter either way."), small)
        for year in range(1, MONEY_YEARS + 1):
            add(f"running_cost_{year}", Amount(label=f"Year {year}", what=f"the running cost in year {year}"), money)
        for year in range(1, MONEY_YEARS + 1):
            add(f"grant_{year}", Amount(label=f"Year {year}", what=f"the grant in year {year}"), money)
        for group in GROUPS:
            for end, word in (("low", "Low"), ("high", "High")):
                add(_cost_name(group, end), Amount(
                    label=f"{word}, £ a week", what=f"the {end} weekly cost of {COST_OF[group.value]}", minimum=0,
                    above=True, maximum=100_000, example="£650"), Box(prefix="£", width=5))
        add("council_looked_after", Number(
            label="Children looked after", what="the number of children looked after", low=1, high=100_000,
            whole=True, example="1,100", help_text="About 1,100 in Norfolk by default."), Box(width=5))
        add("council_spend", Amount(
            label="Spend on their placements, £ a year", what="the yearly spend on placements", minimum=0,
            above=True, maximum=1e10, example="£55,000,000 or £55m",
            help_text="About £55m in Norfolk by default (about £960 a week per child)."), money)
        add("inflation", Number(
            label="Yearly rise in placement prices (%)", what="the yearly rise in placement prices", low=-10, high=30,
            unit="%", example="5", help_text="5% by default: placement prices have risen faster than inflation. "
                                             "The forecast allows about 2 points either way."), percent)
        add("discount_rate", Number(
            label="Discount rate for present values (%)", what="the discount rate", low=0, high=20, unit="%",
            example="3.5", help_text="HM Treasury's Green Book rate is 3.5%."), percent)
        add("target", Amount(
            label="Net savings target (£)", what="the net savings target", maximum=1e10, example="£12,800,000 or £12.8m",
            help_text="Savings on placements, less the service's running cost, plus the grant. £12.8m by default, "
                      "the figure the cabinet was promised."), money)
        add("target_year", Number(
            label="By the end of year", what="the year of the target", low=1, high=MAX_YEARS, whole=True,
            example="4"), small)
        add("years", Number(
            label="Years to forecast", what="the number of years", low=1, high=MAX_YEARS, whole=True, example="4",
            help_text="From the day after the records end."), small)
        add("draws", Number(
            label="Draws", what="the number of draws", low=MIN_DRAWS, high=MAX_DRAWS, whole=True, example="1,000",
            help_text=f"How many times the model runs, each with its own guess at every uncertain number. More "
                      f"draws give steadier percentiles and take longer (1,000 take about a second). "
                      f"{MIN_DRAWS} to {MAX_DRAWS:,} here; the nwd forecast command runs more."), Box(width=5))

    # --- Groups of boxes, for the template ---------------------------------------------------------

    def _pairs(self, names) -> list[tuple]:
        return [(self[name], self.boxes[name]) for name in names]

    @property
    def effects(self) -> list[tuple]:
        return self._pairs(("reach", "stay_out", "step_down", "planned_returns", "ramp_years"))

    @property
    def council(self) -> list[tuple]:
        return self._pairs(("council_looked_after", "council_spend"))

    @property
    def running_costs(self) -> list[tuple]:
        return self._pairs([f"running_cost_{year}" for year in range(1, MONEY_YEARS + 1)])

    @property
    def grants(self) -> list[tuple]:
        return self._pairs([f"grant_{year}" for year in range(1, MONEY_YEARS + 1)])

    @property
    def unit_costs(self) -> list[tuple]:
        """(placement group, (low box), (high box)) for each placement group."""
        return [(GROUP_LABELS[g], *self._pairs((_cost_name(g, "low"), _cost_name(g, "high")))) for g in GROUPS]

    @property
    def prices(self) -> list[tuple]:
        return self._pairs(("inflation", "discount_rate"))

    @property
    def run_fields(self) -> list[tuple]:
        return self._pairs(("target", "target_year", "years", "draws"))

    # --- Checks across boxes -----------------------------------------------------------------------

    def clean(self):
        cleaned = super().clean()
        for group in GROUPS:
            low, high = cleaned.get(_cost_name(group, "low")), cleaned.get(_cost_name(group, "high"))
            if low is not None and high is not None and high < low:
                self.add_error(_cost_name(group, "high"), (
                    f"The high weekly cost of {COST_OF[group.value]} must be at least its low cost ({pounds(low)})"))
        for year in range(1, MONEY_YEARS + 1):
            grant, cost = cleaned.get(f"grant_{year}"), cleaned.get(f"running_cost_{year}")
            if grant is not None and cost is not None and grant > cost:
                self.add_error(f"grant_{year}", (
                    f"The grant in year {year} ({pounds(grant)}) must not be more than the running cost that year "
                    f"({pounds(cost)})"))
        years, target_year = cleaned.get("years"), cleaned.get("target_year")
        if years is not None and target_year is not None and target_year > years:
            self.add_error("target_year", (
                f"The year of the target must be within the years forecast: 1 to {years}"))
        return cleaned

    # --- The scenario ------------------------------------------------------------------------------

    def overrides(self) -> dict:
        """The cleaned numbers as a scenario laid over the defaults (``load_scenario(overrides=...)``)."""
        c, service, costs = self.cleaned_data, self.default.service, self.default.costs
        weekly = {g.value: {"dist": "lognormal", "p5": c[_cost_name(g, "low")], "p95": c[_cost_name(g, "high")]}
                  for g in GROUPS}
        out = {
            "model": {"years": c["years"]},
            "service": {
                "reach": _with_mean(service.reach, c["reach"] / 100, share=True),
                "stay_out": _with_mean(service.stay_out, c["stay_out"] / 100, share=True),
                "step_down": _with_mean(service.step_down, c["step_down"] / 100),
                "planned_returns": _with_mean(service.planned_returns, c["planned_returns"] / 100),
                "ramp_years": _with_mean(service.ramp_years, c["ramp_years"]),
                "running_cost": [c[f"running_cost_{y}"] for y in range(1, MONEY_YEARS + 1)],
            },
            "funding": {"grant": [c[f"grant_{y}"] for y in range(1, MONEY_YEARS + 1)]},
            "costs": {
                "weekly": weekly,
                "inflation": _with_mean(costs.inflation, c["inflation"] / 100),
                "discount_rate": c["discount_rate"] / 100,
            },
            "target": {"amount": c["target"], "year": c["target_year"]},
            "council": {"looked_after": c["council_looked_after"], "annual_spend": c["council_spend"]},
        }
        if self.changed_from_default():
            out["scenario"] = {"name": f"{self.default.name}, with numbers changed on the forecast page"}
        return out

    def changed_numbers(self) -> list[tuple[str, str, str]]:
        """(what, the default's number, this form's) for each number changed from the default scenario's,
        leaving out the draws (how many times the model runs changes no number of the scenario).
        The page compares a changed scenario with the default when this is not empty."""
        defaults = ScenarioForm(initial(self.default), scenario=self.default)
        defaults.is_valid()
        return [(self.full_label(name), plain(defaults.cleaned_data[name]), plain(value))
                for name, value in self.cleaned_data.items()
                if name != "draws" and defaults.cleaned_data.get(name) != value]

    def full_label(self, name: str) -> str:
        """A box's label with the words its fieldset gives it ("Running cost of the service, year 1")."""
        label = str(self.fields[name].label)
        if name.startswith("running_cost_"):
            return f"Running cost of the service, £ a year: {label.lower()}"
        if name.startswith("grant_"):
            return f"Grant toward the running cost, £ a year: {label.lower()}"
        for group in GROUPS:
            for end in ("low", "high"):
                if name == _cost_name(group, end):
                    return f"Weekly cost of {COST_OF[group.value]}: {label.lower()}"
        if name == "target_year":
            return "Net savings target: by the end of year"
        return label

    def changed_from_default(self) -> bool:
        defaults = ScenarioForm(initial(self.default), scenario=self.default)
        defaults.is_valid()
        return any(defaults.cleaned_data.get(name) != value for name, value in self.cleaned_data.items())

    @property
    def draws(self) -> int:
        return self.cleaned_data["draws"]


def initial(scenario: Scenario) -> dict[str, str]:
    """The default scenario's numbers, as the boxes show them."""
    service, costs = scenario.service, scenario.costs
    out = {
        "reach": plain(round(service.reach.mean() * 100, 6)),
        "stay_out": plain(round(service.stay_out.mean() * 100, 6)),
        "council_looked_after": plain(scenario.council.looked_after),
        "council_spend": plain(scenario.council.annual_spend),
        "step_down": plain(round(service.step_down.mean() * 100, 6)),
        "planned_returns": plain(round(service.planned_returns.mean() * 100, 6)),
        "ramp_years": plain(round(service.ramp_years.mean(), 6)),
        "inflation": plain(round(costs.inflation.mean() * 100, 6)),
        "discount_rate": plain(round(costs.discount_rate * 100, 6)),
        "target": plain(scenario.target.amount),
        "target_year": str(scenario.target.year),
        "years": str(scenario.model.years),
        "draws": "1,000",
    }
    for year in range(1, MONEY_YEARS + 1):
        out[f"running_cost_{year}"] = plain(service.running_cost_in(year))
        out[f"grant_{year}"] = plain(scenario.grant_in(year))
    for group, dist in zip(GROUPS, costs.weekly):
        low, high = (dist.a, dist.b) if dist.kind == "lognormal" else (dist.mean(), dist.mean())
        out[_cost_name(group, "low")], out[_cost_name(group, "high")] = plain(low), plain(high)
    return out


def _with_mean(dist: Dist, mean: float, share: bool = False) -> dict | float:
    """``dist`` moved to have ``mean``, keeping its shape. A share (``share``, a Beta on 0 to 1)
    keeps its concentration; an increase (a Beta times a scale) and a uniform keep their spread
    relative to the mean; a normal keeps its standard deviation. A share or an increase of zero is
    exactly zero."""
    if dist.kind == "normal":
        out = {"dist": "normal", "mean": mean, "sd": dist.b}
        if math.isfinite(dist.low):
            out["low"] = dist.low
        if math.isfinite(dist.high):
            out["high"] = dist.high
        return out
    if mean == 0:
        return 0.0
    if dist.kind == "beta" and share:
        if mean >= 1:
            return 1.0
        weight = dist.a + dist.b
        return {"dist": "beta", "a": weight * mean, "b": weight * (1 - mean)}
    if dist.kind == "beta":
        return {"dist": "beta", "a": dist.a, "b": dist.b, "scale": mean * (dist.a + dist.b) / dist.a}
    if dist.kind == "uniform":
        middle = (dist.a + dist.b) / 2
        spread = (dist.b - dist.a) / 2 / middle if middle else 0.0
        return {"dist": "uniform", "low": mean * (1 - spread), "high": mean * (1 + spread)}
    return mean
