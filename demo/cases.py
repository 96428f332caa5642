"""Demo placements: cases at every stage for the two demo employer logins, with notes and interview slots.

The cases are made the way people make them: the candidate's partner records a consent to share the
profile with the employer (``candidates.services.profiles.candidate_update``, the partner API's path),
the demo recruiter shortlists and proposes through ``recruitment.services.placements``, the demo
employer decides, and the recruiter moves each case on. Every rule of the workflow holds: a regulated
occupation goes through diploma recognition, a decline carries a reason.

Only afterwards are the dates moved into the past (``_backdate``), because the services stamp every
move with the current time: without it every case would have changed "just now", no proposal would be
overdue and no permit would be pending for long, and the dashboard would have nothing to show. This
is the one place that rewrites history, and it does so for demo rows only.

Which vacancy and candidate play each case is fixed by the data (matches ranked by outcome and score,
ties by the candidate's external id), so the same seed and scale give the same cases. Dates are relative
to the day the command runs, so a proposal is overdue whenever the demo is started. With few matches
(a small test scale) the cases that can be made are made, in the order of ``CASES``.
"""

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation

from candidates.models import Candidate, Consent
from candidates.services.profiles import ProfileInput, candidate_update
from core.models import Organisation, User
from demo.employers import DEMO_EMAIL_DOMAIN, DEMO_ENTERPRISE_PREFIX, demo_email
from recruitment.models import (
    CandidateNote,
    DecisionReason,
    InterviewSlot,
    Match,
    Placement,
    PlacementTransition,
)
from recruitment.services import vacancy_matches_recompute
from recruitment.services.placements import (
    DEFAULT_RESPONSE_DAYS,
    PlacementError,
    placement_move,
    placement_propose,
    placement_shortlist,
)
from recruitment.workflow import EMPLOYER_MOVES, Stage
from vacancies.models import Vacancy

S = Stage
CONSENT_TEXT_VERSION = "2026-01"
CONSENT_VALIDITY = datetime.timedelta(days=730)


@dataclass(frozen=True)
class Step:
    stage: Stage
    days_ago: int  # when the move happened, counted back from the day of the run
    reason: str = ""
    comment: str = ""


@dataclass(frozen=True)
class CaseSpec:
    """One demo case: for which employer login (0 = "employer", 1 = "employer2"), and its moves."""

    key: str
    employer: int
    steps: tuple[Step, ...]
    # The employer's answer deadline, in days from today (negative: overdue); None: the default.
    due_in_days: int | None = None
    regulated: bool = False  # wants a vacancy of a regulated occupation (a nurse: diploma recognition)
    note: str = ""
    interview_slots: bool = False
    # Played by a candidate of the "partner" login's organisation when one matches, so that login has
    # cases to follow too.
    partner: bool = False


def _walk(*moves: tuple[Stage, int]) -> tuple[Step, ...]:
    return tuple(Step(stage, days) for stage, days in moves)


def _through(last: Stage, days: list[int]) -> tuple[Step, ...]:
    """The usual road from the shortlist to ``last``, one date per step (oldest first)."""
    road = [
        S.SHORTLISTED,
        S.PROPOSED,
        S.EMPLOYER_INTERESTED,
        S.INTERVIEW,
        S.OFFER,
        S.OFFER_ACCEPTED,
        S.PERMIT_FILED,
        S.PERMIT_GRANTED,
        S.VISA,
        S.ARRIVED,
        S.STARTED,
        S.EMPLOYED_6M,
    ]
    stages = road[: road.index(last) + 1]
    if len(stages) != len(days):
        raise ValueError(f"{last}: {len(stages)} stages, {len(days)} dates")
    return _walk(*zip(stages, days, strict=True))


