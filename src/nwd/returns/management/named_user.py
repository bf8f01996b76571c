"""The user an SSDA903 command (and ``nwd retention``) runs as: ``--as USERNAME``, required.

Importing or exporting a return reads and writes young people's records, so it is done by a named
user who holds the permission, and the audit log names them, as on the pages.
"""

from __future__ import annotations

from django.core.management.base import CommandError


def named_user(username: str, permission: str):
    """The active user called ``username`` who holds ``permission`` (CommandError otherwise)."""
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(f"There is no active user called '{username}'.")
    if not user.has_perm(permission):
        raise CommandError(f"{username} may not do this: it needs the permission {permission} "
                           "(see docs/permissions.md).")
    return user
