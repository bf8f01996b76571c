"""The rows written from Python (nwd.web.templatetags.nwd_rows, nwd.web.html) are the HTML the
template loops they replace wrote, character for character, for every branch of those loops."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.template.defaultfilters import date as date_filter
from django.template.defaultfilters import linebreaksbr
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from nwd.casework.models import Contact
from nwd.casework.queries.alerts import Alert
from nwd.casework.timeline import Entry
from nwd.events.models import ExploitationConcern, MissingEpisode
from nwd.web.html import day, url
from nwd.web.templatetags.nwd_tags import _lines, fold, folded

# The loops as the templates wrote them before the row tags (web/referrals/_queue_table.html with
# web/referrals/_status_tag.html, web/components/people_table.html with web/components/alerts.html).
STATUS_TAG = (
    '{% if referral.status == "closed" %}<strong class="govuk-tag govuk-tag--green">Decided</strong> <span class="govuk-body-s">{{ referral.get_decision_display }}{% if referral.handover_service %}: {{ referral.handover_service }}{% endif %}</span>{% elif referral.status == "triage" %}<strong class="govuk-tag govuk-tag--blue">In triage</strong>{% else %}<strong class="govuk-tag govuk-tag--grey">Received</strong>{% endif %}\n'  # noqa: E501
)
QUEUE_LOOP = """{% for referral in referrals %}
    <tr class="govuk-table__row">
      <th scope="row" class="govuk-table__header"><a class="govuk-link" href="{% url 'web:referral' referral.pk %}">{{ referral.young_person.full_name }}</a><br><span class="govuk-body-s nwd-muted">born {{ referral.young_person.date_of_birth|date }}</span>{% if referral.supported_hub %}<br><strong class="govuk-tag govuk-tag--blue">Already supported</strong> <span class="govuk-body-s">by {{ referral.supported_hub }}{% if referral.supported_by %}, key worker {{ referral.supported_by }}{% endif %}</span>{% endif %}</th>
      <td class="govuk-table__cell">{{ referral.get_source_agency_display }}{% if referral.referrer_organisation %}<br><span class="govuk-body-s">{{ referral.referrer_organisation }}</span>{% endif %}</td>
      <td class="govuk-table__cell">{{ referral.received|date }}</td>
      <td class="govuk-table__cell">{% if referral.urgency == "emergency" %}<strong class="govuk-tag govuk-tag--red">Emergency</strong>{% elif referral.urgency == "urgent" %}<strong class="govuk-tag govuk-tag--orange">Urgent</strong>{% else %}<strong class="govuk-tag govuk-tag--grey">Routine</strong>{% endif %}</td>
      <td class="govuk-table__cell">{% if referral.past_target %}<strong class="govuk-tag govuk-tag--red">Past target</strong><br><span class="govuk-body-s">was due {{ referral.decision_due|date }} ({{ referral.decision_target }})</span>{% else %}{{ referral.decision_due|date }}{% endif %}</td>
      <td class="govuk-table__cell">STATUS</td>
    </tr>
  {% endfor %}""".replace("STATUS", STATUS_TAG)  # noqa: E501
ALERTS = (
    '{% if alerts %}<ul class="nwd-tags" aria-label="Alerts">{% for alert in alerts %}<li><strong class="govuk-tag govuk-tag--{{ alert.colour }}">{{ alert.text }}</strong></li>{% endfor %}</ul>{% else %}<span class="govuk-body-s nwd-muted">None</span>{% endif %}\n'  # noqa: E501
)
PEOPLE_LOOP = """{% load practice %}{% for person in people %}
    <tr class="govuk-table__row">
      <th scope="row" class="govuk-table__header"><a class="govuk-link" href="{% url link|default:'web:young_person' person.pk %}">{{ person.full_name }}</a><br><span class="govuk-body-s nwd-muted">{{ person.child_id }} · born {{ person.date_of_birth|date }}</span></th>
      <td class="govuk-table__cell">{% if person.support_type %}{% if person.bed_label %}In {{ person.bed_label }}{% else %}{{ person.support_type|support_label }}{% endif %}{% if person.hub_name %}<br><span class="govuk-body-s nwd-muted">{{ person.hub_name }}</span>{% endif %}{% else %}Not supported now{% endif %}{% if show_key_worker and person.key_worker_last %}<br><span class="govuk-body-s">Key worker: {{ person.key_worker_first }} {{ person.key_worker_last }}</span>{% endif %}</td>
      <td class="govuk-table__cell">{% with alerts=person.alerts %}ALERTS{% endwith %}</td>
    </tr>
    {% endfor %}""".replace("ALERTS", ALERTS)  # noqa: E501


def person(pk, **fields):
    values = {"full_name": f"Zoë O'Brien-<Smith> {pk}", "date_of_birth": dt.date(2009, 9, 1), "child_id": f"C{pk}"}
    return SimpleNamespace(pk=pk, **{**values, **fields})


def referral(pk, **fields):
    values = {
        "young_person": person(pk), "status": "received", "urgency": "routine", "received": dt.date(2026, 11, 30),
        "decision_due": dt.date(2026, 12, 2), "decision_target": "2 working days", "past_target": False,
        "referrer_organisation": "", "supported_hub": "", "supported_by": "", "handover_service": "",
        "get_source_agency_display": lambda: "Police & youth justice", "get_decision_display": lambda: "Hand over",
    }
    return SimpleNamespace(pk=pk, **{**values, **fields})


REFERRALS = [
    referral(1),
    referral(2, urgency="emergency", past_target=True, supported_hub="North <hub>", supported_by="Ann Lee",
             referrer_organisation="St Mary's School", status="triage"),
    referral(3, urgency="urgent", supported_hub="South", status="closed", handover_service="Early help & co"),
    referral(4, status="closed", received=dt.date(987, 1, 9), decision_due=None),
    referral(5, urgency="other"),
]
PEOPLE = [
    person(10, support_type="residential", bed_label="Bed 3 <east>", hub_name="North", key_worker_first="Ann",
           key_worker_last="Lee", alerts=[Alert("missing", "Missing now", "red"), Alert("x", "A & B", "orange")]),
    person(11, support_type="outreach", hub_name="", key_worker_last="", alerts=[]),
    person(12, support_type="", child_id=None, key_worker_first="Bo", key_worker_last="Ng"),
    person(13, support_type="unknown-kind", date_of_birth=None, alerts=[Alert("review", "Plan review due 4 Dec 2026", "yellow")]),
]


def both(loop: str, tag: str, **context) -> tuple[str, str]:
    return (Template(loop).render(Context(context)),
            Template("{% load nwd_rows %}" + tag).render(Context(context)))


def test_queue_rows_are_the_loops_html():
    before, after = both(QUEUE_LOOP, "{% referral_queue_rows referrals %}", referrals=REFERRALS)
    assert "Already supported" in after and "Past target" in after and "Decided" in after and "&lt;hub&gt;" in after
    assert after == before


@pytest.mark.parametrize("extra", [{}, {"show_key_worker": True}, {"link": "web:shared_with_police", "show_key_worker": True}])
def test_people_rows_are_the_loops_html(extra):
    before, after = both(PEOPLE_LOOP, "{% people_rows people link show_key_worker %}", people=PEOPLE, **extra)
    assert "Not supported now" in after and "Missing now" in after and "A &amp; B" in after
    assert after == before


def model_referral(pk, source_agency, decision, status="closed", **fields):
    """A referral as ``referral_queue.waiting`` gives it (a model, its marks set), never saved: its
    ``get_source_agency_display`` and ``get_decision_display`` are Django's."""
    from nwd.casework.models import Referral, YoungPerson

    young_person = YoungPerson(pk=pk, given_name="Zoë", family_name="O'Brien", date_of_birth=dt.date(2010, 5, 4))
    referral = Referral(pk=pk, young_person=young_person, source_agency=source_agency, decision=decision, status=status,
                        handover_service="Early help & co" if decision == "handover" else "", urgency="routine",
                        received=dt.date(2026, 11, 30), referrer_organisation="")
    values = {"decision_due": dt.date(2026, 12, 2), "decision_target": "5 working days", "past_target": False,
              "supported_hub": "", "supported_by": "", **fields}
    for name, value in values.items():
        setattr(referral, name, value)
    return referral


