"""Writing a checked, stitched return into the database: children, periods of care, episodes and the rest.

The import is done stage by stage (children, then periods, then episodes...), because each stage
needs the primary keys the one before made. A stage first *plans*: it reads what the database
already holds for the children in the return (in a few large queries, never one per row),
compares it with the return and decides what to create, what to change and what is already so.
Then, unless it is a dry run, it *applies* the plan with ``bulk_create``/``bulk_update`` in
batches, writing simple-history rows for the models that keep a history (so "who changed this
child's date of birth" answers "the SSDA903 import, run by ...").

Matching, so that importing the same return twice changes nothing:

- a young person by CHILD (``child_id``); the return has no names, so a new child is created as
  "Child <CHILD>" and the names of a child already in the database are never touched. A CHILD that
  was a duplicate's, merged into another record in nwd (``FormerChildId``), is that record;
- an episode by child and DECOM; a period of care by child and its first day;
- a missing episode by child and the *local date* it began (the 903 has dates, the service records
  times: an episode the service recorded at 22:30 is the same as the return's row for that day). A
  missing episode a practitioner withdrew as entered in error (``nwd.core.models.Withdrawable``) is
  matched too, and left as it is: withdrawn, never written again nor changed (``Counts.withdrawn``);
- a review by child and date; OC2 and OC3 rows by child and collection year.

A blank DEC (or MIS_END) in a year's return means "still open on 31 March": it never erases an end
the database already has after that day, which the return could not have known. The caller runs
every stage inside one transaction (``nwd.returns.importer``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

import polars as pl
from django.conf import settings
from django.db import connection
from django.utils import timezone

from nwd.care.models import AnnualOutcome, CareEpisode, CareLeaverOutcome, CarePeriod, CareReview
from nwd.casework.models import FormerChildId, YoungPerson
from nwd.codelists.codes import places_without_provider, places_without_urn, year_bounds, year_start
from nwd.core import dates
from nwd.events.models import MissingEpisode
from nwd.returns import fastinsert
from nwd.returns.dbframes import EPISODE_FIELDS, OC2_FLAGS, OC3_FIELDS

BATCH = 2000
CHANGE_REASON = "SSDA903 import"
NEW_GIVEN_NAME = "Child"  # the return has no names: a new child is "Child <CHILD>" until someone knows better
SEX_CODES = {"1": "1", "2": "2", "M": "1", "F": "2"}  # stored as 1 (male) / 2 (female), as the return wrote it to 2023-24
UNREGISTERED = frozenset({"Z11", "Z12", "Z13"})  # placements not registered with Ofsted (from 2025-26)


@dataclass
class Counts:
    """What a stage did (or, in a dry run, would do) to one kind of record."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0
    withdrawn: int = 0  # rows of the return matching a record withdrawn in nwd: left withdrawn, untouched

    @property
    def changed(self) -> int:
        return self.created + self.updated + self.deleted


@dataclass
class Stage:
    """The plan of one stage: new rows (dicts of field values), changes (pk -> field values), deletions."""

    model: type
    create: list = field(default_factory=list)
    update: dict[int, dict] = field(default_factory=dict)
    delete: list[int] = field(default_factory=list)
    unchanged: int = 0
    withdrawn: int = 0

    @property
    def counts(self) -> Counts:
        return Counts(len(self.create), len(self.update), self.unchanged, len(self.delete), self.withdrawn)


