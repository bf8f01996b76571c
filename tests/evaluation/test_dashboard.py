"""The outcomes dashboard (/evidence/) on a small hand-built county: who may see what, the named lists
filtered by the viewer's access and audited, the analyst's view without names, the downloads, the
cache, and a fixed number of queries. The scale-1 county is in test_dashboard_county.py and the
browser (axe-core) in test_dashboard_browser.py."""

from __future__ import annotations

import datetime as dt
import html
import io
import re
from urllib.parse import urlencode

import openpyxl
import pytest
from django.core.cache import cache as django_cache
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from nwd.access.models import AuditEvent
from nwd.access.roles import HUB_ROLES, Role
from nwd.access.testing import sign_in
from nwd.casework.models import Involvement, YoungPerson
from nwd.core.charts import PRESENTATION_ATTRIBUTES
from nwd.evaluation import cache, named_lists
from nwd.evaluation.figures import Chart
from nwd.evaluation.forms import (
    Choice,
    HubOption,
    PeriodForm,
    default_choice,
    last_complete_financial_year,
    read_choice,
)
from nwd.evaluation.web_charts import data_table, inline_svg
from nwd.hubs.models import Hub
from nwd.jobs.models import Job
from nwd.jobs.testing import run_queued
from tests.evaluation import builders as b
from tests.factories import UserFactory

D = dt.date
PERIOD = {"date_from": "2023-04-01", "date_to": "2025-03-31"}
ALLOWED = {Role.HUB_MANAGER, Role.SERVICE_MANAGER, Role.ANALYST}
PEOPLE_LINK = re.compile(r'href="(/evidence/people/\?[^"]+)"')


def url(path: str = "/evidence/", **params) -> str:
    return f"{path}?{urlencode({**PERIOD, **params})}"


FOLLOW = re.compile(r'data-nwd-job-url="([^"]+)"')


def followed(response) -> str | None:
    """The address a page working out its figures follows the job at (None: not working out)."""
    html_page = response.status_code == 200 and response["Content-Type"].startswith("text/html")
    found = FOLLOW.search(response.content.decode()) if html_page else None
    return html.unescape(found.group(1)) if found else None


class WorkedOut(Client):
    """A signed-in client for pages whose figures are worked out in the background: when a page
    says it has started (or joined) the job working them out, the job is run as ``nwd worker``
    would and the page opened at the address it follows the job at. ``started`` counts those."""

    started = 0

    def get(self, path, *args, **kwargs):
        response = super().get(path, *args, **kwargs)
        follow = followed(response)
        if follow is not None:
            self.started += 1
            run_queued()
            response = super().get(follow, *args, **kwargs)
        return response


def client_for(user) -> WorkedOut:
    client = WorkedOut()
    sign_in(client, user)
    return client


def count_queries(client, address: str) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(address)
    assert response.status_code == 200, address
    return len(captured.captured_queries), response


@pytest.fixture(autouse=True)
def fresh_cache():
    """Each test builds its own reports: the cache is process-wide and outlives a test's data."""
    django_cache.clear()
    yield
    django_cache.clear()


