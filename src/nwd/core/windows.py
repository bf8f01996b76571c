"""Time windows written so that PostgreSQL can plan a prepared query once.

The service has psycopg prepare the queries a connection repeats (``nwd.settings``,
docs/decisions/0011-prepared-statements.md). PostgreSQL then plans a statement once for any values
(a generic plan), unless that plan looks costlier than the ones made for the values of each call, in
which case it plans afresh on every call (``nwd.casework.queries.planning`` says the same of a
status). A window bound as a parameter (``occurred_at >= $1``, "the last 90 days") is such a case:
the generic plan cannot know how far back ``$1`` is, guesses a third of the table (and would join
whole tables by hashing), so the statement is planned on every request, some 0.5 ms of the
database's CPU each.

``not_before`` adds the window's start rounded down to its day, as a constant: the rows are the same
(the parameter's condition is the stricter), and the generic plan estimates the window from the
column's statistics as a custom plan would, so PostgreSQL keeps it. The constant changes once a day:
a query compiled once a process (``nwd.casework.prepared``) puts the bound in its key.
"""

from __future__ import annotations

import datetime as dt

from django.db import connections
from django.db.models import DateField, DateTimeField, Field, Q
from django.db.models.expressions import RawSQL


def day_floor(moment: dt.datetime | dt.date) -> dt.datetime | dt.date:
    """The bound ``not_before`` writes for a window that starts at ``moment``: the midnight (UTC)
    that begins ``moment``'s day, never after it; a day is its own bound. The same for a whole day."""
    if not isinstance(moment, dt.datetime):
        return moment
    if moment.tzinfo is None:
        raise ValueError(f"a naive moment: {moment!r}")
    return dt.datetime.combine(moment.astimezone(dt.UTC).date(), dt.time.min, tzinfo=dt.UTC)


def not_before(field: str, bound: dt.datetime | dt.date, or_null: bool = False, using: str = "default") -> Q:
    """``field >= bound`` with ``bound`` (a ``day_floor``) written into the SQL as a constant, for a
    query that also compares ``field`` with a parameter never earlier than ``bound``: it changes no
    row, it only tells the plan how far back the window goes. ``or_null``: ``field IS NULL OR ...``,
    for a condition that lets an empty ``field`` through too (a stay not yet discharged).

    An empty condition on other databases than PostgreSQL (SQLite plans every statement anyway): to
    be given to ``filter`` alone, never combined with ``|``, where it would vanish.
    """
    if connections[using].vendor != "postgresql":
        return Q()
    output: Field
    if isinstance(bound, dt.datetime):
        if bound.tzinfo is None:
            raise ValueError(f"a naive bound: {bound!r}")
        literal, output = f"'{bound.astimezone(dt.UTC).isoformat()}'::timestamptz", DateTimeField()
    else:
        literal, output = f"'{bound.isoformat()}'::date", DateField()
    # An ISO date or time made here from a date or datetime: no text from anyone.
    condition = Q(**{f"{field}__gte": RawSQL(literal, (), output_field=output)})  # noqa: S611
    return Q(**{f"{field}__isnull": True}) | condition if or_null else condition
