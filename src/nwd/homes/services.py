"""Changes to the home's records, each in one transaction through the model's rules (``save_valid``).

The pages, the synthetic county and the tests call these, never ``save()``. The history of every
change is kept by simple-history and its audit line written from its signal (``nwd.access.signals``).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from nwd.casework import services as casework
from nwd.core import dates
from nwd.core.services import save_valid
from nwd.homes.choices import shift_at
from nwd.homes.models import Action, Handover, IndependentVisit, LogEntry, QualityReview, Visitor

if TYPE_CHECKING:
    from nwd.access.models import User
    from nwd.casework.models import YoungPerson
    from nwd.hubs.models import Hub, Stay


@transaction.atomic
def write_log_entry(stay: Stay, *, text: str, at: dt.datetime | None = None, shift: str = "",
                    by: User | None = None) -> LogEntry:
    """An entry in the young person's daily log (now, unless ``at`` says when; the shift from the time)."""
    at = at or timezone.now()
    entry = LogEntry(stay=stay, at=at, text=text.strip(), shift=shift or shift_at(timezone.localtime(at).hour))
    return save_valid(entry, by)


@transaction.atomic
def write_handover(stay: Stay, *, on: dt.date, shift: str, summary: str, by: User | None = None) -> Handover:
    """The shift's handover for one young person: what the next shift must know."""
    return save_valid(Handover(stay=stay, on=on, shift=shift, summary=summary.strip()), by)


def may_correct(user: User, entry: LogEntry | Handover) -> bool:
    """Its author, or a hub or service manager (as every other record: ``casework.services.may_change_record``)."""
    return casework.may_change_record(user, entry)


@transaction.atomic
def correct_log_entry(entry: LogEntry, *, text: str, reason: str, by: User) -> LogEntry:
    """Correct a daily log entry: its author or a manager, a reason the change history keeps with what
    it said before; the entry's rules run again."""
    _may_correct(entry, by)
    corrected: LogEntry = casework.correct_record(entry, changes={"text": text.strip()}, reason=reason, by=by)
    return corrected


@transaction.atomic
def correct_handover(handover: Handover, *, summary: str, reason: str, by: User) -> Handover:
    """Correct a shift handover, as a log entry (``correct_log_entry``)."""
    _may_correct(handover, by)
    corrected: Handover = casework.correct_record(handover, changes={"summary": summary.strip()}, reason=reason, by=by)
    return corrected


def _may_correct(entry: LogEntry | Handover, by: User) -> None:
    if not may_correct(by, entry):
        raise ValidationError(casework.ONLY_AUTHOR_OR_MANAGER)


@transaction.atomic
def record_visit(hub: Hub, *, visited_on: dt.date, independent_person: str, summary: str,
                 children_spoken_to: int = 0, by: User | None = None) -> IndependentVisit:
    """The independent person's regulation 44 visit and report."""
    return save_valid(IndependentVisit(hub=hub, visited_on=visited_on, independent_person=independent_person.strip(),
                                       summary=summary.strip(), children_spoken_to=children_spoken_to), by)


@transaction.atomic
def record_review(hub: Hub, *, reviewed_on: dt.date, period_start: dt.date, summary: str,
                  by: User | None = None) -> QualityReview:
    """The regulation 45 review of the quality of care: its report then goes to Ofsted within 28 days."""
    return save_valid(QualityReview(hub=hub, reviewed_on=reviewed_on, period_start=period_start,
                                    summary=summary.strip()), by)


@transaction.atomic
def mark_sent_to_ofsted(review: QualityReview, *, sent_on: dt.date, by: User | None = None) -> QualityReview:
    if review.sent_to_ofsted:
        raise ValidationError({"sent_to_ofsted": f"The report was already sent on {review.sent_to_ofsted:%d/%m/%Y}."})
    review.sent_to_ofsted = sent_on
    return save_valid(review, by)


@transaction.atomic
def sign_off(report: IndependentVisit | QualityReview, *, response: str, by: User,
             on: dt.date | None = None) -> IndependentVisit | QualityReview:
    """The hub manager's response to the report, signed and dated (by the manager of the report's hub)."""
    if report.signed_off_on:
        raise ValidationError({"response": f"The response was already signed off on {report.signed_off_on:%d/%m/%Y}."})
    report.response, report.signed_off_by, report.signed_off_on = response.strip(), by, on or dates.today()
    return save_valid(report, by)


@transaction.atomic
def add_action(report: IndependentVisit | QualityReview, *, recommendation: str, owner: User, due: dt.date,
               by: User | None = None) -> Action:
    """A recommendation of the report, as an action with an owner and a due date."""
    action = Action(recommendation=recommendation.strip(), owner=owner, due=due)
    if isinstance(report, IndependentVisit):
        action.visit = report
    else:
        action.review = report
    return save_valid(action, by)


@transaction.atomic
def complete_action(action: Action, *, done_on: dt.date, outcome: str, by: User | None = None) -> Action:
    if action.done_on:
        raise ValidationError({"done_on": f"The action was already done on {action.done_on:%d/%m/%Y}."})
    action.done_on, action.outcome = done_on, outcome.strip()
    return save_valid(action, by)


@transaction.atomic
def sign_in_visitor(hub: Hub, *, name: str, capacity: str, arrived: dt.datetime, id_checked: bool,
                    young_person: YoungPerson | None = None, visiting: str = "",
                    by: User | None = None) -> Visitor:
    """A visitor arriving at the home: who, whom they came to see, when, and whether their ID was checked."""
    return save_valid(Visitor(hub=hub, name=name.strip(), capacity=capacity.strip(), young_person=young_person,
                              visiting=visiting.strip(), arrived=arrived, id_checked=id_checked), by)


@transaction.atomic
def sign_out_visitor(visitor: Visitor, *, left: dt.datetime | None = None, by: User | None = None) -> Visitor:
    if visitor.left:
        raise ValidationError({"left": "The visitor has already left."})
    visitor.left = left or timezone.now()
    return save_valid(visitor, by)
