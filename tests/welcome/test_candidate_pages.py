"""The candidate's information pages (/<lang>/me/welcome/): the pages of their stages, in their language,
the local variant for their place of work, and what they have read."""

from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from recruitment.workflow import Stage
from tests.welcome.helpers import case, client_of, no_seeded_pages, page, publish, reader
from welcome.models import ReadReceipt
from welcome.selectors import ReadStatus, welcome_entries_for_candidate

pytestmark = pytest.mark.django_db


def _index(language: str = "en") -> str:
    with translation.override(language):
        return reverse("me_welcome:index")


def _page_url(target: Any, language: str = "en") -> str:
    with translation.override(language):
        return reverse("me_welcome:page", kwargs={"public_id": target.public_id})


def _titles(candidate: Any, language: str = "en") -> list[str]:
    return [
        entry.version.title for entry in welcome_entries_for_candidate(candidate=candidate, language=language)
    ]


def test_a_candidate_without_a_case_sees_the_pages_before_departure_only() -> None:
    no_seeded_pages()
    page("dutch", "before_departure")
    page("permit", "offer_permit")
    page("rights", "after_starting")
    candidate = reader()
    response = client_of(candidate).get(_index())
    assert response.status_code == 200
    assert "dutch en" in response.text
    assert "permit en" not in response.text
    assert "rights en" not in response.text


def test_each_open_case_adds_the_groups_of_its_stage_and_a_closed_case_none() -> None:
    no_seeded_pages()
    page("dutch", "before_departure")
    page("permit", "offer_permit")
    page("travel", "before_travel")
    page("housing", "on_arrival")
    page("rights", "after_starting")
    candidate = reader()
    case(candidate, Stage.STARTED)
    assert _titles(candidate) == ["housing en", "rights en"]
    case(candidate, Stage.OFFER, municipality="Antwerpen", postal_code="2000")
    assert _titles(candidate) == ["dutch en", "permit en", "housing en", "rights en"]
    closed = reader()
    case(closed, Stage.WITHDRAWN)
    # Only closed cases: as without a case.
    assert _titles(closed) == ["dutch en"]


@pytest.mark.parametrize(
    ("language", "expected"),
    [("nl", "topic nl"), ("fr", "topic fr"), ("en", "topic en")],
)
def test_a_page_is_shown_in_the_request_language(language: str, expected: str) -> None:
    no_seeded_pages()
    target = page("topic", "before_departure", languages=("nl", "fr", "en"))
    candidate = reader()
    response = client_of(candidate).get(_page_url(target, language))
    assert response.status_code == 200
    assert f"<h1>{expected}</h1>" in response.text
    assert response.context["version"].language == language


def test_a_missing_language_falls_back_to_english_then_to_any() -> None:
    no_seeded_pages()
    page("both", "before_departure", languages=("nl", "en"))
    page("dutch-only", "before_departure", languages=("nl",))
    candidate = reader()
    with translation.override("fr"):
        response = client_of(candidate).get(_index("fr"))
    assert "both en" in response.text
    assert "dutch-only nl" in response.text
    assert [entry.version.language for entry in response.context["sections"][0]["entries"]] == ["en", "nl"]


def test_every_seeded_page_reads_in_dutch_french_and_english() -> None:
    candidate = reader()
    client = client_of(candidate)
    for language in ("nl", "fr", "en"):
        entries = welcome_entries_for_candidate(candidate=candidate, language=language)
        assert entries
        assert {entry.version.language for entry in entries} == {language}
        response = client.get(_page_url(entries[0].page, language))
        assert response.status_code == 200
        assert entries[0].version.title in response.text
        assert "example content" in response.text or language != "en"


def test_a_municipality_page_replaces_the_general_one_for_cases_there() -> None:
    no_seeded_pages()
    page("welcome-desk", "on_arrival", title="General desk")
    page("welcome-desk", "on_arrival", region="VLG", title="Flemish desk")
    page("welcome-desk", "on_arrival", region="VLG", municipality="Gent", title="Ghent desk")
    in_ghent = reader()
    case(in_ghent, Stage.ARRIVED, municipality="gent ", revealed=True)
    in_antwerp = reader()
    case(in_antwerp, Stage.ARRIVED, municipality="Antwerpen", postal_code="2000", revealed=True)
    in_brussels = reader()
    case(in_brussels, Stage.ARRIVED, municipality="Brussel", postal_code="1000", region="BRU", revealed=True)
    assert _titles(in_ghent) == ["Ghent desk"]
    assert _titles(in_antwerp) == ["Flemish desk"]
    assert _titles(in_brussels) == ["General desk"]


def test_the_municipality_counts_only_once_the_employer_knows_the_candidate() -> None:
    no_seeded_pages()
    page("welcome-desk", "before_departure", title="General desk")
    page("welcome-desk", "before_departure", region="VLG", municipality="Gent", title="Ghent desk")
    candidate = reader()
    placement = case(candidate, Stage.PROPOSED, municipality="Gent")
    assert _titles(candidate) == ["General desk"]
    placement.identity_revealed_at = placement.stage_changed_at
    placement.save(update_fields=["identity_revealed_at"])
    assert _titles(candidate) == ["Ghent desk"]


