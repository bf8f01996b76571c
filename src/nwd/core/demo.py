"""The demo: one login per role, picked from the synthetic county's staff.

Each demo login is a real synthetic member of staff (the key worker login has a real caseload),
given the demo password. Only ``nwd demo`` sets these passwords, and the second factor can be
skipped only in demo mode (settings.NWD_DEMO), which every page then announces.
"""

from __future__ import annotations

from dataclasses import dataclass

from nwd.access.roles import Role

DEMO_PASSWORD = "demo-only-password"  # noqa: S105 (printed on screen; demo mode only)


@dataclass(frozen=True)
class DemoLogin:
    role: str
    role_label: str
    username: str
    name: str


def demo_logins() -> list[DemoLogin]:
    """The first active user of each role, by user name: the same people every time."""
    from nwd.access.models import User

    logins = []
    for role in Role:
        user = User.objects.filter(role=role, is_active=True).order_by("username").first()
        if user is not None:
            logins.append(DemoLogin(role.value, role.label, user.username, user.get_full_name()))
    return logins


def set_demo_passwords() -> list[DemoLogin]:
    from nwd.access.models import User

    logins = demo_logins()
    for login in logins:
        user = User.objects.get(username=login.username)
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return logins
