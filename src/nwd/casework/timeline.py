"""The young person's story as one timeline: contacts, events, stays, placements, referrals, support, plans.

Why per-kind queries merged in Python, not one UNION: the kinds have different columns and a mix of
dates and date-times, which SQLite and PostgreSQL compare differently inside a UNION. Each kind is
one query ordered by its own date and cut at ``offset + limit`` rows, so the page's query count is
fixed (one per kind shown) whatever the length of the history, and the merge touches at most
``(offset + limit) x kinds`` rows. "Show older" asks for the next slice with a larger offset.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import formats, timezone

from nwd.care.models import CareEpisode
from nwd.casework import prepared
from nwd.casework.choices import AllocationReason, ContactKind, ContactWith
from nwd.casework.models import Contact, Involvement, KeyWorkerAllocation, Plan, PlanReview, Referral
from nwd.codelists import codes
from nwd.events.models import (
    EETPeriod,
    ExploitationConcern,
    HealthEvent,
    MissingEpisode,
    PoliceContact,
    SubstanceUseAssessment,
)
from nwd.hubs.models import Stay

PAGE_SIZE = 50


@dataclass(frozen=True)
class Kind:
    key: str
    label: str


# Order matters: it is the order of the filter checkboxes, and breaks ties on the same moment.
KINDS: tuple[Kind, ...] = (
    Kind("contact", "Contacts"),
    Kind("missing", "Missing episodes"),
    Kind("police", "Police contacts"),
    Kind("exploitation", "Exploitation concerns"),
    Kind("health", "Health events"),
    Kind("substance", "Substance use"),
    Kind("eet", "Education, employment and training"),
    Kind("stay", "Hub stays"),
    Kind("placement", "Care placements"),
    Kind("referral", "Referrals"),
    Kind("support", "Support and key workers"),
    Kind("plan", "Plans and reviews"),
)
KIND_KEYS = tuple(kind.key for kind in KINDS)
KIND_LABELS = {kind.key: kind.label for kind in KINDS}
_KIND_ORDER = {key: i for i, key in enumerate(KIND_KEYS)}


@dataclass
class Entry:
    """One line of the timeline. ``at`` orders it; ``on`` and ``time`` are what the page shows."""

    kind: str
    at: dt.datetime
    on: dt.date
    title: str
    detail: str = ""
    who: str = ""
    time: dt.time | None = None
    record: object = None
    flags: list[str] = field(default_factory=list)

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]


@dataclass
class Timeline:
    entries: list[Entry]
    kinds: tuple[str, ...]
    offset: int
    limit: int
    has_more: bool

    @property
    def next_offset(self) -> int:
        return self.offset + self.limit


def _midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _local(moment: dt.datetime) -> dt.datetime:
    return timezone.localtime(moment) if timezone.is_aware(moment) else timezone.make_aware(moment)


def _name(user) -> str:
    return (user.get_full_name() or user.username) if user is not None else ""


def _dated(kind: str, day: dt.date, title: str, **extra) -> Entry:
    return Entry(kind=kind, at=_midnight(day), on=day, title=title, **extra)


def _timed(kind: str, moment: dt.datetime, title: str, **extra) -> Entry:
    local = _local(moment)
    return Entry(kind=kind, at=local, on=local.date(), time=local.time(), title=title, **extra)


# What a timeline line shows of a contact note and of who wrote it (the line's ``record`` is asked
# only its key, its kind and who wrote it: ``nwd.web.templatetags.nwd_rows``). The other columns, a
# user's password and dates among them, are not read: fifty notes and their writers a page.
_CONTACT_COLUMNS = ("at", "kind", "contact_with", "summary", "staff", "young_person",
                    "staff__first_name", "staff__last_name", "staff__username")


# The same for a plan's review and its reviewer.
_REVIEW_COLUMNS = ("plan", "reviewed_on", "summary", "reviewed_by",
                   "reviewed_by__first_name", "reviewed_by__last_name", "reviewed_by__username")


def _contact_rows(contacts: QuerySet, person_id: int, n: int) -> QuerySet:
    return (contacts.filter(young_person_id=person_id).select_related("staff").only(*_CONTACT_COLUMNS)
            .order_by("-at", "-pk")[:n])


def _contacts(person_id: int, n: int, contacts: QuerySet | None = None) -> list[Entry]:
    """Contacts, from ``contacts`` when given: the notes the user may read (a specialist: their own)."""
    return _contact_entries(_contact_rows(Contact.objects.all() if contacts is None else contacts, person_id, n))


# The labels ``get_kind_display()`` and ``get_contact_with_display()`` look up, as dictionaries made
# once: Django makes the dictionary of a field's choices again on every call, twice for each of the
# timeline's 50 contacts.
_CONTACT_KINDS = dict(ContactKind.choices)
_CONTACT_WITH = dict(ContactWith.choices)


def _contact_entries(rows: Iterable[Contact]) -> list[Entry]:
    """The lines of contact notes (most of a long timeline): the time zone read once for all of them
    (``timezone.localtime`` reads it again for each), a title made once for each kind of note and whom
    it was with, and a staff member's name once for all their notes."""
    zone = timezone.get_current_timezone()
    names: dict[int, str] = {}
    titles: dict[tuple[str, str], str] = {}
    entries = []
    for c in rows:
        title = titles.get((c.kind, c.contact_with))
        if title is None:
            kind, with_ = _CONTACT_KINDS.get(c.kind, c.kind), _CONTACT_WITH.get(c.contact_with, c.contact_with)
            title = titles[(c.kind, c.contact_with)] = f"{kind} with {str(with_).lower()}"
        who = names.get(c.staff_id)
        if who is None:
            who = names[c.staff_id] = _name(c.staff)
        local = c.at.astimezone(zone) if timezone.is_aware(c.at) else timezone.make_aware(c.at, zone)
        entries.append(Entry(kind="contact", at=local, on=local.date(), time=local.time(), title=title,
                             detail=c.summary, who=who, record=c))
    return entries


