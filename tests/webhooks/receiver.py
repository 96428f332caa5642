"""A partner's endpoint for the webhook tests: ``http.server`` in a thread on 127.0.0.1.

Port 0: the system picks a free one. Each test scripts the answers (status, delay) and reads back what
arrived: headers, body, and whether the Standard Webhooks signature verified with the secrets it knows.
``fake_dns`` answers chosen host names with chosen addresses (or NXDOMAIN), one answer per lookup.
"""

import json
import socket
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from standardwebhooks import Webhook, WebhookVerificationError


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes
    verified: bool
    payload: Any = None


@dataclass
class Answer:
    status: int = 200
    delay: float = 0.0  # seconds to sleep before answering
    headers: dict[str, str] = field(default_factory=dict)


class Receiver:
    """A partner's endpoint. ``answers`` is consumed one per request; when empty, ``default`` answers."""

    def __init__(self) -> None:
        self.secrets: list[str] = []
        self.answers: list[Answer] = []
        self.default = Answer()
        self.received: list[Received] = []
        self.lock = threading.Lock()
        self.arrived = threading.Event()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("content-length", "0"))
                body = self.rfile.read(length)
                headers = {k.lower(): v for k, v in self.headers.items()}
                receiver._record(self.path, headers, body)
                with receiver.lock:
                    answer = receiver.answers.pop(0) if receiver.answers else receiver.default
                time.sleep(answer.delay)
                try:
                    self.send_response(answer.status)
                    for name, value in answer.headers.items():
                        self.send_header(name, value)
                    self.send_header("content-length", "2")
                    self.end_headers()
                    self.wfile.write(b"ok")
                except OSError:  # the client gave up (timeout): nothing to answer
                    pass

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05})
        self.thread.daemon = True

    def _record(self, path: str, headers: dict[str, str], body: bytes) -> None:
        verified, payload = False, None
        for secret in self.secrets:
            try:
                payload = Webhook(secret).verify(body, headers)
            except WebhookVerificationError:
                continue
            verified = True
            break
        with self.lock:
            self.received.append(Received(path, headers, body, verified, payload))
        self.arrived.set()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/hooks"

    @property
    def port(self) -> int:
        return int(self.server.server_address[1])

    def ids(self) -> Counter[str]:
        with self.lock:
            return Counter(r.headers["webhook-id"] for r in self.received)

    def __enter__(self) -> "Receiver":
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


def wait_until(condition: Callable[[], bool], what: str, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.02)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def payload_of(received: Received) -> dict[str, Any]:
    decoded: dict[str, Any] = json.loads(received.body)
    return decoded


Resolver = Callable[..., list[tuple[Any, ...]]]


def fake_dns(monkeypatch: pytest.MonkeyPatch, answers: dict[str, list[str]]) -> list[str]:
    """Answer ``getaddrinfo`` for the names in ``answers`` (a list per call: the next call gets the next
    answer, the last one repeats); numeric addresses and other names go to the real resolver. Returns
    the log of names looked up."""
    real: Resolver = socket.getaddrinfo
    looked_up: list[str] = []

    def getaddrinfo(host: Any, port: Any, *args: Any, **kwargs: Any) -> list[tuple[Any, ...]]:
        name = host.decode() if isinstance(host, bytes) else str(host)
        if name not in answers:
            return real(host, port, *args, **kwargs)
        looked_up.append(name)
        queue = answers[name]
        address = queue.pop(0) if len(queue) > 1 else queue[0]
        if address == "NXDOMAIN":
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        family = socket.AF_INET6 if ":" in address else socket.AF_INET
        sockaddr = (address, int(port or 0), 0, 0) if family == socket.AF_INET6 else (address, int(port or 0))
        return [(family, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", sockaddr)]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return looked_up
