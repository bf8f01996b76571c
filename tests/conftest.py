"""Fixtures shared by the whole suite."""

import gc
import os
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# Property tests check what they generate, not how fast: on a shared 2-core machine under load (CI's
# too), Hypothesis's timing checks (a 200 ms deadline per example, "data generation is slow") fail
# tests whose every assertion held. The examples and their number are unchanged.
settings.register_profile("nwd", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("nwd")


# Garbage is collected less often in the test processes (the controller and each worker, from here
# on). A test process holds some 500,000 objects (Django, the collected tests, the fixtures' records)
# and makes millions more that die young. With Python's default thresholds (700, 10, 10) it ran 80
# full collections over tests/web alone: 10.8 s of its 75 s of CPU went to the collector. At (50,000,
# 20, 100) it spent 5.3 s and the files' CPU fell by 5 %; the objects held at the end rose from about
# 460,000 to 970,000. The suite's processes are short-lived, so memory is the cheaper of the two.
gc.set_threshold(50_000, 20, 100)


def pytest_report_header(config):
    """Say which database engine this run uses, so CI's two runs are told apart in the log."""
    url = os.environ.get("DATABASE_URL", "")
    engine = url.split(":", 1)[0] if url else "sqlite (embedded)"
    return f"nwd database: {engine}"


# --- One migrate per parallel run ---------------------------------------------------------------------

@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, request):
    """pytest-django's (each worker its own test database), and: in a parallel run the first worker to
    create its test database migrates it and keeps a copy; the others copy that instead of migrating.

    Migrating renders every migration's models: about 14 s of CPU per database, per worker (decision
    10). The copy is SQLite's backup API (into the worker's in-memory database) or PostgreSQL's ``CREATE
    DATABASE ... TEMPLATE``; either holds exactly what the migrations (and their post_migrate) wrote. Only when the
    test databases are created afresh (not ``--reuse-db``); the controller removes the copy at the end.
    """
    workerinput = getattr(request.config, "workerinput", None)
    if workerinput is not None:
        _migrate_once(workerinput["testrunuid"], workerinput["workerid"])


def _shared_dir() -> Path:
    """The run's folder (tests/../test_settings.py gives each worker a folder inside it)."""
    here = Path(os.environ["NWD_DATA_DIR"])
    return here.parent if os.environ.get("PYTEST_XDIST_WORKER") == here.name else here


def _template_name(test_name: str, worker: str) -> str:
    return test_name.removesuffix(f"_{worker}") + "_template"


def _migrate_once(run: str, worker: str) -> None:
    import fcntl
    import sqlite3

    from django.conf import settings
    from django.db import connections

    connection = connections["default"]
    creation = connection.creation
    create = creation.create_test_db
    postgres = connection.vendor == "postgresql"
    if connection.vendor not in ("sqlite", "postgresql"):
        return
    shared = _shared_dir()
    copy_file = shared / f"test-template-{run}.sqlite3"
    made = shared / f"test-template-{run}.made"

    def create_test_db(verbosity=1, autoclobber=False, serialize=True, keepdb=False):
        if keepdb:
            return create(verbosity=verbosity, autoclobber=autoclobber, serialize=serialize, keepdb=keepdb)
        with open(shared / f"test-template-{run}.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # held while the first worker migrates, and while each copies
            if not made.exists():
                name = create(verbosity=verbosity, autoclobber=autoclobber, serialize=serialize, keepdb=False)
                if postgres:
                    connection.close()
                    template = connection.ops.quote_name(_template_name(name, worker))
                    with creation._nodb_cursor() as cursor:
                        cursor.execute(f"DROP DATABASE IF EXISTS {template}")
                        cursor.execute(f"CREATE DATABASE {template} TEMPLATE {connection.ops.quote_name(name)}")
                    connection.ensure_connection()
                else:
                    with sqlite3.connect(copy_file) as target:
                        connection.connection.backup(target)
                    target.close()
                made.write_text(name)
                return name
            name = creation._get_test_db_name()
            if postgres:
                template = connection.ops.quote_name(_template_name(name, worker))
                with creation._nodb_cursor() as cursor:
                    cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(name)}")
                    cursor.execute(f"CREATE DATABASE {connection.ops.quote_name(name)} TEMPLATE {template}")
            else:
                creation._create_test_db(verbosity, autoclobber, keepdb=False)  # a file database: removes the old one
            connection.close()
            settings.DATABASES[connection.alias]["NAME"] = name
            connection.settings_dict["NAME"] = name
            connection.ensure_connection()
            if not postgres:
                source = sqlite3.connect(copy_file)
                source.backup(connection.connection)
                source.close()
            if serialize:
                connection._test_serialized_contents = creation.serialize_db_to_string()
            return name

    creation.create_test_db = create_test_db