def test_queue_rows_of_models_are_the_loops_html():
    """The labels of the model's choices, read once (``nwd.web.html.display``), are its methods' own:
    every source and decision, none, a value not among the choices; in another language too."""
    from nwd.casework.choices import Decision, SourceAgency

    decisions = [*Decision.values, "", "not-a-decision"]
    referrals = [model_referral(pk, source, decisions[pk % len(decisions)])
                 for pk, source in enumerate([*SourceAgency.values, "not-an-agency"], start=1)]
    referrals += [model_referral(90 + pk, SourceAgency.values[0], decision) for pk, decision in enumerate(decisions)]
    for language in ("en-gb", "fr"):
        with translation.override(language):
            before, after = both(QUEUE_LOOP, "{% referral_queue_rows referrals %}", referrals=referrals)
            assert "not-an-agency" in after and "Not taken on: warm handover to a named service: Early help &amp; co" in after
            assert after == before


def test_display_is_the_models_method():
    from nwd.casework.models import Referral, YoungPerson
    from nwd.web.html import _labels, display

    assert _labels(Referral, "source_agency") is not None and _labels(YoungPerson, "sex") is not None  # read once
    person = YoungPerson(sex="1", ethnicity="WBRI")
    for value in ("1", "2", "9", "", "x"):
        person.sex = value
        assert display(person, "sex") == person.get_sex_display()
    assert display(person, "ethnicity") == person.get_ethnicity_display()
    assert display(SimpleNamespace(get_sex_display=lambda: "Given"), "sex") == "Given"  # not a model: its method
    assert display(SimpleNamespace(), "sex") == ""  # as the template reads what is missing


