"""An index for the search by name, so a search costs what it finds, not the size of the county.

The search (``nwd.casework.queries.search``) matches every word anywhere in the given, family or
preferred name, case-insensitively.

- PostgreSQL: trigram GIN indexes (``pg_trgm``) on ``UPPER(name)``, the very expression Django's
  ``icontains`` writes (``UPPER(col::text) LIKE UPPER('%word%')``), so the same query uses them.
- SQLite: an FTS5 table with the trigram tokenizer (substring matching, case-insensitive) over the
  three names, kept up to date by triggers on the young person's table; the search asks it for words
  of three letters or more (``casework_youngperson_names MATCH``). A later migration that rebuilds
  the young person's table on SQLite drops these triggers: a test (tests/casework/test_name_search.py)
  fails if a new young person cannot be found, so such a migration must create them again.
"""

from django.db import migrations

from nwd.access.migration_ops import RunSQLOn

NAMES = ("given_name", "family_name", "preferred_name")

POSTGRESQL = ["CREATE EXTENSION IF NOT EXISTS pg_trgm"] + [
    f"CREATE INDEX IF NOT EXISTS casework_yp_{name}_trgm ON casework_youngperson "
    f"USING gin (UPPER({name}::text) gin_trgm_ops)"
    for name in NAMES
]
POSTGRESQL_REVERSE = [f"DROP INDEX IF EXISTS casework_yp_{name}_trgm" for name in NAMES]

COLUMNS = ", ".join(NAMES)
NEW = ", ".join(f"new.{name}" for name in NAMES)
OLD = ", ".join(f"old.{name}" for name in NAMES)
SQLITE = [
    f"CREATE VIRTUAL TABLE casework_youngperson_names USING fts5({COLUMNS}, "
    "content='casework_youngperson', content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER casework_youngperson_names_insert AFTER INSERT ON casework_youngperson BEGIN "
    f"INSERT INTO casework_youngperson_names(rowid, {COLUMNS}) VALUES (new.id, {NEW}); END",
    "CREATE TRIGGER casework_youngperson_names_delete AFTER DELETE ON casework_youngperson BEGIN "
    f"INSERT INTO casework_youngperson_names(casework_youngperson_names, rowid, {COLUMNS}) "
    f"VALUES ('delete', old.id, {OLD}); END",
    f"CREATE TRIGGER casework_youngperson_names_update AFTER UPDATE OF {COLUMNS} ON casework_youngperson BEGIN "
    f"INSERT INTO casework_youngperson_names(casework_youngperson_names, rowid, {COLUMNS}) "
    f"VALUES ('delete', old.id, {OLD}); "
    f"INSERT INTO casework_youngperson_names(rowid, {COLUMNS}) VALUES (new.id, {NEW}); END",
    "INSERT INTO casework_youngperson_names(casework_youngperson_names) VALUES ('rebuild')",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS casework_youngperson_names_insert",
    "DROP TRIGGER IF EXISTS casework_youngperson_names_delete",
    "DROP TRIGGER IF EXISTS casework_youngperson_names_update",
    "DROP TABLE IF EXISTS casework_youngperson_names",
]


class Migration(migrations.Migration):

    dependencies = [
        ("casework", "0006_young_person_date_of_death"),
    ]

    operations = [
        RunSQLOn("postgresql", POSTGRESQL, POSTGRESQL_REVERSE),
        RunSQLOn("sqlite", SQLITE, SQLITE_REVERSE),
    ]