# In order of importance: with few matches (a small scale) the first ones are made first. The free text
# below is what a recruiter or an employer would type (content, not interface: it is not translated).
CASES: tuple[CaseSpec, ...] = (
    CaseSpec(
        "proposed_overdue",
        0,
        _walk((S.SHORTLISTED, 20), (S.PROPOSED, 18)),
        due_in_days=-4,
        note="Called the employer about this proposal: they promised an answer this week.",
    ),
    CaseSpec("proposed", 0, _walk((S.SHORTLISTED, 4), (S.PROPOSED, 3)), due_in_days=7, partner=True),
    CaseSpec("shortlisted", 0, _walk((S.SHORTLISTED, 2))),
    CaseSpec("proposed_employer2", 1, _walk((S.SHORTLISTED, 6), (S.PROPOSED, 5)), due_in_days=5),
    CaseSpec("shortlisted_employer2", 1, _walk((S.SHORTLISTED, 1))),
    CaseSpec("shortlisted_second", 0, _walk((S.SHORTLISTED, 1))),
    CaseSpec(
        "interview",
        0,
        _through(S.INTERVIEW, [35, 33, 28, 21]),
        interview_slots=True,
        partner=True,
        note="Prefers a video interview in the morning (time difference).",
    ),
    CaseSpec("interested", 0, _through(S.EMPLOYER_INTERESTED, [25, 24, 20])),
    CaseSpec(
        "declined",
        1,
        (
            *_walk((S.SHORTLISTED, 30), (S.PROPOSED, 29)),
            Step(
                S.EMPLOYER_DECLINED,
                22,
                DecisionReason.LANGUAGE,
                "Dutch at A2 is too low for contact with our clients; please propose again after B1.",
            ),
        ),
    ),
    CaseSpec("offer", 1, _through(S.OFFER, [60, 58, 52, 45, 12])),
    CaseSpec("offer_accepted", 0, _through(S.OFFER_ACCEPTED, [70, 68, 60, 50, 20, 9]), partner=True),
    CaseSpec(
        "recognition",
        1,
        (*_through(S.OFFER_ACCEPTED, [130, 128, 120, 110, 100, 95]), Step(S.RECOGNITION, 80)),
        regulated=True,
        note="NARIC file complete; waiting for the decision on the nursing diploma.",
    ),
    CaseSpec(
        "permit_pending_longest",
        0,
        _through(S.PERMIT_FILED, [210, 205, 198, 190, 180, 172, 150]),
        note="Asked the Department of Work and Social Economy why the permit takes this long.",
    ),
    CaseSpec("permit_filed", 1, _through(S.PERMIT_FILED, [90, 88, 80, 72, 60, 50, 20])),
    CaseSpec("permit_granted", 1, _through(S.PERMIT_GRANTED, [200, 196, 190, 182, 170, 165, 120, 30])),
    CaseSpec("arrived", 0, _through(S.ARRIVED, [260, 255, 248, 240, 230, 225, 200, 110, 80, 10])),
    CaseSpec(
        "started", 1, _through(S.STARTED, [300, 295, 288, 280, 270, 262, 240, 150, 120, 60, 45]), partner=True
    ),
    CaseSpec(
        "employed_6m",
        0,
        _through(S.EMPLOYED_6M, [480, 475, 468, 460, 450, 440, 420, 340, 310, 250, 200, 15]),
    ),
    CaseSpec(
        "ended",
        0,
        (
            *_through(S.STARTED, [400, 396, 390, 380, 370, 362, 340, 260, 230, 180, 150]),
            Step(
                S.ENDED,
                40,
                DecisionReason.RESIGNED,
                "Moved to another employer in Antwerp after four months.",
            ),
        ),
    ),
)

PROPOSAL_MESSAGE = (
    "A good match for this vacancy: see the explanation on the profile. The candidate can start after "
    "the single permit; the partner agency helps with the move."
)
INTERVIEW_PLACE = "On site, {municipality}: ask for the HR department at the reception."


@dataclass
class CasesReport:
    """What the case seeding did, for the command's report."""

    counts: dict[str, int] = field(default_factory=dict)
    made: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Actors:
    recruiter: User
    employers: dict[int, User]  # organisation id -> the demo login of that employer


def login_employer_ids() -> list[int]:
    """The organisations of the "employer" and "employer2" logins: the first two demo employers."""
    return list(
        Organisation.objects.filter(
            kind=Organisation.Kind.EMPLOYER, enterprise_number__startswith=DEMO_ENTERPRISE_PREFIX
        )
        .order_by("enterprise_number")
        .values_list("id", flat=True)[:2]
    )


def demo_cases_present(employer_ids: Iterable[int]) -> bool:
    return Placement.objects.filter(vacancy__employer_id__in=list(employer_ids)).exists()


def _actors(employer_ids: list[int]) -> _Actors | None:
    users = {
        u.username: u
        for u in User.objects.filter(
            email__endswith=f"@{DEMO_EMAIL_DOMAIN}", is_active=True, organisation__isnull=False
        )
    }
    recruiter = next(
        (
            users[name]
            for name in ("recruiter", "coordinator", "admin")
            if name in users and users[name].email == demo_email(name)
        ),
        None,
    )
    if recruiter is None:
        return None
    employers: dict[int, User] = {}
    for name in ("employer", "employer2"):
        user = users.get(name)
        if user is not None and user.organisation_id is not None and user.organisation_id in employer_ids:
            employers[user.organisation_id] = user
    return _Actors(recruiter=recruiter, employers=employers)