def test_days_is_day():
    from nwd.web.html import days

    values = [dt.date(2026, month, month * 2) for month in range(1, 13)] + [dt.date(5, 1, 1), dt.datetime(2026, 6, 1, 23, 59),
                                                                           dt.datetime(2026, 3, 29, 0, 30, tzinfo=dt.UTC), None, ""]
    for language in ("en-gb", "fr"):
        with translation.override(language):
            on = days()
            assert [on(value) for value in values] == [day(value) for value in values], language


def test_day_is_the_date_filter():
    days = [dt.date(2026, month, month * 2) for month in range(1, 13)] + [dt.date(5, 1, 1)]
    aware = [dt.datetime(2026, 3, 29, 0, 30, tzinfo=dt.UTC), dt.datetime(2026, 10, 31, 23, 30, tzinfo=dt.UTC),
             dt.datetime(2026, 6, 1, 12, tzinfo=ZoneInfo("Asia/Tokyo"))]
    for value in days + aware + [dt.datetime(2026, 6, 1, 23, 59), None, ""]:
        assert day(value) == date_filter(value), value
    with translation.override("fr"):  # another language's format: Django's own formatter
        assert day(dt.date(2026, 12, 4)) == date_filter(dt.date(2026, 12, 4))


def test_url_is_reverse():
    for name, pk in [("web:referral", 7), ("web:young_person", 0), ("web:young_person", 1234567890123),
                     ("web:shared_with_police", 42)]:
        assert url(name, pk) == reverse(name, args=[pk])
        assert url(name, pk) == url(name, pk)  # from the cache too
    assert url("web:young_person", "12") == reverse("web:young_person", args=["12"])


def test_links_are_url():
    from django.urls import set_script_prefix

    from nwd.web.html import links

    for prefix in ("/", "/nwd/"):
        set_script_prefix(prefix)
        try:
            link = links()
            for name, pk in [("web:referral", 7), ("web:young_person", 0), ("web:correct_contact", 1234567890123),
                             ("web:young_person", "12"), ("web:bed_board", None)]:
                assert link(name, pk) == url(name, pk), (prefix, name, pk)
            assert link("web:young_person", 5).startswith(prefix)
        finally:
            set_script_prefix("/")


