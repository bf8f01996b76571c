"""The home pages' sections, written from Python (docs/performance.md, "Ninth round: hub manager home").

The managers' home is the busiest page with the most sections. Written in the template language, a
section's every ``{{ a.b }}``, ``{% if %}``, ``{% url %}`` and ``|date`` resolves through Django's
lookups, and an inclusion tag renders a template of its own in a new context: some 1.5 ms of a
request went to the regulation 44 and 45 alerts, "My tasks", the caseloads and the tools list. These
tags write the same HTML, character for character, each value escaped as the template escaped it
(``nwd.web.html``). The data are the apps' own: the alerts' and tasks' inclusion tags
(``homes_manager_alerts``, ``my_tasks``) still say what is shown, and render as before where loaded;
tests compare each tag here with the template it replaces (tests/web/test_home_sections.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template
from django.conf import settings
from django.utils import formats
from django.utils.safestring import SafeString

from nwd.homes.templatetags.homes import homes_manager_alerts
from nwd.web.html import days, display, escape, links
from nwd.worklist.templatetags.worklist import my_tasks

register = template.Library()


def number(value: Any) -> str:
    """``{{ value }}`` of a count: a whole number as text (``localize`` groups digits only with
    ``USE_THOUSAND_SEPARATOR``), anything else as the template writes it; escaped."""
    if type(value) is int and not settings.USE_THOUSAND_SEPARATOR:
        return str(value)
    return escape(formats.localize(value))


_RECORDS = (
    '<section aria-labelledby="homes-alerts-heading">\n'
    '  <h2 class="govuk-heading-m" id="homes-alerts-heading">Children\'s home records</h2>\n'
    "  {}\n"
    '  <p class="govuk-body-s"><a class="govuk-link" href="{}">Home\'s records</a></p>\n'
    "</section>\n"
)
_NOTHING_OVERDUE = '<p class="govuk-body">No regulation 44 or 45 step is overdue.</p>'
_RECORD_ALERT = ('<li><strong class="govuk-tag govuk-tag--{}">{}</strong> <a class="govuk-link" href="{}">{}</a>'
                 "</li>")


@register.simple_tag(takes_context=True)
def home_records_alerts(context: template.Context) -> SafeString:
    """``{% load homes %}{% homes_manager_alerts %}``: the regulation 44 and 45 alerts of the hubs whose
    reports the user keeps (``homes/_manager_alerts.html`` and ``homes/_alerts.html``), nothing but a
    line's end for a user who keeps none."""
    found = homes_manager_alerts(context)
    if not found["shown"]:
        return SafeString("\n")
    link_to = links()
    alerts = found["alerts"]
    if alerts:
        body = '<ul class="govuk-list">' + "".join([_RECORD_ALERT.format(
            escape(alert.colour), "Overdue" if alert.colour == "red" else "Due soon",
            escape(link_to(alert.url_name, alert.pk) if alert.pk else link_to(alert.url_name, alert.hub.code)),
            escape(alert.text),
        ) for alert in alerts]) + "</ul>\n"
    else:
        body = _NOTHING_OVERDUE
    return SafeString(_RECORDS.format(body, escape(link_to("homes:index"))))


_TASKS_HEAD = (
    '\n<section class="nwd-my-tasks" aria-labelledby="my-tasks-heading">\n'
    '  <h2 class="govuk-heading-m" id="my-tasks-heading">My tasks{}</h2>\n  '
)
_TASK = ('\n    <li><a class="govuk-link" href="{}">{}</a> <span class="govuk-body-s">({}), due {}</span>{}</li>\n'
         "    ")
_OVERDUE = ' <strong class="govuk-tag govuk-tag--red">Overdue</strong>'
_ALL_TASKS = '<p class="govuk-body"><a class="govuk-link" href="{}">All {} open tasks</a></p>'
_NO_TASKS = '<p class="govuk-body">You have no open tasks. <a class="govuk-link" href="{}">Tasks</a></p>'
_HUB_TASKS = '<p class="govuk-body"><a class="govuk-link" href="{}">The hub\'s open tasks: {}{}</a></p>'


