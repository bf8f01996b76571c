"""Querysets of a fixed shape, built and compiled to SQL once a process, then run for any young person.

The young person's page reads some twenty sections and timeline kinds, each a small query about one
young person: ``Model.objects.filter(young_person_id=pk).order_by(...)[:n]``. Django builds the
queryset and compiles its SQL again on every request (about 1 ms of CPU each, more than the
database spends answering it). Their SQL differs only in the young person's id, so each is built
once, with a stand-in id, and compiled once; a request runs that SQL with its own id and makes the
model instances as Django's own ``ModelIterable`` does (``select_related`` included). The SQL and
the rows are the very ones the queryset would give: nothing about a young person is kept between
requests, only the SQL text.

Only for querysets whose SQL depends on nothing but the key and the id: not the user, the date or
a setting (a user's access scope, ``dates.today()``...), which would be compiled once and kept.
(What a query does depend on goes in its key: a number of rows, the day, the reader.)

``rows`` gives model instances; ``dicts`` the dictionaries of a ``values(...)`` queryset.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable, Hashable, Iterator
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import QuerySet
from django.db.models.query import ModelIterable, ValuesIterable, get_related_populators  # type: ignore[attr-defined]
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


def _compile(queryset: QuerySet, using: str, iterable: type) -> _Compiled:
    inner: Any = queryset  # Django's private state, which the stubs do not name
    if inner._prefetch_related_lookups or inner._known_related_objects or inner._iterable_class is not iterable:
        raise ValueError(f"A prepared query yields what {iterable.__name__} does, with no prefetch and no known "
                         "related objects.")
    compiler = queryset.query.get_compiler(using=using)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:
        return _Compiled("", (), (), None)
    slots = tuple(i for i, value in enumerate(params) if value == STAND_IN and isinstance(value, int))
    if not slots or str(STAND_IN) in sql:
        raise ValueError("The prepared query's SQL does not take the young person's id as a parameter.")
    return _Compiled(sql, tuple(params), slots, compiler)


class _Bound:
    """A compiled query made ready for one connection (a thread's own): its compiler, and what reading
    its rows needs, worked out once a connection rather than once a run (Django's ``results_iter``
    asks every column for its converters on each run: ~1 ms a page of twenty queries)."""

    def __init__(self, compiled: _Compiled, connection: Any, using: str) -> None:
        # The compiled state (select, klass_info, converters) is shared read-only; the connection,
        # which the converters are given, is this thread's own.
        compiler: Any = copy.copy(compiled.compiler)  # Django's private state, which the stubs do not name
        compiler.connection = connection
        self.connection = connection
        self.compiler: Any = compiler
        fields = [column[0] for column in compiler.select[0 : compiler.col_count]]
        self.converters = compiler.get_converters(fields)
        self.composite = compiler.has_composite_fields(fields)
        self._using = using
        self._models: tuple[Any, ...] | None = None

    def rows(self, fetched: list[Any]) -> Iterator[Any]:
        """As ``compiler.results_iter([fetched])``, with the converters worked out once."""
        compiler = self.compiler
        if compiler.has_extra_select:
            fetched = [row[: compiler.col_count] for row in fetched]
        made: Iterator[Any] = iter(fetched)
        if self.converters:
            made = compiler.apply_converters(made, self.converters)
        if self.composite:
            fields = [column[0] for column in compiler.select[0 : compiler.col_count]]
            made = compiler.composite_fields_to_tuples(made, fields)
        return made

    def models(self) -> tuple[Any, ...]:
        """What ``ModelIterable`` makes instances with: the model, the slice of its columns, their
        attribute names, the related populators (``select_related``) and the annotations."""
        if self._models is None:
            compiler = self.compiler
            select, klass_info = compiler.select, compiler.klass_info
            select_fields = klass_info["select_fields"]
            start, end = select_fields[0], select_fields[-1] + 1
            init_list = [column[0].target.attname for column in select[start:end]]
            self._models = (klass_info["model"], start, end, init_list,
                            get_related_populators(klass_info, select, self._using), compiler.annotation_col_map)
        return self._models


# Each thread's compiled queries bound to its connection (Django's connections are per thread).
_bound = threading.local()


def _run(key: Hashable, build: Callable[[int], QuerySet], ident: int, using: str,
         iterable: type) -> tuple[_Bound, list[Any]] | None:
    """Run the SQL compiled once for ``key`` with ``ident``: the query bound to this thread's connection
    and the rows fetched (None when the query can give no rows)."""
    connection = connections[using]
    cache_key = (using, connection.vendor, iterable.__name__, key)
    compiled = _compiled.get(cache_key)
    if compiled is None:
        compiled = _compile(build(STAND_IN), using, iterable)
        with _lock:
            if len(_compiled) >= MAX_KEPT:
                _compiled.clear()
            _compiled.setdefault(cache_key, compiled)
    if compiled.compiler is None:
        return None
    kept: dict[tuple[Hashable, ...], _Bound] | None = getattr(_bound, "kept", None)
    if kept is None or len(kept) >= MAX_KEPT:
        kept = _bound.kept = {}
    bound = kept.get(cache_key)
    if bound is None or bound.connection is not connection or bound.compiler.query is not compiled.compiler.query:
        bound = kept[cache_key] = _Bound(compiled, connection, using)
    params = list(compiled.params)
    for slot in compiled.slots:
        params[slot] = ident
    with connection.cursor() as cursor:
        cursor.execute(compiled.sql, params)
        fetched = cursor.fetchall()
    return bound, fetched


def rows(key: Hashable, build: Callable[[int], QuerySet], ident: int, using: str = "default") -> list[Any]:
    """The model instances ``build(ident)`` would give, read with SQL compiled once for ``key``.

    ``build`` must give the same SQL for every ``ident`` but the id itself, whatever the request: the
    key names everything else it depends on (a kind, a number of rows).
    """
    ran = _run(key, build, ident, using, ModelIterable)
    if ran is None:
        return []
    bound, fetched = ran
    model_cls, start, end, init_list, related_populators, annotation_col_map = bound.models()
    made = []
    for row in bound.rows(fetched):
        obj = model_cls.from_db(using, init_list, row[start:end])
        for populator in related_populators:
            populator.populate(row, obj)
        if annotation_col_map:
            for name, position in annotation_col_map.items():
                setattr(obj, name, row[position])
        made.append(obj)
    return made


def dicts(key: Hashable, build: Callable[[int], QuerySet], ident: int, using: str = "default") -> list[dict[str, Any]]:
    """The dictionaries ``build(ident)`` (a ``values(...)`` queryset) would give, read with SQL compiled
    once for ``key`` (as ``rows``)."""
    ran = _run(key, build, ident, using, ValuesIterable)
    if ran is None:
        return []
    bound, fetched = ran
    query: Any = bound.compiler.query
    # As Django's ``ValuesIterable`` names the columns.
    names = list(query.selected) if query.selected else [*query.extra_select, *query.values_select,
                                                         *query.annotation_select]
    return [dict(zip(names, row)) for row in bound.rows(fetched)]


def first(key: Hashable, build: Callable[[int], QuerySet], ident: int, using: str = "default") -> Any:
    """The first of ``rows`` (``build`` should cut the queryset at one row), or None."""
    found = rows(key, build, ident, using)
    return found[0] if found else None
