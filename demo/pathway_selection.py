"""Demo data of the selection pathway (docs/pathways/selection.md): written only where missing, so a
second run adds nothing.

Palim's story at demo scale: an online test (pass mark 50) and a selection mission on site for the first
PALIM candidates; the job dating planned in Morocco for March 2020, cancelled, its record kept; an online
job dating after the anchor date with the demo employer invited and the candidates who passed and
consent to share with it; some of them with a video-CV link and its consent for that employer.
Deterministic: scores come from the candidate's rank, dates from the anchor date, never the clock.
"""

import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import F

from candidates.models import Candidate, Consent
from candidates.services import candidates_recompute_queue
from core.models import User
from demo.compliance import CONSENT_TEXT_VERSION
from demo.context import ANCHOR_DATE
from projects.models import Project
from selection.models import JobDating, JobDatingInvitation, SelectionResult, SelectionStep, Verdict

PROJECT_CODE = "palim"
DEMO_EMPLOYER_LOGIN = "employer"
CANDIDATES = 12  # the first PALIM candidates by id: enough to show a funnel on one page
PASS_MARK = Decimal("50")
TEST_NAME = "Online test"
MISSION_NAME = "Selection mission in Morocco"
CANCELLED_NAME = "Job dating Morocco (March 2020)"
CANCELLED_REASON = (
    "Cancelled because of the COVID-19 pandemic; replaced by a website where candidates presented "
    "themselves in a short video CV (seed document; Vlaams Parlement 2021a)."
)
ONLINE_NAME = "Online job dating PALIM"
VIDEO_BASE = "https://video.example.org/palim/"  # example.org: never a real person's video


def _at(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(10), tzinfo=datetime.UTC)


def _step(
    project: Project, position: int, name: str, kind: str, pass_mark: Decimal | None
) -> tuple[SelectionStep, int]:
    step, created = SelectionStep.objects.get_or_create(
        project=project, name=name, defaults={"position": position, "kind": kind, "pass_mark": pass_mark}
    )
    return step, int(created)


def _consent(candidate: Candidate, purpose: str, employer_id: int, granted: datetime.datetime) -> int:
    if (
        Consent.objects.in_force()
        .filter(candidate=candidate, purpose=purpose, recipient_id=employer_id)
        .exists()
    ):
        return 0
    if Consent.objects.filter(
        candidate=candidate, purpose=purpose, recipient_id=employer_id, withdrawn_at__isnull=True
    ).exists():
        return 0  # an open consent not in force (expired): left as the generator wrote it
    Consent.objects.create(
        candidate=candidate,
        purpose=purpose,
        recipient_id=employer_id,
        countries=["BE"],
        text_version=CONSENT_TEXT_VERSION,
        channel="form",
        granted_at=granted,
    )
    return 1


def _employer_invited(event: JobDating, employer_id: int) -> int:
    """Invite the demo employer to ``event`` when it is not (any other employer stays); 1 if added."""
    if event.employers.filter(pk=employer_id).exists():
        return 0
    event.employers.add(employer_id)
    return 1


def candidates_mark_changed(candidate_ids: set[int]) -> set[int]:
    """Bump the profile version of these candidates (what ``candidate_profile_changed`` does one by one)."""
    Candidate.objects.filter(pk__in=candidate_ids).update(profile_version=F("profile_version") + 1)
    return candidate_ids