def pytest_sessionfinish(session):
    """The controller of a parallel run removes the workers' migrated copy (``_migrate_once``)."""
    if hasattr(session.config, "workerinput") or not os.environ.get("NWD_DATA_DIR"):
        return
    shared = Path(os.environ["NWD_DATA_DIR"])
    for made in shared.glob("test-template-*.made"):
        name = made.read_text()
        if name and os.environ.get("DATABASE_URL", "").startswith("postgres"):
            import psycopg  # not Django's connection: pytest-django blocks it outside the tests
            from django.conf import settings
            from psycopg import sql

            db = settings.DATABASES["default"]
            template = _template_name(name, name.rsplit("_", 1)[-1])
            with psycopg.connect(dbname="postgres", host=db.get("HOST") or None, port=db.get("PORT") or None,
                                 user=db.get("USER") or None, password=db.get("PASSWORD") or None,
                                 autocommit=True) as pg:
                pg.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(template)))
        for path in shared.glob(made.name.removesuffix(".made") + ".*"):
            path.unlink(missing_ok=True)


# --- The synthetic county -------------------------------------------------------------------------

COUNTY_SCALE = 1
COUNTY_SEED = 2021
_ASKS_FOR_COUNTY = re.compile(r"""getfixturevalue\(\s*["']county["']\s*\)""")


@pytest.fixture(scope="session")
def county(django_db_setup, django_db_blocker):
    """The scale-1 synthetic county (seed 2021, as at today) in the test database; its Summary.

    It is written outside any test's transaction (tests that use it need ``@pytest.mark.django_db``)
    and kept for the tests after it that want it. The database is made to suit each test whatever
    the order the tests run in (``_county_in_place``): a test that asks for the county (as an argument
    or with ``request.getfixturevalue("county")``) finds it, written again if a transactional test
    emptied the database since; a test of the database that does not ask for it finds the database
    empty, the county removed first if an earlier test on this worker had it. The order the tests
    are sent in (``pytest_collection_modifyitems``) keeps those writes and removals few.
    """
    return _county_present(django_db_blocker)


class _County:
    summary = None  # the first generate()'s Summary: the same county (scale, seed, date) each time
    present = False  # in the test database now (written outside every test's transaction)


def _county_present(django_db_blocker):
    from nwd.casework.models import YoungPerson
    from nwd.synth import generate

    with django_db_blocker.unblock():
        if not (_County.present and YoungPerson.objects.exists()):
            # replace=True: with --reuse-db the test database may still hold the last session's county.
            summary = generate(scale=COUNTY_SCALE, seed=COUNTY_SEED, progress=False, replace=True)
            _County.summary = _County.summary or summary
            _County.present = True
    return _County.summary


def _county_removed(django_db_blocker) -> None:
    """Empty the test database as a transactional test's end does (Django's ``flush``)."""
    from django.core.management import call_command

    with django_db_blocker.unblock():
        call_command("flush", verbosity=0, interactive=False, reset_sequences=False, allow_cascade=False,
                     inhibit_post_migrate=False)
    _County.present = False


@pytest.fixture
def _county_in_place(request, django_db_blocker):
    """The database as this test expects it: with the county if it asks for it, else without.

    Put first in the fixtures of every test of the database (``pytest_collection_modifyitems``), so it
    runs before the test's transaction begins. A transactional test empties the database when it ends.
    """
    item = request.node
    if item.stash.get(_WANTS_COUNTY, False):
        request.getfixturevalue("county")
        _county_present(django_db_blocker)
    elif _County.present:
        request.getfixturevalue("django_db_setup")
        _county_removed(django_db_blocker)
    yield
    if _transactional(item):
        _County.present = False


_WANTS_COUNTY = pytest.StashKey[bool]()
_DATABASE_FIXTURES = {"db", "transactional_db", "live_server", "django_db_setup", "django_db_reset_sequences",
                      "django_db_serialized_rollback", "county"}


def _uses_database(item) -> bool:
    return item.get_closest_marker("django_db") is not None or bool(
        set(getattr(item, "fixturenames", ())) & _DATABASE_FIXTURES)


def _uses_county(item, sources: dict) -> bool:
    if "county" in getattr(item, "fixturenames", ()):
        return True
    path = Path(str(getattr(item, "fspath", "")))
    if path not in sources:
        try:
            sources[path] = bool(_ASKS_FOR_COUNTY.search(path.read_text(encoding="utf-8")))
        except OSError:
            sources[path] = False
    return sources[path]


def _transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    names = set(getattr(item, "fixturenames", ()))
    return bool(marker and marker.kwargs.get("transaction")) or bool(names & {"transactional_db", "live_server"})


def pytest_configure(config):
    # pytest-xdist declares it too; declared here for runs without it (-p no:xdist, --strict-markers)
    config.addinivalue_line("markers", "xdist_group(name): tests sent to one worker together")


