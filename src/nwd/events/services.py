"""Recording the events of a young person's life, each in one transaction through the model's rules.

The practitioner pages call these instead of saving models, so a missing episode's return, an EET
change or a police contact meets the same rule (and the same message) whether it comes from a
form, an import or the synthetic county. Each event is tied to the young person's open involvement,
when there is one, so the evaluation can tell what happened during support from what happened
before it.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats

from nwd.core.services import save_valid
from nwd.events.models import (
    CONCERN_ALREADY_CLOSED,
    RETURN_ALREADY_RECORDED,
    EETPeriod,
    ExploitationConcern,
    HealthEvent,
    MissingEpisode,
    MissingKind,
    PoliceContact,
    SubstanceUseAssessment,
    already_missing,
)

if TYPE_CHECKING:  # for the annotations only: events import no casework or access at run time
    from nwd.access.models import User
    from nwd.casework.models import Involvement, YoungPerson


def _open_involvement(young_person: YoungPerson) -> Involvement | None:
    return young_person.involvements.open().first()


@transaction.atomic
def record_missing_episode(
    young_person: YoungPerson,
    started_at: dt.datetime,
    kind: str = MissingKind.MISSING,
    reported_to_police: bool = True,
    notes: str = "",
    by: User | None = None,
) -> MissingEpisode:
    """Record that a young person went missing (or was away without authorisation).

    Refused while another episode is still open: a young person cannot go missing twice at once,
    and an open episode left behind would keep the 'missing now' alert on for good.
    """
    if MissingEpisode.objects.filter(young_person=young_person, ended_at__isnull=True).exists():
        raise ValidationError({"started_at": already_missing()})
    episode = MissingEpisode(
        young_person=young_person,
        involvement=_open_involvement(young_person),
        kind=kind,
        started_at=started_at,
        reported_to_police=reported_to_police,
        notes=notes,
    )
    return save_valid(episode, by)


@transaction.atomic
def record_return(
    episode: MissingEpisode,
    *,
    ended_at: dt.datetime,
    return_interview_offered: bool | None = None,
    return_interview_accepted: bool | None = None,
    notes: str = "",
    by: User | None = None,
) -> MissingEpisode:
    """Close a missing episode with the time the young person came back and the return interview."""
    episode = MissingEpisode.objects.select_for_update().get(pk=episode.pk)
    if episode.ended_at is not None:
        raise ValidationError(RETURN_ALREADY_RECORDED)
    episode.ended_at = ended_at
    episode.return_interview_offered = return_interview_offered
    episode.return_interview_accepted = return_interview_accepted
    if notes.strip():
        episode.notes = f"{episode.notes}\n\n{notes.strip()}".strip()
    return save_valid(episode, by)


@transaction.atomic
def record_police_contact(
    young_person: YoungPerson, occurred_on: dt.date, kind: str, summary: str = "", by: User | None = None
) -> PoliceContact:
    return save_valid(
        PoliceContact(
            young_person=young_person, involvement=_open_involvement(young_person),
            occurred_on=occurred_on, kind=kind, summary=summary,
        ),
        by,
    )


@transaction.atomic
def record_health_event(
    young_person: YoungPerson, *, occurred_on: dt.date, kind: str, summary: str = "", by: User | None = None
) -> HealthEvent:
    return save_valid(
        HealthEvent(
            young_person=young_person, involvement=_open_involvement(young_person),
            occurred_on=occurred_on, kind=kind, summary=summary,
        ),
        by,
    )


@transaction.atomic
def raise_exploitation_concern(
    young_person: YoungPerson, raised_on: dt.date, kind: str, summary: str = "", by: User | None = None
) -> ExploitationConcern:
    return save_valid(
        ExploitationConcern(
            young_person=young_person, involvement=_open_involvement(young_person),
            raised_on=raised_on, kind=kind, summary=summary,
        ),
        by,
    )


@transaction.atomic
def close_exploitation_concern(
    concern: ExploitationConcern, *, closed_on: dt.date, by: User | None = None
) -> ExploitationConcern:
    if concern.closed_on is not None:
        raise ValidationError(CONCERN_ALREADY_CLOSED)
    concern.closed_on = closed_on
    return save_valid(concern, by)


@transaction.atomic
def assess_substance_use(
    young_person: YoungPerson, *, assessed_on: dt.date, level: str, substances: str = "", by: User | None = None
) -> SubstanceUseAssessment:
    return save_valid(
        SubstanceUseAssessment(
            young_person=young_person, involvement=_open_involvement(young_person),
            assessed_on=assessed_on, level=level, substances=substances,
        ),
        by,
    )


def current_eet_period(young_person: YoungPerson) -> EETPeriod | None:
    return EETPeriod.objects.filter(young_person=young_person, end__isnull=True).order_by("-start").first()


@transaction.atomic
def change_eet_status(
    young_person: YoungPerson, status: str, start: dt.date, provider: str = "", by: User | None = None
) -> EETPeriod:
    """End the current EET period the day before ``start`` and open the new one, together or not at all.

    EET periods are inclusive date ranges that never overlap, so the old period ends the day
    before the new one starts. A change on the day the current period began would leave it empty:
    that is refused with a message on the date.
    """
    current = (
        EETPeriod.objects.select_for_update()
        .filter(young_person=young_person, end__isnull=True)
        .order_by("-start")
        .first()
    )
    if current is not None:
        if current.status == status and current.provider.strip() == provider.strip():
            raise ValidationError({"status": f"The current status is already '{current.get_status_display()}'."})
        if start <= current.start:
            raise ValidationError(
                {"start": f"The new status must start after the current one began ({formats.date_format(current.start)})."}
            )
        current.end = start - dt.timedelta(days=1)
        save_valid(current, by)
    return save_valid(
        EETPeriod(
            young_person=young_person, involvement=_open_involvement(young_person),
            status=status, start=start, provider=provider,
        ),
        by,
    )
