"""The OpenAPI contract (drf-spectacular): security per operation, problem details on every error.

- Security: OAuth2 client credentials; each operation requires the one scope its view names for the
  method (``required_scopes``).
- Errors: every operation documents the problem-details answers it can give, as
  ``application/problem+json``, so a schema-driven client (or schemathesis) knows them.
- The POST operations that honour ``Idempotency-Key`` (``api.idempotency.idempotent``) document it.
- Request bodies refuse unknown properties (``additionalProperties: false``), as the API does.
- Every answer to a client's token carries the ``RateLimit-*`` fields (``api.throttling``): documented
  once as components, referred to by every response but the 401 (no client, nothing counted).
"""

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter

from api.permissions import required_scope
from api.scopes import scope_descriptions
from api.serializers.common import ProblemSerializer

TOKEN_URL = "/api/v1/oauth/token/"
PROBLEM = "application/problem+json"

ERROR_DESCRIPTIONS = {
    "400": "Invalid body or query parameters (with field errors).",
    "401": "No valid access token (missing, expired or revoked).",
    "403": "The token lacks the scope this operation needs, or the organisation is suspended.",
    "404": "No such resource among yours.",
    "406": "The Accept header asks for something other than JSON.",
    "409": "Conflicts with the current state (an external_id taken, the same Idempotency-Key running).",
    "410": "updated_since is older than the changes kept: synchronise from scratch.",
    "412": "If-Match names another version: the resource changed since you read it. Nothing was written.",
    "413": "The body is larger than the limit.",
    "415": "The body is not application/json.",
    "422": "This Idempotency-Key was used with a different request.",
    "429": "Too many requests: wait for Retry-After seconds.",
}


RATE_LIMIT_HEADERS = {
    "RateLimit-Limit": "Requests allowed in the current window (a minute).",
    "RateLimit-Remaining": "Requests left in the current window, this one counted.",
    "RateLimit-Reset": "Seconds until the current window ends and the count starts again.",
}


class PartnerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.PartnerTokenAuthentication"
    name = "oauth2"

    def get_security_requirement(self, auto_schema: AutoSchema) -> dict[str, list[str]]:
        scope = required_scope(auto_schema.view, auto_schema.method)
        return {self.name: [scope] if scope else []}

    def get_security_definition(self, auto_schema: AutoSchema) -> dict[str, Any]:
        return {
            "type": "oauth2",
            "description": "Client credentials of your organisation's API client; tokens last 15 minutes.",
            "flows": {"clientCredentials": {"tokenUrl": TOKEN_URL, "scopes": scope_descriptions()}},
        }


class ApiAutoSchema(AutoSchema):
    def _get_serializer_name(self, serializer: Any, direction: Any, bypass_extensions: bool = False) -> str:
        """Request components are split from response ones (so they carry ``minLength`` and leave out
        read-only fields); input serializers are named ``*Input`` already, so no ``Request`` suffix."""
        name: str = super()._get_serializer_name(serializer, direction, bypass_extensions)
        return name.removesuffix("Request") if name.endswith("InputRequest") else name

    def _error_codes(self) -> list[str]:
        codes = ["401", "403", "406", "429"]
        if self.method in ("POST", "PUT", "PATCH"):
            codes += ["400", "409", "413", "415"]
        if getattr(getattr(self.view, self.method.lower(), None), "honours_idempotency_key", False):
            codes.append("422")
        if self.method == "GET":
            codes += ["400", "404"]  # query parameters; a page that does not exist
        if "{" in self.path:
            codes.append("404")
        codes += getattr(self.view, "problem_statuses", {}).get(self.method, ())
        return sorted(set(codes))

    def _get_response_bodies(self, direction: str = "response") -> dict[str, Any]:
        responses: dict[str, Any] = super()._get_response_bodies(direction)  # type: ignore[arg-type]
        if not getattr(self.view, "required_scopes", None):
            return responses  # the schema and docs views
        problem = self.resolve_serializer(ProblemSerializer, "response").ref
        for code in self._error_codes():
            responses.setdefault(
                code,
                {"description": ERROR_DESCRIPTIONS[code], "content": {PROBLEM: {"schema": problem}}},
            )
            if code == "429":
                responses[code]["headers"] = {
                    "Retry-After": {"schema": {"type": "integer"}, "description": "Seconds to wait."}
                }
        for code, response in responses.items():
            if code != "401":
                response.setdefault("headers", {}).update(
                    {name: {"$ref": f"#/components/headers/{name}"} for name in RATE_LIMIT_HEADERS}
                )
        return responses

    def get_override_parameters(self) -> list[Any]:
        parameters = list(super().get_override_parameters())
        handler = getattr(self.view, self.method.lower(), None)
        if getattr(handler, "honours_idempotency_key", False):
            parameters.append(
                OpenApiParameter(
                    "Idempotency-Key",
                    {"type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[!-~]+$"},
                    OpenApiParameter.HEADER,
                    required=False,
                    description=(
                        "Any unique string (a UUID): a retry with the same key and body gets the first "
                        "answer again instead of running twice. Remembered for 24 hours."
                    ),
                )
            )
        return parameters


def _close_request_bodies(
    result: dict[str, Any], generator: Any, request: Any, public: bool
) -> dict[str, Any]:
    """Postprocessing hook: input components refuse unknown properties, as the serializers do; the
    ``RateLimit-*`` header components the responses refer to."""
    schemas = result.get("components", {}).get("schemas", {})
    for name, schema in schemas.items():
        if (name.endswith("Input") or name.endswith("Request")) and schema.get("type") == "object":
            schema["additionalProperties"] = False
    result.setdefault("components", {})["headers"] = {
        name: {"schema": {"type": "integer", "minimum": 0}, "description": description}
        for name, description in RATE_LIMIT_HEADERS.items()
    }
    return result


close_request_bodies = _close_request_bodies
