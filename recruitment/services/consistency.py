"""The recompute invariants of quality.md section 1, checked against a fresh synchronous recompute.

Read-only. Each violation is one line naming ids and codes only (no personal data), so the output can
go into a ticket. Used by ``manage.py check_match_consistency`` and by the tests after every scenario.
"""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, F
from django.utils import timezone

from candidates.models import Candidate
from recruitment.adapters import (
    basis_of,
    candidate_facts_chunks,
    reference_date,
    reference_facts_on,
    vacancy_facts,
)
from recruitment.matching import ALGORITHM_VERSION
from recruitment.matching.codes import compact, reason_codes
from recruitment.matching.engine import evaluate_vacancy
from recruitment.matching.results import Outcome
from recruitment.models import OPEN_JOB_STATUSES, Match, MatchJob
from recruitment.services.jobs import PENDING_BOUND, SWEEP_PERIOD
from recruitment.services.recompute import matchable_vacancies
from recruitment.services.sweep import stale_candidates
from vacancies.models import Vacancy

Stored = dict[int, tuple[str, Decimal, int, int]]  # candidate id -> (outcome, score, reason bits, route bits)


def _shown(value: tuple[str, Decimal, int, int] | None) -> str:
    if value is None:
        return "no match"
    outcome, score, reasons, routes = value
    return f"{outcome} {score} [{','.join(reason_codes(reasons))}] routes {routes:08b}"


def _failed_for(kind_field: str, version_field: str) -> set[int]:
    """Subjects whose current version has a failed job: visible to operators, so not a violation."""
    model = Vacancy if kind_field == "vacancy" else Candidate
    return set(
        model.objects.filter(
            match_jobs__status=MatchJob.Status.FAILED, match_jobs__target_version=F(version_field)
        ).values_list("pk", flat=True)
    )


def _jobs(now: datetime.datetime) -> list[str]:
    """No job pending or running past its lease plus two sweeper periods; one open job per subject.

    The sweeper re-sends a lost message within ``RESEND_AFTER`` plus one period (``jobs.PENDING_BOUND``
    says why that fits), and hands an expired lease on at its next run."""
    problems = []
    grace = 2 * SWEEP_PERIOD
    for pk, kind in MatchJob.objects.filter(
        status=MatchJob.Status.RUNNING, lease_expires_at__lt=now - grace
    ).values_list("pk", "kind"):
        problems.append(f"job {pk} ({kind}): running past its lease plus two sweeper periods")
    for pk, kind in MatchJob.objects.filter(
        status=MatchJob.Status.PENDING, queued_at__lt=now - PENDING_BOUND
    ).values_list("pk", "kind"):
        problems.append(f"job {pk} ({kind}): pending for longer than a lease plus two sweeper periods")
    for field in ("vacancy", "candidate"):
        duplicated = (
            MatchJob.objects.filter(status__in=OPEN_JOB_STATUSES, **{f"{field}__isnull": False})
            .values(field)
            .annotate(n=Count("pk"))
            .filter(n__gt=1)
        )
        problems += [f"{field} {row[field]}: {row['n']} open jobs" for row in duplicated]
    return problems


