"""The plan's goals written from Python (nwd.web.templatetags.nwd_plan) are the HTML the loop of
web/young_people/page.html wrote, character for character, for every branch of that loop."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.template import Context, Template
from django.utils.safestring import mark_safe

# The loop as web/young_people/page.html wrote it before the tag.
GOAL_LOOP = """          {% for line in area.goals %}
          <li><p class="govuk-body govuk-!-margin-bottom-1">{{ line.goal.description }}</p>
            <strong class="govuk-tag govuk-tag--{% if line.progress == 'achieved' %}green{% elif line.progress == 'good' %}turquoise{% elif line.progress == 'some' %}blue{% elif line.progress == 'stopped' %}grey{% else %}yellow{% endif %}">{{ line.progress_label }}</strong>
            {% if line.note %}<p class="govuk-body-s govuk-!-margin-top-1">{{ line.note }}</p>{% endif %}
            {% if "correct" in allowed.sections or "withdraw" in allowed.sections %}{% with goal=line.goal.description|truncatechars:40 %}<p class="govuk-body-s no-print govuk-!-margin-top-1">{% if "correct" in allowed.sections %}<a class="govuk-link" href="{% url 'web:correct_goal' line.goal.pk %}">Correct<span class="govuk-visually-hidden"> the goal: {{ goal }}</span></a>{% endif %}{% if "withdraw" in allowed.sections %} <a class="govuk-link" href="{% url 'web:withdraw_goal' line.goal.pk %}">Withdraw<span class="govuk-visually-hidden"> the goal: {{ goal }}</span></a>{% endif %}</p>{% endwith %}{% endif %}</li>
          {% endfor %}
"""


def line(pk, description, progress, label, note=""):
    return SimpleNamespace(goal=SimpleNamespace(pk=pk, description=description), progress=progress,
                           progress_label=label, note=note)


LINES = [
    line(1, "Keep safe <at night> & \"out\" of 'trouble'", "achieved", "Achieved", note="Went well & more"),
    line(2, "A goal long enough to be cut short where the hidden text of its links names it", "good", "Good progress"),
    line(3, "Short", "some", "Some progress", note="<b>bold</b>\nsecond line"),
    line(4, "Stopped here for a while, then started again with a longer text", "stopped", "Stopped"),
    line(5, "Not yet reviewed", None, "Not yet reviewed"),
    line(6, "Something else", "other", "Other"),
    line(7, "Exactly forty characters long, not more!", "good", "Good"),
    line(8, mark_safe("Already <em>safe</em> text, long enough to be truncated here"), "some", "Some"),
    line(9, "Café au lait and other combining cha\u0301racters, long enough to be cut", "achieved", "Achieved"),
]


@pytest.mark.parametrize("sections", [frozenset(), frozenset({"correct"}), frozenset({"withdraw"}),
                                      frozenset({"correct", "withdraw"})])
@pytest.mark.parametrize("lines", [LINES, LINES[:1], []])
def test_goal_lines_are_the_loops_html(sections, lines):
    context = {"area": {"goals": lines}, "allowed": SimpleNamespace(sections=sections)}
    before = Template(GOAL_LOOP).render(Context(context))
    after = Template("          {% load nwd_plan %}{% goal_lines area.goals %}\n").render(Context(context))
    assert after == before
    assert ("Withdraw" in after) == ("withdraw" in sections and bool(lines))
    assert after.count("<li>") == len(lines)
