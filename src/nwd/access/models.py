"""Staff accounts. Each person holds one role; where it applies, a hub, an agency or a portfolio."""

from django.contrib.auth.models import AbstractUser
from django.db import models

from nwd.access.roles import HUB_ROLES, Role
from nwd.casework.choices import PortfolioArea, SourceAgency


class User(AbstractUser):
    """A member of staff, a partner-agency referrer, an analyst or the data protection officer."""

    role = models.CharField(max_length=32, choices=Role.choices)
    hub = models.ForeignKey(
        "hubs.Hub",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
        help_text="The hub a key worker, residential worker, hub manager or portfolio lead works at.",
    )
    agency = models.CharField(
        max_length=32,
        choices=SourceAgency.choices,
        blank=True,
        help_text="For partner-agency referrers: the agency whose referrals they may follow.",
    )
    organisation = models.CharField(
        max_length=120, blank=True, help_text="For partners: the school, practice or team."
    )
    portfolio_area = models.CharField(max_length=32, choices=PortfolioArea.choices, blank=True)
    job_title = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def works_at_hub(self) -> bool:
        return self.role in HUB_ROLES
