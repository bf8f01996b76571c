"""Changes to a care leaver's record, each in one transaction through the model's rules (``save_valid``).

The pages, the synthetic county and the tests call these, never ``save()``: a contact or a review
meets the same rule, with the same message, wherever it comes from. The history of every change is
kept by simple-history and its audit line written from its signal (``nwd.access.signals``).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction

from nwd.care.models import CareEpisode
from nwd.core import dates
from nwd.core.services import save_valid
from nwd.leavers import eligibility
from nwd.leavers.models import (
    Accommodation,
    AdviserContact,
    CareLeaver,
    PathwayPlan,
    PathwayReview,
    StayingArrangement,
)

if TYPE_CHECKING:
    from nwd.access.models import User
    from nwd.casework.models import YoungPerson


def derive_category(young_person: YoungPerson, on: dt.date | None = None) -> eligibility.Derived:
    """The leaving-care category the young person's SSDA903 episodes give on ``on`` (default today)."""
    rows = CareEpisode.objects.filter(young_person=young_person).values_list("decom", "dec", "ls")
    return eligibility.derive(young_person.date_of_birth, list(rows), on or dates.today())


@transaction.atomic
def start_care_leaver(
    young_person: YoungPerson,
    *,
    personal_adviser: User | None,
    category: str = "",
    reason: str = "",
    on: dt.date | None = None,
    by: User | None = None,
) -> CareLeaver:
    """Open the care leaver's record. The category is derived from the care history unless given
    (with the reason the records cannot show: a special guardianship order, a detention...)."""
    if CareLeaver.objects.filter(young_person=young_person).exists():
        raise ValidationError({"young_person": f"{young_person} already has a care leaver's record."})
    derived = derive_category(young_person, on)
    if not category:
        if derived.category is None:
            raise ValidationError({"category": f"The care history does not make {young_person} a care leaver: "
                                   f"{derived.reason} Choose the category and say why."})
        category, reason = derived.category, derived.reason
    elif not reason:
        raise ValidationError({"category_reason": "Say why this category, as the care history does not show it."})
    record = CareLeaver(young_person=young_person, category=category, category_reason=reason[:300],
                        left_care=derived.left_care, personal_adviser=personal_adviser)
    return save_valid(record, by)


@transaction.atomic
def change_category(care_leaver: CareLeaver, *, category: str, reason: str, left_care: dt.date | None = None,
                    by: User | None = None) -> CareLeaver:
    care_leaver.category, care_leaver.category_reason = category, reason[:300]
    if left_care is not None:
        care_leaver.left_care = left_care
    return save_valid(care_leaver, by)


@transaction.atomic
def change_adviser(care_leaver: CareLeaver, *, personal_adviser: User | None, by: User | None = None) -> CareLeaver:
    care_leaver.personal_adviser = personal_adviser
    return save_valid(care_leaver, by)


@transaction.atomic
def record_status(care_leaver: CareLeaver, *, in_touch: str, activity: str, status_on: dt.date,
                  by: User | None = None) -> CareLeaver:
    """In touch and activity (OC3's IN_TOUCH and ACTIV), as confirmed on ``status_on``."""
    care_leaver.in_touch, care_leaver.activity, care_leaver.status_on = in_touch, activity, status_on
    return save_valid(care_leaver, by)


@transaction.atomic
def end_support(care_leaver: CareLeaver, *, ended: dt.date, by: User | None = None) -> CareLeaver:
    care_leaver.support_ended = ended
    return save_valid(care_leaver, by)


@transaction.atomic
def record_pathway_plan(care_leaver: CareLeaver, *, started: dt.date, summary: str = "",
                        by: User | None = None) -> PathwayPlan:
    return save_valid(PathwayPlan(care_leaver=care_leaver, started=started, summary=summary), by)


@transaction.atomic
def review_pathway_plan(plan: PathwayPlan, *, reviewed_on: dt.date, summary: str = "",
                        by: User | None = None) -> PathwayReview:
    return save_valid(PathwayReview(plan=plan, reviewed_on=reviewed_on, reviewed_by=by, summary=summary), by)


@transaction.atomic
def record_contact(care_leaver: CareLeaver, *, on: dt.date, kind: str, adviser: User, summary: str = "",
                   by: User | None = None) -> AdviserContact:
    return save_valid(AdviserContact(care_leaver=care_leaver, on=on, kind=kind, adviser=adviser, summary=summary),
                      by)


@transaction.atomic
def record_move(care_leaver: CareLeaver, *, start: dt.date, accommodation: str, in_area: bool = True,
                by: User | None = None) -> Accommodation:
    """Where the care leaver lives from ``start`` (a move, when they lived somewhere before): the
    adviser then has 7 days to see them (``nwd.leavers.queries``)."""
    if Accommodation.objects.filter(care_leaver=care_leaver, start=start).exists():
        raise ValidationError({"start": "A move is already recorded on this day: correct it instead."})
    return save_valid(Accommodation(care_leaver=care_leaver, start=start, accommodation=accommodation,
                                    in_area=in_area), by)


@transaction.atomic
def record_arrangement(care_leaver: CareLeaver, *, kind: str, start: dt.date, end: dt.date | None = None,
                       with_whom: str = "", by: User | None = None) -> StayingArrangement:
    return save_valid(StayingArrangement(care_leaver=care_leaver, kind=kind, start=start, end=end,
                                         with_whom=with_whom), by)
