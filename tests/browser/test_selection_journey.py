"""A project's selection in a real browser: a recruiter defines an online test and an interview, records
a candidate's results, sees the "passed" count, plans a job dating, invites the candidate and cancels
it (the Palim case); the invited employer sees the event, the candidate anonymised, and their video-CV
link only once the candidate consents to show it to that employer."""

import datetime
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Browser, ConsoleMessage, Page, expect

from candidates.models import Consent
from core.models import User
from selection.models import JobDating
from tests import factories
from tests.browser.conftest import TIMEOUT_MS

pytestmark = [pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"  # tests.factories.UserFactory
VIDEO = "https://video.example.org/amina-benali"


def _page(browser: Browser, errors: list[str]) -> Page:
    page = browser.new_context(locale="en").new_page()
    page.set_default_timeout(TIMEOUT_MS)

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            errors.append(f"{page.url}: {message.text}")

    page.on("console", on_console)
    return page


def _sign_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/en/account/sign-in/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type=submit]").click()


def test_a_recruiter_runs_a_selection_and_an_employer_sees_a_video_cv_after_consent(
    live_server: Any, browser: Browser, screenshots: Path | None
) -> None:
    project = factories.ProjectFactory.create(code="palim", name="PALIM")
    employer = factories.OrganisationFactory.create(employer=True, name="Agoria Member IT")
    amina = factories.CandidateFactory.create(
        project=project, given_name="Amina", family_name="Benali", video_cv_url=VIDEO
    )
    factories.ConsentFactory.create(
        candidate=amina, purpose=Consent.Purpose.SHARE_WITH_EMPLOYER, recipient=employer
    )
    recruiter = factories.UserFactory.create(username="lotte", first_name="Lotte")
    device = TOTPDevice.objects.create(user=recruiter, name="phone", confirmed=True)
    factories.UserFactory.create(username="els", role=User.Role.EMPLOYER_USER, organisation=employer)
    errors: list[str] = []
    base = live_server.url

    staff = _page(browser, errors)
    _sign_in(staff, base, "lotte")
    staff.fill("#id_token", f"{totp(device.bin_key):06d}")
    staff.locator("main form button[type=submit]").click()
    expect(staff).to_have_url(f"{base}/en/recruiter/")
    staff.goto(f"{base}/en/recruiter/projects/palim/")
    staff.locator("#selection-link").click()
    expect(staff.locator("h1")).to_have_text("Selection steps")

    # Two steps: a scored online test, then an interview.
    staff.fill("#id_name", "Online test")
    staff.select_option("#id_kind", "online_test")
    staff.fill("#id_pass_mark", "50")
    staff.get_by_role("button", name="Add the step").click()
    staff.fill("#id_name", "Interview")
    staff.select_option("#id_kind", "interview")
    staff.get_by_role("button", name="Add the step").click()
    expect(staff.locator("#selection-funnel tbody tr")).to_have_count(2)

    # Results: 80 on the test (passed by the pass mark), then the interview passed.
    staff.locator("#record-results").click()
    row = staff.locator(f"#candidate-{amina.pk}")
    row.locator("select[name=step]").select_option(label="1. Online test")
    row.locator("input[name=score]").fill("80")
    row.locator("select[name=verdict]").select_option("passed")
    row.get_by_role("button", name="Record").click()
    expect(staff.locator(f"#candidate-{amina.pk}")).to_contain_text("Passed (80.00)")
    row = staff.locator(f"#candidate-{amina.pk}")
    row.locator("select[name=step]").select_option(label="2. Interview")
    row.locator("select[name=verdict]").select_option("passed")
    row.get_by_role("button", name="Record").click()
    staff.goto(f"{base}/en/recruiter/selection/projects/palim/")
    expect(staff.locator("#step-2 .passed")).to_have_text("1")

    # A job dating for those who passed the interview, with the employer invited.
    staff.fill("#id_dating_name", "Job dating Casablanca")
    staff.fill("#id_dating_held_on", (timezone.localdate() + datetime.timedelta(days=30)).isoformat())
    staff.fill("#id_dating_place", "Casablanca")
    staff.select_option("#id_dating_required_step", label="2. Interview")
    staff.get_by_label("Agoria Member IT").check()
    staff.get_by_role("button", name="Plan the job dating").click()
    expect(staff.locator("#event-status")).to_have_text("Planned")
    staff.get_by_label("Amina Benali").check()
    staff.get_by_role("button", name="Invite").click()
    expect(staff.locator("#invitations")).to_contain_text("Amina Benali")
    staff.fill("#id_reason", "Travel restrictions: replaced by video CVs")
    staff.get_by_role("button", name="Cancel the job dating").click()
    expect(staff.locator("#event-status")).to_have_text("Cancelled")
    expect(staff.locator("#cancellation-reason")).to_have_text("Travel restrictions: replaced by video CVs")
    assert JobDating.objects.get().status == JobDating.Status.CANCELLED
    if screenshots:
        staff.screenshot(path=str(screenshots / "selection-job-dating.png"), full_page=True)

    # The employer: the event, the candidate anonymised, no video until the candidate consents.
    company = _page(browser, errors)
    _sign_in(company, base, "els")
    company.goto(f"{base}/en/employer/selection/job-datings/")
    company.get_by_role("link", name="Job dating Casablanca").click()
    expect(company.locator("#invited tbody tr")).to_have_count(1)
    expect(company.locator("main")).not_to_contain_text("Benali")
    expect(company.locator("a.video-cv")).to_have_count(0)
    factories.ConsentFactory.create(
        candidate=amina, purpose=Consent.Purpose.VIDEO_CV_WITH_EMPLOYER, recipient=employer
    )
    company.reload()
    expect(company.locator("a.video-cv")).to_have_attribute("href", VIDEO)
    assert errors == []