# The timeline's loop (web/young_people/_timeline.html) and web/components/folded.html as they were.
TIMELINE_LOOP = """{% load nwd_tags nwd_records %}{% for entry in data.timeline.entries %}
  <li class="nwd-timeline__entry nwd-timeline__entry--{{ entry.kind }}">
    <p class="govuk-body-s nwd-timeline__when"><time datetime="{% if entry.time %}{{ entry.at|date:'c' }}{% else %}{{ entry.on|date:'Y-m-d' }}{% endif %}">{{ entry.on|date }}{% if entry.time %}, {{ entry.time|time:"H:i" }}{% endif %}</time> · {{ entry.kind_label }}</p>
    <h3 class="govuk-heading-s nwd-timeline__title">{{ entry.title }}</h3>
    {% if entry.flags %}<ul class="nwd-tags">{% for flag in entry.flags %}<li>{% if flag == "open" %}<strong class="govuk-tag govuk-tag--red">Open</strong>{% elif flag == "current" %}<strong class="govuk-tag govuk-tag--blue">Current</strong>{% else %}<strong class="govuk-tag govuk-tag--grey">{{ flag }}</strong>{% endif %}</li>{% endfor %}</ul>{% endif %}
    {% if entry.detail %}{% folded entry.detail "govuk-body nwd-timeline__detail" %}{% endif %}
    {% if entry.who %}<p class="govuk-body-s nwd-muted">{{ entry.who }}</p>{% endif %}
    {% if entry.kind == "contact" and entry.record.staff_id == request.user.pk and "contact" in allowed.forms %}<p class="govuk-body-s no-print"><a class="govuk-link" href="{% url 'web:correct_contact' entry.record.pk %}" hx-get="{% url 'web:correct_contact' entry.record.pk %}" hx-target="#recording-panel">Correct this note<span class="govuk-visually-hidden"> ({{ entry.title|lower }}, {{ entry.on|date }})</span></a></p>{% endif %}
    {% with key=entry.record|correction_key %}{% if key and not police_view %}{% if key|correctable and "correct" in allowed.sections or "withdraw" in allowed.sections %}<p class="govuk-body-s no-print nwd-record-fixes">{% if key|correctable and "correct" in allowed.sections %}<a class="govuk-link" href="{% url 'web:correct_'|add:key entry.record.pk %}">Correct<span class="govuk-visually-hidden"> {{ entry.title|lower }}, {{ entry.on|date }}</span></a>{% endif %}{% if "withdraw" in allowed.sections %} <a class="govuk-link" href="{% url 'web:withdraw_'|add:key entry.record.pk %}">Withdraw (entered in error)<span class="govuk-visually-hidden"> {{ entry.title|lower }}, {{ entry.on|date }}</span></a>{% endif %}</p>{% endif %}{% endif %}{% endwith %}
    {% if may_notify %}{% notify_url entry as notify %}{% if notify %}<p class="govuk-body-s no-print"><a class="govuk-link" href="{{ notify }}">Raise a regulation 40 notification<span class="govuk-visually-hidden"> from {{ entry.title|lower }}, {{ entry.on|date }}</span></a></p>{% endif %}{% endif %}
    {% if entry.kind == "exploitation" and "open" in entry.flags and "exploitation" in allowed.forms %}<p class="govuk-body-s no-print"><a class="govuk-link" href="{% url 'web:close_concern' entry.record.pk %}" hx-get="{% url 'web:close_concern' entry.record.pk %}" hx-target="#recording-panel">Close this concern<span class="govuk-visually-hidden"> ({{ entry.title|lower }}, raised {{ entry.on|date }})</span></a></p>{% endif %}
  </li>
  {% endfor %}"""
FOLDED = """{% comment %}Long free text folds after its start ({% folded text %}, nwd_tags.fold): the rest is in a native
<details>, so "Show more" works without JavaScript, and a screen reader hears the start once.{% endcomment %}<div class="nwd-fold"><p class="{{ css_class }} nwd-fold__start">{{ start|linebreaksbr }}{% if rest %}&hellip;{% endif %}</p>{% if rest %}
<details class="govuk-details nwd-fold__more">
  <summary class="govuk-details__summary"><span class="govuk-details__summary-text">Show more<span class="govuk-visually-hidden"> of this text</span></span></summary>
  <div class="govuk-details__text"><p class="{{ css_class }}">&hellip;{{ rest|linebreaksbr }}</p></div>
</details>{% endif %}</div>
"""


def test_folded_is_the_templates_html():
    fold_template = Template(FOLDED)
    for text in ["", None, "Short <b>and</b>\nbroken", "word " * 200 + "\n& the <end>", "x" * 900]:
        for css in ["govuk-body", 'govuk-body "odd"']:
            expected = fold_template.render(Context({**dict(zip(("start", "rest"), fold(str(text or "")))), "css_class": css}))
            assert folded(text, css) == expected


