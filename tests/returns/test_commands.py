"""The SSDA903 commands: one name each (the docs'), and ``--as`` the same for import and export."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command, get_commands

from nwd.access.roles import Role
from tests.factories import UserFactory

# Each command with arguments that would do its work, but for the user it runs as.
COMMANDS = {
    "import-903": lambda tmp_path: [str(tmp_path), "--dry-run"],
    "export-903": lambda tmp_path: [str(tmp_path), "--year", "2025-26"],
}


def test_each_ssda903_command_has_one_name():
    names = set(get_commands())
    assert {"import-903", "export-903"} <= names
    assert not {"import_903", "export_903"} & names


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_as_is_required(name, tmp_path):
    with pytest.raises(CommandError, match="--as"):
        call_command(name, *COMMANDS[name](tmp_path))


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_as_names_an_active_user_with_the_permission(name, tmp_path):
    UserFactory(role=Role.KEY_WORKER, username="kim")
    permission = "returns.import_903" if name == "import-903" else "returns.export_903"
    with pytest.raises(CommandError, match=f"kim may not do this: it needs the permission {permission}"):
        call_command(name, *COMMANDS[name](tmp_path), "--as", "kim")
    with pytest.raises(CommandError, match="no active user called 'nobody'"):
        call_command(name, *COMMANDS[name](tmp_path), "--as", "nobody")
