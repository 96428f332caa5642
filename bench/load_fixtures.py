"""The load benchmark's data and accounts: a fully computed database, the bench users and API clients,
and the pages each role requests (``bench/load.py``)."""

import os
import secrets
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from load_common import (
    BENCH,
    CANDIDATE_MARKER,
    EMAIL_DOMAIN,
    LANGUAGE,
    Account,
    ApiClient,
    Fixtures,
    Page,
    say,
)

# --- Data: a fully computed database at the scale asked ------------------------------------------------


def django_setup(database_url: str, code: Path) -> None:
    """This process runs ``code`` (the served copy) with development settings on the bench database and
    tasks in-process (no broker), so that the seed and any recompute of stale matches are done when they
    return."""
    os.environ["DATABASE_URL"] = database_url
    os.environ.pop("REDIS_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"
    name = database_url.rsplit("/", 1)[1]
    admin_url = database_url.rsplit("/", 1)[0] + "/postgres"
    subprocess.run(["psql", admin_url, "-qc", f"CREATE DATABASE {name}"], capture_output=True, check=False)
    sys.path.insert(0, str(code))
    import logging

    import django

    django.setup()
    # The seed's and the in-process recompute's log lines (kombu warns of its in-memory broker) would
    # drown the figures; errors still raise.
    logging.disable(logging.WARNING)


def _recompute_stale() -> tuple[int, int]:
    """Every stale vacancy and candidate recomputed here and now, one job each (as the workers would)."""
    from recruitment import services
    from recruitment.models import MatchJob
    from recruitment.services.sweep import stale_candidates, stale_vacancies

    vacancy_ids = list(stale_vacancies().order_by("pk").values_list("pk", flat=True))
    for vacancy_id in vacancy_ids:
        job = services.job_create(MatchJob.Kind.VACANCY, vacancy_id, queue=False)
        services.vacancy_matches_recompute(vacancy_id=vacancy_id, job_id=job.pk)
    candidate_ids = list(stale_candidates().order_by("pk").values_list("pk", flat=True))
    for candidate_id in candidate_ids:
        job = services.job_create(MatchJob.Kind.CANDIDATE, candidate_id, queue=False)
        services.candidate_matches_recompute(candidate_id=candidate_id, job_id=job.pk)
    return len(vacancy_ids), len(candidate_ids)


def ensure_data(candidates: int, vacancies: int, *, keep_stale: bool = False) -> int:
    """Seed unless the database holds ``candidates`` demo candidates; then bring stale matches up to date
    (unless ``keep_stale``: the pages read the stored matches as they are, e.g. right after an algorithm
    change made every vacancy stale, whose full recompute takes an hour at 100k). Returns the number of
    demo candidates."""
    from django.core.management import call_command

    from candidates.models import Candidate
    from recruitment.services.sweep import stale_candidates, stale_vacancies

    call_command("migrate", verbosity=0)
    remove_bench_data()  # a run that was killed leaves its accounts, which would block a reseed
    # The generator's candidates: not the one person the demo registers twice (demo.duplicates), whose
    # extra record would otherwise look like a different scale and trigger an hour-long reseed.
    generated = Candidate.objects.filter(external_id__startswith="DEMO-")
    generated = generated.exclude(external_id__endswith="-TWIN")
    seeded = generated.count()
    if seeded != candidates:
        start = time.perf_counter()
        call_command(
            "seed_demo", candidates=candidates, vacancies=vacancies, employers=25, reset=True, verbosity=0
        )
        say(
            "seeded and recomputed (seed_demo)",
            f"{candidates} candidates in {time.perf_counter() - start:.0f} s",
        )
    else:
        say("database reused", f"{seeded} demo candidates")
    if keep_stale:
        say("stale matches kept (--keep-stale)", f"{stale_vacancies().count()} vacancies")
    elif stale_vacancies().exists() or stale_candidates().exists():
        start = time.perf_counter()
        stale = _recompute_stale()
        took = time.perf_counter() - start
        say("stale matches recomputed", f"{stale[0]} vacancies, {stale[1]} candidates in {took:.0f} s")
    left = stale_vacancies().count() + stale_candidates().count()
    if left and not keep_stale:
        say("WARNING: still stale (a job held by another worker?)", str(left))
    _vacuum_analyze()
    return generated.count()


def _vacuum_analyze() -> None:
    """Planner statistics and visibility maps as autovacuum leaves them in production. Right after a bulk
    load the statistics still describe the empty tables, and the planner's choices are absurd: at 10k,
    ``GET /api/v1/matches/`` took 25 s instead of 2 ms. Quick when nothing changed since the last run."""
    from django.db import connection

    start = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")
    say("VACUUM (ANALYZE)", f"{time.perf_counter() - start:.0f} s")


# --- Accounts and the pages to measure -------------------------------------------------------------


def remove_bench_data() -> None:
    """The bench's users (their API clients, tokens and sessions go with them) and bulk candidates."""
    from candidates.models import Candidate
    from core.models import User

    Candidate.objects.filter(external_id__startswith=CANDIDATE_MARKER).delete()
    User.objects.filter(username__startswith=f"{BENCH}-").delete()


def _create_users(role: str, organisation: Any, count: int, password_hash: str) -> list[Account]:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from core.models import User

    accounts = []
    user_role = {
        "recruiter": User.Role.RECRUITER,
        "employer": User.Role.EMPLOYER_USER,
        "partner": User.Role.PARTNER_USER,
    }[role]
    for index in range(count):
        username = f"{BENCH}-{role}-{index:02d}"
        # One password hash for all: hashing it per user would cost a third of a second each.
        user = User.objects.create(
            username=username,
            email=f"{username}@{EMAIL_DOMAIN}",
            role=user_role,
            organisation=organisation,
            password=password_hash,
        )
        key = ""
        if role == "recruiter":
            key = secrets.token_hex(20)
            TOTPDevice.objects.create(user=user, name="Bench authenticator", key=key, confirmed=True)
        accounts.append(Account(username, role, key))
    return accounts


def _create_api_clients(partner: Any, count: int, kind: str) -> list[ApiClient]:
    from django.contrib.auth.hashers import make_password

    from api.scopes import ALL_SCOPES
    from api.services import partner_client_create

    secret = secrets.token_urlsafe(32)
    # The service stores a hash of the secret; given one already hashed it keeps it (saves a hash each).
    hashed = make_password(secret)
    clients = []
    for index in range(count):
        name = f"{BENCH}-{kind}-{index:02d}"
        partner_client_create(
            organisation=partner,
            scopes=ALL_SCOPES,
            name=name,
            client_id=name,
            client_secret=hashed,
            username=name,
        )
        clients.append(ApiClient(name, secret))
    return clients


def _organisations() -> tuple[Any, Any, Any, list[str]]:
    """The recruiters' employment service, the employer with the most proposals and the partner that
    registered the most candidates (the demo logins' organisations at the demo's scale)."""
    from django.db.models import Count

    from candidates.models import Candidate
    from core.models import Organisation, User
    from recruitment.models import Placement

    demo_recruiter = User.objects.filter(username="recruiter", role=User.Role.RECRUITER).first()
    pes = demo_recruiter.organisation if demo_recruiter else None
    pes = pes or Organisation.objects.filter(kind=Organisation.Kind.PES).order_by("pk").first()
    proposals = (
        Placement.objects.filter(proposed_at__isnull=False)
        .values("vacancy__employer")
        .annotate(n=Count("pk"))
        .order_by("-n", "vacancy__employer")
        .first()
    )
    employer = Organisation.objects.get(pk=proposals["vacancy__employer"]) if proposals else None
    registered = (
        Candidate.objects.filter(registered_by__kind__in=Organisation.PARTNER_KINDS)
        .values("registered_by")
        .annotate(n=Count("pk"))
        .order_by("-n", "registered_by")
        .first()
    )
    partner = Organisation.objects.get(pk=registered["registered_by"]) if registered else None
    chosen = [
        f"employer: {employer} ({proposals['n'] if proposals else 0} proposals)",
        f"partner: {partner} ({registered['n'] if registered else 0} candidates)",
    ]
    return pes, employer, partner, chosen


def _recruiter_pages() -> tuple[list[Page], list[str]]:
    from django.db.models import Count
    from django.urls import reverse

    from candidates.models import Candidate, WorkExperience
    from projects.models import Project
    from recruitment.models import Match
    from recruitment.services.recompute import matchable_vacancies
    from vacancies.models import Vacancy

    pages = [
        Page("recruiter:dashboard", "recruiter", reverse("recruiter:dashboard")),
        Page("recruiter:vacancy_list", "recruiter", reverse("recruiter:vacancy_list")),
    ]
    chosen = []
    # The open vacancy with the most stored matches: the longest list a recruiter pages through.
    busiest = (
        Match.objects.filter(vacancy__in=matchable_vacancies())
        .values("vacancy")
        .annotate(n=Count("pk"))
        .order_by("-n", "vacancy")
        .first()
    )
    if busiest:
        vacancy = Vacancy.objects.get(pk=busiest["vacancy"])
        path = reverse("recruiter:vacancy_detail", args=[vacancy.public_id])
        pages.append(Page("recruiter:vacancy_detail", "recruiter", path))
        chosen.append(f"vacancy: {vacancy.pk} ({busiest['n']} matches)")
    searchable = Candidate.objects.filter(status=Candidate.Status.ACTIVE)
    surname = searchable.values("family_name").annotate(n=Count("pk")).order_by("-n", "family_name").first()
    candidates_path = reverse("recruiter:candidate_list")
    if surname:
        path = f"{candidates_path}?{urlencode({'text': surname['family_name']})}"
        pages.append(Page("recruiter:candidate_search", "recruiter", path))
        chosen.append(f"surname: {surname['family_name']} ({surname['n']} candidates)")
    occupation = (
        WorkExperience.objects.filter(candidate__in=searchable)
        .values("occupation")
        .annotate(n=Count("pk"))
        .order_by("-n", "occupation")
        .first()
    )
    if occupation:
        path = f"{candidates_path}?{urlencode({'occupation': occupation['occupation']})}"
        pages.append(Page("recruiter:candidate_search_occupation", "recruiter", path))
        chosen.append(f"occupation: {occupation['occupation']} ({occupation['n']} experiences)")
    for name in ("placement_list", "placement_board", "project_list"):
        pages.append(Page(f"recruiter:{name}", "recruiter", reverse(f"recruiter:{name}")))
    project = Project.objects.annotate(n=Count("candidates__placements")).order_by("-n", "pk").first()
    if project:
        path = reverse("recruiter:project_detail", args=[project.code])
        pages.append(Page("recruiter:project_detail", "recruiter", path))
        chosen.append(f"project: {project.code} ({getattr(project, 'n', 0)} placements)")
    return pages, chosen


def _employer_pages(employer: Any) -> list[Page]:
    from django.db.models import Count
    from django.urls import reverse

    from vacancies.models import Vacancy

    pages = [Page("employer:vacancy_list", "employer", reverse("employer:vacancy_list"))]
    vacancy = (
        Vacancy.objects.filter(employer=employer).annotate(n=Count("placements")).order_by("-n", "pk").first()
    )
    if vacancy:
        path = reverse("employer:vacancy_detail", args=[vacancy.public_id])
        pages.append(Page("employer:vacancy_detail", "employer", path))
    return pages


def _bulk_references(partner: Any) -> dict[str, Any]:
    """Real references for the bulk profiles: a project of the partner, the occupations of open vacancies
    and their skills (so that the new candidates match something, as real ones would)."""
    from api.selectors import programmes_for_partner, projects_for_partner
    from recruitment.services.recompute import matchable_vacancies
    from reference.models import EscoOccupation, EscoSkill
    from vacancies.models import VacancySkill

    open_vacancies = matchable_vacancies()
    occupations = EscoOccupation.objects.filter(pk__in=open_vacancies.values("occupation")).order_by("pk")
    skills = EscoSkill.objects.filter(
        pk__in=VacancySkill.objects.filter(vacancy__in=open_vacancies).values("skill")
    ).order_by("pk")
    project = projects_for_partner(organisation=partner).order_by("pk").first()
    programme = programmes_for_partner(organisation=partner).order_by("pk").first()
    return {
        "project": project.code if project else None,
        "programme": programme.pk if programme else None,
        "occupations": list(occupations.values_list("uri", flat=True)[:50]),
        "skills": list(skills.values_list("uri", flat=True)[:200]),
    }


def choose_fixtures(users: int, bulk_clients: int) -> Fixtures:
    from django.contrib.auth.hashers import make_password
    from django.urls import reverse
    from django.utils import translation

    pes, employer, partner, chosen = _organisations()
    if pes is None or employer is None or partner is None:
        raise SystemExit("No employment service, employer with proposals or partner: is the demo seeded?")
    password = secrets.token_urlsafe(24)
    password_hash = make_password(password)
    accounts = {
        "recruiter": _create_users("recruiter", pes, users, password_hash),
        "employer": _create_users("employer", employer, users, password_hash),
        "partner": _create_users("partner", partner, users, password_hash),
    }
    with translation.override(LANGUAGE):  # the language prefix of the browser pages
        pages, picked = _recruiter_pages()
        pages += _employer_pages(employer)
        pages.append(Page("partner:candidate_list", "partner", reverse("partner:candidate_list")))
    for resource in ("matches", "vacancies", "candidates", "placements", "projects"):
        pages.append(Page(f"api:/{resource}/", "api", f"/api/v1/{resource}/"))
    return Fixtures(
        password=password,
        accounts=accounts,
        api_clients=_create_api_clients(partner, users, "api"),
        bulk_clients=_create_api_clients(partner, bulk_clients, "bulk"),
        pages=pages,
        bulk_references=_bulk_references(partner),
        chosen=chosen + picked,
    )