class Writer:
    """Applies stages (or only counts them, in a dry run) for one import run by ``user``."""

    def __init__(self, user=None, dry_run: bool = False) -> None:
        self.user = user
        self.dry_run = dry_run
        self.counts: dict[str, Counts] = {}
        self.seconds: dict[str, float] = {}
        # CHILD of the return -> the council child id of the record it was merged into (``FormerChildId``).
        self.merged_into: dict[str, str] = {}
        self._fake_pk = 0

    def apply(self, name: str, stage: Stage) -> list[int]:
        """Apply ``stage``; returns the primary keys of the created rows, in the order of ``stage.create``.

        In a dry run nothing is written and the "created" rows get made-up negative keys, so the
        later stages can still be planned and counted.
        """
        self.counts[name] = stage.counts
        if self.dry_run:
            fake = list(range(self._fake_pk - 1, self._fake_pk - 1 - len(stage.create), -1))
            self._fake_pk -= len(stage.create)
            return fake
        model = stage.model
        user_id = getattr(self.user, "pk", None)
        if _has_field(model, "recorded_by"):
            for row in stage.create:
                row.setdefault("recorded_by_id", user_id)
        created = fastinsert.insert(model, stage.create)
        fastinsert.copy_to_history(model, created, user_id=user_id, reason=CHANGE_REASON)
        if stage.update:
            self._update(model, stage.update, user_id)
        if stage.delete:
            for chunk in chunked(stage.delete, BATCH):
                model.objects.filter(pk__in=chunk).delete()
        return created

    def _update(self, model, changes: dict[int, dict], user_id: int | None) -> None:
        """``bulk_update`` the changed fields, grouped by which fields change, then a history row each."""
        groups: dict[tuple[str, ...], list] = {}
        for pk, values in changes.items():
            groups.setdefault(tuple(sorted(values)), []).append(model(pk=pk, **values))
        for fields, objects in groups.items():
            model.objects.bulk_update(objects, list(fields), batch_size=BATCH)
        fastinsert.copy_to_history(model, list(changes), user_id=user_id, reason=CHANGE_REASON, kind="~")


def _has_field(model, name: str) -> bool:
    return any(f.name == name for f in model._meta.concrete_fields)


def chunked(values: Iterable, size: int) -> Iterator[list]:
    chunk: list = []
    for value in values:
        chunk.append(value)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def lookup_size() -> int:
    """How many values one ``__in`` lookup may carry on this database."""
    limit = getattr(connection.features, "max_query_params", None) or 10000
    return max(100, min(limit - 10, 10000))


def existing(queryset, key: str, values: Iterable, columns: list[str]) -> list[tuple]:
    """``values_list(*columns)`` of the rows of ``queryset`` whose ``key`` is in ``values``, in few queries.

    When the values are many for the size of the table (a first import, a re-import of a whole
    history), the table is read whole and filtered here: one scan instead of dozens of long
    ``IN (...)`` lists that the database and Django both have to work through.
    """
    wanted = set(values)
    if not wanted:
        return []
    if len(wanted) * 4 >= queryset.count():
        position = columns.index(key) if key in columns else None
        rows = queryset.values_list(*columns, key).order_by()
        if position is None:
            return [row[:-1] for row in rows.iterator(chunk_size=20000) if row[-1] in wanted]
        return [row[:-1] for row in rows.iterator(chunk_size=20000) if row[position] in wanted]
    found: list[tuple] = []
    for chunk in chunked(sorted(wanted), lookup_size()):
        found.extend(queryset.filter(**{f"{key}__in": chunk}).values_list(*columns).order_by())
    return found


def text(value) -> str:
    """A frame's null as the model's blank."""
    return "" if value is None else value


# ----------------------------------------------------------------------------------------------
# Young people


