"""A collection year's SSDA903 return from the database: the service's own episodes, ready to submit.

``build_year(year)`` reads what belongs in the year from the database (``nwd.returns.dbframes``),
cuts it with the pure writer's ``tables_for_year`` (which puts SEX and the code lists in the
year's form and shows episodes as they stood on 31 March) and checks it with the pure checker.
``write_year`` writes the CSV files (every cell through ``nwd.exports.escape_cell``);
``export_year`` is the whole thing for a named user: permission ``returns.export_903`` checked,
files written, the export recorded in the audit log (one line for the export, one per child in it,
so "who has seen this young person's record" includes the return).

What goes in (see docs/ssda903.md, "Exporting from the database"):

- Episodes: every CareEpisode open at some time in the year. A hub stay of a looked-after young
  person is a CareEpisode linked to the Stay, so hub stays and placements come out the same way.
- Header: the children with those episodes (and with OC2/OC3 rows of the year). MOTHER and MC_DOB as
  they stood at the end of the year (a girl whose child was born later was not yet a mother), and
  blank for a care leaver with no episode in the year (the DfE's rule 628).
- Missing: those children's missing episodes open in the year *while they were looked after*
  (the DfE's rule 578: the 903 counts looked-after children going missing; the service also records
  young people who are not looked after, and those stay out).
- UASC: those children who are or were unaccompanied asylum-seeking children, unless the status
  ended before the year.
- Reviews of the year, OC2 and OC3 rows of the year: written when the database holds any. A care
  leaver's OC3 row comes from their care leaver's record (``nwd.leavers``: in touch, activity, and
  the accommodation they lived in then) where the record's status was confirmed in the year and a
  17th to 21st birthday falls in it; otherwise from the OC3 row held (an import).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl
from django.core.exceptions import PermissionDenied
from django.db.models import Q

from nwd.access import audit
from nwd.access.models import Action, AuditEvent
from nwd.care.models import AnnualOutcome, CareEpisode, CareLeaverOutcome, CareReview
from nwd.casework.models import YoungPerson
from nwd.codelists.codes import FIRST_YEAR, collection_year_of, sex_for_year, year_bounds, year_start
from nwd.core.dates import today
from nwd.events.models import MissingEpisode
from nwd.leavers.models import CareLeaver
from nwd.returns import dbframes
from nwd.returns.checks import check
from nwd.returns.problems import Problem
from nwd.returns.schema import FILE_COL, FILE_NAMES, ROW_COL, TABLES, YEAR_COL
from nwd.returns.writer import tables_for_year, write_tables

PERMISSION = "returns.export_903"


@dataclass
class YearReturn:
    """A year's return built from the database, checked, not yet written."""

    collection_year: str
    tables: dict[str, pl.DataFrame]
    problems: list[Problem] = field(default_factory=list)
    young_person_ids: list[int] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def counts(self) -> dict[str, int]:
        return {table: frame.height for table, frame in self.tables.items()}


def build_year(collection_year: str) -> YearReturn:
    """Read, cut and check ``collection_year``'s return from the database (nothing written)."""
    first, last = year_bounds(collection_year)
    in_year = CareEpisode.objects.filter(decom__lte=last).filter(Q(dec__isnull=True) | Q(dec__gte=first))
    outcome_people = set(AnnualOutcome.objects.filter(collection_year=collection_year).values_list(
        "young_person_id", flat=True))
    outcome_people |= set(CareLeaverOutcome.objects.filter(collection_year=collection_year).values_list(
        "young_person_id", flat=True))
    from_leavers = care_leaver_oc3(collection_year)
    outcome_people |= set(from_leavers)
    people = YoungPerson.objects.filter(Q(pk__in=in_year.values("young_person_id")) | Q(pk__in=outcome_people))

    episodes = dbframes.episodes(in_year)
    header = _mother_as_at(dbframes.header(people), last)
    missing = _missing_while_looked_after(
        dbframes.missing(MissingEpisode.objects.filter(young_person__in=people.filter(pk__in=in_year.values(
            "young_person_id")), started_at__date__lte=last + dt.timedelta(days=1))),
        dbframes.episodes(CareEpisode.objects.filter(young_person__in=in_year.values("young_person_id"),
                                                     decom__lte=last)),
    )
    tables = tables_for_year(episodes, header, missing, _uasc_as_at(dbframes.uasc(people), last), collection_year)
    _add_outcome_children(tables, header, collection_year)
    extra = {
        "Reviews": dbframes.reviews(CareReview.objects.filter(
            young_person__in=in_year.values("young_person_id"), review_date__range=(first, last))),
        "OC2": dbframes.oc2(AnnualOutcome.objects.filter(collection_year=collection_year)),
        "OC3": _with_care_leavers(dbframes.oc3(CareLeaverOutcome.objects.filter(collection_year=collection_year)),
                                  from_leavers, collection_year),
    }
    for table, frame in extra.items():
        if frame.height:
            tables[table] = _placed(frame.select(TABLES[table]), table, collection_year)
    ids = list(people.values_list("pk", flat=True))
    return YearReturn(collection_year, tables, check(tables, collection_year), ids)


