"""The clocks of the Children's Homes (England) Regulations 2015 that the home's records run, as pure
date arithmetic (tested around their boundaries: the day before, on and after; month ends; leap years).

- Regulation 44: the independent person visits at least once a month. The next visit is due by the
  same day of the next month (the month's last day when it has no such day: a visit on 31 January is
  due again by 28 February, or 29 in a leap year); overdue from the day after.
- Regulation 45: the registered person reviews the quality of care at least every six months: due by
  the same day six months on (clamped to the month's end), overdue from the day after.
- Regulation 45(4): the review's report goes to Ofsted within 28 days of the review: by day 28
  (the review on 1 March, sent by 29 March); unsent after that, it is overdue.
"""

from __future__ import annotations

import calendar
import datetime as dt

VISIT_MONTHS = 1
REVIEW_MONTHS = 6
SEND_WITHIN_DAYS = 28
SEND_SOON_DAYS = 7  # an unsent report is flagged (and the hub manager's task raised) a week before it is due


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved on ``months`` calendar months, on the month's last day if it is shorter."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def visit_due(last_visit: dt.date | None, since: dt.date) -> dt.date:
    """The day the next independent person's visit is due by: a month after the last one (or after
    ``since``, the day the home's records start, when there has been none)."""
    return add_months(last_visit or since, VISIT_MONTHS)


def review_due(last_review: dt.date | None, since: dt.date) -> dt.date:
    """The day the next quality of care review is due by: six months after the last one."""
    return add_months(last_review or since, REVIEW_MONTHS)


def send_by(reviewed_on: dt.date) -> dt.date:
    """The last day the regulation 45 report may reach Ofsted: 28 days after the review."""
    return reviewed_on + dt.timedelta(days=SEND_WITHIN_DAYS)


def overdue(due: dt.date, today: dt.date) -> bool:
    """A step due by ``due`` is overdue from the day after."""
    return today > due
