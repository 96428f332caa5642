"""The candidate's consent page shows the wording they agreed to (in their language, with its version and
date), says who holds a text it does not have, shows the wording being agreed to before each button and
records that version; withdrawing the visibility consent restricts the data and giving it again lifts
only that restriction. All the wordings of the page are read in one query."""

import datetime
import re
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from candidate_space.services.consents import SPACE_CHANNEL, VISIBILITY_WITHDRAWAL_REASON
from candidates.models import Candidate, CandidateRestriction, Consent, ConsentWording
from candidates.models.restriction import RestrictionSource
from candidates.selectors import consent_wording
from candidates.services import WordingText, candidate_restrict, consent_wording_publish
from tests import factories
from tests.web.world import WebWorld

pytestmark = pytest.mark.django_db

P = Consent.Purpose


def _sharing(world: WebWorld) -> Consent:
    return Consent.objects.get(
        candidate=world.candidate,
        purpose=P.SHARE_WITH_EMPLOYER,
        recipient=world.employer_a,
        withdrawn_at__isnull=True,
    )


def _visibility(world: WebWorld) -> Consent:
    return Consent.objects.filter(candidate=world.candidate, purpose=P.PROFILE_VISIBILITY).latest(
        "granted_at", "pk"
    )


def _shown_versions(page: str) -> list[str]:
    return re.findall(r'name="text_version" value="([^"]+)"', page)


def _section(page: str, consent: Consent) -> str:
    """The part of the page about one consent (its panel)."""
    start = page.index(f'id="consent-{consent.pk}"')
    return page[start : page.index("</section>", start)]


def _proposal(world: WebWorld) -> str:
    return f"/en/employer/proposals/{world.placement.public_id}/"


def _status(world: WebWorld) -> str:
    return Candidate.objects.get(pk=world.candidate.pk).status


def _give_visibility(me: Client) -> None:
    page = me.get("/en/me/consents/").text
    (version,) = _shown_versions(page)
    me.post("/en/me/consents/profile-visibility/", {"text_version": version})


# --- The wording they agreed to -------------------------------------------------------------------


@pytest.mark.parametrize("language", ["nl", "fr", "en"])
def test_the_page_shows_the_wording_they_agreed_to_in_their_language(
    world: WebWorld, me: Client, language: str
) -> None:
    consent = _sharing(world)
    wording = consent_wording(purpose=consent.purpose, text_version=consent.text_version, language=language)
    assert wording is not None and wording.language == language
    page = me.get(f"/{language}/me/consents/").text
    section = _section(page, consent)
    assert wording.title in section
    first_paragraph = wording.text.split("\n\n")[0]
    assert first_paragraph.replace("'", "&#x27;") in section
    assert consent.text_version in section  # the version
    assert "2026" in section  # and the date it was given (5 January 2026, in the page's format)
    # The text in another language is not on the page.
    others = ConsentWording.objects.filter(
        purpose=consent.purpose, text_version=consent.text_version
    ).exclude(language=language)
    assert all(other.title not in page for other in others)


def test_an_example_text_and_one_given_through_the_agency_say_so(world: WebWorld, me: Client) -> None:
    page = me.get("/en/me/consents/").text
    assert "Example text installed with the software" in page
    assert "This consent was recorded by the organisation you gave it to, not in this space" in page


def test_the_recipient_and_countries_the_wording_names_below_come_after_it(
    world: WebWorld, me: Client
) -> None:
    transfer = factories.ConsentFactory.create(
        candidate=world.candidate,
        purpose=P.INTERNATIONAL_TRANSFER,
        countries=["MA", "TN"],
        granted_at=timezone.now() - datetime.timedelta(days=1),
    )
    page = me.get("/en/me/consents/").text
    sharing = _section(page, _sharing(world))
    assert sharing.index("the employer named below") < sharing.index("<dt>Recipient</dt>")
    assert "<dd>Lasbedrijf A</dd>" in sharing
    section = _section(page, transfer)
    assert section.index("no adequacy decision") < section.index("<dt>Countries</dt>")
    assert "Morocco" in section and "Tunisia" in section
    # The consent records no recipient: the page says so, and whom to ask.
    assert "Not recorded with this consent: ask Partner X which organisations receive your data." in section


