"""The hub manager's referral queue: referrals waiting for a decision, and those decided for
support that still need a key worker."""

from __future__ import annotations

from django.db.models import Case, Exists, IntegerField, OuterRef, QuerySet, Value, When

from nwd.casework.choices import ReferralStatus, Urgency
from nwd.casework.models import Involvement, Referral


def referrals_waiting(referrals: QuerySet[Referral]) -> QuerySet[Referral]:
    """Referrals without a decision, the most urgent and the oldest first."""
    urgency = Case(
        When(urgency=Urgency.EMERGENCY, then=Value(0)),
        When(urgency=Urgency.URGENT, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return (
        referrals.exclude(status=ReferralStatus.CLOSED)
        .select_related("young_person")
        .annotate(urgency_rank=urgency)
        .order_by("urgency_rank", "received", "pk")
    )


def referrals_decided_awaiting_support(referrals: QuerySet[Referral]) -> QuerySet[Referral]:
    """Referrals decided for support whose young person has no involvement yet: a key worker is needed."""
    return (
        referrals.filter(status=ReferralStatus.CLOSED, decision__in=["outreach", "hub_stay", "emergency_bed"],
                         involvement__isnull=True)
        .exclude(Exists(Involvement.objects.open_for(OuterRef("young_person"))))
        .select_related("young_person")
        .order_by("decision_date", "pk")
    )
