"""Migration operations for a cheaper migrate from nothing (docs/decisions/0010-migrating-from-nothing.md).

``CreateModels``: several ``CreateModel`` with one re-render of the migration state instead of one
each. ``RunDeferredSQL``: the SQL a migration keeps for its end, run where a squashed migration needs
it. In core, below every app, so any app's migrations may use them.
"""

from __future__ import annotations

from django.db import migrations
from django.db.migrations.operations.base import Operation


class CreateModels(Operation):
    """Several ``CreateModel`` operations of one migration, the state re-rendered once for all of them.

    Each ``CreateModel`` re-renders every model related to the new one, recursively; every historical
    model has a foreign key to the user model, so that is nearly every model of the project, and a
    migrate from nothing rendered about 18,000 model classes (most of its CPU time). Here the models are
    added to the state together and rendered once. The tables are what the same ``CreateModel``
    operations make one by one: each is created from its own final model (a table's SQL depends only on
    its own fields and the tables they point to), in the same order; foreign keys to a table created
    later in the group are inline on SQLite (checked at commit) and deferred to the end of the
    migration on PostgreSQL, as Django does for any ``CreateModel``.
    """

    reduces_to_sql = True
    reversible = True

    def __init__(self, operations: list[migrations.CreateModel]) -> None:
        self.operations = operations

    def state_forwards(self, app_label, state):
        # Without the rendered apps in the state, add_model() only records the model state (as while
        # makemigrations or the loader builds the graph's states); the apps are rendered once after.
        apps = state.__dict__.pop("apps", None)
        try:
            for operation in self.operations:
                operation.state_forwards(app_label, state)
        finally:
            if apps is not None:
                state.__dict__["apps"] = apps
        state.reload_models([(app_label, operation.name_lower) for operation in self.operations], delay=False)

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        for operation in self.operations:
            operation.database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        for operation in reversed(self.operations):
            operation.database_backwards(app_label, schema_editor, from_state, to_state)

    def references_model(self, name, app_label):
        return any(operation.references_model(name, app_label) for operation in self.operations)

    def describe(self):
        return "Create models " + ", ".join(operation.name for operation in self.operations)

    @property
    def migration_name_fragment(self):
        return "_".join(operation.migration_name_fragment for operation in self.operations)[:40]


class RunDeferredSQL(Operation):
    """Run now the SQL that the migration's schema editor keeps for its end (indexes, foreign keys).

    Django creates a new table's indexes and foreign keys when the migration ends; an ``AlterField``
    later in the same migration that drops such an index (``db_index=False``) looks for it in the
    database, finds nothing, and the index is created afterwards all the same. Between migrations
    that SQL has run, so a squashed migration that keeps such an ``AlterField`` after its
    ``CreateModel`` runs this where the replaced migrations ended.
    """

    reduces_to_sql = True
    reversible = True

    def state_forwards(self, app_label, state):
        pass

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        for sql in schema_editor.deferred_sql:
            schema_editor.execute(sql)
        schema_editor.deferred_sql = []

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        pass

    def describe(self):
        return "Run the SQL deferred so far (indexes and foreign keys of the tables created above)"