def years_held() -> list[str]:
    """Every collection year in which the database holds an episode open, oldest first."""
    from django.db.models import Max, Min

    span = CareEpisode.objects.aggregate(first=Min("decom"), last=Max("dec"), open_one=Min("pk", filter=Q(
        dec__isnull=True)))
    if span["first"] is None:
        return []
    last = today() if span["open_one"] is not None or span["last"] is None else max(span["last"], span["first"])
    start, end = year_start(collection_year_of(span["first"])), year_start(collection_year_of(last))
    return [f"{y}-{(y + 1) % 100:02d}" for y in range(max(start, FIRST_YEAR), end + 1)]


def write_year(year_return: YearReturn, outdir: Path | str) -> list[Path]:
    """Write the return's CSV files (Header.csv, Episodes.csv...) into ``outdir``."""
    return write_tables(year_return.tables, year_return.collection_year, outdir)


def export_year(collection_year: str, outdir: Path | str, user) -> tuple[YearReturn, list[Path]]:
    """Build, write and audit ``collection_year``'s return for ``user``, who needs ``returns.export_903``.

    Raises PermissionDenied (and writes nothing) when the user may not produce the return.
    """
    if user is None or not user.is_active or not user.has_perm(PERMISSION):
        raise PermissionDenied(PERMISSION)
    year_return = build_year(collection_year)
    files = write_year(year_return, outdir)
    audit_export(user, year_return, f"SSDA903 {collection_year} written to {Path(outdir).resolve()}")
    return year_return, files


def audit_export(user, year_return: YearReturn, detail: str, request=None) -> None:
    """One audit line for the export and one per child in it (as a download of their record).

    ``nwd.access.audit.record_rows`` takes its user from a request; a command has none, so the
    per-child lines are built here the same way, with the user named.
    """
    from django.contrib.contenttypes.models import ContentType

    summary = ", ".join(f"{table} {count}" for table, count in year_return.counts.items())
    note = f"{detail} ({summary})"
    template = audit.record(request, Action.EXPORT, detail=note, user=user)
    content_type = ContentType.objects.get_for_model(YoungPerson)
    shared = {name: getattr(template, name) for name in
              ("user", "username", "ip_address", "user_agent", "method", "path", "at")}
    AuditEvent.objects.bulk_create(
        (AuditEvent(action=Action.EXPORT, detail=note, content_type=content_type, object_id=str(pk),
                    young_person_id=pk, **shared) for pk in year_return.young_person_ids),
        batch_size=2000,
    )


OC3_AGES = range(17, 22)


def care_leaver_oc3(collection_year: str) -> dict[int, tuple[str, dt.date, str, str, str]]:
    """OC3 rows (CHILD, DOB, IN_TOUCH, ACTIV, ACCOM) from the care leaver records, by young person id.

    A care leaver is in the year's OC3 table when a 17th to 21st birthday falls in the year; the
    record's in touch and activity count for the year when they were confirmed in it, and the
    accommodation is where they lived on that day. Not in touch: activity and accommodation "0".
    """
    from nwd.core.dates import birthday

    first, last = year_bounds(collection_year)
    leavers = (CareLeaver.objects.filter(status_on__range=(first, last)).exclude(in_touch="")
               .select_related("young_person").prefetch_related("accommodations"))
    rows: dict[int, tuple[str, dt.date, str, str, str]] = {}
    for leaver in leavers:
        person = leaver.young_person
        if not any(first <= birthday(person.date_of_birth, age) <= last for age in OC3_AGES):
            continue
        confirmed = leaver.status_on or last
        homes = [h for h in leaver.accommodations.all() if h.start <= confirmed]
        home = max(homes, key=lambda h: h.start, default=None)
        in_touch = leaver.in_touch == "YES"
        rows[person.pk] = (person.child_id, person.date_of_birth, leaver.in_touch,
                           (leaver.activity or "0") if in_touch else "0",
                           (home.accommodation if home else "0") if in_touch else "0")
    return rows


