"""Benchmark of the partner API's bulk upsert (``POST /api/v1/candidates/bulk/``) and of how soon the
uploaded candidates' matches are current.

Sends ``--requests`` requests of ``--size`` full candidate profiles (languages, a diploma with a
recognition step, work experience, skills, a licence, training, consents, desired occupations) through
DRF's test client, in process and authenticated with a real OAuth2 token of the demo partner (as
``tests/api`` do), on PostgreSQL. Three rounds over the same external ids: new candidates (created), the
same bodies again (unchanged) and every profile changed (updated). Prints per round the candidates
accepted per second and the SQL queries per request, then one JSON line. Figures, never assertions.

With ``REDIS_URL`` set the recomputes go to the broker, so a round measures what a request costs; with
``--worker`` the script starts a Celery worker on that broker first (warmed by small requests) and
measures the freshness: from the last request of a round until every candidate it sent has current
matches (their match jobs done); ``--burst N`` then changes N of them at once, for the worker's own pace.

Run (a database seeded with ``seed_demo --candidates 10000 --vacancies 1000``):
``REDIS_URL=redis://127.0.0.1:6379/12 .venv/bin/python bench/bulk_upsert.py --requests 20 --worker``.
"""

import argparse
import base64
import datetime
import json
import os
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/talentbrug_hc"
URL = "/api/v1/candidates/bulk/"
BENCH_CLIENT_ID = "talentbrug-bench-bulk-upsert"


