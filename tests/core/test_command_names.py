"""One name per command: no command answers to two spellings (``db-roles`` and ``db_roles``)."""

from __future__ import annotations

from django.core.management import get_commands


def test_no_command_has_two_spellings():
    names = [name for name, app in get_commands().items() if app.startswith("nwd.")]
    by_spelling: dict[str, list[str]] = {}
    for name in names:
        by_spelling.setdefault(name.replace("-", "_"), []).append(name)
    assert {key: found for key, found in by_spelling.items() if len(found) > 1} == {}


def test_the_commands_the_docs_name_exist_under_that_name():
    names = set(get_commands())
    assert {"audit-verify", "db-roles", "enrolment-code", "import-903", "export-903", "demo"} <= names
