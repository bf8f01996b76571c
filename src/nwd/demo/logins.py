"""The demo: one login per role, picked from the synthetic county's staff, on a database the demo made.

Each demo login is a real synthetic member of staff (the key worker login has a real caseload),
given the demo password. Only ``nwd demo`` sets these passwords, and only on a database it created:
it writes a marker into the database when it loads the county (``access.DemoDatabase``, with the
accounts it created) and refuses a database holding any account it did not create.

Demo mode (no second factor, no HSTS, cookies without ``Secure``, the logins and password on the
sign-in page) is on only when ``NWD_DEMO`` is set *and* the database carries the marker: that
check is ``nwd.access.demo_mode.active``, below this module, because access's sign-in asks it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import connection

from nwd.access.demo_mode import marked
from nwd.access.models import DemoDatabase, User
from nwd.access.roles import Role
from nwd.casework.choices import SourceAgency
from nwd.casework.models import YoungPerson

DEMO_PASSWORD = "demo-only-password"  # noqa: S105 (printed on screen; demo mode only)


class NotADemoDatabase(Exception):
    """``nwd demo`` was pointed at a database it did not create; nothing has been changed."""


@dataclass(frozen=True)
class DemoLogin:
    role: str
    role_label: str
    username: str
    name: str


def _tables() -> set[str]:
    return set(connection.introspection.table_names())


def accounts_not_created_by_the_demo():
    """Every account the demo's marker does not list (all of them when there is no marker)."""
    marker = DemoDatabase.objects.first() if DemoDatabase._meta.db_table in _tables() else None
    if marker is None:
        return User.objects.all()
    return User.objects.exclude(pk__in=marker.accounts.values("pk"))


def check_is_demo_database() -> None:
    """Raise NotADemoDatabase unless this database is empty or was created by the demo.

    Empty means no accounts and no synthetic county; a database the demo created carries the
    marker and holds no account it does not list. Safe before ``migrate`` (it reads only the
    tables there are), so a refused database is not even migrated.
    """
    tables = _tables()
    if User._meta.db_table not in tables:
        return  # a new database: nothing in it to protect
    others = accounts_not_created_by_the_demo().count()
    if others:
        raise NotADemoDatabase(
            f"This database holds {others} account(s) the demo did not create, so it is not a demo database: "
            "nwd demo has changed nothing. Run the demo on its own database (an empty NWD_DATA_DIR, "
            "without DATABASE_URL); a demo database made before the demo marked its databases can be "
            "deleted and made again."
        )
    has_marker = DemoDatabase._meta.db_table in tables and marked()
    if YoungPerson._meta.db_table in tables and YoungPerson.objects.exists() and not has_marker:
        raise NotADemoDatabase(
            "This database already holds records but was not created by the demo, so nwd demo has changed "
            "nothing. Run the demo on its own database (an empty NWD_DATA_DIR, without DATABASE_URL); "
            "a demo database made before the demo marked its databases can be deleted and made again."
        )


def mark_demo_database() -> None:
    """Write the marker (once) and list every account now in the database as the demo's.

    Called in the same transaction as the county is written, after ``check_is_demo_database``:
    the only accounts there are the ones the county just created.
    """
    marker = DemoDatabase.objects.first() or DemoDatabase.objects.create()
    marker.accounts.add(*User.objects.values_list("pk", flat=True))


def demo_logins() -> list[DemoLogin]:
    """The first active demo account of each role, by user name: the same people every time."""
    marker = DemoDatabase.objects.first()
    if marker is None:
        return []
    accounts = User.objects.filter(pk__in=marker.accounts.values("pk"), is_active=True)
    logins = []
    for role in Role:
        if role == Role.PARTNER_REFERRER:
            logins += _partner_logins(accounts.filter(role=role))
            continue
        user = accounts.filter(role=role).order_by("username").first()
        if user is not None:
            logins.append(DemoLogin(role.value, role.label, user.username, user.get_full_name()))
    return logins


def _partner_logins(partners) -> list[DemoLogin]:
    """One partner referrer per agency (a school, health, the police...): referring looks different
    from each, and each sees only its own agency's referrals."""
    agencies = dict(SourceAgency.choices)
    logins = []
    for agency in sorted({p.agency for p in partners}, key=lambda a: list(agencies).index(a) if a in agencies else 99):
        user = partners.filter(agency=agency).order_by("username").first()
        label = f"{Role.PARTNER_REFERRER.label} ({agencies.get(agency, agency or 'no agency').lower()})"
        logins.append(DemoLogin(Role.PARTNER_REFERRER.value, label, user.username, user.get_full_name()))
    return logins


def set_demo_passwords() -> list[DemoLogin]:
    """Give each demo login the demo password; refuses (NotADemoDatabase) on any other database."""
    check_is_demo_database()
    logins = demo_logins()
    # Hashed once for all the logins (one salt): the password is printed for all to read, and each
    # hash costs about 0.25 s of CPU, some 4 s a start of the demo for its 18 logins.
    hashed = make_password(DEMO_PASSWORD)
    for login in logins:
        user = User.objects.get(username=login.username)
        user.password = hashed
        user.save(update_fields=["password"])
    return logins
