"""Querysets of a fixed shape, built and compiled to SQL once a process, then run for any young person.

The young person's page reads some twenty sections and timeline kinds, each a small query about one
young person: ``Model.objects.filter(young_person_id=pk).order_by(...)[:n]``. Django builds the
queryset and compiles its SQL again on every request (about 1 ms of CPU each, more than the
database spends answering it). Their SQL differs only in the young person's id, so each is built
once, with a stand-in id, and compiled once; a request runs that SQL with its own id and makes the
model instances as Django's own ``ModelIterable`` does (``select_related`` included). The SQL and
the rows are the very ones the queryset would give: nothing about a young person is kept between
requests, only the SQL text.

``rows_among`` does the same for a query about a list of ids (search's alerts of its 50 results at
most): compiled once with as many stand-ins as the list may hold, those a request does not fill left
in place (negative ids: they match nothing).

Only for querysets whose SQL depends on nothing but the key and the id: not the user, the date or
a setting (a user's access scope, ``dates.today()``...), which would be compiled once and kept.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import QuerySet
from django.db.models.query import get_related_populators  # type: ignore[attr-defined]
from django.db.models.sql.compiler import SQLCompiler

# The id a queryset is built with, found again in the compiled parameters and replaced by the real
# one. Inside a 32-bit integer's range, so that no lookup treats it as an overflow (Django turns an
# out-of-range ``exact`` into an empty result), and negative: never a primary key.
STAND_IN = -2_087_362_519


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple[Any, ...]
    slots: tuple[int, ...]  # where the stand-in id is in ``params``
    compiler: SQLCompiler | None  # None: the query can give no rows (EmptyResultSet)


_compiled: dict[tuple[Hashable, ...], _Compiled] = {}
_lock = threading.Lock()
# Keys are few: a kind and a number of rows ("Show older" asks for more), and for the queries that
# read a user's scope (the young person's page: the person and the contacts), the reader and the
# day. An entry holds its compiled query, some 30 KB (the person's query ~300 KB): when the store is
# full it is emptied and filled again, so it stays under ~20 MB a process.
MAX_KEPT = 128


def _check(queryset: QuerySet) -> None:
    inner: Any = queryset  # Django's private state, which the stubs do not name
    if inner._prefetch_related_lookups or inner._known_related_objects or inner._iterable_class.__name__ != "ModelIterable":
        raise ValueError("A prepared query yields model instances, with no prefetch and no known related objects.")


def _compile(queryset: QuerySet, using: str) -> _Compiled:
    _check(queryset)
    compiler = queryset.query.get_compiler(using=using)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:
        return _Compiled("", (), (), None)
    slots = tuple(i for i, value in enumerate(params) if value == STAND_IN and isinstance(value, int))
    if not slots or str(STAND_IN) in sql:
        raise ValueError("The prepared query's SQL does not take the young person's id as a parameter.")
    return _Compiled(sql, tuple(params), slots, compiler)


def _stand_ins(size: int) -> list[int]:
    """``size`` distinct stand-in ids (Django drops repeated values from an ``IN`` list)."""
    return [STAND_IN - i for i in range(size)]


def _compile_among(queryset: QuerySet, using: str, size: int) -> _Compiled:
    """As ``_compile``, for a query built with ``_stand_ins(size)``: ``slots`` gives, in order, where
    each stand-in is in the parameters (exactly once each)."""
    _check(queryset)
    compiler = queryset.query.get_compiler(using=using)
    sql, params = compiler.as_sql()
    slots = []
    for stand_in in _stand_ins(size):
        found = [i for i, value in enumerate(params) if value == stand_in and isinstance(value, int)]
        if len(found) != 1 or str(stand_in) in sql:
            raise ValueError("The prepared query's SQL does not take each id once as a parameter.")
        slots.append(found[0])
    return _Compiled(sql, tuple(params), tuple(slots), compiler)


def _kept(cache_key: tuple[Hashable, ...], make: Callable[[], _Compiled]) -> _Compiled:
    compiled = _compiled.get(cache_key)
    if compiled is None:
        compiled = make()
        with _lock:
            if len(_compiled) >= MAX_KEPT:
                _compiled.clear()
            _compiled.setdefault(cache_key, compiled)
    return compiled


def rows(key: Hashable, build: Callable[[int], QuerySet], ident: int, using: str = "default") -> list[Any]:
    """The model instances ``build(ident)`` would give, read with SQL compiled once for ``key``.

    ``build`` must give the same SQL for every ``ident`` but the id itself, whatever the request: the
    key names everything else it depends on (a kind, a number of rows).
    """
    connection = connections[using]
    compiled = _kept((using, connection.vendor, key), lambda: _compile(build(STAND_IN), using))
    if compiled.compiler is None:
        return []
    params = list(compiled.params)
    for slot in compiled.slots:
        params[slot] = ident
    return _made(compiled, params, using)


def rows_among(key: Hashable, build: Callable[[list[int]], QuerySet], ids: list[int], size: int,
               using: str = "default") -> list[Any]:
    """The model instances ``build(ids)`` would give, for at most ``size`` ids, read with SQL compiled
    once for ``key``: ``build`` is given ``size`` stand-in ids, which a request replaces with its own,
    the places left over keeping their stand-ins (negative: no row has one). For a query such as
    ``Model.objects.filter(pk__in=ids)`` whose SQL differs only in the ids and their number.
    """
    ids = list(ids)
    if not ids:
        return []
    if len(ids) > size:
        raise ValueError(f"At most {size} ids.")
    connection = connections[using]
    compiled = _kept((using, connection.vendor, "among", size, key), lambda: _compile_among(build(_stand_ins(size)), using, size))
    params = list(compiled.params)
    for slot, ident in zip(compiled.slots, ids, strict=False):
        params[slot] = ident
    return _made(compiled, params, using)


def _made(compiled: _Compiled, params: list[Any], using: str) -> list[Any]:
    """Run the compiled SQL with ``params`` and make the model instances, as ``ModelIterable`` does."""
    connection = connections[using]
    if compiled.compiler is None:
        return []
    # The compiled state (select, klass_info, converters) is shared read-only; the connection is
    # this thread's own.
    compiler = copy.copy(compiled.compiler)
    compiler.connection = connection
    with connection.cursor() as cursor:
        cursor.execute(compiled.sql, params)
        fetched = cursor.fetchall()
    if compiler.has_extra_select:
        fetched = [row[: compiler.col_count] for row in fetched]
    select, klass_info, annotation_col_map = compiler.select, compiler.klass_info, compiler.annotation_col_map
    model_cls = klass_info["model"]
    select_fields = klass_info["select_fields"]
    start, end = select_fields[0], select_fields[-1] + 1
    init_list = [column[0].target.attname for column in select[start:end]]
    related_populators = get_related_populators(klass_info, select, using)
    made = []
    for row in compiler.results_iter([fetched]):
        obj = model_cls.from_db(using, init_list, row[start:end])
        for populator in related_populators:
            populator.populate(row, obj)
        if annotation_col_map:
            for name, position in annotation_col_map.items():
                setattr(obj, name, row[position])
        made.append(obj)
    return made


def first(key: Hashable, build: Callable[[int], QuerySet], ident: int, using: str = "default") -> Any:
    """The first of ``rows`` (``build`` should cut the queryset at one row), or None."""
    found = rows(key, build, ident, using)
    return found[0] if found else None
