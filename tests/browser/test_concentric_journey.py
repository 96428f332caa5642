"""The concentric search in a real browser (docs/pathways/concentric-search.md): a recruiter opens a
shortage vacancy and sees its four channels open, each with its opening date and its candidates and
cases; then a vacancy on no shortage list, searched in Flanders only, with the reason why."""

from pathlib import Path
from typing import Any

import pytest
from django.utils import formats, timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Browser, ConsoleMessage, expect

from tests.browser.conftest import TIMEOUT_MS
from tests.concentric.world import share
from tests.web.world import build_web_world, recompute

pytestmark = [pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"  # tests.factories.UserFactory


def test_a_recruiter_sees_where_a_vacancy_is_searched_and_why(
    live_server: Any, browser: Browser, screenshots: Path | None
) -> None:
    world = build_web_world()
    # The world's candidates live in Morocco; an agreement with Morocco shares the welder's vacancy.
    share(world.vacancy, country="MA", agency=world.partner)
    recompute(world.vacancy)
    recompute(world.other_vacancy)  # a bricklayer's job: its occupation is on no shortage list
    device = TOTPDevice.objects.create(user=world.recruiter, name="phone", confirmed=True)
    base = live_server.url
    errors: list[str] = []

    page = browser.new_context(locale="en").new_page()
    page.set_default_timeout(TIMEOUT_MS)

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            errors.append(f"{page.url}: {message.text}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))
    page.goto(f"{base}/en/account/sign-in/")
    page.fill("#id_username", world.recruiter.username)
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.fill("#id_token", f"{totp(device.bin_key):06d}")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()

    # The shortage vacancy: every channel open from its publication, the partner country by its share.
    page.locator("nav a[href='/en/recruiter/vacancies/']").click()
    page.locator(f"a[href='/en/recruiter/vacancies/{world.vacancy.public_id}/']").first.click()
    channels = page.locator("#search-channels")
    expect(channels).to_contain_text("A shortage vacancy")
    published = formats.date_format(timezone.localtime(world.vacancy.published_at), "DATE_FORMAT")
    for channel in ("flanders", "other_regions", "neighbouring", "partner_countries"):
        row = channels.locator(f"tr[data-channel='{channel}']")
        expect(row).to_have_attribute("data-open", "yes")
        expect(row).to_contain_text(published)
    partner = channels.locator("tr[data-channel='partner_countries']")
    expect(partner).to_contain_text("Talent partnership MA")
    # Its eligible match, its near-miss and its case all come through the agreement with Morocco.
    expect(partner.locator("td").nth(3)).to_have_text("1")
    expect(partner.locator("td").nth(4)).to_have_text("1")
    expect(partner.locator("td").nth(5)).to_have_text("1")
    expect(channels.locator("tr[data-channel='other_regions']")).to_contain_text(
        "Ministerial list of medium-skilled shortage functions"
    )
    if screenshots:
        page.screenshot(path=str(screenshots / "concentric-shortage-vacancy.png"), full_page=True)

    # A vacancy on no shortage list: Flanders only, and why the other channels stay closed.
    page.locator("nav a[href='/en/recruiter/vacancies/']").click()
    page.locator(f"a[href='/en/recruiter/vacancies/{world.other_vacancy.public_id}/']").first.click()
    channels = page.locator("#search-channels")
    expect(channels).to_contain_text("Not a shortage vacancy")
    expect(channels.locator("tr[data-channel='flanders']")).to_have_attribute("data-open", "yes")
    for channel in ("other_regions", "neighbouring", "partner_countries"):
        expect(channels.locator(f"tr[data-channel='{channel}']")).to_have_attribute("data-open", "no")
    expect(channels.locator("tr[data-channel='neighbouring']")).to_contain_text(
        "no shortage list in force for its region"
    )
    expect(channels.locator("tr[data-channel='partner_countries']")).to_contain_text("no agreement")
    if screenshots:
        page.screenshot(path=str(screenshots / "concentric-ordinary-vacancy.png"), full_page=True)
    assert errors == []
