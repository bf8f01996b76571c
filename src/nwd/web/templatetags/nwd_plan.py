"""The plan's goals on the young person's page, written from Python (docs/performance.md, "Eighth
round: young person"): the loop of ``web/young_people/page.html`` cost some 0.1 ms a goal (a chain of
``{% if %}`` for the tag's colour, ``truncatechars``, two ``{% url %}``); this writes the same HTML,
character for character (tests/web/test_plan_rows.py compares it with the loop it replaces)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template
from django.template.defaultfilters import truncatechars
from django.utils.safestring import SafeString

from nwd.web.html import escape, links

register = template.Library()

# The tag's colour for a goal's latest progress (yellow: not yet reviewed, or anything else).
_COLOURS = {"achieved": "green", "good": "turquoise", "some": "blue", "stopped": "grey"}
_GOAL = (
    '\n          <li><p class="govuk-body govuk-!-margin-bottom-1">{}</p>\n'
    '            <strong class="govuk-tag govuk-tag--{}">{}</strong>\n'
    "            {}\n"
    "            {}</li>\n          "
)
_NOTE = '<p class="govuk-body-s govuk-!-margin-top-1">{}</p>'
_CORRECT = '<a class="govuk-link" href="{}">Correct<span class="govuk-visually-hidden"> the goal: {}</span></a>'
_WITHDRAW = ' <a class="govuk-link" href="{}">Withdraw<span class="govuk-visually-hidden"> the goal: {}</span></a>'


@register.simple_tag(takes_context=True)
def goal_lines(context: template.Context, lines: Iterable[Any]) -> SafeString:
    """The ``<li>`` of each of an area's goals (``nwd.casework.queries.young_person.GoalLine``): its
    description, its latest progress as a tag, the progress's note, and the links to correct or
    withdraw it that ``allowed.sections`` (``nwd.web.pages.common.Allowed``) offers the viewer."""
    sections = getattr(context.get("allowed"), "sections", ())
    correct, withdraw = "correct" in sections, "withdraw" in sections
    link_to = links()
    rows = []
    for line in lines:
        goal = line.goal
        fixes = ""
        if correct or withdraw:
            short = escape(truncatechars(goal.description, 40))
            fixes = ('<p class="govuk-body-s no-print govuk-!-margin-top-1">'
                     + (_CORRECT.format(escape(link_to("web:correct_goal", goal.pk)), short) if correct else "")
                     + (_WITHDRAW.format(escape(link_to("web:withdraw_goal", goal.pk)), short) if withdraw else "")
                     + "</p>")
        rows.append(_GOAL.format(
            escape(goal.description), _COLOURS.get(line.progress, "yellow"), escape(line.progress_label),
            _NOTE.format(escape(line.note)) if line.note else "", fixes,
        ))
    return SafeString("".join(rows))
