"""Versions of a page: an edit is a new version, publishing switches what candidates see and keeps the
older text; refusals write nothing."""

from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from recruitment.workflow import Stage
from tests.welcome.helpers import case, no_seeded_pages, page, reader
from welcome.models import InformationPage, PageVersion, VersionStatus
from welcome.selectors import welcome_entries_for_candidate
from welcome.services import PageError, page_create, page_version_create, page_version_publish

pytestmark = pytest.mark.django_db


def _write(
    target: InformationPage, *, title: str, publish: bool = False, language: str = "en"
) -> PageVersion:
    return page_version_create(
        page=target,
        language=language,
        title=title,
        summary="",
        body="Text.",
        is_example=False,
        publish=publish,
        by=None,
    )


def _shown(language: str = "en") -> list[str]:
    candidate = reader()
    return [
        entry.version.title for entry in welcome_entries_for_candidate(candidate=candidate, language=language)
    ]


def test_an_edit_is_a_new_draft_and_candidates_still_see_the_published_text() -> None:
    no_seeded_pages()
    target = page("dutch", "before_departure", title="First")
    draft = _write(target, title="Second")
    assert (draft.number, draft.status) == (2, VersionStatus.DRAFT)
    assert _shown() == ["First"]


def test_publishing_a_draft_retires_the_text_before_and_keeps_it() -> None:
    no_seeded_pages()
    target = page("dutch", "before_departure", title="First")
    draft = _write(target, title="Second")
    page_version_publish(version_id=draft.pk, by=None)
    assert _shown() == ["Second"]
    statuses = dict(PageVersion.objects.filter(page=target).values_list("number", "status"))
    assert statuses == {1: VersionStatus.RETIRED, 2: VersionStatus.PUBLISHED}
    assert PageVersion.objects.get(page=target, number=1).title == "First"


def test_a_page_without_a_published_text_is_not_shown() -> None:
    no_seeded_pages()
    page_create(
        topic="draft-only",
        stage_group="before_departure",
        region="",
        municipality="",
        position=1,
        language="en",
        title="Not yet",
        summary="",
        body="Text.",
        is_example=False,
        publish=False,
        by=None,
    )
    assert _shown() == []


def test_versions_are_numbered_per_language() -> None:
    no_seeded_pages()
    target = page("dutch", "before_departure", languages=("en", "nl"))
    assert _write(target, title="Tweede", language="nl").number == 2
    assert _write(target, title="Second", language="en").number == 2
    assert _write(target, title="Derde", language="nl").number == 3


def test_the_same_text_again_is_refused_and_writes_nothing() -> None:
    no_seeded_pages()
    target = page("dutch", "before_departure", title="First")
    with pytest.raises(PageError) as refused, translation.override("fr"):
        page_version_create(
            page=target,
            language="en",
            title="First",
            summary="",
            body="First paragraph.\n\n- one item\n- another item",
            is_example=False,
            publish=True,
            by=None,
        )
    assert "version 1" in " ".join(refused.value.messages)
    assert PageVersion.objects.filter(page=target).count() == 1


def test_an_incomplete_text_is_refused_in_the_users_language() -> None:
    no_seeded_pages()
    target = page("dutch", "before_departure")
    with pytest.raises(PageError) as refused:
        _write(target, title="   ")
    assert set(refused.value.message_dict) == {"title"}
    with pytest.raises(PageError):
        _write(target, title="A title", language="de")
    assert PageVersion.objects.filter(page=target).count() == 1


def test_only_a_draft_newer_than_the_published_text_can_be_published() -> None:
    no_seeded_pages()
    target = page("dutch", "before_departure", title="First")
    older_draft = _write(target, title="Second")
    _write(target, title="Third", publish=True)
    with pytest.raises(PageError):
        page_version_publish(version_id=older_draft.pk, by=None)
    published = PageVersion.objects.get(page=target, status=VersionStatus.PUBLISHED)
    with pytest.raises(PageError):
        page_version_publish(version_id=published.pk, by=None)
    assert _shown() == ["Third"]


def test_the_database_refuses_two_published_texts_in_one_language() -> None:
    no_seeded_pages()
    target = page("dutch", "before_departure")
    with pytest.raises(IntegrityError), transaction.atomic():
        PageVersion.objects.create(
            page=target,
            language="en",
            number=9,
            title="Second",
            body="Text.",
            status=VersionStatus.PUBLISHED,
            created_at=timezone.now(),
            published_at=timezone.now(),
        )


def test_a_topic_has_one_page_per_place_and_one_stage() -> None:
    no_seeded_pages()
    page("desk", "on_arrival")
    page("desk", "on_arrival", region="VLG", municipality="Gent")
    fields: dict[str, Any] = {
        "position": 1,
        "language": "en",
        "title": "T",
        "summary": "",
        "body": "B",
        "is_example": False,
        "publish": True,
        "by": None,
    }
    with pytest.raises(PageError) as twice:
        page_create(topic="desk", stage_group="on_arrival", region="VLG", municipality=" Gent ", **fields)
    assert "topic" in str(twice.value.message_dict) or "__all__" in twice.value.message_dict
    with pytest.raises(PageError) as other_stage:
        page_create(topic="desk", stage_group="after_starting", region="BRU", municipality="", **fields)
    assert set(other_stage.value.message_dict) == {"stage_group"}
    with pytest.raises(PageError) as no_region:
        page_create(topic="other", stage_group="on_arrival", region="", municipality="Gent", **fields)
    assert no_region.value.message_dict
    assert InformationPage.objects.count() == 2


def test_a_published_update_applies_to_candidates_at_once() -> None:
    no_seeded_pages()
    target = page("rights", "after_starting", title="Rights")
    candidate = reader()
    case(candidate, Stage.STARTED)
    _write(target, title="Rights, completed", publish=True)
    assert [e.version.title for e in welcome_entries_for_candidate(candidate=candidate, language="en")] == [
        "Rights, completed"
    ]
