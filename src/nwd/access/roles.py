"""The roles staff hold, in one place. Which role may do what lives in ``nwd.access.policy``."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q


class Role(models.TextChoices):
    KEY_WORKER = "key_worker", "Key worker"
    RESIDENTIAL_WORKER = "residential_worker", "Residential worker"
    HUB_MANAGER = "hub_manager", "Hub manager"
    SERVICE_MANAGER = "service_manager", "Service manager"
    LIFE_COACH = "life_coach", "Life coach (clinical psychologist)"
    COMMUNICATION_SUPPORT = "communication_support", "Communication support worker (speech and language therapist)"
    POLICE_LIAISON = "police_liaison", "Police liaison officer"
    MENTAL_HEALTH = "mental_health", "Mental-health worker"
    SUBSTANCE_MISUSE = "substance_misuse", "Substance-misuse worker"
    PORTFOLIO_LEAD = "portfolio_lead", "Portfolio lead"
    PARTNER_REFERRER = "partner_referrer", "Partner-agency referrer"
    ANALYST = "analyst", "Analyst"
    DATA_PROTECTION_OFFICER = "dpo", "Data protection officer"
    PERSONAL_ADVISER = "personal_adviser", "Personal adviser (care leavers)"
    # Buys placements and watches providers' quality: sees placements and their costs, never case notes.
    COMMISSIONING_OFFICER = "commissioning_officer", "Commissioning officer"
    # Partner systems' API (issue 19): the council's case system (Liquidlogic, Mosaic) reading the
    # service's records into its own, through an API token; reads only, never changes anything.
    INTEGRATION = "integration", "Integration (council case system, read only)"
    # An Ofsted inspector: reads one hub's records while a time-limited grant runs (nwd.safeguarding).
    INSPECTOR = "inspector", "Inspector (Ofsted)"


# What else a member of staff is: a partner referrer's agency (the list a referral's source is named
# from, in casework's records) and a portfolio lead's area.
class SourceAgency(models.TextChoices):
    POLICE = "police", "Police"
    SCHOOL = "school", "School or college"
    HEALTH = "health", "Health"
    CAMHS = "camhs", "CAMHS"
    YOUTH_JUSTICE = "youth_justice", "Youth justice"
    HOUSING = "housing", "Housing"
    SOCIAL_CARE = "social_care", "Children's social care"
    FAMILY = "family", "Family or self"
    VOLUNTARY = "voluntary", "Voluntary sector"
    OTHER = "other", "Other"


class PortfolioArea(models.TextChoices):
    SAFETY = "safety", "Safety"
    RELATIONSHIPS = "relationships", "Relationships"
    ACCOMMODATION = "accommodation", "Accommodation transitions"
    EET = "eet", "Education, employment and training"
    RESILIENCE = "resilience", "Resilience and self-esteem"
    EMOTIONAL_HEALTH = "emotional_health", "Emotional health"


HUB_ROLES = frozenset(
    {Role.KEY_WORKER, Role.RESIDENTIAL_WORKER, Role.HUB_MANAGER, Role.PORTFOLIO_LEAD}
)
SPECIALIST_ROLES = frozenset(
    {Role.LIFE_COACH, Role.COMMUNICATION_SUPPORT, Role.MENTAL_HEALTH, Role.SUBSTANCE_MISUSE}
)
# Everyone who works in the service (as against partners, analysts and the DPO): a second factor
# is required of every staff role; who may skip it is decided in nwd.access, never here.
# The personal adviser (issue 17) works in the council's leaving-care team, not in the service.
SERVICE_ROLES = HUB_ROLES | SPECIALIST_ROLES | {Role.SERVICE_MANAGER, Role.POLICE_LIAISON}

# Who may be a young person's key worker: a key worker, residential worker or hub manager, with an
# active account, working at the hub that supports the young person. The one place for the rule:
# the key worker choices on the forms, the hub's caseloads and the allocation service all ask here.
KEY_WORKER_ROLES = frozenset({Role.KEY_WORKER, Role.RESIDENTIAL_WORKER, Role.HUB_MANAGER})


def may_be_key_worker() -> Q:
    """The staff who may be a key worker (and so hold a caseload), as a filter on users."""
    return Q(role__in=sorted(KEY_WORKER_ROLES), is_active=True)


def why_not_key_worker(user: Any, hub: Any | None) -> str | None:
    """Why ``user`` may not be key worker of a young person supported by ``hub``, or None if they may."""
    if user.role not in KEY_WORKER_ROLES:
        return f"{user} is not a key worker."
    if hub is not None and user.hub_id != hub.pk:
        return f"{user} works at another hub."
    if not user.is_active:
        return f"{user}'s account is no longer active."
    return None