# Each kind but the contacts: its queries (each a young person's rows of one model, newest first, cut
# at ``n``: ``nwd.casework.prepared``, compiled once a process for the kind and ``n``) and the lines
# made of their rows.


def _missing_rows(pk: int, n: int) -> QuerySet:
    return MissingEpisode.objects.filter(young_person_id=pk).order_by("-started_at", "-pk")[:n]


def _missing(rows: Iterable[MissingEpisode]) -> list[Entry]:
    entries = []
    for episode in rows:
        if episode.ended_at is None:
            title, flags = f"{episode.get_kind_display()}: not yet returned", ["open"]
        else:
            title, flags = f"{episode.get_kind_display()} for {episode.hours:.0f} hours", []
            returned = _local(episode.ended_at)
            flags.append(f"Returned {formats.date_format(returned, 'DATETIME_FORMAT')}")
        if episode.reported_to_police:
            flags.append("Reported to police")
        entries.append(_timed("missing", episode.started_at, title, detail=episode.notes, record=episode, flags=flags))
    return entries


def _police_rows(pk: int, n: int) -> QuerySet:
    return PoliceContact.objects.filter(young_person_id=pk).order_by("-occurred_on", "-pk")[:n]


def _police(rows: Iterable[PoliceContact]) -> list[Entry]:
    return [_dated("police", r.occurred_on, f"Police: {r.get_kind_display().lower()}", detail=r.summary, record=r) for r in rows]


def _health_rows(pk: int, n: int) -> QuerySet:
    return HealthEvent.objects.filter(young_person_id=pk).order_by("-occurred_on", "-pk")[:n]


def _health(rows: Iterable[HealthEvent]) -> list[Entry]:
    return [_dated("health", r.occurred_on, r.get_kind_display(), detail=r.summary, record=r) for r in rows]


