"""access 0002-0012 squashed: what a new database runs (one with access 0001 and none of these).

Hand-tidied from ``squashmigrations``: the audit log's fields are in its ``CreateModel`` (0005's
choices; 0007's ``sequence`` and ``chain_hash`` as 0007 added them, then made required), the models
are created together (``CreateModels``), and the SQL comes after them in the replaced migrations'
order: 0004's append-only triggers, 0007's chain backfill (nothing to link, the table was just
created, but it runs as 0007 did) and 0007's ``nwd_audit_chain_head()``. A database that has applied
some of 0002-0012 goes on with those migrations instead (``replaces``). Why:
docs/decisions/0010-migrating-from-nothing.md.
"""

from importlib import import_module

import django.db.models.deletion
import django.utils.timezone
import simple_history.models
from django.conf import settings
from django.db import migrations, models

from nwd.access import chain, triggers
from nwd.access.migration_ops import RunSQLOn
from nwd.core.migration_ops import CreateModels

# The module's name starts with a digit: import it by name, to run 0007's own backfill.
link_existing_events = import_module("nwd.access.migrations.0007_audit_hash_chain").link_existing_events


class Migration(migrations.Migration):

    replaces = [('access', '0002_initial'), ('access', '0003_auditevent'), ('access', '0004_audit_append_only'), ('access', '0005_return_fields'), ('access', '0006_enrolment_codes_and_demo_marker'), ('access', '0007_audit_hash_chain'), ('access', '0008_single_sign_on_identity'), ('access', '0009_personal_adviser_role'), ('access', '0010_commissioning_officer_role'), ('access', '0011_integration_role'), ('access', '0012_inspector_role')]

    dependencies = [
        ('access', '0001_initial'),
        ('auth', '0012_alter_user_first_name_max_length'),
        ('casework', '0002_initial'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('hubs', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='user',
            name='hub',
            field=models.ForeignKey(blank=True, help_text='The hub a key worker, residential worker, hub manager or portfolio lead works at.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='staff', to='hubs.hub'),
        ),
        migrations.AddField(
            model_name='user',
            name='user_permissions',
            field=models.ManyToManyField(blank=True, help_text='Specific permissions for this user.', related_name='user_set', related_query_name='user', to='auth.permission', verbose_name='user permissions'),
        ),
        CreateModels([
            migrations.CreateModel(
                name='AuditEvent',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('at', models.DateTimeField(db_index=True, default=django.utils.timezone.now)),
                    ('username', models.CharField(blank=True, help_text='The user name at the time (or the one typed, for a failed sign-in).', max_length=150)),
                    ('action', models.CharField(choices=[('view', 'Viewed a record'), ('list', 'Saw in a list'), ('search', 'Found in a search'), ('export', 'Exported'), ('download', 'Downloaded'), ('denied', 'Was refused'), ('create', 'Created'), ('change', 'Changed'), ('delete', 'Deleted'), ('import', 'Imported'), ('login_success', 'Signed in'), ('login_failure', 'Failed to sign in'), ('logout', 'Signed out'), ('lockout', 'Locked out'), ('otp_enrolled', 'Set up a second factor'), ('otp_verified', 'Passed the second factor'), ('otp_failure', 'Failed the second factor')], db_index=True, max_length=20)),
                    ('object_id', models.CharField(blank=True, max_length=64)),
                    ('ip_address', models.GenericIPAddressField(blank=True, null=True)),
                    ('user_agent', models.CharField(blank=True, max_length=300)),
                    ('method', models.CharField(blank=True, max_length=8)),
                    ('path', models.CharField(blank=True, max_length=500)),
                    ('detail', models.TextField(blank=True)),
                    ('content_type', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='contenttypes.contenttype')),
                    ('user', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='audit_events', to=settings.AUTH_USER_MODEL)),
                    ('young_person', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='casework.youngperson')),
                    ('sequence', models.BigIntegerField(editable=False, null=True)),
                    ('chain_hash', models.CharField(editable=False, max_length=64, null=True)),
                ],
                options={
                    'ordering': ['-at', '-pk'],
                    'indexes': [models.Index(fields=['young_person', 'at'], name='access_audi_young_p_0d578f_idx'), models.Index(fields=['user', 'at'], name='access_audi_user_id_24a490_idx'), models.Index(fields=['content_type', 'object_id'], name='access_audi_content_e841ce_idx')],
                },
            ),
            migrations.CreateModel(
                name='DemoDatabase',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                    ('accounts', models.ManyToManyField(blank=True, related_name='+', to=settings.AUTH_USER_MODEL)),
                ],
                options={
                    'verbose_name': 'demo database marker',
                },
            ),
            migrations.CreateModel(
                name='EnrolmentCode',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('code_hash', models.CharField(help_text='SHA-256 of the code; the code itself is never kept.', max_length=64, unique=True)),
                    ('issued_at', models.DateTimeField(default=django.utils.timezone.now)),
                    ('expires_at', models.DateTimeField()),
                    ('used_at', models.DateTimeField(blank=True, null=True)),
                    ('withdrawn_at', models.DateTimeField(blank=True, help_text='Replaced by a newer code, or too many wrong tries.', null=True)),
                    ('wrong_tries', models.PositiveSmallIntegerField(default=0)),
                    ('issued_by', models.ForeignKey(blank=True, help_text='The administrator who issued it (empty when issued from the command line).', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='enrolment_codes', to=settings.AUTH_USER_MODEL)),
                ],
                options={
                    'ordering': ['-issued_at'],
                },
            ),
            migrations.CreateModel(
                name='HistoricalSingleSignOnIdentity',
                fields=[
                    ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                    ('issuer', models.CharField(help_text="The provider's issuer URL, as its ID tokens name it.", max_length=255)),
                    ('subject', models.CharField(help_text="The provider's identifier for the person (the `sub` claim).", max_length=255)),
                    ('linked', models.CharField(choices=[('created', 'Account created at first sign-in'), ('email', 'Existing account with the same email address'), ('administrator', 'Linked by an administrator')], default='administrator', max_length=16)),
                    ('linked_at', models.DateTimeField(default=django.utils.timezone.now)),
                    ('last_sign_in_at', models.DateTimeField(blank=True, null=True)),
                    ('history_id', models.AutoField(primary_key=True, serialize=False)),
                    ('history_date', models.DateTimeField(db_index=True)),
                    ('history_change_reason', models.CharField(max_length=100, null=True)),
                    ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                    ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('user', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                ],
                options={
                    'verbose_name': 'historical single sign-on identity',
                    'verbose_name_plural': 'historical single sign-on identitys',
                    'ordering': ('-history_date', '-history_id'),
                    'get_latest_by': ('history_date', 'history_id'),
                },
                bases=(simple_history.models.HistoricalChanges, models.Model),
            ),
            migrations.CreateModel(
                name='SingleSignOnIdentity',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('issuer', models.CharField(help_text="The provider's issuer URL, as its ID tokens name it.", max_length=255)),
                    ('subject', models.CharField(help_text="The provider's identifier for the person (the `sub` claim).", max_length=255)),
                    ('linked', models.CharField(choices=[('created', 'Account created at first sign-in'), ('email', 'Existing account with the same email address'), ('administrator', 'Linked by an administrator')], default='administrator', max_length=16)),
                    ('linked_at', models.DateTimeField(default=django.utils.timezone.now)),
                    ('last_sign_in_at', models.DateTimeField(blank=True, null=True)),
                    ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='sso_identities', to=settings.AUTH_USER_MODEL)),
                ],
                options={
                    'verbose_name': 'single sign-on identity',
                    'constraints': [models.UniqueConstraint(fields=('issuer', 'subject'), name='sso_identity_one_account_per_subject'), models.UniqueConstraint(fields=('user', 'issuer'), name='sso_identity_one_subject_per_account')],
                },
            ),
        ]),
        migrations.AlterField(
            model_name='user',
            name='role',
            field=models.CharField(choices=[('key_worker', 'Key worker'), ('residential_worker', 'Residential worker'), ('hub_manager', 'Hub manager'), ('service_manager', 'Service manager'), ('life_coach', 'Life coach (clinical psychologist)'), ('communication_support', 'Communication support worker (speech and language therapist)'), ('police_liaison', 'Police liaison officer'), ('mental_health', 'Mental-health worker'), ('substance_misuse', 'Substance-misuse worker'), ('portfolio_lead', 'Portfolio lead'), ('partner_referrer', 'Partner-agency referrer'), ('analyst', 'Analyst'), ('dpo', 'Data protection officer'), ('personal_adviser', 'Personal adviser (care leavers)'), ('commissioning_officer', 'Commissioning officer'), ('integration', 'Integration (council case system, read only)'), ('inspector', 'Inspector (Ofsted)')], max_length=32),
        ),
        # 0007 made these two required and the sequence unique after linking the events (PostgreSQL
        # names that constraint *_uniq, as it does here; on SQLite each rebuilds the table).
        migrations.AlterField(
            model_name='auditevent',
            name='sequence',
            field=models.BigIntegerField(editable=False, help_text="The event's place in the hash chain: 1, 2, 3... with no gaps (a gap is a deleted event).", unique=True),
        ),
        migrations.AlterField(
            model_name='auditevent',
            name='chain_hash',
            field=models.CharField(editable=False, help_text="SHA-256 over the previous event's chain hash and this event's content (nwd.access.chain).", max_length=64),
        ),
        RunSQLOn("postgresql", triggers.POSTGRES_INSTALL, reverse_sql=triggers.POSTGRES_REMOVE),
        RunSQLOn("sqlite", triggers.SQLITE_INSTALL, reverse_sql=triggers.SQLITE_REMOVE),
        migrations.RunPython(link_existing_events, migrations.RunPython.noop, elidable=False),
        RunSQLOn("postgresql", chain.POSTGRES_INSTALL, reverse_sql=chain.POSTGRES_REMOVE),
    ]
