"""The home pages' sections written from Python (nwd.web.templatetags.nwd_home), the navigation's items
(nwd_rows.navigation_items) and the kept static addresses (nwd_static) are the HTML the templates
they replace wrote, character for character, for every branch; and the alerts' dates are Django's."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.template import Context, Template
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import formats, translation

from nwd.access.models import User
from nwd.access.roles import Role
from nwd.casework.queries import alerts as person_alerts
from nwd.homes import queries as homes_queries
from nwd.homes.queries import Alert
from nwd.hubs.models import Hub
from nwd.web.navigation import ShownItem
from nwd.web.templatetags import nwd_home

# The loops as the templates wrote them before the tags (web/home/manager.html's caseloads,
# web/components/tools.html, base.html's navigation).
CASELOAD_LOOP = """{% for worker in staff %}
    <tr class="govuk-table__row">
      <th scope="row" class="govuk-table__header">{{ worker.get_full_name|default:worker.username }}</th>
      <td class="govuk-table__cell">{{ worker.get_role_display }}</td>
      <td class="govuk-table__cell govuk-table__cell--numeric">{{ worker.caseload }}</td>
    </tr>
  {% empty %}
    <tr class="govuk-table__row"><td class="govuk-table__cell" colspan="3">No key workers at this hub.</td></tr>
  {% endfor %}"""
TOOLS_LOOP = (
    '{% for tool in tools %}<li><a class="govuk-link govuk-link--no-visited-state" href="{{ tool.url }}">{{ tool.text }}</a>'
    '{% if tool.description %}<br><span class="govuk-body-s nwd-muted">{{ tool.description }}</span>{% endif %}</li>'
    "{% endfor %}"
)
NAVIGATION_LOOP = """{% for item in nwd_navigation %}
              <li class="govuk-service-navigation__item{% if item.current %} govuk-service-navigation__item--active{% endif %}">
                <a class="govuk-service-navigation__link" href="{{ item.url }}"{% if item.current %} aria-current="page"{% endif %}>
                  {% if item.current %}<strong class="govuk-service-navigation__active-fallback">{{ item.label }}</strong>{% else %}{{ item.label }}{% endif %}
                </a>
              </li>
              {% endfor %}"""  # noqa: E501

FIGURES_LOOP = """{% for board in boards %}
  <div class="govuk-grid-column-one-third">
    <p class="govuk-body nwd-figure"><span class="nwd-figure__number">{{ board.emergency_free|length }}</span> emergency bed{{ board.emergency_free|length|pluralize }} free{% if boards|length > 1 %} at {{ board.hub.name }}{% endif %}<br>
    <span class="govuk-body-s">{{ board.residential_free|length }} residential bed{{ board.residential_free|length|pluralize }} free · <a class="govuk-link" href="{% url 'web:bed_board' %}#hub-{{ board.hub.code }}">bed board</a></span></p>
  </div>
  {% endfor %}"""  # noqa: E501

TRICKY = "O'Brien & <Smith> \"quoted\""


def both(old: str, new: str, **context) -> tuple[str, str]:
    return Template(old).render(Context(context)), Template(new).render(Context(context))


def a_user(**fields) -> SimpleNamespace:
    """What the sections read of the signed-in user (``user_key``'s fields, and ``has_perm``)."""
    return SimpleNamespace(pk=7, role="hub_manager", hub_id=1, agency="", organisation="", is_active=True, **fields)


def request_of(user) -> object:
    request = RequestFactory().get("/")
    request.user = user
    return request


@pytest.mark.parametrize("keeps", [True, False])
@pytest.mark.parametrize("found", ["none", "some"])
def test_the_records_alerts_are_the_inclusion_tags_html(monkeypatch, keeps, found):
    hub = Hub(pk=3, name="West <Norfolk>", code="west-norfolk")
    alerts = [] if found == "none" else [
        Alert(hub, f"Independent person's visit {TRICKY} overdue since 16/04/2026", "red", "homes:reports"),
        Alert(hub, "Regulation 45 report to send by 12/12/2026", "orange", "homes:review", 12),
        Alert(hub, f"Action overdue ({TRICKY})", "red", "homes:visit", 92),
    ]
    monkeypatch.setattr(homes_queries, "alerts_of", lambda *args, **kwargs: alerts)
    request = request_of(a_user(has_perm=lambda permission, obj=None: keeps))
    old, new = both("{% load homes %}{% homes_manager_alerts %}", "{% load nwd_home %}{% home_records_alerts %}",
                    request=request)
    assert new == old
    assert ("Children's home records" in new) is keeps


def task(pk, title, due, overdue):
    return SimpleNamespace(pk=pk, title=title, reference=f"T-{pk:06d}", due=due, is_overdue=overdue)


SHOWN_TASKS = [
    {"hidden": True},
    {"tasks": [], "more": False, "total": 0, "overdue": 0, "hub_open": 0, "hub_overdue": 0},
    {"tasks": [], "more": False, "total": 0, "overdue": 0, "hub_open": 5, "hub_overdue": 0},
    {"tasks": [task(1, TRICKY, dt.date(2026, 12, 1), True), task(22, "Review the plan", dt.date(2026, 12, 24), False)],
     "more": False, "total": 2, "overdue": 1, "hub_open": 12, "hub_overdue": 3},
    {"tasks": [task(n, f"Task {n}", dt.date(2026, 1, n), False) for n in range(1, 9)],
     "more": True, "total": 1234, "overdue": 0, "hub_open": 0, "hub_overdue": 0},
]


@pytest.mark.parametrize("shown", SHOWN_TASKS)
def test_my_tasks_are_the_inclusion_tags_html(monkeypatch, shown):
    monkeypatch.setattr(nwd_home, "my_tasks", lambda context: shown)
    request = request_of(a_user())
    old = render_to_string("worklist/_my_tasks.html", shown)
    new = Template("{% load nwd_home %}{% home_tasks %}").render(Context({"request": request}))
    assert new == old


def test_my_tasks_as_the_inclusion_tag_reads_them(db, rf):
    """The tag takes what the worklist's tag reads: a user without a worklist sees nothing."""
    user = User.objects.create(username="analyst", role=Role.ANALYST)
    request = rf.get("/")
    request.user = user
    context = Context({"request": request})
    assert Template("{% load nwd_home %}{% home_tasks %}").render(context) == Template(
        "{% load worklist %}{% my_tasks %}").render(context)


def worker(pk, first, last, role, caseload) -> User:
    found = User(pk=pk, username=f"user{pk}", first_name=first, last_name=last, role=role)
    found.caseload = caseload
    return found


@pytest.mark.parametrize("staff", [
    [],
    [worker(1, "Anna", TRICKY, Role.KEY_WORKER, 12), worker(2, "", "", Role.RESIDENTIAL_WORKER, 0),
     worker(3, "Bo", "", Role.HUB_MANAGER, 1003)],
])
def test_the_caseload_rows_are_the_loops_html(staff):
    old, new = both(CASELOAD_LOOP, "{% load nwd_home %}{% caseload_rows staff %}", staff=staff)
    assert new == old


def test_the_tools_are_the_loops_html():
    tools = [{"url": "/referrals/?a=1&b=2", "text": TRICKY, "description": f"For {TRICKY}."},
             {"url": "/search/", "text": "Search", "description": ""}]
    old, new = both(TOOLS_LOOP, "{% load nwd_home %}{% tool_items tools %}", tools=tools)
    assert new == old


def test_the_navigation_is_the_loops_html():
    items = [ShownItem("Home", "home", "/", True, ""), ShownItem(TRICKY, "web:search", "/search/?q=a&b=<c>", False, ""),
             ShownItem("Bed board", "web:bed_board", "/beds/", False, "")]
    old, new = both(NAVIGATION_LOOP, "{% load nwd_rows %}{% navigation_items nwd_navigation %}", nwd_navigation=items)
    assert new == old


def test_the_kept_static_addresses_are_djangos():
    old, new = both("{% load static %}{% static 'nwd/nwd.css' %} {% static 'nwd/a b&c.js' %}",
                    "{% load nwd_static %}{% static 'nwd/nwd.css' %} {% static 'nwd/a b&c.js' %}")
    assert new == old


def test_the_counts_are_written_as_the_template_writes_them(settings):
    assert nwd_home.number(1234) == Template("{{ n }}").render(Context({"n": 1234})) == "1234"
    settings.USE_THOUSAND_SEPARATOR = True
    assert nwd_home.number(1234) == Template("{{ n }}").render(Context({"n": 1234})) == "1,234"


def alerted(review_due: dt.date) -> SimpleNamespace:
    return SimpleNamespace(alert_missing=False, alert_overstay=False, alert_referral=False, alert_review=True,
                           review_due=review_due, alert_no_contact=False, last_contact=None)


def test_the_review_dates_of_the_alerts_are_djangos_in_each_language():
    today = dt.date(2026, 12, 4)
    for due in (dt.date(2026, 12, 1), dt.date(2026, 12, 8), dt.date(2026, 12, 8)):
        for language in ("en-gb", "fr", "en-gb"):
            with translation.override(language):
                [alert] = person_alerts.alerts_of(alerted(due), today)
                [listed] = person_alerts.with_alert_words([alerted(due)], today)[0].alerts
                assert formats.date_format(due) in alert.text
                assert listed == alert
    with translation.override("fr"):
        assert "décembre" in person_alerts.alerts_of(alerted(dt.date(2026, 12, 8)), today)[0].text


@pytest.mark.parametrize("zone", ["Europe/London", "Pacific/Auckland", "America/Los_Angeles"])
def test_the_days_without_contact_are_counted_from_the_local_day(zone):
    from django.utils import timezone

    from nwd.core import dates

    today = dt.date(2026, 12, 4)
    last = dt.datetime(2026, 11, 10, 23, 30, tzinfo=dt.UTC)
    row = SimpleNamespace(**{**vars(alerted(today)), "alert_review": False, "alert_no_contact": True, "last_contact": last})
    with timezone.override(zone):
        expected = f"No contact for {(today - dates.as_date(last)).days} days"
        assert [alert.text for alert in person_alerts.alerts_of(row, today)] == [expected]
        assert [alert.text for alert in person_alerts.with_alert_words([row], today)[0].alerts] == [expected]


def board(name, code, emergency, residential) -> SimpleNamespace:
    return SimpleNamespace(hub=SimpleNamespace(name=name, code=code), emergency_free=[object()] * emergency,
                           residential_free=[object()] * residential)


@pytest.mark.parametrize("boards", [
    [],
    [board("West Norfolk hub", "west-norfolk-hub", 2, 0)],
    [board(TRICKY, "a&b", 1, 1), board("Norwich hub", "norwich-hub", 0, 3), board("Breckland", "breckland", 12, 2)],
])
def test_the_bed_figures_are_the_loops_html(boards):
    old, new = both(FIGURES_LOOP, "{% load nwd_home %}{% bed_figures boards %}", boards=boards)
    assert new == old
