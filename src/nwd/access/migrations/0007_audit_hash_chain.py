"""The audit log's hash chain: every event gets a sequence number and a chain hash.

Events already in the log are linked in the order they were written (by id), as they are found now:
the chain proves nothing about what happened to them before this migration. The triggers refuse
every UPDATE, so they are lifted for this one transaction (on PostgreSQL ALTER TABLE ... DISABLE
TRIGGER, which only the table's owner may do: run migrate as the owner role; on SQLite the
connection's own unlock), and are back before it commits.

On PostgreSQL it also adds ``nwd_audit_chain_head()``, which takes the chain's advisory lock and
reads the head in one round trip (``nwd.access.chain``).
"""

from django.db import migrations, models

from nwd.access import chain, triggers
from nwd.access.migration_ops import RunSQLOn


def link_existing_events(apps, schema_editor):
    connection = schema_editor.connection
    AuditEvent = apps.get_model("access", "AuditEvent")
    table = AuditEvent._meta.db_table
    rows = AuditEvent.objects.using(connection.alias).order_by("id")
    if not rows.exists():
        return
    names = ("id", *(name for name in chain.CHAINED_FIELDS if name != "sequence"))
    with connection.cursor() as cursor, triggers.lifted(connection):
        previous = chain.GENESIS
        batch = []
        for sequence, values in enumerate(rows.values(*names).iterator(chunk_size=5000), start=1):
            values["sequence"] = sequence
            previous = chain.link(previous, values)
            batch.append((sequence, previous, values["id"]))
            if len(batch) == 5000:
                cursor.executemany(f"UPDATE {table} SET sequence = %s, chain_hash = %s WHERE id = %s", batch)  # noqa: S608
                batch = []
        if batch:
            cursor.executemany(f"UPDATE {table} SET sequence = %s, chain_hash = %s WHERE id = %s", batch)  # noqa: S608


class Migration(migrations.Migration):

    dependencies = [
        ("access", "0006_enrolment_codes_and_demo_marker"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="sequence",
            field=models.BigIntegerField(null=True, editable=False),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="chain_hash",
            field=models.CharField(max_length=64, null=True, editable=False),
        ),
        migrations.RunPython(link_existing_events, migrations.RunPython.noop, elidable=False),
        migrations.AlterField(
            model_name="auditevent",
            name="sequence",
            field=models.BigIntegerField(
                editable=False, unique=True,
                help_text="The event's place in the hash chain: 1, 2, 3... with no gaps (a gap is a deleted event).",
            ),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="chain_hash",
            field=models.CharField(
                editable=False, max_length=64,
                help_text="SHA-256 over the previous event's chain hash and this event's content (nwd.access.chain).",
            ),
        ),
        RunSQLOn("postgresql", chain.POSTGRES_INSTALL, reverse_sql=chain.POSTGRES_REMOVE),
    ]
