"""Generate, detect and remove the synthetic demo data set.

Demo rows are recognised by markers, never by a list of ids, so ``reset`` finds them from any earlier
run: candidates by their ``DEMO-`` external id, employers by their ``1999.`` enterprise numbers, logins
by their reserved e-mail domain. Reference data (projects, partners, occupations) is never touched.

Running twice is safe: when demo data is present the generator writes nothing and says so (only the
logins are refreshed); ``reset=True`` removes the old set first, in the same transaction. The demo
cases (``cases``) and funnel targets (``targets``) follow the commit, each written only when missing.
"""

import random
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from celery import current_app
from django.db import models, transaction
from django.db.models import F, ForeignObjectRel

from candidates.models import (
    Candidate,
    CandidateSkill,
    Consent,
    Diploma,
    LanguageProficiency,
    Licence,
    RecognitionStep,
    RecruitmentCost,
    TrainingEnrolment,
    WorkExperience,
)
from core.models import Organisation, User
from demo.bulk import BulkWriter
from demo.candidate_login import upsert_demo_candidate_login
from demo.cases import seed_demo_cases
from demo.compliance import draft_paperwork
from demo.context import DemoContext, load_context
from demo.duplicates import TWIN_SUFFIX, seed_demo_duplicates
from demo.employers import (
    DEMO_EMAIL_DOMAIN,
    DEMO_ENTERPRISE_PREFIX,
    MAX_EMPLOYERS,
    plan_employers,
    upsert_demo_logins,
)
from demo.pathways import seed_demo_pathways
from demo.people import DEMO_EXTERNAL_PREFIX, CandidateDraft, draft_candidate
from demo.targets import seed_funnel_targets
from demo.vacancies import VacancyFact, generate_vacancies
from recruitment.services import matches_queue_stale
from vacancies.models import Vacancy

# Candidates are drawn, written and forgotten in chunks: memory stays flat at any scale.
CHUNK_SIZE = 5_000


@dataclass(frozen=True)
class DemoScale:
    """How much to generate; also what ``demo_present`` reports, so a re-run can tell "same scale"."""

    candidates: int
    vacancies: int
    employers: int

    def __post_init__(self) -> None:
        if self.candidates < 0 or self.vacancies < 0:
            raise ValueError("counts cannot be negative")
        if not 1 <= self.employers <= MAX_EMPLOYERS:
            raise ValueError(f"employers must be between 1 and {MAX_EMPLOYERS}")


@dataclass
class DemoReport:
    """What a run did, for the command to print."""

    generated: bool
    message: str
    counts: dict[str, int] = field(default_factory=dict)
    deleted: dict[str, int] = field(default_factory=dict)
    timings: list[tuple[str, float]] = field(default_factory=list)
    logins: list[str] = field(default_factory=list)
    skipped_logins: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    matching: str = ""
    cases: list[str] = field(default_factory=list)  # the demo cases made, one line each


def demo_candidates() -> models.QuerySet[Candidate]:
    """Candidates this generator wrote: no partner uses the ``DEMO-`` prefix for real people."""
    return Candidate.objects.filter(external_id__startswith=DEMO_EXTERNAL_PREFIX)


def demo_employers() -> models.QuerySet[Organisation]:
    """Employers this generator wrote, by their enterprise-number block (see ``employers``)."""
    return Organisation.objects.filter(
        kind=Organisation.Kind.EMPLOYER, enterprise_number__startswith=DEMO_ENTERPRISE_PREFIX
    )


def demo_present() -> DemoScale | None:
    """The scale of the demo data in the database, or None when there is none."""
    candidates = demo_candidates().exclude(external_id__endswith=TWIN_SUFFIX).count()  # a story, not scale
    employers = demo_employers().count()
    if not candidates and not employers:
        return None
    vacancies = Vacancy.objects.filter(employer__in=demo_employers()).count()
    return DemoScale(candidates=candidates, vacancies=vacancies, employers=max(employers, 1))


@transaction.atomic
def reset_demo_data() -> dict[str, int]:
    """Delete every demo row (logins, candidates with their children, vacancies, employers)."""
    deleted: Counter[str] = Counter()
    deleted.update(User.objects.filter(email__endswith=f"@{DEMO_EMAIL_DOMAIN}").delete()[1])
    deleted.update(_delete_tree(demo_candidates()))
    employers = demo_employers()
    deleted.update(_delete_tree(Vacancy.objects.filter(employer__in=employers)))
    # Few rows, and relations that set null (costs, verified skills): Django's own delete.
    deleted.update(employers.delete()[1])
    return {label: count for label, count in deleted.items() if count}