@pytest.fixture(scope="module")
def small_county(django_db_setup, django_db_blocker):
    """The evaluation's small county (two hubs, 24 young people), written once for the module and
    rolled back at its end; each test's own changes are rolled back after it, as usual."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield b.small_county()
        transaction.set_rollback(True)


@pytest.fixture
def small(small_county, no_forecast, db):
    return small_county


def user(role: str, hub=None):
    return UserFactory(role=role, hub=hub if role in HUB_ROLES else None)


# --- The period picker ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("today", "expected"), [
    (D(2026, 11, 23), (D(2025, 4, 1), D(2026, 3, 31))),
    (D(2026, 3, 31), (D(2024, 4, 1), D(2025, 3, 31))),  # the year ends tonight: not complete yet
    (D(2026, 4, 1), (D(2025, 4, 1), D(2026, 3, 31))),
    (D(2026, 1, 5), (D(2024, 4, 1), D(2025, 3, 31))),
])
def test_the_default_period_is_the_last_complete_financial_year(today, expected):
    assert last_complete_financial_year(today) == expected


def test_by_default_the_cohort_starts_when_the_service_began_if_that_is_earlier():
    hubs = [HubOption(1, "bre", "Breckland hub", D(2023, 11, 23)), HubOption(2, "nor", "Norwich hub", D(2024, 2, 1))]
    choice = default_choice(D(2026, 11, 23), hubs)
    assert (choice.date_from, choice.date_to, choice.cohort_from, choice.hub_id) == (
        D(2025, 4, 1), D(2026, 3, 31), D(2023, 11, 23), None)
    # A service that began during the year compares those whose support began in the year.
    assert default_choice(D(2024, 6, 1), hubs).cohort_from is None


def test_the_form_reads_the_govuk_date_boxes_and_the_short_dates_links_carry():
    hubs = [HubOption(7, "nor", "Norwich hub", D(2021, 9, 1))]
    boxes = {"date_from_day": "1", "date_from_month": "4", "date_from_year": "2024",
             "date_to_day": "31", "date_to_month": "3", "date_to_year": "2025", "hub": "nor"}
    typed = PeriodForm(data=boxes, hubs=hubs)
    assert typed.is_valid(), typed.errors
    choice = typed.choice()
    assert choice == Choice(D(2024, 4, 1), D(2025, 3, 31), 7, "nor", "Norwich hub", None)
    assert choice.query == "date_from=2024-04-01&date_to=2025-03-31&hub=nor"
    linked = PeriodForm(data=choice.params, hubs=hubs)
    assert linked.is_valid() and linked.choice() == choice


def test_the_form_says_what_is_wrong_in_plain_words():
    hubs = []
    form, choice = read_choice({"date_from": "2025-04-01", "date_to": "2025-03-31", "cohort_from": "2025-06-01"},
                               hubs, D(2026, 1, 1))
    assert choice is None
    messages = dict(form.error_summary)
    assert messages["id_date_to_day"] == "The last day of the period must be the same as or after the first day"
    form, choice = read_choice({"date_from_day": "31", "date_from_month": "2", "date_from_year": "2025"}, hubs, D(2026, 1, 1))
    assert choice is None
    assert "The first day of the period must be a real date, for example 27 3 2025" in dict(form.error_summary).values()


# --- Charts for the page -------------------------------------------------------------------------------


def test_charts_are_inline_svg_without_inline_css_and_with_a_title_and_description():
    chart = Chart("stacked", ["2024-25 Q1", "2024-25 Q2", "<Q3>"], {"First entries": [3, 4, 5], "Re-entries": [1, 0, 2]},
                  "Entries to care")
    text = inline_svg(chart, "Entries & re-entries", prefix="chart-care")
    assert text.startswith('<svg role="img" aria-labelledby="chart-care-title chart-care-desc"')
    assert "style=" not in text and "<style" not in text and "<metadata" not in text
    assert '<title id="chart-care-title">Entries &amp; re-entries</title>' in text
    assert 'id="chart-care-desc">Stacked bar chart of Entries to care (First entries, Re-entries)' in text
    assert "&lt;Q3&gt;" in text and "<Q3>" not in text
    attributes = set(re.findall(r'\s([a-z-]+)="', text))
    drawing = attributes - {"role", "aria-labelledby", "focusable", "class", "id", "d", "x", "y", "width", "height",
                            "viewBox", "version", "xmlns", "transform", "points"}
    assert drawing <= PRESENTATION_ATTRIBUTES | {"href"}, drawing - PRESENTATION_ATTRIBUTES
    ids = re.findall(r'\bid="([^"]+)"', text)
    assert all(i.startswith("chart-care-") for i in ids) and len(ids) == len(set(ids))
    header, rows = data_table(chart, "Quarter")
    assert header == ["Quarter", "First entries", "Re-entries"]
    assert rows[0] == ["2024-25 Q1", "3", "1"]
    money = data_table(Chart("line", ["Week 1"], {"In area": [12345.6]}, "£", money=True), "Period")
    assert money[1] == [["Week 1", "£12,346"]]


def test_each_list_behind_a_figure_is_linked_from_its_row_or_under_the_table():
    from nwd.evaluation.figures import Figure
    from nwd.evaluation.layout import figure_view

    figure = Figure("stays", "Stays", None, ["Stays", "Ended"], [["All stays", 3], ["Norwich hub", 0]], people={
        "All stays": (1, 2, 3), "All stays: ended late": (2,), "Norwich hub": (), "Service: followed": (4,),
    })
    choice = Choice(D(2024, 4, 1), D(2025, 3, 31))
    view = figure_view(figure, choice, {}, named=True, definitions={})
    first, second = view.rows
    assert first.link.text == "All stays" and first.link.count == 3
    assert first.link.url == "/evidence/people/?date_from=2024-04-01&date_to=2025-03-31&figure=stays&row=All+stays"
    assert [(part.text, part.count) for part in first.parts] == [("ended late", 1)]
    assert second.link is None  # nobody behind it: nothing to list
    assert [(link.text, link.count) for link in view.other_lists] == [("Service: followed", 1)]
    assert view.everyone.count == 4
    assert [c.numeric for c in view.header] == [False, True]
    hidden = figure_view(figure, choice, {}, named=False, definitions={})
    assert hidden.rows[0].link is None and not hidden.rows[0].parts and not hidden.other_lists and hidden.everyone is None


# --- Who may see what ----------------------------------------------------------------------------------


def test_the_dashboard_is_for_managers_and_analysts_only(small):
    hub = Hub.objects.order_by("pk").first()
    for role in Role:
        response = client_for(user(role, hub)).get(url())
        assert response.status_code == (200 if role in ALLOWED else 403), role


def test_managers_get_links_to_the_people_behind_the_figures_and_analysts_the_same_figures_without(small):
    manager_page = client_for(user(Role.SERVICE_MANAGER)).get(url()).content.decode()
    analyst_page = client_for(user(Role.ANALYST)).get(url()).content.decode()

    def headline_values(page):
        return re.findall(r'<span class="nwd-headline__value">([^<]*)</span>', page)

    assert headline_values(manager_page) == headline_values(analyst_page)
    assert len(headline_values(manager_page)) == 6
    for title in ("What happened to the referrals received", "Events in the 12 months before and after support began",
                  "Looked after within 18 months of a referral at 12 to 17", "Placement spend by placement group"):
        assert title in manager_page and title in analyst_page
    assert PEOPLE_LINK.search(manager_page)
    assert "Figures only: this view has no names" in analyst_page
    assert "/evidence/people/" not in analyst_page and "/young-people/" not in analyst_page
    names = [person.full_name for person in YoungPerson.objects.all()]
    assert not [name for name in names if name in analyst_page]
    assert 'class="nwd-chart"' in analyst_page and "<svg" in analyst_page
    # A chart's numbers, as a table, under it.
    assert "The chart's numbers as a table" in analyst_page


def test_a_named_list_shows_only_the_young_people_the_viewer_may_see_and_audits_each(small):
    breckland = Hub.objects.get(name="Breckland")
    manager = user(Role.HUB_MANAGER, breckland)
    client = client_for(manager)
    page = client.get(url()).content.decode()
    link = html.unescape(next(m for m in PEOPLE_LINK.findall(page) if "figure=referral_decisions" in m
                              and "row=All+referrals" in m))
    response = client.get(link)
    assert response.status_code == 200
    body = response.content.decode()

    from nwd.evaluation.report import build_report

    behind = set(build_report(D(2023, 4, 1), D(2025, 3, 31)).people("referral_decisions", "All referrals"))
    at_breckland = set(Involvement.objects.filter(hub=breckland, young_person__in=behind)
                       .values_list("young_person_id", flat=True))
    assert at_breckland and behind - at_breckland, "the small county has referrals at both hubs and handovers"
    for person in YoungPerson.objects.filter(pk__in=behind):
        assert (person.full_name in body) == (person.pk in at_breckland), person
    hidden = len(behind - at_breckland)
    assert f"{hidden} are outside your access: their names are not shown." in body
    listed = AuditEvent.objects.filter(user=manager, action="list")
    assert set(listed.values_list("young_person_id", flat=True)) == at_breckland
    assert listed.first().detail == "evidence: What happened to the referrals received: All referrals"


def test_the_service_manager_sees_the_service_by_name_and_the_rest_of_the_council_as_a_count(small):
    client = client_for(user(Role.SERVICE_MANAGER))
    body = client.get(url("/evidence/people/", figure="care_entries", row="All entries")).content.decode()
    entered = re.search(r"(\d+) young people are behind this row; you may see (\d+) of them", body)
    assert entered, body[:3000]
    total, visible = int(entered.group(1)), int(entered.group(2))
    assert 0 < visible < total
    assert f"{total - visible} are outside your access" in body


def test_named_lists_refuse_analysts_and_unknown_figures(small):
    analyst = client_for(user(Role.ANALYST))
    assert analyst.get(url("/evidence/people/", figure="referral_decisions", row="All referrals")).status_code == 403
    manager = client_for(user(Role.SERVICE_MANAGER))
    assert manager.get(url("/evidence/people/", figure="no_such_figure")).status_code == 404
    assert manager.get(url("/evidence/people/", figure="referral_decisions", row="No such row")).status_code == 404
    assert manager.get("/evidence/people/?date_from=2025-04-01&date_to=2024-01-01&figure=referral_decisions").status_code == 404
    assert manager.get(url("/evidence/people/", figure="referral_decisions")).status_code == 200  # the whole figure


def test_named_lists_page_through_fifty_at_a_time_in_a_fixed_number_of_queries(small, monkeypatch):
    monkeypatch.setattr(named_lists, "PER_PAGE", 3)
    client = client_for(user(Role.SERVICE_MANAGER))
    client.get(url())  # the report, built and kept
    client.get(url("/evidence/people/", figure="referral_decisions"))  # warm what a list's first view caches
    few, _ = count_queries(client, url("/evidence/people/", figure="referral_decisions", row="Emergency bed"))
    many, response = count_queries(client, url("/evidence/people/", figure="referral_decisions", row="All referrals"))
    assert few == many
    body = response.content.decode()
    assert "Page 1 of" in body and 'rel="next"' in body
    second = client.get(url("/evidence/people/", figure="referral_decisions", row="All referrals", page=2))
    assert second.status_code == 200 and "Page 2 of" in second.content.decode()


# --- Downloads -----------------------------------------------------------------------------------------


def made_in_the_background(client, address):
    """Follow a download link: it starts a job and shows its page; run the job (as ``nwd worker``
    would), then the page links to the file; return the file's response."""
    started = client.get(address)
    assert started.status_code == 302 and started["Location"].startswith("/evidence/reports/")
    waiting = client.get(started["Location"])
    assert waiting.status_code == 200 and "data-nwd-job-waiting" in waiting.content.decode()
    assert client.get(started["Location"] + "file").status_code == 404  # not made yet
    assert run_queued() == 1
    ready = client.get(started["Location"]).content.decode()
    assert "data-nwd-job-waiting" not in ready
    link = re.search(r'href="(/evidence/reports/\d+/file)" download>Download ([^<]+)</a>', ready)
    assert link, ready
    response = client.get(link.group(1))
    assert response["Content-Disposition"] == f'attachment; filename="{link.group(2)}"'
    return response


