"""One HTTP attempt: the Standard Webhooks body and signature, and a POST that cannot hang a worker.

No ORM here: the services pass in what was stored and store what comes back.

- Body ``{"type", "timestamp", "data"}``; headers ``webhook-id`` (the event id, the receiver's
  deduplication key), ``webhook-timestamp`` (this attempt, in seconds) and ``webhook-signature``
  (``v1,<base64 HMAC-SHA256>`` by the ``standardwebhooks`` package; two signatures while a rotated
  secret is in its grace period).
- The connection goes to the address ``webhooks.targets.resolve_target`` checked, never to a fresh DNS
  answer (DNS rebinding); TLS still verifies the certificate for the URL's host name (SNI).
- ``WEBHOOK_TIMEOUT_SECONDS`` bounds the whole attempt, not only each socket operation: a receiver
  trickling a byte every few seconds is cut off at the deadline just as one that never answers. The
  response body is never read (only its status matters), redirects are not followed, and no proxy
  from the environment is used.
"""

import base64
import datetime
import json
import secrets
import ssl
import time
from dataclasses import dataclass
from typing import Any

import httpcore
import httpx
from standardwebhooks import Webhook

from webhooks.targets import ResolvedTarget, TargetRefused, resolve_target

SECRET_PREFIX = "whsec_"
SECRET_BYTES = 32
USER_AGENT = "Talentbrug-Webhooks/1"


def secret_generate() -> str:
    """A new signing secret in the Standard Webhooks format: ``whsec_`` + base64 of random bytes."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode()


def _utc(moment: datetime.datetime) -> datetime.datetime:
    return moment.astimezone(datetime.UTC)


def event_body(*, event_type: str, occurred_at: datetime.datetime, data: dict[str, Any]) -> str:
    timestamp = _utc(occurred_at).isoformat().replace("+00:00", "Z")
    return json.dumps({"type": event_type, "timestamp": timestamp, "data": data}, separators=(",", ":"))


def signed_headers(
    *, event_id: str, body: str, secrets_: list[str], now: datetime.datetime
) -> dict[str, str]:
    """The three Standard Webhooks headers; one ``v1`` signature per secret, space-separated."""
    # The library reads the datetime's wall clock as UTC, so it must be given UTC.
    moment = _utc(now)
    signatures = [Webhook(secret).sign(event_id, moment, body) for secret in secrets_]
    return {
        "webhook-id": event_id,
        "webhook-timestamp": str(int(moment.timestamp())),
        "webhook-signature": " ".join(signatures),
    }


@dataclass(frozen=True)
class AttemptOutcome:
    status_code: int | None
    error: str  # "" on a 2xx answer; else a short code or an exception class name
    duration_ms: int

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


class _DeadlineStream(httpcore.NetworkStream):
    """A socket whose every operation waits at most until the attempt's deadline."""

    def __init__(self, stream: httpcore.NetworkStream, deadline: float) -> None:
        self._stream = stream
        self._deadline = deadline

    def _budget(self, timeout: float | None, error: type[Exception]) -> float:
        remaining = self._deadline - time.monotonic()
        if remaining <= 0:
            raise error("deadline")
        return remaining if timeout is None else min(timeout, remaining)

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, self._budget(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, self._budget(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(
        self, ssl_context: ssl.SSLContext, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.NetworkStream:
        budget = self._budget(timeout, httpcore.ConnectTimeout)
        return _DeadlineStream(self._stream.start_tls(ssl_context, server_hostname, budget), self._deadline)

    def get_extra_info(self, info: str) -> Any:
        return self._stream.get_extra_info(info)


class _PinnedBackend(httpcore.NetworkBackend):
    """Connects to the checked address whatever host httpcore asks for; TLS keeps the host name."""

    def __init__(self, address: str, deadline: float) -> None:
        self._inner = httpcore.SyncBackend()
        self._address = address
        self._deadline = deadline

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Any = None,
    ) -> httpcore.NetworkStream:
        remaining = self._deadline - time.monotonic()
        if remaining <= 0:
            raise httpcore.ConnectTimeout("deadline")
        budget = remaining if timeout is None else min(timeout, remaining)
        stream = self._inner.connect_tcp(self._address, port, budget, local_address, socket_options)
        return _DeadlineStream(stream, self._deadline)

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Any = None
    ) -> httpcore.NetworkStream:
        raise httpcore.ConnectError("unix sockets are not webhook targets")

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


class PinnedTransport(httpx.HTTPTransport):
    """httpx's transport over a connection pool that uses ``_PinnedBackend``.

    httpx does not take a network backend as an argument, so the pool it built is replaced by one that
    does (``httpcore.ConnectionPool(network_backend=...)`` is public; ``_pool`` is the one private name
    relied on, and ``test_delivery`` proves the pinning on every run).
    """

    def __init__(self, *, address: str, deadline: float) -> None:
        super().__init__(trust_env=False, retries=0)
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False),
            max_connections=1,
            max_keepalive_connections=0,
            retries=0,
            network_backend=_PinnedBackend(address, deadline),
        )


def post(
    *, url: str, body: str, headers: dict[str, str], timeout: float, target: ResolvedTarget | None = None
) -> AttemptOutcome:
    """POST ``body`` to ``url`` within ``timeout`` seconds in all; never raises for network trouble.

    ``target`` is the checked resolution of ``url``; without it the URL is resolved and checked here.
    """
    started = time.monotonic()

    def outcome(status_code: int | None, error: str) -> AttemptOutcome:
        return AttemptOutcome(status_code, error, int((time.monotonic() - started) * 1000))

    try:
        target = target or resolve_target(url)
    except TargetRefused as refused:
        return outcome(None, refused.code)
    deadline = time.monotonic() + timeout
    transport = PinnedTransport(address=target.address, deadline=deadline)
    request_headers = {"content-type": "application/json", "user-agent": USER_AGENT, **headers}
    try:
        with (
            httpx.Client(
                transport=transport, timeout=httpx.Timeout(timeout), follow_redirects=False, trust_env=False
            ) as client,
            client.stream("POST", url, content=body.encode(), headers=request_headers) as response,
        ):
            status = response.status_code
    except (httpx.HTTPError, httpx.InvalidURL, OSError) as exc:
        return outcome(None, type(exc).__name__[:100])
    return outcome(status, "" if 200 <= status < 300 else f"http_{status}")