def test_folded_lines_are_linebreaksbr():
    for text in ["", "one\r\ntwo\rthree\nfour", "<b>&amp;</b> \"quoted\" 'single'", mark_safe("<em>safe</em>\r\nline"),
                 "\n\n\r\r\n"]:
        assert _lines(text) == linebreaksbr(text, autoescape=True)
        assert isinstance(_lines(text), SafeString)


def entries():
    contact = Contact(pk=5, staff_id=3)
    return [
        Entry("contact", dt.datetime(2026, 3, 29, 0, 30, tzinfo=dt.UTC), dt.date(2026, 3, 29), "Visit <home>",
              detail="long " * 200, who="Ann & Lee", time=dt.time(0, 30), record=contact),
        Entry("contact", dt.datetime(2026, 1, 2, tzinfo=dt.UTC), dt.date(2026, 1, 2), "Call", record=Contact(pk=6, staff_id=4)),
        Entry("exploitation", dt.datetime(2025, 7, 1, tzinfo=dt.UTC), dt.date(2025, 7, 1), "Concern RAISED",
              record=ExploitationConcern(pk=7), flags=["open", "current", "other <flag>"], detail="short"),
        Entry("missing", dt.datetime(2025, 7, 1, 9, tzinfo=dt.UTC), dt.date(2025, 7, 1), "Missing", time=dt.time(10, 5),
              record=MissingEpisode(pk=8)),
        Entry("plan", dt.datetime(2024, 2, 29, tzinfo=dt.UTC), dt.date(2024, 2, 29), "Plan", record=object()),
        Entry("referral", dt.datetime(2024, 2, 28, tzinfo=dt.UTC), dt.date(2024, 2, 28), "Referral"),
    ]


@pytest.mark.parametrize("may_notify", [False, True])
@pytest.mark.parametrize("police_view", [False, True])
@pytest.mark.parametrize("forms, sections", [
    (frozenset(), frozenset()),
    (frozenset({"contact", "exploitation"}), frozenset({"correct", "withdraw"})),
    (frozenset({"contact"}), frozenset({"withdraw"})),
    (frozenset({"exploitation"}), frozenset({"correct"})),
])
def test_timeline_rows_are_the_loops_html(forms, sections, police_view, may_notify):
    context = {"entries": entries(), "allowed": SimpleNamespace(forms=forms, sections=sections),
               "request": SimpleNamespace(user=SimpleNamespace(pk=3)), "police_view": police_view,
               "may_notify": may_notify,
               "data": {"timeline": {"entries": entries()}}}
    before, after = both(TIMELINE_LOOP, "{% timeline_rows data.timeline.entries %}", **context)
    assert after == before
    assert ("Withdraw" in after) == ("withdraw" in sections and not police_view)
    assert ("Close this concern" in after) == ("exploitation" in forms)
    assert after.count("Raise a regulation 40 notification") == (2 if may_notify else 0)  # exploitation, missing


def test_the_timeline_offers_no_notification_from_an_event_notified_already():
    """An event a regulation 40 notification was raised from (``notified``: its kind and id) offers no
    other; the others still do."""
    context = {"allowed": SimpleNamespace(forms=frozenset(), sections=frozenset()),
               "request": SimpleNamespace(user=SimpleNamespace(pk=3)), "police_view": False, "may_notify": True,
               "data": {"timeline": {"entries": entries()}}}
    tag = "{% load nwd_rows %}{% timeline_rows data.timeline.entries %}"
    offered = Template(tag).render(Context({**context, "notified": {("missing", 8), ("exploitation", 8)}}))
    assert offered.count("Raise a regulation 40 notification") == 1
    assert reverse("safeguarding:raise_from_concern", args=[7]) in offered
    assert reverse("safeguarding:raise_from_episode", args=[8]) not in offered
    both_notified = Template(tag).render(Context({**context, "notified": {("missing", 8), ("exploitation", 7)}}))
    assert "Raise a regulation 40 notification" not in both_notified


