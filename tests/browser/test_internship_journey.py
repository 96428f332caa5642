"""A circular internship in a real browser: the recruiter takes a trainee's case from the accepted offer
through the trainee permit, the visa, the arrival, the internship and the return home, records where the
former trainee stands after return, and sees the project's "hired by their host company" figure change.
"""

from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Browser, ConsoleMessage, Page, expect

from internships.models import OutcomeUpdate, ReturnOutcome
from internships.services import outcome_record
from recruitment.workflow import Stage
from tests import factories
from tests.browser.conftest import TIMEOUT_MS
from tests.internships.cases import TO_RETURN, proposed_case, returned_case, walk

pytestmark = [pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"  # tests.factories.UserFactory


def _page(browser: Browser, errors: list[str]) -> Page:
    page = browser.new_context(locale="en").new_page()
    page.set_default_timeout(TIMEOUT_MS)

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            errors.append(f"{page.url}: {message.text}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))
    return page


def _move(page: Page, button: str, stage_label: str) -> None:
    page.get_by_role("button", name=button, exact=True).click()
    expect(page.locator("#stage")).to_have_text(stage_label)


def test_a_recruiter_follows_an_internship_to_an_outcome_after_return(
    live_server: Any, browser: Browser, screenshots: Path | None
) -> None:
    recruiter = factories.UserFactory.create(username="sofie")
    device = TOTPDevice.objects.create(user=recruiter, name="phone", confirmed=True)
    project = factories.ProjectFactory.create(code="circular-tn", name="Circular internships Belgium-Tunisia")
    # A trainee back home a while ago, still looking; and Yasmine, who just accepted her offer.
    earlier = returned_case(recruiter, project=project, given_name="Mehdi", family_name="Trabelsi")
    outcome_record(
        placement=earlier, outcome=ReturnOutcome.LOOKING, observed_on=timezone.localdate(), actor=recruiter
    )
    accepted = walk(
        proposed_case(recruiter, project=project, given_name="Yasmine", family_name="Ben Salah"),
        recruiter,
        TO_RETURN[: TO_RETURN.index("offer_accepted") + 1],
    )
    errors: list[str] = []
    base = live_server.url

    page = _page(browser, errors)
    page.goto(f"{base}/en/account/sign-in/")
    page.fill("#id_username", "sofie")
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.fill("#id_token", f"{totp(device.bin_key):06d}")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(f"{base}/en/recruiter/")

    # The project's internships: one back home, nobody hired by their host company yet.
    page.goto(f"{base}/en/recruiter/projects/{project.code}/")
    page.locator("#internships-link").click()
    expect(page.locator("#figure-returned")).to_have_text("1")
    expect(page.locator("#figure-hired-by-host")).to_contain_text("0 (0 %)")

    # Yasmine's case, from the accepted offer to the return home: no 6-month retention step on the way.
    page.get_by_role("link", name="Yasmine Ben Salah").click()
    expect(page.locator("#internship-note")).to_contain_text("trainee permit")
    _move(page, "Single permit filed", "Single permit filed")
    _move(page, "Permit granted", "Single permit granted")
    _move(page, "Visa", "Visa")
    _move(page, "Arrived in Belgium", "Arrived")
    _move(page, "Internship started", "Started work")
    expect(page.get_by_role("button", name="Still employed after 6 months")).to_have_count(0)
    _move(page, "Internship completed", "Internship completed")
    _move(page, "Returned home", "Returned home after the internship")
    if screenshots:
        page.screenshot(path=str(screenshots / "internship-case.png"), full_page=True)

    # Back in Tunisia, hired by the host company's subsidiary there: the recruiter records it.
    page.locator("#internship-note a").click()
    page.select_option("#id_outcome", ReturnOutcome.HIRED_BY_HOST_ABROAD.value)
    page.fill("#id_observed_on", timezone.localdate().isoformat())
    page.fill("#id_note", "Junior developer at the subsidiary in Sfax")
    page.get_by_role("button", name="Record the outcome").click()
    expect(page.locator("main .message-success")).to_be_visible()
    expect(page.locator("#outcome-history")).to_contain_text("Hired by the host company abroad")

    # The project's figure follows: one of the two back home is hired by their host company.
    page.get_by_role("link", name=project.name).click()
    expect(page.locator("#figure-returned")).to_have_text("2")
    expect(page.locator("#figure-hired-by-host")).to_contain_text("1 (50 %)")
    if screenshots:
        page.screenshot(path=str(screenshots / "internship-figures.png"), full_page=True)

    accepted.refresh_from_db()
    assert accepted.stage == Stage.RETURNED
    assert list(OutcomeUpdate.objects.filter(placement=accepted).values_list("outcome", flat=True)) == [
        ReturnOutcome.HIRED_BY_HOST_ABROAD
    ]
    assert errors == []
