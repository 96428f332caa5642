"""The main journey, in Dutch, French and English, in a real browser with no console error.

A recruiter signs in with a TOTP code, opens a vacancy, reads a match explanation, shortlists the
candidate (HTMX) and proposes them; the employer reviews the anonymised profile (no name), invites the
candidate to an interview and then sees the name; the recruiter takes the case through the interview
and the offer to "offer accepted".
"""

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Browser, ConsoleMessage, Page, expect

from core.models import User
from recruitment.models import Placement
from tests import factories
from tests.browser.conftest import TIMEOUT_MS
from tests.recruitment.world import build_world, welder_vacancy
from tests.web.world import matched_candidate, recompute, recruiter_user

pytestmark = [pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"  # tests.factories.UserFactory


def _watch(page: Page, errors: list[str]) -> Page:
    page.set_default_timeout(TIMEOUT_MS)

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            errors.append(f"{page.url}: {message.text}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))
    return page


def _sign_in(page: Page, base: str, language: str, username: str) -> None:
    page.goto(f"{base}/{language}/account/sign-in/")
    expect(page.locator("html")).to_have_attribute("lang", language)
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type=submit]").click()


def _move(page: Page, stage: str) -> None:
    page.locator(f"form:has(input[name=to_stage][value={stage}]) button").click()
    page.wait_for_load_state()


@pytest.mark.parametrize("language", ["nl", "fr", "en"])
def test_from_a_match_to_an_accepted_offer(
    live_server: Any, browser: Browser, language: str, screenshots: Path | None
) -> None:
    reference = build_world()  # the reference data a real match needs
    employer = factories.OrganisationFactory.create(employer=True, name="Lasbedrijf Noord")
    vacancy = welder_vacancy(replace(reference, employer=employer), title="Lasser MIG/MAG")
    candidate = matched_candidate(vacancy, given_name="Amina", family_name="Benali")
    recompute(vacancy)  # stored as the worker would
    recruiter = recruiter_user(username="lotte", first_name="Lotte")
    device = TOTPDevice.objects.create(user=recruiter, name="phone", confirmed=True)
    factories.UserFactory.create(username="els", role=User.Role.EMPLOYER_USER, organisation=employer)
    errors: list[str] = []
    base = live_server.url

    # The recruiter: password, then the code of the authenticator app.
    staff = _watch(browser.new_context(locale=language).new_page(), errors)
    _sign_in(staff, base, language, "lotte")
    expect(staff).to_have_url(f"{base}/{language}/account/second-factor/?next=%2F{language}%2Fstart%2F")
    staff.fill("#id_token", f"{totp(device.bin_key):06d}")
    staff.locator("main form button[type=submit]").click()
    expect(staff).to_have_url(f"{base}/{language}/recruiter/")  # staff land on their dashboard
    staff.locator(f"nav a[href='/{language}/recruiter/vacancies/']").click()
    staff.get_by_role("link", name="Lasser MIG/MAG").click()
    expect(staff.locator("h1")).to_have_text("Lasser MIG/MAG")

    # Read why the candidate ranks first, criterion by criterion.
    match = staff.locator("li.match", has_text="Amina Benali")
    breakdown = match.locator("table.breakdown")
    expect(breakdown).to_be_hidden()
    match.locator("details > summary").click()
    expect(breakdown).to_be_visible()
    expect(breakdown.locator("tbody tr")).to_have_count(8)
    expect(breakdown).to_contain_text("25")
    if screenshots is not None:
        staff.screenshot(path=screenshots / f"recruiter-vacancy-{language}.png", full_page=True)

    # Shortlist: HTMX replaces the button with a link to the new case, without a page load.
    marker = staff.evaluate("() => (window.__notReloaded = true)")
    assert marker is True
    match.locator(".match-action button").click()
    case_link = match.locator(".match-action a")
    expect(case_link).to_be_visible()
    assert staff.evaluate("() => window.__notReloaded") is True
    case_link.click()

    # Propose with a message; the deadline is filled in.
    staff.fill("#id_message", "Zes jaar ervaring met MIG/MAG.")
    expect(staff.locator("#id_response_due_on")).not_to_have_value("")
    staff.locator("form[action$='/propose/'] button").click()
    staff.wait_for_load_state()
    placement = Placement.objects.get(candidate=candidate)
    assert placement.stage == Placement.Stage.PROPOSED
    case_url = staff.url

    # The employer: an anonymised profile, then the name once invited.
    boss = _watch(browser.new_context(locale=language).new_page(), errors)
    _sign_in(boss, base, language, "els")
    boss.locator(f"nav a[href='/{language}/employer/vacancies/']").click()
    boss.get_by_role("link", name="Lasser MIG/MAG").click()
    boss.locator("main table tbody a").first.click()
    expect(boss.locator("main")).not_to_contain_text("Benali")
    expect(boss.locator("main")).to_contain_text("weld metal parts")
    expect(boss.locator("table.breakdown")).to_be_visible()
    if screenshots is not None:
        boss.screenshot(path=screenshots / f"employer-proposal-{language}.png", full_page=True)
    _move(boss, "employer_interested")
    expect(boss.locator("#candidate-name")).to_have_text("Amina Benali")

    # The recruiter takes the case on to an accepted offer, one allowed move at a time.
    staff.goto(case_url)
    for stage in ("interview", "offer", "offer_accepted"):
        _move(staff, stage)
    placement.refresh_from_db()
    assert placement.stage == Placement.Stage.OFFER_ACCEPTED
    with translation.override(language):
        expect(staff.locator("#stage")).to_have_text(str(Placement.Stage.OFFER_ACCEPTED.label))
    assert errors == []


def test_select_all_offers_only_who_can_be_proposed_and_the_report_lists_each(
    live_server: Any, browser: Browser
) -> None:
    """Issue 12, item 13: "Select all on this page" ticks the candidates who can be proposed; one who has
    not consented to share their profile has a disabled box with the reason; the proposal's report is a
    list with each candidate's own outcome."""
    reference = build_world()
    employer = factories.OrganisationFactory.create(employer=True, name="Lasbedrijf Noord")
    vacancy = welder_vacancy(replace(reference, employer=employer), title="Lasser MIG/MAG")
    ready = [
        matched_candidate(vacancy, given_name="Amina", family_name="Benali"),
        matched_candidate(vacancy, given_name="Fatima", family_name="Zahra"),
    ]
    unwilling = matched_candidate(vacancy, consent=False, given_name="Omar", family_name="Tazi")
    recompute(vacancy)
    recruiter = recruiter_user(username="lotte", first_name="Lotte")
    device = TOTPDevice.objects.create(user=recruiter, name="phone", confirmed=True)
    errors: list[str] = []
    base = live_server.url

    staff = _watch(browser.new_context(locale="en").new_page(), errors)
    _sign_in(staff, base, "en", "lotte")
    staff.fill("#id_token", f"{totp(device.bin_key):06d}")
    staff.locator("main form button[type=submit]").click()
    staff.goto(f"{base}/en/recruiter/vacancies/{vacancy.public_id}/")
    staff.get_by_role("link", name="Select all on this page").click()

    for candidate in ready:
        expect(staff.get_by_label(f"Select {candidate}")).to_be_checked()
    refused_box = staff.get_by_label(f"Select {unwilling}")
    expect(refused_box).to_be_disabled()
    expect(refused_box).not_to_be_checked()
    reason = "The candidate has not consented to share their profile with this employer."
    expect(staff.locator(f"#blocked-{unwilling.public_id}")).to_have_text(reason)

    staff.fill("#id_message", "Two welders for your spring start.")
    staff.locator("button[name=action][value=propose]").click()
    staff.wait_for_load_state()
    report = staff.get_by_role("status").get_by_role("list").last
    expect(report.get_by_role("listitem")).to_have_count(2)
    for candidate in ready:
        expect(report).to_contain_text(f"{candidate}: proposed to the employer.")
    assert set(Placement.objects.values_list("candidate_id", "stage")) == {
        (candidate.pk, Placement.Stage.PROPOSED) for candidate in ready
    }
    assert errors == []
