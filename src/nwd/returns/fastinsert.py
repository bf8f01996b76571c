"""Inserting many rows fast, with their simple-history rows, on SQLite and PostgreSQL alike.

``bulk_create`` builds a model instance per row and prepares every value through the field API;
for an import of 100,000 episodes (and their periods, children, reviews and history rows) that is
most of the time the import takes. Here rows are plain dicts of field values, turned into
parameters by one converter per column (the backend's own date and time adapters), and written
the fastest way each engine has:

- SQLite: multi-row ``INSERT ... RETURNING id`` statements through the sqlite3 cursor;
- PostgreSQL: ``COPY ... FROM STDIN`` with ids drawn beforehand from the table's sequence (Django's
  psycopg cursor binds parameters on the client, re-parsing a statement of thousands of
  placeholders each time; COPY sends rows as they are, several times faster).

The history rows are copied by the database itself (``INSERT INTO history SELECT ... FROM``), so
they hold exactly what was written. Only what the import needs: concrete fields, an
auto-increment primary key, defaults from the fields (``auto_now_add`` is now). ``save()``,
signals and ``clean()`` are not run, as with ``bulk_create``: the import's checks run before.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from operator import itemgetter

from django.conf import settings
from django.db import connection, models
from django.utils import timezone

DEFAULT_MAX_PARAMS = 32000
MAX_ROWS = 1000  # rows per INSERT statement on SQLite


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
    if connection.vendor == "postgresql":
        return _identity  # psycopg sends dates, aware times, decimals and booleans as they are
    ops = connection.ops
    if isinstance(field, models.DateTimeField):
        return ops.adapt_datetimefield_value
    if isinstance(field, models.DateField):
        return ops.adapt_datefield_value
    if isinstance(field, models.DecimalField):
        return lambda value: ops.adapt_decimalfield_value(value, field.max_digits, field.decimal_places)
    return _identity


def insert(model: type[models.Model], rows: list[dict]) -> list[int]:
    """Insert ``rows`` (dicts of field attnames to Python values) and return their new primary keys, in order.

    Every row must give the same fields (other keys are ignored); the fields they leave out get the
    field's default (now, for ``auto_now``/``auto_now_add``).
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
    adapted = [(i, convert) for i, convert in enumerate(map(_converter, given)) if convert is not _identity]
    tail = tuple(constants)

    def values(row: dict) -> tuple:
        found = values_of(row)
        if adapted:
            found = list(found)
            for i, convert in adapted:
                if found[i] is not None:
                    found[i] = convert(found[i])
            return (*found, *tail)
        return found + tail

    columns = [f.column for f in [*given, *others]]
    if connection.vendor == "postgresql":
        return _copy_postgresql(model, columns, map(values, rows), len(rows))
    return _insert_returning(model, columns, map(values, rows), len(rows))


def _insert_returning(model, columns: list[str], rows: Iterable[tuple], count: int) -> list[int]:
    quote = connection.ops.quote_name
    # Only names from the model's metadata, quoted, go into the SQL; every value is a parameter.
    head = (f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(c) for c in columns)}) "  # noqa: S608
            "VALUES ")
    one = "(" + ", ".join(["?"] * len(columns)) + ")"
    tail = f" RETURNING {quote(model._meta.pk.column)}"
    per_statement = max(1, min(MAX_ROWS, _max_params() // len(columns)))
    rows = list(rows)
    pks: list[int] = []
    with connection.cursor() as cursor:
        raw = cursor.cursor  # the driver's cursor: Django's would rewrite %s to ? by regex on every call
        for start in range(0, count, per_statement):
            batch = rows[start:start + per_statement]
            params = [value for row in batch for value in row]
            pks.extend(r[0] for r in _sqlite_execute(raw, head + ", ".join([one] * len(batch)) + tail, params))
    return pks


def _sqlite_execute(raw, sql: str, params: list) -> list:
    import sqlite3

    return sqlite3.Cursor.execute(raw, sql, params).fetchall()


def _copy_postgresql(model, columns: list[str], rows: Iterable[tuple], count: int) -> list[int]:
    """COPY the rows in, with ids drawn from the table's sequence first (so they are known)."""
    quote = connection.ops.quote_name
    table, pk = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [quote(table), pk])
        sequence = cursor.fetchone()[0]
        cursor.execute("SELECT nextval(%s) FROM generate_series(1, %s)", [sequence, count])
        pks = [r[0] for r in cursor.fetchall()]
        names = ", ".join(quote(c) for c in [pk, *columns])
        with cursor.cursor.copy(f"COPY {quote(table)} ({names}) FROM STDIN") as copy:
            for pk_value, row in zip(pks, rows):
                copy.write_row((pk_value, *row))
    return pks


def copy_to_history(model: type[models.Model], pks: Iterable[int], *, user_id: int | None, reason: str,
                    kind: str = "+") -> int:
    """Write a simple-history row for each of ``pks`` as the table now holds it; returns how many.

    ``kind`` is simple-history's history_type: "+" created, "~" changed. Does nothing for a model
    without history, or when SIMPLE_HISTORY_ENABLED is False.
    """
    history = getattr(model, "history", None)
    pks = list(pks)
    if history is None or not pks or not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        return 0
    historical = history.model
    quote = connection.ops.quote_name
    tracked = [quote(f.column) for f in historical.tracked_fields]
    extra = ["history_date", "history_change_reason", "history_type", "history_user_id"]
    head = (  # names from the models' metadata, quoted; values are parameters
        f"INSERT INTO {quote(historical._meta.db_table)} ({', '.join(tracked + [quote(c) for c in extra])}) "  # noqa: S608
        f"SELECT {', '.join(tracked)}, %s, %s, %s, %s FROM {quote(model._meta.db_table)} "
        f"WHERE {quote(model._meta.pk.column)} "
    )
    stamp = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(head + "= ANY(%s)", [stamp, reason, kind, user_id, pks])
        else:
            for chunk in _chunks(pks, _max_params() - 10):
                cursor.execute(head + "IN (" + ", ".join(["%s"] * len(chunk)) + ")", [stamp, reason, kind, user_id,
                                                                                      *chunk])
    return len(pks)
