# The reference date a vacancy's matches hold for (docs/adr/0008-matching-at-national-scale.md).

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('vacancies', '0002_vacancy_match_versions'),
    ]

    operations = [
        migrations.AddField(
            model_name='vacancy',
            name='matched_on',
            field=models.DateField(blank=True, editable=False, null=True, verbose_name='matches hold on'),
        ),
    ]