def young_people(writer: Writer, header: pl.DataFrame, uasc: pl.DataFrame | None) -> dict[str, int]:
    """Create or update a young person per Header row; returns CHILD -> primary key.

    MOTHER (1/0) and MC_DOB set ``mother`` and ``mother_child_dob``. A blank MOTHER (not asked: a
    boy, a care leaver no longer looked after) leaves what is held as it is; so does a 0 from a year
    that ended before the child the database knows of was born (an older return imported after a
    newer one). The year is ``_mother_year`` where the importer found the answer in another year's
    row (``nwd.returns.importer.latest_mother_answer``), else the row's own.
    """
    today = dates.today()
    ceased: dict[str, dt.date | None] = {}
    still_uasc_on: dict[str, dt.date] = {}  # the end of a year whose DUC said the status went on past it
    if uasc is not None:
        years = uasc.get_column("_year") if "_year" in uasc.columns else pl.Series([None] * uasc.height)
        for (child, duc), year in zip(uasc.select("CHILD", "DUC").iter_rows(), years):
            # A DUC still to come is the 18th birthday the DfE asks for while the status lasts.
            ceased[child] = duc if duc is not None and duc <= today else None
            end = year_bounds(year)[1] if year else None
            if end is not None and (duc is None or duc > end):
                still_uasc_on[child] = end
    incoming: dict[str, dict] = {}
    answered_in: dict[str, str | None] = {}
    year_column = "_mother_year" if "_mother_year" in header.columns else "_year"
    if year_column not in header.columns:
        header = header.with_columns(pl.lit(None, pl.Utf8).alias(year_column))
    for child, sex, dob, ethnic, upn, mother, mc_dob, year in header.select(
            "CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB", year_column).iter_rows():
        values = {"date_of_birth": dob, "sex": SEX_CODES.get(sex, text(sex)), "ethnicity": text(ethnic),
                  "upn": text(upn)}
        if mother is not None:
            values.update(mother=mother == "1", mother_child_dob=mc_dob if mother == "1" else None)
            answered_in[child] = year
        if child in ceased:
            values.update(uasc=True, uasc_ceased=ceased[child])
        incoming[child] = values
    columns = ["pk", "child_id", "date_of_birth", "sex", "ethnicity", "upn", "uasc", "uasc_ceased", "mother",
               "mother_child_dob"]
    stage = Stage(YoungPerson)
    ids: dict[str, int] = {}
    matched = [dict(zip(columns, row)) for row in existing(YoungPerson.objects.all(), "child_id", incoming, columns)]
    ids.update((current["child_id"], current["pk"]) for current in matched)
    # A CHILD that is the former id of a record (a duplicate merged into it) is that record: its rows
    # go to it, and no new child is made. Its Header values are not written over the record's own.
    for former, pk, now in existing(FormerChildId.objects.all(), "child_id",
                                    [child for child in incoming if child not in ids],
                                    ["child_id", "young_person_id", "young_person__child_id"]):
        ids[former] = pk
        writer.merged_into[former] = now
        stage.unchanged += 1
    for current in matched:
        values = incoming[current["child_id"]]
        if values.get("mother") is False and _born_after(current, answered_in.get(current["child_id"])):
            del values["mother"], values["mother_child_dob"]  # the return was made before the birth
        year_end = still_uasc_on.get(current["child_id"])
        if year_end is not None and current["uasc"] and current["uasc_ceased"] is not None \
                and current["uasc_ceased"] > year_end:
            # The year's DUC (the 18th birthday) says only that the status went on past the year; the
            # database knows when it ceased since, which the return could not.
            values["uasc_ceased"] = current["uasc_ceased"]
        changes = {k: v for k, v in values.items() if current[k] != v}
        if changes:
            stage.update[current["pk"]] = changes
        else:
            stage.unchanged += 1
    stage.create = [
        {"child_id": child, "given_name": NEW_GIVEN_NAME, "family_name": child, "uasc": False, "uasc_ceased": None,
         "mother": None, "mother_child_dob": None, **values}
        for child, values in incoming.items() if child not in ids
    ]
    for row, pk in zip(stage.create, writer.apply("young people", stage)):
        ids[row["child_id"]] = pk
    return ids


def _born_after(current: dict, year: str | None) -> bool:
    """Whether the database holds a mother whose child was born after the collection year ``year``."""
    held = current["mother_child_dob"]
    return bool(current["mother"] and held is not None and year and held > year_bounds(year)[1])


