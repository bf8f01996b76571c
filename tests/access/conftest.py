"""Fixtures of the access tests: the hand-built population, built once per module and rolled back."""

from __future__ import annotations

import pytest
from django.db import transaction


@pytest.fixture(scope="module")
def population(django_db_setup, django_db_blocker):
    """The population of tests/access/population.py, inside a transaction undone after the module.

    Each test still runs in its own savepoint (pytest-django's ``db``), so a test may add to it.
    """
    from tests.access.population import build

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield build()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
