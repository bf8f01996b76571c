"""The lookups every signed-in request makes, compiled to SQL once a process.

Each signed-in page reads its session (by key, not expired) and its second-factor device (by id)
before doing anything of its own. Django builds those querysets and compiles their SQL again on
every request: some 0.2 to 0.3 ms of CPU each, more than the database spends answering them
(docs/performance.md, "The fixed cost of a page"). Their SQL differs only in the request's values,
so each is built once with stand-in values, compiled once, and run with the request's own values;
the rows are made into model instances as Django's ``ModelIterable`` makes them. Only the SQL text
is kept, never a row: a revoked device, an expired or deleted session is read as such at once.

For plain lookups of one model (no ``select_related``, annotations, ``extra`` or deferred fields);
``nwd.casework.prepared`` does the same, and more, for the casework pages' queries (a layer above),
with this module's way of finding the values again in the compiled parameters (``with_stand_ins``,
``fill``): one mechanism, in the lower layer, which access may use too.
"""

from __future__ import annotations

import copy
import datetime as dt
import threading
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from django.db import connections
from django.db.models import QuerySet
from django.db.models.query import ModelIterable
from django.db.models.sql.compiler import SQLCompiler

Value = int | str | dt.datetime | dt.date

# Stand-in whole numbers: negative (never a primary key) and inside a 32-bit integer's range (Django
# turns an out-of-range ``exact`` into an empty result).
STAND_IN = -2_087_362_519

# Where a value goes: (its place in the parameters, which value, whether written as the database's
# parameter rather than as given).
Slot = tuple[int, int, bool]


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple[Any, ...]
    slots: tuple[Slot, ...]
    compiler: SQLCompiler


_compiled: dict[tuple[Hashable, ...], _Compiled] = {}
_lock = threading.Lock()
MAX_KEPT = 64  # a handful of lookups; emptied and filled again if ever full


def _stand_ins(values: tuple[Value, ...], turn: int) -> tuple[Value, ...]:
    """Stand-ins of the same types as ``values``, each its own, and different at each ``turn`` (1, 2)."""
    made: list[Value] = []
    for i, value in enumerate(values):
        if isinstance(value, dt.datetime):
            made.append(dt.datetime(1900 + turn, 3, 5 + i, 7, 11, 13, 171923, tzinfo=dt.UTC))
        elif isinstance(value, dt.date):
            made.append(dt.date(1900 + turn, 3, 5 + i))
        elif isinstance(value, int) and not isinstance(value, bool):
            made.append(STAND_IN - 10 * i - turn)
        elif isinstance(value, str):
            made.append(f"nwd-stand-in-{turn}-{i}")
        else:
            raise ValueError(f"A compiled lookup takes whole numbers, texts, days or times, not {value!r}.")
    return tuple(made)


def _as_parameter(value: Value, connection: Any) -> Any:
    """A day or time as the database's parameter (SQLite: text); anything else as it is."""
    if isinstance(value, dt.datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, dt.date):
        return connection.ops.adapt_datefield_value(value)
    return value


def _written_in(stand_in: Value) -> str:
    """What of a stand-in would show in SQL that had it written in rather than as a parameter."""
    if isinstance(stand_in, dt.date):  # a day or a time: its day, however the time is written
        return stand_in.isoformat()[:10]
    return str(stand_in)


class Compiled(Protocol):
    """What compiling a queryset gives (this module's and ``nwd.casework.prepared``'s): its SQL and parameters."""

    @property
    def sql(self) -> str: ...

    @property
    def params(self) -> tuple[Any, ...]: ...


C = TypeVar("C", bound=Compiled)


