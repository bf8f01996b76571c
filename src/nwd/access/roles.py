"""The roles staff hold, in one place. Which role may do what lives in ``nwd.access.policy``."""

from django.db import models


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


HUB_ROLES = frozenset(
    {Role.KEY_WORKER, Role.RESIDENTIAL_WORKER, Role.HUB_MANAGER, Role.PORTFOLIO_LEAD}
)
SPECIALIST_ROLES = frozenset(
    {Role.LIFE_COACH, Role.COMMUNICATION_SUPPORT, Role.MENTAL_HEALTH, Role.SUBSTANCE_MISUSE}
)
# Everyone who works in the service (as against partners, analysts and the DPO): a second factor
# is required of every staff role; who may skip it is decided in nwd.access, never here.
SERVICE_ROLES = HUB_ROLES | SPECIALIST_ROLES | {Role.SERVICE_MANAGER, Role.POLICE_LIAISON}
