"""Casework's clocks: a plan review coming due, and a referral not decided within the service's target.

- Plan review: the young person's latest plan names its next review; a task for their key worker is
  raised REVIEW_DUE_SOON_DAYS before it (the week the home page's "review due soon" alert starts),
  due on the review date. Recording the review (a new due date) or ending support closes it.
- Referral decision: a referral not decided by the last day of the service's target (5 working days
  for a routine one, the day after for urgent, the same day for an emergency: ``referral_queue``)
  raises a task on the day after, for the hub manager of the hub supporting the young person (else
  the service manager), due that day. Deciding the referral closes it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from nwd.access.models import User
from nwd.access.roles import Role
from nwd.casework.models import KeyWorkerAllocation, Plan, Referral
from nwd.casework.notifications import reference
from nwd.casework.queries import REVIEW_DUE_SOON_DAYS
from nwd.casework.referral_queue import DECISION_TARGETS, decision_due
from nwd.worklist.clocks import Due, clock


def _key_workers() -> dict[int, User]:
    """Each supported young person's current key worker, by young person id (one query)."""
    current = (KeyWorkerAllocation.objects.filter(end__isnull=True, involvement__end__isnull=True)
               .select_related("key_worker").values_list("involvement__young_person_id", "key_worker"))
    users = {u.pk: u for u in User.objects.filter(pk__in={kw for _, kw in current})}
    return {person: users[kw] for person, kw in current}


@clock("plan-review", description="A plan review is due within a week: the key worker's task, due on the day.",
       met="The plan was reviewed (or support ended): this review is no longer due.")
def plan_reviews(today: dt.date) -> Iterator[Due]:
    workers = _key_workers()
    seen: set[int] = set()
    plans = (Plan.objects.filter(young_person_id__in=list(workers)).select_related("young_person")
             .order_by("young_person_id", "-started", "-pk"))
    for plan in plans:
        if plan.young_person_id in seen:
            continue  # only the latest plan counts
        seen.add(plan.young_person_id)
        due = plan.next_review_due
        if due is None or today < due - dt.timedelta(days=REVIEW_DUE_SOON_DAYS):
            continue
        yield Due(key=f"plan:{plan.pk}:{due.isoformat()}", title="Review the plan", owner=workers[plan.young_person_id],
                  due=due, young_person=plan.young_person,
                  details=f"The plan's next review is due on {due:%d/%m/%Y}.")


def _deciders() -> tuple[dict[int, User], User | None]:
    managers = User.objects.filter(role=Role.HUB_MANAGER, is_active=True, hub__isnull=False).order_by("pk")
    by_hub: dict[int, User] = {}
    for manager in managers:
        if manager.hub_id is not None:
            by_hub.setdefault(manager.hub_id, manager)
    service = User.objects.filter(role=Role.SERVICE_MANAGER, is_active=True).order_by("pk").first()
    return by_hub, service


@clock("referral-decision", description="A referral not decided within the service's target: the hub manager's task.",
       met="The referral was decided.")
def undecided_referrals(today: dt.date) -> Iterator[Due]:
    by_hub, service = _deciders()
    waiting = Referral.objects.exclude(status="closed").filter(received__lt=today).select_related("young_person")
    supported: dict[int, int] = {}
    for person, hub in (KeyWorkerAllocation.objects.filter(end__isnull=True, involvement__end__isnull=True)
                        .values_list("involvement__young_person_id", "involvement__hub_id")):
        supported[person] = hub
    for referral in waiting:
        last_day = decision_due(referral.urgency, referral.received)
        if today <= last_day:
            continue
        owner = by_hub.get(supported.get(referral.young_person_id, -1)) or service
        if owner is None:
            continue
        target = DECISION_TARGETS.get(referral.urgency, DECISION_TARGETS["routine"]).words
        ref = reference(referral)
        yield Due(key=f"referral:{referral.pk}", title=f"Decide referral {ref}", owner=owner,
                  due=last_day + dt.timedelta(days=1), young_person=referral.young_person,
                  details=f"Received {referral.received:%d/%m/%Y}; the service's target is {target} "
                          f"(by {last_day:%d/%m/%Y}).")