def test_a_version_not_kept_here_says_the_agency_holds_the_text(world: WebWorld, me: Client) -> None:
    consent = _sharing(world)
    Consent.objects.filter(pk=consent.pk).update(text_version="acme-form-7")
    page = me.get("/en/me/consents/").text
    section = _section(page, consent)
    assert (
        "The text of version acme-form-7 is not kept in this space: Partner X, which registered you"
        in section
    )
    assert "Ask them for a copy." in section
    assert "Your profile, shared with a named employer" not in section


def test_a_text_missing_in_their_language_is_shown_in_english_marked_as_such(
    world: WebWorld, me: Client
) -> None:
    consent_wording_publish(
        purpose=P.SHARE_WITH_EMPLOYER,
        text_version="2026-06",
        texts={"en": WordingText("June text", "What the June form said.")},
        at=timezone.now() - datetime.timedelta(days=200),
    )
    Consent.objects.filter(pk=_sharing(world).pk).update(text_version="2026-06")
    page = me.get("/fr/me/consents/").text
    assert 'lang="en"' in page and "June text" in page and "What the June form said." in page


# --- Giving a consent: the wording before the button, the version recorded ------------------------


def test_giving_a_consent_shows_the_current_wording_and_records_its_version(
    world: WebWorld, me: Client
) -> None:
    consent_wording_publish(
        purpose=P.PROFILE_VISIBILITY,
        text_version="me-2027-01",
        texts={
            "en": WordingText("Visible, January", "The January text."),
            "nl": WordingText("Zichtbaar, januari", "De tekst van januari."),
        },
        at=timezone.now() - datetime.timedelta(minutes=1),
    )
    page = me.get("/nl/me/consents/").text
    section = page[page.index('id="visibility-title"') :]
    assert section.index("De tekst van januari.") < section.index('type="submit"')  # read before the button
    assert _shown_versions(page) == ["me-2027-01"]
    me.post("/nl/me/consents/profile-visibility/", {"text_version": "me-2027-01"})
    consent = _visibility(world)
    assert (consent.text_version, consent.channel, consent.withdrawn_at) == (
        "me-2027-01",
        SPACE_CHANNEL,
        None,
    )


def test_a_text_published_after_the_page_was_opened_must_be_read_first(world: WebWorld, me: Client) -> None:
    (shown,) = _shown_versions(me.get("/en/me/consents/").text)
    consent_wording_publish(
        purpose=P.PROFILE_VISIBILITY,
        text_version="me-2027-02",
        texts={"en": WordingText("Newer", "A newer text.")},
        at=timezone.now() - datetime.timedelta(seconds=1),
    )
    response = me.post("/en/me/consents/profile-visibility/", {"text_version": shown}, follow=True)
    assert "The text of this consent has changed since you opened the page." in response.text
    assert "A newer text." in response.text
    assert not Consent.objects.filter(candidate=world.candidate, purpose=P.PROFILE_VISIBILITY).exists()
    # Without the version shown, nothing is given either.
    me.post("/en/me/consents/profile-visibility/")
    assert not Consent.objects.filter(candidate=world.candidate, purpose=P.PROFILE_VISIBILITY).exists()