def _exploitation_rows(pk: int, n: int) -> QuerySet:
    return ExploitationConcern.objects.filter(young_person_id=pk).order_by("-raised_on", "-pk")[:n]


def _exploitation(rows: Iterable[ExploitationConcern]) -> list[Entry]:
    return [
        _dated(
            "exploitation", r.raised_on, f"Concern raised: {r.get_kind_display().lower()}", detail=r.summary, record=r,
            flags=[f"Closed {formats.date_format(r.closed_on)}"] if r.closed_on else ["open"],
        )
        for r in rows
    ]


def _substance_rows(pk: int, n: int) -> QuerySet:
    return SubstanceUseAssessment.objects.filter(young_person_id=pk).order_by("-assessed_on", "-pk")[:n]


def _substance(rows: Iterable[SubstanceUseAssessment]) -> list[Entry]:
    return [
        _dated("substance", r.assessed_on, f"Substance use: {r.get_level_display().lower()}", detail=r.substances, record=r)
        for r in rows
    ]


def _eet_rows(pk: int, n: int) -> QuerySet:
    return EETPeriod.objects.filter(young_person_id=pk).order_by("-start", "-pk")[:n]


def _eet(rows: Iterable[EETPeriod]) -> list[Entry]:
    return [
        _dated(
            "eet", r.start, r.get_status_display(), detail=r.provider, record=r,
            flags=[f"Until {formats.date_format(r.end)}"] if r.end else ["current"],
        )
        for r in rows
    ]


def _stay_rows(pk: int, n: int) -> QuerySet:
    return Stay.objects.filter(young_person_id=pk).select_related("bed__hub").order_by("-admitted", "-pk")[:n]


def _stays(rows: Iterable[Stay]) -> list[Entry]:
    entries = []
    for stay in rows:
        where = f"{stay.bed.label} at {stay.bed.hub.name}"
        flags = [f"Planned discharge {formats.date_format(stay.planned_discharge)}"] if stay.planned_discharge else []
        entries.append(_dated("stay", stay.admitted, f"Admitted to {stay.bed.get_kind_display().lower()} bed: {where}",
                              record=stay, flags=flags))
        if stay.discharged:
            planned = {True: "Planned discharge", False: "Unplanned discharge"}.get(stay.planned, "")
            entries.append(_dated("stay", stay.discharged, f"Discharged from {where} to {stay.get_destination_display().lower()}",
                                  record=stay, flags=[planned] if planned else []))
    return entries


def _placement_rows(pk: int, n: int) -> QuerySet:
    return CareEpisode.objects.filter(young_person_id=pk).select_related("provider").order_by("-decom", "-pk")[:n]


def _placements(rows: Iterable[CareEpisode]) -> list[Entry]:
    entries = []
    for episode in rows:
        flags = [f"Legal status {episode.ls}: {codes.label('LS', episode.ls)}"]
        if episode.dec:
            flags.append(f"Ended {formats.date_format(episode.dec)} ({codes.label('REC', episode.rec)})")
        if not episode.in_area:
            flags.append("Out of area")
        entries.append(_dated(
            "placement", episode.decom, f"Placement: {codes.label('PLACE', episode.place)}",
            detail=episode.provider.name if episode.provider else "", record=episode, flags=flags,
        ))
    return entries


def _referral_rows(pk: int, n: int) -> QuerySet:
    return Referral.objects.filter(young_person_id=pk).order_by("-received", "-pk")[:n]


def _referrals(rows: Iterable[Referral]) -> list[Entry]:
    entries = []
    for referral in rows:
        flags = [referral.get_urgency_display().split(" (")[0]]
        if referral.decision:
            decided = referral.get_decision_display()
            if referral.handover_service:
                decided += f" ({referral.handover_service})"
            flags.append(f"Decided {formats.date_format(referral.decision_date)}: {decided}")
        else:
            flags.append(referral.get_status_display())
        entries.append(_dated(
            "referral", referral.received, f"Referral from {referral.get_source_agency_display().lower()}",
            detail=referral.reason, who=referral.referrer_organisation or referral.referrer_name, record=referral, flags=flags,
        ))
    return entries


