"""The rows of the long tables, written from Python (docs/performance.md, "Templates").

The referral queue (``web/referrals/_queue_table.html``) and the tables of young people with their
alerts (``web/components/people_table.html``) are the longest tables of the busiest pages (80 rows
on a hub manager's home page). Written in the template language each row cost 0.1 to 0.2 ms of CPU
(variable lookups, ``|date``, ``{% url %}``, an ``{% include %}`` per cell); these tags write the same
HTML, character for character, escaped as the template escaped them (``nwd.web.html.html``, a leaner ``format_html``), in a
fraction of that. Tests compare them with the template they replace (tests/web/test_rows.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template
from django.utils.safestring import SafeString

from nwd.casework.choices import SupportType
from nwd.casework.corrections import CORRECTABLE, key_of
from nwd.web.html import (
    day,
    days,
    display,
    escape,
    field,
    hours_minutes,
    html,
    iso_day,
    iso_moment,
    joined,
    links,
)
from nwd.web.templatetags.nwd_records import NOTIFY_ROUTES
from nwd.web.templatetags.nwd_tags import folded

register = template.Library()

_SUPPORT_LABELS = dict(SupportType.choices)


def status_tag(referral: Any) -> SafeString:
    """``web/referrals/_status_tag.html`` (without the file's closing newline)."""
    status = field(referral, "status")
    if status == "closed":
        handover = field(referral, "handover_service")
        return SafeString(_DECIDED.format(
            escape(display(referral, "decision")), ": " + escape(handover) if handover else "",
        ))
    return _IN_TRIAGE if status == "triage" else _RECEIVED


_TAG = '<strong class="govuk-tag govuk-tag--{}">{}</strong>'
# The tags that say the same whatever the row, written once.
_URGENCY = {"emergency": html(_TAG, "red", "Emergency"), "urgent": html(_TAG, "orange", "Urgent")}
_ROUTINE = html(_TAG, "grey", "Routine")
_IN_TRIAGE, _RECEIVED = html(_TAG, "blue", "In triage"), html(_TAG, "grey", "Received")
_DECIDED = '<strong class="govuk-tag govuk-tag--green">Decided</strong> <span class="govuk-body-s">{}{}</span>'

_QUEUE_ROW = (
    '\n    <tr class="govuk-table__row">\n'
    '      <th scope="row" class="govuk-table__header"><a class="govuk-link" href="{}">{}</a><br>'
    '<span class="govuk-body-s nwd-muted">born {}</span>{}</th>\n'
    '      <td class="govuk-table__cell">{}{}</td>\n'
    '      <td class="govuk-table__cell">{}</td>\n'
    '      <td class="govuk-table__cell">{}</td>\n'
    '      <td class="govuk-table__cell">{}</td>\n'
    '      <td class="govuk-table__cell">{}\n</td>\n'
    '    </tr>\n  '
)


_SUPPORTED = '<br><strong class="govuk-tag govuk-tag--blue">Already supported</strong> <span class="govuk-body-s">by {}{}</span>'
_ORGANISATION = '<br><span class="govuk-body-s">{}</span>'
_PAST_TARGET = '<strong class="govuk-tag govuk-tag--red">Past target</strong><br><span class="govuk-body-s">was due {} ({})</span>'


@register.simple_tag
def referral_queue_rows(referrals: Iterable[Any]) -> SafeString:
    """The ``<tr>`` of each referral of a queue (``referral_queue.waiting``'s marks), as the loop of
    ``web/referrals/_queue_table.html`` wrote them.

    Each value escaped as ``html`` escapes it, the row's pieces put together as text (``format``)
    rather than as nested ``html`` calls; links and dates from the render's own ``links`` and
    ``days`` (the script prefix, URL configuration and language read once, not on every row)."""
    link_to, on = links(), days()
    rows = []
    for referral in referrals:
        person = referral.young_person
        supported = field(referral, "supported_hub")
        if supported:
            by = field(referral, "supported_by")
            supported = _SUPPORTED.format(escape(supported), ", key worker " + escape(by) if by else "")
        else:
            supported = escape(supported)
        organisation = field(referral, "referrer_organisation")
        if field(referral, "past_target"):
            due = _PAST_TARGET.format(escape(on(field(referral, "decision_due"))), escape(field(referral, "decision_target")))
        else:
            due = escape(on(field(referral, "decision_due")))
        rows.append(_QUEUE_ROW.format(
            escape(link_to("web:referral", referral.pk)), escape(person.full_name), escape(on(person.date_of_birth)),
            supported, escape(display(referral, "source_agency")),
            _ORGANISATION.format(escape(organisation)) if organisation else "",
            escape(on(field(referral, "received"))), _URGENCY.get(field(referral, "urgency"), _ROUTINE),
            due, status_tag(referral),
        ))
    return SafeString("".join(rows))


_NO_ALERTS = html('<span class="govuk-body-s nwd-muted">{}</span>', "None")
_ALERTS = '<ul class="nwd-tags" aria-label="Alerts">{}</ul>'
_ALERT = "<li>" + _TAG + "</li>"


def alerts(items: Any) -> SafeString:
    """``web/components/alerts.html`` (without the file's closing newline)."""
    if not items:
        return _NO_ALERTS
    return SafeString(_ALERTS.format(
        "".join([_ALERT.format(escape(field(alert, "colour")), escape(field(alert, "text"))) for alert in items])
    ))


_PERSON_ROW = (
    '\n    <tr class="govuk-table__row">\n'
    '      <th scope="row" class="govuk-table__header"><a class="govuk-link" href="{}">{}</a><br>'
    '<span class="govuk-body-s nwd-muted">{} · born {}</span></th>\n'
    '      <td class="govuk-table__cell">{}{}</td>\n'
    '      <td class="govuk-table__cell">{}\n</td>\n'
    '    </tr>\n    '
)
_HUB = '<br><span class="govuk-body-s nwd-muted">{}</span>'
_KEY_WORKER = '<br><span class="govuk-body-s">Key worker: {} {}</span>'


@register.simple_tag
def people_rows(people: Iterable[Any], link: str = "", show_key_worker: Any = False) -> SafeString:
    """The ``<tr>`` of each young person of ``web/components/people_table.html``: name (linked to
    ``link``, the young person's page by default), support and alerts.

    Written as ``referral_queue_rows`` is: each value escaped, the pieces put together as text, the
    links and dates from the render's ``links`` and ``days``."""
    route = link or "web:young_person"
    link_to, on = links(), days()
    rows = []
    for person in people:
        support_type = field(person, "support_type")
        support: str
        if support_type:
            bed = field(person, "bed_label")
            hub = field(person, "hub_name")
            support = ("In " + escape(bed) if bed else escape(_SUPPORT_LABELS.get(support_type, support_type))) + (
                _HUB.format(escape(hub)) if hub else "")
        else:
            support = "Not supported now"
        last = field(person, "key_worker_last") if show_key_worker else ""
        worker = _KEY_WORKER.format(escape(field(person, "key_worker_first")), escape(last)) if last else ""
        rows.append(_PERSON_ROW.format(
            escape(link_to(route, person.pk)), escape(person.full_name), escape(field(person, "child_id")),
            escape(on(person.date_of_birth)), support, worker, alerts(field(person, "alerts")),
        ))
    return SafeString("".join(rows))


_FLAGS = {"open": ("red", "Open"), "current": ("blue", "Current")}
_ENTRY = (
    '\n  <li class="nwd-timeline__entry nwd-timeline__entry--{}">\n'
    '    <p class="govuk-body-s nwd-timeline__when"><time datetime="{}">{}{}</time> · {}</p>\n'
    '    <h3 class="govuk-heading-s nwd-timeline__title">{}</h3>\n'
    "    {}\n    {}\n    {}\n    {}\n    {}\n    {}\n    {}\n"
    "  </li>\n  "
)
_CORRECT_NOTE = (
    '<p class="govuk-body-s no-print"><a class="govuk-link" href="{}" hx-get="{}" hx-target="#recording-panel">'
    'Correct this note<span class="govuk-visually-hidden"> ({}, {})</span></a></p>'
)
_CLOSE_CONCERN = (
    '<p class="govuk-body-s no-print"><a class="govuk-link" href="{}" hx-get="{}" hx-target="#recording-panel">'
    'Close this concern<span class="govuk-visually-hidden"> ({}, raised {})</span></a></p>'
)
_NOTIFY = (
    '<p class="govuk-body-s no-print"><a class="govuk-link" href="{}">Raise a regulation 40 notification'
    '<span class="govuk-visually-hidden"> from {}, {}</span></a></p>'
)
_FIX = '<a class="govuk-link" href="{}">Correct<span class="govuk-visually-hidden"> {}, {}</span></a>'
_WITHDRAW = ' <a class="govuk-link" href="{}">Withdraw (entered in error)<span class="govuk-visually-hidden"> {}, {}</span></a>'


@register.simple_tag(takes_context=True)
def timeline_rows(context: template.Context, entries: Iterable[Any]) -> SafeString:
    """The ``<li>`` of each timeline entry (``nwd.casework.timeline.Entry``), with the links to correct,
    withdraw or close the record that ``allowed`` (``nwd.web.pages.common.Allowed``) lets the viewer use,
    as the loop of ``web/young_people/_timeline.html`` wrote them; the link to raise a regulation 40
    notification (``may_notify``) only from an event none was raised from (``notified``: its kind
    and id; the loop offered it again after one was raised).

    Each value is escaped once (``escape``, as ``html`` escapes its arguments) and the pieces, escaped
    already, joined without ``html``'s pass over each (fifty lines a page: the title and the day go
    into up to four links); a day's text is worked out once a render."""
    allowed = context.get("allowed")
    forms = getattr(allowed, "forms", ())
    sections = getattr(allowed, "sections", ())
    police_view = context.get("police_view")
    may_notify = context.get("may_notify")
    notified = context.get("notified") or ()  # (kind, id) of the events a notification was raised from
    request = context.get("request")
    user_pk = getattr(getattr(request, "user", None), "pk", None)
    may_correct_notes, may_close = "contact" in forms, "exploitation" in forms
    may_correct, may_withdraw = "correct" in sections, "withdraw" in sections
    link_to = links()
    day_texts: dict[Any, str] = {}  # each day's text, escaped, once a render
    rows = []
    for entry in entries:
        record = entry.record
        kind, title = entry.kind, entry.title
        on = day_texts.get(entry.on)
        if on is None:
            on = day_texts[entry.on] = escape(day(entry.on))
        when = iso_moment(entry.at) if entry.time else iso_day(entry.on)
        flags = ('<ul class="nwd-tags">' + "".join([_FLAG_ITEMS.get(flag) or _FLAG_ITEM.format("grey", escape(flag))
                                                    for flag in entry.flags]) + "</ul>") if entry.flags else ""
        pk = getattr(record, "pk", None)
        about = ""  # the title in lower case, escaped: the links' hidden text
        note = ""
        if kind == "contact" and may_correct_notes and getattr(record, "staff_id", None) == user_pk:
            link, about = escape(link_to("web:correct_contact", pk)), escape(str(title).lower())
            note = _CORRECT_NOTE.format(link, link, about, on)
        fixes = ""
        key = key_of(record)
        if key and not police_view:
            correct = may_correct and key in CORRECTABLE
            if correct or may_withdraw:
                about = about or escape(str(title).lower())
                fixes = ('<p class="govuk-body-s no-print nwd-record-fixes">'
                         + (_FIX.format(escape(link_to("web:correct_" + key, pk)), about, on) if correct else "")
                         + (_WITHDRAW.format(escape(link_to("web:withdraw_" + key, pk)), about, on) if may_withdraw else "")
                         + "</p>")
        notify = ""
        if may_notify and kind in NOTIFY_ROUTES and (kind, pk) not in notified:
            about = about or escape(str(title).lower())
            notify = _NOTIFY.format(escape(link_to(NOTIFY_ROUTES[kind], pk)), about, on)
        close = ""
        if kind == "exploitation" and may_close and "open" in entry.flags:
            link, about = escape(link_to("web:close_concern", pk)), about or escape(str(title).lower())
            close = _CLOSE_CONCERN.format(link, link, about, on)
        rows.append(_ENTRY.format(
            escape(kind), escape(when), on, (", " + escape(hours_minutes(entry.time))) if entry.time else "",
            escape(entry.kind_label), escape(title), flags,
            folded(entry.detail, "govuk-body nwd-timeline__detail") if entry.detail else "",
            ('<p class="govuk-body-s nwd-muted">' + escape(entry.who) + "</p>") if entry.who else "",
            note, fixes, notify, close,
        ))
    return SafeString("".join(rows))


_KIND_CHOICE = (
    '\n        <div class="govuk-checkboxes__item">\n'
    '          <input class="govuk-checkboxes__input" id="kind-{0}" name="kind" type="checkbox" value="{0}"{1}>\n'
    '          <label class="govuk-label govuk-checkboxes__label" for="kind-{0}">{2} ({3})</label>\n'
    "        </div>\n        "
)


@register.simple_tag
def timeline_kinds(kind_choices: Iterable[Any]) -> SafeString:
    """The timeline filter's checkboxes, one a kind (its key, label, count and whether it is
    chosen: the page's ``kind_choices``), as the loop of ``web/young_people/_timeline.html`` wrote them."""
    return SafeString("".join([_KIND_CHOICE.format(escape(key), " checked" if checked else "", escape(label), escape(count))
                               for key, label, count, checked in kind_choices]))


_FLAG_ITEM = "<li>" + _TAG + "</li>"
_FLAG_ITEMS = {flag: _FLAG_ITEM.format(*tag) for flag, tag in _FLAGS.items()}


_MARKS = {"free": "·", "leaving": "→", "overdue": "!", "out_of_use": "×"}
_GRID_ROW = (
    '\n      <tr class="govuk-table__row">\n'
    '        <th scope="row" class="govuk-table__header">{}</th>\n'
    "        {}\n      </tr>\n    "
)
_GRID_CELL = (
    '<td class="govuk-table__cell nwd-bed-grid__cell nwd-bed-grid__cell--{}"><span class="nwd-bed-grid__mark"'
    ' aria-hidden="true">{}</span><span class="govuk-visually-hidden">{}</span></td>'
)


@register.simple_tag
def bed_grid_rows(rows: Iterable[Any]) -> SafeString:
    """The bed board's 14 days, a ``<tr>`` per bed with a cell per day (``nwd.hubs.queries.BedRow``),
    as the loop of ``web/beds/board.html`` wrote them."""
    return joined(
        html(_GRID_ROW, row.bed.label, joined(
            html(_GRID_CELL, cell.state, _MARKS.get(cell.state, "■"), cell.label) for cell in row.cells
        ))
        for row in rows
    )


_BED_NOW_ROW = (
    '\n      <tr class="govuk-table__row">\n'
    '        <th scope="row" class="govuk-table__header">{}<br><span class="govuk-body-s nwd-muted">{}</span></th>\n'
    "        {}\n      </tr>\n    "
)
_BED_OUT_OF_USE = (
    '<td class="govuk-table__cell" colspan="3"><strong class="govuk-tag govuk-tag--grey">Out of use</strong></td>\n        '
)
_BED_FREE = '<td class="govuk-table__cell" colspan="3"><strong class="govuk-tag govuk-tag--green">Free</strong></td>'
_BED_NAMED = (
    '\n        <td class="govuk-table__cell">{}</td>\n'
    '        <td class="govuk-table__cell">{}</td>\n        '
)
_BED_NOT_NAMED = (
    '\n        <td class="govuk-table__cell"><strong class="govuk-tag govuk-tag--grey">Occupied</strong></td>\n'
    '        <td class="govuk-table__cell">Not shown</td>\n        '
)
_BED_TAKEN = '\n        {}\n        <td class="govuk-table__cell">{}</td>\n        '
_PAST_PLANNED = ' <strong class="govuk-tag govuk-tag--orange">Past planned discharge</strong>'


@register.simple_tag
def bed_now_rows(rows: Iterable[Any], named: Any, openable: Any) -> SafeString:
    """The bed board's "Beds now", a ``<tr>`` per bed (``nwd.hubs.queries.BedRow``): who is in it
    (named only when their id is in ``named``, linked when in ``openable``), since when, and the
    planned discharge; as the loop of ``web/beds/board.html`` wrote them."""
    link_to, date = links(), days()
    written = []
    for row in rows:
        bed, stay = row.bed, row.stay
        state: str
        if not bed.in_use:
            state = _BED_OUT_OF_USE
        elif stay:
            person_id = stay.young_person_id
            if person_id in named:
                name = stay.young_person.full_name
                who = html('<a class="govuk-link" href="{}">{}</a>', link_to("web:young_person", person_id), name) \
                    if person_id in openable else html("{}", name)
                shown = html(_BED_NAMED, who, date(stay.admitted))
            else:
                shown = SafeString(_BED_NOT_NAMED)
            planned = stay.planned_discharge
            leaving = html("{}{}", date(planned), SafeString(_PAST_PLANNED) if row.overdue else "") if planned else "Not set"
            state = html(_BED_TAKEN, shown, leaving)
        else:
            state = _BED_FREE
        written.append(html(_BED_NOW_ROW, bed.label, bed.get_kind_display(), SafeString(state)))
    return joined(written)


_GRID_DAY = ('<th scope="col" class="govuk-table__header nwd-bed-grid__day"><abbr title="{}">{}<br>{}</abbr></th>')
_GRID_TOTAL = '<td class="govuk-table__cell nwd-bed-grid__total">{}</td>'


@register.simple_tag
def bed_grid_days(days: Iterable[Any]) -> SafeString:
    """The bed board's 14 days' headings ("Mon", "7", the whole date in the ``<abbr>``'s title), as
    the loop of ``web/beds/board.html`` wrote them (Django's ``date`` filter, once a format)."""
    from django.template.defaultfilters import date

    return joined(html(_GRID_DAY, date(on, "l j F"), date(on, "D"), date(on, "j")) for on in days)


@register.simple_tag
def bed_grid_totals(free_by_day: Iterable[Any]) -> SafeString:
    """The bed board's free beds on each of the 14 days, a cell each."""
    return joined(html(_GRID_TOTAL, free) for free in free_by_day)


_NAV_ITEM = (
    '\n              <li class="govuk-service-navigation__item{}">\n'
    '                <a class="govuk-service-navigation__link" href="{}"{}>\n'
    "                  {}\n"
    "                </a>\n"
    "              </li>\n              "
)
_NAV_CURRENT = ('<strong class="govuk-service-navigation__active-fallback">{}</strong>')


@register.simple_tag
def navigation_items(items: Iterable[Any]) -> SafeString:
    """The ``<li>`` of each item of the service navigation (``nwd.web.navigation.ShownItem``), the
    current page's marked, as the loop of ``base.html`` wrote them (every page's header)."""
    written = []
    for item in items:
        label = escape(item.label)
        if item.current:
            written.append(_NAV_ITEM.format(" govuk-service-navigation__item--active", escape(item.url),
                                            ' aria-current="page"', _NAV_CURRENT.format(label)))
        else:
            written.append(_NAV_ITEM.format("", escape(item.url), "", label))
    return SafeString("".join(written))
