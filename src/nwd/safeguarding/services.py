"""Changes to the hubs' children's home records, each in one transaction through the model's rules.

The pages, the synthetic county and the tests call these, never ``save()``. The history of every
change is kept by simple-history and its audit line written from its signal (``nwd.access.signals``).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone

from nwd.core import dates
from nwd.core.services import save_valid
from nwd.events.models import ExploitationKind, MissingKind
from nwd.safeguarding.models import (
    InspectorGrant,
    NotifiableKind,
    Notification,
    NotificationRecipient,
    RestraintRecord,
    ReturnInterview,
)

if TYPE_CHECKING:
    from nwd.access.models import User
    from nwd.casework.models import YoungPerson
    from nwd.events.models import ExploitationConcern, HealthEvent, MissingEpisode, PoliceContact
    from nwd.hubs.models import Hub


@transaction.atomic
def record_restraint(hub: Hub, *, young_person: YoungPerson, occurred_at: dt.datetime, place: str, measure: str,
                     used_by: str, present: str = "", led_to: str = "", duration_minutes: int | None = None,
                     tried_first: str = "", effect: str = "", injury: bool = False, injury_treatment: str = "",
                     written_at: dt.datetime | None = None, late_reason: str = "", complete: bool = True,
                     by: User | None = None) -> RestraintRecord:
    """Record a measure of control or restraint. ``complete``: the full account is written now (else
    only the facts are noted, and the account is due within 24 hours of the event)."""
    record = RestraintRecord(
        hub=hub, young_person=young_person, occurred_at=occurred_at, place=place, measure=measure, used_by=used_by,
        present=present, led_to=led_to, duration_minutes=duration_minutes, tried_first=tried_first, effect=effect,
        injury=injury, injury_treatment=injury_treatment, late_reason=late_reason,
        written_at=(written_at or timezone.now()) if complete else None)
    return save_valid(record, by)


@transaction.atomic
def complete_restraint(record: RestraintRecord, *, led_to: str, duration_minutes: int | None, tried_first: str,
                       effect: str, late_reason: str = "", written_at: dt.datetime | None = None,
                       by: User | None = None) -> RestraintRecord:
    """Write the full account of a restraint first only noted."""
    record.led_to, record.duration_minutes, record.tried_first, record.effect = led_to, duration_minutes, tried_first, effect
    record.late_reason = late_reason
    record.written_at = written_at or timezone.now()
    return save_valid(record, by)


def _signed_already(record: RestraintRecord, at: str, by: str, what: str) -> None:
    """Refuse to sign or confirm again what is signed: the record as it is now (read under a lock, so
    two posts at once, a double click or a second tab, cannot both sign) keeps its first signature."""
    current = (RestraintRecord.objects.select_for_update(of=("self",)).select_related(by)
               .only(at, f"{by}__first_name", f"{by}__last_name", f"{by}__username").get(pk=record.pk))
    when = getattr(current, at)
    if when is not None:
        who = getattr(current, by)
        name = (who.get_full_name() or who.username) if who is not None else "someone"
        raise ValidationError({NON_FIELD_ERRORS: f"{name} already {what} on {dates.as_date(when):%d/%m/%Y}. "
                                                 "Nothing was changed: a signed record is not signed again."})


@transaction.atomic
def sign_staff_talk(record: RestraintRecord, *, notes: str, spoken_at: dt.datetime | None = None,
                    by: User) -> RestraintRecord:
    """The registered manager's signed record of speaking to the staff member (due within 48 hours),
    once: a second signature is refused."""
    _signed_already(record, "staff_spoken_at", "staff_signed_by", "signed the talk with the staff member")
    record.staff_spoken_at = spoken_at or timezone.now()
    record.staff_signed_by = by
    record.staff_notes = notes
    return save_valid(record, by)


@transaction.atomic
def confirm_young_person_talk(record: RestraintRecord, *, view: str, spoken_at: dt.datetime | None = None,
                              by: User) -> RestraintRecord:
    """Confirmation that someone spoke to the young person about it (due within 5 days), once."""
    _signed_already(record, "young_person_spoken_at", "young_person_spoken_by", "confirmed the talk with the young person")
    record.young_person_spoken_at = spoken_at or timezone.now()
    record.young_person_spoken_by = by
    record.young_person_view = view
    return save_valid(record, by)


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time()))


def source_facts(source: Any) -> tuple[str, dt.datetime]:
    """The notifiable kind and the clock's start a triggering event gives (an event known only by its
    day starts the clock at the start of that day)."""
    name = type(source).__name__
    if name == "ExploitationConcern":
        kind = NotifiableKind.CSE if source.kind == ExploitationKind.SEXUAL else NotifiableKind.POLICE
        return kind, _start_of(source.raised_on)
    if name == "PoliceContact":
        return NotifiableKind.POLICE, _start_of(source.occurred_on)
    if name == "HealthEvent":
        return NotifiableKind.SERIOUS_INJURY, _start_of(source.occurred_on)
    if name == "MissingEpisode":
        kind = NotifiableKind.AWAY if source.kind == MissingKind.AWAY else NotifiableKind.MISSING
        return kind, source.started_at
    raise TypeError(f"A notification cannot be raised from a {name}.")


def source_summary(source: Any) -> str:
    """What the triggering event's record says, to start the notification's account from."""
    said = (getattr(source, "summary", "") or getattr(source, "notes", "") or "").strip()
    return f"{source}: {said}" if said else f"{source}."


SOURCE_FIELD = {"ExploitationConcern": "exploitation_concern", "PoliceContact": "police_contact",
                "HealthEvent": "health_event", "MissingEpisode": "missing_episode"}


@transaction.atomic
def raise_notification(hub: Hub, *, young_person: YoungPerson, summary: str, kind: str = "",
                       event_at: dt.datetime | None = None,
                       source: ExploitationConcern | PoliceContact | HealthEvent | MissingEpisode | None = None,
                       by: User | None = None) -> Notification:
    """Raise a regulation 40 notification, from the event that triggered it when there is one (its kind
    and time are taken from it unless given)."""
    fields: dict[str, Any] = {}
    if source is not None:
        derived_kind, derived_at = source_facts(source)
        kind = kind or derived_kind
        event_at = event_at or derived_at
        fields[SOURCE_FIELD[type(source).__name__]] = source
    if not kind:
        raise ValidationError({"kind": "Choose the kind of event."})
    if event_at is None:
        raise ValidationError({"event_at": "Enter when the event happened."})
    notification = Notification(hub=hub, young_person=young_person, kind=kind, event_at=event_at, summary=summary,
                                **fields)
    return save_valid(notification, by)


@transaction.atomic
def record_told(notification: Notification, *, body: str, told_at: dt.datetime, how: str = "",
                by: User) -> NotificationRecipient:
    """Record that ``body`` was told of the event, when and how."""
    return save_valid(NotificationRecipient(notification=notification, body=body, told_at=told_at, told_by=by,
                                            how=how), by)


@transaction.atomic
def record_return_interview(episode: MissingEpisode, *, offered_at: dt.datetime, held_at: dt.datetime | None = None,
                            declined: bool = False, conducted_by: str = "", learnt: str = "",
                            by: User | None = None) -> ReturnInterview:
    """Record the return home interview of a missing episode (offered within 72 hours of the return)."""
    interview = ReturnInterview.objects.filter(missing_episode=episode).first() or ReturnInterview(
        missing_episode=episode)
    interview.offered_at, interview.held_at, interview.declined = offered_at, held_at, declined
    interview.conducted_by, interview.learnt = conducted_by, learnt
    return save_valid(interview, by)


@transaction.atomic
def grant_inspection(hub: Hub, *, inspector: User, starts: dt.datetime, expires: dt.datetime, reason: str,
                     by: User | None = None) -> InspectorGrant:
    """Give an inspector read access to one hub's records from ``starts`` until ``expires``."""
    return save_valid(InspectorGrant(hub=hub, inspector=inspector, starts=starts, expires=expires, reason=reason), by)


@transaction.atomic
def end_inspection(grant: InspectorGrant, *, at: dt.datetime | None = None, by: User | None = None,
                   why: str = "") -> InspectorGrant:
    """End an inspector's access now (or at ``at``), before it would expire (the history says why)."""
    at = at or timezone.now()
    if grant.expires <= at:
        raise ValidationError("This access has already ended.")
    grant.expires = max(at, grant.starts + dt.timedelta(seconds=1))
    grant._change_reason = f"access ended early: {why.strip()}"[:100] if why.strip() else "access ended early"  # type: ignore[attr-defined]
    return save_valid(grant, by)