@register.simple_tag(takes_context=True)
def home_tasks(context: template.Context) -> SafeString:
    """``{% load worklist %}{% my_tasks %}``: "My tasks", overdue first, and the hub's open tasks for a
    manager (``worklist/_my_tasks.html``); nothing but a line's end for a user without a worklist."""
    shown = my_tasks(context)
    if shown.get("hidden"):
        return SafeString("\n")
    link_to, on = links(), days()
    all_tasks = escape(link_to("worklist:tasks"))
    overdue = shown["overdue"]
    parts = [_TASKS_HEAD.format(
        f' <strong class="govuk-tag govuk-tag--red">{number(overdue)} overdue</strong>' if overdue else "")]
    tasks = shown["tasks"]
    if tasks:
        parts.append('\n  <ul class="govuk-list">\n    ')
        parts += [_TASK.format(escape(link_to("worklist:task", task.pk)), escape(task.title), escape(task.reference),
                               escape(on(task.due)), _OVERDUE if task.is_overdue else "") for task in tasks]
        parts.append("\n  </ul>\n  ")
        if shown["more"]:
            parts.append(_ALL_TASKS.format(all_tasks, number(shown["total"])))
        parts.append("\n  ")
    else:
        parts.append(_NO_TASKS.format(all_tasks))
    parts.append("\n  ")
    hub_open, hub_overdue = shown["hub_open"], shown["hub_overdue"]
    if hub_open:
        parts.append(_HUB_TASKS.format(all_tasks, number(hub_open), f", {number(hub_overdue)} overdue" if hub_overdue else ""))
    parts.append("\n</section>\n")
    return SafeString("".join(parts))


_CASELOAD = (
    '\n    <tr class="govuk-table__row">\n'
    '      <th scope="row" class="govuk-table__header">{}</th>\n'
    '      <td class="govuk-table__cell">{}</td>\n'
    '      <td class="govuk-table__cell govuk-table__cell--numeric">{}</td>\n'
    "    </tr>\n  "
)
_NO_KEY_WORKERS = ('\n    <tr class="govuk-table__row"><td class="govuk-table__cell" colspan="3">'
                   "No key workers at this hub.</td></tr>\n  ")


@register.simple_tag
def caseload_rows(staff: Iterable[Any]) -> SafeString:
    """The ``<tr>`` of each worker of a hub's caseloads table (``caseloads_by_hub``'s staff, each with
    ``caseload``), as the loop of ``web/home/manager.html`` wrote them: the name (the user name when
    there is none), the role, the number of young people; a row saying so when there is nobody."""
    rows = [_CASELOAD.format(escape(worker.get_full_name() or worker.username), escape(display(worker, "role")),
                             number(worker.caseload)) for worker in staff]
    return SafeString("".join(rows) if rows else _NO_KEY_WORKERS)


_TOOL = '<li><a class="govuk-link govuk-link--no-visited-state" href="{}">{}</a>{}</li>'
_TOOL_DESCRIPTION = '<br><span class="govuk-body-s nwd-muted">{}</span>'


@register.simple_tag
def tool_items(tools: Iterable[dict[str, Any]]) -> SafeString:
    """The ``<li>`` of each of the home page's tools (``nwd.web.pages.home.tools_for``: a link and
    what it is for), as the loop of ``web/components/tools.html`` wrote them."""
    return SafeString("".join([_TOOL.format(
        escape(tool["url"]), escape(tool["text"]),
        _TOOL_DESCRIPTION.format(escape(tool["description"])) if tool.get("description") else "",
    ) for tool in tools]))


_BED_FIGURES = (
    '\n  <div class="govuk-grid-column-one-third">\n'
    '    <p class="govuk-body nwd-figure"><span class="nwd-figure__number">{}</span> emergency bed{} free{}<br>\n'
    '    <span class="govuk-body-s">{} residential bed{} free · <a class="govuk-link" href="{}#hub-{}">bed board</a>'
    "</span></p>\n  </div>\n  "
)


@register.simple_tag
def bed_figures(boards: list[Any]) -> SafeString:
    """Each bed board's free beds today, a figure a hub (``nwd.hubs.queries.BedBoard``), the hub named
    when there are several, as the loop of ``web/home/manager.html`` wrote them (a service manager's
    home shows twenty)."""
    bed_board = escape(links()("web:bed_board"))
    several = len(boards) > 1
    written = []
    for board in boards:
        emergency, residential = len(board.emergency_free), len(board.residential_free)
        written.append(_BED_FIGURES.format(
            number(emergency), "" if emergency == 1 else "s", " at " + escape(board.hub.name) if several else "",
            number(residential), "" if residential == 1 else "s", bed_board, escape(board.hub.code),
        ))
    return SafeString("".join(written))