def _partner_organisation_id() -> int | None:
    return (
        User.objects.filter(username="partner", email=demo_email("partner"))
        .values_list("organisation_id", flat=True)
        .first()
    )


def _vacancies(employer_ids: list[int]) -> list[Vacancy]:
    return list(
        Vacancy.objects.filter(employer_id__in=employer_ids, status=Vacancy.Status.PUBLISHED)
        .select_related("employer", "occupation")
        .order_by("pk")
    )


def _ensure_matches(vacancies: list[Vacancy]) -> None:
    """Matches of the login employers' vacancies, computed here when no worker has done it yet (with a
    broker the recomputes queued by the generator may still be waiting). A no-op when up to date."""
    for vacancy in vacancies:
        vacancy_matches_recompute(vacancy_id=vacancy.pk)


class _Picker:
    """Chooses a vacancy and a matched candidate for each case, each candidate at most once."""

    def __init__(self, vacancies: list[Vacancy], employer_ids: list[int], partner_id: int | None) -> None:
        self.employer_ids = employer_ids
        self.vacancies = vacancies
        self.used: set[int] = set()
        self.turn: dict[int, int] = defaultdict(int)  # employer id -> next vacancy to try (round robin)
        ranked = (
            Match.objects.filter(vacancy__in=vacancies, candidate__status=Candidate.Status.ACTIVE)
            .order_by("vacancy_id")
            .values_list(
                "vacancy_id",
                "candidate_id",
                "outcome",
                "score",
                "candidate__external_id",
                "candidate__registered_by_id",
            )
        )
        by_vacancy: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
        self.partners: set[int] = set()  # candidates of the partner login's organisation
        for vacancy_id, candidate_id, outcome, score, external_id, registered_by_id in ranked:
            by_vacancy[vacancy_id].append(
                (outcome != Match.Outcome.ELIGIBLE, -score, external_id, candidate_id)
            )
            if registered_by_id == partner_id:
                self.partners.add(candidate_id)
        self.ranked = {pk: [row[-1] for row in sorted(rows)] for pk, rows in by_vacancy.items()}
        # A candidate who withdrew a consent to share with an employer said no to it: never proposed there.
        self.refused = set(
            Consent.objects.filter(
                purpose=Consent.Purpose.SHARE_WITH_EMPLOYER,
                recipient_id__in=employer_ids,
                withdrawn_at__isnull=False,
            ).values_list("candidate_id", "recipient_id")
        )

    def _free(self, vacancy: Vacancy, *, partner: bool) -> int | None:
        free = [
            pk
            for pk in self.ranked.get(vacancy.pk, [])
            if pk not in self.used and (pk, vacancy.employer_id) not in self.refused
        ]
        if partner:
            free = [pk for pk in free if pk in self.partners] + free
        return free[0] if free else None

    def pick(self, spec: CaseSpec) -> tuple[Vacancy, int] | None:
        preferred = self.employer_ids[min(spec.employer, len(self.employer_ids) - 1)]
        order = [preferred] + [pk for pk in self.employer_ids if pk != preferred]
        groups: list[list[Vacancy]] = []
        for employer_id in order:
            own = [v for v in self.vacancies if v.employer_id == employer_id]
            start = self.turn[employer_id] % len(own) if own else 0
            rotated = own[start:] + own[:start]
            if spec.regulated:
                groups.append([v for v in rotated if v.occupation.is_regulated])
            groups.append([v for v in rotated if not v.occupation.is_regulated or spec.regulated])
            groups.append(rotated)
        for group in groups:
            for vacancy in group:
                candidate_id = self._free(vacancy, partner=spec.partner)
                if candidate_id is not None:
                    self.used.add(candidate_id)
                    own = [v for v in self.vacancies if v.employer_id == vacancy.employer_id]
                    self.turn[vacancy.employer_id] = own.index(vacancy) + 1
                    return vacancy, candidate_id
        return None


