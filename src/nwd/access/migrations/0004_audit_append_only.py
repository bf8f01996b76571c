"""The audit log is append-only in the database as well as in the application.

PostgreSQL: a PL/pgSQL function and a BEFORE UPDATE OR DELETE row trigger that raise.
SQLite: BEFORE UPDATE and BEFORE DELETE triggers that RAISE(ABORT) (re-installed after every migrate,
because SQLite drops a table's triggers when it rebuilds the table to alter it).
The SQL is in nwd.access.triggers; each statement runs only on its own engine.
"""

from django.db import migrations

from nwd.access import triggers
from nwd.access.migration_ops import RunSQLOn


class Migration(migrations.Migration):

    dependencies = [
        ("access", "0003_auditevent"),
    ]

    operations = [
        RunSQLOn("postgresql", triggers.POSTGRES_INSTALL, reverse_sql=triggers.POSTGRES_REMOVE),
        RunSQLOn("sqlite", triggers.SQLITE_INSTALL, reverse_sql=triggers.SQLITE_REMOVE),
    ]
