"""Request-level security: a Content Security Policy, session timeouts and the second factor for staff."""

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

from core.models import User
from core.security import (
    SESSION_AUTHENTICATED_AT,
    SESSION_SECOND_FACTOR_PENDING,
    SESSION_SEEN_AT,
    second_factor_required,
)

GetResponse = Callable[[HttpRequest], HttpResponse]


def _redirect(request: HttpRequest, url: str) -> HttpResponse:
    """A redirect that also works for an HTMX request (which would otherwise swap the target page in)."""
    if getattr(request, "htmx", False):
        return HttpResponseClientRedirect(url)
    return HttpResponseRedirect(url)


class ContentSecurityPolicyMiddleware:
    """Sends ``settings.CONTENT_SECURITY_POLICY``: scripts and styles from our own origin only, no inline
    script, no framing. Assets come from packages served by us (htmx from django-htmx), never a CDN."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        policy = settings.CONTENT_SECURITY_POLICY
        if policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = policy
        return response


class SessionTimeoutMiddleware:
    """Ends a signed-in session after ``SESSION_IDLE_TIMEOUT`` seconds without a request, and in any case
    ``SESSION_ABSOLUTE_TIMEOUT`` seconds after the password was given (quality.md section 4)."""

    # Writing the "last seen" stamp on every request would save the session on every request.
    SEEN_RESOLUTION = 60

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            signed_in_at = request.session.get(SESSION_AUTHENTICATED_AT)
            seen_at = request.session.get(SESSION_SEEN_AT, now)
            if signed_in_at is None:
                # A session from before this middleware (or a test's force_login): start counting now.
                request.session[SESSION_AUTHENTICATED_AT] = signed_in_at = now
            expired = (
                now - signed_in_at > settings.SESSION_ABSOLUTE_TIMEOUT
                or now - seen_at > settings.SESSION_IDLE_TIMEOUT
            )
            if expired:
                logout(request)
                messages.info(request, _("Your session has expired. Please sign in again."))
                login_url = resolve_url(settings.LOGIN_URL)
                return _redirect(request, f"{login_url}?{urlencode({'next': request.get_full_path()})}")
            if now - seen_at >= self.SEEN_RESOLUTION or SESSION_SEEN_AT not in request.session:
                request.session[SESSION_SEEN_AT] = now
        return self.get_response(request)


class SecondFactorMiddleware:
    """Until a staff user (or anyone who enrolled a device) has verified a TOTP code in this session, every
    page but the second-factor pages, sign-out and the language switch sends them to verify.

    Enforced here rather than per view so that no page (the administration included) can forget it.
    Must come after ``django_otp.middleware.OTPMiddleware``.
    """

    ALLOWED_VIEWS = frozenset(
        {
            "account:second_factor",
            "account:second_factor_setup",
            "account:logout",
            "set_language",
            "health",
        }
    )

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], view_args: Any, view_kwargs: Any
    ) -> HttpResponse | None:
        user = request.user
        if not isinstance(user, User) or user.is_verified():  # type: ignore[attr-defined]
            return None
        owes = second_factor_required(user) or request.session.get(SESSION_SECOND_FACTOR_PENDING, False)
        match = request.resolver_match
        if not owes or (match is not None and match.view_name in self.ALLOWED_VIEWS):
            return None
        target = resolve_url("account:second_factor")
        following = request.get_full_path()
        if request.method == "GET" and url_has_allowed_host_and_scheme(following, allowed_hosts=None):
            target = f"{target}?{urlencode({'next': following})}"
        return _redirect(request, target)
