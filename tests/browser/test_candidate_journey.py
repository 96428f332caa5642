"""The candidate as a user (issue 14), in a real browser, in French and in English, with no console error.

Amina is invited to her personal space, by her partner agency in French and by a recruiter in English:
the one-time link arrives by e-mail, she chooses a password and lands in her space. She checks her
profile and asks for a correction; she withdraws her consent to share her profile with the employer she
was proposed to, who then no longer finds her; she reads an information page for her stage; she
downloads her data (JSON and CSV) and asks for its erasure, which restricts her at once.

Labels are looked up in the page's language (``_t``): the test holds whether or not the catalogues
translate a string yet. Where a string is translated already, the French journey checks the French text
itself, so a page that silently falls back to English fails.
"""

import csv
import io
import json
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.utils import translation
from django_otp.oath import totp
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Locator, Page, expect

from candidate_space.models import CandidateAccount, CorrectionRequest
from candidates.models import Candidate, Consent
from core.models import User
from privacy.models import ErasureRequest
from tests.browser.candidate_world import CANDIDATE_PASSWORD, PASSWORD, CandidateWorld, build_candidate_world
from tests.browser.conftest import TIMEOUT_MS
from tests.browser.test_phone_width import PHONE, _problems
from tests.candidate_space.world import candidate_user
from welcome.selectors import page_reading, welcome_entries_for_candidate

pytestmark = [pytest.mark.django_db(transaction=True)]

LINK = re.compile(r"https?://[^/\s]+(/(\w\w)/me/activate/[\w-]+/)")
# Already in the French catalogue: if these show in English, the page is not in French.
FRENCH = {"Sign out": "Se déconnecter", "Dutch": "Néerlandais", "Our candidates": "Nos candidats"}


def _t(language: str, text: str) -> str:
    """``text`` as the site shows it in ``language`` (the English source until the catalogue has it)."""
    with translation.override(language):
        found = translation.gettext(text)
    if language == "fr" and text in FRENCH:
        assert found == FRENCH[text], f"the French catalogue lost {text!r}"
    return found


