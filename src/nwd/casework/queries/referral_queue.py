"""The hub manager's referral queue: referrals waiting for a decision, and those decided for
support that still need a key worker."""

from __future__ import annotations

from django.db.models import Case, Exists, IntegerField, OuterRef, QuerySet, Value, When

from nwd.casework.choices import ReferralStatus, Urgency
from nwd.casework.models import Involvement, Referral
from nwd.casework.queries.planning import not_closed

# The decisions that are support by the service (the others hand the young person over).
SUPPORT_DECISIONS = ("outreach", "hub_stay", "emergency_bed")


def referrals_waiting(referrals: QuerySet[Referral]) -> QuerySet[Referral]:
    """Referrals without a decision, the most urgent and the oldest first.

    "Not closed" is written as a constant (``planning.not_closed``): with the status bound as a
    parameter, PostgreSQL's plan for the prepared statement could not use the partial index
    ``referral_waiting`` and guessed two referrals in three waiting (then read every young person
    to join them), so it planned the query afresh on every request instead (~1 ms of the database's
    CPU on the hub manager's home and the referral queue)."""
    urgency = Case(
        When(urgency=Urgency.EMERGENCY, then=Value(0)),
        When(urgency=Urgency.URGENT, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return (
        referrals.filter(not_closed())
        .select_related("young_person")
        .annotate(urgency_rank=urgency)
        .order_by("urgency_rank", "received", "pk")
    )


def referrals_decided_awaiting_support(referrals: QuerySet[Referral]) -> QuerySet[Referral]:
    """Referrals decided for support whose young person has no involvement yet: a key worker is needed.

    Chosen by id from every referral decided for support (``Referral.objects``: not withdrawn), a
    subquery the database answers from one index (``referral_decided``: status, decision, withdrawn,
    young person, id) without reading the referrals themselves: some 3,000 decided referrals of a
    county, nearly all with their involvement, leave a handful to read whole. The same rows as
    filtering ``referrals`` by the same conditions."""
    awaiting = (
        Referral.objects.filter(status=ReferralStatus.CLOSED, decision__in=SUPPORT_DECISIONS, involvement__isnull=True)
        .exclude(Exists(Involvement.objects.open_for(OuterRef("young_person"))))
        .order_by()
        .values("pk")
    )
    return referrals.filter(pk__in=awaiting).select_related("young_person").order_by("decision_date", "pk")
