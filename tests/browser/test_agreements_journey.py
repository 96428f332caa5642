"""Agreements that share vacancies, in a real browser: a recruiter of the public employment service
records a memorandum with Taiwan; an employer publishes an engineering vacancy; the Taiwanese agency
finds it shared with it, without anyone having clicked "share"; the employer closes the vacancy and the
agency (and the recruiter) see the share withdrawn.

The live server runs tasks in-process after commit (no broker), as ``make run`` does: publishing runs
the vacancy's recompute, whose transaction shares it.
"""

from pathlib import Path
from typing import Any

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Browser, ConsoleMessage, Page, expect

from agreements.models import VacancyShare
from core.models import User
from tests import factories
from tests.browser.conftest import TIMEOUT_MS
from vacancies.models import Vacancy

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


def test_a_vacancy_is_shared_under_an_agreement_and_withdrawn_when_closed(
    live_server: Any, browser: Browser, screenshots: Path | None
) -> None:
    engineer = factories.EscoOccupationFactory.create(label_en="process engineer")
    employer = factories.OrganisationFactory.create(employer=True, name="Chemiebedrijf Schelde")
    vacancy = factories.VacancyFactory.create(
        employer=employer, occupation=engineer, title="Process engineer", status=Vacancy.Status.DRAFT
    )
    taiwan = factories.OrganisationFactory.create(name="Demo Taiwanese agency", country="TW")
    recruiter = factories.UserFactory.create(username="lotte")
    device = TOTPDevice.objects.create(user=recruiter, name="phone", confirmed=True)
    factories.UserFactory.create(username="els", role=User.Role.EMPLOYER_USER, organisation=employer)
    factories.UserFactory.create(username="mei", role=User.Role.PARTNER_USER, organisation=taiwan)
    errors: list[str] = []
    base = live_server.url

    # The recruiter records the memorandum: engineering vacancies, shared with the Taiwanese agency.
    staff = _page(browser, errors)
    _sign_in(staff, base, "lotte")
    staff.fill("#id_token", f"{totp(device.bin_key):06d}")
    staff.locator("main form button[type=submit]").click()
    expect(staff).to_have_url(f"{base}/en/recruiter/")
    staff.locator("nav a[href='/en/recruiter/agreements/']").click()
    staff.get_by_role("link", name="New agreement").click()
    staff.fill("#id_code", "vdab-taiwan")
    staff.fill("#id_name", "Memorandum with Taiwan: engineers")
    staff.select_option("#id_kind", "memorandum")
    staff.fill("#id_partner_country", "tw")
    staff.fill("#id_starts_on", "2022-01-01")
    staff.select_option("#id_occupations", str(engineer.pk))
    staff.select_option("#id_agencies", str(taiwan.pk))
    staff.get_by_role("button", name="Save the agreement").click()
    expect(staff.locator("h1")).to_have_text("Memorandum with Taiwan: engineers")
    expect(staff.locator("main")).to_contain_text("No vacancy shared yet.")

    # The employer publishes the vacancy; nobody shares it by hand.
    company = _page(browser, errors)
    _sign_in(company, base, "els")
    company.goto(f"{base}/en/employer/vacancies/{vacancy.public_id}/")
    confirm = company.locator("input[name=confirm_blocking]")
    if confirm.count():  # the pre-publication check may ask to publish knowingly
        confirm.check()
    company.get_by_role("button", name="Publish the vacancy").click()
    expect(company.locator("#vacancy-status")).to_have_text("Published")

    # The agency finds it among the vacancies shared with it.
    agency = _page(browser, errors)
    _sign_in(agency, base, "mei")
    agency.goto(f"{base}/en/partner/candidates/")
    agency.get_by_role("link", name="Vacancies shared with us").click()
    row = agency.locator("tbody tr", has_text="Process engineer")
    expect(row).to_contain_text("Memorandum with Taiwan: engineers")
    expect(row.locator(".badge")).to_have_text("shared")
    if screenshots:
        agency.screenshot(path=str(screenshots / "agreements-shared.png"), full_page=True)

    # The employer closes it; the share is withdrawn, and says why.
    company.get_by_role("button", name="Close the vacancy").click()
    expect(company.locator("#vacancy-status")).to_have_text("Closed")
    agency.reload()
    expect(row.locator(".badge")).to_have_text("withdrawn")
    expect(row).to_contain_text("The vacancy closed or was filled")
    staff.reload()
    expect(staff.locator("tbody tr", has_text="Process engineer")).to_contain_text("withdrawn")

    share = VacancyShare.objects.get()
    assert (share.agency_id, share.withdrawn_reason) == (
        taiwan.pk,
        VacancyShare.WithdrawnReason.VACANCY_CLOSED,
    )
    assert errors == []