def _delete_tree(queryset: models.QuerySet[Any]) -> Counter[str]:
    """Delete ``queryset`` and what cascades from it with one statement per table.

    Django's collector loads every row it deletes (over 20 s for 100,000 candidates). Here each table
    pointing at the rows is emptied with one ``DELETE ... WHERE fk IN (subquery)``, recursively, then the
    rows themselves. When a relation is not CASCADE (SET_NULL, PROTECT), Django's delete takes over,
    so the outcome is the same as ``queryset.delete()``, only faster.
    """
    meta = queryset.model._meta
    relations = [
        field
        for field in meta.get_fields(include_hidden=True)
        if isinstance(field, ForeignObjectRel)
        and field.auto_created
        and (field.one_to_many or field.one_to_one)
    ]
    if any(relation.on_delete is not models.CASCADE for relation in relations):
        return Counter(queryset.delete()[1])
    deleted: Counter[str] = Counter()
    for relation in relations:
        children = relation.related_model._base_manager.filter(**{f"{relation.field.name}__in": queryset})
        deleted.update(_delete_tree(children))
    deleted[meta.label] += queryset._raw_delete(queryset.db)
    return deleted


class _Timer:
    def __init__(self, progress: Callable[[str], None] | None) -> None:
        self.timings: list[tuple[str, float]] = []
        self.progress = progress

    @contextmanager
    def phase(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        yield
        elapsed = time.perf_counter() - started
        self.timings.append((name, elapsed))
        if self.progress:
            self.progress(f"  {name}: {elapsed:.1f} s")


def seed_demo(
    *,
    scale: DemoScale,
    seed: int,
    reset: bool = False,
    recompute: bool = True,
    progress: Callable[[str], None] | None = None,
) -> DemoReport:
    """Generate the demo data set at ``scale`` from ``seed``; see the module docstring for re-runs."""
    timer = _Timer(progress)
    with transaction.atomic():
        deleted: dict[str, int] = {}
        if reset:
            with timer.phase("reset"):
                deleted = reset_demo_data()
        present = demo_present()
        if present is not None:
            employer_ids = list(demo_employers().order_by("enterprise_number").values_list("id", flat=True))
            context = load_context()
            written, skipped = upsert_demo_logins(
                organisations=context.organisations, employer_ids=employer_ids
            )
            same = present == scale
            message = (
                f"Demo data already present ({present.candidates} candidates, {present.vacancies} vacancies, "
                f"{present.employers} employers): "
                + ("nothing to do." if same else "a different scale; run with --reset to regenerate.")
            )
            report = DemoReport(
                generated=False,
                message=message,
                logins=written,
                skipped_logins=skipped,
                warnings=context.warnings,
            )
        else:
            with timer.phase("reference data read"):
                context = load_context()
            writer = BulkWriter()
            report = _generate(scale=scale, seed=seed, context=context, writer=writer, timer=timer)
            report.deleted = deleted
            report.matching = _queue_matches(recompute=recompute)
    # After the commit, when the matches queued above exist (computed eagerly, or by the workers): the
    # cases start from matches. Each part writes only what is missing, so a demo generated before the
    # cases existed gets them on the next run, and a complete demo gets nothing.
    with timer.phase("cases, notes, interview slots"):
        cases = seed_demo_cases()
    with timer.phase("funnel targets"):
        targets = seed_funnel_targets(context)
    for label, count in {**cases.counts, "projects.FunnelTarget": targets}.items():
        if count:
            report.counts[label] = report.counts.get(label, 0) + count
    report.cases = cases.made
    with timer.phase("a person registered twice"):
        if seed_demo_duplicates():
            report.counts["duplicates.twin"] = report.counts.get("duplicates.twin", 0) + 1
    with timer.phase("labour-mobility pathways"):
        for label, count in seed_demo_pathways().items():
            if count:
                report.counts[label] = report.counts.get(label, 0) + count
    # The candidate login needs a candidate with a case: after the cases.
    candidate_login = upsert_demo_candidate_login()
    if candidate_login is not None:
        report.logins.append(candidate_login)
    report.warnings += cases.warnings
    report.timings = timer.timings
    return report


def _queue_matches(*, recompute: bool) -> str:
    """Queue one recompute per new vacancy (they start stale); they run after commit: in this process
    without a broker (the vectorised engine: minutes at 100,000 candidates, docs/adr/0008), else fanned
    out over the workers.

    The candidates are stamped as matched: every vacancy job evaluates all of them, so a job per
    candidate on top would compute the same pairs again.
    """
    demo_candidates().update(matched_version=F("profile_version"))
    if not recompute:
        return (
            "Matches not computed (--no-recompute): run `manage.py recompute_matches --stale --sync`, "
            "or start a worker and beat."
        )
    jobs = matches_queue_stale()
    where = "computed now" if current_app.conf.task_always_eager else "queued for the workers"
    return f"Matches: {len(jobs)} vacancy recompute(s) {where}."


def _generate(
    *, scale: DemoScale, seed: int, context: DemoContext, writer: BulkWriter, timer: _Timer
) -> DemoReport:
    with timer.phase("employers"):
        plans = plan_employers(scale.employers, seed, context)
        writer.insert(Organisation, [plan.organisation for plan in plans])
    employer_ids = [plan.organisation.pk for plan in plans]
    with timer.phase("vacancies"):
        facts = generate_vacancies(
            count=scale.vacancies, seed=seed, context=context, employers=plans, writer=writer
        )
    recipients = _recipients(facts, employer_ids)
    incidents = _incidents(seed, scale.candidates)
    with timer.phase("candidates"):
        for start in range(0, scale.candidates, CHUNK_SIZE):
            indexes = range(start, min(scale.candidates, start + CHUNK_SIZE))
            drafts = [draft_candidate(index, seed, context) for index in indexes]
            _write_candidates(
                drafts, seed=seed, context=context, recipients=recipients, incidents=incidents, writer=writer
            )
            if timer.progress and scale.candidates > CHUNK_SIZE:
                timer.progress(f"    {indexes.stop:,} / {scale.candidates:,} candidates")
    with timer.phase("logins"):
        written, skipped = upsert_demo_logins(organisations=context.organisations, employer_ids=employer_ids)
    return DemoReport(
        generated=True,
        message=(
            f"Generated {scale.candidates} candidates, {scale.vacancies} vacancies, "
            f"{scale.employers} employers."
        ),
        counts=dict(sorted(writer.counts.items())),
        logins=written,
        skipped_logins=skipped,
        warnings=context.warnings,
    )


def _recipients(facts: list[VacancyFact], employer_ids: list[int]) -> dict[str, list[int]]:
    """Employers a candidate of each family may share a profile with: those posting such vacancies."""
    recipients: dict[str, list[int]] = {"*": employer_ids}
    for fact in facts:
        ids = recipients.setdefault(fact.family, [])
        if employer_ids[fact.employer_index] not in ids:
            ids.append(employer_ids[fact.employer_index])
    return recipients


def _incidents(seed: int, candidates: int) -> frozenset[int]:
    """The one or two candidates who paid a recruitment cost themselves: rare on purpose."""
    if candidates == 0:
        return frozenset()
    return frozenset(
        random.Random(f"{seed}-incidents").sample(range(candidates), 1 if candidates < 10 else 2)
    )


def _write_candidates(
    drafts: list[CandidateDraft],
    *,
    seed: int,
    context: DemoContext,
    recipients: dict[str, list[int]],
    incidents: frozenset[int],
    writer: BulkWriter,
) -> None:
    writer.insert(Candidate, [draft.candidate for draft in drafts])
    desired = Candidate.desired_occupations.through
    diplomas: list[Diploma] = []
    steps: list[RecognitionStep] = []
    languages: list[LanguageProficiency] = []
    experiences: list[WorkExperience] = []
    skills: list[CandidateSkill] = []
    licences: list[Licence] = []
    consents: list[Consent] = []
    costs: list[RecruitmentCost] = []
    enrolments: list[TrainingEnrolment] = []
    links = []
    for draft in drafts:
        candidate_id = draft.candidate.pk
        paperwork = draft_paperwork(
            draft, seed=seed, context=context, recipients=recipients, incident=draft.index in incidents
        )
        for group in (
            draft.languages,
            draft.experiences,
            draft.skills,
            draft.licences,
            paperwork.consents,
            paperwork.costs,
            paperwork.enrolments,
        ):
            for row in group:
                row.candidate_id = candidate_id
        languages += draft.languages
        experiences += draft.experiences
        skills += draft.skills
        licences += draft.licences
        consents += paperwork.consents
        costs += paperwork.costs
        enrolments += paperwork.enrolments
        for diploma, _ in draft.diplomas:
            diploma.candidate_id = candidate_id
            diplomas.append(diploma)
        links += [desired(candidate_id=candidate_id, escooccupation_id=pk) for pk in draft.desired_ids]
    writer.insert(Diploma, diplomas)
    for draft in drafts:
        for diploma, diploma_steps in draft.diplomas:
            for step in diploma_steps:
                step.diploma_id = diploma.pk
                steps.append(step)
    for model, rows in (
        (RecognitionStep, steps),
        (LanguageProficiency, languages),
        (WorkExperience, experiences),
        (CandidateSkill, skills),
        (Licence, licences),
        (Consent, consents),
        (RecruitmentCost, costs),
        (TrainingEnrolment, enrolments),
        (desired, links),
    ):
        writer.insert(model, rows)
