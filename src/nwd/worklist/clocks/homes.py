"""The children's homes' clocks (regulations 44 and 45), over ``nwd.homes.queries.clocks`` and
``nwd.homes.deadlines``, the same dates the home page's alerts use (nothing re-derived here):

- Regulation 44 visit: due a month after the last one; the hub manager's task is raised
  VISIT_LEAD_DAYS before, due on the day. A visit recorded (a later due date) closes it.
- Regulation 45 review: due six months after the last one; the hub manager's task is raised
  REVIEW_LEAD_DAYS before, due on the day. A review recorded closes it.
- Regulation 45 report to Ofsted: due 28 days after the review; the hub manager's task is raised
  ``SEND_SOON_DAYS`` before (when the alert turns orange), due on the last day. Recording it sent closes it.
- An action of a visit or review not done by its due date: its owner's task (the hub manager's if
  the owner's account is closed), raised the day after, due on the action's date. Done closes it.

A hub without a hub manager falls to the service manager (as the referral clock does).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from nwd.access.models import User
from nwd.homes import deadlines, queries
from nwd.hubs.models import Hub
from nwd.worklist.clocks import Due, clock
from nwd.worklist.clocks.casework import _deciders

VISIT_LEAD_DAYS = 7
REVIEW_LEAD_DAYS = 14


def _hubs(today: dt.date) -> Iterator[tuple[Hub, queries.Clocks, User | None]]:
    managers, service = _deciders()
    for hub in Hub.objects.filter(opened__lte=today).order_by("pk"):
        yield hub, queries.clocks(hub, today), managers.get(hub.pk) or service


@clock("reg44-visit", description="The independent person's monthly visit (regulation 44) is due within a week: "
       "the hub manager's task.", met="The independent person's visit was recorded.")
def visits(today: dt.date) -> Iterator[Due]:
    for hub, state, manager in _hubs(today):
        due = state.visit_due
        if manager is None or today < due - dt.timedelta(days=VISIT_LEAD_DAYS):
            continue
        yield Due(key=f"reg44-visit:{hub.pk}:{due.isoformat()}", title=f"Regulation 44 visit at {hub.name}",
                  owner=manager, due=due,
                  details=f"The independent person visits at least once a month: due by {due:%d/%m/%Y}.")


@clock("reg45-review", description="The six-monthly review of the quality of care (regulation 45) is due within "
       "two weeks: the hub manager's task.", met="The quality of care review was recorded.")
def reviews(today: dt.date) -> Iterator[Due]:
    for hub, state, manager in _hubs(today):
        due = state.review_due
        if manager is None or today < due - dt.timedelta(days=REVIEW_LEAD_DAYS):
            continue
        yield Due(key=f"reg45-review:{hub.pk}:{due.isoformat()}", title=f"Regulation 45 review at {hub.name}",
                  owner=manager, due=due,
                  details=f"The quality of care is reviewed at least every {deadlines.REVIEW_MONTHS} months: "
                          f"due by {due:%d/%m/%Y}.")


@clock("reg45-report", description="A regulation 45 report to send to Ofsted within 28 days of the review: the "
       "hub manager's task.", met="The report was sent to Ofsted.")
def reports(today: dt.date) -> Iterator[Due]:
    for hub, state, manager in _hubs(today):
        for review, send_by in state.unsent:
            if manager is None or review.reviewed_on > today or today < send_by - dt.timedelta(days=deadlines.SEND_SOON_DAYS):
                continue
            yield Due(key=f"reg45-report:{review.pk}", title=f"Send the regulation 45 report of {hub.name} to Ofsted",
                      owner=manager, due=send_by,
                      details=f"The review of {review.reviewed_on:%d/%m/%Y} reaches Ofsted within "
                              f"{deadlines.SEND_WITHIN_DAYS} days: by {send_by:%d/%m/%Y}.")


@clock("home-action", description="An action from a regulation 44 or 45 report not done by its date: its "
       "owner's task.", met="The action was done.")
def actions(today: dt.date) -> Iterator[Due]:
    for _hub, state, manager in _hubs(today):
        for action in state.overdue_actions:
            owner = action.owner if action.owner.is_active else manager
            if owner is None:
                continue
            yield Due(key=f"home-action:{action.pk}", title=f"Action from the {action.report}", owner=owner,
                      due=action.due, details=f"{action.recommendation[:500]} (due by {action.due:%d/%m/%Y}).")
