"""``nwd export-903``: the spelling of ``nwd export_903`` the docs use (see import-903.py)."""

from nwd.returns.management.commands.export_903 import Command  # noqa: F401
