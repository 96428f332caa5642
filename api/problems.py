"""One error format for the whole API: problem details (RFC 9457, formerly RFC 7807).

Every error under ``/api/`` is ``application/problem+json``::

    {"type": "urn:talentbrug:problem:validation-error", "title": "...", "status": 400,
     "detail": "...", "instance": "/api/v1/candidates/", "errors": [
        {"pointer": "#/languages/0/reading", "detail": "...", "code": "invalid_choice"}]}

``type`` is a stable URN a client can switch on (docs/api.md lists them); ``title`` and ``detail`` are in
the language of ``Accept-Language``. ``errors`` names each field (a JSON pointer into the body), query
parameter (``parameter``) or header (``header``) at fault. DRF exceptions go through
``exception_handler``; errors Django produces before or outside a view (unknown URL, bad host, a crash)
are converted by ``api.middleware.ApiProblemMiddleware``.
"""

import logging
from collections.abc import Iterator, Mapping
from http import HTTPStatus
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, JsonResponse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.settings import api_settings

logger = logging.getLogger(__name__)

PROBLEM_CONTENT_TYPE = "application/problem+json"
TYPE_PREFIX = "urn:talentbrug:problem:"

# Problem types: code -> title. The code is the last part of ``type``.
TITLES: dict[str, Promise] = {
    "validation-error": _("The request body is not valid."),
    "invalid-query-parameter": _("A query parameter is not valid."),
    "invalid-header": _("A request header is not valid."),
    "malformed-request": _("The request body could not be read."),
    "bad-request": _("Bad request."),
    "not-authenticated": _("Authentication is required."),
    "authentication-failed": _("The access token is not valid."),
    "permission-denied": _("Not allowed."),
    "not-found": _("Not found."),
    "method-not-allowed": _("Method not allowed."),
    "not-acceptable": _("The requested response format is not available."),
    "unsupported-media-type": _("Unsupported media type."),
    "payload-too-large": _("The request body is too large."),
    "conflict": _("The request conflicts with the current state."),
    "idempotency-key-reused": _("This Idempotency-Key was used for another request."),
    "idempotency-key-in-progress": _("A request with this Idempotency-Key is still being processed."),
    "precondition-failed": _("The resource changed since you read it."),
    "resync-required": _("These changes are no longer kept."),
    "throttled": _("Too many requests."),
    "oauth-error": _("The token request was refused."),
    "server-error": _("Internal server error."),
}

STATUS_CODES: dict[int, str] = {
    400: "bad-request",
    401: "not-authenticated",
    403: "permission-denied",
    404: "not-found",
    405: "method-not-allowed",
    406: "not-acceptable",
    409: "conflict",
    413: "payload-too-large",
    415: "unsupported-media-type",
    429: "throttled",
}

DRF_CODES: dict[type[exceptions.APIException], str] = {
    exceptions.ParseError: "malformed-request",
    exceptions.AuthenticationFailed: "authentication-failed",
    exceptions.NotAuthenticated: "not-authenticated",
    exceptions.PermissionDenied: "permission-denied",
    exceptions.NotFound: "not-found",
    exceptions.MethodNotAllowed: "method-not-allowed",
    exceptions.NotAcceptable: "not-acceptable",
    exceptions.UnsupportedMediaType: "unsupported-media-type",
    exceptions.Throttled: "throttled",
}

# DRF's key for errors that concern the whole object rather than a field; Django's is "__all__".
_WHOLE_OBJECT_KEYS = frozenset({api_settings.NON_FIELD_ERRORS_KEY, "__all__"})


