"""Reads for the evaluation: every table it needs, fetched once, as arrays.

Why a single load: the indicators are computed for a whole cohort at a time. Each table here is
one query (``values_list`` with the few columns needed, dates computed in the database), so a report
for any number of young people makes the same dozen or so queries, never one per young person.
Everything dated after the as-of date is left out, and anything that ended after it is read as
still open, so a report run "as at" a past date shows what the records said that day (as far as
the dates on them allow).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.db.models import F, QuerySet
from django.db.models.functions import TruncDate

from nwd.care.coverage import first_complete_year
from nwd.care.models import CareEpisode, CarePeriod
from nwd.casework.models import Involvement, KeyWorkerAllocation, Referral, YoungPerson
from nwd.evaluation.params import SOURCES, EvaluationSettings
from nwd.evaluation.placements import RESIDENTIAL, episode_groups, placement_moves
from nwd.evaluation.windows import DAY, NAT, PersonIndex, to_days
from nwd.events.models import (
    EETPeriod,
    ExploitationConcern,
    HealthEvent,
    MissingEpisode,
    PoliceContact,
    SubstanceUseAssessment,
)
from nwd.hubs.models import Hub, Stay


def _int(values: Iterable[Any]) -> np.ndarray:
    return np.array(list(values), dtype=np.int64)


def _str(values: Iterable[Any]) -> np.ndarray:
    return np.array(list(values), dtype=object)


def _capped(values: Iterable[dt.date | None], as_of: dt.date) -> np.ndarray:
    """End dates after the as-of date read as still open (NaT)."""
    return to_days(v if v is not None and v <= as_of else None for v in values)


@dataclass
class Table:
    """Columns of equal length, by name. Attribute access reads a column."""

    columns: dict[str, np.ndarray] = field(default_factory=dict)

    def __getattr__(self, name: str) -> np.ndarray:
        try:
            column: np.ndarray = self.__dict__["columns"][name]
            return column
        except KeyError:
            raise AttributeError(name) from None

    def __len__(self) -> int:
        return len(next(iter(self.columns.values()))) if self.columns else 0

    def where(self, mask: np.ndarray) -> Table:
        return Table({name: column[mask] for name, column in self.columns.items()})


def _table(rows: list[tuple[Any, ...]], names: list[str], kinds: dict[str, str], as_of: dt.date) -> Table:
    cols = list(zip(*rows)) if rows else [() for _ in names]
    out = {}
    for name, values in zip(names, cols):
        kind = kinds.get(name, "str")
        if kind == "int":
            out[name] = _int(values)
        elif kind == "intnull":
            out[name] = np.array([-1 if v is None else v for v in values], dtype=np.int64)
        elif kind == "date":
            out[name] = to_days(values)
        elif kind == "end":
            out[name] = _capped(values, as_of)
        elif kind == "float":
            out[name] = np.array([np.nan if v is None else float(v) for v in values], dtype=float)
        elif kind == "bool":
            out[name] = np.array(list(values), dtype=bool)
        elif kind == "boolnull":
            out[name] = np.array([np.nan if v is None else float(v) for v in values], dtype=float)
        else:
            out[name] = _str(values)
    return Table(out)


def _fetch(queryset: QuerySet[Any], names: list[str], kinds: dict[str, str], as_of: dt.date) -> Table:
    return _table(list(queryset.values_list(*names)), names, kinds, as_of)


@dataclass
class Dataset:
    """Everything the evaluation reads, as at one date."""

    as_of: dt.date
    settings: EvaluationSettings
    people: Table
    hubs: dict[int, str]
    go_live: dt.date | None
    referrals: Table
    involvements: Table
    allocations: Table
    stays: Table
    care_periods: Table
    care_episodes: Table
    missing: Table
    police: Table
    health: Table
    exploitation: Table
    substance: Table
    eet: Table
    data_start: dict[str, np.datetime64]

    @property
    def data_end(self) -> np.datetime64:
        """The day after the as-of date: the exclusive end of every window."""
        return np.datetime64(self.as_of, "D") + DAY

    def dates_of_birth(self, person_ids: np.ndarray) -> np.ndarray:
        rows = PersonIndex(self.people.id).rows(person_ids)
        return np.where(rows >= 0, self.people.date_of_birth[np.maximum(rows, 0)], NAT)


def load(as_of: dt.date, settings: EvaluationSettings) -> Dataset:
    """Read every table the evaluation uses, as at ``as_of``: a fixed number of queries."""
    hub_rows = list(Hub.objects.values_list("pk", "name", "opened"))
    hubs = {pk: name for pk, name, _ in hub_rows}
    go_live = settings.go_live or min((opened for _, _, opened in hub_rows), default=None)

    people = _fetch(YoungPerson.objects.all(), ["id", "date_of_birth"], {"id": "int", "date_of_birth": "date"}, as_of)
    referrals = _fetch(
        Referral.objects.filter(received__lte=as_of).annotate(involvement_hub=F("involvement__hub_id")),
        ["id", "young_person_id", "received", "decision", "decision_date", "source_agency", "involvement_hub"],
        {"id": "int", "young_person_id": "int", "received": "date", "decision_date": "end",
         "involvement_hub": "intnull"},
        as_of,
    )
    # A decision dated after the as-of date had not been made then.
    referrals.columns["decision"] = np.where(np.isnat(referrals.decision_date), "", referrals.decision)
    involvements = _fetch(
        Involvement.objects.filter(start__lte=as_of),
        ["id", "young_person_id", "hub_id", "support_type", "start", "end"],
        {"id": "int", "young_person_id": "int", "hub_id": "int", "start": "date", "end": "end"},
        as_of,
    )
    allocations = _fetch(
        KeyWorkerAllocation.objects.filter(start__lte=as_of).annotate(
            young_person_id=F("involvement__young_person_id"), hub_id=F("involvement__hub_id")
        ),
        ["involvement_id", "young_person_id", "hub_id", "start", "end", "reason"],
        {"involvement_id": "int", "young_person_id": "int", "hub_id": "int", "start": "date", "end": "end"},
        as_of,
    )
    stays = _fetch(
        Stay.objects.filter(admitted__lte=as_of).annotate(hub_id=F("bed__hub_id"), bed_kind=F("bed__kind")),
        ["id", "young_person_id", "hub_id", "bed_kind", "admitted", "planned_discharge", "discharged", "destination",
         "planned"],
        {"id": "int", "young_person_id": "int", "hub_id": "int", "admitted": "date", "planned_discharge": "date",
         "discharged": "end", "planned": "boolnull"},
        as_of,
    )
    # Destination and planned are recorded at discharge: unknown while the stay was open at as-of.
    open_stay = np.isnat(stays.discharged)
    stays.columns["destination"] = np.where(open_stay, "", stays.destination)
    stays.columns["planned"] = np.where(open_stay, np.nan, stays.planned)
    care_periods = _fetch(
        CarePeriod.objects.filter(start__lte=as_of),
        ["id", "young_person_id", "start", "end"],
        {"id": "int", "young_person_id": "int", "start": "date", "end": "end"},
        as_of,
    )
    care_episodes = _fetch(
        CareEpisode.objects.filter(decom__lte=as_of).order_by("young_person_id", "decom", "pk"),
        ["id", "young_person_id", "period_id", "decom", "dec", "rne", "place", "place_provider", "urn",
         "in_area", "regulated", "weekly_cost", "stay_id"],
        {"id": "int", "young_person_id": "int", "period_id": "int", "decom": "date", "dec": "end",
         "in_area": "bool", "regulated": "bool", "weekly_cost": "float", "stay_id": "intnull"},
        as_of,
    )
    ep = care_episodes
    ep.columns["group"] = episode_groups(ep.young_person_id, ep.period_id, ep.place, ep.place_provider)
    ep.columns["residential"] = np.isin(ep.group.astype(str), sorted(RESIDENTIAL))
    ep.columns["move"] = placement_moves(ep.young_person_id, ep.period_id, ep.decom, ep.rne, ep.place,
                                         ep.place_provider, ep.urn)
    missing = _fetch(
        MissingEpisode.objects.filter(started_at__date__lte=as_of).annotate(day=TruncDate("started_at"))
        .order_by("started_at", "pk"),
        ["young_person_id", "day", "kind", "started_at", "ended_at"],
        {"young_person_id": "int", "day": "date", "started_at": "str", "ended_at": "str"},
        as_of,
    )
    started = np.array([v.timestamp() for v in missing.started_at], dtype=float)
    ended = np.array([np.nan if v is None else v.timestamp() for v in missing.ended_at], dtype=float)
    cutoff = dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time(), tzinfo=_zone()).timestamp()
    # Returns after the as-of date had not happened yet: those episodes count to the end of as-of.
    missing.columns["open"] = np.isnan(ended) | (ended > cutoff)
    missing.columns["hours"] = (np.where(missing.open, cutoff, ended) - started) / 3600.0
    police = _fetch(
        PoliceContact.objects.filter(occurred_on__lte=as_of).order_by("occurred_on", "pk"),
        ["young_person_id", "occurred_on", "kind"], {"young_person_id": "int", "occurred_on": "date"}, as_of,
    )
    health = _fetch(
        HealthEvent.objects.filter(occurred_on__lte=as_of).order_by("occurred_on", "pk"),
        ["young_person_id", "occurred_on", "kind"], {"young_person_id": "int", "occurred_on": "date"}, as_of,
    )
    exploitation = _fetch(
        ExploitationConcern.objects.filter(raised_on__lte=as_of).order_by("raised_on", "pk"),
        ["young_person_id", "raised_on", "kind"], {"young_person_id": "int", "raised_on": "date"}, as_of,
    )
    substance = _fetch(
        SubstanceUseAssessment.objects.filter(assessed_on__lte=as_of).order_by("assessed_on", "pk"),
        ["young_person_id", "assessed_on", "level"], {"young_person_id": "int", "assessed_on": "date"}, as_of,
    )
    eet = _fetch(
        EETPeriod.objects.filter(start__lte=as_of).order_by("start", "pk"),
        ["young_person_id", "start", "end", "status"],
        {"young_person_id": "int", "start": "date", "end": "end"},
        as_of,
    )
    dataset = Dataset(
        as_of=as_of, settings=settings, people=people, hubs=hubs, go_live=go_live, referrals=referrals,
        involvements=involvements, allocations=allocations, stays=stays, care_periods=care_periods,
        care_episodes=care_episodes, missing=missing, police=police, health=health, exploitation=exploitation,
        substance=substance, eet=eet, data_start={},
    )
    dataset.data_start = coverage(dataset, settings)
    return dataset


def _zone() -> dt.tzinfo:
    from django.utils import timezone

    return timezone.get_current_timezone()


def coverage(dataset: Dataset, settings: EvaluationSettings) -> dict[str, np.datetime64]:
    """The first date each source is taken to hold complete records from.

    A council's own setting wins. Otherwise, for events: the earliest record of that kind (the
    system cannot know about events nobody recorded). For care: an SSDA903 history imported from a
    given year holds only the children looked after in or after that year, so the number of children
    *leaving* care each collection year is near zero before the history begins and steady after it.
    The care records are taken as complete from 1 April of the first collection year in which at
    least half as many children left care as in a typical recent year (``care_coverage``,
    ``nwd.care.coverage``). A source with no
    records at all covers nothing: its windows are empty.
    """
    earliest = {
        "missing": dataset.missing.day,
        "police": dataset.police.occurred_on,
        "health": dataset.health.occurred_on,
        "exploitation": dataset.exploitation.raised_on,
        "substance": dataset.substance.assessed_on,
        "eet": dataset.eet.start,
    }
    out: dict[str, np.datetime64] = {}
    for source in SOURCES:
        if source in settings.data_start:
            out[source] = np.datetime64(settings.data_start[source], "D")
        elif source == "care":
            out[source] = care_coverage(dataset)
        else:
            days = earliest[source][~np.isnat(earliest[source])]
            out[source] = days.min() if len(days) else dataset.data_end
    return out


def care_coverage(dataset: Dataset) -> np.datetime64:
    """Where the care history is taken to begin (see ``coverage`` and ``nwd.care.coverage``).

    With few ended periods (a new system, a test), the earliest date a period of care ended, or
    failing that the earliest DEC of any episode, or the earliest DECOM.
    """
    start = first_complete_year(dataset.care_periods.end, dataset.as_of)
    if start is not None:
        return start
    ends = dataset.care_periods.end[~np.isnat(dataset.care_periods.end)]
    for days in (ends, dataset.care_episodes.dec, dataset.care_episodes.decom):
        days = days[~np.isnat(days)]
        if len(days):
            earliest: np.datetime64 = days.min()
            return earliest
    return dataset.data_end
