"""A partner agency's spreadsheet, in a real browser: uploaded with errors, the per-row report read,
the file corrected and uploaded again, and the candidates then in the agency's list.

The import runs as a background job (without a broker: in a thread of the live server, as in
``make run``); the page polls its progress with htmx and reloads itself when the report is ready.
"""

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation
from playwright.sync_api import Browser, ConsoleMessage, Page, expect

from candidates.models import Candidate
from core.models import User
from imports.models import ImportJob
from projects.models import ProjectPartner
from tests import factories
from tests.browser.conftest import TIMEOUT_MS

pytestmark = [pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"  # tests.factories.UserFactory
HEADERS = ["Référence", "Prénom", "Nom de famille", "Date de naissance", "Pays de résidence", "Nationalités"]


def _csv(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";")  # as a Belgian Excel saves it
    writer.writerow(HEADERS)
    writer.writerows(rows)
    return buffer.getvalue().encode("cp1252")


def _upload(page: Page, tmp: Path, name: str, content: bytes) -> None:
    path = tmp / name
    path.write_bytes(content)
    page.locator("input[type=file]").set_input_files(str(path))
    page.locator("main form button[type=submit]").click()
    # The job page: its progress bar, then (reloaded by itself) the report.
    expect(page.locator("#job-progress")).to_be_visible()
    with translation.override("fr"):
        done = str(ImportJob.Status.DONE.label)
    expect(page.locator("#job-progress .badge")).to_have_text(done, timeout=TIMEOUT_MS)


def test_a_partner_corrects_a_spreadsheet_and_imports_it(
    live_server: Any, browser: Browser, tmp_path: Path, screenshots: Path | None
) -> None:
    agency = factories.OrganisationFactory.create(name="Agence Atlas")
    project = factories.ProjectFactory.create(code="palim")
    ProjectPartner.objects.create(
        project=project, organisation=agency, role=ProjectPartner.Role.RECRUITMENT_AGENCY
    )
    factories.UserFactory.create(username="nadia", role=User.Role.PARTNER_USER, organisation=agency)
    errors: list[str] = []
    base = live_server.url

    page = browser.new_context(locale="fr").new_page()
    page.set_default_timeout(TIMEOUT_MS)

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            errors.append(f"{page.url}: {message.text}")

    page.on("console", on_console)
    page.goto(f"{base}/fr/account/sign-in/")
    page.fill("#id_username", "nadia")
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.goto(f"{base}/fr/partner/candidates/")
    page.locator("a[href='/fr/partner/imports/']").click()
    expect(page).to_have_url(f"{base}/fr/partner/imports/")

    broken = _csv(
        [
            ["ATL-1", "Hélène", "Benali", "17/05/1996", "MA", "MA"],
            ["ATL-2", "Youssef", "Alaoui", "31/02/1994", "MA", "MA"],  # no 31 February
            ["ATL-1", "Karim", "Idrissi", "02/03/1990", "MA", "MA"],  # the same reference again
        ]
    )
    _upload(page, tmp_path, "candidats.csv", broken)
    report = page.locator("main table").first
    expect(report.locator("tbody tr")).to_have_count(2)
    expect(report.locator("tbody tr").nth(0).locator("td").nth(0)).to_have_text("3")
    expect(report.locator("tbody tr").nth(0).locator("td").nth(1)).to_have_text("Date de naissance")
    expect(report.locator("tbody tr").nth(1).locator("td").nth(0)).to_have_text("4")
    if screenshots:
        page.screenshot(path=str(screenshots / "import-report.png"), full_page=True)
    assert not Candidate.objects.filter(registered_by=agency).exists()  # nothing half-written

    page.locator("a[href='/fr/partner/imports/']").click()
    corrected = _csv(
        [
            ["ATL-1", "Hélène", "Benali", "17/05/1996", "MA", "MA"],
            ["ATL-2", "Youssef", "Alaoui", "28/02/1994", "MA", "MA"],
            ["ATL-3", "Karim", "Idrissi", "02/03/1990", "MA", "MA"],
        ]
    )
    _upload(page, tmp_path, "candidats-corrigés.csv", corrected)
    expect(page.locator("main .message-success")).to_be_visible()
    page.locator("a[href='/fr/partner/candidates/']").last.click()
    expect(page).to_have_url(f"{base}/fr/partner/candidates/")
    for name in ("Benali", "Alaoui", "Idrissi"):
        expect(page.locator("main table tbody")).to_contain_text(name)
    assert Candidate.objects.filter(registered_by=agency).count() == 3
    assert not ImportJob.objects.exclude(content=None).exists()  # no upload kept
    assert errors == []