def test_the_same_report_downloads_as_pdf_and_xlsx_audited_and_escaped(small):
    Hub.objects.filter(name="Norwich").update(name="=HYPERLINK(\"x\")")
    analyst = user(Role.ANALYST)
    client = client_for(analyst)
    page = client.get(url(hub="norwich")).content.decode()
    assert "/evidence/report.pdf?" in page and "/evidence/report.xlsx?" in page
    pdf = made_in_the_background(client, url("/evidence/report.pdf", hub="norwich"))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert pdf["Content-Disposition"] == 'attachment; filename="nwd-outcomes-norwich-2023-04-01-to-2025-03-31.pdf"'
    xlsx = made_in_the_background(client, url("/evidence/report.xlsx", hub="norwich"))
    assert xlsx.status_code == 200 and xlsx["X-Content-Type-Options"] == "nosniff"
    about = openpyxl.load_workbook(io.BytesIO(xlsx.content))["About"]
    covering = next(row[1] for row in about.iter_rows(values_only=True) if row[0] == "Covering")
    assert covering == "'=HYPERLINK(\"x\")"
    downloads = AuditEvent.objects.filter(user=analyst, action="download")
    assert downloads.count() == 2 and not downloads.exclude(young_person_id=None).exists()
    assert downloads.filter(detail__startswith="nwd-outcomes-norwich-2023-04-01-to-2025-03-31.pdf: evaluation report").exists()
    key_worker = client_for(user(Role.KEY_WORKER, Hub.objects.first()))
    assert key_worker.get(url("/evidence/report.pdf")).status_code == 403


