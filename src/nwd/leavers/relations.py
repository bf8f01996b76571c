"""The relations over care leaver records that the permission policy names, answered here.

As with casework's (``nwd.casework.relations``): ``nwd.access.policy`` declares what each relation
means, and the app that owns the records answers it when its models load, so access imports nothing
of the leavers app and there is no cycle between them.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q

from nwd.access.relations import answer, relation
from nwd.casework.models import YoungPerson
from nwd.leavers.models import CareLeaver


@relation(
    YoungPerson,
    lambda user: Q(Exists(CareLeaver.objects.filter(young_person=OuterRef("pk"), personal_adviser_id=user.pk))),
)
def is_personal_adviser_of(user, young_person) -> bool:
    """The user is the care leaver's personal adviser."""
    return CareLeaver.objects.filter(young_person=young_person, personal_adviser_id=user.pk).exists()


@relation(YoungPerson, lambda user: Q(Exists(CareLeaver.objects.filter(young_person=OuterRef("pk")))))
def is_care_leaver(user, young_person) -> bool:
    """The young person has a care leaver's record (eligible, relevant, former relevant or qualifying)."""
    return CareLeaver.objects.filter(young_person=young_person).exists()


def register() -> None:
    """Answer the relations the policy declares over care leaver records."""
    for answered in (is_personal_adviser_of, is_care_leaver):
        answer(answered)
