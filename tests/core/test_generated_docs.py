"""The three doc commands follow one convention: by default they write their file; --check compares."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command, load_command_class

COMMANDS = {"permissions_doc": "access", "data_dictionary": "core", "indicators_doc": "evaluation"}


@pytest.fixture(params=sorted(COMMANDS))
def command(request, tmp_path, monkeypatch):
    """The command with its file moved to tmp_path (the real docs are never written by a test)."""
    command = load_command_class(f"nwd.{COMMANDS[request.param]}", request.param)
    target = tmp_path / "doc.md"
    monkeypatch.setattr(command, "path", lambda: target)
    return command, target


def test_by_default_the_command_writes_its_file(command):
    command, target = command
    call_command(command)
    assert target.read_text(encoding="utf-8") == command.render()


def test_check_writes_nothing_and_fails_on_a_stale_file(command):
    command, target = command
    target.write_text("stale", encoding="utf-8")
    with pytest.raises(CommandError, match="is out of date: run `nwd "):
        call_command(command, "--check")
    assert target.read_text(encoding="utf-8") == "stale"


def test_check_passes_on_a_file_that_matches(command):
    command, target = command
    call_command(command)
    call_command(command, "--check")


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_the_docs_in_the_checkout_are_current(name):
    call_command(name, "--check")
