"""Care leavers' clocks (``nwd.leavers.queries``' due dates, the same ones its alerts use):

- Pathway plan review: due 6 months after the plan was agreed or last reviewed; a task for the
  personal adviser is raised REVIEW_LEAD_DAYS before (the care leaver page's "review due" alert),
  due on the day. A review recorded (a later due date) closes it.
- Adviser contact: due 2 months after the last contact, or 7 days after a move not yet followed by
  one; a task is raised CONTACT_LEAD_DAYS before, due on the day. A contact recorded closes it.

Care leavers whose support has ended, or without a personal adviser, raise nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from nwd.leavers import queries
from nwd.leavers.models import CareLeaver
from nwd.worklist.clocks import Due, clock

REVIEW_LEAD_DAYS = 14
CONTACT_LEAD_DAYS = 7


def _leavers() -> list[queries.AnnotatedLeaver]:
    return list(queries.with_due(CareLeaver.objects.filter(support_ended__isnull=True, personal_adviser__isnull=False)))


@clock("pathway-review", description="A pathway plan review is due within two weeks: the personal adviser's task.",
       met="The pathway plan was reviewed: this review is no longer due.")
def pathway_reviews(today: dt.date) -> Iterator[Due]:
    for row in _leavers():
        due = queries.review_due(row)
        if due is None or today < due - dt.timedelta(days=REVIEW_LEAD_DAYS):
            continue
        yield Due(key=f"pathway-review:{row.pk}:{due.isoformat()}", title="Review the pathway plan",
                  owner=row.personal_adviser, due=due, young_person=row.young_person,
                  details=f"The pathway plan is reviewed at least every {queries.REVIEW_MONTHS} months: due {due:%d/%m/%Y}.")


@clock("adviser-contact", description="The personal adviser's contact is due within a week: their task.",
       met="The personal adviser has been in touch: this contact is no longer due.")
def adviser_contacts(today: dt.date) -> Iterator[Due]:
    for row in _leavers():
        due = queries.contact_due(row)
        if due is None or today < due - dt.timedelta(days=CONTACT_LEAD_DAYS):
            continue
        yield Due(key=f"adviser-contact:{row.pk}:{due.isoformat()}", title="Visit or contact the care leaver",
                  owner=row.personal_adviser, due=due, young_person=row.young_person,
                  details=f"The adviser keeps in touch at least every {queries.CONTACT_MONTHS} months, and within "
                          f"{queries.DAYS_AFTER_MOVE} days of a move: due {due:%d/%m/%Y}.")
