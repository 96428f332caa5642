# Every installation starts with the example pages (welcome/seed/): real headings and short texts in
# Dutch, French and English for each stage, published and marked as examples for the service to complete.
#
# A data migration rather than a command someone must remember to run: a fresh database, a test database
# and production all get them by `migrate`. It writes with the historical models and creates only the
# pages whose topic and place do not exist yet, so running it again (or after staff edited the pages)
# changes nothing. Reversing it deletes nothing: the pages may hold staff's work by then.

from django.db import migrations
from django.utils import timezone


def create_example_pages(apps, schema_editor):
    from welcome.seed import example_pages

    InformationPage = apps.get_model("welcome", "InformationPage")
    PageVersion = apps.get_model("welcome", "PageVersion")
    now = timezone.now()
    for seed in example_pages():
        page, created = InformationPage.objects.get_or_create(
            topic=seed.topic,
            region=seed.region,
            municipality=seed.municipality,
            defaults={"stage_group": seed.group, "position": seed.position},
        )
        if not created:
            continue
        PageVersion.objects.bulk_create(
            PageVersion(
                page=page,
                language=language,
                number=1,
                title=text.title,
                summary=text.summary,
                body=text.body,
                is_example=True,
                status="published",
                created_at=now,
                published_at=now,
            )
            for language, text in seed.texts.items()
        )


class Migration(migrations.Migration):

    dependencies = [
        ("welcome", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create_example_pages, migrations.RunPython.noop),
    ]