def test_two_cases_in_two_places_show_both_local_pages() -> None:
    no_seeded_pages()
    page("welcome-desk", "on_arrival", title="General desk")
    page("welcome-desk", "on_arrival", region="VLG", municipality="Gent", title="Ghent desk")
    candidate = reader()
    case(candidate, Stage.ARRIVED, revealed=True)
    case(candidate, Stage.STARTED, municipality="Leuven", postal_code="3000", revealed=True)
    assert sorted(_titles(candidate)) == ["General desk", "Ghent desk"]


def test_opening_a_page_records_one_receipt_and_marks_it_read() -> None:
    no_seeded_pages()
    target = page("dutch", "before_departure")
    candidate = reader()
    client = client_of(candidate)
    assert client.get(_index()).context["sections"][0]["entries"][0].status == ReadStatus.NEW
    assert client.get(_page_url(target)).status_code == 200
    assert client.get(_page_url(target)).status_code == 200
    receipts = ReadReceipt.objects.filter(candidate=candidate)
    assert receipts.count() == 1
    first_read = receipts.get().read_at
    entry = client.get(_index()).context["sections"][0]["entries"][0]
    assert (entry.status, entry.read_at) == (ReadStatus.READ, first_read)


def test_a_new_version_shows_as_updated_until_it_is_read_again() -> None:
    no_seeded_pages()
    target = page("dutch", "before_departure")
    candidate = reader()
    client = client_of(candidate)
    client.get(_page_url(target))
    publish(target, "en", title="dutch en, second edition")
    response = client.get(_index())
    entry = response.context["sections"][0]["entries"][0]
    assert (entry.version.title, entry.status) == ("dutch en, second edition", ReadStatus.UPDATED)
    assert "Updated" in response.text
    client.get(_page_url(target))
    assert client.get(_index()).context["sections"][0]["entries"][0].status == ReadStatus.READ
    assert ReadReceipt.objects.filter(candidate=candidate).count() == 2


def test_another_candidates_receipts_are_never_theirs() -> None:
    no_seeded_pages()
    target = page("dutch", "before_departure")
    reader_a, reader_b = reader(), reader()
    client_of(reader_a).get(_page_url(target))
    entry = client_of(reader_b).get(_index()).context["sections"][0]["entries"][0]
    assert (entry.status, entry.read_at) == (ReadStatus.NEW, None)


def test_a_page_not_of_their_stages_is_a_404_and_records_nothing() -> None:
    no_seeded_pages()
    elsewhere = page("rights", "after_starting")
    local = page("desk", "on_arrival", region="VLG", municipality="Gent")
    candidate = reader()
    case(candidate, Stage.ARRIVED, municipality="Leuven", postal_code="3000", revealed=True)
    client = client_of(candidate)
    assert client.get(_page_url(elsewhere)).status_code == 404
    assert client.get(_page_url(local)).status_code == 404
    assert not ReadReceipt.objects.exists()


def test_other_roles_and_visitors_cannot_open_the_candidate_pages() -> None:
    no_seeded_pages()
    target = page("dutch", "before_departure")
    anonymous = client_of(reader())
    anonymous.logout()
    assert anonymous.get(_index()).status_code == 302
    from tests.welcome.helpers import staff_client

    staff = staff_client(superuser=True)
    assert staff.get(_index()).status_code == 403
    assert staff.get(_page_url(target)).status_code == 403
    assert not ReadReceipt.objects.exists()


def test_the_page_escapes_what_staff_wrote() -> None:
    no_seeded_pages()
    target = page("dutch", "before_departure")
    publish(target, "en", title="Dutch", body="<script>alert(1)</script>\n\n- <b>bold</b>")
    response = client_of(reader()).get(_page_url(target))
    assert "<script>alert(1)" not in response.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text
    assert "<li>&lt;b&gt;bold&lt;/b&gt;</li>" in response.text


def test_the_list_has_a_query_budget(django_assert_max_num_queries: Any) -> None:
    candidate = reader()
    case(candidate, Stage.STARTED, revealed=True)
    case(candidate, Stage.OFFER, municipality="Antwerpen", postal_code="2000")
    client = client_of(candidate)
    client.get(_index())  # the session's first stamps
    # Session and user (2), the candidate (1), and four reads whatever the number of pages.
    with django_assert_max_num_queries(8):
        response = client.get(_index())
    assert len([entry for section in response.context["sections"] for entry in section["entries"]]) > 10


def test_a_page_has_a_query_budget(django_assert_max_num_queries: Any) -> None:
    candidate = reader()
    entry = welcome_entries_for_candidate(candidate=candidate, language="en")[0]
    client = client_of(candidate)
    client.get(_index())
    client.get(_page_url(entry.page))
    # Opened before: the receipt is only read again.
    with django_assert_max_num_queries(8):
        assert client.get(_page_url(entry.page)).status_code == 200
