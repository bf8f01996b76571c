"""The bed board: every bed of each hub, who is in it since when, planned discharges, the next 14 days.

Three queries whatever the number of hubs, beds or stays (hubs, beds, the stays that touch the
window), then the grid is laid out in Python. Stays are half-open ``[admitted, discharged)``
(docs/decisions/0004): a bed is free on the day its stay's discharge falls. The days ahead are a
projection: an open stay is expected to hold its bed until its planned discharge; a stay with no
planned discharge holds it for the whole window; a stay already past its planned discharge is
shown as overdue, since the young person is still there.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet

from nwd.core import dates, windows
from nwd.hubs.models import Bed, BedKind, Hub, Stay

WINDOW_DAYS = 14

FREE, OCCUPIED, LEAVING, OVERDUE, OUT_OF_USE = "free", "occupied", "leaving", "overdue", "out_of_use"
CELL_LABELS = {
    FREE: "Free",
    OCCUPIED: "Occupied",
    LEAVING: "Planned discharge",
    OVERDUE: "Past planned discharge",
    OUT_OF_USE: "Out of use",
}


@dataclass
class Cell:
    day: dt.date
    state: str
    stay: Stay | None = None

    @property
    def label(self) -> str:
        return CELL_LABELS[self.state]


@dataclass
class BedRow:
    bed: Bed
    stay: Stay | None
    cells: list[Cell]

    @property
    def free_now(self) -> bool:
        return self.bed.in_use and self.stay is None

    @property
    def overdue(self) -> bool:
        return bool(self.stay and self.stay.planned_discharge and self.stay.planned_discharge < self.cells[0].day)


@dataclass
class BedBoard:
    hub: Hub
    today: dt.date
    days: list[dt.date]
    rows: list[BedRow] = field(default_factory=list)

    def _free(self, kind: str) -> list[BedRow]:
        return [row for row in self.rows if row.bed.kind == kind and row.free_now]

    @property
    def emergency_free(self) -> list[BedRow]:
        return self._free(BedKind.EMERGENCY)

    @property
    def residential_free(self) -> list[BedRow]:
        return self._free(BedKind.RESIDENTIAL)

    @property
    def free_by_day(self) -> list[int]:
        """How many beds are expected to be free on each day of the window (a bed is free on its discharge day)."""
        return [sum(1 for row in self.rows if row.cells[i].state in (FREE, LEAVING)) for i in range(len(self.days))]


def _cell(bed: Bed, stays: list[Stay], day: dt.date, today: dt.date) -> Cell:
    if not bed.in_use:
        return Cell(day, OUT_OF_USE)
    for stay in stays:
        if stay.admitted > day or (stay.discharged is not None and stay.discharged <= day):
            continue
        if stay.discharged is None and stay.planned_discharge is not None:
            if stay.planned_discharge < today:
                return Cell(day, OVERDUE, stay)
            if day == stay.planned_discharge:
                return Cell(day, LEAVING, stay)
            if day > stay.planned_discharge:
                continue
        return Cell(day, OCCUPIED, stay)
    return Cell(day, FREE)


# How a page reads a board's query: ``read(name, build, moments)`` gives the rows of ``build(*moments)``;
# the bed board page and the managers' home compile each once a process (``nwd.casework.prepared.kept_at``,
# which this app may not import), keyed by ``name`` and what the caller's choice of hubs depends on.
Reader = Callable[[str, Callable[..., QuerySet[Any]], tuple[dt.date, ...]], list[Any]]


def bed_boards(
    hubs: QuerySet[Hub] | Callable[[], QuerySet[Hub]] | None = None, today: dt.date | None = None,
    days: int = WINDOW_DAYS, read: Reader | None = None,
) -> list[BedBoard]:
    """A board per hub in ``hubs`` (default every hub; a function: called only when a query is built),
    from ``today`` for ``days`` days.

    ``read``: how the three queries are read. Given one, the beds and stays are chosen by ``hubs``
    itself (a subquery) rather than by the ids of the hubs read first, so that each query's SQL
    depends only on ``hubs`` and the two days, and ``read`` may compile it once for them; the same
    rows either way.
    """
    today = today or dates.today()
    window = [today + dt.timedelta(days=i) for i in range(days)]

    def chosen() -> QuerySet[Hub]:
        found = hubs() if callable(hubs) else hubs
        return Hub.objects.all() if found is None else found

    if read is None:
        listed = list(chosen().order_by("name"))
        beds = list(Bed.objects.filter(hub__in=listed).order_by("hub", "kind", "label"))
        stays = list(_stays(Stay.objects.filter(bed__in=beds), today, window[-1]))
    else:
        listed = read("hubs", lambda: chosen().order_by("name"), ())
        beds = read("beds", lambda: Bed.objects.filter(hub__in=chosen()).order_by("hub", "kind", "label"), ())
        # Today is also written into the SQL (``nwd.core.windows``: so that PostgreSQL plans the
        # query once a connection), hence in the name ``read`` keys the compiled query by.
        stays = read(f"stays from {today.isoformat()}", lambda first, last: _stays(
            Stay.objects.filter(bed__hub__in=chosen()), first, last).filter(windows.not_before("discharged", today, or_null=True)),
            (today, window[-1]))
    by_bed: dict[int, list[Stay]] = {}
    for stay in stays:
        by_bed.setdefault(stay.bed_id, []).append(stay)
    boards = {hub.pk: BedBoard(hub=hub, today=today, days=window) for hub in listed}
    for bed in beds:
        bed.hub = boards[bed.hub_id].hub
        bed_stays = by_bed.get(bed.pk, [])
        current = next((s for s in bed_stays if s.admitted <= today), None)
        cells = [_cell(bed, bed_stays, day, today) for day in window]
        boards[bed.hub_id].rows.append(BedRow(bed=bed, stay=current, cells=cells))
    return list(boards.values())


def _stays(stays: QuerySet[Stay], today: dt.date, last: dt.date) -> QuerySet[Stay]:
    """Of ``stays``, those that touch the window from ``today`` to ``last``, with their young people."""
    return (
        stays.filter(admitted__lte=last)
        .filter(Q(discharged__isnull=True) | Q(discharged__gt=today))
        .select_related("young_person")
        .order_by("admitted")
    )


def free_beds(hub: Hub, on: dt.date | None = None, kind: str | None = None) -> QuerySet[Bed]:
    """Beds of ``hub`` in use and with nobody in them on ``on``: the choices when admitting."""
    on = on or dates.today()
    taken = Stay.objects.filter(admitted__lte=on).filter(Q(discharged__isnull=True) | Q(discharged__gt=on))
    beds = Bed.objects.filter(hub=hub, in_use=True).exclude(pk__in=taken.values("bed_id"))
    if kind:
        beds = beds.filter(kind=kind)
    return beds.order_by("kind", "label")


def free_bed_counts(hub: Hub, on: dt.date | None = None) -> dict[str, int]:
    """How many residential and emergency beds of ``hub`` are free now (one query)."""
    counts = {BedKind.RESIDENTIAL.value: 0, BedKind.EMERGENCY.value: 0}
    for kind in free_beds(hub, on).values_list("kind", flat=True):
        counts[kind] += 1
    return counts
