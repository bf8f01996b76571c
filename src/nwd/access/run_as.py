"""The member of staff a command runs as (``--as USERNAME``), so what it does is theirs in the audit log.

Shared by every command that changes or reads records on someone's behalf (``import-903``,
``export-903``, ``retention``): one rule for who may, one message when they may not.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError


def named_user(username: str, permission: str):
    """The active user called ``username`` who holds ``permission`` (CommandError otherwise): every
    such command requires ``--as``, so what it reads and writes is a named person's in the audit log."""
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(f"There is no active user called '{username}'.")
    if not user.has_perm(permission):
        raise CommandError(f"{username} may not do this: it needs the permission {permission} "
                           "(see docs/permissions.md).")
    return user
