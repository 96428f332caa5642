"""Where a webhook may be sent: the guard against server-side request forgery (SSRF).

A subscription names a URL; without a guard, a partner could make our workers POST to our own
database, Redis, the cloud metadata service (169.254.169.254) or anything else on the private network.
So a target's host is resolved and every address it resolves to must be public: not private,
loopback, link-local, multicast, reserved, shared (CGNAT) or unspecified, including IPv4 addresses
embedded in IPv6 (mapped, 6to4, Teredo). A name that resolves to one public and one private address is
refused as a whole.

The check runs when a subscription is saved (a clear, translated validation error) and again before
every attempt, because DNS can change after the check. The attempt then connects to the very address
checked here (``ResolvedTarget.address``, see ``webhooks.delivery``), so a name whose DNS answer flips
between the check and the connection (DNS rebinding) cannot redirect us.

``WEBHOOK_ALLOW_PRIVATE_TARGETS`` (true in dev and test, false in production) lifts the address check
and allows plain http; names are still resolved and the connection still pinned.
"""

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class TargetRefused(Exception):
    """The URL may not be called. ``code`` is short and safe to store (no host, no address)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class ResolvedTarget:
    scheme: str
    host: str
    port: int
    address: str  # the checked IP address to connect to


def is_public_address(ip: IPAddress) -> bool:
    """True when ``ip`` is a public unicast address, judging embedded IPv4 addresses too."""
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = [ip.ipv4_mapped, ip.sixtofour, *(ip.teredo or ())]
        if any(inner is not None and not is_public_address(inner) for inner in embedded):
            return False
    return ip.is_global and not ip.is_multicast


def _split(url: str, *, allow_private: bool) -> tuple[str, str, int]:
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise TargetRefused("invalid_url") from exc
    scheme = parts.scheme.lower()
    if scheme not in ("https", "http") or not parts.hostname:
        raise TargetRefused("invalid_url")
    if scheme == "http" and not allow_private:
        raise TargetRefused("https_required")
    if parts.username is not None or parts.password is not None:
        # Credentials in a URL end up in admin pages and logs; the signature authenticates us.
        raise TargetRefused("credentials_in_url")
    return scheme, parts.hostname, port or (443 if scheme == "https" else 80)


def resolve_target(url: str, *, allow_private: bool | None = None) -> ResolvedTarget:
    """Resolve and check ``url``; raise ``TargetRefused`` unless it may be called.

    ``allow_private`` defaults to the setting ``WEBHOOK_ALLOW_PRIVATE_TARGETS``.
    """
    if allow_private is None:
        allow_private = settings.WEBHOOK_ALLOW_PRIVATE_TARGETS
    scheme, host, port = _split(url, allow_private=allow_private)
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as exc:
        raise TargetRefused("dns_error") from exc
    addresses = [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]
    if not addresses:
        raise TargetRefused("dns_error")
    if not allow_private and not all(is_public_address(ip) for ip in addresses):
        raise TargetRefused("private_address")
    return ResolvedTarget(scheme=scheme, host=host, port=port, address=str(addresses[0]))


_MESSAGES = {
    "invalid_url": _("Enter a full web address starting with https://."),
    "https_required": _("The web address must start with https://."),
    "credentials_in_url": _("The web address may not contain a user name or password."),
    "dns_error": _("The host name of this web address could not be found."),
    "private_address": _(
        "This web address points to a private, local or reserved network address; "
        "webhooks are sent to public addresses only."
    ),
}


def validate_webhook_url(value: str) -> None:
    """A subscription's URL, checked when it is saved (the same rules as before each attempt).

    Where private targets are allowed (dev, test) the name is not resolved here: nothing would be
    refused, and test data may use names that do not resolve.
    """
    allow_private = settings.WEBHOOK_ALLOW_PRIVATE_TARGETS
    try:
        if allow_private:
            _split(value, allow_private=True)
        else:
            resolve_target(value, allow_private=False)
    except TargetRefused as refused:
        raise ValidationError(_MESSAGES[refused.code], code=refused.code) from None
