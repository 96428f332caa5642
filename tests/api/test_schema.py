"""The OpenAPI contract: committed, current, served, and documented with the app's own assets."""

import re
from pathlib import Path

import pytest
import yaml
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.test import Client

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
COMMITTED = ROOT / "docs" / "openapi.yaml"


def test_the_committed_schema_is_current(tmp_path: Path) -> None:
    fresh = tmp_path / "openapi.yaml"
    call_command("spectacular", "--lang", "en", "--fail-on-warn", "--file", str(fresh))
    assert fresh.read_text() == COMMITTED.read_text(), (
        "docs/openapi.yaml is stale: run `make schema` and commit the result."
    )


def test_every_operation_needs_one_scope_and_documents_its_problems() -> None:
    schema = yaml.safe_load(COMMITTED.read_text())
    scopes = set(schema["components"]["securitySchemes"]["oauth2"]["flows"]["clientCredentials"]["scopes"])
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            [requirement] = operation["security"]
            assert len(requirement["oauth2"]) == 1 and set(requirement["oauth2"]) <= scopes, (method, path)
            for status in ("401", "403", "429"):
                content = operation["responses"][status]["content"]
                assert list(content) == ["application/problem+json"], (method, path, status)
            assert "Base class" not in operation.get("description", ""), (method, path)


def test_the_schema_is_served_to_anyone() -> None:
    response = Client().get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    assert response.json()["info"]["title"] == "Talentbrug partner API"


def test_swagger_ui_uses_the_apps_own_assets_and_no_inline_script() -> None:
    response = Client().get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    sources = re.findall(r'<script[^>]*src="([^"]+)"', html)
    assert sources and all(src.startswith("/") for src in sources), sources
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "an inline script would need 'unsafe-inline'"
    assert "<style" not in html, "an inline style would need 'unsafe-inline'"
    assert "cdn" not in html.lower()
    assert finders.find("drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js")
    init = Client().get("/api/v1/docs/?script=")
    assert init.status_code == 200
    assert "SwaggerUIBundle" in init.content.decode()
