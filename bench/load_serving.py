"""The load benchmark's servers and sessions: the code served as production does (gunicorn, production
settings), and one signed-in HTTP session per simulated user (``bench/load.py``)."""

import base64
import contextlib
import os
import re
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any

import httpx
from load_common import (
    COPY_EXCLUDES,
    REQUEST_TIMEOUT,
    SERVER_START_TIMEOUT,
    SIGN_IN_THREADS,
    SIGN_IN_TIMEOUT,
    WORK_DIR,
    Account,
    ApiClient,
    Fixtures,
    Server,
    say,
)

# --- Serving the code as production does ----------------------------------------------------------


def redis_usable(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


def server_env(database_url: str, redis_url: str | None) -> dict[str, str]:
    """Production settings (``config.settings.base``) as they are, with what they require from the
    environment. ``SECURE_SSL_REDIRECT`` stays on: requests say they came over https, as behind a proxy."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DEBUG", "REDIS_URL", "REDIS_CACHE_URL", "SQLITE_NAME", "PYTHONPATH")
    }
    env |= {
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": database_url,
        "LOG_LEVEL": "WARNING",
        # The API clients sign in once, before every page is measured (a whole --compare run takes 20
        # minutes at 100k); with the default 15-minute tokens the last API pages answered 401.
        "API_ACCESS_TOKEN_SECONDS": "7200",
    }
    if redis_url:
        # One database for cache and broker: it is the bench's own, and no worker reads the broker.
        env |= {"REDIS_URL": redis_url, "REDIS_CACHE_URL": redis_url}
    return env


def served_copy(code: Path, label: str, database_url: str, env: dict[str, str]) -> Path:
    """A copy of ``code`` under /tmp with its catalogues compiled and its static files collected, as the
    production image builds them; the checkout itself is left untouched (its files as they are now).
    Both steps are skipped when their output is newer than every source (``rsync`` keeps the times)."""
    served = WORK_DIR / f"{database_url.rsplit('/', 1)[1]}-{label}"
    served.mkdir(parents=True, exist_ok=True)
    excludes = [f"--exclude={pattern}" for pattern in COPY_EXCLUDES]
    subprocess.run(["rsync", "-a", "--delete", *excludes, f"{code}/", f"{served}/"], check=True)
    manage = [sys.executable, "manage.py"]
    run_env = env | {"PYTHONPATH": str(served)}
    catalogues = list(served.glob("locale/*/LC_MESSAGES/*.po"))
    if any(_older(po.with_suffix(".mo"), [po]) for po in catalogues):
        subprocess.run(
            [*manage, "compilemessages", "--ignore=.venv", "-v0"], cwd=served, env=run_env, check=True
        )
    assets = [f for d in [served / "static", *served.glob("*/static")] for f in d.rglob("*") if f.is_file()]
    if _older(served / "staticfiles" / "staticfiles.json", assets):
        subprocess.run([*manage, "collectstatic", "--no-input", "-v0"], cwd=served, env=run_env, check=True)
    return served


def _older(output: Path, sources: list[Path]) -> bool:
    """Whether ``output`` is missing or older than one of ``sources``."""
    if not output.exists():
        return True
    made = output.stat().st_mtime
    return any(source.stat().st_mtime > made for source in sources)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def gunicorn(server: Server) -> Iterator[None]:
    """The Dockerfile's command (3 sync workers), bound to loopback; stopped (SIGTERM) on the way out.
    Returns at once: the workers boot while the data is prepared (``wait_until_up``)."""
    port = _free_port()
    log = (server.served / "gunicorn.log").open("w")
    gunicorn = Path(sys.executable).parent / "gunicorn"
    command = [str(gunicorn), "config.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", "3"]
    command.append("--no-control-socket")  # its default path is shared by every gunicorn of this user
    env = server.env | {"PYTHONPATH": str(server.served)}
    server.process = subprocess.Popen(command, cwd=server.served, env=env, stdout=log, stderr=log)
    server.base_url = f"http://127.0.0.1:{port}"
    try:
        yield
    finally:
        server.process.terminate()
        try:
            server.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait()
        log.close()


def wait_until_up(server: Server) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while time.monotonic() < deadline:
        if server.process is None or server.process.poll() is not None:
            raise SystemExit(f"gunicorn stopped; see {server.served / 'gunicorn.log'}")
        with contextlib.suppress(httpx.TransportError):
            answer = httpx.get(
                f"{server.base_url}/healthz", headers={"X-Forwarded-Proto": "https"}, timeout=2
            )
            if answer.status_code == 200:
                return
        time.sleep(0.5)
    raise SystemExit(f"gunicorn did not answer within {SERVER_START_TIMEOUT} s")


# --- HTTP sessions: one per simulated user --------------------------------------------------------


class Session:
    """One simulated user: its own connection and cookies.

    The site's cookies are Secure (production settings) and this client speaks plain http to gunicorn,
    as a TLS-terminating proxy does: an ordinary cookie jar would never send them back, so they are kept
    here and sent by hand. ``X-Forwarded-Proto: https`` is what the proxy adds.
    """

    def __init__(self, base_url: str, authorization: str = "") -> None:
        self.origin = base_url.replace("http://", "https://", 1)  # what the browser's address bar shows
        self.client = httpx.Client(base_url=base_url, timeout=SIGN_IN_TIMEOUT, follow_redirects=False)
        self.cookies: dict[str, str] = {}
        self.headers = {"X-Forwarded-Proto": "https"}
        if authorization:
            self.headers["Authorization"] = authorization

    def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        headers = {**self.headers, **kwargs.pop("headers", {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        response = self.client.request(method, path, headers=headers, **kwargs)
        for line in response.headers.get_list("set-cookie"):
            cookie: SimpleCookie = SimpleCookie()
            cookie.load(line)
            for name, morsel in cookie.items():
                if morsel["max-age"] == "0":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return response

    def form(self, path: str, data: dict[str, str]) -> httpx.Response:
        """POST a form of the page at ``path``, with the CSRF token that page carries."""
        page = self.request("GET", path)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        if page.status_code != 200 or token is None:
            raise RuntimeError(f"GET {path}: {page.status_code}, no form")
        headers = {"Origin": self.origin, "Referer": f"{self.origin}{path}"}
        return self.request("POST", path, data={**data, "csrfmiddlewaretoken": token[1]}, headers=headers)


def _sign_in(base_url: str, account: Account, password: str, login_path: str) -> Session:
    """Password, then (recruiters) the TOTP code of the account's device, through the real pages."""
    from django_otp.oath import totp

    session = Session(base_url)
    answer = session.form(login_path, {"username": account.username, "password": password, "next": ""})
    if answer.status_code != 302:
        raise RuntimeError(f"sign-in of {account.username} refused ({answer.status_code})")
    if account.totp_key:
        second_factor = answer.headers["location"]
        # A code works once per device: the other server of a --compare run may have used this 30-second
        # step's code already, so a refusal waits for the next step and tries its code.
        for attempt in range(2):
            if attempt:
                time.sleep(31 - time.time() % 30)
            code = f"{totp(bytes.fromhex(account.totp_key)):06d}"
            answer = session.form(second_factor, {"token": code})
            if answer.status_code == 302:
                break
        else:
            raise RuntimeError(f"second factor of {account.username} refused ({answer.status_code})")
    return session


def _api_session(base_url: str, client: ApiClient) -> Session:
    """A client-credentials token, then a session that sends it (an API client keeps no cookies)."""
    credentials = base64.b64encode(f"{client.client_id}:{client.secret}".encode()).decode()
    answer = Session(base_url, f"Basic {credentials}").request(
        "POST", "/api/v1/oauth/token/", data={"grant_type": "client_credentials"}
    )
    if answer.status_code != 200:
        raise RuntimeError(f"token for {client.client_id}: {answer.status_code} {answer.text[:200]}")
    return Session(base_url, f"Bearer {answer.json()['access_token']}")


def sign_in_all(server: Server, fixtures: Fixtures, login_path: str, redis_url: str | None) -> None:
    reset_rate_limits(redis_url)
    jobs: list[tuple[str, Callable[[], Session]]] = [
        (role, partial(_sign_in, server.base_url, account, fixtures.password, login_path))
        for role, accounts in fixtures.accounts.items()
        for account in accounts
    ]
    jobs += [("api", partial(_api_session, server.base_url, c)) for c in fixtures.api_clients]
    jobs += [("bulk", partial(_api_session, server.base_url, c)) for c in fixtures.bulk_clients]
    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=SIGN_IN_THREADS) as pool:  # one per worker: nobody waits long
        sessions = list(pool.map(lambda job: (job[0], job[1]()), jobs))
    for role, session in sessions:
        session.client.timeout = httpx.Timeout(REQUEST_TIMEOUT)
        if role == "bulk":
            server.bulk_sessions.append(session)
        else:
            server.sessions.setdefault(role, []).append(session)
    took = time.perf_counter() - start
    say(f"[{server.label}] signed in", f"{len(sessions)} sessions and tokens in {took:.1f} s")


def reset_rate_limits(redis_url: str | None) -> None:
    """Start a measurement in fresh rate-limit windows: the counters in the bench's own Redis database
    are deleted, as if the next minute had begun. The limits themselves are untouched."""
    if not redis_url:
        return
    import redis

    connection = redis.Redis.from_url(redis_url)
    keys = list(connection.scan_iter(match="*throttle_*"))
    if keys:
        connection.delete(*keys)
