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


def pytest_collection_modifyitems(config, items):
    """Tests that use the synthetic county run after those that do not, transactional ones last.

    A test that asks for the county with ``request.getfixturevalue`` would otherwise first create
    it inside its own transaction, which is rolled back when the test ends, leaving the rest of
    the session without it: such tests get ``county`` put first in their fixtures, so it is set
    up before the test's transaction begins.
    """
    sources: dict = {}

    def rank(item) -> int:
        if not _uses_county(item, sources):
            return 0
        names = getattr(item, "fixturenames", None)
        if names is not None and "county" not in names:
            names.insert(0, "county")
        return 2 if _transactional(item) else 1

    items[:] = sorted(items, key=rank)  # sorted() is stable: the order within each group is kept
