"""The chronology: the young person's significant events in date order, chosen from the timeline.

Practitioners mark lines of the timeline as significant (a ``ChronologyEntry`` names the line by its
key); the chronology is the timeline read again with only those lines, oldest first, so it always
says what the records say now. Each line has its date, what happened, who recorded it (the worker
the record names, or whoever entered it) and when it was recorded: what a court, a child protection
conference or a review expects of a chronology.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import formats, timezone

from nwd.access import scopes
from nwd.casework.models import Contact
from nwd.casework.timeline import KIND_KEYS, KIND_LABELS, Entry, timeline
from nwd.documents.models import ChronologyEntry

# The whole history is read to find the chosen lines (one query per kind; a young person's records
# run to hundreds, not thousands).
LIMIT = 5000

# What each kind of timeline line needs the user to hold (as the young person's page asks).
KIND_PERMISSIONS = {
    "contact": "casework.view_contacts",
    "missing": "events.view_police_shared",
    "police": "events.view_police_shared",
    "exploitation": "events.view_police_shared",
    "health": "events.view_health",
    "substance": "events.view_health",
    "eet": "casework.view_young_person",
    "stay": "casework.view_young_person",
    "referral": "casework.view_young_person",
    "support": "casework.view_young_person",
    "placement": "casework.view_care_history",
    "plan": "casework.view_plan",
}


def entry_key(entry: Entry) -> str:
    """The line's name: its kind, its record (model and id) and its date (a stay has two lines)."""
    record: Any = entry.record
    label = record._meta.label_lower if record is not None else "none.none"
    return f"{entry.kind}:{label}:{getattr(record, 'pk', 0) or 0}:{entry.on.isoformat()}"


def _name(user) -> str:
    return (user.get_full_name() or user.username) if user is not None else ""


def author(entry: Entry) -> str:
    """Who the record names as having done it, else who entered it."""
    return entry.who or _name(getattr(entry.record, "recorded_by", None))


def recorded_on(entry: Entry) -> dt.date | None:
    created = getattr(entry.record, "created_at", None)
    return timezone.localtime(created).date() if created else None


def kinds_for(user, person) -> tuple[str, ...]:
    return tuple(k for k in KIND_KEYS if user.has_perm(KIND_PERMISSIONS[k], person))


def timeline_entries(user, person) -> list[Entry]:
    """Every line of the timeline the user may see, newest first."""
    contacts = scopes.visible_contacts(user, Contact.objects.filter(young_person_id=person.pk))
    return timeline(person.pk, kinds=kinds_for(user, person), limit=LIMIT, contacts=contacts).entries


@dataclass(frozen=True)
class Line:
    key: str
    on: dt.date
    time: dt.time | None
    kind: str
    title: str
    detail: str
    author: str
    recorded_on: dt.date | None
    note: str
    flags: tuple[str, ...]

    @property
    def when(self) -> str:
        day = formats.date_format(self.on, "d/m/Y")
        return f"{day} {self.time:%H:%M}" if self.time else day

    def as_row(self) -> list[str]:
        return [self.when, self.kind, self.title, "; ".join(filter(None, (self.detail, *self.flags))), self.author,
                formats.date_format(self.recorded_on, "d/m/Y") if self.recorded_on else "", self.note]


HEADER = ["Date", "Kind", "What happened", "Detail", "Recorded by", "Recorded on", "Why it is significant"]


def _line(entry: Entry, note: str) -> Line:
    return Line(key=entry_key(entry), on=entry.on, time=entry.time, kind=KIND_LABELS[entry.kind], title=entry.title,
                detail=entry.detail, author=author(entry), recorded_on=recorded_on(entry), note=note,
                flags=tuple(entry.flags))


def chronology(user, person) -> list[Line]:
    """The chosen lines the user may see, oldest first."""
    chosen = dict(ChronologyEntry.objects.filter(young_person=person).values_list("entry_key", "note"))
    if not chosen:
        return []
    lines = [_line(e, chosen[key]) for e in timeline_entries(user, person) if (key := entry_key(e)) in chosen]
    lines.reverse()
    return lines


def candidates(user, person, limit: int = 100) -> list[tuple[Line, bool]]:
    """The newest lines of the timeline, each with whether it is in the chronology (to choose from)."""
    chosen = set(ChronologyEntry.objects.filter(young_person=person).values_list("entry_key", flat=True))
    entries = timeline(person.pk, kinds=kinds_for(user, person), limit=limit,
                       contacts=scopes.visible_contacts(user, Contact.objects.filter(young_person_id=person.pk))).entries
    return [(line, line.key in chosen) for line in (_line(e, "") for e in entries)]