def test_giving_again_shows_the_wording_before_the_button_and_records_the_current_version(
    world: WebWorld, me: Client, django_capture_on_commit_callbacks: Any
) -> None:
    old = _sharing(world)
    with django_capture_on_commit_callbacks(execute=True):
        me.post(f"/en/me/consents/{old.pk}/withdraw/")
    page = me.get("/fr/me/consents/").text
    section = _section(page, old)
    current = consent_wording(purpose=P.SHARE_WITH_EMPLOYER, text_version="me-2026-12", language="fr")
    assert current is not None
    assert section.index(current.title) < section.index("/renew/")
    assert _shown_versions(section) == ["me-2026-12"]
    with django_capture_on_commit_callbacks(execute=True):
        me.post(f"/fr/me/consents/{old.pk}/renew/", {"text_version": "me-2026-12"})
    assert _sharing(world).text_version == "me-2026-12"


def test_no_published_text_means_no_button(world: WebWorld, me: Client) -> None:
    ConsentWording.objects.filter(purpose=P.PROFILE_VISIBILITY).delete()
    page = me.get("/en/me/consents/").text
    assert "No text of this consent is published yet" in page
    assert "/en/me/consents/profile-visibility/" not in page
    response = me.post("/en/me/consents/profile-visibility/", {"text_version": "me-2026-12"}, follow=True)
    assert "No text of this consent is published yet" in response.text
    assert not Consent.objects.filter(candidate=world.candidate, purpose=P.PROFILE_VISIBILITY).exists()


# --- Visibility and restriction ---------------------------------------------------------------------


def test_withdrawing_visibility_restricts_the_data_and_giving_it_again_lifts_that_restriction(
    world: WebWorld, me: Client, employer_a: Client, django_capture_on_commit_callbacks: Any
) -> None:
    _give_visibility(me)
    consent = _visibility(world)
    page = me.get("/en/me/consents/").text
    section = _section(page, consent)
    # Said in plain words before the button.
    assert section.index("your data is kept but set aside (a restriction of processing)") < section.index(
        "Withdraw this consent"
    )
    assert employer_a.get(_proposal(world)).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        me.post(f"/en/me/consents/{consent.pk}/withdraw/")
    assert _status(world) == Candidate.Status.RESTRICTED
    restriction = CandidateRestriction.objects.get(candidate=world.candidate, lifted_at__isnull=True)
    assert restriction.source == RestrictionSource.VISIBILITY_WITHDRAWN
    # The reason staff read is written in the site's language, whatever the candidate's page was in.
    with translation.override(settings.LANGUAGE_CODE):
        assert restriction.restricted_by is None and restriction.reason == str(VISIBILITY_WITHDRAWAL_REASON)
    assert employer_a.get(_proposal(world)).status_code == 404
    page = me.get("/en/me/consents/").text
    assert "Give that consent again to lift the restriction." in page
    assert "also lifts the restriction of your data that your withdrawal set" in page
    # Another consent waits for the visibility one.
    sharing = _sharing(world)
    me.post(f"/en/me/consents/{sharing.pk}/withdraw/")
    refused = me.post(f"/en/me/consents/{sharing.pk}/renew/", {"text_version": "me-2026-12"}, follow=True)
    assert "give that consent again first" in refused.text
    with django_capture_on_commit_callbacks(execute=True):
        me.post(f"/en/me/consents/{consent.pk}/renew/", {"text_version": "me-2026-12"})
    assert _status(world) == Candidate.Status.ACTIVE
    restriction.refresh_from_db()
    assert restriction.lifted_at is not None and restriction.lifted_by is None
    assert _visibility(world).withdrawn_at is None


