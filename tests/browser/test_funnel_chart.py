"""The funnel chart shows every step's whole name, in each language, on a desktop and on a phone (issue 12,
item 15): the longest names ("Gecombineerde vergunning aangevraagd", "Demande de permis unique
introduite") were once cut off at the chart's left edge. No text of the chart runs past its edges or into
another, and the notes that explain a step larger than the one before are not clipped either.
"""

from typing import Any

import pytest
from playwright.sync_api import Browser, Page, ViewportSize

from tests.browser.conftest import TIMEOUT_MS
from tests.web.test_funnel_skipped_steps import build_skip_world

pytestmark = [pytest.mark.django_db(transaction=True)]

DESKTOP: ViewportSize = {"width": 1280, "height": 900}
PHONE: ViewportSize = {"width": 375, "height": 740}

# Each text of the chart against the chart's own box (its viewBox) and against the other texts: what
# stands outside the box is not drawn; two texts on one another cannot be read.
CHART_TEXTS_JS = """
(svg) => {
  const box = svg.viewBox.baseVal;
  const texts = [...svg.querySelectorAll("text")].map((node) => {
    const b = node.getBBox();
    return {text: node.textContent.trim(), left: b.x, right: b.x + b.width, top: b.y, bottom: b.y + b.height};
  });
  const problems = [];
  for (const t of texts) {
    if (t.left < 0 || t.right > box.width || t.top < 0 || t.bottom > box.height) {
      problems.push(`${t.text}: x ${t.left.toFixed(0)} to ${t.right.toFixed(0)} of 0 to ${box.width}`);
    }
  }
  texts.forEach((a, i) => texts.slice(i + 1).forEach((b) => {
    if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom) {
      problems.push(`${a.text} overlaps ${b.text}`);
    }
  }));
  return problems;
}
"""

# HTML texts that would be cut off: wider than their own box (text-overflow, overflow hidden).
CLIPPED_JS = """
(nodes) => nodes.filter((node) => node.scrollWidth > node.clientWidth).map((node) => node.textContent.trim())
"""


def _problems(page: Page) -> list[str]:
    found = list(page.locator("svg.funnel-chart").evaluate(CHART_TEXTS_JS))
    found += page.locator(".funnel-notes li, .funnel-note").evaluate_all(CLIPPED_JS)
    if page.evaluate("document.documentElement.scrollWidth > window.innerWidth"):
        found.append("the page scrolls sideways")
    return found


@pytest.mark.parametrize("language", ["en", "nl", "fr"])
def test_the_funnel_chart_shows_every_step_name_whole(
    live_server: Any, browser: Browser, language: str
) -> None:
    world = build_skip_world()
    session = world.staff.cookies["sessionid"].value
    found = {}
    for name, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        context = browser.new_context(viewport=viewport, locale=language)
        context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        page.goto(f"{live_server.url}/{language}/recruiter/projects/{world.project.code}/")
        assert page.locator("svg.funnel-chart text.funnel-label").count() > 12  # every step and the legend
        problems = _problems(page)
        if page.locator(".funnel-notes li").count() != 1:  # "Matched" counts the untrained: explained
            problems.append("no note says why “Matched” outnumbers “Trained”")
        if problems:
            found[name] = problems
        context.close()
    assert found == {}
