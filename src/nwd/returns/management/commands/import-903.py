"""``nwd import-903``: the spelling of ``nwd import_903`` the docs use (Django finds command modules
by file name, and a hyphen is allowed there though not in an ``import`` statement)."""

from nwd.returns.management.commands.import_903 import Command  # noqa: F401