def test_the_url_tag_is_djangos():
    from django.template import engines
    from django.template.defaulttags import URLNode

    from nwd.web.templatetags.nwd_url import URLNode as FastNode

    engine = engines["django"].engine
    assert "nwd.web.templatetags.nwd_url" in engine.builtins
    fast = Template("{% url name pk %}|{% url 'web:bed_board' %}|{% url name pk as there %}[{{ there }}]"
                    "|{% url 'nowhere' as nothing %}[{{ nothing }}]")
    assert isinstance(fast.nodelist[0], FastNode)
    for name, pk in [("web:young_person", 5), ("web:young_person", "7"), ("web:referral", 0), ("web:correct_contact", 12)]:
        context = {"name": name, "pk": pk}
        expected = f"{reverse(name, args=[pk])}|{reverse('web:bed_board')}|[{reverse(name, args=[pk])}]|[]"
        assert fast.render(Context(context)) == expected
        slow = Template("{% url name pk %}")
        slow.nodelist[0] = URLNode(slow.nodelist[0].view_name, slow.nodelist[0].args, {}, None)
        assert slow.render(Context(context)) == fast.render(Context(context)).split("|")[0]
    with pytest.raises(NoReverseMatch):
        Template("{% url 'nowhere' 5 %}").render(Context())
    with pytest.raises(NoReverseMatch):
        Template("{% url 'web:young_person' %}").render(Context())
    assert Template("{% url 'web:young_person' young_person_id=3 %}").render(Context()) == reverse("web:young_person", args=[3])


def test_html_is_format_html():
    from django.utils.html import format_html
    from django.utils.safestring import mark_safe
    from django.utils.translation import gettext_lazy

    from nwd.web.html import html, joined

    args = ["<a href='x'>&amp;</a> \"q\"", mark_safe("<b>safe</b>"), gettext_lazy("Decided"), 12, None, dt.date(2026, 1, 2)]
    assert html("{}|{}|{}|{}|{}|{}", *args) == format_html("{}|{}|{}|{}|{}|{}", *args)
    assert joined(args) == "".join(format_html("{}", arg) for arg in args)


GRID_LOOP = """{% for row in board.rows %}
      <tr class="govuk-table__row">
        <th scope="row" class="govuk-table__header">{{ row.bed.label }}</th>
        {% for cell in row.cells %}<td class="govuk-table__cell nwd-bed-grid__cell nwd-bed-grid__cell--{{ cell.state }}"><span class="nwd-bed-grid__mark" aria-hidden="true">{% if cell.state == "free" %}·{% elif cell.state == "leaving" %}→{% elif cell.state == "overdue" %}!{% elif cell.state == "out_of_use" %}×{% else %}■{% endif %}</span><span class="govuk-visually-hidden">{{ cell.label }}</span></td>{% endfor %}
      </tr>
    {% endfor %}"""


def test_bed_grid_rows_are_the_loops_html():
    from nwd.hubs.queries import CELL_LABELS, Cell

    states = list(CELL_LABELS)
    rows = [SimpleNamespace(bed=SimpleNamespace(label=label), cells=[Cell(dt.date(2026, 12, 4), state) for state in states])
            for label in ["E1", "Room <2> & 'b'"]]
    before, after = both(GRID_LOOP, "{% bed_grid_rows board.rows %}", board={"rows": rows})
    assert "→" in after and "×" in after and "■" in after and "&lt;2&gt;" in after
    assert after == before


BEDS_NOW_LOOP = """{% for row in board.rows %}
      <tr class="govuk-table__row">
        <th scope="row" class="govuk-table__header">{{ row.bed.label }}<br><span class="govuk-body-s nwd-muted">{{ row.bed.get_kind_display }}</span></th>
        {% if not row.bed.in_use %}<td class="govuk-table__cell" colspan="3"><strong class="govuk-tag govuk-tag--grey">Out of use</strong></td>
        {% elif row.stay %}
        {% if row.stay.young_person_id in named %}
        <td class="govuk-table__cell">{% if row.stay.young_person_id in openable %}<a class="govuk-link" href="{% url 'web:young_person' row.stay.young_person_id %}">{{ row.stay.young_person.full_name }}</a>{% else %}{{ row.stay.young_person.full_name }}{% endif %}</td>
        <td class="govuk-table__cell">{{ row.stay.admitted|date }}</td>
        {% else %}
        <td class="govuk-table__cell"><strong class="govuk-tag govuk-tag--grey">Occupied</strong></td>
        <td class="govuk-table__cell">Not shown</td>
        {% endif %}
        <td class="govuk-table__cell">{% if row.stay.planned_discharge %}{{ row.stay.planned_discharge|date }}{% if row.overdue %} <strong class="govuk-tag govuk-tag--orange">Past planned discharge</strong>{% endif %}{% else %}Not set{% endif %}</td>
        {% else %}<td class="govuk-table__cell" colspan="3"><strong class="govuk-tag govuk-tag--green">Free</strong></td>{% endif %}
      </tr>
    {% endfor %}"""  # noqa: E501


