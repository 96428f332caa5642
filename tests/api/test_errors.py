"""Bad input gets a clear 4xx problem, never a 5xx, and nothing is written (quality.md section 3)."""

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from rest_framework.test import APIClient

from candidates.models import Candidate, LanguageProficiency
from tests.api.conftest import Partner

pytestmark = pytest.mark.django_db

URL = "/api/v1/candidates/"
PROBLEM = "application/problem+json"
Body = Callable[..., dict[str, Any]]


@pytest.fixture
def raw(partner_x: Partner) -> Callable[..., Any]:
    """Send bytes as they are, with the partner's token; exceptions become responses (as in production)."""
    token = partner_x.token()
    client = Client(raise_request_exception=False)

    def send(
        method: str, url: str, body: bytes = b"", content_type: str = "application/json", **extra: str
    ) -> Any:
        return getattr(client, method)(
            url, body, content_type=content_type, HTTP_AUTHORIZATION=f"Bearer {token}", **extra
        )

    return send


def _problem(response: Any, status: int, kind: str | None = None) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM
    body = dict(response.json())
    assert set(body) >= {"type", "title", "status", "detail", "instance"}
    assert body["status"] == status
    if kind:
        assert body["type"] == f"urn:talentbrug:problem:{kind}"
    return body


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        (b'{"given_name": "Amina",', "not valid JSON"),
        (b"\xff\xfe{}", "UTF-8"),
        (b'{"given_name": "Am\xe9na"}', "UTF-8"),
        (b"[" * 100_000 + b"]" * 100_000, "deeper"),
        (b'{"a": ' * 50_000 + b"1" + b"}" * 50_000, "deeper"),
        (b'{"isced_level": NaN}', "not valid JSON"),
        (b'{"given_name": "a", "given_name": "b"}', "twice"),
    ],
    ids=["truncated", "utf16-bom", "latin1", "deep-array", "deep-object", "nan", "duplicate-key"],
)
def test_unreadable_bodies_are_a_400_and_write_nothing(
    raw: Callable[..., Any], body: bytes, fragment: str
) -> None:
    problem = _problem(raw("post", URL, body, HTTP_ACCEPT_LANGUAGE="en"), 400, "malformed-request")
    assert fragment in problem["detail"]
    assert not Candidate.objects.exists()


def test_an_escaped_lone_surrogate_is_refused(raw: Callable[..., Any], candidate_body: Body) -> None:
    import json

    text = json.dumps(candidate_body()).replace('"Amina"', '"Am\\ud800na"')
    _problem(raw("post", URL, text.encode()), 400)
    assert not Candidate.objects.exists()


@pytest.mark.parametrize("text", ['{"project": "pa\\u0000lim"}', '{"given_name": "x", "a\\u0000": 1}'])
def test_a_nul_character_is_refused_before_any_lookup(raw: Callable[..., Any], text: str) -> None:
    """PostgreSQL cannot even compare a string holding NUL: found by schemathesis as a 500 there."""
    response = raw("post", URL, text.encode(), HTTP_ACCEPT_LANGUAGE="en")
    assert "NUL" in _problem(response, 400, "malformed-request")["detail"]


def test_a_nul_character_in_a_filter_is_a_400(api_x: APIClient) -> None:
    problem = _problem(api_x.get(URL, {"external_id": "a\x00b"}), 400, "invalid-query-parameter")
    assert problem["errors"][0]["parameter"] == "external_id"


def test_an_empty_body_is_a_400(raw: Callable[..., Any]) -> None:
    _problem(raw("post", URL, b""), 400)
    assert not Candidate.objects.exists()


def test_an_oversized_body_is_a_413(raw: Callable[..., Any], settings: Any, candidate_body: Body) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = b'{"given_name": "' + b"a" * 2000 + b'"}'
    _problem(raw("post", URL, body), 413, "payload-too-large")
    _problem(raw("post", "/api/v1/candidates/bulk/", body), 413, "payload-too-large")
    assert not Candidate.objects.exists()


def test_wrong_types_and_unknown_fields_name_each_field(api_x: APIClient, candidate_body: Body) -> None:
    body = candidate_body(
        currently_in_belgium="yes",
        given_name=42,
        nationalities="MA",
        preferred_regions=["Flanders"],
        languages=[{"language": "nl", "listening": "B1", "is_native": 1, "level": "B1"}],
        diplomas=[{"title": "x", "institution": "y", "country": "MA", "isced_level": "6"}],
        favourite_colour="blue",
    )
    problem = _problem(api_x.post(URL, body, format="json"), 400, "validation-error")
    assert {e["pointer"] for e in problem["errors"]} == {
        "#/currently_in_belgium",
        "#/given_name",
        "#/nationalities",
        "#/preferred_regions/0",
        "#/languages/0/is_native",
        "#/languages/0/level",
        "#/diplomas/0/isced_level",
        "#/favourite_colour",
    }
    assert not Candidate.objects.exists()
    assert not LanguageProficiency.objects.exists()


def test_numbers_out_of_range_are_a_400(api_x: APIClient, candidate_body: Body) -> None:
    diploma = {"title": "x", "institution": "y", "country": "MA", "isced_level": 2**70}
    problem = _problem(api_x.post(URL, candidate_body(diplomas=[diploma]), format="json"), 400)
    assert problem["errors"][0]["pointer"] == "#/diplomas/0/isced_level"
    far = candidate_body(
        consents=[
            {"purpose": "profile_visibility", "text_version": "1", "granted_at": "9999-12-31T23:59:59-12:00"}
        ]
    )
    _problem(api_x.post(URL, far, format="json"), 400)
    assert not Candidate.objects.exists()