def _involvement_rows(pk: int, n: int) -> QuerySet:
    return Involvement.objects.filter(young_person_id=pk).select_related("hub").order_by("-start", "-pk")[:n]


def _allocation_rows(pk: int, n: int) -> QuerySet:
    return (KeyWorkerAllocation.objects.filter(involvement__young_person_id=pk)
            .select_related("key_worker").order_by("-start", "-pk")[:n])


def _support(involvements: Iterable[Involvement], allocations: Iterable[KeyWorkerAllocation]) -> list[Entry]:
    entries = []
    for inv in involvements:
        entries.append(_dated("support", inv.start, f"Support started: {inv.get_support_type_display().lower()} from {inv.hub.name}",
                              record=inv))
        if inv.end:
            entries.append(_dated("support", inv.end, f"Support ended: {inv.get_end_reason_display().lower()}", record=inv))
    for allocation in allocations:
        title = f"Key worker: {_name(allocation.key_worker)}"
        flags = [] if allocation.reason == AllocationReason.FIRST else [f"Changed: {allocation.get_reason_display().lower()}"]
        entries.append(_dated("support", allocation.start, title, detail=allocation.note, record=allocation, flags=flags))
    return entries


def _plan_rows(pk: int, n: int) -> QuerySet:
    return Plan.objects.filter(young_person_id=pk).order_by("-started", "-pk")[:n]


def _review_rows(pk: int, n: int) -> QuerySet:
    return (PlanReview.objects.filter(plan__young_person_id=pk)
            .select_related("reviewed_by").only(*_REVIEW_COLUMNS).order_by("-reviewed_on", "-pk")[:n])


def _plans(plans: Iterable[Plan], reviews: Iterable[PlanReview]) -> list[Entry]:
    entries = [_dated("plan", plan.started, "Plan started", record=plan) for plan in plans]
    entries += [
        _dated("plan", review.reviewed_on, "Plan reviewed", detail=review.summary, who=_name(review.reviewed_by), record=review)
        for review in reviews
    ]
    return entries


@dataclass(frozen=True)
class Source:
    """A kind's queries, each named (its key in ``nwd.casework.prepared``) and built for a young
    person's id and a number of rows, and the lines made of their rows (given in the same order)."""

    queries: tuple[tuple[str, Callable[[int, int], QuerySet]], ...]
    lines: Callable[..., list[Entry]]


SOURCES: dict[str, Source] = {
    "missing": Source((("missing", _missing_rows),), _missing),
    "police": Source((("police", _police_rows),), _police),
    "exploitation": Source((("exploitation", _exploitation_rows),), _exploitation),
    "health": Source((("health", _health_rows),), _health),
    "substance": Source((("substance", _substance_rows),), _substance),
    "eet": Source((("eet", _eet_rows),), _eet),
    "stay": Source((("stay", _stay_rows),), _stays),
    "placement": Source((("placement", _placement_rows),), _placements),
    "referral": Source((("referral", _referral_rows),), _referrals),
    "support": Source((("support", _involvement_rows), ("allocation", _allocation_rows)), _support),
    "plan": Source((("plan", _plan_rows), ("review", _review_rows)), _plans),
}