def _steps_for(spec: CaseSpec, vacancy: Vacancy) -> list[Step]:
    """The case's moves; a regulated occupation cannot file a permit before the diploma is recognised
    (domain.md 4.4), so such a case gets the recognition step the workflow demands."""
    steps = list(spec.steps)
    if vacancy.occupation.is_regulated and all(step.stage != S.RECOGNITION for step in steps):
        for index, step in enumerate(steps):
            if step.stage == S.PERMIT_FILED:
                before = steps[index - 1].days_ago
                steps.insert(index, Step(S.RECOGNITION, (before + step.days_ago) // 2))
                break
    return steps


def _ensure_consent(candidate: Candidate, employer_id: int, granted: datetime.datetime) -> None:
    """The candidate's consent to share the profile with the employer, recorded as the partner would
    record it through the API: the list of consents in force, plus the new one."""
    sharing = {"purpose": Consent.Purpose.SHARE_WITH_EMPLOYER, "recipient_id": employer_id}
    if Consent.objects.in_force().filter(candidate=candidate, **sharing).exists():
        return
    # An open but expired consent for the same employer is renewed: the service withdraws it and records
    # the new one after it.
    open_consents = [
        c
        for c in candidate.consents.filter(withdrawn_at__isnull=True)
        if (c.purpose, c.recipient_id) != (Consent.Purpose.SHARE_WITH_EMPLOYER, employer_id)
    ]
    rows: list[dict[str, Any]] = [
        {
            "purpose": c.purpose,
            "recipient_id": c.recipient_id,
            "countries": c.countries,
            "text_version": c.text_version,
            "channel": c.channel,
            "granted_at": c.granted_at,
            "expires_at": c.expires_at,
        }
        for c in open_consents
    ]
    rows.append(
        {
            **sharing,
            "countries": ["BE"],
            "text_version": CONSENT_TEXT_VERSION,
            "channel": "partner_api",
            "granted_at": granted,
            "expires_at": granted + CONSENT_VALIDITY,
        }
    )
    candidate_update(candidate=candidate, profile=ProfileInput(consents=rows))


def _play(
    spec: CaseSpec, steps: list[Step], vacancy: Vacancy, candidate: Candidate, actors: _Actors
) -> Placement:
    """Make the case's moves through the services, as the recruiter and the employer would."""
    recruiter = actors.recruiter
    employer = actors.employers.get(vacancy.employer_id, recruiter)
    placement = placement_shortlist(vacancy=vacancy, candidate=candidate, actor=recruiter)
    previous = S.SHORTLISTED
    for step in steps[1:]:
        if step.stage == S.PROPOSED:
            placement = placement_propose(
                placement=placement,
                actor=recruiter,
                expected_version=placement.version,
                message=PROPOSAL_MESSAGE,
            )
        else:
            actor = employer if (previous, step.stage) in EMPLOYER_MOVES else recruiter
            placement = placement_move(
                placement=placement,
                to_stage=step.stage,
                actor=actor,
                expected_version=placement.version,
                reason=step.reason,
                comment=step.comment,
            )
        previous = step.stage
    return placement


def _at(now: datetime.datetime, days_ago: int, minute: int = 0) -> datetime.datetime:
    return now - datetime.timedelta(days=days_ago, minutes=minute)


def _backdate(placement: Placement, steps: list[Step], spec: CaseSpec, now: datetime.datetime) -> None:
    """Give the case the dates of its story (see the module docstring: demo data only).

    The services stamp each move "now"; the dashboard's overdue answers and longest-pending permits only
    exist once these dates lie in the past, so they are rewritten here, after the moves.
    """
    moves = list(PlacementTransition.objects.filter(placement=placement).order_by("at", "pk"))
    when: dict[str, datetime.datetime] = {}
    for index, (move, step) in enumerate(zip(moves, steps, strict=True)):
        at = _at(now, step.days_ago, minute=len(steps) - index)
        PlacementTransition.objects.filter(pk=move.pk).update(at=at)
        when[step.stage] = at
    fields: dict[str, Any] = {
        "created_at": when[S.SHORTLISTED],
        "stage_changed_at": when[steps[-1].stage],
    }
    if S.PROPOSED in when:
        fields["proposed_at"] = when[S.PROPOSED]
        if spec.due_in_days is not None:
            fields["response_due_on"] = timezone.localdate(now) + datetime.timedelta(days=spec.due_in_days)
        else:
            fields["response_due_on"] = timezone.localdate(when[S.PROPOSED]) + datetime.timedelta(
                days=DEFAULT_RESPONSE_DAYS
            )
    if S.EMPLOYER_INTERESTED in when:
        fields["identity_revealed_at"] = when[S.EMPLOYER_INTERESTED]
    Placement.objects.filter(pk=placement.pk).update(**fields)


def _interview_slots(placement: Placement, actors: _Actors, invited: datetime.datetime) -> int:
    """Slots the employer offered: one the candidate could not make, two still open for the recruiter."""
    proposer = actors.employers.get(placement.vacancy.employer_id, actors.recruiter)
    local = timezone.localtime(invited).replace(hour=10, minute=0, second=0, microsecond=0)
    today = timezone.localtime().replace(hour=10, minute=0, second=0, microsecond=0)
    place = INTERVIEW_PLACE.format(municipality=placement.vacancy.municipality)
    slots = [
        InterviewSlot(
            placement=placement,
            starts_at=local + datetime.timedelta(days=3),
            mode=InterviewSlot.Mode.VIDEO,
            location="Video link sent by e-mail the day before",
            status=InterviewSlot.Status.DECLINED,
            proposed_by=proposer,
            answered_by=actors.recruiter,
            answered_at=invited + datetime.timedelta(days=1),
        ),
        InterviewSlot(
            placement=placement,
            starts_at=today + datetime.timedelta(days=4),
            duration_minutes=45,
            mode=InterviewSlot.Mode.VIDEO,
            location="Video link sent by e-mail the day before",
            proposed_by=proposer,
        ),
        InterviewSlot(
            placement=placement,
            starts_at=today + datetime.timedelta(days=6, hours=4),
            duration_minutes=90,
            mode=InterviewSlot.Mode.ON_SITE,
            location=place,
            proposed_by=proposer,
        ),
    ]
    InterviewSlot.objects.bulk_create(slots)
    InterviewSlot.objects.filter(placement=placement).update(created_at=invited)
    return len(slots)


def _note(placement: Placement, body: str, author: User, at: datetime.datetime) -> None:
    note = CandidateNote.objects.create(
        candidate=placement.candidate, placement=placement, author=author, body=body
    )
    CandidateNote.objects.filter(pk=note.pk).update(created_at=at)


def seed_demo_cases(*, progress: Callable[[str], None] | None = None) -> CasesReport:
    """Seed the demo cases once: nothing when the login employers already have a case (idempotent)."""
    # The report is for the operator running the command, in English like the rest of its output.
    with translation.override("en"):
        return _seed_cases(progress)


def _seed_cases(progress: Callable[[str], None] | None) -> CasesReport:
    report = CasesReport()
    employer_ids = login_employer_ids()
    if not employer_ids:
        return report
    if demo_cases_present(employer_ids):
        return report
    actors = _actors(employer_ids)
    if actors is None:
        report.warnings.append("No demo recruiter login: the demo cases were not made.")
        return report
    vacancies = _vacancies(employer_ids)
    _ensure_matches(vacancies)
    picker = _Picker(vacancies, employer_ids, _partner_organisation_id())
    now = timezone.now()
    counts: dict[str, int] = defaultdict(int)
    unmatched: list[str] = []
    with transaction.atomic():
        for spec in CASES:
            picked = picker.pick(spec)
            if picked is None:
                unmatched.append(spec.key)
                continue
            vacancy, candidate_id = picked
            candidate = Candidate.objects.select_related("registered_by").get(pk=candidate_id)
            steps = _steps_for(spec, vacancy)
            try:
                with transaction.atomic():
                    _ensure_consent(candidate, vacancy.employer_id, _at(now, steps[0].days_ago + 3))
                    placement = _play(spec, steps, vacancy, candidate, actors)
                    _backdate(placement, steps, spec, now)
            except (PlacementError, ValidationError) as exc:
                report.warnings.append(f"Demo case {spec.key!r} not made: {'; '.join(exc.messages)}")
                continue
            counts["recruitment.Placement"] += 1
            counts["recruitment.PlacementTransition"] += len(steps)
            stages = {step.stage: step for step in steps}
            if spec.interview_slots and S.INTERVIEW in stages:
                counts["recruitment.InterviewSlot"] += _interview_slots(
                    placement, actors, _at(now, stages[S.INTERVIEW].days_ago)
                )
            if spec.note:
                written = min(now, _at(now, steps[-1].days_ago) + datetime.timedelta(hours=20))
                _note(placement, spec.note, actors.recruiter, written)
                counts["recruitment.CandidateNote"] += 1
            report.made.append(f"{spec.key}: {steps[-1].stage} ({vacancy.employer.name})")
    if unmatched:
        report.warnings.append(
            f"{len(unmatched)} demo case(s) not made, too few matched candidates at this scale: "
            + ", ".join(unmatched)
        )
    if progress:
        progress(f"  cases: {len(report.made)} of {len(CASES)}")
    report.counts = dict(counts)
    return report