def test_a_report_job_is_its_starters_alone_and_one_at_a_time(small):
    analyst, other = user(Role.ANALYST), user(Role.ANALYST)
    client = client_for(analyst)
    first = client.get(url("/evidence/report.pdf"))["Location"]
    assert client.get(url("/evidence/report.pdf"))["Location"] == first  # the same job, still waiting
    assert client.get(url("/evidence/report.xlsx"))["Location"] != first
    assert client_for(other).get(first).status_code == 404  # another analyst cannot see it
    assert client_for(other).get(first + "file").status_code == 404
    assert client.get(url("/evidence/report.pdf", date_from="2025-13-45")).status_code == 404  # no job for a bad link
    assert Job.objects.filter(kind__startswith="evidence-report").count() == 2
    assert client_for(user(Role.KEY_WORKER, Hub.objects.first())).get(first).status_code == 403


# --- The cache and the query count ------------------------------------------------------------------


def test_the_report_is_built_once_per_period_hub_and_cohort(small, monkeypatch):
    built = []
    real = cache.build_report

    def counting(*args, **kwargs):
        built.append((args, kwargs))
        return real(*args, **kwargs)

    monkeypatch.setattr(cache, "build_report", counting)
    manager = client_for(user(Role.SERVICE_MANAGER))
    manager.get(url())
    manager.get(url())
    client_for(user(Role.ANALYST)).get(url())
    manager.get(url("/evidence/people/", figure="referral_decisions", row="All referrals"))
    assert len(built) == 1
    manager.get(url(hub="norwich"))
    manager.get(url(cohort_from="2022-04-01"))
    assert len(built) == 3
    assert built[1][1]["hub"] == Hub.objects.get(code="norwich").pk
    assert built[2][1]["support_from"] == D(2022, 4, 1)


