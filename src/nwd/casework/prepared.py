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

``rows_among`` does the same for a query about a list of ids (search's alerts of its 50 results at
most): compiled once with as many stand-ins as the list may hold, those a request does not fill left
in place (negative ids: they match nothing).

(What a query does depend on goes in its key: a number of rows, the day, the reader.) ``rows`` gives
model instances; ``dicts`` (and ``kept_dicts``) the dictionaries of a ``values(...)`` queryset; ``rows_since``
also takes a moment of the request (``timezone.now()`` less a window) as a parameter (found again in
the compiled parameters as ``nwd.core.lookups`` finds a lookup's values, the same for ``kept_at``); ``together`` runs
several ``rows`` queries (and ``Values``: ``dicts`` queries) in one round trip (the young person's page's sections,
timeline, placements' flags and header).

The model instances are those ``ModelIterable`` makes, made without ``Model.__init__`` where nothing
would tell the difference (``_instance``: no signal receiver, no ``from_db`` or ``__init__`` of the
model's own, no column behind a data descriptor).

``kept`` does the same for querysets about no one young person (a manager's lists, the referral
queue): built and compiled once for a key that names everything their SQL *and* parameters depend
on (what the user's access scope depends on, the day, the time zone), run again as compiled.
``ahead`` sends several ``kept`` and ``kept_at`` reads of different modules in one round trip,
which those modules' own calls then take (a manager's home: the queue and the children's home alerts).
"""

from __future__ import annotations

import copy
import datetime as dt
import inspect
import threading
from collections.abc import Callable, Hashable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.core.exceptions import EmptyResultSet
from django.db import NotSupportedError, connections
from django.db.models import Model, QuerySet
from django.db.models.base import ModelState
from django.db.models.fields.related_descriptors import ForeignKeyDeferredAttribute
from django.db.models.query import ModelIterable, ValuesIterable, get_related_populators  # type: ignore[attr-defined]
from django.db.models.signals import post_init, pre_init
from django.db.models.sql.compiler import SQLCompiler

from nwd.core import lookups, stale_plans

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
# ``kept``'s own store (so that many users' lists do not empty the young person's page's): a few
# queries a user (a hub manager's home keeps five), for as many users as are at work in a day.
_kept: dict[tuple[Hashable, ...], _Compiled] = {}
MAX_KEPT_LISTS = 256


def _check(queryset: QuerySet, iterable: type = ModelIterable) -> None:
    inner: Any = queryset  # Django's private state, which the stubs do not name
    if inner._prefetch_related_lookups or inner._known_related_objects or inner._iterable_class is not iterable:
        raise ValueError(f"A prepared query yields what {iterable.__name__} does, with no prefetch and no known "
                         "related objects.")


def _compile(queryset: QuerySet, using: str, iterable: type = ModelIterable, stand_in: bool = True) -> _Compiled:
    _check(queryset, iterable)
    compiler = queryset.query.get_compiler(using=using)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:
        return _Compiled("", (), (), None)
    if not stand_in:
        return _Compiled(sql, tuple(params), (), compiler)
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


# Each thread's compiled queries bound to its connection (Django's connections are per thread),
# by the compiled query's identity (a store emptied and filled again makes new ones).
_bound = threading.local()


def _stored(store: dict[tuple[Hashable, ...], _Compiled], most: int, key: Hashable, make: Callable[[], _Compiled],
            using: str) -> _Compiled:
    """The compiled query of ``key`` for this database in ``store``, compiled now by ``make`` if it
    is not there (a full store, ``most`` entries, is emptied first)."""
    cache_key = (using, connections[using].vendor, key)
    compiled = store.get(cache_key)
    if compiled is None:
        compiled = make()
        with _lock:
            if len(store) >= most:
                store.clear()
            store.setdefault(cache_key, compiled)
    return compiled


def _bind(compiled: _Compiled, connection: Any, using: str) -> _Bound:
    """``compiled`` bound to this thread's connection (once a connection)."""
    assert compiled.compiler is not None
    kept: dict[int, _Bound] | None = getattr(_bound, "kept", None)
    if kept is None or len(kept) >= MAX_KEPT + 2 * MAX_KEPT_LISTS:  # as many as the three stores hold
        kept = _bound.kept = {}
    bound = kept.get(id(compiled))
    if bound is None or bound.connection is not connection or bound.compiler.query is not compiled.compiler.query:
        bound = kept[id(compiled)] = _Bound(compiled, connection, using)
    return bound


def _run(compiled: _Compiled, params: list[Any], using: str) -> tuple[_Bound, list[Any]]:
    """Run ``compiled``'s SQL with ``params``: the query bound to this thread's connection, and the rows
    (those ``ahead`` read already for the same statement, when it did)."""
    connection = connections[using]
    bound = _bind(compiled, connection, using)
    waiting: dict[tuple[Any, ...], list[Any]] | None = getattr(_read_ahead, "rows", None)
    if waiting:
        fetched = waiting.pop(_statement_key(using, compiled.sql, params), None)
        if fetched is not None:
            return bound, fetched
    with connection.cursor() as cursor:
        cursor.execute(compiled.sql, params)
        fetched = cursor.fetchall()
    return bound, fetched


def _with_ident(compiled: _Compiled, ident: int) -> list[Any]:
    params = list(compiled.params)
    for slot in compiled.slots:
        params[slot] = ident
    return params


def _made(bound: _Bound, fetched: list[Any], using: str) -> list[Any]:
    """The model instances of ``fetched``, made as ``ModelIterable`` makes them (``_instance``, the
    same instances made more cheaply, where the model allows)."""
    if not fetched:
        return []
    model_cls, start, end, init_list, related_populators, annotation_col_map = bound.models()
    plain = _plainness(model_cls, related_populators)
    made = []
    for row in bound.rows(fetched):
        if plain[model_cls]:
            obj = _instance(model_cls, using, init_list, row[start:end])
        else:
            obj = model_cls.from_db(using, init_list, row[start:end])
        for populator in related_populators:
            _populate(populator, row, obj, plain)
        if annotation_col_map:
            for name, position in annotation_col_map.items():
                setattr(obj, name, row[position])
        made.append(obj)
    return made


# Whether each model's instances may be made by ``_instance`` (what of it does not change at run time).
_plain_models: dict[type, bool] = {}


def _is_plain(model: Any) -> bool:
    """Whether an instance of ``model`` read from the database is made as well by ``_instance`` as
    by ``Model.from_db``: no ``from_db`` or ``__init__`` of its own, no ``pre_init`` or ``post_init``
    receiver (asked each time: one may be connected later), and no column whose attribute is a data
    descriptor other than a foreign key's id (whose ``__set__``, on a new instance with nothing
    cached, only sets the value)."""
    plain = _plain_models.get(model)
    if plain is None:
        plain = _plain_models[model] = (
            inspect.getattr_static(model, "from_db") is inspect.getattr_static(Model, "from_db")
            and inspect.getattr_static(model, "__init__") is inspect.getattr_static(Model, "__init__")
            and all(_plain_attribute(model, field.attname) for field in model._meta.concrete_fields)
        )
    return plain and not pre_init.has_listeners(model) and not post_init.has_listeners(model)


def _plainness(model: Any, populators: Sequence[Any]) -> dict[Any, bool]:
    """``_is_plain`` of the query's model and of each ``select_related`` one, asked once a query
    rather than once a row."""
    plain = {model: _is_plain(model)}
    for populator in populators:
        plain.update(_plainness(populator.model_cls, populator.related_populators))
    return plain


def _plain_attribute(model: type, name: str) -> bool:
    attribute = inspect.getattr_static(model, name, None)
    return isinstance(attribute, ForeignKeyDeferredAttribute) or not hasattr(type(attribute), "__set__")


def _instance(model: Any, using: str, attnames: Sequence[str], values: Sequence[Any]) -> Any:
    """What ``model.from_db(using, attnames, values)`` gives, for a model ``_is_plain`` allows: an
    instance whose columns' attributes are the values (those not read left out: deferred), not
    added, of ``using``. ``from_db`` goes through ``__init__``, which sends two signals and sets each
    column through ``setattr``: ~150 instances a young person's page."""
    obj = model.__new__(model)
    state = obj._state = ModelState()
    state.adding = False
    state.db = using
    obj.__dict__.update(zip(attnames, values, strict=True))
    return obj


def _populate(populator: Any, row: Sequence[Any], from_obj: Any, plain: dict[Any, bool]) -> None:
    """Django's ``RelatedPopulator.populate`` (a ``select_related`` object), its instances made by
    ``_instance`` where the model allows (``plain``: ``_plainness``)."""
    model = populator.model_cls
    if not plain[model]:
        populator.populate(row, from_obj)
        return
    if populator.reorder_for_init:
        values = populator.reorder_for_init(row)
    else:
        values = row[populator.cols_start : populator.cols_end]
    if values[populator.pk_idx] is None:
        obj = None
    else:
        obj = _instance(model, populator.db, populator.init_list, values)
        for inner in populator.related_populators:
            _populate(inner, row, obj, plain)
    populator.local_setter(from_obj, obj)
    if obj is not None:
        populator.remote_setter(obj, from_obj)


def _read(compiled: _Compiled, params: list[Any], using: str) -> list[Any]:
    """Run ``compiled``'s SQL with ``params`` and make its model instances as ``ModelIterable`` does."""
    bound, fetched = _run(compiled, params, using)
    return _made(bound, fetched, using)


def rows(key: Hashable, build: Callable[[int], QuerySet], ident: int, using: str = "default") -> list[Any]:
    """The model instances ``build(ident)`` would give, read with SQL compiled once for ``key``.

    ``build`` must give the same SQL for every ``ident`` but the id itself, whatever the request: the
    key names everything else it depends on (a kind, a number of rows).
    """
    compiled = _stored(_compiled, MAX_KEPT, ("rows", key), lambda: _compile(build(STAND_IN), using), using)
    if compiled.compiler is None:
        return []
    return _read(compiled, _with_ident(compiled, ident), using)


# A query of ``together``: its key, how to build it for an id, and the id.
Query = tuple[Hashable, Callable[[int], QuerySet], int]


class Values(NamedTuple):
    """A query of ``together`` whose rows are the dictionaries of a ``values(...)`` queryset (as
    ``dicts`` gives them, compiled once under the same key) rather than model instances: a section
    that shows only columns (the placements' flags) goes in the same round trip as the rest."""

    key: Hashable
    build: Callable[[int], QuerySet]
    ident: int


def together(queries: Sequence[Query], using: str = "default") -> list[list[Any]]:
    """``rows(key, build, ident)`` of each of ``queries`` (``dicts(key, build, ident)`` of each
    ``Values``), in order, the statements sent together.

    On PostgreSQL they go in one round trip (psycopg's pipeline mode: every statement is sent before
    the first answer is read) rather than one each: the young person's page's sections and timeline
    (some twenty queries) cost the application and the database a wait and a wake-up each, ~1.5 ms
    of CPU a page in all (docs/performance.md, "Seventh round"). They are the same statements, each
    with its own parameters (server-side binding sees as many ordinary statements), counted and
    logged by Django's cursors as before where queries are counted or logged (otherwise run on
    psycopg's cursors, which cost less: ``_pipelined``). Elsewhere (SQLite, a libpq without
    pipelines), one after the other.
    """
    connection = connections[using]
    compiled = [_compiled_of(query, using) for query in queries]
    statements = [(entry, _with_ident(entry, ident)) for entry, (_, _, ident) in zip(compiled, queries, strict=True)
                  if entry.compiler is not None]
    fetched = iter(_fetch_together([(entry.sql, params) for entry, params in statements], connection))
    results: list[list[Any]] = []
    for entry, query in zip(compiled, queries, strict=True):
        if entry.compiler is None:
            results.append([])
        elif isinstance(query, Values):
            results.append(_named(_bind(entry, connection, using), next(fetched)))
        else:
            results.append(_made(_bind(entry, connection, using), next(fetched), using))
    return results


def _compiled_of(query: Query, using: str) -> _Compiled:
    """``query`` compiled once, in the store ``rows`` (or, for a ``Values``, ``dicts``) keeps it in."""
    key, build, _ = query
    iterable = ValuesIterable if isinstance(query, Values) else ModelIterable
    return _stored(_compiled, MAX_KEPT, ("dicts" if iterable is ValuesIterable else "rows", key),
                   lambda: _compile(build(STAND_IN), using, iterable), using)


def _pipelines() -> bool:
    import psycopg

    return bool(psycopg.Pipeline.is_supported())


def _fetch_together(statements: list[tuple[str, list[Any]]], connection: Any) -> list[list[Any]]:
    """The rows of each statement, sent in one pipeline where the database has one."""
    if connection.vendor != "postgresql" or len(statements) < 2 or not _pipelines():
        results = []
        for sql, params in statements:
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                results.append(cursor.fetchall())
        return results
    connection.ensure_connection()
    if connection.queries_logged or any(wrapper is not stale_plans.forget_stale_plans
                                        for wrapper in connection.execute_wrappers):
        return _through_django(statements, connection)
    connection.validate_no_broken_transaction()
    try:
        with connection.wrap_database_errors:
            return _pipelined(statements, connection)
    except NotSupportedError as error:
        if not stale_plans.forgets(error, connection):
            raise
    with connection.wrap_database_errors:
        return _pipelined(statements, connection)


def _through_django(statements: list[tuple[str, list[Any]]], connection: Any) -> list[list[Any]]:
    """``_fetch_together``'s pipeline through Django's cursors: each statement seen by the connection's
    execute wrappers (a test's, a profiler's) and logged where queries are (DEBUG, a test counting them)."""
    return _in_pipeline(statements, connection, connection.cursor)


def _pipelined(statements: list[tuple[str, list[Any]]], connection: Any) -> list[list[Any]]:
    """``_fetch_together``'s pipeline on psycopg's own cursors, as Django makes them
    (``create_cursor``: the connection's time zone), where nothing would see the difference: no query
    is logged and no execute wrapper but ``nwd.core.stale_plans``' (whose work ``_fetch_together``
    does for the pipeline as a whole). Django's cursor costs each statement some 7 µs of CPU of its
    own (a wrapper made, the connection checked, the wrappers and the error translation entered, and
    again for ``fetchall``: docs/performance.md, "Tenth round"). The caller validates the
    transaction and translates errors once for all.

    Their ``timestamptz`` columns are read by ``_moment_loader``'s loader rather than Django's."""
    moments = _moment_loader(connection)

    def cursor() -> Any:
        made = connection.create_cursor()
        if moments is not None:
            made.adapters.register_loader(_TIMESTAMPTZ, moments)
        return made

    return _in_pipeline(statements, connection, cursor)


def _in_pipeline(statements: list[tuple[str, list[Any]]], connection: Any,
                 cursor: Callable[[], Any]) -> list[list[Any]]:
    """Each statement sent on a cursor of its own (``cursor()``) in one psycopg pipeline, then the rows
    of each: one round trip."""
    cursors: list[Any] = []
    try:
        with connection.connection.pipeline():
            for sql, params in statements:
                cursors.append(cursor())
                cursors[-1].execute(sql, params)
            return [made.fetchall() for made in cursors]
    finally:
        for made in cursors:
            made.close()


_TIMESTAMPTZ = "timestamptz"
# ``_moment_loader``'s loader of each time zone.
_moment_loaders: dict[Any, type] = {}


def _moment_loader(connection: Any) -> type | None:
    """A loader of ``timestamptz`` values that gives what Django's gives (``psycopg_any.BaseTzLoader``:
    psycopg's parse of the text, its ``tzinfo`` replaced by the connection's time zone, which Django
    has each cursor's loader use), parsed by psycopg's own loader (C where psycopg has it) rather
    than the pure Python one Django's subclasses: ~3 µs a value less 1 µs, ninety a young person's
    page. None where the connection's loader is not Django's (nothing to be faithful to)."""
    from django.db.backends.postgresql.psycopg_any import BaseTzLoader  # type: ignore[import-untyped]
    from psycopg import adapt, adapters, postgres
    from psycopg.pq import Format

    oid = postgres.types[_TIMESTAMPTZ].oid
    current = connection.connection.adapters.get_loader(oid, Format.TEXT)
    if not (isinstance(current, type) and issubclass(current, BaseTzLoader)):
        return None
    zone = connection.timezone
    loader = _moment_loaders.get(zone)
    if loader is None:
        parser: Any = adapters.get_loader(oid, Format.TEXT)

        class MomentLoader(adapt.Loader):
            timezone = zone

            def __init__(self, oid: int, context: Any = None) -> None:
                super().__init__(oid, context)
                self._parse = parser(oid, context).load

            def load(self, data: Any) -> Any:
                return self._parse(data).replace(tzinfo=zone)

        with _lock:
            loader = _moment_loaders.setdefault(zone, MomentLoader)
    return loader


def dicts(key: Hashable, build: Callable[[int], QuerySet], ident: int, using: str = "default") -> list[dict[str, Any]]:
    """The dictionaries ``build(ident)`` (a ``values(...)`` queryset) would give, read with SQL compiled
    once for ``key`` (as ``rows``)."""
    compiled = _stored(_compiled, MAX_KEPT, ("dicts", key),
                       lambda: _compile(build(STAND_IN), using, ValuesIterable), using)
    if compiled.compiler is None:
        return []
    return _dicts_of(compiled, _with_ident(compiled, ident), using)


def size_for(ids: list[int]) -> int:
    """How many stand-ins ``rows_among`` should compile a query for to take ``ids``: 8, 16, 32...
    (a few compiled queries whatever the number of ids)."""
    return max(8, 1 << (len(ids) - 1).bit_length())


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
    compiled = _stored(_compiled, MAX_KEPT, ("among", size, key),
                       lambda: _compile_among(build(_stand_ins(size)), using, size), using)
    params = list(compiled.params)
    for slot, ident in zip(compiled.slots, ids, strict=False):
        params[slot] = ident
    return _read(compiled, params, using)


def rows_since(key: Hashable, build: Callable[[int, dt.datetime], QuerySet], ident: int, since: dt.datetime,
               using: str = "default") -> list[Any]:
    """``rows``, for a query that also depends on a moment computed in the request (the returns of
    the last 14 days: ``timezone.now()`` less 14 days): ``build(ident, since)`` is compiled once with
    stand-ins for both, found again in the parameters (``nwd.core.lookups.with_stand_ins``), and each
    request's id and moment are put in their places. ``build`` must take both as given."""
    entry = _stored_at(("since", key), build, (ident, since), using)
    if entry.compiled.compiler is None:
        return []
    return _read(entry.compiled, lookups.fill(entry.compiled.params, entry.slots, (ident, since), connections[using]),
                 using)


def kept(key: Hashable, build: Callable[[], QuerySet], using: str = "default") -> list[Any]:
    """The model instances ``build()`` would give, read with its SQL and parameters compiled once for ``key``.

    ``key`` must name everything ``build``'s SQL and parameters depend on: for a list chosen by a
    user's access scope, what the scope depends on (``nwd.access.relations.user_key``), and the day
    and time zone when the query compares with dates (never a time of day: it would be kept). Only
    the SQL text is kept; the rows are read again on every call.
    """
    compiled = _stored(_kept, MAX_KEPT_LISTS, key, lambda: _compile(build(), using, stand_in=False), using)
    if compiled.compiler is None:
        return []
    return _read(compiled, list(compiled.params), using)


def kept_dicts(key: Hashable, build: Callable[[], QuerySet], using: str = "default") -> list[dict[str, Any]]:
    """``kept`` for a ``values(...)`` queryset (counts grouped in the database): the dictionaries
    ``build()`` would give, read with its SQL and parameters compiled once for ``key``, which must
    name everything they depend on (as for ``kept``)."""
    compiled = _stored(_kept, MAX_KEPT_LISTS, ("dicts", key),
                       lambda: _compile(build(), using, ValuesIterable, stand_in=False), using)
    if compiled.compiler is None:
        return []
    return _dicts_of(compiled, list(compiled.params), using)


def _dicts_of(compiled: _Compiled, params: list[Any], using: str) -> list[dict[str, Any]]:
    bound, fetched = _run(compiled, params, using)
    return _named(bound, fetched)


def _named(bound: _Bound, fetched: list[Any]) -> list[dict[str, Any]]:
    """The dictionaries of ``fetched``, made as ``ValuesIterable`` makes them."""
    query: Any = bound.compiler.query
    # As Django's ``ValuesIterable`` names the columns.
    names = list(query.selected) if query.selected else [*query.extra_select, *query.values_select,
                                                         *query.annotation_select]
    return [dict(zip(names, row)) for row in bound.rows(fetched)]


# A moment a kept query compares with (``kept_at``): a time (an aware datetime) or a day.
Moment = dt.datetime | dt.date


@dataclass(frozen=True)
class _Templated:
    compiled: _Compiled
    slots: tuple[lookups.Slot, ...]  # where each value goes (``nwd.core.lookups.fill``)


# ``kept_at``'s and ``rows_since``'s compiled queries, with where their values go.
_templated: dict[tuple[Hashable, ...], _Templated] = {}


def _stored_at(key: Hashable, build: Callable[..., QuerySet], values: tuple[lookups.Value, ...], using: str,
               each_used: bool = True) -> _Templated:
    """``build`` compiled for ``key`` with stand-ins for ``values``, found again in its parameters as
    ``nwd.core.lookups`` finds a lookup's values; kept (the store emptied first when full)."""
    store, most = _templated, MAX_KEPT_LISTS
    cache_key = (using, connections[using].vendor, key, tuple(type(value) for value in values))
    entry = store.get(cache_key)
    if entry is None:
        compiled, slots = lookups.with_stand_ins(
            build, values, lambda queryset: _compile(queryset, using, stand_in=False), connections[using],
            each_used=each_used)
        entry = _Templated(compiled, slots)
        with _lock:
            if len(store) >= most:
                store.clear()
            store.setdefault(cache_key, entry)
    return entry


def kept_at(key: Hashable, build: Callable[..., QuerySet], moments: tuple[Moment, ...],
            using: str = "default") -> list[Any]:
    """``kept`` for a query that compares with times (an alert's "the last 30 days"): the model
    instances ``build(*moments)`` would give.

    It is built and compiled once for ``key`` with stand-in moments, which are found again in the
    parameters and replaced by ``moments`` on each call; built a second time with other stand-ins,
    so that a parameter that depends on a moment in another way (``moment - delta`` worked out in
    ``build``) is refused rather than kept: ``build`` must compare with the moments as given.
    """
    # A moment ``build`` may leave unused: a list with no time window for some users.
    entry = _stored_at(("at", key), build, moments, using, each_used=False)
    if entry.compiled.compiler is None:
        return []
    return _read(entry.compiled, lookups.fill(entry.compiled.params, entry.slots, moments, connections[using]), using)


def first(key: Hashable, build: Callable[[int], QuerySet], ident: int, using: str = "default") -> Any:
    """The first of ``rows`` (``build`` should cut the queryset at one row), or None."""
    found = rows(key, build, ident, using)
    return found[0] if found else None


class Kept(NamedTuple):
    """A read of ``ahead``: what ``kept(key, build)`` reads (``kept_dicts`` with ``dicts``)."""

    key: Hashable
    build: Callable[[], QuerySet]
    dicts: bool = False


class KeptAt(NamedTuple):
    """A read of ``ahead``: what ``kept_at(key, build, moments)`` reads."""

    key: Hashable
    build: Callable[..., QuerySet]
    moments: tuple[Moment, ...]


# The rows ``ahead`` read, by statement (database, SQL, parameters), until a ``kept`` or ``kept_at``
# call of the same statement takes them (once), or the ``ahead`` block ends.
_read_ahead = threading.local()


def _statement_key(using: str, sql: str, params: Sequence[Any]) -> tuple[Any, ...]:
    return (using, sql, *params)


def _statement_of(read: Kept | KeptAt, using: str) -> tuple[_Compiled, list[Any]]:
    """The compiled query and parameters ``kept``, ``kept_dicts`` or ``kept_at`` would run for ``read``
    (compiled now, in their stores, if it is not yet)."""
    if isinstance(read, KeptAt):
        entry = _stored_at(("at", read.key), read.build, read.moments, using, each_used=False)
        return entry.compiled, lookups.fill(entry.compiled.params, entry.slots, read.moments, connections[using])
    if read.dicts:
        compiled = _stored(_kept, MAX_KEPT_LISTS, ("dicts", read.key),
                           lambda: _compile(read.build(), using, ValuesIterable, stand_in=False), using)
    else:
        compiled = _stored(_kept, MAX_KEPT_LISTS, read.key, lambda: _compile(read.build(), using, stand_in=False),
                           using)
    return compiled, list(compiled.params)


@contextmanager
def ahead(reads: Sequence[Kept | KeptAt], using: str = "default") -> Iterator[None]:
    """Send ``reads`` together now (``together``'s pipeline: one round trip on PostgreSQL), so that
    the ``kept``, ``kept_dicts`` and ``kept_at`` calls of the same statements inside the block take
    the rows read rather than asking again.

    For a page whose independent reads are made by several modules, each with its own key and
    query (a manager's home: the queue, the children's home alerts), without the modules giving up
    their functions: a module names its reads (``Kept``, ``KeptAt``) and reads them as before. A
    statement's rows are taken once (the same call again reads afresh); rows no call takes are
    dropped when the block ends. The rows are those the calls would read, a few statements earlier
    in the same request: a page should gather only reads that nothing before them in the block writes.
    """
    connection = connections[using]
    statements: list[tuple[str, list[Any]]] = []
    keys: list[tuple[Any, ...]] = []
    for read in reads:
        compiled, params = _statement_of(read, using)
        if compiled.compiler is None:
            continue
        try:
            key = _statement_key(using, compiled.sql, params)
            hash(key)
        except TypeError:  # a parameter that is not hashable (a list): read by its own call
            continue
        statements.append((compiled.sql, params))
        keys.append(key)
    previous = getattr(_read_ahead, "rows", None)
    _read_ahead.rows = dict(zip(keys, _fetch_together(statements, connection), strict=True))
    try:
        yield
    finally:
        _read_ahead.rows = previous
