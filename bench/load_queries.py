"""The query counter of ``bench/load.py``: run by it in a process of its own, inside the served copy of
the code (its settings, its database), with the path of a JSON spec (the pages, the bench's users, an API
client, where to write). Each page is requested once warm with Django's test client, as the same kind of
user, under ``CaptureQueriesContext``; every captured SELECT is then ``EXPLAIN``ed. A table of at least
``LARGE_ROWS`` rows read sequentially is reported; ``seq_scan`` says whether it is one of ``LARGE_TABLES``.
"""

import base64
import json
import os
import sys
from pathlib import Path
from typing import Any

LARGE_TABLES = ("recruitment_match", "candidates_candidate", "recruitment_placement")
LARGE_ROWS = 10_000  # a table this big is not read whole by a page; a smaller one may be


def main(spec_path: str) -> None:
    """In the served copy's process: each page once warm, its queries captured and EXPLAINed."""
    import django

    sys.path.insert(0, os.getcwd())
    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    spec = json.loads(Path(spec_path).read_text())
    clients = _test_clients(spec)
    results: dict[str, Any] = {}
    for page in spec["pages"]:
        client = clients[page["role"]]
        client.get(page["path"])  # warm: the first request of a process fills its caches
        with CaptureQueriesContext(connection) as captured:
            answer = client.get(page["path"])
        tables, unexplained = _seq_scans([query["sql"] for query in captured.captured_queries])
        results[page["name"]] = {
            "status": answer.status_code,
            "queries": len(captured.captured_queries),
            "seq_scan": any(table in LARGE_TABLES for table in tables),
            "seq_scan_tables": tables,
            "unexplained": unexplained,
        }
    Path(spec["output"]).write_text(json.dumps(results))


def _test_clients(spec: dict[str, Any]) -> dict[str, Any]:
    """Django test clients signed in as the bench's users (recruiters with their second factor given)."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from core.models import User

    def client(authorization: str = "") -> Client:
        headers = {"X-Forwarded-Proto": "https"}
        if authorization:
            headers["Authorization"] = authorization
        return Client(headers=headers, HTTP_HOST="127.0.0.1", raise_request_exception=False)

    clients = {}
    for role, username in spec["users"].items():
        clients[role] = client()
        user = User.objects.get(username=username)
        clients[role].force_login(user)
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is not None:
            session = clients[role].session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()
    api = spec["api_client"]
    basic = base64.b64encode(f"{api['client_id']}:{api['secret']}".encode()).decode()
    answer = client(f"Basic {basic}").post("/api/v1/oauth/token/", {"grant_type": "client_credentials"})
    clients["api"] = client(f"Bearer {answer.json()['access_token']}")
    return clients


def _seq_scans(statements: list[str]) -> tuple[list[str], int]:
    """The tables of at least LARGE_ROWS rows that the SELECTs' plans read sequentially (a smaller table is
    rightly read whole), and how many statements could not be explained."""
    from django.db import DatabaseError, connection

    scanned: set[str] = set()
    unexplained = 0
    with connection.cursor() as cursor:
        for sql in statements:
            if not sql.lstrip().upper().startswith(("SELECT", "WITH")):
                continue
            try:
                cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}")
            except DatabaseError:
                unexplained += 1
                continue
            plan = cursor.fetchone()[0]
            scanned |= _scanned_relations(plan[0]["Plan"] if isinstance(plan, list) else json.loads(plan))
        cursor.execute("SELECT relname, reltuples FROM pg_class WHERE relname = ANY(%s)", [sorted(scanned)])
        rows = dict(cursor.fetchall())
    return sorted(table for table in scanned if rows.get(table, 0) >= LARGE_ROWS), unexplained


def _scanned_relations(node: dict[str, Any]) -> set[str]:
    found = {node["Relation Name"]} if node.get("Node Type") == "Seq Scan" else set()
    for child in node.get("Plans", []):
        found |= _scanned_relations(child)
    return found


if __name__ == "__main__":
    main(sys.argv[1])
