"""Every page fits a phone (issue 12, item 14): at 375 px wide no page scrolls sideways, and the header
spans the whole width with its menu wrapped onto more lines.

Tables and wide selects once pushed pages to 466-1,209 px, so the header (as wide as the window) stopped
short of the page's right edge. A wide table may scroll inside its own labelled wrapper; the page never.

The pages are those each demo login reaches from its home page by following links (the crawl of
``tests/web/test_no_raw_keys.py``), plus the anonymous ones.
"""

from collections import deque
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from playwright.sync_api import Browser, Page, ViewportSize

from tests.browser.conftest import TIMEOUT_MS
from tests.web.test_no_raw_keys import SKIP, _Page, _signed_in

pytestmark = [pytest.mark.django_db(transaction=True)]

PHONE: ViewportSize = {"width": 375, "height": 740}
PAGES_PER_LOGIN = 25  # as the raw-key crawl: every kind of page of the demo
ANONYMOUS_PAGES = ["/en/", "/en/account/sign-in/"]

# The page's width against the window's, the header's width, and the elements that stick out past the
# window's right edge outside any scrolling wrapper (the culprits named on failure).
LAYOUT_JS = """
() => {
  const view = window.innerWidth;
  const scrolls = (node) => {
    for (let up = node.parentElement; up; up = up.parentElement) {
      if (["auto", "scroll", "hidden"].includes(getComputedStyle(up).overflowX)) return true;
    }
    return false;
  };
  const wide = [], inside = [];
  for (const node of document.body.querySelectorAll("*")) {
    const box = node.getBoundingClientRect();
    if (box.width > 0 && Math.round(box.right) > view) {
      const list = scrolls(node) ? inside : wide;
      const classes = typeof node.className === "string" ? node.className.trim().split(/\\s+/) : [];
      const name = node.tagName.toLowerCase() + (node.id ? "#" + node.id : "")
        + classes.filter(Boolean).map((c) => "." + c).join("");
      list.push(`${name} (${Math.round(box.width)} px wide, right edge at ${Math.round(box.right)} px)`);
    }
  }
  const header = document.querySelector("header.site-header");
  return {
    page: document.documentElement.scrollWidth,
    view: view,
    header: header ? Math.round(header.getBoundingClientRect().width) : null,
    headerContent: header ? header.scrollWidth : null,
    wide: (wide.length ? wide : inside).slice(0, 5),  // inside a scroller: an absolute child, say
  };
}
"""


def _crawl(client: Client) -> list[str]:
    """The English pages a login reaches from its home page (breadth first, GET only)."""
    prefix = "/en/"
    seen, queue = {prefix}, deque([prefix])
    pages: list[str] = []
    while queue and len(pages) < PAGES_PER_LOGIN:
        url = queue.popleft()
        response = client.get(url, follow=True)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        pages.append(
            response.request["PATH_INFO"]
            + (f"?{response.request['QUERY_STRING']}" if response.request.get("QUERY_STRING") else "")
        )
        page = _Page()
        page.feed(response.content.decode())
        for link in page.links:
            if link.startswith(prefix) and link not in seen and not SKIP.search(link):
                seen.add(link)
                queue.append(link)
    return list(dict.fromkeys(pages))


def _problems(page: Page, url: str) -> list[str]:
    page.goto(url)
    layout = page.evaluate(LAYOUT_JS)
    found = []
    if layout["page"] > layout["view"]:
        found.append(f"the page is {layout['page']} px wide: " + "; ".join(layout["wide"]))
    if layout["header"] != layout["view"]:
        found.append(f"the header is {layout['header']} px wide")
    if layout["headerContent"] is not None and layout["headerContent"] > layout["view"]:
        found.append(f"the header's content is {layout['headerContent']} px wide")
    return found


def test_every_page_of_every_role_fits_a_phone(live_server: Any, browser: Browser) -> None:
    call_command("seed_demo", candidates=30, vacancies=12, employers=4, seed=7, verbosity=0)
    pages: dict[str, tuple[Client | None, list[str]]] = {"anonymous": (None, ANONYMOUS_PAGES)}
    for username in ("recruiter", "employer", "partner"):
        signed_in = _signed_in(username)
        pages[username] = (signed_in, _crawl(signed_in))
    found: dict[str, list[str]] = {}
    for role, (client, urls) in pages.items():
        context = browser.new_context(viewport=PHONE, locale="en")
        if client is not None:
            session = client.cookies["sessionid"].value
            context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        assert len(urls) >= 2, (role, urls)
        for url in urls:
            problems = _problems(page, f"{live_server.url}{url}")
            if problems:
                found[f"{role} {url}"] = problems
        context.close()
    report = "\n".join(f"{page}: {' / '.join(problems)}" for page, problems in found.items())
    assert found == {}, f"pages wider than a phone ({PHONE['width']} px):\n{report}"
