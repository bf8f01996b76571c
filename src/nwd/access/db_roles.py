"""Two PostgreSQL roles, so the application cannot rewrite its own audit log.

The audit log's trigger refuses UPDATE and DELETE, but a table's owner (and a superuser) can
TRUNCATE it, disable or drop the trigger, replace its function or ``SET session_replication_role``
and then delete rows. So the service runs as a role that owns nothing:

- the **owner role** owns every table, sequence and function of the schema; ``nwd migrate`` runs
  as it (a login used only for migrating);
- the **application role** (``DATABASE_URL``) may SELECT, INSERT, UPDATE and DELETE in every table
  except the audit log, where it may only INSERT and SELECT. It owns nothing, is no superuser and
  is no member of the owner, so it can neither alter the trigger nor the table.

``nwd db-roles`` (``plan`` and ``apply`` here) creates or corrects both, run once by a database
administrator (a superuser) against the service's database, and again whenever in doubt: it is
idempotent. Default privileges give the application role its rights on the tables later
migrations create, as long as migrate runs as the owner.

``weaknesses`` says what the connected role could do to the audit log (the deployment check and
``nwd audit-verify`` report it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

AUDIT_TABLE = "access_auditevent"
SCHEMA = "public"
ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
ROLE_ATTRIBUTES = "LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS"
APP_TABLE_PRIVILEGES = "SELECT, INSERT, UPDATE, DELETE"
APP_AUDIT_PRIVILEGES = "SELECT, INSERT"


class RoleError(Exception):
    """The roles cannot be set up as asked; the message says why and what to do."""


@dataclass(frozen=True)
class Statement:
    sql: str
    params: tuple = ()
    shown: str = ""  # what --print-sql shows instead of sql (a password is never printed)

    def __str__(self) -> str:
        return self.shown or self.sql


def _check_name(name: str) -> str:
    if not ROLE_NAME.match(name or ""):
        raise RoleError(
            f"{name!r} is not a role name this command accepts: lower-case letters, digits and _, "
            "starting with a letter or _, at most 63 characters."
        )
    return name


def _one(cursor, sql: str, params=()):
    cursor.execute(sql, params)
    row = cursor.fetchone()
    return row[0] if row else None


def _role_statements(cursor, role: str, password: str | None) -> list[Statement]:
    exists = _one(cursor, "SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
    verb = "ALTER" if exists else "CREATE"
    statements = [Statement(f"{verb} ROLE {role} {ROLE_ATTRIBUTES}")]
    if password:
        statements.append(Statement(f"ALTER ROLE {role} PASSWORD %s", (password,),
                                    shown=f"ALTER ROLE {role} PASSWORD '(from the environment)'"))
    return statements


def plan(connection, owner: str, app: str, *, owner_password: str | None = None,
         app_password: str | None = None) -> list[Statement]:
    """The statements that make ``owner`` own everything and ``app`` only use it, on this database.

    Reads the catalogue to list the objects whose owner must change; changes nothing.
    """
    if connection.vendor != "postgresql":
        raise RoleError("Database roles are PostgreSQL's: SQLite has none (protect the database file instead).")
    owner, app = _check_name(owner), _check_name(app)
    if owner == app:
        raise RoleError("The owner role and the application role must be two different roles.")
    with connection.cursor() as cursor:
        me = _one(cursor, "SELECT current_user")
        if app == me:
            raise RoleError(f"You are connected as {app}: run this as a database administrator, not as the application role.")
        database = _one(cursor, "SELECT current_database()").replace('"', '""')
        statements = [*_role_statements(cursor, owner, owner_password), *_role_statements(cursor, app, app_password)]
        if _one(cursor, "SELECT 1 FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.roleid "
                        "JOIN pg_roles u ON u.oid = m.member WHERE u.rolname = %s AND r.rolname = %s", [app, owner]):
            statements.append(Statement(f"REVOKE {owner} FROM {app}"))
        if _one(cursor, "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = current_database()") == app:
            statements.append(Statement(f'ALTER DATABASE "{database}" OWNER TO {owner}'))
        if _one(cursor, "SELECT pg_get_userbyid(nspowner) FROM pg_namespace WHERE nspname = %s", [SCHEMA]) == app:
            statements.append(Statement(f"ALTER SCHEMA {SCHEMA} OWNER TO {owner}"))
        statements += [
            Statement(f'GRANT CONNECT ON DATABASE "{database}" TO {owner}, {app}'),
            Statement(f"REVOKE CREATE ON SCHEMA {SCHEMA} FROM PUBLIC"),
            Statement(f"REVOKE CREATE ON SCHEMA {SCHEMA} FROM {app}"),
            Statement(f"GRANT USAGE, CREATE ON SCHEMA {SCHEMA} TO {owner}"),
            Statement(f"GRANT USAGE ON SCHEMA {SCHEMA} TO {app}"),
        ]
        # Tables, views and sequences not owned by a table (an identity or serial column's
        # sequence follows its table), then functions (the audit trigger's among them).
        cursor.execute(
            """SELECT c.relkind, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
               WHERE n.nspname = %s AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
                 AND pg_get_userbyid(c.relowner) <> %s
                 AND NOT (c.relkind = 'S' AND EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                          AND d.objid = c.oid AND d.deptype IN ('a', 'i')))
               ORDER BY c.relkind, c.relname""",
            [SCHEMA, owner],
        )
        kinds = {"v": "VIEW", "m": "MATERIALIZED VIEW", "f": "FOREIGN TABLE", "S": "SEQUENCE"}
        statements += [Statement(f'ALTER {kinds.get(kind, "TABLE")} {SCHEMA}."{name}" OWNER TO {owner}')
                       for kind, name in cursor.fetchall()]
        cursor.execute(
            """SELECT p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
               WHERE n.nspname = %s AND pg_get_userbyid(p.proowner) <> %s
                 AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass
                                 AND d.objid = p.oid AND d.deptype = 'e')
               ORDER BY 1""",
            [SCHEMA, owner],
        )
        statements += [Statement(f"ALTER ROUTINE {signature} OWNER TO {owner}") for (signature,) in cursor.fetchall()]
    statements += [
        Statement(f"GRANT {APP_TABLE_PRIVILEGES} ON ALL TABLES IN SCHEMA {SCHEMA} TO {app}"),
        Statement(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {SCHEMA} TO {app}"),
        # The audit log: add and read, nothing else, for the application and for everyone else.
        Statement(f"REVOKE ALL ON {SCHEMA}.{AUDIT_TABLE} FROM PUBLIC"),
        Statement(f"REVOKE ALL ON {SCHEMA}.{AUDIT_TABLE} FROM {app}"),
        Statement(f"GRANT {APP_AUDIT_PRIVILEGES} ON {SCHEMA}.{AUDIT_TABLE} TO {app}"),
        # Tables and sequences that later migrations (run as the owner) create.
        Statement(f"ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA {SCHEMA} "
                  f"GRANT {APP_TABLE_PRIVILEGES} ON TABLES TO {app}"),
        Statement(f"ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA {SCHEMA} "
                  f"GRANT USAGE, SELECT ON SEQUENCES TO {app}"),
    ]
    return statements


def apply(connection, statements: list[Statement]) -> None:
    """Run the statements in one transaction: all of them or none.

    A statement's parameters (a password) are written into its text as a quoted literal first:
    ``ALTER ROLE ... PASSWORD`` takes no bound parameter, and the service binds parameters on the
    server (nwd.settings, docs/decisions/0011-prepared-statements.md).
    """
    from django.db import transaction

    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        for statement in statements:
            if statement.params:
                cursor.execute(connection.ops.compose_sql(statement.sql, list(statement.params)))
            else:
                cursor.execute(statement.sql)


def weaknesses(connection) -> list[str]:
    """What the connected role could do to rewrite the audit log, in words; empty when nothing.

    Only PostgreSQL has roles: on SQLite anyone who can write the file can rewrite it (the hash
    chain still shows it), so this answers nothing there.
    """
    if connection.vendor != "postgresql":
        return []
    found = []
    with connection.cursor() as cursor:
        if not _one(cursor, "SELECT to_regclass(%s) IS NOT NULL", [f"{SCHEMA}.{AUDIT_TABLE}"]):
            return []
        me = _one(cursor, "SELECT current_user")
        if _one(cursor, "SELECT rolsuper FROM pg_roles WHERE rolname = current_user"):
            return [f"the role {me} is a superuser: it can switch off the audit log's trigger and empty the log"]
        if _one(cursor, "SELECT pg_has_role(current_user, relowner, 'USAGE') FROM pg_class WHERE oid = %s::regclass",
                [f"{SCHEMA}.{AUDIT_TABLE}"]):
            found.append(f"the role {me} owns the audit table (or acts as its owner): it can drop or disable its trigger")
        if _one(cursor, "SELECT pg_has_role(current_user, nspowner, 'USAGE') FROM pg_namespace WHERE nspname = %s",
                [SCHEMA]):
            found.append(f"the role {me} owns the schema {SCHEMA}: it can drop the audit table")
        for privilege in ("UPDATE", "DELETE", "TRUNCATE", "TRIGGER"):
            if _one(cursor, "SELECT has_table_privilege(%s, %s)", [f"{SCHEMA}.{AUDIT_TABLE}", privilege]):
                found.append(f"the role {me} has the {privilege} privilege on the audit table")
        if connection.pg_version >= 150000 and _one(
                cursor, "SELECT has_parameter_privilege('session_replication_role', 'SET')"):
            found.append(f"the role {me} may set session_replication_role, which switches off triggers")
    return found
