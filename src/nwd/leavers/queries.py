"""Reads of care leavers that pages share: who may see whom, what is due, what is overdue.

Alerts are worked out from annotations the database adds in the query that lists the care leavers
(the latest plan, review, contact and move of each), as casework's alerts are
(``nwd.casework.queries.alerts``), so a list costs a fixed number of queries; the due dates are
then a matter of calendar months, done in Python on the row (no query).

- The pathway plan is reviewed at least every 6 months: due 6 months after the plan was agreed or
  last reviewed; overdue from the day after.
- The personal adviser keeps in touch at least every 2 months, and sees the young person within 7
  days of a move: the contact is due on the earlier of 2 months after the last contact and 7 days
  after a move not yet followed by one; overdue from the day after. A message does not count.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import DateField, Exists, Max, OuterRef, QuerySet, Subquery

from nwd.access import scopes
from nwd.core import dates
from nwd.leavers.choices import COUNTED_CONTACT_KINDS
from nwd.leavers.models import Accommodation, AdviserContact, CareLeaver, PathwayPlan, PathwayReview

REVIEW_MONTHS = 6
CONTACT_MONTHS = 2
DAYS_AFTER_MOVE = 7
PERMISSION = "leavers.view_care_leaver"

# A care leaver annotated by ``with_due`` (attributes Django sets at run time).
AnnotatedLeaver = Any


@dataclass(frozen=True)
class Alert:
    key: str
    text: str
    colour: str  # a govuk-tag modifier


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` calendar months later (the month's last day when it has no such day)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def visible_care_leavers(user: Any) -> QuerySet[CareLeaver]:
    """Care leavers whose record ``user`` may see (a personal adviser: their own)."""
    people = scopes.permitted(user, PERMISSION)
    return CareLeaver.objects.filter(Exists(people.filter(pk=OuterRef("young_person_id"))))


def with_due(leavers: QuerySet[CareLeaver]) -> QuerySet[CareLeaver]:
    """Annotate each care leaver with what the due dates are worked out from, in the same query."""
    latest_plan = PathwayPlan.objects.filter(care_leaver=OuterRef("pk")).order_by("-started", "-pk")
    last_review = (PathwayReview.objects.filter(plan__care_leaver=OuterRef("pk")).order_by()
                   .values("plan__care_leaver").annotate(last=Max("reviewed_on")).values("last"))
    last_contact = (AdviserContact.objects.filter(care_leaver=OuterRef("pk"), kind__in=COUNTED_CONTACT_KINDS)
                    .order_by("-on").values("on")[:1])
    last_move = Accommodation.objects.filter(care_leaver=OuterRef("pk")).order_by("-start")
    return leavers.select_related("young_person", "personal_adviser").annotate(
        plan_started=Subquery(latest_plan.values("started")[:1], output_field=DateField()),
        last_review=Subquery(last_review[:1], output_field=DateField()),
        last_contact=Subquery(last_contact, output_field=DateField()),
        last_move=Subquery(last_move.values("start")[:1], output_field=DateField()),
        accommodation_now=Subquery(last_move.values("accommodation")[:1]),
    )


def review_due(row: AnnotatedLeaver) -> dt.date | None:
    """When the pathway plan's next review is due (None: no plan yet)."""
    base = max((d for d in (row.plan_started, row.last_review) if d is not None), default=None)
    return None if base is None else add_months(base, REVIEW_MONTHS)


def contact_due(row: AnnotatedLeaver) -> dt.date | None:
    """When the adviser's next contact is due: 2 months after the last, or 7 days after a later move."""
    last = row.last_contact
    since = last or row.left_care or dates.as_date(row.created_at)
    due = add_months(since, CONTACT_MONTHS)
    if row.last_move is not None and (last is None or row.last_move > last):
        due = min(due, row.last_move + dt.timedelta(days=DAYS_AFTER_MOVE))
    return due


def alerts_of(row: AnnotatedLeaver, today: dt.date | None = None) -> list[Alert]:
    """What needs attention for a care leaver annotated by ``with_due`` (no query)."""
    today = today or dates.today()
    if row.support_ended is not None:
        return []
    found: list[Alert] = []
    if row.plan_started is None:
        found.append(Alert("plan", "No pathway plan", "orange"))
    else:
        due = review_due(row)
        assert due is not None
        if due < today:
            found.append(Alert("review", f"Pathway plan review overdue (due {due:%d/%m/%Y})", "red"))
        elif due <= today + dt.timedelta(days=14):
            found.append(Alert("review", f"Pathway plan review due {due:%d/%m/%Y}", "yellow"))
    due = contact_due(row)
    if due is not None and due < today:
        moved = row.last_move is not None and (row.last_contact is None or row.last_move > row.last_contact)
        why = "after a move" if moved and due == row.last_move + dt.timedelta(days=DAYS_AFTER_MOVE) else ""
        found.append(Alert("contact", f"Adviser visit overdue{' ' + why if why else ''} (due {due:%d/%m/%Y})", "red"))
    return found


def with_alert_words(rows: list[AnnotatedLeaver], today: dt.date | None = None) -> list[AnnotatedLeaver]:
    for row in rows:
        row.alerts = alerts_of(row, today)
    return rows


def overdue(leavers: QuerySet[CareLeaver], today: dt.date | None = None) -> list[AnnotatedLeaver]:
    """The care leavers (annotated, with ``alerts``) with a review or a contact overdue."""
    rows = with_alert_words(list(with_due(leavers)), today)
    return [row for row in rows if any(a.key in ("review", "contact") and a.colour == "red" for a in row.alerts)]
