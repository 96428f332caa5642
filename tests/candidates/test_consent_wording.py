"""The wording of consents: the example texts every installation starts with, the language fallback,
which version is current, that a published wording never changes, one query for a page of consents; and
the source of a restriction (the one the visibility withdrawal sets gives way to any other)."""

import datetime

import pytest
from django.contrib.admin.sites import site as admin_site
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.utils import timezone

from candidates.models import Candidate, CandidateRestriction, Consent, ConsentWording
from candidates.models.restriction import RestrictionSource
from candidates.selectors import consent_wording, consent_wording_current, consent_wordings
from candidates.services import (
    WordingText,
    candidate_restrict,
    candidate_restriction_lift,
    consent_wording_publish,
)
from tests import factories

pytestmark = pytest.mark.django_db

PURPOSES = Consent.Purpose.values
# The versions the code writes: the demo's and the partner integrations' form, and the personal space.
SEEDED_VERSIONS = ("2026-01", "me-2026-12")
LANGUAGES = ("nl", "fr", "en")


def _publish(
    purpose: str, version: str, languages: tuple[str, ...], **kwargs: object
) -> list[ConsentWording]:
    texts = {
        language: WordingText(f"Title {version} {language}", f"Text {version} {language}.")
        for language in languages
    }
    return consent_wording_publish(purpose=purpose, text_version=version, texts=texts, **kwargs)  # type: ignore[arg-type]


# --- The example wordings --------------------------------------------------------------------------


def test_every_purpose_has_an_example_wording_in_three_languages_for_each_version_the_code_writes() -> None:
    stored = set(ConsentWording.objects.values_list("purpose", "text_version", "language", "is_example"))
    expected = {
        (purpose, version, language, True)
        for purpose in PURPOSES
        for version in SEEDED_VERSIONS
        for language in LANGUAGES
    }
    assert expected <= stored
    from demo.compliance import CONSENT_TEXT_VERSION  # the demo's consents must show a text

    assert CONSENT_TEXT_VERSION in SEEDED_VERSIONS


@pytest.mark.parametrize("version", SEEDED_VERSIONS)
def test_each_example_says_how_to_withdraw_and_that_withdrawing_does_not_undo_the_past(version: str) -> None:
    markers = {
        "en": ("withdraw this consent at any time", "does not affect what was done"),
        "nl": ("op elk moment intrekken", "doet niets af aan"),
        "fr": ("retirer ce consentement à tout moment", "ne remet pas en cause"),
    }
    for wording in ConsentWording.objects.filter(text_version=version, is_example=True):
        for marker in markers[wording.language]:
            assert marker in wording.text, (wording.purpose, wording.language, marker)


def test_the_transfer_text_names_the_countries_and_recipients_and_warns_of_the_risks() -> None:
    """GDPR art. 49(1)(a): an explicit consent to a transfer without an adequacy decision or safeguards
    names the countries and recipients and warns of the risks (EDPB Guidelines 2/2018)."""
    markers = {
        "en": ("recipients in the countries named below", "no adequacy decision", "fewer rights"),
        "nl": ("ontvangers in de landen die hieronder", "geen adequaatheidsbesluit", "minder rechten"),
        "fr": (
            "destinataires situés dans les pays nommés",
            "pas de décision d'adéquation",
            "moins de droits",
        ),
    }
    for wording in ConsentWording.objects.filter(purpose=Consent.Purpose.INTERNATIONAL_TRANSFER):
        for marker in markers[wording.language]:
            assert marker in wording.text, (wording.text_version, wording.language, marker)


def test_the_employer_text_names_the_employer_below_and_the_space_s_visibility_text_says_it_restricts() -> (
    None
):
    employer = consent_wording(
        purpose=Consent.Purpose.SHARE_WITH_EMPLOYER, text_version="me-2026-12", language="en"
    )
    assert employer is not None and "the employer named below" in employer.text
    space = consent_wording(
        purpose=Consent.Purpose.PROFILE_VISIBILITY, text_version="me-2026-12", language="en"
    )
    form = consent_wording(purpose=Consent.Purpose.PROFILE_VISIBILITY, text_version="2026-01", language="en")
    assert space is not None and "restriction of processing" in space.text
    # The January form knew nothing of the space's restriction: its text does not claim it.
    assert form is not None and "restriction" not in form.text


# --- Language fallback and the current version -----------------------------------------------------