def more_young_people(n: int) -> None:
    """Grow the county: young people referred, supported and going missing inside the period."""
    from nwd.events.models import MissingEpisode

    at = Hub.objects.get(name="Breckland")
    for i in range(n):
        young = b.person(D(2009, 1 + i % 12, 3))
        received = D(2023, 6, 1) + dt.timedelta(days=7 * i)
        ref = b.referral(young, received, "outreach", received)
        b.support(young, received, at=at, referral=ref)
        MissingEpisode.objects.create(young_person=young, started_at=dt.datetime(2023, 5, 1, tzinfo=dt.UTC),
                                      ended_at=dt.datetime(2023, 5, 2, tzinfo=dt.UTC))


def test_the_dashboard_makes_a_fixed_number_of_queries_whatever_the_size_of_the_county(small):
    """Starting the job, reading its output (as a web process other than the worker's does: its
    cache empty) and reading this process's cache each cost the same queries whatever the county."""
    client = client_for(user(Role.SERVICE_MANAGER))
    client.get("/")  # warm what every page shares (content types, the session)

    def counts() -> tuple[int, int, int]:
        with CaptureQueriesContext(connection) as captured:
            started = Client.get(client, url())
        assert followed(started)
        run_queued()
        django_cache.clear()  # another web process: nothing in its cache, the job's output in storage
        from_output, response = count_queries(client, url())
        kept, _ = count_queries(client, url())
        assert "Headline figures" in response.content.decode()
        return len(captured.captured_queries), from_output, kept

    small_counts = counts()
    more_young_people(30)
    django_cache.clear()
    Job.objects.filter(kind="evidence-figures").delete()  # the figures are worked out again
    big_counts = counts()
    assert big_counts == small_counts
    # Kept: the session, the user, the second factor, the hubs, and the session's refresh.
    assert small_counts[2] <= 8, small_counts
    # From the job's output: those and the job.
    assert small_counts[1] <= 9, small_counts


def test_a_period_that_cannot_be_read_shows_the_problem_and_no_figures(small):
    client = client_for(user(Role.ANALYST))
    body = client.get("/evidence/?date_from=2025-04-01&date_to=2024-04-01").content.decode()
    assert "There is a problem" in body
    assert "The last day of the period must be the same as or after the first day" in body
    assert "Headline figures" not in body


def test_without_a_period_the_dashboard_shows_the_last_complete_financial_year(small):
    body = client_for(user(Role.ANALYST)).get("/evidence/").content.decode()
    start, end = last_complete_financial_year(dt.date.today())
    assert f"{start:%-d %b %Y} to {end:%-d %b %Y}" in body