# ----------------------------------------------------------------------------------------------
# Episodes and periods of care

EPISODE_COLUMNS = list(EPISODE_FIELDS)  # DECOM, RNE, LS... in the model's order of EPISODE_FIELDS
MODEL_FIELDS = list(EPISODE_FIELDS.values())
CLOSING = ("dec", "rec", "reason_place_change")


def episodes_and_periods(writer: Writer, episodes: pl.DataFrame, ids: dict[str, int]) -> None:
    """Upsert the episodes by child and DECOM, then make each child's periods of care from them."""
    incoming: dict[int, dict[dt.date, dict]] = {}
    frame = episodes.with_columns(pl.col([c for c in EPISODE_COLUMNS if c not in ("DECOM", "DEC")]).fill_null(""))
    for row in frame.select("CHILD", *EPISODE_COLUMNS, "_year").iter_rows():
        values = dict(zip(MODEL_FIELDS, row[1:-1]))
        values["_year"] = row[-1]
        incoming.setdefault(ids[row[0]], {})[values["decom"]] = values
    del frame
    known = [pk for pk in incoming if pk > 0]
    columns = ["pk", "young_person_id", *MODEL_FIELDS, "period_id"]
    stored: dict[int, dict[dt.date, dict]] = {}
    for row in existing(CareEpisode.objects.all(), "young_person_id", known, columns):
        values = dict(zip(columns, row))
        stored.setdefault(values["young_person_id"], {})[values["decom"]] = values

    stage = Stage(CareEpisode)
    merged: dict[int, list[dict]] = {}  # per child, every episode (stored and incoming) by DECOM
    for person, rows in incoming.items():
        mine = stored.get(person)
        if not mine:
            merged[person] = [rows[d] for d in sorted(rows)]
            continue
        combined = dict(mine)  # the held episodes as they are (compared with themselves below: unchanged)
        for decom, values in rows.items():
            current = mine.get(decom)
            ended_later = (current is not None and values["dec"] is None and current["dec"] is not None
                           and values["_year"] and current["dec"] > year_bounds(values["_year"])[1])
            if ended_later:  # the return shows it open on 31 March; it ended after the return's year
                values = {**values, **{k: current[k] for k in CLOSING}}
            if current is not None:
                values = _keep_what_the_year_does_not_record(values, current)
            combined[decom] = {**(current or {}), **values}
        merged[person] = [combined[d] for d in sorted(combined)]

    periods = _periods(writer, merged)
    for person, rows in merged.items():
        for values in rows:
            period = periods[(person, values["period_start"])]
            if "pk" not in values:
                values.update(young_person_id=person, period_id=period, regulated=values["place"] not in UNREGISTERED)
                stage.create.append(values)  # extra keys (_year, period_start) are not columns: left out
                continue
            before = stored[person][values["decom"]]
            changes = {k: values[k] for k in MODEL_FIELDS if before[k] != values[k]}
            if before["period_id"] != period:
                changes["period_id"] = period
            if changes:
                stage.update[values["pk"]] = changes
            else:
                stage.unchanged += 1
    writer.apply("episodes", stage)
    _delete_empty_periods(writer, periods, merged)


def _keep_what_the_year_does_not_record(values: dict, current: dict) -> dict:
    """A blank PLACE_PROVIDER or URN where the row's year records none (Z1 until 2024-25, H5's and
    P2's URN in earlier years: ``nwd.codelists.codes``) says nothing: the held value stays, so that
    re-importing an export, which leaves them blank (``nwd.returns.writer``), changes nothing."""
    if not values["_year"] or values["place"] != current["place"]:
        return values
    start = year_start(values["_year"])
    kept = {}
    if not values["place_provider"] and current["place_provider"] and values["place"] in places_without_provider(start):
        kept["place_provider"] = current["place_provider"]
    if not values["urn"] and current["urn"] and values["place"] in places_without_urn(start):
        kept["urn"] = current["urn"]
    return {**values, **kept} if kept else values


