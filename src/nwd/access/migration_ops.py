"""Migration operations that run on one database engine only.

``RunSQL`` runs its SQL on whatever engine migrates; the audit log's triggers are written once per
engine (PL/pgSQL for PostgreSQL, SQLite's trigger syntax), so each runs only where it belongs.
"""

from __future__ import annotations

from django.db import migrations


class RunSQLOn(migrations.RunSQL):
    """``RunSQL`` (with ``reverse_sql``) that only runs when migrating a database of ``vendor``."""

    def __init__(self, vendor: str, sql, reverse_sql=None, **kwargs) -> None:
        self.vendor = vendor
        super().__init__(sql, reverse_sql, **kwargs)

    def deconstruct(self):
        name, args, kwargs = super().deconstruct()
        return name, [self.vendor, *args], kwargs

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == self.vendor:
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == self.vendor:
            super().database_backwards(app_label, schema_editor, from_state, to_state)

    def describe(self):
        return f"Raw SQL operation on {self.vendor} only"
