"""The forecast page (/forecast/) on hand-built records: who may use it, the messages a finance officer
reads, a rerun with a changed number, the downloads (audited, escaped, no child ids), the rates kept
between reruns, and a fixed number of queries. The browser (axe-core) is in test_page_browser.py."""

from __future__ import annotations

import datetime as dt
import io
import json
import re

import openpyxl
import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from nwd.access.models import AuditEvent
from nwd.access.roles import HUB_ROLES, Role
from nwd.access.testing import sign_in
from nwd.core import dates
from nwd.forecast.scenario import load_scenario
from nwd.forecast.web.forms import ScenarioForm, initial
from nwd.jobs.models import Job
from nwd.jobs.testing import run_queued
from tests.evaluation import builders as b
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PLACES = [("U4", "PR1"), ("U6", "PR4"), ("K2", "PR4"), ("H5", "PR4"), ("U1", "PR1")]
SUMMARY_ERRORS = re.compile(r'<li><a href="#[^"]+">([^<]+)</a></li>')


@pytest.fixture(autouse=True)
def fresh_cache():
    """Each test reads its own records: the cache is process-wide and outlives a test's data."""
    cache.clear()
    yield
    cache.clear()


def build(children: int, first: int = 0) -> list:
    """``children`` young people in and out of care over the last three years, a few supported at home."""
    today = dates.today()
    people = []
    for i in range(first, first + children):
        born = today - dt.timedelta(days=int(365.25 * (6 + i % 11)) + 17 * i)
        person = b.person(born, child_id=f"F{i:04d}", given_name=f"Fenna{i}")
        began = today - dt.timedelta(days=60 + 37 * (i % 29))
        place, provider = PLACES[i % len(PLACES)]
        moves = [(began, place, provider)]
        if i % 3 == 0:
            moves.append((began + dt.timedelta(days=30), *PLACES[(i + 1) % len(PLACES)]))
        ended = began + dt.timedelta(days=50) if i % 4 == 0 else None
        b.care(person, *moves, end=ended, rec="E4A" if i % 8 == 0 else "E13")
        if i % 5 == 0:
            b.support(person, began - dt.timedelta(days=200), end=began - dt.timedelta(days=20))
        people.append(person)
    return people


@pytest.fixture
def records():
    return build(24)


def client_for(role: str) -> Client:
    client = Client()
    sign_in(client, UserFactory(role=role))
    return client


def ran(client: Client, numbers: dict | None = None):
    """The page asked for these numbers (the defaults, as the form sends them, if none): it starts a
    job and shows the job's page; the job is run as ``nwd worker`` would; then the job's page."""
    started = client.get("/forecast/", numbers or initial(load_scenario()))
    assert started.status_code == 302 and started["Location"].startswith("/forecast/runs/"), started
    assert run_queued() == 1
    response = client.get(started["Location"])
    assert response.status_code == 200
    return response


def download(client: Client, kind: str, numbers: dict | None = None):
    """A download of the run of these numbers (its job run first)."""
    page = ran(client, numbers)
    return client.get(page.wsgi_request.path + f"forecast.{kind}")


def errors(response) -> list[str]:
    return [m.replace("&#x27;", "'") for m in SUMMARY_ERRORS.findall(response.content.decode())]


def test_analysts_and_service_managers_may_use_it_and_no_one_else(records):
    for role in Role:
        response = client_for(role).get("/forecast/")
        assert response.status_code == (200 if role in (Role.ANALYST, Role.SERVICE_MANAGER) else 403), role
    assert Role.HUB_MANAGER in HUB_ROLES  # has exports.download, but not forecast.use:
    assert client_for(Role.HUB_MANAGER).get("/forecast/runs/1/forecast.json").status_code == 403


def test_the_page_runs_the_default_scenario_and_names_nobody(records):
    response = ran(client_for(Role.ANALYST))
    page = response.content.decode()
    assert "Results" in page and "chance that net savings reach £12.8m by the end of year 4" in page
    assert page.count('role="img"') == 3 and "<title id=\"forecast-tornado-title\">" in page and "<title id=\"forecast-lac-title\">" in page
    assert "style=" not in page  # the content security policy forbids inline styles
    assert "The chart's numbers as a table" in page
    for person in records:
        assert person.child_id not in page and person.given_name not in page


def test_messages_say_what_to_type(records):
    response = client_for(Role.ANALYST).get("/forecast/", {
        "reach": "half", "draws": "9000", "cost_secure_low": "7000", "cost_secure_high": "5,000",
        "grant_2": "4m", "running_cost_2": "£3,000,000", "years": "3", "target_year": "4", "inflation": "5%",
        "cost_other_low": "0",
    })
    shown = errors(response)
    assert shown == [
        "Enter the share supported at home instead as a percentage, like 50",
        "The grant in year 2 (£4m) must not be more than the running cost that year (£3m)",
        "The high weekly cost of secure care must be at least its low cost (£7,000)",
        "The low weekly cost of other placements must be more than £0",
        "The year of the target must be within the years forecast: 1 to 3",
        "The number of draws must be between 100 and 5,000",
    ]
    assert "Results" not in response.content.decode()
    assert "(error) – No Wrong Door" in response.content.decode()


