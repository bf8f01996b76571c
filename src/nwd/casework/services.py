"""Changes to casework, each in one transaction: a referral's path to a decision, involvements, key workers.

Views and commands call these rather than saving models themselves, so the rules (a referral is
never closed without a next step, an open involvement always has one key worker) hold however the
change arrives.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

from nwd.casework.choices import (
    DECISION_SUPPORT_TYPE,
    AllocationReason,
    Decision,
    ReferralStatus,
)
from nwd.casework.models import (
    Involvement,
    KeyWorkerAllocation,
    Referral,
    SpecialistInvolvement,
)
from nwd.core.services import save_valid


@transaction.atomic
def submit_referral(referral: Referral, by=None) -> Referral:
    """Record a new referral (its young person already saved): status 'received'."""
    referral.status = ReferralStatus.RECEIVED
    referral.decision = ""
    referral.decision_date = None
    if by is not None and referral.submitted_by_id is None:
        referral.submitted_by = by
    return save_valid(referral, by)


@transaction.atomic
def start_triage(referral: Referral, by=None) -> Referral:
    if referral.is_closed:
        raise ValidationError("This referral has already been decided.")
    referral.status = ReferralStatus.TRIAGE
    return save_valid(referral, by)


@transaction.atomic
def decide_referral(
    referral: Referral,
    decision: str,
    decided_on: dt.date,
    by=None,
    handover_service: str = "",
    notes: str = "",
) -> Referral:
    """Close a referral with its next step. A handover must name the service handed over to."""
    if referral.is_closed:
        raise ValidationError("This referral has already been decided.")
    referral.decision = decision
    referral.decision_date = decided_on
    referral.handover_service = handover_service.strip() if decision == Decision.HANDOVER else ""
    referral.decision_notes = notes
    referral.decided_by = by
    referral.status = ReferralStatus.CLOSED
    return save_valid(referral, by)


@transaction.atomic
def start_involvement(
    young_person,
    hub,
    support_type: str,
    key_worker,
    start: dt.date,
    by=None,
    referral: Referral | None = None,
) -> Involvement:
    """Open the young person's involvement with its first key worker, together or not at all."""
    if referral is not None and referral.decision not in DECISION_SUPPORT_TYPE:
        raise ValidationError("Support can only start from a referral decided for outreach, a hub stay or an emergency bed.")
    _check_key_worker(key_worker, hub)
    involvement = save_valid(
        Involvement(young_person=young_person, hub=hub, support_type=support_type, start=start, referral=referral),
        by,
    )
    save_valid(
        KeyWorkerAllocation(involvement=involvement, key_worker=key_worker, start=start, reason=AllocationReason.FIRST),
        by,
    )
    return involvement


def _check_key_worker(key_worker, hub) -> None:
    from nwd.access.roles import Role

    if key_worker.role not in {Role.KEY_WORKER, Role.RESIDENTIAL_WORKER, Role.HUB_MANAGER}:
        raise ValidationError({"key_worker": f"{key_worker} is not a key worker."})
    if hub is not None and key_worker.hub_id != hub.pk:
        raise ValidationError({"key_worker": f"{key_worker} works at another hub."})
    if not key_worker.is_active:
        raise ValidationError({"key_worker": f"{key_worker}'s account is no longer active."})


def current_allocation(involvement: Involvement) -> KeyWorkerAllocation | None:
    return involvement.allocations.filter(end__isnull=True).select_related("key_worker").first()


@transaction.atomic
def reallocate_key_worker(
    involvement: Involvement,
    key_worker,
    on: dt.date,
    reason: str,
    by=None,
    note: str = "",
) -> KeyWorkerAllocation:
    """Hand the young person to a new key worker from ``on``; the change is dated and has a reason."""
    if not involvement.is_open:
        raise ValidationError("This involvement has ended: reopen support before allocating a key worker.")
    if not reason or reason == AllocationReason.FIRST:
        raise ValidationError({"reason": "Say why the key worker is changing."})
    current = current_allocation(involvement)
    if current is not None:
        if current.key_worker_id == key_worker.pk:
            raise ValidationError({"key_worker": f"{key_worker} is already the key worker."})
        if on < current.start:
            raise ValidationError({"start": f"The change cannot be before the current allocation began ({current.start:%d/%m/%Y})."})
        current.end = on
        save_valid(current, by)
    _check_key_worker(key_worker, involvement.hub)
    return save_valid(
        KeyWorkerAllocation(involvement=involvement, key_worker=key_worker, start=on, reason=reason, note=note), by
    )


def key_worker_changes(young_person) -> int:
    """How many times the young person's key worker has changed, across all their involvements."""
    allocations = KeyWorkerAllocation.objects.filter(involvement__young_person=young_person)
    return allocations.exclude(reason=AllocationReason.FIRST).count()


@transaction.atomic
def close_involvement(involvement: Involvement, end: dt.date, end_reason: str, by=None) -> Involvement:
    """End support: the key worker allocation and the specialists' involvements end the same day.

    Refused while the young person is still in a hub bed: discharge comes first.
    """
    if not involvement.is_open:
        raise ValidationError("This involvement has already ended.")
    if involvement.stays.filter(discharged__isnull=True).exists():
        raise ValidationError("The young person is still in a hub bed: record their discharge first.")
    involvement.end = end
    involvement.end_reason = end_reason
    save_valid(involvement, by)
    for allocation in involvement.allocations.filter(end__isnull=True):
        allocation.end = max(end, allocation.start)
        save_valid(allocation, by)
    for specialist in SpecialistInvolvement.objects.filter(involvement=involvement, end__isnull=True):
        specialist.end = max(end, specialist.start)
        save_valid(specialist, by)
    return involvement


@transaction.atomic
def draw_in_specialist(young_person, specialist, start: dt.date, by=None, reason: str = "") -> SpecialistInvolvement:
    """The key worker draws a specialist into the team around the young person."""
    from nwd.access.roles import SPECIALIST_ROLES

    if specialist.role not in SPECIALIST_ROLES:
        raise ValidationError({"specialist": f"{specialist} is not one of the service's specialists."})
    involvement = young_person.involvements.filter(end__isnull=True).first()
    return save_valid(
        SpecialistInvolvement(
            young_person=young_person, involvement=involvement, specialist=specialist,
            drawn_in_by=by, start=start, reason=reason,
        ),
        by,
    )
