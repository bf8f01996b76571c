"""Admissions to and discharges from hub beds, each in one transaction with the bed locked."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction

from nwd.core.services import save_valid
from nwd.hubs.models import Bed, Stay

if TYPE_CHECKING:  # for the annotations only: hubs import no casework or access at run time
    from nwd.access.models import User
    from nwd.casework.models import Involvement, YoungPerson


@transaction.atomic
def admit(
    young_person: YoungPerson,
    bed: Bed,
    admitted: dt.date,
    planned_discharge: dt.date | None = None,
    involvement: Involvement | None = None,
    by: User | None = None,
) -> Stay:
    """Put a young person in a bed. The bed row is locked so two admissions cannot both win it."""
    bed = Bed.objects.select_for_update().select_related("hub").get(pk=bed.pk)
    if not bed.in_use:
        raise ValidationError({"bed": f"{bed.label} is out of use."})
    if involvement is None:
        involvement = young_person.involvements.open().first()
    if involvement is not None and involvement.hub_id != bed.hub_id:
        raise ValidationError({"bed": f"{bed.label} is at {bed.hub}, but the young person is supported by {involvement.hub}."})
    stay = Stay(
        bed=bed, young_person=young_person, involvement=involvement,
        admitted=admitted, planned_discharge=planned_discharge,
    )
    return save_valid(stay, by)


@transaction.atomic
def discharge(
    stay: Stay, *, discharged: dt.date, destination: str, planned: bool | None = None, by: User | None = None
) -> Stay:
    if not stay.is_open:
        raise ValidationError("This stay has already ended.")
    stay.discharged = discharged
    stay.destination = destination
    stay.planned = planned
    return save_valid(stay, by)