def match_consistency_violations(*, vacancy_id: int | None = None) -> list[str]:
    """Every violation of the recompute invariants, for all vacancies or one; empty when consistent.

    Complete: each published Flemish vacancy has matched version == criteria version on the current
    basis (algorithm, dated rules, reference data) and today's date, or a failed job for that version is
    visible; each candidate likewise. Correct: the stored set equals a fresh ``evaluate_vacancy`` of the
    scalar core, the reference (same candidates; outcomes, scores to the cent, reason codes and route
    statuses). No duplicates; no stuck jobs; no matches on a vacancy that is not open or for a candidate
    who is not visible.
    """
    now = timezone.now()
    day = reference_date()
    facts = reference_facts_on(day)
    basis = basis_of(facts)
    problems: list[str] = []

    vacancies = Vacancy.objects.all() if vacancy_id is None else Vacancy.objects.filter(pk=vacancy_id)
    matches = Match.objects.filter(vacancy__in=vacancies)

    duplicates = matches.values("vacancy_id", "candidate_id").annotate(n=Count("pk")).filter(n__gt=1)
    problems += [
        f"vacancy {d['vacancy_id']}: {d['n']} matches for candidate {d['candidate_id']}" for d in duplicates
    ]
    closed = matches.exclude(vacancy__in=matchable_vacancies()).values("vacancy_id").annotate(n=Count("pk"))
    problems += [
        f"vacancy {row['vacancy_id']}: {row['n']} matches but not open in Flanders" for row in closed
    ]
    hidden = matches.exclude(candidate__status=Candidate.Status.ACTIVE).values_list(
        "vacancy_id", "candidate_id"
    )
    problems += [f"vacancy {v}: match for candidate {c}, who is not visible" for v, c in hidden]
    outdated = (
        matches.exclude(algorithm_version=ALGORITHM_VERSION).values("vacancy_id").annotate(n=Count("pk"))
    )
    problems += [f"vacancy {row['vacancy_id']}: {row['n']} matches of another algorithm" for row in outdated]

    failed_vacancies = _failed_for("vacancy", "criteria_version")
    failed_candidates = _failed_for("candidate", "profile_version")
    checked: dict[int, Stored] = {}
    floors: dict[int, int] = {}  # each vacancy's near-miss floor (cents), ADR 0008
    for pk, version, matched, stamped, matched_on, floor in (
        vacancies.filter(pk__in=matchable_vacancies())
        .order_by("pk")
        .values_list(
            "pk", "criteria_version", "matched_version", "matched_basis", "matched_on", "near_miss_floor"
        )
    ):
        floors[pk] = floor
        if matched == version and stamped == basis and matched_on == day:
            checked[pk] = {}
        elif pk not in failed_vacancies:
            problems.append(
                f"vacancy {pk}: stale (criteria version {version}, matched {matched}, basis "
                f"{stamped or '-'} on {matched_on or '-'} instead of {basis} on {day}) and no failed job"
            )
    if vacancy_id is None:
        for pk in stale_candidates().exclude(pk__in=failed_candidates).values_list("pk", flat=True):
            problems.append(
                f"candidate {pk}: profile changed since their matches were computed, no failed job"
            )

    # Correct: a fresh recompute of every complete vacancy, candidates read once in chunks.
    for match_vacancy, candidate_id, outcome, score, reasons, routes in Match.objects.filter(
        vacancy_id__in=checked
    ).values_list("vacancy_id", "candidate_id", "outcome", "score", "reason_bits", "route_bits"):
        checked[match_vacancy][candidate_id] = (outcome, score, reasons, routes)
    fresh: dict[int, Stored] = defaultdict(dict)
    all_facts = vacancy_facts(Vacancy.objects.filter(pk__in=checked))
    for chunk, _ in candidate_facts_chunks(Candidate.objects.visible(), day=day):
        for vacancy in all_facts:
            for result in evaluate_vacancy(vacancy, chunk, facts):
                short = compact(result)
                if result.outcome is Outcome.CONDITIONAL and (short.score_cents or 0) < floors[vacancy.id]:
                    continue  # a near-miss below the vacancy's floor (ADR 0008)
                score = Decimal(short.score_cents or 0) / 100
                fresh[vacancy.id][result.candidate_id] = (
                    result.outcome.value,
                    score,
                    short.reason_bits,
                    short.route_bits,
                )
    for pk, stored in checked.items():
        expected = fresh.get(pk, {})
        for candidate_id in sorted(stored.keys() | expected.keys()):
            if candidate_id in failed_candidates:
                continue
            have, want = stored.get(candidate_id), expected.get(candidate_id)
            if have != want:
                problems.append(
                    f"vacancy {pk}: candidate {candidate_id} stored {_shown(have)}, fresh {_shown(want)}"
                )
    problems += _jobs(now)
    return problems
