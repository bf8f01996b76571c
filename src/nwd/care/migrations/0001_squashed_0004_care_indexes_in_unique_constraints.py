"""care 0001-0004 squashed: what a new database runs (one with none of them; ``replaces``).

From ``squashmigrations``, with 0002's constraints and indexes in the models' ``CreateModel`` (run
together: ``CreateModels``) and 0003-0004's ``AlterField`` kept after them, where the replaced
migrations ran them (on SQLite they rebuild the table, and so decide its column order). Why:
docs/decisions/0010-migrating-from-nothing.md.
"""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models

from nwd.core.migration_ops import CreateModels, RunDeferredSQL


class Migration(migrations.Migration):

    replaces = [('care', '0001_initial'), ('care', '0002_initial'), ('care', '0003_return_fields'), ('care', '0004_care_indexes_in_unique_constraints')]

    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ('casework', '0005_return_fields'),
        ('hubs', '0001_initial'),
    ]

    operations = [
        CreateModels([
            migrations.CreateModel(
                name='CarePeriod',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('start', models.DateField()),
                    ('end', models.DateField(blank=True, null=True)),
                    ('young_person', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='care_periods', to='casework.youngperson')),
                ],
                options={
                    'ordering': ['young_person', 'start'],
                    'constraints': [models.CheckConstraint(condition=models.Q(('end__isnull', True), ('end__gte', models.F('start')), _connector='OR'), name='care_period_end_not_before_start', violation_error_message='The end of care must be on or after its start.'), models.UniqueConstraint(fields=('young_person', 'start'), name='care_period_unique_start')],
                },
            ),
            migrations.CreateModel(
                name='CareReview',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('review_date', models.DateField(verbose_name='REVIEW')),
                    ('review_code', models.CharField(blank=True, max_length=4, verbose_name='REVIEW_CODE')),
                    ('young_person', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='care_reviews', to='casework.youngperson')),
                ],
                options={
                    'ordering': ['young_person', 'review_date'],
                    'constraints': [models.UniqueConstraint(fields=('young_person', 'review_date'), name='care_review_unique')],
                },
            ),
            migrations.CreateModel(
                name='HistoricalCarePeriod',
                fields=[
                    ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                    ('start', models.DateField()),
                    ('end', models.DateField(blank=True, null=True)),
                    ('history_id', models.AutoField(primary_key=True, serialize=False)),
                    ('history_date', models.DateTimeField(db_index=True)),
                    ('history_change_reason', models.CharField(max_length=100, null=True)),
                    ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                    ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('young_person', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='casework.youngperson')),
                ],
                options={
                    'verbose_name': 'historical care period',
                    'verbose_name_plural': 'historical care periods',
                    'ordering': ('-history_date', '-history_id'),
                    'get_latest_by': ('history_date', 'history_id'),
                },
                bases=(simple_history.models.HistoricalChanges, models.Model),
            ),
            migrations.CreateModel(
                name='HistoricalProvider',
                fields=[
                    ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                    ('name', models.CharField(max_length=120)),
                    ('place_provider', models.CharField(choices=[('PR0', 'PR0: Parent(s) or other person(s) with parental responsibility'), ('PR1', 'PR1: Own provision (by the local authority)'), ('PR2', 'PR2: Other local authority provision'), ('PR3', 'PR3: Other public provision (for example a primary care trust)'), ('PR4', 'PR4: Private provision'), ('PR5', 'PR5: Voluntary/third sector provision')], max_length=3, verbose_name='PLACE_PROVIDER')),
                    ('urn', models.CharField(blank=True, max_length=10, verbose_name='Ofsted URN')),
                    ('in_area', models.BooleanField(default=True, help_text="Within the council's own boundary.")),
                    ('regulated', models.BooleanField(default=True, help_text='Registered with Ofsted.')),
                    ('history_id', models.AutoField(primary_key=True, serialize=False)),
                    ('history_date', models.DateTimeField(db_index=True)),
                    ('history_change_reason', models.CharField(max_length=100, null=True)),
                    ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                    ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ],
                options={
                    'verbose_name': 'historical provider',
                    'verbose_name_plural': 'historical providers',
                    'ordering': ('-history_date', '-history_id'),
                    'get_latest_by': ('history_date', 'history_id'),
                },
                bases=(simple_history.models.HistoricalChanges, models.Model),
            ),
            migrations.CreateModel(
                name='Provider',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('name', models.CharField(max_length=120)),
                    ('place_provider', models.CharField(choices=[('PR0', 'PR0: Parent(s) or other person(s) with parental responsibility'), ('PR1', 'PR1: Own provision (by the local authority)'), ('PR2', 'PR2: Other local authority provision'), ('PR3', 'PR3: Other public provision (for example a primary care trust)'), ('PR4', 'PR4: Private provision'), ('PR5', 'PR5: Voluntary/third sector provision')], max_length=3, verbose_name='PLACE_PROVIDER')),
                    ('urn', models.CharField(blank=True, max_length=10, verbose_name='Ofsted URN')),
                    ('in_area', models.BooleanField(default=True, help_text="Within the council's own boundary.")),
                    ('regulated', models.BooleanField(default=True, help_text='Registered with Ofsted.')),
                ],
                options={
                    'ordering': ['name'],
                    'constraints': [models.UniqueConstraint(fields=('name', 'place_provider'), name='provider_unique')],
                },
            ),
            migrations.CreateModel(
                name='HistoricalCareEpisode',
                fields=[
                    ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                    ('created_at', models.DateTimeField(blank=True, editable=False)),
                    ('decom', models.DateField(help_text='Date the episode commenced.', verbose_name='DECOM')),
                    ('dec', models.DateField(blank=True, help_text='Date the episode ceased.', null=True, verbose_name='DEC')),
                    ('rne', models.CharField(choices=[('S', 'S: Started to be looked after'), ('L', 'L: Change of legal status only'), ('P', 'P: Change of placement and carer(s) only'), ('T', 'T: Change of placement but same carer(s)'), ('B', 'B: Change of legal status and placement and carer(s) at the same time'), ('U', 'U: Change of legal status and change of placement but same carer(s)')], max_length=1, verbose_name='RNE')),
                    ('ls', models.CharField(choices=[('C1', 'C1: Interim care order'), ('C2', 'C2: Full care order'), ('D1', 'D1: Freeing order granted'), ('E1', 'E1: Placement order granted'), ('V2', 'V2: Single period of accommodation under section 20'), ('V3', 'V3: Accommodated under an agreed series of short-term breaks, individual episodes'), ('V4', 'V4: Accommodated under an agreed series of short-term breaks, summary episode'), ('L1', 'L1: Under police protection and in local authority accommodation'), ('L2', 'L2: Emergency protection order'), ('L3', 'L3: Under child assessment order and in local authority accommodation'), ('J1', 'J1: Remanded to local authority accommodation or to youth detention accommodation'), ('J2', 'J2: Placed in local authority accommodation under PACE'), ('J3', 'J3: Sentenced to a youth rehabilitation order with residence requirement')], max_length=2, verbose_name='LS')),
                    ('cin', models.CharField(choices=[('N1', 'N1: Abuse or neglect'), ('N2', "N2: Child's disability"), ('N3', 'N3: Parental illness or disability'), ('N4', 'N4: Family in acute stress'), ('N5', 'N5: Family dysfunction'), ('N6', 'N6: Socially unacceptable behaviour'), ('N7', 'N7: Low income'), ('N8', 'N8: Absent parenting')], max_length=2, verbose_name='CIN')),
                    ('place', models.CharField(choices=[('U1', 'U1: Foster placement with relative or friend, long term fostering'), ('U2', 'U2: Foster placement with relative or friend who is also an approved adopter (FFA)'), ('U3', 'U3: Foster placement with relative or friend, not long term or FFA'), ('U4', 'U4: Foster placement with other foster carer, long term fostering'), ('U5', 'U5: Foster placement with other foster carer who is also an approved adopter (FFA)'), ('U6', 'U6: Foster placement with other foster carer, not long term or FFA'), ('A3', 'A3: Placed for adoption with consent, with current foster carer'), ('A4', 'A4: Placed for adoption with consent, not with current foster carer'), ('A5', 'A5: Placed for adoption with placement order, with current foster carer'), ('A6', 'A6: Placed for adoption with placement order, not with current foster carer'), ('K1', "K1: Secure children's home"), ('K2', "K2: Children's home"), ('K3', 'K3: Registered supported accommodation'), ('H5', "H5: Semi-independent living accommodation not subject to children's homes regulations"), ('P1', 'P1: Placed with own parent(s) or other person(s) with parental responsibility'), ('P2', 'P2: Independent living, for example in a flat, lodgings or bedsit'), ('P3', 'P3: Residential employment'), ('R1', 'R1: Residential care home'), ('R2', 'R2: NHS or health trust or other establishment providing medical or nursing care'), ('R3', 'R3: Family centre or mother and baby unit'), ('R5', 'R5: Young offender institution or prison'), ('S1', "S1: All residential schools, except where dual-registered as a school and children's home"), ('T0', 'T0: Temporary placement: all types of temporary move'), ('T1', 'T1: Temporary periods in hospital'), ('T2', 'T2: Temporary absences of the child on holiday'), ('T3', 'T3: Temporary accommodation whilst normal foster carer is on holiday'), ('T4', 'T4: Temporary accommodation of seven days or less, for any reason not covered by T1-T3'), ('Z1', 'Z1: Other placements'), ('Z11', "Z11: Unregistered children's home"), ('Z12', 'Z12: Unregistered supported accommodation'), ('Z13', 'Z13: Other unregistered placement'), ('Z14', 'Z14: Other registered placement')], max_length=3, verbose_name='PLACE')),
                    ('place_provider', models.CharField(blank=True, choices=[('PR0', 'PR0: Parent(s) or other person(s) with parental responsibility'), ('PR1', 'PR1: Own provision (by the local authority)'), ('PR2', 'PR2: Other local authority provision'), ('PR3', 'PR3: Other public provision (for example a primary care trust)'), ('PR4', 'PR4: Private provision'), ('PR5', 'PR5: Voluntary/third sector provision')], max_length=3, verbose_name='PLACE_PROVIDER')),
                    ('rec', models.CharField(blank=True, choices=[('X1', 'X1: Episode ceases, and new episode begins on same day, for any reason'), ('E11', 'E11: Adopted: application for an adoption order unopposed'), ('E12', 'E12: Adopted: consent dispensed with by the court'), ('E2', 'E2: Died'), ('E3', 'E3: Care taken over by another local authority in the UK'), ('E4A', 'E4A: Returned home to live with parents or relatives, as part of the care planning process'), ('E4B', 'E4B: Returned home to live with parents or relatives, not as part of the care planning process'), ('E13', 'E13: Left care to live with parent(s), relative(s) or other person(s) with no parental responsibility'), ('E41', 'E41: Residence order or child arrangement order granted'), ('E45', 'E45: Special guardianship order made to former foster carer(s), who were relatives or friends'), ('E46', 'E46: Special guardianship order made to former foster carer(s), other than relatives or friends'), ('E47', 'E47: Special guardianship order made to carer(s), other than former foster carer(s), who were relatives or friends'), ('E48', 'E48: Special guardianship order made to carer(s), other than former foster carer(s), other than relatives or friends'), ('E5', 'E5: Moved into independent living arrangement and no longer looked after: supportive accommodation'), ('E6', 'E6: Moved into independent living arrangement and no longer looked after: without formalised support'), ('E7', 'E7: Transferred to residential care funded by adult social care'), ('E8', 'E8: Period of being looked after ceased for any other reason'), ('E9', 'E9: Sentenced to custody'), ('E14', 'E14: Accommodation on remand ended'), ('E15', 'E15: Age assessment determined child is aged 18 or over'), ('E16', 'E16: Child moved abroad'), ('E17', 'E17: Aged 18 (or over) and remained with current carers')], max_length=3, verbose_name='REC')),
                    ('reason_place_change', models.CharField(blank=True, choices=[('CARPL', 'CARPL: Change to/implementation of care plan'), ('CLOSE', 'CLOSE: Resignation/closure of provision'), ('ALLEG', 'ALLEG: Allegation (s47)'), ('STAND', 'STAND: Standards of care concern'), ('APPRR', 'APPRR: Approval removed'), ('CREQB', "CREQB: Carer requests placement end due to child's behaviour"), ('CREQO', "CREQO: Carer requests placement end, other than due to child's behaviour"), ('CHILD', 'CHILD: Child requests placement end'), ('LAREQ', 'LAREQ: Responsible/area authority requests placement end'), ('PLACE', 'PLACE: Change in the status of placement only'), ('CUSTOD', 'CUSTOD: Custody arrangement'), ('OTHER', 'OTHER: Other')], max_length=6, verbose_name='REASON_PLACE_CHANGE')),
                    ('home_post', models.CharField(blank=True, help_text='Home postcode district.', max_length=4, verbose_name='HOME_POST')),
                    ('pl_post', models.CharField(blank=True, help_text='Placement postcode district.', max_length=4, verbose_name='PL_POST')),
                    ('urn', models.CharField(blank=True, help_text='Ofsted URN of the placement, or XXXXXXX.', max_length=10, verbose_name='URN')),
                    ('in_area', models.BooleanField(default=True, help_text="Placed within the council's own boundary.")),
                    ('regulated', models.BooleanField(default=True)),
                    ('weekly_cost', models.DecimalField(blank=True, decimal_places=2, max_digits=9, null=True)),
                    ('history_id', models.AutoField(primary_key=True, serialize=False)),
                    ('history_date', models.DateTimeField(db_index=True)),
                    ('history_change_reason', models.CharField(max_length=100, null=True)),
                    ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                    ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('period', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='care.careperiod')),
                    ('recorded_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('stay', models.ForeignKey(blank=True, db_constraint=False, help_text='The hub stay this episode records, when the young person was looked after in a hub.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='hubs.stay')),
                    ('young_person', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='casework.youngperson')),
                    ('provider', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='care.provider')),
                ],
                options={
                    'verbose_name': 'historical care episode',
                    'verbose_name_plural': 'historical care episodes',
                    'ordering': ('-history_date', '-history_id'),
                    'get_latest_by': ('history_date', 'history_id'),
                },
                bases=(simple_history.models.HistoricalChanges, models.Model),
            ),
            migrations.CreateModel(
                name='CareEpisode',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('created_at', models.DateTimeField(auto_now_add=True)),
                    ('decom', models.DateField(help_text='Date the episode commenced.', verbose_name='DECOM')),
                    ('dec', models.DateField(blank=True, help_text='Date the episode ceased.', null=True, verbose_name='DEC')),
                    ('rne', models.CharField(choices=[('S', 'S: Started to be looked after'), ('L', 'L: Change of legal status only'), ('P', 'P: Change of placement and carer(s) only'), ('T', 'T: Change of placement but same carer(s)'), ('B', 'B: Change of legal status and placement and carer(s) at the same time'), ('U', 'U: Change of legal status and change of placement but same carer(s)')], max_length=1, verbose_name='RNE')),
                    ('ls', models.CharField(choices=[('C1', 'C1: Interim care order'), ('C2', 'C2: Full care order'), ('D1', 'D1: Freeing order granted'), ('E1', 'E1: Placement order granted'), ('V2', 'V2: Single period of accommodation under section 20'), ('V3', 'V3: Accommodated under an agreed series of short-term breaks, individual episodes'), ('V4', 'V4: Accommodated under an agreed series of short-term breaks, summary episode'), ('L1', 'L1: Under police protection and in local authority accommodation'), ('L2', 'L2: Emergency protection order'), ('L3', 'L3: Under child assessment order and in local authority accommodation'), ('J1', 'J1: Remanded to local authority accommodation or to youth detention accommodation'), ('J2', 'J2: Placed in local authority accommodation under PACE'), ('J3', 'J3: Sentenced to a youth rehabilitation order with residence requirement')], max_length=2, verbose_name='LS')),
                    ('cin', models.CharField(choices=[('N1', 'N1: Abuse or neglect'), ('N2', "N2: Child's disability"), ('N3', 'N3: Parental illness or disability'), ('N4', 'N4: Family in acute stress'), ('N5', 'N5: Family dysfunction'), ('N6', 'N6: Socially unacceptable behaviour'), ('N7', 'N7: Low income'), ('N8', 'N8: Absent parenting')], max_length=2, verbose_name='CIN')),
                    ('place', models.CharField(choices=[('U1', 'U1: Foster placement with relative or friend, long term fostering'), ('U2', 'U2: Foster placement with relative or friend who is also an approved adopter (FFA)'), ('U3', 'U3: Foster placement with relative or friend, not long term or FFA'), ('U4', 'U4: Foster placement with other foster carer, long term fostering'), ('U5', 'U5: Foster placement with other foster carer who is also an approved adopter (FFA)'), ('U6', 'U6: Foster placement with other foster carer, not long term or FFA'), ('A3', 'A3: Placed for adoption with consent, with current foster carer'), ('A4', 'A4: Placed for adoption with consent, not with current foster carer'), ('A5', 'A5: Placed for adoption with placement order, with current foster carer'), ('A6', 'A6: Placed for adoption with placement order, not with current foster carer'), ('K1', "K1: Secure children's home"), ('K2', "K2: Children's home"), ('K3', 'K3: Registered supported accommodation'), ('H5', "H5: Semi-independent living accommodation not subject to children's homes regulations"), ('P1', 'P1: Placed with own parent(s) or other person(s) with parental responsibility'), ('P2', 'P2: Independent living, for example in a flat, lodgings or bedsit'), ('P3', 'P3: Residential employment'), ('R1', 'R1: Residential care home'), ('R2', 'R2: NHS or health trust or other establishment providing medical or nursing care'), ('R3', 'R3: Family centre or mother and baby unit'), ('R5', 'R5: Young offender institution or prison'), ('S1', "S1: All residential schools, except where dual-registered as a school and children's home"), ('T0', 'T0: Temporary placement: all types of temporary move'), ('T1', 'T1: Temporary periods in hospital'), ('T2', 'T2: Temporary absences of the child on holiday'), ('T3', 'T3: Temporary accommodation whilst normal foster carer is on holiday'), ('T4', 'T4: Temporary accommodation of seven days or less, for any reason not covered by T1-T3'), ('Z1', 'Z1: Other placements'), ('Z11', "Z11: Unregistered children's home"), ('Z12', 'Z12: Unregistered supported accommodation'), ('Z13', 'Z13: Other unregistered placement'), ('Z14', 'Z14: Other registered placement')], max_length=3, verbose_name='PLACE')),
                    ('place_provider', models.CharField(blank=True, choices=[('PR0', 'PR0: Parent(s) or other person(s) with parental responsibility'), ('PR1', 'PR1: Own provision (by the local authority)'), ('PR2', 'PR2: Other local authority provision'), ('PR3', 'PR3: Other public provision (for example a primary care trust)'), ('PR4', 'PR4: Private provision'), ('PR5', 'PR5: Voluntary/third sector provision')], max_length=3, verbose_name='PLACE_PROVIDER')),
                    ('rec', models.CharField(blank=True, choices=[('X1', 'X1: Episode ceases, and new episode begins on same day, for any reason'), ('E11', 'E11: Adopted: application for an adoption order unopposed'), ('E12', 'E12: Adopted: consent dispensed with by the court'), ('E2', 'E2: Died'), ('E3', 'E3: Care taken over by another local authority in the UK'), ('E4A', 'E4A: Returned home to live with parents or relatives, as part of the care planning process'), ('E4B', 'E4B: Returned home to live with parents or relatives, not as part of the care planning process'), ('E13', 'E13: Left care to live with parent(s), relative(s) or other person(s) with no parental responsibility'), ('E41', 'E41: Residence order or child arrangement order granted'), ('E45', 'E45: Special guardianship order made to former foster carer(s), who were relatives or friends'), ('E46', 'E46: Special guardianship order made to former foster carer(s), other than relatives or friends'), ('E47', 'E47: Special guardianship order made to carer(s), other than former foster carer(s), who were relatives or friends'), ('E48', 'E48: Special guardianship order made to carer(s), other than former foster carer(s), other than relatives or friends'), ('E5', 'E5: Moved into independent living arrangement and no longer looked after: supportive accommodation'), ('E6', 'E6: Moved into independent living arrangement and no longer looked after: without formalised support'), ('E7', 'E7: Transferred to residential care funded by adult social care'), ('E8', 'E8: Period of being looked after ceased for any other reason'), ('E9', 'E9: Sentenced to custody'), ('E14', 'E14: Accommodation on remand ended'), ('E15', 'E15: Age assessment determined child is aged 18 or over'), ('E16', 'E16: Child moved abroad'), ('E17', 'E17: Aged 18 (or over) and remained with current carers')], max_length=3, verbose_name='REC')),
                    ('reason_place_change', models.CharField(blank=True, choices=[('CARPL', 'CARPL: Change to/implementation of care plan'), ('CLOSE', 'CLOSE: Resignation/closure of provision'), ('ALLEG', 'ALLEG: Allegation (s47)'), ('STAND', 'STAND: Standards of care concern'), ('APPRR', 'APPRR: Approval removed'), ('CREQB', "CREQB: Carer requests placement end due to child's behaviour"), ('CREQO', "CREQO: Carer requests placement end, other than due to child's behaviour"), ('CHILD', 'CHILD: Child requests placement end'), ('LAREQ', 'LAREQ: Responsible/area authority requests placement end'), ('PLACE', 'PLACE: Change in the status of placement only'), ('CUSTOD', 'CUSTOD: Custody arrangement'), ('OTHER', 'OTHER: Other')], max_length=6, verbose_name='REASON_PLACE_CHANGE')),
                    ('home_post', models.CharField(blank=True, help_text='Home postcode district.', max_length=4, verbose_name='HOME_POST')),
                    ('pl_post', models.CharField(blank=True, help_text='Placement postcode district.', max_length=4, verbose_name='PL_POST')),
                    ('urn', models.CharField(blank=True, help_text='Ofsted URN of the placement, or XXXXXXX.', max_length=10, verbose_name='URN')),
                    ('in_area', models.BooleanField(default=True, help_text="Placed within the council's own boundary.")),
                    ('regulated', models.BooleanField(default=True)),
                    ('weekly_cost', models.DecimalField(blank=True, decimal_places=2, max_digits=9, null=True)),
                    ('recorded_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('stay', models.ForeignKey(blank=True, help_text='The hub stay this episode records, when the young person was looked after in a hub.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='care_episodes', to='hubs.stay')),
                    ('young_person', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='care_episodes', to='casework.youngperson')),
                    ('period', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='episodes', to='care.careperiod')),
                    ('provider', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='episodes', to='care.provider')),
                ],
                options={
                    'ordering': ['young_person', 'decom'],
                    'indexes': [models.Index(fields=['decom'], name='care_careep_decom_b944b2_idx'), models.Index(fields=['dec'], name='care_careep_dec_d516bd_idx')],
                    'constraints': [models.CheckConstraint(condition=models.Q(('dec__isnull', True), ('dec__gte', models.F('decom')), _connector='OR'), name='episode_dec_not_before_decom', violation_error_message='The date the episode ceased (DEC) must be on or after the date it commenced (DECOM).'), models.CheckConstraint(condition=models.Q(('dec__isnull', True), models.Q(('rec', ''), _negated=True), _connector='OR'), name='episode_ceased_has_reason', violation_error_message='An episode that has ceased needs a reason (REC).'), models.UniqueConstraint(fields=('young_person', 'decom'), name='episode_unique_start')],
                },
            ),
            migrations.CreateModel(
                name='AnnualOutcome',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('collection_year', models.CharField(max_length=7)),
                    ('sdq_score', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='SDQ_SCORE')),
                    ('sdq_reason', models.CharField(blank=True, max_length=4, verbose_name='SDQ_REASON')),
                    ('convicted', models.BooleanField(blank=True, null=True, verbose_name='CONVICTED')),
                    ('health_check', models.BooleanField(blank=True, null=True, verbose_name='HEALTH_CHECK')),
                    ('immunisations', models.BooleanField(blank=True, null=True, verbose_name='IMMUNISATIONS')),
                    ('teeth_check', models.BooleanField(blank=True, null=True, verbose_name='TEETH_CHECK')),
                    ('health_assessment', models.BooleanField(blank=True, null=True, verbose_name='HEALTH_ASSESSMENT')),
                    ('substance_misuse', models.BooleanField(blank=True, null=True, verbose_name='SUBSTANCE_MISUSE')),
                    ('intervention_received', models.BooleanField(blank=True, null=True, verbose_name='INTERVENTION_RECEIVED')),
                    ('intervention_offered', models.BooleanField(blank=True, null=True, verbose_name='INTERVENTION_OFFERED')),
                    ('young_person', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='annual_outcomes', to='casework.youngperson')),
                ],
                options={
                    'constraints': [models.UniqueConstraint(fields=('young_person', 'collection_year'), name='annual_outcome_unique')],
                },
            ),
            migrations.CreateModel(
                name='CareLeaverOutcome',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('collection_year', models.CharField(max_length=7)),
                    ('in_touch', models.CharField(blank=True, max_length=4, verbose_name='IN_TOUCH')),
                    ('activity', models.CharField(blank=True, max_length=4, verbose_name='ACTIV')),
                    ('accommodation', models.CharField(blank=True, max_length=2, verbose_name='ACCOM')),
                    ('young_person', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='care_leaver_outcomes', to='casework.youngperson')),
                ],
                options={
                    'constraints': [models.UniqueConstraint(fields=('young_person', 'collection_year'), name='care_leaver_outcome_unique')],
                },
            ),
        ]),
        # care 0003-0004 altered fields of tables created in 0001-0002: their indexes first, as then.
        RunDeferredSQL(),
        migrations.AlterField(
            model_name='careepisode',
            name='home_post',
            field=models.CharField(blank=True, help_text="Postcode of the child's home.", max_length=8, verbose_name='HOME_POST'),
        ),
        migrations.AlterField(
            model_name='careepisode',
            name='pl_post',
            field=models.CharField(blank=True, help_text='Postcode of the placement.', max_length=8, verbose_name='PL_POST'),
        ),
        migrations.AlterField(
            model_name='historicalcareepisode',
            name='home_post',
            field=models.CharField(blank=True, help_text="Postcode of the child's home.", max_length=8, verbose_name='HOME_POST'),
        ),
        migrations.AlterField(
            model_name='historicalcareepisode',
            name='pl_post',
            field=models.CharField(blank=True, help_text='Postcode of the placement.', max_length=8, verbose_name='PL_POST'),
        ),
        migrations.AlterField(
            model_name='annualoutcome',
            name='young_person',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='annual_outcomes', to='casework.youngperson'),
        ),
        migrations.AlterField(
            model_name='careepisode',
            name='young_person',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='care_episodes', to='casework.youngperson'),
        ),
        migrations.AlterField(
            model_name='careleaveroutcome',
            name='young_person',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='care_leaver_outcomes', to='casework.youngperson'),
        ),
        migrations.AlterField(
            model_name='careperiod',
            name='young_person',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='care_periods', to='casework.youngperson'),
        ),
        migrations.AlterField(
            model_name='carereview',
            name='young_person',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='care_reviews', to='casework.youngperson'),
        ),
    ]
