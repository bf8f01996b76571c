"""Inserting many rows fast, with their simple-history rows, on SQLite and PostgreSQL alike.

``bulk_create`` builds a model instance per row and prepares every value through the field API;
for an import of 100,000 episodes (and their periods, children, reviews and history rows) that is
most of the time the import takes. Here rows are plain dicts of field values, turned into SQL
parameters by one converter per column (the database backend's own date, time and decimal
adapters), and written as multi-row ``INSERT ... RETURNING id`` statements, which both engines
run. The history rows are copied by the database itself (``INSERT INTO history SELECT ... FROM``),
so they hold exactly what was written.

Only what the import needs: concrete fields, an auto-increment primary key, defaults taken from the
fields (``auto_now_add`` is now). Model ``save()``, signals and ``clean()`` are not run, as with
``bulk_create``; the import's checks run before (``nwd.returns.checks`` and ``dbfit``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from operator import itemgetter

from django.conf import settings
from django.db import connection, models
from django.utils import timezone

DEFAULT_MAX_PARAMS = 32000  # PostgreSQL's protocol allows 65,535 parameters a statement; keep well below
MAX_ROWS = 1000


def _chunks(values: list, size: int) -> Iterator[list]:
    for start in range(0, len(values), size):
        yield values[start:start + size]


def _max_params() -> int:
    """Parameters one statement may carry. Django says 999 for SQLite, the limit of old builds; the
    library in use says its own (250,000 in SQLite 3.32 and later)."""
    if connection.vendor == "sqlite":
        import sqlite3

        connection.ensure_connection()
        return min(connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER), DEFAULT_MAX_PARAMS)
    found = getattr(connection.features, "max_query_params", None)
    return min(found, DEFAULT_MAX_PARAMS) if found else DEFAULT_MAX_PARAMS


def _identity(value):
    return value


def _converter(field: models.Field) -> Callable:
    """The backend's adapter for the field's values (``_identity`` where the driver takes them as they are)."""
    ops = connection.ops
    if isinstance(field, models.DateTimeField):
        return ops.adapt_datetimefield_value
    if isinstance(field, models.DateField):
        if connection.vendor == "postgresql":
            return _identity  # psycopg sends a date as a date
        return ops.adapt_datefield_value
    if isinstance(field, models.DecimalField):
        return lambda value: ops.adapt_decimalfield_value(value, field.max_digits, field.decimal_places)
    return _identity


def insert(model: type[models.Model], rows: list[dict]) -> list[int]:
    """Insert ``rows`` (dicts of field attnames to Python values) and return their new primary keys, in order.

    Every row must give the same fields; the others get the field's default (now, for
    ``auto_now``/``auto_now_add``), converted once for all rows.
    """
    if not rows:
        return []
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    given = [f for f in fields if f.attname in rows[0]]
    others = [f for f in fields if f.attname not in rows[0]]
    now = timezone.now()
    constants = []
    for f in others:
        value = now if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False) else f.get_default()
        constants.append(None if value is None else _converter(f)(value))
    names = [f.attname for f in given]
    values_of = itemgetter(*names) if len(names) > 1 else (lambda row: (row[names[0]],))
    adapted = [(i, _converter(f)) for i, f in enumerate(given) if _converter(f) is not _identity]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in [*given, *others])
    # Only names from the model's metadata, quoted, go into the SQL; every value is a parameter.
    head = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES "  # noqa: S608
    one = "(" + ", ".join(["%s"] * len(fields)) + ")"
    tail = f" RETURNING {quote(model._meta.pk.column)}"
    per_statement = max(1, min(MAX_ROWS, _max_params() // len(fields)))
    pks: list[int] = []
    with connection.cursor() as cursor:
        execute = _raw_execute(cursor)
        for batch in _chunks(rows, per_statement):
            params: list = []
            for row in batch:
                values = values_of(row)
                if adapted:
                    values = list(values)
                    for i, convert in adapted:
                        if values[i] is not None:
                            values[i] = convert(values[i])
                params.extend(values)
                params.extend(constants)
            pks.extend(r[0] for r in execute(head + ", ".join([one] * len(batch)) + tail, params))
    return pks


def _raw_execute(cursor) -> Callable:
    """Run SQL written with %s placeholders; returns the rows it gives back.

    On SQLite, Django's cursor rewrites every %s to ? with a regular expression on each call, which
    on statements of a thousand rows costs more than running them: here it is a plain replace (the
    SQL holds no other %) and the sqlite3 cursor is called directly.
    """
    if connection.vendor != "sqlite":
        def run(sql: str, params: list) -> list:
            cursor.execute(sql, params)
            return cursor.fetchall()
        return run
    import sqlite3

    raw = cursor.cursor  # Django's SQLiteCursorWrapper, a sqlite3.Cursor

    def run_sqlite(sql: str, params: list) -> list:
        return sqlite3.Cursor.execute(raw, sql.replace("%s", "?"), params).fetchall()
    return run_sqlite


def copy_to_history(model: type[models.Model], pks: Iterable[int], *, user_id: int | None, reason: str,
                    kind: str = "+") -> int:
    """Write a simple-history row for each of ``pks`` as the table now holds it; returns how many.

    ``kind`` is simple-history's history_type: "+" created, "~" changed. Does nothing for a model
    without history, or when SIMPLE_HISTORY_ENABLED is False.
    """
    history = getattr(model, "history", None)
    if history is None or not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        return 0
    historical = history.model
    quote = connection.ops.quote_name
    tracked = [quote(f.column) for f in historical.tracked_fields]
    extra = ["history_date", "history_change_reason", "history_type", "history_user_id"]
    head = (  # names from the models' metadata, quoted; values are parameters
        f"INSERT INTO {quote(historical._meta.db_table)} ({', '.join(tracked + [quote(c) for c in extra])}) "  # noqa: S608
        f"SELECT {', '.join(tracked)}, %s, %s, %s, %s FROM {quote(model._meta.db_table)} "
        f"WHERE {quote(model._meta.pk.column)} IN "
    )
    stamp = connection.ops.adapt_datetimefield_value(timezone.now())
    pks = list(pks)
    written = 0
    with connection.cursor() as cursor:
        for chunk in _chunks(pks, _max_params() - 10):
            cursor.execute(head + "(" + ", ".join(["%s"] * len(chunk)) + ")", [stamp, reason, kind, user_id, *chunk])
            written += len(chunk)
    return written
