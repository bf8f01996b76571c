"""``flush`` (empty every table), allowed to empty the audit log too, on SQLite as on PostgreSQL.

PostgreSQL empties tables with TRUNCATE, which row triggers do not see; SQLite deletes rows, which
the audit log's triggers refuse. Emptying the whole database is a reset (the test runner does it
between transactional tests), not an edit of the evidence, so this command unlocks the SQLite
triggers for its own duration. Single rows stay unchangeable.
"""

from django.core.management.commands.flush import Command as DjangoFlush

from nwd.access.triggers import emptying_database


class Command(DjangoFlush):
    def handle(self, **options):
        with emptying_database():
            return super().handle(**options)
