"""``nwd db-roles --owner NAME --app NAME``: the two PostgreSQL roles the service runs with.

Run once by a database administrator (connected as a superuser through DATABASE_URL) after the
first ``nwd migrate``; idempotent, so run it again whenever in doubt. Then migrate as the owner
and serve as the application role (docs/decisions/0007-least-privilege-audit.md). Passwords, if
wanted, come from the environment (NWD_DB_OWNER_PASSWORD, NWD_DB_APP_PASSWORD), never the command
line; ``--print-sql`` shows the statements without running them.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from nwd.access import db_roles
from nwd.config import password


class Command(BaseCommand):
    help = "Create or correct the owner role and the application role on PostgreSQL (the app may only add to the audit log)."

    def add_arguments(self, parser):
        parser.add_argument("--owner", default="nwd_owner", help="the role that owns the tables and runs migrate (default nwd_owner)")
        parser.add_argument("--app", default="nwd_app", help="the role the service connects as (default nwd_app)")
        parser.add_argument("--print-sql", action="store_true", help="print the statements, run nothing")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, **options):
        connection = connections[options["database"]]
        try:
            statements = db_roles.plan(
                connection, options["owner"], options["app"],
                owner_password=password("NWD_DB_OWNER_PASSWORD"),
                app_password=password("NWD_DB_APP_PASSWORD"),
            )
        except db_roles.RoleError as error:
            raise CommandError(str(error)) from None
        if options["print_sql"]:
            for statement in statements:
                self.stdout.write(f"{statement};")
            return
        db_roles.apply(connection, statements)
        owner, app = options["owner"], options["app"]
        self.stdout.write(
            f"{len(statements)} statements run. {owner} owns the schema's tables; {app} may read and write them "
            f"but only add to and read the audit log.\n"
            f"Next: run 'nwd migrate' with DATABASE_URL naming {owner}, and the service with DATABASE_URL naming {app}; "
            f"'nwd audit-verify' checks the log."
        )
