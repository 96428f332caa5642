"""The example pages every installation starts with (welcome/seed/, written by a data migration)."""

import importlib

import pytest
from django.apps import apps

from welcome.models import InformationPage, PageVersion, StageGroup, VersionStatus
from welcome.seed import example_pages

pytestmark = pytest.mark.django_db

seeding = importlib.import_module("welcome.migrations.0002_example_pages")


def test_every_stage_starts_with_published_examples_in_three_languages() -> None:
    groups = set(InformationPage.objects.values_list("stage_group", flat=True))
    assert groups == set(StageGroup.values)
    for page in InformationPage.objects.all():
        published = PageVersion.objects.filter(page=page, status=VersionStatus.PUBLISHED)
        assert sorted(published.values_list("language", flat=True)) == ["en", "fr", "nl"], page
        assert all(version.is_example for version in published), page


def test_the_examples_cover_what_the_issue_names() -> None:
    topics = set(InformationPage.objects.values_list("topic", flat=True))
    assert {
        "dutch-online",
        "civic-orientation",
        "work-culture",
        "single-permit",
        "family-reunification",
        "partner-work",
        "register-municipality",
        "housing",
        "health-insurance",
        "social-security",
        "taxes",
        "pension-rights",
        "local-welcome-centre",
        "rights-at-work",
        "when-something-is-wrong",
    } <= topics
    inspectorate = PageVersion.objects.get(page__topic="when-something-is-wrong", language="nl").body
    assert "Toezicht op de sociale wetten" in inspectorate and "Vlaamse Sociale Inspectie" in inspectorate
    assert (
        "Contrôle des lois sociales"
        in PageVersion.objects.get(page__topic="when-something-is-wrong", language="fr").body
    )


def test_the_examples_carry_no_web_address_or_phone_number_but_the_emergency_one() -> None:
    for seed in example_pages():
        for text in seed.texts.values():
            words = f"{text.title} {text.summary} {text.body}"
            assert "http" not in words and "www." not in words and "@" not in words, seed.topic
            digits = [
                token for token in words.replace(",", " ").split() if sum(c.isdigit() for c in token) >= 4
            ]
            assert digits == [], (seed.topic, digits)


def test_seeding_again_changes_nothing_and_keeps_staff_edits() -> None:
    version = PageVersion.objects.get(page__topic="housing", language="en")
    PageVersion.objects.filter(pk=version.pk).update(title="Housing, as the service wrote it")
    before = list(PageVersion.objects.order_by("pk").values_list("pk", "title"))
    seeding.create_example_pages(apps, None)
    assert list(PageVersion.objects.order_by("pk").values_list("pk", "title")) == before
