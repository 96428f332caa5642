"""No page shows a raw message key (issue 12, item 10): ``reference.no_threshold`` once appeared on most demo
employer vacancy pages in all three languages, because the checker and its message table disagreed.

Each demo login crawls the pages it can reach from its home page, in each language, following the links
the pages offer (GET only), and no visible text may hold a dotted key of a family the product's codes use
(reason codes of the matching core, findings of the pre-publication check). A key of such a family
that has no sentence, today's or a future one, fails here whichever page shows it.
"""

import re
from collections import deque
from html.parser import HTMLParser

import pytest
from django.core.management import call_command
from django.test import Client
from django_otp.oath import totp

from demo.security import DEMO_TOTP_SECRET
from recruitment.matching.codes import REASON_CODES
from recruitment.vacancy_findings import SENTENCES as FINDING_SENTENCES
from tests.recruitment.test_vacancy_findings import _checker_codes

pytestmark = pytest.mark.django_db

DEMO_PASSWORD = "talentbrug-demo"
PAGES_PER_VISIT = 25  # per login and language: enough to reach every kind of page of the demo
LANGUAGES = ("nl", "fr", "en")
# Links not to follow: leaving the site's pages (admin, sign-out), or the same page in another language.
SKIP = re.compile(r"/(admin|account|i18n)/|\.(css|js|png|svg|ico)$")


def _families() -> set[str]:
    codes = set(REASON_CODES) | _checker_codes() | set(FINDING_SENTENCES)
    return {code.split(".", 1)[0] for code in codes}


RAW_KEY = re.compile(rf"\b(?:{'|'.join(sorted(_families()))})\.[a-z0-9_]+(?:\.[a-z0-9_]+)*\b")


class _Page(HTMLParser):
    """The visible text of a page and the links it offers."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.links: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._hidden += 1
        if tag == "a":
            href = dict(attrs).get("href") or ""
            self.links.append(href.split("#", 1)[0])

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.text.append(data)


@pytest.fixture
def demo() -> None:
    call_command("seed_demo", candidates=30, vacancies=12, employers=4, seed=7, verbosity=0)


def _signed_in(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=DEMO_PASSWORD)
    if client.get("/en/account/second-factor/").status_code == 200:  # staff: the demo device's code
        token = f"{totp(DEMO_TOTP_SECRET):06d}"
        assert client.post("/en/account/second-factor/", {"token": token}).status_code == 302
    return client


def _crawl(client: Client, language: str) -> dict[str, list[str]]:
    """Raw keys per page, over the pages reachable from the home page (breadth first)."""
    prefix = f"/{language}/"
    seen, queue, found = {prefix}, deque([prefix]), {}
    visited = 0
    while queue and visited < PAGES_PER_VISIT:
        url = queue.popleft()
        response = client.get(url, follow=True)
        visited += 1
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        page = _Page()
        page.feed(response.content.decode())
        keys = RAW_KEY.findall(" ".join(page.text))
        if keys:
            found[url] = sorted(set(keys))
        for link in page.links:
            if link.startswith(prefix) and link not in seen and not SKIP.search(link):
                seen.add(link)
                queue.append(link)
    assert visited > 3, f"the crawl of {prefix} reached only {visited} pages"
    return found


def test_the_pattern_finds_a_raw_key_and_spares_ordinary_text() -> None:
    assert RAW_KEY.findall("Let op: reference.no_threshold voor 2027.") == ["reference.no_threshold"]
    assert RAW_KEY.findall("language.below_minimum") == ["language.below_minimum"]
    assert RAW_KEY.findall("Mail recruiter@talentbrug.example of bezoek vdab.be. Score 85.35.") == []


@pytest.mark.parametrize("username", ["recruiter", "employer", "employer2", "partner"])
def test_no_page_shows_a_raw_message_key(demo: None, username: str) -> None:
    client = _signed_in(username)
    found = {language: _crawl(client, language) for language in LANGUAGES}
    assert {language: pages for language, pages in found.items() if pages} == {}