def _periods(writer: Writer, merged: dict[int, list[dict]]) -> dict[tuple[int, dt.date], int]:
    """Periods of care from each child's episodes; (child pk, first day) -> period pk.

    An episode continues the period of the one before when that one ended the same day with REC X1
    (or, where REC is not X1, when this one starts the same day and is not RNE S: a new legal
    status or placement on the day). Anything else starts a new period. A period is reused when the
    database has one for the child starting the same day, so re-importing changes nothing.
    """
    wanted: dict[tuple[int, dt.date], dt.date | None] = {}
    for person, rows in merged.items():
        start = None
        previous = None
        for values in rows:
            continues = (
                previous is not None and previous["dec"] is not None and previous["dec"] == values["decom"]
                and (previous["rec"] == "X1" or values["rne"] != "S")
            )
            if not continues:
                start = values["decom"]
            values["period_start"] = start
            wanted[(person, start)] = values["dec"]
            previous = values
    stage = Stage(CarePeriod)
    found: dict[tuple[int, dt.date], int] = {}
    known = [pk for pk in merged if pk > 0]
    for pk, person, start, end in existing(CarePeriod.objects.all(), "young_person_id", known,
                                           ["pk", "young_person_id", "start", "end"]):
        if (person, start) not in wanted:
            continue  # emptied below, once its episodes have moved
        found[(person, start)] = pk
        if wanted[(person, start)] != end:
            stage.update[pk] = {"end": wanted[(person, start)]}
        else:
            stage.unchanged += 1
    stage.create = [{"young_person_id": p, "start": s, "end": e} for (p, s), e in wanted.items() if (p, s) not in found]
    for row, pk in zip(stage.create, writer.apply("periods of care", stage)):
        found[(row["young_person_id"], row["start"])] = pk
    return found


def _delete_empty_periods(writer: Writer, periods: dict[tuple[int, dt.date], int], merged: dict) -> None:
    """Periods of these children that no episode belongs to any more (the return moved their start)."""
    kept = set(periods.values())
    known = [pk for pk in merged if pk > 0]
    empty = [pk for (pk,) in existing(CarePeriod.objects.all(), "young_person_id", known, ["pk"]) if pk not in kept]
    if empty:
        counts = writer.counts["periods of care"]
        counts.deleted = len(empty)
        if not writer.dry_run:
            for chunk in chunked(empty, BATCH):
                CarePeriod.objects.filter(pk__in=chunk).delete()


# ----------------------------------------------------------------------------------------------
# Missing episodes


def at_noon(day: dt.date | None) -> dt.datetime | None:
    """A 903 date as a time: noon in the council's time zone (docs/ssda903.md says why noon)."""
    if day is None:
        return None
    return dt.datetime.combine(day, dt.time(12), tzinfo=ZoneInfo(settings.TIME_ZONE))


def local_day(moment: dt.datetime | None) -> dt.date | None:
    return None if moment is None else timezone.localtime(moment).date()