def with_stand_ins(build: Callable[..., QuerySet], values: tuple[Value, ...], compile_sql: Callable[[QuerySet], C],
                   connection: Any, *, each_used: bool = True) -> tuple[C, tuple[Slot, ...]]:
    """``build(*values)`` compiled once for any values: what ``compile_sql`` gives for ``build`` given
    stand-ins of ``values``' types, and where each value goes in its parameters (``fill`` puts them there).

    Built twice, with different stand-ins: SQL that changes with the values is refused (compile it
    for each), as is a parameter that changes otherwise than as one of the values (one worked out
    from a value in ``build``), and SQL with a value written into it. ``each_used``: refuse a value
    that is not a parameter at all.
    """
    first, second = _stand_ins(values, 1), _stand_ins(values, 2)
    compiled = compile_sql(build(*first))
    again = compile_sql(build(*second))
    if compiled.sql != again.sql or len(compiled.params) != len(again.params):
        raise ValueError("A compiled lookup's SQL depends on its values: compile it for each.")
    slots = []
    for slot, (one, other) in enumerate(zip(compiled.params, again.params, strict=True)):
        if one == other:
            continue
        found = [(i, written) for i in range(len(values)) for written in (False, True)
                 if one == (_as_parameter(first[i], connection) if written else first[i])
                 and other == (_as_parameter(second[i], connection) if written else second[i])]
        if not found:
            raise ValueError("A compiled lookup's parameter depends on a value other than as given: "
                             "pass the value itself.")
        index, written = found[0]
        slots.append((slot, index, written))
    # (Empty SQL: a query Django knows gives no rows, which takes no values.)
    if each_used and compiled.sql and sorted({index for _, index, _ in slots}) != list(range(len(values))):
        raise ValueError("A compiled lookup does not take each of its values as a parameter.")
    if any(_written_in(stand_in) in compiled.sql for stand_in in first):
        raise ValueError("A compiled lookup's SQL has a value written into it.")
    return compiled, tuple(slots)


def fill(params: tuple[Any, ...], slots: tuple[Slot, ...], values: tuple[Value, ...], connection: Any) -> list[Any]:
    """``params`` (compiled with stand-ins by ``with_stand_ins``) with ``values`` in their ``slots``."""
    filled = list(params)
    for slot, index, written in slots:
        filled[slot] = _as_parameter(values[index], connection) if written else values[index]
    return filled


def _sql(queryset: QuerySet, using: str) -> _Compiled:
    inner: Any = queryset  # Django's private state, which the stubs do not name
    query = inner.query
    if (inner._prefetch_related_lookups or inner._known_related_objects or inner._iterable_class is not ModelIterable
            or query.select_related or query.annotation_select or query.extra_select or query.deferred_loading[0]):
        raise ValueError("A compiled lookup reads whole rows of one model: no select_related, annotations, "
                         "extra, deferred fields or prefetch.")
    compiler = query.get_compiler(using=using)
    sql, params = compiler.as_sql()
    return _Compiled(sql, tuple(params), (), compiler)


def _compile(build: Callable[..., QuerySet], values: tuple[Value, ...], using: str) -> _Compiled:
    """``build`` compiled with stand-ins for ``values``, and where each value goes in the parameters."""
    compiled, slots = with_stand_ins(build, values, lambda queryset: _sql(queryset, using), connections[using])
    return _Compiled(compiled.sql, compiled.params, slots, compiled.compiler)


class _Bound:
    """A compiled lookup made ready for one connection (each thread has its own): its compiler, with
    the columns' converters and the model's attribute names worked out once."""

    def __init__(self, compiled: _Compiled, connection: Any, using: str) -> None:
        compiler: Any = copy.copy(compiled.compiler)  # the compiled state is shared read-only
        compiler.connection = connection
        self.connection = connection
        self.compiler = compiler
        columns = [column[0] for column in compiler.select[0: compiler.col_count]]
        self.converters = compiler.get_converters(columns)
        self.model = compiler.klass_info["model"]
        self.attnames = [column.target.attname for column in columns]


_bound = threading.local()


def rows_with(key: Hashable, build: Callable[..., QuerySet], values: tuple[Value, ...],
              using: str = "default") -> list[Any]:
    """The model instances ``build(*values)`` would give, read with SQL compiled once for ``key``.

    ``build`` must give the same SQL whatever the values (whole numbers, texts, days, times) and use
    each as given; ``key`` names anything else its SQL depends on.
    """
    connection = connections[using]
    cache_key = (using, connection.vendor, key, tuple(type(value) for value in values))
    compiled = _compiled.get(cache_key)
    if compiled is None:
        compiled = _compile(build, values, using)
        with _lock:
            if len(_compiled) >= MAX_KEPT:
                _compiled.clear()
            compiled = _compiled.setdefault(cache_key, compiled)
    kept: dict[int, _Bound] | None = getattr(_bound, "kept", None)
    if kept is None or len(kept) >= MAX_KEPT:
        kept = _bound.kept = {}
    bound = kept.get(id(compiled))
    if bound is None or bound.connection is not connection or bound.compiler.query is not compiled.compiler.query:
        bound = kept[id(compiled)] = _Bound(compiled, connection, using)
    params = fill(compiled.params, compiled.slots, values, connection)
    with connection.cursor() as cursor:
        cursor.execute(compiled.sql, params)
        fetched = cursor.fetchall()
    rows: Any = fetched
    if bound.converters:
        rows = bound.compiler.apply_converters(rows, bound.converters)
    return [bound.model.from_db(using, bound.attnames, row) for row in rows]