def test_bed_now_rows_are_the_loops_html():
    def bed(label, kind="residential", in_use=True):
        return SimpleNamespace(label=label, in_use=in_use, get_kind_display=lambda: {"residential": "Residential"}.get(kind, "E & <mergency>"))

    def stay(pk, planned=None):
        return SimpleNamespace(young_person_id=pk, young_person=person(pk), admitted=dt.date(2026, 11, 2), planned_discharge=planned)

    rows = [
        SimpleNamespace(bed=bed("R1", in_use=False), stay=None, overdue=False),  # out of use
        SimpleNamespace(bed=bed("R2 <b>", kind="emergency"), stay=None, overdue=False),  # free
        SimpleNamespace(bed=bed("R3"), stay=stay(1, dt.date(2026, 12, 20)), overdue=False),  # named, openable
        SimpleNamespace(bed=bed("R4"), stay=stay(2, dt.date(2026, 11, 20)), overdue=True),  # named, not openable, overdue
        SimpleNamespace(bed=bed("R5"), stay=stay(3), overdue=False),  # not named, no planned discharge
    ]
    before, after = both(BEDS_NOW_LOOP, "{% bed_now_rows board.rows named openable %}", board={"rows": rows},
                         named={1, 2}, openable={1})
    for shown in ("Out of use", "Free", "/young-people/1/", "Past planned discharge", "Not shown", "Not set",
                  "&lt;b&gt;", "E &amp; &lt;mergency&gt;", "O&#x27;Brien-&lt;Smith&gt; 2"):
        assert shown in after
    assert "/young-people/2/" not in after
    assert after == before


GRID_HEAD_LOOP = """{% for day in board.days %}<th scope="col" class="govuk-table__header nwd-bed-grid__day"><abbr title="{{ day|date:'l j F' }}">{{ day|date:"D" }}<br>{{ day|date:"j" }}</abbr></th>{% endfor %}|{% for free in board.free %}<td class="govuk-table__cell nwd-bed-grid__total">{{ free }}</td>{% endfor %}"""


@pytest.mark.parametrize("language", ["en-gb", "cy"])
def test_bed_grid_days_and_totals_are_the_loops_html(language):
    days = [dt.date(2026, 12, 28) + dt.timedelta(days=i) for i in range(14)]
    with translation.override(language):
        before, after = both(GRID_HEAD_LOOP, "{% bed_grid_days board.days %}|{% bed_grid_totals board.free %}",
                             board={"days": days, "free": [0, 1, 12, 3] * 3 + [4, 5]})
    assert "Thu<br>31" in after or language != "en-gb"
    assert after.count("<th") == 14 and after.count("<td") == 14
    assert after == before


KINDS_LOOP = """{% for key, label, count, checked in kind_choices %}
        <div class="govuk-checkboxes__item">
          <input class="govuk-checkboxes__input" id="kind-{{ key }}" name="kind" type="checkbox" value="{{ key }}"{% if checked %} checked{% endif %}>
          <label class="govuk-label govuk-checkboxes__label" for="kind-{{ key }}">{{ label }} ({{ count }})</label>
        </div>
        {% endfor %}"""


def test_timeline_kinds_are_the_loops_html():
    from nwd.casework.timeline import KINDS

    choices = [(kind.key, kind.label, n * 7, n % 3 == 0) for n, kind in enumerate(KINDS)]
    choices.append(("odd\"<key>", SafeString("<b>safe</b> & sound"), 0, True))
    before, after = both(KINDS_LOOP, "{% timeline_kinds kind_choices %}", kind_choices=choices)
    assert after == before
    assert after.count(" checked>") == 5 and "Education, employment and training (42)" in after
    assert both(KINDS_LOOP, "{% timeline_kinds kind_choices %}", kind_choices=[]) == ("", "")
