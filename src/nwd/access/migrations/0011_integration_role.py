# The integration role (issue 19): the council's case system reading through the API.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('access', '0010_commissioning_officer_role'),
    ]

    operations = [
        migrations.AlterField(
            model_name='user',
            name='role',
            field=models.CharField(choices=[('key_worker', 'Key worker'), ('residential_worker', 'Residential worker'), ('hub_manager', 'Hub manager'), ('service_manager', 'Service manager'), ('life_coach', 'Life coach (clinical psychologist)'), ('communication_support', 'Communication support worker (speech and language therapist)'), ('police_liaison', 'Police liaison officer'), ('mental_health', 'Mental-health worker'), ('substance_misuse', 'Substance-misuse worker'), ('portfolio_lead', 'Portfolio lead'), ('partner_referrer', 'Partner-agency referrer'), ('analyst', 'Analyst'), ('dpo', 'Data protection officer'), ('personal_adviser', 'Personal adviser (care leavers)'), ('commissioning_officer', 'Commissioning officer'), ('integration', 'Integration (council case system, read only)')], max_length=32),
        ),
    ]
