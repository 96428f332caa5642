"""The employer-costs pathway in a real browser (docs/pathways/employer-costs.md): the partner agency
records a travel cost its candidate paid, the case is held and the employer cannot move it, the employer
reads the cost overview, staff record the refund with evidence, the hold lifts and the case moves on."""

from pathlib import Path
from typing import Any

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Browser, ConsoleMessage, Page, expect

from core.models import User
from costs.models import CaseCost, CostHoldEvent
from recruitment.models import Placement
from tests import factories
from tests.browser.conftest import TIMEOUT_MS
from tests.web.world import build_web_world

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


def _sign_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/en/account/sign-in/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def test_a_cost_charged_to_the_candidate_holds_the_case_until_refunded(
    live_server: Any, browser: Browser, screenshots: Path | None
) -> None:
    world = build_web_world()
    case = world.placement
    factories.UserFactory.create(username="samira", role=User.Role.PARTNER_USER, organisation=world.partner)
    factories.UserFactory.create(username="els", role=User.Role.EMPLOYER_USER, organisation=world.employer_a)
    device = TOTPDevice.objects.create(user=world.recruiter, name="phone", confirmed=True)
    base = live_server.url
    errors: list[str] = []

    # The partner agency records the ticket its candidate paid.
    partner = _page(browser, errors)
    _sign_in(partner, base, "samira")
    partner.goto(f"{base}/en/partner/candidates/")
    partner.locator("nav a[href='/en/partner/costs/']").click()
    partner.locator(f"a[href='/en/partner/costs/cases/{case.public_id}/']").click()
    partner.select_option("#id_cost_type", "travel")
    partner.fill("#id_amount", "380")
    partner.select_option("#id_paid_by", "candidate")
    partner.fill("#id_payee", "Travel agency in Casablanca")
    partner.fill("#id_evidence", "Ticket receipt shown by the candidate")
    partner.locator("form[action$='/record/'] button").click()
    expect(partner.locator("#cost-hold")).to_be_visible()
    expect(partner.locator("#cost-entries")).to_contain_text("Travel agency in Casablanca")
    assert Placement.objects.get(pk=case.pk).held_since is not None

    # The employer sees the hold and the cost overview, and cannot move the case on.
    employer = _page(browser, errors)
    _sign_in(employer, base, "els")
    employer.goto(f"{base}/en/employer/proposals/{case.public_id}/")
    expect(employer.locator("form:has(input[name=to_stage][value=employer_interested])")).to_have_count(0)
    employer.locator("#cost-overview-link").click()
    expect(employer.locator("#cost-hold")).to_be_visible()
    expect(employer.locator("#cost-totals")).to_contain_text("to refund to the candidate")
    expect(employer.locator("#expected-costs")).to_contain_text("not stated on the vacancy")
    expect(employer.locator("main")).not_to_contain_text("Travel agency in Casablanca")
    if screenshots:
        employer.screenshot(path=str(screenshots / "employer-cost-overview.png"), full_page=True)

    # Staff find the alert, record the refund with its evidence, and move the case on.
    staff = _page(browser, errors)
    _sign_in(staff, base, world.recruiter.username)
    staff.fill("#id_token", f"{totp(device.bin_key):06d}")
    staff.locator("main form button[type=submit]").click()
    staff.wait_for_load_state()
    staff.locator("nav a[href='/en/recruiter/costs/']").click()
    staff.locator(f"a[href='/en/recruiter/costs/cases/{case.public_id}/']").click()
    entry = CaseCost.objects.get(placement=case)
    staff.fill(f"#id_refund_{entry.pk}_refund_evidence", "Bank transfer from the employer, 1 December")
    staff.locator(f"form[action$='/costs/{entry.public_id}/refund/'] button").click()
    expect(staff.locator("main")).to_contain_text("the hold on the case is lifted")
    expect(staff.locator("#cost-hold")).to_have_count(0)
    expect(staff.locator("#hold-events li")).to_have_count(2)
    staff.locator(f"a[href='/en/recruiter/placements/{case.public_id}/']").first.click()
    staff.locator("form:has(input[name=to_stage][value=employer_interested]) button").click()
    staff.wait_for_load_state()
    expect(staff.locator("#stage")).to_have_text("Employer interested")

    assert Placement.objects.get(pk=case.pk).stage == Placement.Stage.EMPLOYER_INTERESTED
    assert list(CostHoldEvent.objects.values_list("kind", flat=True)) == ["held", "released"]
    assert errors == []