def test_amounts_are_read_as_a_finance_officer_writes_them():
    scenario = load_scenario()
    numbers = initial(scenario) | {"running_cost_1": "£3.5m", "running_cost_2": "3,250,000", "grant_1": "250k",
                                   "target": "£12.8 million", "cost_supported_high": " £1,500 "}
    form = ScenarioForm(numbers, scenario=scenario)
    assert form.is_valid(), form.errors
    assert [form.cleaned_data[k] for k in ("running_cost_1", "running_cost_2", "grant_1", "target")] == [
        3_500_000, 3_250_000, 250_000, 12_800_000]
    changed = load_scenario(overrides=form.overrides())
    assert changed.service.running_cost[:2] == (3_500_000, 3_250_000)
    assert changed.costs.weekly[6].b == 1500
    assert "changed on the forecast page" in changed.name


def test_the_defaults_are_the_default_scenarios():
    scenario = load_scenario()
    form = ScenarioForm(initial(scenario), scenario=scenario)
    assert form.is_valid(), form.errors
    assert not form.changed_from_default()
    same = load_scenario(overrides=form.overrides())
    for name in ("reach", "step_down", "planned_returns", "ramp_years"):
        assert getattr(same.service, name).mean() == pytest.approx(getattr(scenario.service, name).mean())
    assert same.costs.weekly == scenario.costs.weekly
    assert same.grant[:3] == scenario.grant and same.target == scenario.target


def test_a_rerun_with_changed_numbers_changes_the_figures_and_keeps_the_rates(records):
    client = client_for(Role.ANALYST)
    first = ran(client)
    assert "worked out in" in first.content.decode() and "were kept" not in first.content.decode()
    nothing = {"reach": "0", "step_down": "0", "planned_returns": "0"}
    again = ran(client, nothing)
    assert "with the rates learnt from the records kept from an earlier run" in again.content.decode()
    default = json.loads(download(client, "json").content)
    no_effect = json.loads(download(client, "json", nothing).content)
    assert default["savings"]["savings"]["cumulative"][-1]["mean"] > 0
    assert no_effect["savings"]["savings"]["cumulative"][-1]["mean"] == 0.0  # a service with no effect saves nothing
    assert no_effect["target"]["probability_cumulative"] == 0.0
    kept = ran(client, nothing)
    assert "worked out earlier for the same numbers and records" in kept.content.decode()


def test_downloads_are_audited_escaped_and_name_nobody(records):
    bad = b.person(dt.date(2012, 1, 1), child_id="=HYPERLINK(1)")
    b.care(bad, (dates.today() - dt.timedelta(days=40), "ZZ9", "PR1"))  # an unknown PLACE: left out, named in examples
    client = client_for(Role.SERVICE_MANAGER)
    before = AuditEvent.objects.filter(action="download").count()
    spreadsheet = download(client, "xlsx", {"reach": "40"})
    assert spreadsheet.status_code == 200
    assert spreadsheet["Content-Disposition"] == 'attachment; filename="nwd-forecast.xlsx"'
    book = openpyxl.load_workbook(io.BytesIO(spreadsheet.content))
    texts = [cell for sheet in book for row in sheet.iter_rows(values_only=True) for cell in row if isinstance(cell, str)]
    assert not [t for t in texts if t[:1] in "=+-@"]  # every formula-like text is escaped
    assert any(t.startswith("'-") for t in texts)  # (the summary's rules, for one)
    assert any("unknown placement code (PLACE)" in t for t in texts)
    assert not [t for t in texts if "HYPERLINK" in t or re.search(r"\bF00\d\d\b", t)]  # no child ids
    json_file = download(client, "json", {"reach": "40"})
    assert "HYPERLINK" not in json_file.content.decode() and "F0001" not in json_file.content.decode()
    events = AuditEvent.objects.order_by("pk").filter(action="download")[before:]
    assert [(e.action, e.detail.split(":")[0]) for e in events] == [
        ("download", "nwd-forecast.xlsx"), ("download", "nwd-forecast.json")]
    assert "1,000 draws" in events[0].detail


def test_the_page_makes_the_same_queries_however_many_records(records):
    client = client_for(Role.ANALYST)
    first = ran(client, {"reach": "45"}).wsgi_request.path
    with CaptureQueriesContext(connection) as few:
        assert client.get(first).status_code == 200
    build(60, first=100)
    cache.clear()
    second = ran(client, {"reach": "46"}).wsgi_request.path
    with CaptureQueriesContext(connection) as many:
        assert client.get(second).status_code == 200
    assert len(few.captured_queries) == len(many.captured_queries) <= 12
    with CaptureQueriesContext(connection) as starting:
        assert client.get("/forecast/", {"reach": "47"}).status_code == 302
    assert len(starting.captured_queries) <= 30  # the session, the policy, the job and its task