@pytest.hookimpl(tryfirst=True)
def pytest_cmdline_main(config):
    """``-n N`` schedules with ``--dist loadgroup`` in collection order (see below), unless told otherwise.

    Any other ``--dist`` (``worksteal``, ``load``) gives the same results, only more slowly: each test
    finds the database as it expects it, with or without the county, whatever the order.
    """
    option = config.option
    # pytest-xdist may already have turned -n N's "no" into "load": either way, unless --dist was given.
    told = any(arg == "--dist" or arg.startswith("--dist=") or arg == "-d" for arg in config.invocation_params.args)
    if getattr(option, "dist", None) in ("no", "load") and getattr(option, "numprocesses", None) and not told:
        option.dist = "loadgroup"
        option.loadscopereorder = False  # keep the order pytest_collection_modifyitems gives


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node):
    """Tell each worker the schedule chosen above: a worker parses the command line afresh, so it
    would not know of ``loadgroup`` and would not mark the groups' tests (pytest-xdist's own hook)."""
    node.workerinput["nwd_dist"] = node.config.option.dist


def _shared_scope(item) -> bool:
    """Whether the test uses one of the suite's module- or class-scoped fixtures (built once per module)."""
    info = getattr(item, "_fixtureinfo", None)
    for defs in (info.name2fixturedefs.values() if info else ()):
        fixture = defs[-1]
        code = getattr(fixture.func, "__code__", None)
        if fixture.scope in ("module", "class", "package") and code and f"{os.sep}tests{os.sep}" in code.co_filename:
            return True
    return False


# Tests known to take long (seconds each), sent before the short ones so that the workers finish
# together: the browser's, the subprocesses', and those marked slow.
_LONG_MARKS = ("browser", "slow")
_LONG_PATHS = (f"{os.sep}browser{os.sep}", "_browser.py", "test_journey", f"{os.sep}jobs{os.sep}")


def _long(item) -> bool:
    path = str(getattr(item, "fspath", ""))
    return any(item.get_closest_marker(mark) for mark in _LONG_MARKS) or any(part in path for part in _LONG_PATHS)


@pytest.hookimpl(wrapper=True)
def pytest_collection_modifyitems(config, items):
    """Put the database as each test expects it, and send the long work first.

    Every test of the database gets ``_county_in_place`` first in its fixtures, so it runs before
    the test's transaction begins: it writes the county for a test that asks for it (also one that
    asks with ``request.getfixturevalue``) and removes it for one that does not.

    In a parallel run (``-n N``: ``--dist loadgroup``, in this order, see ``pytest_cmdline_main``)
    pytest-xdist sends each worker a unit of work whenever it has (nearly) finished the last, in
    this order, long units first so that the last ones are short and the workers finish together:

    - the tests of the county, each worker writing it once: the tests of a module that share a
      module- or class-scoped fixture (the page walk, the county's exports) are one unit, so the
      fixture is built once, not once per worker; the transactional ones last (they empty the
      database when they end). The tests that need no database come after the first unit: the
      other worker runs them while the first migrates the test database (``_migrate_once``);
    - the other tests that share a module- or class-scoped fixture (a population, a browser);
    - single tests, the long ones (browser, subprocess, ``slow``) first.
    """
    workerinput = getattr(config, "workerinput", None)
    if workerinput is not None and workerinput.get("nwd_dist") == "loadgroup":
        config.option.loadgroup = True  # read by pytest-xdist's hook on the worker, after this one
    sources: dict = {}
    for item in items:
        wants = _uses_county(item, sources)
        item.stash[_WANTS_COUNTY] = wants
        names = getattr(item, "fixturenames", None)
        if names is not None and (wants or _uses_database(item)):
            names.insert(0, "_county_in_place")

    shared = {id(item): _shared_scope(item) for item in items}

    def order(item) -> tuple:
        if item.stash[_WANTS_COUNTY]:
            return (0, _transactional(item), not shared[id(item)])
        if shared[id(item)]:
            return (1, False)
        return (2, not _long(item))

    for item in items:
        if shared[id(item)] and not any(True for _ in item.iter_markers("xdist_group")):
            item.add_marker(pytest.mark.xdist_group(item.nodeid.split("::", 1)[0]))
    # The marks above before the other plugins' hooks (pytest-xdist's reads them); the order after
    # them (pytest-django's puts transactional tests last, then those without the database).
    yield
    items[:] = sorted(items, key=order)  # sorted() is stable: the order within each group is kept
    if not items:
        return
    group = _group(items[0])
    first = 1 if group is None else next((n for n, item in enumerate(items) if _group(item) != group), len(items))
    no_database = [item for item in items[first:] if "_county_in_place" not in getattr(item, "fixturenames", ())]
    moved = {id(item) for item in no_database}
    items[first:] = no_database + [item for item in items[first:] if id(item) not in moved]


def _group(item) -> str | None:
    marker = item.get_closest_marker("xdist_group")
    return marker.args[0] if marker and marker.args else None