def test_the_menu_offers_the_dashboard_to_those_who_may_see_it(small):
    hub = Hub.objects.order_by("pk").first()
    for role in (Role.SERVICE_MANAGER, Role.ANALYST, Role.KEY_WORKER):
        home = client_for(user(role, hub)).get("/").content.decode()
        assert ('href="/evidence/"' in home) == (role in ALLOWED), role


def test_the_dashboard_opens_with_its_contents_and_each_headline_link_says_where_it_goes(small):
    """Issue 12 #6: the page is long, so a contents list comes before the figures; the headline links
    no longer all read "The figure"."""
    body = client_for(user(Role.SERVICE_MANAGER)).get(url()).content.decode()
    contents = body.index('id="contents-title"')
    assert contents < body.index('id="headlines"') < body.index('id="summary"')
    for anchor in ("#headlines", "#summary", "#definitions"):
        assert f'href="{anchor}"' in body[contents:body.index('id="headlines"')]
    texts = [html.unescape(re.sub(r"<[^>]+>", "", text)).strip()
             for text in re.findall(r'<a class="govuk-link" href="#figure-[^"]+">(.*?)</a>', body)]
    assert len(texts) >= 6 and len(set(texts)) == len(texts), texts
    assert "The figure" not in texts and all(text.startswith("Figure for ") for text in texts)


# --- A period not kept: worked out in the background ---------------------------------------------------


def test_a_period_not_kept_is_worked_out_by_one_shared_job_and_shown_when_done(small, settings):
    from nwd.jobs.services import fail

    manager, analyst = Client(), Client()
    sign_in(manager, user(Role.SERVICE_MANAGER))
    sign_in(analyst, user(Role.ANALYST))
    waiting = manager.get(url())
    job = Job.objects.get(kind="evidence-figures")
    assert followed(waiting) == url(job=job.pk)
    assert (job.state, job.params["query"], job.permission) == ("queued", urlencode(PERIOD), "evaluation.view_dashboard")
    body = waiting.content.decode()
    assert waiting.status_code == 200 and "data-nwd-job-waiting" in body and "Waiting to start" in body
    assert "Work out the outcomes for all hubs, 1 Apr 2023 to 31 Mar 2025" in body and "Headline figures" not in body
    assert 'name="date_from_day"' in body  # the period can be changed meanwhile
    assert "data-nwd-job-waiting" in manager.get(url(job=job.pk)).content.decode()
    # Anyone else asking for the same period, or for a list behind one of its figures, joins that job.
    assert followed(analyst.get(url())) == url(job=job.pk)
    people = url("/evidence/people/", figure="referral_decisions", row="All referrals")
    assert followed(manager.get(people)) == people + f"&job={job.pk}"
    assert Job.objects.filter(kind="evidence-figures").count() == 1

    assert run_queued() == 1
    django_cache.clear()  # as another web process sees it: the figures are in the job's output only
    done = manager.get(url(job=job.pk)).content.decode()
    assert "Headline figures" in done and "data-nwd-job-waiting" not in done and PEOPLE_LINK.search(done)
    django_cache.clear()
    assert analyst.get(url()).status_code == 200  # worked out within NWD_EVIDENCE_CACHE_SECONDS: at once
    django_cache.clear()
    listed = manager.get(people)
    assert listed.status_code == 200 and "young people are behind this row" in listed.content.decode()
    assert Job.objects.filter(kind="evidence-figures").count() == 1

    # Older than NWD_EVIDENCE_CACHE_SECONDS: worked out again; the job's own address still shows its figures.
    settings.NWD_EVIDENCE_CACHE_SECONDS = 0
    django_cache.clear()
    again = followed(manager.get(url()))
    assert again is not None and again != url(job=job.pk)
    assert "Headline figures" in manager.get(url(job=job.pk)).content.decode()
    # A job of another period named in the address is not followed: this period's job is.
    assert followed(manager.get(url(hub="norwich", job=job.pk))) not in (None, url(hub="norwich", job=job.pk))

    # A job that did not finish says so, with the way back; asking again starts another.
    second = Job.objects.get(pk=int(again.rsplit("=", 1)[1]))
    fail(second, error="The records could not be read.")
    failed = manager.get(again).content.decode()
    assert "The figures were not worked out" in failed and "The records could not be read." in failed
    assert f'href="{html.escape(url())}"' in failed and "data-nwd-job-waiting" not in failed
    assert followed(manager.get(url())) not in (None, again, url(job=job.pk))