def _with_care_leavers(oc3: pl.DataFrame, rows: dict[int, tuple[str, dt.date, str, str, str]],
                       collection_year: str) -> pl.DataFrame:
    """The held OC3 rows, each child with a care leaver's row for the year taking that row instead."""
    if not rows:
        return oc3
    fresh = pl.DataFrame([(*row, collection_year) for row in rows.values()], schema=oc3.schema, orient="row")
    kept = oc3.join(fresh.select("CHILD"), on="CHILD", how="anti")
    return pl.concat([kept, fresh]).sort(["_year", "CHILD"])


def _uasc_as_at(uasc: pl.DataFrame, last: dt.date) -> pl.DataFrame:
    """UASC rows as they stood on the year's last day: a status that ceased after it had not ceased
    then, so DUC is the 18th birthday (the DfE's rule 205B compares it between years)."""
    eighteen = pl.col("DOB").map_elements(dbframes.eighteenth_birthday, return_dtype=pl.Date)
    return uasc.with_columns(pl.when(pl.col("DUC") > last).then(eighteen).otherwise(pl.col("DUC")).alias("DUC"))


def _mother_as_at(header: pl.DataFrame, last: dt.date) -> pl.DataFrame:
    """MOTHER and MC_DOB as they stood on the year's last day: a child born after it is not in the
    year's return (the DfE's rules 625 and 626 compare MC_DOB with the year and the year before)."""
    later = pl.col("MC_DOB") > last
    return header.with_columns(
        pl.when(later).then(pl.lit("0")).otherwise(pl.col("MOTHER")).alias("MOTHER"),
        pl.when(later).then(None).otherwise(pl.col("MC_DOB")).alias("MC_DOB"),
    )


def _missing_while_looked_after(missing: pl.DataFrame, episodes: pl.DataFrame) -> pl.DataFrame:
    """The missing episodes that began while the child was looked after (within an episode of care)."""
    if missing.height == 0:
        return missing
    spans = episodes.select("CHILD", "DECOM", pl.col("DEC").fill_null(dt.date.max).alias("_until"))
    with_row = missing.with_row_index("_m")
    inside = (
        with_row.join(spans, on="CHILD", how="inner")
        .filter((pl.col("MIS_START") >= pl.col("DECOM")) & (pl.col("MIS_START") <= pl.col("_until")))
        .select("_m").unique()
    )
    return with_row.join(inside, on="_m", how="semi").drop("_m")


def _add_outcome_children(tables: dict[str, pl.DataFrame], header: pl.DataFrame, collection_year: str) -> None:
    """Header rows for children in OC2/OC3 of the year but with no episode in it (care leavers)."""
    shown = tables["Header"].select("CHILD")
    others = header.join(shown, on="CHILD", how="anti")
    if others.height == 0:
        return
    others = others.with_columns(
        pl.col("SEX").map_elements(lambda s: sex_for_year(s, collection_year), return_dtype=pl.Utf8),
        # Motherhood is asked of children looked after in the year only (the DfE's rule 628).
        pl.lit(None, pl.Utf8).alias("MOTHER"), pl.lit(None, pl.Date).alias("MC_DOB"))
    combined = pl.concat([tables["Header"].select(TABLES["Header"]), others.select(TABLES["Header"])]).sort("CHILD")
    tables["Header"] = _placed(combined, "Header", collection_year)


def _placed(frame: pl.DataFrame, table: str, collection_year: str) -> pl.DataFrame:
    """``_file``, ``_row`` and ``_year`` as the writer will put the rows, so problems name them."""
    columns = [c for c in TABLES[table] if c in frame.columns]
    return frame.select(columns).with_columns(
        pl.lit(FILE_NAMES[table]).alias(FILE_COL),
        (pl.int_range(pl.len(), dtype=pl.Int64) + 2).alias(ROW_COL),
        pl.lit(collection_year).alias(YEAR_COL),
    )
