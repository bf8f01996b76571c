"""The access app: policy, audit and login hardening, wired up when Django starts."""

from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.db.models.signals import post_migrate


class AccessConfig(AppConfig):
    default = True  # apps.py holds a second AppConfig (the admin's), so say which is the app's own
    name = "nwd.access"
    label = "access"
    verbose_name = "Access, audit and login"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from nwd.access import checks, policy, signals  # noqa: F401  (registers perms, receivers, checks)

        connection_created.connect(_give_sqlite_the_audit_function, dispatch_uid="nwd-audit-sqlite-function")
        post_migrate.connect(_reinstall_sqlite_triggers, sender=self, dispatch_uid="nwd-audit-sqlite-triggers")


def _give_sqlite_the_audit_function(sender, connection, **kwargs):
    """Each new SQLite connection learns ``nwd_audit_locked()``, which the audit triggers ask."""
    if connection.vendor == "sqlite":
        # Inside the function (as every import here): this module is loaded before the app registry is
        # ready, and the triggers module imports the audit model.
        from nwd.access.triggers import register_sqlite_function

        register_sqlite_function(connection)


def _reinstall_sqlite_triggers(sender, using="default", **kwargs):
    """SQLite rebuilds a table to alter it, dropping its triggers: put them back after every migrate."""
    from django.db import connections

    from nwd.access import triggers

    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    if triggers.TABLE in connection.introspection.table_names():
        triggers.install(connection)


class NwdAdminConfig(admin_apps.AdminConfig):
    """Django's admin, with the site that only superusers (past the second factor) may enter."""

    default = False

    default_site = "nwd.access.admin_site.NwdAdminSite"