def _watch(context: BrowserContext, errors: list[str], expected: set[tuple[str, int]]) -> Page:
    """A page whose console errors are collected, except the statuses the journey asks for (Chromium
    reports a page answered with 404 or 400 as an error): ``expected`` holds (path, status)."""
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)

    def on_console(message: ConsoleMessage) -> None:
        path = "/" + page.url.split("/", 3)[-1]
        if message.type == "error" and not any(
            path == url and f"status of {status}" in message.text for url, status in expected
        ):
            errors.append(f"{page.url}: {message.text}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))
    return page


def _sign_in(page: Page, base: str, language: str, username: str, password: str = PASSWORD) -> None:
    page.goto(f"{base}/{language}/account/sign-in/")
    expect(page.locator("html")).to_have_attribute("lang", language)
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def _nav(page: Page, language: str, label: str) -> None:
    """Follow a link of the menu of the candidate's space."""
    menu = page.get_by_role("navigation", name=_t(language, "My space"))
    menu.get_by_role("link", name=_t(language, label), exact=True).click()


def _status(page: Page) -> Locator:
    return page.get_by_role("status")


# --- 1. The invitation -------------------------------------------------------------------------------


def _invite(inviter: Page, base: str, language: str, world: CandidateWorld, by: str) -> str:
    """Sign in as the partner agency's user or the recruiter, press the invitation button on the
    candidate's page, and return the link the e-mail carries."""
    candidate = world.candidate
    if by == "partner":
        _sign_in(inviter, base, language, world.partner_user.username)
        partner_nav = inviter.get_by_role("link", name=_t(language, "Our candidates"))
        partner_nav.click()
        inviter.get_by_role("link", name=str(candidate)).click()
        expect(inviter).to_have_url(f"{base}/{language}/partner/candidates/{candidate.public_id}/")
    else:
        _sign_in(inviter, base, language, world.recruiter.username)
        inviter.fill("#id_token", f"{totp(world.recruiter_device.bin_key):06d}")
        inviter.locator("main form button[type=submit]").click()
        expect(inviter).to_have_url(f"{base}/{language}/recruiter/")
        inviter.goto(f"{base}/{language}/recruiter/candidates/{candidate.public_id}/")
    expect(inviter.get_by_role("button", name=_t(language, "Sign out"))).to_be_visible()
    mail.outbox.clear()
    inviter.get_by_role("button", name=_t(language, "Invite to their personal space")).click()
    expect(_status(inviter)).to_contain_text(
        _t(
            language,
            "The invitation is sent to the candidate's e-mail address. The link works once, for "
            "seven days; an earlier link no longer works.",
        )
    )
    # The live server runs in a thread of this process: its locmem outbox is this one.
    assert len(mail.outbox) == 1
    [message] = mail.outbox
    assert message.to == ["amina.benali@example.org"]
    found = LINK.search(str(message.body))
    assert found, message.body
    assert found.group(2) == language  # the candidate's language, whoever invited her
    assert "Amina" in str(message.body)
    return found.group(1)


def _open_space(page: Page, base: str, language: str, link: str) -> None:
    """The candidate follows the link, chooses a password and lands in her space."""
    page.goto(f"{base}{link}")
    # The token leaves the address bar at once.
    expect(page).to_have_url(f"{base}/{language}/me/activate/set-password/")
    expect(page.locator("h1")).to_contain_text("Amina")
    page.fill("#id_password1", CANDIDATE_PASSWORD)
    page.fill("#id_password2", CANDIDATE_PASSWORD)
    page.get_by_role("button", name=_t(language, "Open my space")).click()
    expect(page).to_have_url(f"{base}/{language}/me/")
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(_status(page)).to_contain_text(_t(language, "Welcome! Your account is open."))
    expect(page.get_by_role("button", name=_t(language, "Sign out"))).to_be_visible()
    # The link works once: a second visit opens nothing.
    spent = page.context.new_page()
    spent.set_default_timeout(TIMEOUT_MS)
    response = spent.goto(f"{base}{link}")
    assert response is not None and response.status == 404
    spent.close()


# --- 2. The profile --------------------------------------------------------------------------------


def _profile_and_correction(page: Page, language: str, world: CandidateWorld) -> None:
    _nav(page, language, "My profile")
    languages = page.locator("#languages")
    dutch = languages.get_by_role("row", name=re.compile(_t(language, "Dutch")))
    expect(dutch).to_contain_text("B1")  # listening, reading, speaking
    expect(dutch).to_contain_text("A2")  # writing
    expect(dutch).to_contain_text("NT2 2.4")
    expect(page.locator("#diplomas")).to_contain_text("Bachelor of Science in Nursing")
    expect(page.locator("#identity")).to_contain_text("Amina Benali")
    expect(page.locator("main")).not_to_contain_text("Alaoui")

    page.get_by_role("link", name=_t(language, "Ask for a correction")).click()
    page.get_by_label(_t(language, "Which part of your profile?")).select_option("languages")
    page.get_by_label(_t(language, "What is wrong, and what should it say?")).fill(
        "Mijn Nederlands is nu B2."
    )
    page.get_by_role("button", name=_t(language, "Send my request")).click()
    expect(page).to_have_url(re.compile(r"/me/profile/$"))
    request = page.locator("#corrections li", has_text="Mijn Nederlands is nu B2.")
    expect(request.locator(".badge")).to_have_text(_t(language, "Open"))
    [stored] = CorrectionRequest.objects.filter(candidate=world.candidate)
    assert (stored.part, stored.status) == (CorrectionRequest.Part.LANGUAGES, CorrectionRequest.Status.OPEN)


# --- 3. Withdrawing the consent to share with the employer ----------------------------------------


def _withdraw_consent(page: Page, boss: Page, base: str, language: str, world: CandidateWorld) -> None:
    """The employer sees the proposal; the candidate withdraws her consent; the employer no longer
    does."""
    placement = world.web.placement
    proposal_url = f"{base}/{language}/employer/proposals/{placement.public_id}/"
    vacancy_url = f"{base}/{language}/employer/vacancies/{world.web.vacancy.public_id}/"
    _sign_in(boss, base, language, world.employer_user.username)
    boss.goto(vacancy_url)
    to_proposal = boss.locator(f"main a[href$='/proposals/{placement.public_id}/']")
    expect(to_proposal).to_have_count(1)
    response = boss.goto(proposal_url)
    assert response is not None and response.status == 200
    expect(boss.locator("main")).to_contain_text("weld metal parts")

    _nav(page, language, "My consents")
    employer = world.web.employer_a.name
    consent = page.get_by_role("region", name=re.compile(re.escape(employer)))
    expect(consent.locator(".badge")).to_have_text(_t(language, "Given"))
    consent.get_by_role("button", name=_t(language, "Withdraw this consent")).click()
    expect(_status(page)).to_contain_text(employer)  # what the withdrawal means, said after it
    consent = page.get_by_role("region", name=re.compile(re.escape(employer)))
    expect(consent.locator(".badge")).to_have_text(_t(language, "Withdrawn"))
    assert not Consent.objects.filter(
        candidate=world.candidate,
        purpose=Consent.Purpose.SHARE_WITH_EMPLOYER,
        recipient=world.web.employer_a,
        withdrawn_at__isnull=True,
    ).exists()

    # At once, before any task: the proposal is not found and the vacancy's page no longer links to it.
    response = boss.goto(proposal_url)
    assert response is not None and response.status == 404
    expect(boss.locator("main")).not_to_contain_text("Benali")
    boss.goto(vacancy_url)
    expect(boss.locator(f"main a[href$='/proposals/{placement.public_id}/']")).to_have_count(0)
    expect(boss.locator("main")).not_to_contain_text("Benali")


# --- 4. The information pages of her stage ---------------------------------------------------------


def _read_a_page(page: Page, language: str, world: CandidateWorld) -> None:
    entries = welcome_entries_for_candidate(candidate=world.candidate, language=language)
    assert entries, "no welcome page for a proposed candidate"
    first = entries[0]
    assert first.version.language == language  # the example pages exist in French and English
    assert page_reading(page=first.page).read_current == 0

    _nav(page, language, "Information for you")
    item = page.locator("main li", has=page.get_by_role("link", name=first.version.title, exact=True))
    expect(item.locator(".badge").first).to_have_text(_t(language, "New"))
    expect(item).to_have_attribute("lang", language)
    item.get_by_role("link", name=first.version.title, exact=True).click()
    expect(page.locator("article h1")).to_have_text(first.version.title)
    expect(page.locator("article")).to_have_attribute("lang", language)
    _nav(page, language, "Information for you")
    item = page.locator("main li", has=page.get_by_role("link", name=first.version.title, exact=True))
    expect(item.locator(".badge").first).to_have_text(_t(language, "Read"))
    # Staff's "who read what" counts her.
    assert page_reading(page=first.page).read_current == 1


# --- 5. Downloading her data -----------------------------------------------------------------------


def _download(page: Page, language: str, world: CandidateWorld) -> None:
    _nav(page, language, "My data")
    with page.expect_download() as json_download:
        page.get_by_role("link", name=_t(language, "Download as JSON (one file, for computers)")).click()
    saved = json_download.value
    assert saved.suggested_filename.endswith(".json")
    text = Path(saved.path()).read_text(encoding="utf-8")
    data = json.loads(text)
    assert data["profile"]["given_name"] == "Amina"
    assert data["profile"]["family_name"] == "Benali"
    assert data["about"]["candidate"] == str(world.candidate.public_id)
    assert "Mijn Nederlands is nu B2." in text  # her correction request is hers too
    for other in ("Alaoui", "Youssef", str(world.other.public_id)):
        assert other not in text

    with page.expect_download() as csv_download:
        page.get_by_role(
            "link", name=_t(language, "Download as CSV (a zip file with tables for a spreadsheet)")
        ).click()
    saved = csv_download.value
    assert saved.suggested_filename.endswith(".zip")
    with zipfile.ZipFile(Path(saved.path())) as archive:
        names = archive.namelist()
        assert names and all(name.endswith(".csv") for name in names), names
        tables = {name: archive.read(name).decode("utf-8-sig") for name in names}
    everything = "\n".join(tables.values())
    rows = [row for table in tables.values() for row in csv.reader(io.StringIO(table))]
    assert any("Benali" in cell for row in rows for cell in row)
    assert "Alaoui" not in everything and str(world.other.public_id) not in everything


# --- 6. Asking for erasure -------------------------------------------------------------------------


def _ask_erasure(page: Page, language: str, world: CandidateWorld) -> None:
    page.get_by_role("link", name=_t(language, "Read what is erased and ask")).click()
    expect(page).to_have_url(re.compile(r"/me/data/erasure/$"))
    expect(page.locator("h1")).to_have_text(_t(language, "Erase my data"))
    expect(page.locator("main")).to_contain_text(_t(language, "What is kept, without your name, and why"))
    ask = page.get_by_role("button", name=_t(language, "Ask for the erasure of my data"))
    ask.click()  # without ticking the box: refused, in her language, nothing written
    expect(page.locator("main")).to_contain_text(_t(language, "Tick the box to confirm."))
    assert not ErasureRequest.objects.filter(candidate=world.candidate).exists()
    world.candidate.refresh_from_db()
    assert world.candidate.status == Candidate.Status.ACTIVE

    page.get_by_label(
        _t(language, "I understand what will be erased and what will be kept, and I ask for the erasure.")
    ).check()
    ask.click()
    expect(page).to_have_url(re.compile(r"/me/data/$"))
    expect(_status(page)).to_contain_text(
        _t(
            language,
            "We have your request. Your data is restricted from now on and will be erased within a "
            "month; you will no longer be able to sign in then.",
        )
    )
    expect(page.locator("main")).to_contain_text(_t(language, "Requested"))
    [request] = ErasureRequest.objects.filter(candidate=world.candidate)
    assert request.status == ErasureRequest.Status.REQUESTED
    world.candidate.refresh_from_db()
    assert world.candidate.status == Candidate.Status.RESTRICTED  # restricted the moment she asks


@pytest.mark.parametrize(("language", "inviter"), [("fr", "partner"), ("en", "recruiter")])
def test_a_candidate_from_the_invitation_to_the_erasure(
    live_server: Any, browser: Browser, language: str, inviter: str, screenshots: Path | None
) -> None:
    world = build_candidate_world(language)
    base = live_server.url
    errors: list[str] = []
    expected = {
        # The employer's proposal once the candidate withdrew her consent.
        (f"/{language}/employer/proposals/{world.web.placement.public_id}/", 404),
        # The erasure form sent without its confirmation.
        (f"/{language}/me/data/erasure/", 400),
    }

    staff = _watch(browser.new_context(locale=language), errors, expected)
    link = _invite(staff, base, language, world, inviter)

    me = _watch(browser.new_context(locale=language), errors, expected)
    _open_space(me, base, language, link)
    account = CandidateAccount.objects.select_related("user").get(candidate=world.candidate)
    assert account.user.role == User.Role.CANDIDATE and account.user.organisation_id is None
    if screenshots is not None:
        me.screenshot(path=screenshots / f"candidate-home-{language}.png", full_page=True)

    _profile_and_correction(me, language, world)
    boss = _watch(browser.new_context(locale=language), errors, expected)
    _withdraw_consent(me, boss, base, language, world)
    _read_a_page(me, language, world)
    _download(me, language, world)
    _ask_erasure(me, language, world)
    # Restricted, she keeps her space (her data rights outlive the recruitment), signing in with her
    # e-mail address and the password she chose.
    me.get_by_role("button", name=_t(language, "Sign out")).click()
    expect(me.get_by_role("banner").get_by_role("link", name=_t(language, "Sign in"))).to_be_visible()
    _sign_in(me, base, language, "amina.benali@example.org", CANDIDATE_PASSWORD)
    expect(me).to_have_url(f"{base}/{language}/me/")
    expect(me.locator("h1")).to_contain_text("Amina")
    assert errors == []


def test_the_candidate_s_space_fits_a_phone(live_server: Any, browser: Browser) -> None:
    """One page of each area of /me/ at 375 px wide: no sideways scroll (the rule of test_phone_width)."""
    world = build_candidate_world("en")
    account_user = candidate_user(world.candidate)  # an account opened earlier
    first_page = welcome_entries_for_candidate(candidate=world.candidate, language="en")[0].page
    urls = [
        "/en/me/",
        "/en/me/profile/",
        "/en/me/profile/corrections/new/",
        "/en/me/consents/",
        "/en/me/cases/",
        f"/en/me/cases/{world.web.placement.public_id}/",
        "/en/me/profile-views/",
        "/en/me/welcome/",
        f"/en/me/welcome/{first_page.public_id}/",
        "/en/me/data/",
        "/en/me/data/erasure/",
    ]
    client = Client()
    client.force_login(account_user)
    context = browser.new_context(viewport=PHONE, locale="en")
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    found = {}
    for url in urls:
        assert client.get(url).status_code == 200, url
        problems = _problems(page, f"{live_server.url}{url}")
        if problems:
            found[url] = problems
    context.close()
    assert found == {}, f"pages of /me/ wider than a phone ({PHONE['width']} px): {found}"
