"""The relation over hubs that the permission policy declares for inspectors, answered here.

As with casework's (``nwd.casework.relations``): ``nwd.access.policy`` declares what it means, and
this app, which owns the grants, answers it when its models load.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from nwd.access.relations import NOTHING, answer, relation
from nwd.hubs.models import Hub
from nwd.safeguarding.models import INSPECTOR_ROLE, InspectorGrant


def _current(user):
    now = timezone.now()
    return InspectorGrant.objects.filter(inspector_id=user.pk, starts__lte=now, expires__gt=now)


@relation(Hub, lambda user: Q(Exists(_current(user).filter(hub=OuterRef("pk"))))
          if user.role == INSPECTOR_ROLE else NOTHING)
def is_inspecting(user, hub) -> bool:
    """The user holds an inspector's grant to the hub that has started and not yet expired."""
    return user.role == INSPECTOR_ROLE and _current(user).filter(hub=hub).exists()


def register() -> None:
    answer(is_inspecting)
