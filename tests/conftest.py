"""Fixtures shared by the whole suite."""

import os
import re
from pathlib import Path

import pytest


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

    Migrating renders every migration's models: about 16 s of CPU per database, per worker. The copy is
    SQLite's backup API (into the worker's in-memory database) or PostgreSQL's ``CREATE DATABASE ...
    TEMPLATE``; either holds exactly what the migrations (and their post_migrate) wrote. Only when the
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
    """The scale-1 synthetic county (seed 2021, as at today), loaded once per session; its Summary.

    It is written into the test database outside any test's transaction, so every test of the
    session that runs after it sees it (tests that use it need ``@pytest.mark.django_db``). To keep
    it out of the way of tests that expect an empty database, tests that ask for it (as an argument
    or with ``request.getfixturevalue("county")``) run after all the others
    (``pytest_collection_modifyitems`` below), and transactional ones last of all: a transactional
    test (``transaction=True``, ``live_server``) empties the database when it ends.
    """
    from nwd.synth import generate

    with django_db_blocker.unblock():
        # replace=True: with --reuse-db the test database may still hold the last session's county.
        return generate(scale=COUNTY_SCALE, seed=COUNTY_SEED, progress=False, replace=True)


@pytest.fixture(autouse=True)
def _county_again_after_a_flush(request, django_db_blocker):
    """A transactional test of the county (ranked last) finds it again if an earlier one emptied it.

    A transactional test empties the database when it ends, so a second one on the same worker would
    otherwise find no county; it is written again (same scale, seed and date) only then.
    """
    if "county" in request.fixturenames and _transactional(request.node):
        from nwd.casework.models import YoungPerson
        from nwd.synth import generate

        request.getfixturevalue("county")
        with django_db_blocker.unblock():
            if not YoungPerson.objects.exists():
                generate(scale=COUNTY_SCALE, seed=COUNTY_SEED, progress=False, replace=True)
    yield


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
    """``-n N`` schedules with ``--dist loadgroup`` in collection order (see below), unless told otherwise."""
    option = config.option
    # pytest-xdist may already have turned -n N's "no" into "load": either way, unless --dist was given.
    told = any(arg == "--dist" or arg.startswith("--dist=") or arg == "-d" for arg in config.invocation_params.args)
    if getattr(option, "dist", None) in ("no", "load") and getattr(option, "numprocesses", None) and not told:
        option.dist = "loadgroup"
        option.loadscopereorder = False  # keep the order pytest_collection_modifyitems gives
    if getattr(option, "dist", None) == "worksteal":
        raise pytest.UsageError("--dist worksteal runs tests out of the order the county needs "
                                "(tests/conftest.py): use the default, -n N alone")


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


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist's, which reads the xdist_group marks added here
def pytest_collection_modifyitems(config, items):
    """Tests that use the synthetic county run after those that do not, transactional ones last.

    A test that asks for the county with ``request.getfixturevalue`` would otherwise first create
    it inside its own transaction, which is rolled back when the test ends, leaving the rest of
    the session without it: such tests get ``county`` put first in their fixtures, so it is set
    up before the test's transaction begins.

    In a parallel run (``-n N``: ``--dist loadgroup``, in this order, see ``pytest_cmdline_main``)
    the tests of one module that share a module- or class-scoped fixture (the county's exports, the
    page walk, a population, a browser) are one unit of work, sent to one worker, so the fixture is
    built once, not once per worker; within each group (plain, county, county and transactional)
    those units go first and single tests after, so the workers finish together.
    """
    workerinput = getattr(config, "workerinput", None)
    if workerinput is not None and workerinput.get("nwd_dist") == "loadgroup":
        config.option.loadgroup = True  # read by pytest-xdist's hook on the worker, after this one
    sources: dict = {}

    def rank(item) -> int:
        if not _uses_county(item, sources):
            return 0
        names = getattr(item, "fixturenames", None)
        if names is not None and "county" not in names:
            names.insert(0, "county")
        return 2 if _transactional(item) else 1

    ranks = {id(item): rank(item) for item in items}
    shared = {id(item): _shared_scope(item) for item in items}
    for item in items:
        if shared[id(item)] and not any(True for _ in item.iter_markers("xdist_group")):
            module = item.nodeid.split("::", 1)[0]
            item.add_marker(pytest.mark.xdist_group(f"{module}:{ranks[id(item)]}"))
    # sorted() is stable: the order within each group is kept
    items[:] = sorted(items, key=lambda item: (ranks[id(item)], not shared[id(item)]))
