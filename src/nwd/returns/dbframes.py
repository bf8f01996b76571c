"""The database's records as 903 frames: the one mapping between model fields and 903 columns.

The exporter builds a year's return from these, the importer compares what it is about to write
with what is there, and the round-trip tests compare an import with the records it came from, so
the mapping (which field is DECOM, how a missing episode's time becomes MIS_START) is written once,
here. Frames have the 903 column names of ``nwd.returns.schema.TABLES`` with dates as ``pl.Date``
and blanks as null, the same as the reader gives, so the pure writer and checker take them as they are.

Reads go through ``values_list`` (no model instances): the exporter reads every episode of a county
at once, and 100,000 model objects would cost more than the rest of the export.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import polars as pl
from django.conf import settings

from nwd.care.models import AnnualOutcome, CareEpisode, CareLeaverOutcome, CareReview
from nwd.casework.models import YoungPerson
from nwd.events.models import MissingEpisode
from nwd.returns.schema import DATE_COLUMNS, TABLES

# CareEpisode field for each Episodes column (CHILD comes from the young person).
EPISODE_FIELDS = {
    "DECOM": "decom",
    "RNE": "rne",
    "LS": "ls",
    "CIN": "cin",
    "PLACE": "place",
    "PLACE_PROVIDER": "place_provider",
    "DEC": "dec",
    "REC": "rec",
    "REASON_PLACE_CHANGE": "reason_place_change",
    "HOME_POST": "home_post",
    "PL_POST": "pl_post",
    "URN": "urn",
}

OC2_FLAGS = {
    "CONVICTED": "convicted",
    "HEALTH_CHECK": "health_check",
    "IMMUNISATIONS": "immunisations",
    "TEETH_CHECK": "teeth_check",
    "HEALTH_ASSESSMENT": "health_assessment",
    "SUBSTANCE_MISUSE": "substance_misuse",
    "INTERVENTION_RECEIVED": "intervention_received",
    "INTERVENTION_OFFERED": "intervention_offered",
}

OC3_FIELDS = {"IN_TOUCH": "in_touch", "ACTIV": "activity", "ACCOM": "accommodation"}


def schema_of(table: str, extra: dict[str, pl.DataType] | None = None) -> dict[str, pl.DataType]:
    """The polars schema of a 903 table as the reader gives it (dates ``pl.Date``, the rest text)."""
    schema = {c: (pl.Date() if c in DATE_COLUMNS else pl.Utf8()) for c in TABLES[table]}
    schema.update(extra or {})
    return schema


def blank_to_none(value):
    """Model text fields hold "" for blank; the frames hold null, as the reader does."""
    return None if value == "" else value


def _frame(rows: Iterable[tuple], table: str, columns: list[str]) -> pl.DataFrame:
    schema = schema_of(table)
    return pl.DataFrame(list(rows), schema={c: schema[c] for c in columns}, orient="row")


def episodes(queryset=None) -> pl.DataFrame:
    """Every CareEpisode in ``queryset`` (default all) as Episodes rows, sorted by CHILD and DECOM."""
    return episode_columns(queryset).select(TABLES["Episodes"]).sort(["CHILD", "DECOM"])


# Young person's fields an episode frame may carry beside CHILD (the forecast wants SEX and DOB).
PERSON_FIELDS = {"SEX": "young_person__sex", "DOB": "young_person__date_of_birth"}


def episode_columns(queryset=None, person: tuple[str, ...] = ()) -> pl.DataFrame:
    """The one reader of care episodes into columns: every CareEpisode in ``queryset`` (default
    all), in the database's order, as ``_row`` (its id), CHILD, the young person's ``person``
    columns (of ``PERSON_FIELDS``) and the Episodes columns of ``EPISODE_FIELDS``; dates as
    ``pl.Date``, blanks null. The exporter (``episodes``) and the forecast
    (``nwd.forecast.from_database``) both read episodes through it.
    """
    queryset = CareEpisode.objects.all() if queryset is None else queryset
    fields = {"_row": "pk", "CHILD": "young_person__child_id", **{c: PERSON_FIELDS[c] for c in person},
              **EPISODE_FIELDS}
    dated = {name for name in fields if name in DATE_COLUMNS}
    rows = queryset.order_by().values_list(*(date_as_read(field) if name in dated else field
                                             for name, field in fields.items()))
    return read_columns(rows, list(fields), dated)


def date_as_read(field: str):
    """A date column as the query should read it: as ISO text on SQLite, where the driver would
    otherwise turn each value into a date one by one (polars parses the column at once)."""
    from django.db import connection
    from django.db.models import CharField
    from django.db.models.functions import Cast

    return Cast(field, CharField()) if connection.vendor == "sqlite" else field


def read_columns(rows, names: list[str], dated: set[str] | frozenset[str] = frozenset()) -> pl.DataFrame:
    """A ``values_list`` query's rows as a frame, built column by column straight from the cursor.

    Why: a county at scale 10 has about 120,000 episodes; model instances would cost more than
    everything else, and even Django's per-value converters a third of the read. The query is
    Django's SQL run on Django's connection. ``_row`` is an integer column, ``dated`` are dates
    (ISO text on SQLite, ``date_as_read``), everything else text with blanks as null.
    """
    from django.core.exceptions import EmptyResultSet
    from django.db import connections

    connection = connections[rows.db]
    try:
        sql, params = rows.query.sql_with_params()
    except EmptyResultSet:  # a query that can match nothing (``.none()``): Django writes no SQL
        fetched = []
    else:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            fetched = cursor.fetchall()
    columns = list(zip(*fetched)) if fetched else [()] * len(names)
    series = []
    for name, values in zip(names, columns):
        if name == "_row":
            series.append(pl.Series(name, values, dtype=pl.Int64))
        elif name in dated:
            if connection.vendor == "sqlite":  # ISO text (date_as_read)
                series.append(pl.Series(name, values, dtype=pl.Utf8).str.to_date("%Y-%m-%d", strict=False))
            else:
                series.append(pl.Series(name, values, dtype=pl.Date))
        else:
            text = pl.Series(name, values, dtype=pl.Utf8)
            series.append(text.set(text == "", None) if len(text) else text)
    return pl.DataFrame(series)


def header(queryset=None) -> pl.DataFrame:
    """Young people as Header rows, as held today. SEX is as stored (1/2, U; the writer puts it in the
    year's codes); MOTHER is 1/0 from ``mother`` (blank when not known), MC_DOB ``mother_child_dob``.
    The exporter shows MOTHER as it stood at the end of each year (``nwd.returns.exporter``).
    """
    queryset = YoungPerson.objects.all() if queryset is None else queryset
    rows = queryset.values_list("child_id", "sex", "date_of_birth", "ethnicity", "upn", "mother",
                                "mother_child_dob").order_by()
    return _frame(
        ((c, blank_to_none(s), d, blank_to_none(e), blank_to_none(u), _flag(m), m_dob)
         for c, s, d, e, u, m, m_dob in rows.iterator(chunk_size=20000)),
        "Header", list(TABLES["Header"]),
    ).sort("CHILD")


def uasc(queryset=None) -> pl.DataFrame:
    """Unaccompanied asylum-seeking children as UASC rows.

    DUC is the date UASC status ceased; for a child whose status has not ceased it is the 18th
    birthday, as the DfE's guidance asks (the status ends then at the latest).
    """
    queryset = YoungPerson.objects.all() if queryset is None else queryset
    rows = queryset.filter(uasc=True).values_list("child_id", "sex", "date_of_birth", "uasc_ceased").order_by()
    return _frame(
        ((c, blank_to_none(s), d, ceased or eighteenth_birthday(d)) for c, s, d, ceased in rows.iterator(
            chunk_size=20000)),
        "UASC", list(TABLES["UASC"]),
    ).sort("CHILD")


def eighteenth_birthday(dob: dt.date) -> dt.date:
    """The 18th birthday; for a 29 February birthday the 28th, which is on or before it however the
    birthday is counted (the DfE's rule 304 wants DUC on or before it)."""
    if (dob.month, dob.day) == (2, 29):
        return dt.date(dob.year + 18, 2, 28)
    return dob.replace(year=dob.year + 18)


def local_dates(values: list[dt.datetime | None]) -> pl.Series:
    """Aware datetimes as the dates they fall on in the council's time zone (settings.TIME_ZONE)."""
    series = pl.Series(values, dtype=pl.Datetime("us", "UTC"))
    return series.dt.convert_time_zone(settings.TIME_ZONE).dt.date()


def missing(queryset=None) -> pl.DataFrame:
    """Missing episodes as Missing rows: MIS_START and MIS_END are the local dates of the times.

    DOB is the young person's (the DfE checks it against the Header).
    """
    queryset = MissingEpisode.objects.all() if queryset is None else queryset
    rows = list(queryset.values_list(
        "young_person__child_id", "young_person__date_of_birth", "kind", "started_at", "ended_at").order_by())
    frame = pl.DataFrame(
        {
            "CHILD": pl.Series([r[0] for r in rows], dtype=pl.Utf8),
            "DOB": pl.Series([r[1] for r in rows], dtype=pl.Date),
            "MISSING": pl.Series([blank_to_none(r[2]) for r in rows], dtype=pl.Utf8),
            "MIS_START": local_dates([r[3] for r in rows]),
            "MIS_END": local_dates([r[4] for r in rows]),
        }
    )
    return frame.sort(["CHILD", "MIS_START"])


def reviews(queryset=None) -> pl.DataFrame:
    queryset = CareReview.objects.all() if queryset is None else queryset
    rows = queryset.values_list("young_person__child_id", "young_person__date_of_birth", "review_date",
                                "review_code").order_by()
    return _frame(((c, d, r, blank_to_none(code)) for c, d, r, code in rows.iterator(chunk_size=20000)),
                  "Reviews", list(TABLES["Reviews"])).sort(["CHILD", "REVIEW"])


def _flag(value: bool | None) -> str | None:
    return None if value is None else ("1" if value else "0")


def oc2(queryset=None) -> pl.DataFrame:
    """Annual outcomes as OC2 rows, with their collection year in ``_year``."""
    queryset = AnnualOutcome.objects.all() if queryset is None else queryset
    rows = queryset.values_list("young_person__child_id", "young_person__date_of_birth", "sdq_score", "sdq_reason",
                                *OC2_FLAGS.values(), "collection_year").order_by()
    out = []
    for child, dob, score, reason, *flags, year in rows.iterator(chunk_size=20000):
        out.append((child, dob, None if score is None else str(score), blank_to_none(reason),
                    *map(_flag, flags), year))
    schema = schema_of("OC2", {"_year": pl.Utf8()})
    return pl.DataFrame(out, schema=schema, orient="row").sort(["_year", "CHILD"])


def oc3(queryset=None) -> pl.DataFrame:
    """Care leaver outcomes as OC3 rows, with their collection year in ``_year``."""
    queryset = CareLeaverOutcome.objects.all() if queryset is None else queryset
    rows = queryset.values_list("young_person__child_id", "young_person__date_of_birth", *OC3_FIELDS.values(),
                                "collection_year").order_by()
    out = [(c, d, *map(blank_to_none, rest), year) for c, d, *rest, year in rows.iterator(chunk_size=20000)]
    schema = schema_of("OC3", {"_year": pl.Utf8()})
    return pl.DataFrame(out, schema=schema, orient="row").sort(["_year", "CHILD"])