def test_a_run_is_its_starters_alone_and_one_at_a_time(records):
    client = client_for(Role.ANALYST)
    first = client.get("/forecast/", {"reach": "30"})["Location"]
    assert client.get("/forecast/", {"reach": "30"})["Location"] == first  # the same job, still waiting
    waiting = client.get(first).content.decode()
    assert "data-nwd-job-waiting" in waiting and "Results" not in waiting
    assert client.get(first + "forecast.json").status_code == 404  # no figures yet
    other = client_for(Role.SERVICE_MANAGER)
    assert other.get(first).status_code == 404 and other.get(first + "forecast.json").status_code == 404
    assert client_for(Role.HUB_MANAGER).get(first).status_code == 403
    assert client.get("/forecast/", {"draws": "9000"}).status_code == 200  # a message, no job
    assert Job.objects.filter(kind="forecast-run").count() == 1
    assert "Results" not in client.get("/forecast/").content.decode()  # the bare page runs nothing


def test_the_page_says_what_drives_the_savings_and_stay_out_drives_them(records):
    client = client_for(Role.ANALYST)
    page = ran(client).content.decode()
    assert "What drives the savings" in page
    assert "Weekly costs are calibrated to what the council says it spends: £55.0m a year for 1,100 children" in page
    assert 'id="table-levers"' in page and "Would-be entrants supported at home instead of coming into care" in page
    assert 'id="table-tornado"' in page and "Share of those supported at home who stay out of care" in page
    assert "100%</span> chance" not in page and "0%</span> chance" not in page
    default = json.loads(download(client, "json").content)
    lower = json.loads(download(client, "json", {"stay_out": "43"}).content)
    assert lower["baseline"]["inputs"]["stay_out"]["published"] == pytest.approx(0.43)
    assert (lower["savings"]["savings"]["cumulative"][-1]["expected"]
            < default["savings"]["savings"]["cumulative"][-1]["expected"])
    own = json.loads(download(client, "json", {"council_looked_after": "24",
                                                            "council_spend": "£1.2m"}).content)
    assert own["calibration"]["stated_annual_spend"] == 1_200_000
    assert own["calibration"]["weekly_cost_per_child"] == pytest.approx(1_200_000 / 24 / (365.25 / 7))
    shown = errors(client.get("/forecast/", {"stay_out": "120", "council_spend": "lots"}))
    assert shown == ["The share who stay out of care must be between 0% and 100%",
                     "Enter the yearly spend on placements as an amount in pounds, like £55,000,000 or £55m"]


def test_a_changed_scenario_is_set_beside_the_default_one(records):
    """Issue 12 #17: both figures and the difference, as a chart (title, description) and a table."""
    client = client_for(Role.ANALYST)
    plain = ran(client).content.decode()
    assert 'id="compare"' not in plain  # the default alone: nothing to compare
    assert 'id="compare"' not in ran(client, {"draws": "500"}).content.decode()  # draws are no number
    response = ran(client, {"reach": "10", "target": "£20m"})
    page = response.content.decode()
    assert 'id="compare"' in page and "You changed 2 numbers from the default scenario" in page
    assert "Young people aged 12 to 17 supported at home instead of coming into care (%)" in page
    assert '<span class="govuk-hint govuk-!-display-inline">(default 50)</span>' in page.replace("\n", "")
    assert '<title id="forecast-compare-title">Net savings, the changed scenario beside the default one</title>' in page
    assert "style=" not in page
    table = response.context["compare_table"]
    assert table.header == ("", "Default scenario", "Changed scenario", "Difference (changed less default)")
    rows = {row[0]: row[1:] for row in table.rows}
    assert rows["Target"] == ["£12.8m by the end of year 4", "£20.0m by the end of year 4", "changed"]
    default = json.loads(download(client, "json").content)
    changed = json.loads(download(client, "json", {"reach": "10", "target": "£20m"}).content)
    last = default["savings"]["net"]["cumulative"][-1]["year"]
    d, c = (r["savings"]["net"]["cumulative"][-1]["mean"] for r in (default, changed))
    from nwd.forecast.web.tables import money
    assert rows[f"Net savings to the council, years 1 to {last}"] == [
        money(d), money(c), ("+" if c > d else "") + money(c - d)]
    assert c < d  # fewer supported at home: less saved
    chance_row = rows["Chance that net savings reach the target, years counted together"]
    assert chance_row[2].endswith("percentage points") or chance_row[2] == "no change"
    assert f"Children looked after at the end of year {last}, with the service" in rows
