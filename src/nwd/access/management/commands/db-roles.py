"""``nwd db-roles``: the spelling of ``nwd db_roles`` the docs use."""

from nwd.access.management.commands.db_roles import Command  # noqa: F401
