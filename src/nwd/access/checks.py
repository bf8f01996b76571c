"""System checks: ``nwd check`` fails when a view declares no permission; ``check --deploy`` warns of demo mode
and of the second factor being off."""

from __future__ import annotations

from django.core import checks

from nwd.access.db_roles import weaknesses
from nwd.access.demo_mode import marked
from nwd.access.urlwalk import undeclared


@checks.register(checks.Tags.security, checks.Tags.urls)
def every_view_declares_its_permission(app_configs=None, **kwargs):
    return [
        checks.Error(
            f"The view {endpoint.view_name} at /{endpoint.route} declares no permission.",
            hint="Decorate it with @requires(...), @signed_in or @public from nwd.access.decorators.",
            obj=endpoint.view_name,
            id="access.E001",
        )
        for endpoint in undeclared()
    ]


@checks.register(checks.Tags.security)
def front_end_installed(app_configs=None, **kwargs):
    from django.conf import settings

    if not settings.NWD_FRONTEND_DIRS_MISSING:
        return []
    return [
        checks.Warning(
            "The GOV.UK Frontend and htmx packages are not installed, so pages will have no styles or scripts.",
            hint="Run 'npm install' and 'npm run build' (or 'make install') at the root of the repository.",
            id="web.W001",
        )
    ]


@checks.register(checks.Tags.security, deploy=True)
def application_role_cannot_rewrite_the_audit_log(app_configs=None, databases=None, **kwargs):
    """``check --deploy``: on PostgreSQL, warn when the service's own role could rewrite the audit log."""
    from django.db import DatabaseError, connection

    try:
        found = weaknesses(connection)
    except DatabaseError:
        return []  # no database to ask: nothing to say about its roles
    return [
        checks.Warning(
            f"The service's database role could rewrite the audit log: {'; '.join(found)}.",
            hint="Run 'nwd db-roles' as a database administrator, then set DATABASE_URL to the application role "
                 "(docs/decisions/0007-least-privilege-audit.md).",
            id="access.W101",
        )
    ] if found else []


@checks.register(checks.Tags.security, deploy=True)
def demo_mode_and_the_second_factor(app_configs=None, **kwargs):
    """``check --deploy`` says when ``NWD_DEMO`` is set, and loudly when the second factor is off.

    The second factor is off only in demo mode on the demo's own database; ``NWD_DEMO`` on any other
    database changes nothing, but a server should not carry it at all.
    """
    from django.conf import settings

    if not settings.NWD_DEMO:
        return []
    found = [
        checks.Warning(
            "NWD_DEMO is set: demo mode, for the demo's synthetic database only.",
            hint="Remove NWD_DEMO from a server's environment. On a database the demo did not create it changes "
                 "nothing; on the demo's own database the second factor, HSTS and secure cookies are off.",
            id="access.W010",
        )
    ]
    if _demo_database():
        found.append(checks.Warning(
            "The second factor is off: demo mode on the demo's database lets a password alone sign in, "
            "HSTS and secure cookies are off, and the sign-in page lists the demo logins and their password.",
            hint="Never serve this database to anyone but a demo audience; a real service runs without NWD_DEMO.",
            id="access.W011",
        ))
    return found


def _demo_database() -> bool:
    """Whether the database carries the demo's marker (False when it cannot be read, e.g. not migrated)."""
    from django.db import DatabaseError

    try:
        return marked()
    except DatabaseError:
        return False


@checks.register(checks.Tags.security, deploy=True)
def security_middleware_installed(app_configs=None, **kwargs):
    """Stands in for Django's security.W001 (silenced in settings: it looks for SecurityMiddleware by name,
    and the service installs its subclass ``nwd.access.demo_mode.DemoAwareSecurityMiddleware``)."""
    from django.conf import settings

    if "nwd.access.demo_mode.DemoAwareSecurityMiddleware" in settings.MIDDLEWARE:
        return []
    return [checks.Warning(
        "The security middleware (nwd.access.demo_mode.DemoAwareSecurityMiddleware) is not in MIDDLEWARE, so HSTS, "
        "the https redirect and the other security headers are off.",
        id="access.W001",
    )]


@checks.register(checks.Tags.security)
def single_sign_on_roles_exist(app_configs=None, **kwargs):
    """``NWD_OIDC_ROLE_MAP`` names only roles the service has (nwd.config cannot know them)."""
    from nwd.access.sso import role_map_problems

    return [
        checks.Error(problem, hint="Correct NWD_OIDC_ROLE_MAP (docs/single-sign-on.md).", id="access.E020")
        for problem in role_map_problems()
    ]
