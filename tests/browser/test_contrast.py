"""The header's text is readable: every link, button and label in it has a contrast of at least 4.5:1
(WCAG 2.1 AA for normal text) against the background it is drawn on, as Chromium computes the styles.

A stylesheet rule can silently win over another (``.site-header a`` once made the white "Sign in" button
white on white), so the colours are taken from the rendered page, not from the CSS source.
"""

from typing import Any

import pytest
from django.test import Client
from playwright.sync_api import Browser, Page

from core.models import User
from tests import factories
from tests.browser.conftest import TIMEOUT_MS

pytestmark = [pytest.mark.django_db(transaction=True)]

WCAG_AA = 4.5

# The contrast ratio of an element's text against its effective background: the background colours of the
# element and its ancestors, blended from the page's white canvas up (a transparent one lets the parent's
# show through). Background images are not used in the header.
CONTRAST_JS = """
(element) => {
  const rgba = (css) => {
    const [r, g, b, a = 1] = css.match(/[\\d.]+/g).map(Number);
    return [r, g, b, a];
  };
  const over = ([r, g, b, a], base) => [r, g, b].map((c, i) => c * a + base[i] * (1 - a));
  const layers = [];
  for (let node = element; node; node = node.parentElement) {
    const colour = rgba(getComputedStyle(node).backgroundColor);
    if (colour[3] > 0) layers.unshift(colour);
    if (colour[3] === 1) break;
  }
  const background = layers.reduce((base, layer) => over(layer, base), [255, 255, 255]);
  const text = over(rgba(getComputedStyle(element).color), background);
  const luminance = (rgb) => {
    const [r, g, b] = rgb.map((c) => {
      c /= 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const [light, dark] = [luminance(text), luminance(background)].sort((x, y) => y - x);
  return (light + 0.05) / (dark + 0.05);
}
"""

HEADER_TEXT = "header a, header button, header label, header select, header .who"


def _contrast(page: Page, selector: str) -> float:
    return float(page.locator(selector).evaluate(CONTRAST_JS))


def _low_contrast(page: Page) -> list[str]:
    """Each visible text element of the header below 4.5:1, with its ratio."""
    found = []
    for element in page.locator(HEADER_TEXT).all():
        if element.is_visible():
            ratio = float(element.evaluate(CONTRAST_JS))
            if ratio < WCAG_AA:
                found.append(f"{element.inner_text().strip()!r}: {ratio:.2f}:1")
    return found


@pytest.mark.parametrize("path", ["/en/", "/en/account/sign-in/"])
def test_the_sign_in_button_is_readable_on_anonymous_pages(
    live_server: Any, browser: Browser, path: str
) -> None:
    page = browser.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(f"{live_server.url}{path}")
    sign_in = "header a[href='/en/account/sign-in/']"
    assert page.locator(sign_in).inner_text() == "Sign in"
    assert _contrast(page, sign_in) >= WCAG_AA
    assert _low_contrast(page) == []


def test_the_header_is_readable_when_signed_in(live_server: Any, browser: Browser) -> None:
    employer = factories.OrganisationFactory.create(employer=True)
    user = factories.UserFactory.create(role=User.Role.EMPLOYER_USER, organisation=employer, first_name="Els")
    client = Client()
    client.force_login(user)
    context = browser.new_context()
    session = client.cookies["sessionid"].value
    context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(f"{live_server.url}/en/employer/vacancies/")
    assert page.locator("header button", has_text="Sign out").is_visible()
    assert _low_contrast(page) == []