class ApiProblem(exceptions.APIException):
    """An error with a problem type of its own (``code``) and, optionally, per-field ``errors``."""

    status_code = 400
    problem = "bad-request"

    def __init__(
        self,
        detail: str | Promise | None = None,
        *,
        errors: list[dict[str, str]] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(str(detail if detail is not None else TITLES[self.problem]))
        self.errors = errors or []
        self.headers = dict(headers or {})


class FieldErrors(ApiProblem):
    """A 400 validation error with already flattened field errors (a service's ``ValidationError``)."""

    problem = "validation-error"

    def __init__(self, errors: list[dict[str, str]]) -> None:
        super().__init__(_("One or more fields are not valid."), errors=errors)


class InvalidQueryParameters(ApiProblem):
    problem = "invalid-query-parameter"

    def __init__(self, errors: Mapping[str, Any]) -> None:
        super().__init__(
            _("One or more query parameters are not valid."),
            errors=[
                {"parameter": entry["pointer"].removeprefix("#/").split("/")[0], **_without_pointer(entry)}
                for entry in flatten_errors(errors)
            ],
        )


class InvalidHeader(ApiProblem):
    problem = "invalid-header"

    def __init__(self, header: str, detail: str | Promise) -> None:
        super().__init__(detail, errors=[{"header": header, "detail": str(detail), "code": "invalid"}])


class Conflict(ApiProblem):
    status_code = 409
    problem = "conflict"


class PreconditionFailed(ApiProblem):
    """``If-Match`` names another version than the current one: someone changed it since."""

    status_code = 412
    problem = "precondition-failed"


class ResyncRequired(ApiProblem):
    """``updated_since`` is older than what is kept to answer it: start again from a full read."""

    status_code = 410
    problem = "resync-required"


class PayloadTooLarge(ApiProblem):
    status_code = 413
    problem = "payload-too-large"


class IdempotencyKeyReused(ApiProblem):
    status_code = 422
    problem = "idempotency-key-reused"


class IdempotencyKeyInProgress(ApiProblem):
    status_code = 409
    problem = "idempotency-key-in-progress"


def _without_pointer(entry: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in entry.items() if k != "pointer"}


def _escape(token: object) -> str:
    """A JSON pointer reference token (RFC 6901): ``~`` and ``/`` escaped."""
    return str(token).replace("~", "~0").replace("/", "~1")


def flatten_errors(detail: Any, path: str = "") -> list[dict[str, str]]:
    """DRF's nested error structure (dicts, lists, ``ErrorDetail``) as a flat list with JSON pointers.

    Keys of Django's ``ValidationError`` raised by services may be dotted paths (``languages.0.reading``)
    and become pointers too.
    """
    return list(_flatten(detail, path))


def _flatten(detail: Any, path: str) -> Iterator[dict[str, str]]:
    if isinstance(detail, Mapping):
        for key, value in detail.items():
            if key in _WHOLE_OBJECT_KEYS:
                yield from _flatten(value, path)
            else:
                tokens = str(key).split(".")
                yield from _flatten(value, path + "".join(f"/{_escape(t)}" for t in tokens))
    elif isinstance(detail, list | tuple):
        if all(not isinstance(item, Mapping | list | tuple) for item in detail):
            for item in detail:
                yield {
                    "pointer": f"#{path}",
                    "detail": str(item),
                    "code": getattr(item, "code", None) or "invalid",
                }
        else:
            for index, item in enumerate(detail):
                if item:
                    yield from _flatten(item, f"{path}/{index}")
    elif detail:
        yield {
            "pointer": f"#{path}",
            "detail": str(detail),
            "code": getattr(detail, "code", None) or "invalid",
        }


def django_validation_errors(error: DjangoValidationError) -> list[dict[str, str]]:
    """A Django ``ValidationError`` (from a service or ``full_clean``) as a flat list with pointers.

    Keys may be dotted paths (``languages.0.reading``); ``__all__`` and ``""`` concern the whole body.
    """
    if not hasattr(error, "error_dict"):
        return [_entry("", e) for e in error.error_list]
    entries = []
    for key, errors in error.error_dict.items():
        path = (
            ""
            if key in _WHOLE_OBJECT_KEYS or key == ""
            else "".join(f"/{_escape(t)}" for t in key.split("."))
        )
        entries += [_entry(path, e) for e in errors]
    return entries


def _entry(path: str, error: DjangoValidationError) -> dict[str, str]:
    message = error.message % error.params if error.params else error.message
    return {"pointer": f"#{path}", "detail": str(message), "code": error.code or "invalid"}


def problem_body(
    *, problem: str, status: int, detail: object, instance: str, errors: list[dict[str, str]] | None = None
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": TYPE_PREFIX + problem,
        "title": str(TITLES.get(problem, HTTPStatus(status).phrase)),
        "status": status,
        "detail": str(detail),
        "instance": instance,
    }
    if errors:
        body["errors"] = errors
    return body


def problem_for_status(status: int) -> str:
    if status >= 500:
        return "server-error"
    return STATUS_CODES.get(status, "bad-request")


def problem_response(
    request: HttpRequest,
    *,
    status: int,
    problem: str | None = None,
    detail: object = None,
    errors: list[dict[str, str]] | None = None,
) -> JsonResponse:
    """A problem-details response outside DRF (middleware, the token endpoint)."""
    problem = problem or problem_for_status(status)
    body = problem_body(
        problem=problem,
        status=status,
        detail=detail if detail is not None else TITLES.get(problem, HTTPStatus(status).phrase),
        instance=request.path,
        errors=errors,
    )
    return JsonResponse(body, status=status, content_type=PROBLEM_CONTENT_TYPE)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's ``EXCEPTION_HANDLER``: every error a view raises, as problem details.

    DRF's own handler runs first for the headers it sets (``WWW-Authenticate``, ``Retry-After``) and for
    turning Django's ``Http404``/``PermissionDenied`` into API exceptions. A Django ``ValidationError``
    from a service is a 400 with its fields. Anything else is left to the middleware (a 500).
    """
    # Imported here: DRF's views module loads the authentication classes, which use these problems.
    from rest_framework.views import exception_handler as drf_exception_handler

    request = context["request"]
    if isinstance(exc, DjangoValidationError):
        exc = FieldErrors(django_validation_errors(exc))
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    base = drf_exception_handler(exc, context)
    if base is None or not isinstance(exc, exceptions.APIException):
        return None
    headers = {name: value for name, value in base.items() if name in ("WWW-Authenticate", "Retry-After")}
    errors: list[dict[str, str]] = []
    detail: object
    if isinstance(exc, ApiProblem):
        problem, detail, errors = exc.problem, exc.detail, exc.errors
        headers.update(exc.headers)
    elif isinstance(exc, exceptions.ValidationError):
        problem, detail = "validation-error", _("One or more fields are not valid.")
        errors = flatten_errors(exc.detail)
    else:
        problem = DRF_CODES.get(type(exc)) or problem_for_status(exc.status_code)
        detail = exc.detail
    body = problem_body(
        problem=problem,
        status=exc.status_code,
        detail=detail,
        instance=request.path if request is not None else "",
        errors=errors,
    )
    return Response(body, status=exc.status_code, headers=headers, content_type=PROBLEM_CONTENT_TYPE)