def test_the_wording_is_read_in_the_asked_language_then_english_then_any() -> None:
    purpose = Consent.Purpose.TALENT_POOL_EXPORT
    for language in LANGUAGES:
        found = consent_wording(purpose=purpose, text_version="me-2026-12", language=language)
        assert found is not None and found.language == language
    regional = consent_wording(purpose=purpose, text_version="me-2026-12", language="nl-be")
    assert regional is not None and regional.language == "nl"
    _publish(purpose, "partner-en", ("en", "fr"))
    english = consent_wording(purpose=purpose, text_version="partner-en", language="nl")
    assert english is not None and english.language == "en"
    _publish(purpose, "partner-nl", ("nl",))
    dutch_only = consent_wording(purpose=purpose, text_version="partner-nl", language="fr")
    assert dutch_only is not None and dutch_only.language == "nl"


def test_an_unknown_version_has_no_wording() -> None:
    assert (
        consent_wording(purpose=Consent.Purpose.PROFILE_VISIBILITY, text_version="1", language="en") is None
    )
    # A version of another purpose is not this purpose's.
    _publish(Consent.Purpose.TALENT_POOL_EXPORT, "only-talent", ("en",))
    assert (
        consent_wording(purpose=Consent.Purpose.PROFILE_VISIBILITY, text_version="only-talent", language="en")
        is None
    )


def test_the_current_version_is_the_one_published_last_and_not_one_dated_in_the_future() -> None:
    purpose = Consent.Purpose.SHARE_WITH_PARTNER
    current = consent_wording_current(purpose=purpose, language="fr")
    assert current is not None and (current.text_version, current.language) == ("me-2026-12", "fr")
    now = timezone.now()
    _publish(purpose, "me-2027-01", ("en",), at=now - datetime.timedelta(minutes=1))
    _publish(purpose, "me-2027-02", LANGUAGES, at=now + datetime.timedelta(days=1))
    newer = consent_wording_current(purpose=purpose, language="fr")
    # Published in English only: the French reader reads the newest version in English.
    assert newer is not None and (newer.text_version, newer.language) == ("me-2027-01", "en")
    later = consent_wording_current(purpose=purpose, language="fr", now=now + datetime.timedelta(days=2))
    assert later is not None and (later.text_version, later.language) == ("me-2027-02", "fr")
    # Other purposes keep theirs.
    other = consent_wording_current(purpose=Consent.Purpose.PROFILE_VISIBILITY, language="fr")
    assert other is not None and other.text_version == "me-2026-12"


def test_a_purpose_with_no_wording_has_no_current_one() -> None:
    ConsentWording.objects.filter(purpose=Consent.Purpose.TALENT_POOL_EXPORT).delete()
    assert consent_wording_current(purpose=Consent.Purpose.TALENT_POOL_EXPORT, language="en") is None


def test_a_page_of_consents_reads_all_its_wordings_in_one_query(django_assert_num_queries: object) -> None:
    _publish(
        Consent.Purpose.SHARE_WITH_EMPLOYER,
        "me-2027-01",
        ("en",),
        at=timezone.now() - datetime.timedelta(minutes=1),
    )
    agreed = {(purpose, version) for purpose in PURPOSES for version in (*SEEDED_VERSIONS, "unknown-7")}
    with django_assert_num_queries(1):  # type: ignore[operator]
        wordings = consent_wordings(agreed=agreed, current_purposes=PURPOSES, language="nl")
    assert {key for key in agreed if key[1] != "unknown-7"} == set(wordings.agreed)
    assert all(wording.language == "nl" for wording in wordings.agreed.values())
    assert {purpose: wording.text_version for purpose, wording in wordings.current.items()} == {
        **{purpose: "me-2026-12" for purpose in PURPOSES},
        Consent.Purpose.SHARE_WITH_EMPLOYER: "me-2027-01",
    }
    assert wordings.current[Consent.Purpose.SHARE_WITH_EMPLOYER].language == "en"  # the fallback
    consent = Consent(purpose=Consent.Purpose.PROFILE_VISIBILITY, text_version="unknown-7")
    assert wordings.of(consent) is None


# --- Published wordings never change --------------------------------------------------------------


def test_a_published_version_is_never_changed_or_completed() -> None:
    before = list(ConsentWording.objects.order_by("pk").values_list("pk", "title", "text", "published_at"))
    with pytest.raises(ValidationError) as changed:
        _publish(Consent.Purpose.PROFILE_VISIBILITY, "me-2026-12", ("en",))
    assert changed.value.code == "published"
    _publish(Consent.Purpose.PROFILE_VISIBILITY, "2027-03", ("en",))
    # Not even a language it lacks: a late addition would make an old version current again.
    with pytest.raises(ValidationError):
        _publish(Consent.Purpose.PROFILE_VISIBILITY, "2027-03", ("nl",))
    assert list(ConsentWording.objects.filter(text_version="2027-03").values_list("language", flat=True)) == [
        "en"
    ]
    after = list(
        ConsentWording.objects.exclude(text_version="2027-03")
        .order_by("pk")
        .values_list("pk", "title", "text", "published_at")
    )
    assert after == before


