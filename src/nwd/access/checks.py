"""System checks: ``nwd check`` fails when a view declares no permission, or the audit log is unguarded."""

from __future__ import annotations

from django.core import checks


@checks.register(checks.Tags.security, checks.Tags.urls)
def every_view_declares_its_permission(app_configs=None, **kwargs):
    from nwd.access.urlwalk import undeclared

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

    if not getattr(settings, "NWD_FRONTEND_DIRS_MISSING", None):
        return []
    return [
        checks.Warning(
            "The GOV.UK Frontend and htmx packages are not installed, so pages will have no styles or scripts.",
            hint="Run 'npm install' (or 'make install') at the root of the repository.",
            id="web.W001",
        )
    ]


@checks.register(checks.Tags.security, deploy=True)
def application_role_cannot_rewrite_the_audit_log(app_configs=None, databases=None, **kwargs):
    """``check --deploy``: on PostgreSQL, warn when the service's own role could rewrite the audit log."""
    from django.db import DatabaseError, connection

    from nwd.access.db_roles import weaknesses

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