@transaction.atomic
def seed_demo_selection() -> dict[str, int]:
    """Seed what shows the pathway; return how many rows of each kind were written (label -> count)."""
    project = Project.objects.filter(code=PROJECT_CODE).first()
    employer_id = (
        User.objects.filter(username=DEMO_EMPLOYER_LOGIN).values_list("organisation_id", flat=True).first()
    )
    if project is None or employer_id is None:
        return {}
    counts = {
        "selection steps": 0,
        "selection results": 0,
        "job datings": 0,
        "job-dating employers": 0,
        "consents": 0,
        "video CVs": 0,
    }
    test, added = _step(project, 1, TEST_NAME, SelectionStep.Kind.ONLINE_TEST, PASS_MARK)
    counts["selection steps"] += added
    mission, added = _step(project, 2, MISSION_NAME, SelectionStep.Kind.SELECTION_MISSION, None)
    counts["selection steps"] += added
    people = list(
        Candidate.objects.filter(project=project, status=Candidate.Status.ACTIVE).order_by("pk")[:CANDIDATES]
    )
    recorded = _at(ANCHOR_DATE - datetime.timedelta(days=60))
    done = set(SelectionResult.objects.filter(candidate__in=people).values_list("candidate_id", "step_id"))
    results = []
    chosen = []
    for rank, person in enumerate(people):
        score = Decimal(30 + (rank * 23) % 65)  # 30..94, about half at or above the pass mark
        passed_test = score >= PASS_MARK
        if (person.pk, test.pk) not in done:
            verdict = Verdict.PASSED if passed_test else Verdict.FAILED
            results.append(
                SelectionResult(
                    step=test, candidate=person, score=score, verdict=verdict, recorded_at=recorded
                )
            )
        if passed_test:
            mission_verdict = Verdict.PASSED if rank % 3 != 2 else Verdict.FAILED
            if (person.pk, mission.pk) not in done:
                results.append(
                    SelectionResult(
                        step=mission,
                        candidate=person,
                        verdict=mission_verdict,
                        recorded_at=recorded + datetime.timedelta(days=14),
                    )
                )
            if mission_verdict == Verdict.PASSED:
                chosen.append(person)
    SelectionResult.objects.bulk_create(results)
    counts["selection results"] = len(results)

    granted = _at(ANCHOR_DATE - datetime.timedelta(days=30))
    changed = set()
    for index, person in enumerate(chosen):
        if _consent(person, Consent.Purpose.SHARE_WITH_EMPLOYER, employer_id, granted):
            counts["consents"] += 1
            changed.add(person.pk)
        if index % 2 == 0:  # half of them recorded a video CV and agreed to show it to this employer
            if not person.video_cv_url:
                Candidate.objects.filter(pk=person.pk).update(
                    video_cv_url=f"{VIDEO_BASE}{person.public_id.hex[:8]}"
                )
                counts["video CVs"] += 1
                changed.add(person.pk)
            if _consent(person, Consent.Purpose.VIDEO_CV_WITH_EMPLOYER, employer_id, granted):
                counts["consents"] += 1
                changed.add(person.pk)
    # A consent to share is a matching gate: the profile changed, its matches are recomputed after commit.
    candidates_recompute_queue(candidates_mark_changed(changed))

    if not JobDating.objects.filter(project=project, name=CANCELLED_NAME).exists():
        JobDating.objects.create(
            project=project,
            name=CANCELLED_NAME,
            held_on=datetime.date(2020, 3, 20),  # "March 2020": the day is illustrative
            place="Casablanca",
            required_step=mission,
            status=JobDating.Status.CANCELLED,
            cancellation_reason=CANCELLED_REASON,
            cancelled_at=_at(datetime.date(2020, 3, 13)),
        )
        counts["job datings"] += 1
    online = JobDating.objects.filter(project=project, name=ONLINE_NAME).first()
    if online is None:
        online = JobDating.objects.create(
            project=project,
            name=ONLINE_NAME,
            held_on=ANCHOR_DATE + datetime.timedelta(days=30),
            online=True,
            required_step=mission,
        )
        counts["job datings"] += 1
    # Checked on every run, not only when the event is created: ``seed_demo --reset`` deletes the demo
    # employer (the generator's) and its links to these events, then writes a new one.
    for event in JobDating.objects.filter(project=project, name__in=[CANCELLED_NAME, ONLINE_NAME]):
        counts["job-dating employers"] += _employer_invited(event, employer_id)
    invited = set(JobDatingInvitation.objects.filter(event=online).values_list("candidate_id", flat=True))
    new = [
        JobDatingInvitation(event=online, candidate=person, invited_at=granted + datetime.timedelta(days=1))
        for person in chosen
        if person.pk not in invited
    ]
    JobDatingInvitation.objects.bulk_create(new)
    counts["job-dating invitations"] = len(new)
    return counts