def test_giving_visibility_again_does_not_lift_a_restriction_set_by_staff(
    world: WebWorld, me: Client, django_capture_on_commit_callbacks: Any
) -> None:
    _give_visibility(me)
    consent = _visibility(world)
    staff = factories.UserFactory.create(is_staff=True)
    candidate_restrict(candidate=world.candidate, by=staff, reason="Contests the recorded diplomas.")
    with django_capture_on_commit_callbacks(execute=True):
        me.post(f"/en/me/consents/{consent.pk}/withdraw/")
    assert CandidateRestriction.objects.filter(candidate=world.candidate).count() == 1  # staff's holds
    page = me.get("/en/me/consents/").text
    assert "Your recruiter lifts the restriction; giving a consent here does not." in page
    with django_capture_on_commit_callbacks(execute=True):
        response = me.post(
            f"/en/me/consents/{consent.pk}/renew/", {"text_version": "me-2026-12"}, follow=True
        )
    assert "Your data stays restricted for another reason" in response.text
    assert _visibility(world).withdrawn_at is None  # the consent is recorded
    assert _status(world) == Candidate.Status.RESTRICTED
    open_restriction = CandidateRestriction.objects.get(candidate=world.candidate, lifted_at__isnull=True)
    assert (open_restriction.restricted_by, open_restriction.source) == (staff, RestrictionSource.OTHER)
    # Any other consent waits for staff.
    sharing = _sharing(world)
    me.post(f"/en/me/consents/{sharing.pk}/withdraw/")
    refused = me.post(f"/en/me/consents/{sharing.pk}/renew/", {"text_version": "me-2026-12"}, follow=True)
    assert "Your data is restricted: it is kept but not used" in refused.text
    assert (
        not Consent.objects.in_force()
        .filter(candidate=world.candidate, purpose=P.SHARE_WITH_EMPLOYER)
        .exists()
    )


def test_an_erasure_request_while_set_aside_is_not_lifted_by_giving_visibility_again(
    world: WebWorld, me: Client, django_capture_on_commit_callbacks: Any
) -> None:
    _give_visibility(me)
    consent = _visibility(world)
    with django_capture_on_commit_callbacks(execute=True):
        me.post(f"/en/me/consents/{consent.pk}/withdraw/")
    # What the privacy app does on a request for erasure: a restriction by the system, another source.
    candidate_restrict(candidate=world.candidate, reason="The candidate asked for the erasure of their data.")
    with django_capture_on_commit_callbacks(execute=True):
        me.post(f"/en/me/consents/{consent.pk}/renew/", {"text_version": "me-2026-12"})
    assert _status(world) == Candidate.Status.RESTRICTED
    open_restriction = CandidateRestriction.objects.get(candidate=world.candidate, lifted_at__isnull=True)
    assert "erasure" in open_restriction.reason and open_restriction.source == RestrictionSource.OTHER


# --- Query budget -----------------------------------------------------------------------------------


def _page_queries(client: Client) -> tuple[int, int]:
    """(all queries of the page, queries that read wordings)."""
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/en/me/consents/").status_code == 200
    sql = [query["sql"] for query in queries.captured_queries]
    return len(sql), sum("candidates_consentwording" in statement for statement in sql)


def test_the_page_reads_every_wording_in_one_query_whatever_the_number_of_consents(
    world: WebWorld, me: Client
) -> None:
    me.get("/en/me/consents/")  # the session's first reads are not the page's
    few, wording_queries = _page_queries(me)
    assert wording_queries == 1
    granted = timezone.now() - datetime.timedelta(days=30)
    for index, (purpose, version) in enumerate(
        [
            (P.PROFILE_VISIBILITY, "2026-01"),
            (P.INTERNATIONAL_TRANSFER, "me-2026-12"),
            (P.TALENT_POOL_EXPORT, "unknown-3"),
        ]
    ):
        factories.ConsentFactory.create(
            candidate=world.candidate,
            purpose=purpose,
            text_version=version,
            countries=["MA"],
            granted_at=granted + datetime.timedelta(hours=index),
            withdrawn_at=granted + datetime.timedelta(days=1),
        )
        factories.ConsentFactory.create(
            candidate=world.candidate,
            purpose=purpose,
            text_version="2026-01",
            countries=["MA"],
            granted_at=granted + datetime.timedelta(days=2, hours=index),
        )
    many, wording_queries = _page_queries(me)
    assert wording_queries == 1
    assert many == few
