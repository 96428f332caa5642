"""The OAuth2 endpoints: django-oauth-toolkit's token and revocation views, throttled, with problem
details on error.

Errors keep the OAuth2 members (``error``, ``error_description``, RFC 6749 section 5.2) next to the
problem-details ones, so OAuth2 client libraries (which read ``error``) and problem-details readers both
understand them.
"""

import json
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from oauth2_provider import views as oauth_views

from api.problems import problem_response
from api.throttling import TokenRateThrottle, rate_limit_headers

KEPT_HEADERS = ("WWW-Authenticate", "Cache-Control", "Pragma")

# The problem's ``detail`` per OAuth2 error code (RFC 6749 section 5.2, RFC 7009 section 2.2.1), in the
# client's language. ``error`` and oauthlib's English ``error_description`` stay as the RFC has them.
OAUTH_ERRORS = {
    "invalid_request": gettext_lazy("The token request is incomplete or malformed."),
    "invalid_client": gettext_lazy("The client id or secret is not valid."),
    "invalid_grant": gettext_lazy("The grant is not valid or has expired."),
    "unauthorized_client": gettext_lazy("This client may not use this grant type."),
    "unsupported_grant_type": gettext_lazy("Only the client_credentials grant type is supported."),
    "invalid_scope": gettext_lazy("The requested scope is not valid or was not given to this client."),
    "unsupported_token_type": gettext_lazy("This token type cannot be revoked."),
}


def _as_problem(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    if response.status_code < 400:
        return response
    try:
        body = json.loads(response.content or b"{}")
    except ValueError:
        body = {}
    error = body.get("error", "invalid_request") if isinstance(body, dict) else "invalid_request"
    description = body.get("error_description", "") if isinstance(body, dict) else ""
    problem = problem_response(
        request,
        status=response.status_code,
        problem="oauth-error",
        detail=OAUTH_ERRORS.get(error, _("The token request was refused.")),
    )
    payload = json.loads(problem.content)
    payload.update({"error": error, "error_description": description})
    problem.content = json.dumps(payload).encode()
    for header in KEPT_HEADERS:
        if header in response:
            problem[header] = response[header]
    return problem


def _throttled(request: HttpRequest, answer: Callable[[], HttpResponse]) -> HttpResponse:
    """``answer()`` within the per-address limit, else a 429; either with the ``RateLimit-*`` fields."""
    throttle = TokenRateThrottle()
    allowed = throttle.allow_token_request(request)
    headers = rate_limit_headers([throttle])
    if allowed:
        response = _as_problem(request, answer())
    else:
        response = problem_response(
            request, status=429, detail=_("Too many token requests; try again in a moment.")
        )
        response["Retry-After"] = headers.get("RateLimit-Reset", "1")
    for name, value in headers.items():
        response[name] = value
    return response


@method_decorator(csrf_exempt, name="dispatch")
class TokenView(oauth_views.TokenView):
    """POST ``grant_type=client_credentials`` (client id and secret by HTTP Basic or in the form)."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return _throttled(request, lambda: super(TokenView, self).post(request, *args, **kwargs))


@method_decorator(csrf_exempt, name="dispatch")
class RevokeTokenView(oauth_views.RevokeTokenView):
    """POST ``token=...`` with the client's credentials (RFC 7009): the token stops working at once."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return _throttled(request, lambda: super(RevokeTokenView, self).post(request, *args, **kwargs))