def missing_episodes(writer: Writer, missing: pl.DataFrame, ids: dict[str, int]) -> None:
    incoming: dict[tuple[int, dt.date], tuple[str, dt.date | None, str | None]] = {}
    for child, kind, start, end, year in missing.select("CHILD", "MISSING", "MIS_START", "MIS_END",
                                                       "_year").iter_rows():
        incoming[(ids[child], start)] = (kind, end, year)
    stage = Stage(MissingEpisode)
    stored: dict[tuple[int, dt.date], tuple] = {}
    withdrawn: set[tuple[int, dt.date]] = set()
    known = {person for person, _ in incoming if person > 0}
    # Every episode, the withdrawn ones too (the default manager leaves them out): a row of the return
    # that a practitioner withdrew as entered in error must not come back as a new episode.
    for pk, person, started, ended, kind, withdrawn_at in existing(
            MissingEpisode.all_objects.all(), "young_person_id", known,
            ["pk", "young_person_id", "started_at", "ended_at", "kind", "withdrawn_at"]):
        if withdrawn_at is not None:
            withdrawn.add((person, local_day(started)))
        else:
            stored.setdefault((person, local_day(started)), (pk, ended, kind))
    for (person, start), (kind, end, year) in incoming.items():
        current = stored.get((person, start))
        if current is None and (person, start) in withdrawn:
            stage.withdrawn += 1  # withdrawn in nwd: it stays withdrawn, and is not written again
            continue
        if current is None:
            stage.create.append({"young_person_id": person, "kind": kind, "started_at": at_noon(start),
                                 "ended_at": at_noon(end)})
            continue
        pk, ended, stored_kind = current
        changes = {}
        if kind != stored_kind:
            changes["kind"] = kind
        if end is None:
            later = ended is not None and year and local_day(ended) > year_bounds(year)[1]
            if ended is not None and not later:
                changes["ended_at"] = None
        elif local_day(ended) != end:
            changes["ended_at"] = at_noon(end)
        if changes:
            stage.update[pk] = changes
        else:
            stage.unchanged += 1
    writer.apply("missing episodes", stage)


# ----------------------------------------------------------------------------------------------
# Reviews, OC2, OC3: rows keyed by child and a date or a year, with no history kept


def _keyed(writer: Writer, name: str, model, key_field: str, incoming: dict[tuple[int, object], dict]) -> None:
    value_fields = sorted(next(iter(incoming.values()))) if incoming else []
    columns = ["pk", "young_person_id", key_field, *value_fields]
    stage = Stage(model)
    stored: dict[tuple, tuple] = {}
    known = {person for person, _ in incoming if person > 0}
    for row in existing(model.objects.all(), "young_person_id", known, columns):
        stored[(row[1], row[2])] = row
    for key, values in incoming.items():
        current = stored.get(key)
        if current is None:
            values["young_person_id"], values[key_field] = key
            stage.create.append(values)
            continue
        changes = {k: values[k] for k, held in zip(value_fields, current[3:]) if held != values[k]}
        if changes:
            stage.update[current[0]] = changes
        else:
            stage.unchanged += 1
    del stored
    writer.apply(name, stage)


def reviews(writer: Writer, frame: pl.DataFrame, ids: dict[str, int]) -> None:
    incoming = {(ids[c], day): {"review_code": text(code)}
                for c, day, code in frame.select("CHILD", "REVIEW", "REVIEW_CODE").iter_rows()}
    _keyed(writer, "reviews", CareReview, "review_date", incoming)


def _flag(value: str | None) -> bool | None:
    return None if value is None else value == "1"


def annual_outcomes(writer: Writer, frame: pl.DataFrame, ids: dict[str, int]) -> None:
    incoming = {}
    for row in frame.select("CHILD", "_year", "SDQ_SCORE", "SDQ_REASON", *OC2_FLAGS).iter_rows():
        child, year, score, reason, *flags = row
        values = {"sdq_score": None if score is None else int(float(score)), "sdq_reason": text(reason)}
        values.update({name: _flag(v) for name, v in zip(OC2_FLAGS.values(), flags)})
        incoming[(ids[child], year)] = values
    _keyed(writer, "annual outcomes (OC2)", AnnualOutcome, "collection_year", incoming)


def care_leaver_outcomes(writer: Writer, frame: pl.DataFrame, ids: dict[str, int]) -> None:
    incoming = {}
    for child, year, *values in frame.select("CHILD", "_year", *OC3_FIELDS).iter_rows():
        incoming[(ids[child], year)] = {name: text(v) for name, v in zip(OC3_FIELDS.values(), values)}
    _keyed(writer, "care leaver outcomes (OC3)", CareLeaverOutcome, "collection_year", incoming)