def timeline(
    person_id: int,
    kinds: Iterable[str] = KIND_KEYS,
    offset: int = 0,
    limit: int = PAGE_SIZE,
    contacts: QuerySet | None = None,
    contacts_for: Callable[[int], QuerySet] | None = None,
    reader: Hashable = None,
) -> Timeline:
    """The newest ``limit`` entries after the first ``offset``, of the kinds asked for, newest first.

    ``contacts``: the contact notes the user may read (``nwd.access.scopes.visible_contacts``);
    ``contacts_for``: the same for a young person's id, and ``reader`` all they depend on about the
    user: then their query is compiled once a process for that reader (``nwd.casework.prepared``).
    The kinds' queries are sent to the database together (``prepared.together``: one round trip on
    PostgreSQL), the contacts' with them when they are compiled for a reader.
    """
    queries, made = reading(person_id, kinds, offset, limit, contacts, contacts_for, reader)
    return made(iter(prepared.together(queries)))


def reading(
    person_id: int,
    kinds: Iterable[str] = KIND_KEYS,
    offset: int = 0,
    limit: int = PAGE_SIZE,
    contacts: QuerySet | None = None,
    contacts_for: Callable[[int], QuerySet] | None = None,
    reader: Hashable = None,
) -> tuple[list[prepared.Query], Callable[[Iterator[list[Any]]], Timeline]]:
    """``timeline`` in two halves, for a page that sends other queries with the timeline's: the
    queries (``prepared.together``'s) and what makes the timeline of their rows, given in order."""
    chosen = tuple(k for k in KIND_KEYS if k in set(kinds))
    wanted = offset + limit
    n = wanted + 1
    scoped = contacts_for if contacts_for is not None and reader is not None else None
    queries: list[prepared.Query] = []
    if "contact" in chosen and scoped is not None:
        queries.append((("timeline", "contact", n, reader), lambda pk: _contact_rows(scoped(pk), pk, n), person_id))
    for key in chosen:
        if key != "contact":
            queries += [(("timeline", name, n), lambda pk, build=build: build(pk, n), person_id)
                        for name, build in SOURCES[key].queries]

    def made(results: Iterator[list[Any]]) -> Timeline:
        entries: list[Entry] = []
        for key in chosen:
            if key == "contact":
                entries.extend(_contact_entries(next(results)) if scoped is not None else _contacts(person_id, n, contacts))
            else:
                entries.extend(SOURCES[key].lines(*(next(results) for _ in SOURCES[key].queries)))
        entries.sort(key=lambda e: (e.at, -_KIND_ORDER[e.kind]), reverse=True)
        return Timeline(
            entries=entries[offset:wanted], kinds=chosen, offset=offset, limit=limit, has_more=len(entries) > wanted,
        )

    return queries, made


def _count_of(model, path: str = "young_person", base: QuerySet | None = None) -> Coalesce:
    rows = (model.objects.all() if base is None else base).filter(**{path: OuterRef("pk")})
    counted = rows.order_by().values(path).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


# How many records of each kind a young person has: shown beside the filter, one query for all.
KIND_COUNTS = {
    "contact": lambda: _count_of(Contact),
    "missing": lambda: _count_of(MissingEpisode),
    "police": lambda: _count_of(PoliceContact),
    "exploitation": lambda: _count_of(ExploitationConcern),
    "health": lambda: _count_of(HealthEvent),
    "substance": lambda: _count_of(SubstanceUseAssessment),
    "eet": lambda: _count_of(EETPeriod),
    "stay": lambda: _count_of(Stay),
    "placement": lambda: _count_of(CareEpisode),
    "referral": lambda: _count_of(Referral),
    "support": lambda: _count_of(Involvement),
    "plan": lambda: _count_of(PlanReview, "plan__young_person"),
}


def count_annotations(kinds: Iterable[str] = KIND_KEYS, contacts: QuerySet | None = None) -> dict:
    """Annotations ``count_<kind>`` for a YoungPerson queryset (contacts: only those the user may read)."""
    counts = {f"count_{key}": KIND_COUNTS[key]() for key in KIND_KEYS if key in set(kinds)}
    if "count_contact" in counts and contacts is not None:
        counts["count_contact"] = _count_of(Contact, base=contacts)
    return counts