def test_a_form_body_is_a_415(raw: Callable[..., Any]) -> None:
    _problem(
        raw("post", URL, b"given_name=Amina", "application/x-www-form-urlencoded"),
        415,
        "unsupported-media-type",
    )


def test_only_utf8_json_is_read(raw: Callable[..., Any]) -> None:
    _problem(raw("post", URL, b"{}", "application/json; charset=latin-1"), 400)


def test_asking_for_xml_is_a_406(raw: Callable[..., Any]) -> None:
    _problem(raw("get", URL, HTTP_ACCEPT="application/xml"), 406, "not-acceptable")


def test_an_unsupported_method_is_a_405_with_allow(raw: Callable[..., Any]) -> None:
    response = raw("patch", URL, b"{}")
    _problem(response, 405, "method-not-allowed")
    assert set(response["Allow"].replace(" ", "").split(",")) >= {"GET", "POST"}
    _problem(raw("options", URL), 405)


def test_unknown_urls_are_404_problems(raw: Callable[..., Any]) -> None:
    _problem(raw("get", "/api/v1/nothing-here/"), 404, "not-found")
    _problem(raw("get", "/api/v1/candidates/not-a-uuid/"), 404, "not-found")
    _problem(raw("get", "/api/v2/candidates/"), 404, "not-found")


def test_a_missing_trailing_slash_is_a_404_naming_the_url_even_for_post(
    raw: Callable[..., Any], settings: Any
) -> None:
    settings.DEBUG = True  # Django's redirect would raise here (a 500) for a POST
    problem = _problem(raw("post", "/api/v1/candidates", b"{}", HTTP_ACCEPT_LANGUAGE="en"), 404)
    assert "/api/v1/candidates/" in problem["detail"]


@pytest.mark.parametrize(
    ("params", "status", "parameter"),
    [
        ({"page": "0"}, 400, "page"),
        ({"page": "-1"}, 400, "page"),
        ({"page": "abc"}, 400, "page"),
        ({"page": "99"}, 404, None),
        ({"page_size": "0"}, 400, "page_size"),
        ({"page_size": "-5"}, 400, "page_size"),
        ({"page_size": "1e3"}, 400, "page_size"),
    ],
)
def test_bad_pages_are_problems(
    api_x: APIClient, params: dict[str, str], status: int, parameter: str | None
) -> None:
    problem = _problem(api_x.get(URL, params), status)
    if parameter:
        assert problem["errors"][0]["parameter"] == parameter


def test_a_huge_page_size_is_capped(api_x: APIClient, candidate_body: Body) -> None:
    api_x.post(URL, candidate_body(), format="json")
    body = api_x.get(URL, {"page_size": "1000000"}).json()
    assert body["page_size"] == 100
    assert len(body["results"]) == 1


def test_messages_follow_accept_language(raw: Callable[..., Any]) -> None:
    url = "/api/v1/candidates/00000000-0000-0000-0000-000000000000/"
    titles = {}
    for language in ("nl", "fr", "en"):
        response = raw("get", url, HTTP_ACCEPT_LANGUAGE=language)
        titles[language] = _problem(response, 404)["title"]
        assert response["Content-Language"] == language
    assert titles["en"] == "Not found."
    assert len(set(titles.values())) == 3  # Dutch and French, not English


@pytest.mark.parametrize(
    ("accept_language", "language"),
    [
        (None, "en"),
        ("de-DE,de;q=0.9", "en"),
        ("*", "en"),
        ("nl-BE", "nl"),
        ("fr-MA,fr;q=0.9,en;q=0.5", "fr"),
        ("ar, fr;q=0.8", "fr"),
        ("en-GB", "en"),
    ],
)
def test_english_unless_accept_language_asks_for_dutch_or_french(
    raw: Callable[..., Any], accept_language: str | None, language: str
) -> None:
    """Partner agencies abroad read English sooner than Dutch, the site's own default (docs/api.md)."""
    headers = {} if accept_language is None else {"HTTP_ACCEPT_LANGUAGE": accept_language}
    browser = Client(raise_request_exception=False)
    browser.cookies["django_language"] = "nl"  # a language chosen on the site is not the API's
    # Django's 404, DRF's 401, a 404 of ours with a token, the token endpoint's own answer.
    for send in (
        lambda **extra: browser.get("/api/v1/nowhere/", **extra),
        lambda **extra: browser.get("/api/v1/candidates/", **extra),
        lambda **extra: raw("get", "/api/v1/candidates/00000000-0000-0000-0000-000000000000/", **extra),
        lambda **extra: browser.post("/api/v1/oauth/token/", {"grant_type": "client_credentials"}, **extra),
    ):
        response = send(**headers)
        assert response["Content-Language"] == language
        assert response.json()["title"] == send(HTTP_ACCEPT_LANGUAGE=language).json()["title"]
    assert (raw("get", "/api/v1/nowhere/", **headers).json()["title"] == "Not found.") == (language == "en")


def test_field_errors_follow_accept_language(api_x: APIClient, candidate_body: Body) -> None:
    body = candidate_body(currently_in_belgium="oui")
    french = api_x.post(URL, body, format="json", HTTP_ACCEPT_LANGUAGE="fr").json()
    english = api_x.post(URL, body, format="json", HTTP_ACCEPT_LANGUAGE="en").json()
    assert english["errors"][0]["detail"] == "Must be a valid boolean."
    assert french["errors"][0]["detail"] == "Doit être un booléen valide."


def test_a_crash_is_a_500_problem_that_tells_nothing(
    raw: Callable[..., Any], monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def explode(**kwargs: Any) -> None:
        raise RuntimeError("secret detail of Amina")

    monkeypatch.setattr("candidates.selectors.candidates_for_partner", explode)
    response = raw("get", URL)
    problem = _problem(response, 500, "server-error")
    assert "Amina" not in response.content.decode()
    assert problem["detail"]
