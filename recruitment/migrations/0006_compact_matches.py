# Matches become compact (docs/adr/0008-matching-at-national-scale.md): the JSON explanation of each row
# gives way to reason and route bits. Stored matches are derived data: rather than translate millions of
# rows one by one, they are dropped and every vacancy is marked stale, so the sweeper recomputes them with
# the vectorised engine (minutes at 100,000 candidates). Human work lives in other tables, untouched.

import django.db.models.deletion
from django.db import migrations, models


def recompute_everything(apps, schema_editor):
    apps.get_model("recruitment", "Match").objects.all().delete()
    apps.get_model("vacancies", "Vacancy").objects.update(matched_version=0, matched_basis="", matched_on=None)


class Migration(migrations.Migration):
    dependencies = [
        ("candidates", "0002_initial"),
        ("recruitment", "0005_match_changed_at_index"),
        ("vacancies", "0003_compact_matches"),
    ]

    operations = [
        migrations.AddField(
            model_name="match",
            name="reason_bits",
            field=models.BigIntegerField(
                default=0,
                help_text="The conditions that failed, one bit per reason code.",
                verbose_name="reason codes",
            ),
        ),
        migrations.AddField(
            model_name="match",
            name="route_bits",
            field=models.SmallIntegerField(
                default=0,
                help_text="Two bits per permit route: passes, can be opened, closed.",
                verbose_name="permit routes",
            ),
        ),
        migrations.RunPython(recompute_everything, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="match",
            name="candidate",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="matches",
                to="candidates.candidate",
            ),
        ),
        migrations.AlterField(
            model_name="match",
            name="vacancy",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="matches",
                to="vacancies.vacancy",
            ),
        ),
        migrations.RemoveField(model_name="match", name="breakdown"),
        migrations.RemoveField(model_name="match", name="reasons"),
        migrations.RemoveField(model_name="match", name="routes"),
        migrations.AddField(
            model_name="matchjob",
            name="unchanged",
            field=models.PositiveIntegerField(
                default=0,
                help_text="Pairs computed again to the stored result: not written.",
                verbose_name="matches unchanged",
            ),
        ),
        migrations.AddField(
            model_name="placementtransition",
            name="explanation",
            field=models.JSONField(blank=True, default=dict, verbose_name="explanation shown"),
        ),
    ]
