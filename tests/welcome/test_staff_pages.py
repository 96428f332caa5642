"""The staff's side (/<lang>/recruiter/welcome/): every staff user reads the pages and who read them;
only those allowed to edit write and publish; every refusal changes nothing."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from core.models import User
from recruitment.workflow import Stage
from tests import factories
from tests.welcome.helpers import case, client_of, no_seeded_pages, page, reader, staff_client
from welcome.models import InformationPage, PageVersion, VersionStatus

pytestmark = pytest.mark.django_db


def _url(name: str, lang: str = "en", **kwargs: Any) -> str:
    with translation.override(lang):
        return reverse(f"welcome_admin:{name}", kwargs=kwargs)


def _text(**fields: Any) -> dict[str, Any]:
    return {"title": "Housing", "summary": "", "body": "Rent a home.", **fields}


def _snapshot() -> list[tuple[Any, ...]]:
    return list(PageVersion.objects.order_by("pk").values_list("pk", "status", "title"))


def test_every_staff_user_sees_the_pages_per_stage_and_language() -> None:
    response = staff_client().get(_url("page_list"))
    assert response.status_code == 200
    labels = [section["label"] for section in response.context["sections"]]
    assert labels == [
        "Before departure",
        "Offer and permit",
        "Before travel",
        "On arrival",
        "After starting work",
    ]
    assert "Example" in response.text
    assert response.context["can_edit"] is False
    only = staff_client().get(_url("page_list"), {"stage": "after_starting"})
    assert [section["label"] for section in only.context["sections"]] == ["After starting work"]


@pytest.mark.parametrize(
    "visitor",
    ["employer", "partner", "candidate"],
)
def test_other_roles_get_a_403_and_change_nothing(visitor: str) -> None:
    target = InformationPage.objects.get(topic="dutch-online")
    version = PageVersion.objects.get(page=target, language="en")
    client = Client()
    if visitor == "candidate":
        client = client_of(reader())
    else:
        role = User.Role.EMPLOYER_USER if visitor == "employer" else User.Role.PARTNER_USER
        organisation = factories.OrganisationFactory.create(employer=visitor == "employer")
        client.force_login(factories.UserFactory.create(role=role, organisation=organisation))
    before = _snapshot()
    assert client.get(_url("page_list")).status_code == 403
    assert client.get(_url("page_readers", public_id=target.public_id)).status_code == 403
    assert (
        client.post(_url("version_new", public_id=target.public_id, language="en"), _text()).status_code
        == 403
    )
    assert client.post(_url("version_publish", public_id=version.public_id)).status_code == 403
    assert _snapshot() == before


def test_a_recruiter_without_the_permission_reads_but_cannot_write() -> None:
    target = InformationPage.objects.get(topic="dutch-online")
    client = staff_client()
    before = _snapshot()
    assert client.get(_url("page_detail", public_id=target.public_id)).status_code == 200
    assert client.get(_url("page_new")).status_code == 403
    assert client.post(_url("page_new"), _text(topic="x", stage_group="on_arrival")).status_code == 403
    assert (
        client.post(_url("version_new", public_id=target.public_id, language="en"), _text()).status_code
        == 403
    )
    assert _snapshot() == before


def test_an_editor_writes_a_draft_then_publishes_it() -> None:
    no_seeded_pages()
    target = page("housing", "on_arrival", title="Housing, first")
    client = staff_client(editor=True)
    form = client.get(_url("version_new", public_id=target.public_id, language="en"))
    assert form.status_code == 200
    assert form.context["form"].initial["title"] == "Housing, first"
    response = client.post(
        _url("version_new", public_id=target.public_id, language="en"), _text(action="draft", is_example="on")
    )
    assert response.status_code == 302
    draft = PageVersion.objects.get(page=target, number=2)
    assert (draft.status, draft.is_example, draft.created_by is not None) == (VersionStatus.DRAFT, True, True)
    assert client.post(_url("version_publish", public_id=draft.public_id)).status_code == 302
    draft.refresh_from_db()
    assert draft.status == VersionStatus.PUBLISHED
    assert PageVersion.objects.get(page=target, number=1).status == VersionStatus.RETIRED
    detail = client.get(_url("page_detail", public_id=target.public_id))
    assert "Housing, first" in detail.text


def test_a_superuser_creates_a_page_for_a_municipality_and_publishes_it() -> None:
    client = staff_client(superuser=True)
    response = client.post(
        _url("page_new"),
        _text(
            topic="local-welcome-centre",
            stage_group="on_arrival",
            region="VLG",
            municipality="Leuven",
            position=5,
            language="nl",
            action="publish",
        ),
    )
    assert response.status_code == 302
    created = InformationPage.objects.get(topic="local-welcome-centre", municipality="Leuven")
    assert created.versions.get().status == VersionStatus.PUBLISHED


def test_bad_input_is_refused_with_the_reason_and_nothing_is_written() -> None:
    client = staff_client(editor=True)
    before = (InformationPage.objects.count(), _snapshot())
    # The Ghent page exists already (the example pages); a municipality without a region; an empty text.
    taken = client.post(
        _url("page_new", "fr"),
        _text(
            topic="local-welcome-centre",
            stage_group="on_arrival",
            region="VLG",
            municipality="Gent",
            position=1,
            language="en",
        ),
    )
    assert taken.status_code == 400
    assert taken.context["form"].errors
    nowhere = client.post(
        _url("page_new"),
        _text(
            topic="new-topic",
            stage_group="on_arrival",
            region="",
            municipality="Gent",
            position=1,
            language="en",
        ),
    )
    assert nowhere.status_code == 400
    empty = client.post(
        _url("page_new"),
        _text(topic="new-topic", stage_group="on_arrival", body="", position=1, language="en"),
    )
    assert empty.status_code == 400
    assert "body" in empty.context["form"].errors
    target = InformationPage.objects.get(topic="dutch-online")
    unknown_language = client.get(_url("version_new", public_id=target.public_id, language="de"))
    assert unknown_language.status_code == 404
    assert (InformationPage.objects.count(), _snapshot()) == before


def test_publishing_again_is_refused_with_a_message() -> None:
    target = InformationPage.objects.get(topic="dutch-online")
    published = PageVersion.objects.get(page=target, language="en")
    client = staff_client(editor=True)
    response = client.post(_url("version_publish", public_id=published.public_id), follow=True)
    assert "only a draft can be published" in response.text
    published.refresh_from_db()
    assert published.status == VersionStatus.PUBLISHED


def test_who_read_what_counts_the_candidates_of_the_pages_stage() -> None:
    no_seeded_pages()
    target = page("rights", "after_starting")
    read_it, read_older, not_yet = (
        reader(given_name="Read"),
        reader(given_name="Older"),
        reader(given_name="Not"),
    )
    elsewhere = reader(given_name="Elsewhere")  # no case: never sees a page after starting
    for candidate in (read_it, read_older, not_yet):
        case(candidate, Stage.STARTED)
    candidate_url = reverse("me_welcome:page", kwargs={"public_id": target.public_id})
    client_of(read_older).get(candidate_url)
    from tests.welcome.helpers import publish

    publish(target, "en", title="rights, second")
    client_of(read_it).get(candidate_url)
    response = staff_client().get(_url("page_readers", public_id=target.public_id))
    reading = response.context["reading"]
    assert (reading.audience, reading.read_current, reading.read_older_only, reading.unread) == (3, 1, 1, 1)
    rows = {
        row.given_name: (row.read_current, row.last_read_at is not None)
        for row in response.context["readers"]
    }
    assert rows == {"Read": (True, True), "Older": (False, True), "Not": (False, False)}
    assert "Elsewhere" not in response.text
    assert elsewhere.given_name not in rows


def test_what_one_candidate_read() -> None:
    no_seeded_pages()
    target = page("dutch", "before_departure", title="Dutch")
    page("permit", "offer_permit", title="Permit")
    candidate = reader()
    case(candidate, Stage.OFFER)
    client_of(candidate).get(reverse("me_welcome:page", kwargs={"public_id": target.public_id}))
    response = staff_client().get(_url("candidate_reading", public_id=candidate.public_id))
    assert response.status_code == 200
    assert [(entry.version.title, entry.status) for entry in response.context["entries"]] == [
        ("Dutch", "read"),
        ("Permit", "new"),
    ]


def test_a_withdrawn_candidate_or_an_unknown_page_is_a_404() -> None:
    candidate = reader(status="withdrawn", withdrawn_at="2026-01-01T00:00:00Z")
    client = staff_client()
    assert client.get(_url("candidate_reading", public_id=candidate.public_id)).status_code == 404
    assert (
        client.get(_url("page_detail", public_id="6f1c2d3e-0000-4000-8000-000000000000")).status_code == 404
    )


def test_the_staff_pages_have_query_budgets(django_assert_max_num_queries: Any) -> None:
    client = staff_client()
    client.get(_url("page_list"))
    # Session, user, device (3), the permission to edit (2) and three reads whatever the number of pages.
    with django_assert_max_num_queries(8):
        assert client.get(_url("page_list")).status_code == 200
    target = InformationPage.objects.get(topic="dutch-online")
    for _ in range(3):
        case(reader(), Stage.PROPOSED)
    # The page, its topic's variants, the counts, and a page of rows with their count.
    with django_assert_max_num_queries(8):
        assert client.get(_url("page_readers", public_id=target.public_id)).status_code == 200
    # The page, its versions with their authors, its topic's variants, the counts, the permission.
    with django_assert_max_num_queries(10):
        assert client.get(_url("page_detail", public_id=target.public_id)).status_code == 200
