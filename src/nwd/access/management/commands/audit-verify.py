"""``nwd audit-verify``: the spelling of ``nwd audit_verify`` the docs use."""

from nwd.access.management.commands.audit_verify import Command  # noqa: F401