def test_the_service_has_no_update_path_and_the_admin_is_read_only() -> None:
    from candidates.services import consent_wording as module

    assert [name for name in module.__all__ if name.startswith("consent_wording_")] == [
        "consent_wording_publish"
    ]
    admin = admin_site._registry[ConsentWording]
    request = RequestFactory().get("/")
    request.user = factories.UserFactory.create(is_staff=True, is_superuser=True)
    wording = ConsentWording.objects.first()
    assert not admin.has_add_permission(request)
    assert not admin.has_change_permission(request, wording)
    assert not admin.has_delete_permission(request, wording)


@pytest.mark.parametrize(
    ("purpose", "texts"),
    [
        ("marketing", {"en": WordingText("Title", "Text.")}),
        (Consent.Purpose.PROFILE_VISIBILITY, {}),
        (Consent.Purpose.PROFILE_VISIBILITY, {"de": WordingText("Titel", "Text.")}),
        (
            Consent.Purpose.PROFILE_VISIBILITY,
            {"en": WordingText("Title", "Text."), "nl": WordingText("  ", "Tekst.")},
        ),
        (Consent.Purpose.PROFILE_VISIBILITY, {"en": WordingText("Title", "   ")}),
    ],
)
def test_a_bad_publication_writes_nothing(purpose: str, texts: dict[str, WordingText]) -> None:
    count = ConsentWording.objects.count()
    with pytest.raises(ValidationError):
        consent_wording_publish(purpose=purpose, text_version="2027-04", texts=texts)
    assert ConsentWording.objects.count() == count


def test_a_published_version_becomes_the_current_one_with_its_texts() -> None:
    rows = consent_wording_publish(
        purpose=Consent.Purpose.PROFILE_VISIBILITY,
        text_version=" 2027-05 ",
        texts={"en": WordingText(" New title ", "New text.\n\nSecond paragraph.")},
    )
    assert [(row.text_version, row.title, row.is_example) for row in rows] == [
        ("2027-05", "New title", False)
    ]
    current = consent_wording_current(purpose=Consent.Purpose.PROFILE_VISIBILITY, language="en")
    assert current is not None and current.pk == rows[0].pk


# --- The source of a restriction --------------------------------------------------------------------


def _open(candidate: Candidate) -> CandidateRestriction:
    return CandidateRestriction.objects.get(candidate=candidate, lifted_at__isnull=True)


def test_a_restriction_by_staff_or_request_takes_over_from_the_visibility_withdrawal() -> None:
    candidate = factories.CandidateFactory.create()
    staff = factories.UserFactory.create(is_staff=True)
    candidate_restrict(
        candidate=candidate, reason="Withdrew visibility.", source=RestrictionSource.VISIBILITY_WITHDRAWN
    )
    first = _open(candidate)
    assert first.source == RestrictionSource.VISIBILITY_WITHDRAWN
    candidate_restrict(candidate=candidate, by=staff, reason="Contests the data.")
    first.refresh_from_db()
    second = _open(candidate)
    assert first.lifted_at is not None and first.lifted_by == staff  # its cause is no longer the one in force
    assert (second.source, second.reason, second.restricted_by) == (
        RestrictionSource.OTHER,
        "Contests the data.",
        staff,
    )
    assert second.previous_status == first.previous_status == Candidate.Status.ACTIVE
    assert second.restricted_at == first.lifted_at
    stored = Candidate.objects.get(pk=candidate.pk)
    assert stored.status == Candidate.Status.RESTRICTED  # restricted throughout
    # Lifting it goes back to the status before the first one.
    assert candidate_restriction_lift(candidate=candidate, by=staff).status == Candidate.Status.ACTIVE


def test_a_visibility_withdrawal_does_not_replace_a_restriction_by_staff() -> None:
    candidate = factories.CandidateFactory.create()
    candidate_restrict(candidate=candidate, reason="Asked for erasure.")
    candidate_restrict(
        candidate=candidate, reason="Withdrew visibility.", source=RestrictionSource.VISIBILITY_WITHDRAWN
    )
    assert CandidateRestriction.objects.filter(candidate=candidate).count() == 1
    assert (_open(candidate).source, _open(candidate).reason) == (
        RestrictionSource.OTHER,
        "Asked for erasure.",
    )
    # And two of the same source: the first reason holds.
    candidate_restrict(candidate=candidate, reason="Another request.")
    assert CandidateRestriction.objects.filter(candidate=candidate).count() == 1


def test_an_unknown_source_is_refused() -> None:
    candidate = factories.CandidateFactory.create()
    with pytest.raises(ValidationError):
        candidate_restrict(candidate=candidate, reason="Why not.", source="whim")
    assert Candidate.objects.get(pk=candidate.pk).status == Candidate.Status.ACTIVE
    assert not CandidateRestriction.objects.filter(candidate=candidate).exists()