def _setup(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    os.environ["ALLOWED_HOSTS"] = "testserver"  # DRF's test client, in process
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    import logging

    logging.disable(logging.INFO)  # task log lines (eager mode) would drown the figures


def _token() -> str:
    """A token of the demo partner's bench client (created the first time, as seed_demo_api_client)."""
    from oauth2_provider.models import get_application_model
    from rest_framework.test import APIClient

    from api.management.commands.seed_demo_api_client import Command
    from api.scopes import ALL_SCOPES
    from api.services import partner_client_create, partner_client_reset

    secret = uuid.uuid4().hex
    application = get_application_model().objects.filter(client_id=BENCH_CLIENT_ID).first()
    if application is None:
        organisation = Command()._demo_partner()
        if organisation is None:
            sys.exit("no demo partner: run seed_demo first")
        partner_client_create(
            organisation=organisation,
            scopes=ALL_SCOPES,
            name="Bulk upsert benchmark",
            client_id=BENCH_CLIENT_ID,
            client_secret=secret,
        )
    else:
        partner_client_reset(application=application, client_secret=secret, scopes=ALL_SCOPES)
    response = APIClient().post(
        "/api/v1/oauth/token/",
        {"grant_type": "client_credentials"},
        format="multipart",
        HTTP_AUTHORIZATION="Basic " + base64.b64encode(f"{BENCH_CLIENT_ID}:{secret}".encode()).decode(),
    )
    assert response.status_code == 200, response.content
    return str(response.json()["access_token"])


class Profiles:
    """Full candidate profiles built from what the partner may reference in this database."""

    def __init__(self) -> None:
        from api.selectors import projects_for_partner
        from core.models import User
        from recruitment.services.recompute import matchable_vacancies
        from vacancies.models import VacancySkill
        from vacancies.selectors import vacancies_for_partner

        user = User.objects.get(oauth2_provider_application__client_id=BENCH_CLIENT_ID)
        organisation = user.organisation
        assert organisation is not None
        projects = list(projects_for_partner(organisation=organisation))
        project = next((p for p in projects if p.programmes.all()), projects[0])
        self.project = project.code
        self.programme = next(iter(project.programmes.all()), None)
        vacancies = vacancies_for_partner(organisation=organisation).select_related("occupation")
        self.employers = sorted({v.employer_id for v in vacancies[:200]})
        wanted = matchable_vacancies().values_list("occupation__uri", flat=True).distinct()
        self.occupations = sorted(set(wanted))[:60]
        skills = VacancySkill.objects.filter(vacancy__in=matchable_vacancies()).values_list(
            "skill__uri", flat=True
        )
        self.skills = sorted(set(skills))[:60]

    def build(self, external_id: str, n: int, *, round_no: int = 0) -> dict[str, Any]:
        """The ``n``-th profile; ``round_no`` changes what an update round changes."""
        occupation = self.occupations[n % len(self.occupations)]
        other = self.occupations[(n * 7 + 3) % len(self.occupations)]
        body: dict[str, Any] = {
            "external_id": external_id,
            "project": self.project,
            "given_name": f"Bench{n}",
            "family_name": f"Candidate {n}",
            "email": f"bench{n}@example.org",
            "phone": f"+2126{round_no:02d}{n:06d}",
            "preferred_language": "fr",
            "date_of_birth": f"{1975 + n % 25}-0{1 + n % 9}-1{n % 9}",
            "nationalities": ["MA"],
            "country_of_residence": "MA",
            "available_from": "2027-01-01",
            "preferred_regions": ["VLG"],
            "desired_occupations": [occupation, other],
            "languages": [
                {
                    "language": "nl",
                    **{
                        skill: ["A1", "A2", "B1", "B2"][(n + round_no) % 4]
                        for skill in ("listening", "reading", "spoken_interaction", "spoken_production")
                    },
                    "writing": "A2",
                    "evidence": "training_certificate",
                    "certificate": "CNaVT",
                    "assessed_on": "2026-06-01",
                },
                {"language": "en", "listening": "B2", "reading": "B2", "writing": "B1"},
            ],
            "diplomas": [
                {
                    "title": "Technicien spécialisé",
                    "institution": "OFPPT",
                    "country": "MA",
                    "isced_level": 4 + n % 3,
                    "duration_years": "2.0",
                    "recognition_steps": [
                        {"authority": "naric_vl", "outcome": "requested", "requested_on": "2026-09-01"}
                    ],
                }
            ],
            "work_experience": [
                {
                    "occupation": occupation,
                    "country": "MA",
                    "started_on": "2018-09-01",
                    "ended_on": "2022-06-30",
                },
                {"occupation": other, "country": "MA", "started_on": "2022-09-01", "fte": "0.80"},
            ],
            "skills": [{"skill": self.skills[(n + k) % len(self.skills)]} for k in range(3)],
            "licences": [{"kind": "driving_c", "issuing_country": "MA"}],
            "consents": [
                {
                    "purpose": "profile_visibility",
                    "text_version": "2026-01",
                    "channel": "partner_api",
                    "granted_at": "2026-01-05T10:00:00+01:00",
                },
                {
                    "purpose": "share_with_employer",
                    "recipient": self.employers[n % len(self.employers)],
                    "text_version": "2026-01",
                    "channel": "partner_api",
                    "granted_at": "2026-01-05T10:00:00+01:00",
                },
            ],
        }
        if self.programme is not None:
            body["training"] = [{"programme": self.programme.pk, "status": "in_progress"}]
        return body


def _post(client: Any, items: list[dict[str, Any]]) -> tuple[float, int, dict[str, Any]]:
    """One request: its time, its SQL statements (counted by a wrapper: no cap), its answer."""
    from django.db import connection

    count = 0

    def counting(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        nonlocal count
        count += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counting):
        start = time.perf_counter()
        response = client.post(URL, {"items": items}, format="json")
        took = time.perf_counter() - start
    assert response.status_code == 200, response.content[:500]
    return took, count, response.json()


def _backend_cpu() -> float:
    """CPU seconds the PostgreSQL process serving this connection has used (``/proc``: a local server)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _fresh_after(external_ids: list[str], timeout: float, since: datetime.datetime) -> tuple[float, int]:
    """Seconds until every candidate of ``external_ids`` has current matches and no open job; and how
    many match jobs of theirs failed ``since`` (not in an earlier run)."""
    from django.db.models import F

    from candidates.models import Candidate
    from recruitment.models import OPEN_JOB_STATUSES, MatchJob

    start = time.perf_counter()
    ids = list(Candidate.objects.filter(external_id__in=external_ids).values_list("pk", flat=True))
    while time.perf_counter() - start < timeout:
        stale = Candidate.objects.filter(pk__in=ids).exclude(matched_version=F("profile_version")).exists()
        running = MatchJob.objects.filter(candidate_id__in=ids, status__in=OPEN_JOB_STATUSES).exists()
        if not stale and not running:
            break
        time.sleep(0.05)
    took = time.perf_counter() - start
    failed = MatchJob.objects.filter(
        candidate_id__in=ids, status=MatchJob.Status.FAILED, finished_at__gte=since
    ).count()
    return took, failed


def _burst(count: int, timeout: float) -> dict[str, Any]:
    """The worker's own pace: ``count`` uploaded candidates changed in one transaction (what a partner
    sending 1,000 a second leaves behind after ``count / 1000`` seconds, the web side aside), their
    recompute queued as the services queue it; seconds until all their matches are current."""
    from django.db import transaction
    from django.utils import timezone

    from candidates.models import Candidate
    from candidates.services import candidate_profiles_changed

    ids = list(
        Candidate.objects.filter(external_id__startswith="BENCH-", status=Candidate.Status.ACTIVE)
        .order_by("-pk")
        .values_list("pk", flat=True)[:count]
    )
    external_ids = list(Candidate.objects.filter(pk__in=ids).values_list("external_id", flat=True))
    start, since = time.perf_counter(), timezone.now()
    with transaction.atomic():
        candidate_profiles_changed(ids)
    queued = time.perf_counter() - start
    fresh, failed = _fresh_after(external_ids, timeout, since)
    total = queued + fresh
    print(
        f"{'burst':>9}: {len(ids)} candidates changed at once: matches current after {total:.2f} s "
        f"({len(ids) / total:,.0f} candidates/s through the worker), {failed} failed jobs",
        flush=True,
    )
    return {"burst_candidates": len(ids), "burst_fresh_s": round(total, 2)}


def _worker(concurrency: int) -> subprocess.Popen[bytes]:
    from django.conf import settings

    return subprocess.Popen(
        [
            str(ROOT / ".venv/bin/celery"),
            "-A",
            "config",
            "worker",
            "-Q",
            settings.DEFAULT_WORKER_QUEUES,
            "-c",
            str(concurrency),
            "--without-gossip",
            "--without-mingle",
            "-n",
            f"bench-{uuid.uuid4().hex[:6]}@bench",
            "--loglevel",
            "WARNING",
        ],
        cwd=ROOT,
        env={**os.environ, "LOG_LEVEL": "WARNING"},
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB))
    parser.add_argument("--requests", type=int, default=10)
    parser.add_argument("--size", type=int, default=100, help="candidates per request (at most 100)")
    parser.add_argument("--worker", action="store_true", help="start a Celery worker, measure freshness")
    parser.add_argument("--concurrency", type=int, default=os.cpu_count() or 1, help="worker processes")
    parser.add_argument("--timeout", type=float, default=900, help="seconds to wait for freshness")
    parser.add_argument(
        "--burst", type=int, default=0, help="with --worker: also change this many candidates at once"
    )
    args = parser.parse_args()
    if args.worker and not os.environ.get("REDIS_URL"):
        sys.exit("--worker needs REDIS_URL")
    _setup(args.database_url)

    from django.test.utils import override_settings
    from django.utils import timezone
    from rest_framework.test import APIClient

    from candidates.models import Candidate

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {_token()}")
    profiles = Profiles()
    tag = uuid.uuid4().hex[:8]
    load = os.getloadavg()
    print(
        f"machine: {os.cpu_count()} cores, load average {load[0]:.2f}; "
        f"{Candidate.objects.count():,} candidates; broker: {'yes' if os.environ.get('REDIS_URL') else 'no'}"
    )
    figures: dict[str, Any] = {"requests": args.requests, "size": args.size}
    worker = _worker(args.concurrency) if args.worker else None
    rates = {"bulk": "1000000/minute", "client": "1000000/minute"}
    rest = {"DEFAULT_THROTTLE_RATES": rates}
    from django.conf import settings

    try:
        with override_settings(REST_FRAMEWORK={**settings.REST_FRAMEWORK, **rest}):
            # Warm-up (imports; each worker process's snapshots): small requests, not counted.
            warm = [profiles.build(f"BENCH-{tag}-warm-{n}", n) for n in range(4 * args.concurrency)]
            for first in range(0, len(warm), 4):
                _post(client, warm[first : first + 4])
            if worker is not None:
                _fresh_after([item["external_id"] for item in warm], args.timeout, timezone.now())
            for label in ("created", "unchanged", "updated"):
                change = 1 if label == "updated" else 0
                times, counts = [], []
                sent: list[str] = []
                requests = [
                    [
                        profiles.build(f"BENCH-{tag}-{n:06d}", n, round_no=change)
                        for n in range(r * args.size, (r + 1) * args.size)
                    ]
                    for r in range(args.requests)
                ]
                start, cpu, database = time.perf_counter(), time.process_time(), _backend_cpu()
                began = timezone.now()
                for items in requests:
                    took, queries, body = _post(client, items)
                    if body["summary"][label] != args.size:
                        print(f"  unexpected summary in round {label}: {body['summary']}")
                        errors = [r for r in body["results"] if r["errors"]][:2]
                        print(f"  first errors: {errors}")
                    times.append(took)
                    counts.append(queries)
                    sent += [item["external_id"] for item in items]
                total, cpu = time.perf_counter() - start, time.process_time() - cpu
                database = _backend_cpu() - database
                rate = len(sent) / total
                print(
                    f"{label:>9}: {len(sent)} candidates in {total:.2f} s: {rate:,.0f} candidates/s; "
                    f"median request {statistics.median(times):.3f} s; queries per request "
                    f"median {statistics.median(counts):.0f} (min {min(counts)}, max {max(counts)}); "
                    f"CPU: web process {cpu:.2f} s ({len(sent) / cpu:,.0f} candidates per CPU second), "
                    f"its PostgreSQL backend {database:.2f} s",
                    flush=True,
                )
                figures[f"{label}_candidates_per_s"] = round(rate, 1)
                figures[f"{label}_candidates_per_cpu_s"] = round(len(sent) / cpu, 1)
                figures[f"{label}_database_cpu_s"] = round(database, 2)
                figures[f"{label}_queries_per_request"] = statistics.median(counts)
                if worker is not None and label != "unchanged":
                    fresh, failed = _fresh_after(sent, args.timeout, began)
                    print(
                        f"{'':>11}matches current {fresh:.2f} s after the last request, {failed} failed jobs"
                    )
                    figures[f"{label}_fresh_after_s"] = round(fresh, 2)
            if worker is not None and args.burst:
                figures |= _burst(args.burst, args.timeout)
    finally:
        if worker is not None:
            worker.terminate()
            worker.wait(timeout=60)
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
