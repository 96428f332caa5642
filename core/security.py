"""Who needs a second factor, sign-in rate limits and the security event log (quality.md section 4).

The failure counters live in the cache, and in each process while Redis is down (core.counters): signing
in never depends on Redis (sessions are in the database, settings SESSION_ENGINE).

Framework glue only, no models: the middleware, the sign-in views and the recruitment views share these
rules, so they live in the shared kernel.
"""

import hashlib
import logging

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import resolve_url
from django.utils.http import urlencode
from django_htmx.http import HttpResponseClientRedirect

from core import counters
from core.models import User

# Staff of the public employment service and administrators see personal data of many candidates:
# a password alone is not enough for them. Employers and partners may add a second factor.
SECOND_FACTOR_ROLES = frozenset({User.Role.RECRUITER, User.Role.PROJECT_COORDINATOR, User.Role.ADMINISTRATOR})

# Session keys: when the password was accepted (absolute timeout), when the user was last seen (idle
# timeout), and that this session still owes its second factor (an employer who enrolled one).
SESSION_AUTHENTICATED_AT = "tb_authenticated_at"
SESSION_SEEN_AT = "tb_seen_at"
SESSION_SECOND_FACTOR_PENDING = "tb_second_factor_pending"

security_log = logging.getLogger("talentbrug.security")


def second_factor_required(user: User) -> bool:
    """Staff roles, and anyone who may use the administration, must verify a TOTP code at each sign-in."""
    return user.role in SECOND_FACTOR_ROLES or user.is_staff or user.is_superuser


def client_ip(request: HttpRequest) -> str:
    # Behind the proxy SECURE_PROXY_SSL_HEADER trusts, REMOTE_ADDR is the proxy: the limit per username
    # still holds, the limit per address then covers the proxy as a whole (a coarse but safe fallback).
    return str(request.META.get("REMOTE_ADDR", ""))


def _key(kind: str, value: str) -> str:
    digest = hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32]
    return f"signin-failures:{kind}:{digest}"


def sign_in_blocked(*, username: str, ip: str) -> bool:
    """Too many failed sign-ins for this username, or from this address, in the last window."""
    by_user, by_ip = counters.read(_key("user", username), _key("ip", ip))
    return by_user >= settings.LOGIN_FAILURE_LIMIT or by_ip >= settings.LOGIN_FAILURE_LIMIT_PER_IP


def sign_in_failed(*, username: str, ip: str) -> None:
    for key in (_key("user", username), _key("ip", ip)):
        counters.count(key, settings.LOGIN_FAILURE_WINDOW)
    security_log.warning("sign-in failed ip=%s", ip)


def sign_in_succeeded(*, username: str) -> None:
    counters.forget(_key("user", username))


def sign_in_first(request: HttpRequest) -> HttpResponseBase:
    """The answer to a visitor who is not signed in: the sign-in page, then back here. An htmx request
    (a fragment of a page) makes the browser load the sign-in page whole, not inside the fragment."""
    if getattr(request, "htmx", False):
        login = resolve_url(settings.LOGIN_URL)
        return HttpResponseClientRedirect(f"{login}?{urlencode({'next': request.path})}")
    return redirect_to_login(request.get_full_path())


def log_denial(request: HttpRequest, what: str) -> None:
    """A refused request, as a security event: ids and the path only, never personal data."""
    user = getattr(request, "user", None)
    security_log.warning(
        "denied %s user=%s role=%s path=%s",
        what,
        getattr(user, "pk", None),
        getattr(user, "role", ""),
        request.path,
    )
