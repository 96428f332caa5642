"""The load benchmark's bulk upsert: API clients post full candidate profiles, 100 per request, and the
candidates accepted per second are counted (``bench/load.py``).

The request bodies are built and encoded before the clock starts: the load generator shares the
server's two cores, and encoding a quarter of a megabyte of JSON per request in the timed loop took CPU
from the server it measures (as a partner's system would not: it runs elsewhere). Each client prepares
as many bodies as the product lets it send in a minute (the ``bulk`` rate, 30 requests): more would be
refused (429) anyway, so a client that has sent them all stops.
"""

import json
import secrets
import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
from load_common import BULK_SIZE, CANDIDATE_MARKER, EMAIL_DOMAIN, Server

# --- Bulk upsert ------------------------------------------------------------------------------------


def _bulk_profile(index: int, marker: str, references: dict[str, Any]) -> dict[str, Any]:
    """A full profile as a partner sends it (docs/api.md): identity, languages, a diploma with its
    recognition request, experience, skills, a licence, training and consent."""
    occupations, skills = references["occupations"], references["skills"]
    occupation = occupations[index % len(occupations)]
    profile: dict[str, Any] = {
        "external_id": f"{marker}{index:07d}",
        "given_name": "Bench",
        "family_name": f"Load {index}",
        "email": f"candidate-{index}@{EMAIL_DOMAIN}",
        "preferred_language": "fr",
        "date_of_birth": f"{1975 + index % 25}-0{1 + index % 9}-1{index % 9}",
        "nationalities": ["MA"],
        "country_of_residence": "MA",
        "available_from": "2027-03-01",
        "preferred_regions": ["VLG"],
        "desired_occupations": [occupation, occupations[(index + 7) % len(occupations)]],
        "languages": [
            {"language": "ar", "is_native": True},
            _language("fr", "C1", "verified"),
            _language("en", "B2", "training_certificate"),
            _language("nl", ("A2", "B1")[index % 2], "self_declared"),
        ],
        "diplomas": [
            {
                "title": "Licence professionnelle",
                "institution": "Université Hassan II",
                "country": "MA",
                "isced_level": 6,
                "duration_years": "3.0",
                "awarded_on": "2016-07-01",
                "recognition_steps": [
                    {"authority": "naric_vl", "outcome": "requested", "requested_on": "2026-10-01"}
                ],
            }
        ],
        "work_experience": [
            {
                "occupation": occupation,
                "job_title": "Technicien",
                "country": "MA",
                "started_on": "2017-01-02",
                "ended_on": "2021-12-31",
            },
            {
                "occupation": occupation,
                "job_title": "Technicien senior",
                "country": "MA",
                "started_on": "2022-01-03",
            },
        ],
        "skills": [
            {"skill": skills[(index + k) % len(skills)], "evidence": "self_declared"} for k in range(5)
        ]
        if skills
        else [],
        "licences": [{"kind": "driving_c", "issuing_country": "MA"}],
        "consents": [
            {
                "purpose": "profile_visibility",
                "text_version": "2026-01",
                "channel": "partner_api",
                "granted_at": "2026-11-02T10:00:00+01:00",
            }
        ],
    }
    if references["project"]:
        profile["project"] = references["project"]
    if references["programme"]:
        profile["training"] = [{"programme": references["programme"], "status": "in_progress"}]
    return profile


def _language(code: str, level: str, evidence: str) -> dict[str, Any]:
    skills = ("listening", "reading", "spoken_interaction", "spoken_production", "writing")
    return {"language": code, **dict.fromkeys(skills, level), "evidence": evidence}


BULK_REQUESTS_PER_CLIENT = 30  # the product's ``bulk`` rate per minute (config/settings/base.py)


def _bodies(number: int, marker: str, references: dict[str, Any]) -> list[bytes]:
    """Client ``number``'s request bodies, encoded: 100 new profiles each."""
    bodies = []
    for batch in range(BULK_REQUESTS_PER_CLIENT):
        first = (number * 1_000 + batch) * BULK_SIZE
        items = [_bulk_profile(first + k, marker, references) for k in range(BULK_SIZE)]
        bodies.append(json.dumps({"items": items}).encode())
    return bodies


def measure_bulk(server: Server, references: dict[str, Any], seconds: float) -> dict[str, Any]:
    """Each bulk client posts 100 new profiles per request, back to back, until the deadline (or until
    it has sent its minute's worth)."""
    marker = f"{CANDIDATE_MARKER}{server.label.upper()}-{secrets.token_hex(3)}-"
    counts: Counter[str] = Counter()
    lock = threading.Lock()
    prepared = [_bodies(number, marker, references) for number in range(len(server.bulk_sessions))]
    deadline = time.monotonic() + seconds

    def client(number: int) -> None:
        for body in prepared[number]:
            if time.monotonic() >= deadline:
                break
            headers = {
                "Idempotency-Key": str(uuid.uuid4()),  # as a careful partner sends it
                "Content-Type": "application/json",
            }
            try:
                answer = server.bulk_sessions[number].request(
                    "POST", "/api/v1/candidates/bulk/", content=body, headers=headers
                )
                status = str(answer.status_code)
            except httpx.HTTPError as exc:
                answer, status = None, type(exc).__name__
            with lock:
                counts["requests"] += 1
                if answer is not None and status == "200":
                    summary = answer.json()["summary"]
                    counts["accepted"] += summary.get("created", 0) + summary.get("updated", 0)
                    counts["item_errors"] += summary.get("error", 0)
                else:
                    counts[f"status {status}"] += 1

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=len(server.bulk_sessions)) as pool:
        list(pool.map(client, range(len(server.bulk_sessions))))
    wall = time.perf_counter() - start
    failed = {key: n for key, n in counts.items() if key.startswith("status ")}
    return {
        "candidates_per_s": round(counts["accepted"] / wall, 1),
        "clients": len(server.bulk_sessions),
        "requests": counts["requests"],
        "accepted": counts["accepted"],
        "item_errors": counts["item_errors"],
        "errors": sum(failed.values()),
        "error_statuses": failed,
    }
