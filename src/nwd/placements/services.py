"""Changes to the commissioning records: each one transaction, each record through ``save_valid()``
(its ``clean()`` and constraints), the change history and audit kept by simple-history."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import transaction

from nwd.core.services import save_valid
from nwd.placements.models import ProviderStanding, ProviderStatus, QualityEvent, Setting

if TYPE_CHECKING:  # for the annotations only
    from nwd.access.models import User
    from nwd.care.models import Provider


@transaction.atomic
def set_standing(
    provider: Provider, *, status: str, since: dt.date, reason: str = "", by: User | None = None
) -> ProviderStanding:
    """Approve a provider, put it under review or suspend it (one standing per provider, its history kept)."""
    standing = ProviderStanding.objects.select_for_update().filter(provider=provider).first()
    if standing is None:
        standing = ProviderStanding(provider=provider)
    standing.status = ProviderStatus(status)
    standing.since = since
    standing.reason = reason.strip()
    return save_valid(standing, by)


@transaction.atomic
def record_setting(
    provider: Provider, *, name: str, registration: str, urn: str = "", places: int | None = None,
    inspected: dt.date | None = None, judgement: str = "", by: User | None = None,
) -> Setting:
    """Add a home or setting a provider runs, with its registration and latest inspection."""
    setting = Setting(provider=provider, name=name.strip(), registration=registration, urn=urn.strip(),
                      places=places, inspected=inspected, judgement=judgement)
    return save_valid(setting, by)


@transaction.atomic
def record_inspection(setting: Setting, *, inspected: dt.date, judgement: str, by: User | None = None) -> Setting:
    """A setting's latest Ofsted inspection: its date and judgement."""
    setting.inspected = inspected
    setting.judgement = judgement
    return save_valid(setting, by)


@transaction.atomic
def record_quality_event(
    provider: Provider, *, kind: str, happened: dt.date, summary: str, setting: Setting | None = None,
    by: User | None = None,
) -> QualityEvent:
    """A monitoring visit, concern or complaint about a provider (or one of its settings)."""
    event = QualityEvent(provider=provider, setting=setting, kind=kind, happened=happened, summary=summary.strip())
    return save_valid(event, by)


@transaction.atomic
def resolve_quality_event(event: QualityEvent, *, resolved: dt.date, outcome: str, by: User | None = None) -> QualityEvent:
    """Close a concern or complaint: when and how it was resolved."""
    event.resolved = resolved
    event.outcome = outcome.strip()
    return save_valid(event, by)
