"""Consents, recruitment costs and training enrolments of the demo candidates.

Every candidate has a profile-visibility consent (without it the profile may not be shown at all);
some share their profile with a named employer, and a few withdrew a consent, so the demo exercises
the GDPR paths. Costs follow the employer-pays principle; exactly one or two rows show a candidate who
paid, the compliance incident the platform must surface (domain.md 5.3).
"""

import datetime
import random
from dataclasses import dataclass, field
from decimal import Decimal

from candidates.models import Consent, RecruitmentCost, TrainingEnrolment
from demo.context import DemoContext, ProjectInfo
from demo.drafts import CEFR, CandidateDraft

CONSENT_TEXT_VERSION = "2026-01"
CONSENT_VALIDITY = datetime.timedelta(days=730)

# Cost types with a plausible range in euro; who pays is drawn separately.
COSTS: dict[str, tuple[int, int]] = {
    "visa": (180, 180),
    "permit": (200, 200),
    "travel": (250, 950),
    "medical": (60, 160),
    "translation": (40, 220),
    "legalisation": (20, 120),
    "recognition_fee": (90, 200),
    "housing": (450, 900),
}


@dataclass
class Paperwork:
    """The compliance rows of one candidate, unsaved."""

    consents: list[Consent] = field(default_factory=list)
    costs: list[RecruitmentCost] = field(default_factory=list)
    enrolments: list[TrainingEnrolment] = field(default_factory=list)


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, 0), tzinfo=datetime.UTC)


def draft_paperwork(
    draft: CandidateDraft,
    *,
    seed: int,
    context: DemoContext,
    recipients: dict[str, list[int]],
    incident: bool,
) -> Paperwork:
    """Consents, costs and enrolment for one candidate; ``recipients`` maps a family to employer ids."""
    rng = random.Random(f"{seed}-paperwork-{draft.index}")
    anchor = context.anchor
    candidate = draft.candidate
    paperwork = Paperwork()
    granted = _at(draft.registered_on)
    withdrawn = candidate.withdrawn_at
    paperwork.consents.append(
        Consent(
            purpose="profile_visibility",
            countries=["BE"],
            text_version=CONSENT_TEXT_VERSION,
            channel="partner_api" if rng.random() < 0.7 else "paper",
            granted_at=granted,
            expires_at=granted + CONSENT_VALIDITY,
            withdrawn_at=withdrawn,
        )
    )
    outside_eu = candidate.country_of_residence != "BE"
    if outside_eu and rng.random() < 0.6:
        paperwork.consents.append(
            Consent(
                purpose="international_transfer",
                countries=[candidate.country_of_residence],
                text_version=CONSENT_TEXT_VERSION,
                channel="partner_api",
                granted_at=granted,
                expires_at=granted + CONSENT_VALIDITY,
                withdrawn_at=withdrawn,
            )
        )
    employer_id: int | None = None
    pool = recipients.get(draft.family) or recipients.get("*", [])
    if pool and withdrawn is None and rng.random() < 0.15:
        employer_id = rng.choice(pool)
        shared = _at(
            draft.registered_on
            + datetime.timedelta(days=rng.randint(1, max(1, (anchor - draft.registered_on).days)))
        )
        taken_back = shared + datetime.timedelta(days=rng.randint(1, 30)) if rng.random() < 0.08 else None
        paperwork.consents.append(
            Consent(
                purpose="share_with_employer",
                recipient_id=employer_id,
                countries=["BE"],
                text_version=CONSENT_TEXT_VERSION,
                channel="form",
                granted_at=shared,
                expires_at=shared + datetime.timedelta(days=365),
                withdrawn_at=taken_back,
            )
        )
    if rng.random() < 0.05:
        paperwork.consents.append(
            Consent(
                purpose="talent_pool_export",
                countries=["BE", "NL", "DE"],
                text_version=CONSENT_TEXT_VERSION,
                channel="form",
                granted_at=granted,
                expires_at=granted + CONSENT_VALIDITY,
                withdrawn_at=granted + datetime.timedelta(days=rng.randint(1, 60))
                if rng.random() < 0.3
                else withdrawn,
            )
        )
    project = context.projects.get(draft.stream.project_key) if draft.stream.project_key else None
    if employer_id is not None and rng.random() < 0.7:
        for cost_type in rng.sample(sorted(COSTS), rng.randint(1, 4)):
            low, high = COSTS[cost_type]
            by_project = project is not None and cost_type in (
                "translation",
                "legalisation",
                "recognition_fee",
                "medical",
            )
            paperwork.costs.append(
                RecruitmentCost(
                    project_id=project.id if project and by_project else None,
                    cost_type=cost_type,
                    amount=Decimal(rng.randint(low, high)),
                    paid_by="project" if by_project else "employer",
                    payer_organisation_id=(
                        project.lead_organisation_id if project and by_project else employer_id
                    ),
                    incurred_on=anchor - datetime.timedelta(days=rng.randint(0, 200)),
                    evidence=f"Invoice {rng.randint(1000, 9999)}/{anchor.year}",
                )
            )
    if incident:
        # The compliance incident: an agency fee charged to the candidate by a sub-agent abroad.
        incurred = anchor - datetime.timedelta(days=rng.randint(40, 120))
        paperwork.costs.append(
            RecruitmentCost(
                project_id=project.id if project else None,
                cost_type="agency_fee",
                amount=Decimal(rng.choice((350, 450, 600))),
                paid_by="candidate",
                incurred_on=incurred,
                repaid_on=incurred + datetime.timedelta(days=30) if draft.index % 2 else None,
                evidence="Complaint registered by the partner's hotline",
            )
        )
    if project is not None and project.programmes and rng.random() < 0.8:
        enrolment = _enrolment(rng, draft, project, anchor)
        if enrolment is not None:
            paperwork.enrolments.append(enrolment)
    return paperwork


def _enrolment(
    rng: random.Random, draft: CandidateDraft, project: ProjectInfo, anchor: datetime.date
) -> TrainingEnrolment | None:
    """An enrolment in the programme of the candidate's cohort, dated by that cohort when it is known."""
    cohort_id = draft.candidate.cohort_id
    # A programme of the candidate's cohort (else of the project); one taught in Belgium, such as the
    # HBO5 nursing course, only for candidates already there.
    programmes = [p for p in project.programmes if p.cohort_id in (None, cohort_id)]
    local = [p for p in programmes if p.in_country_of_origin != draft.candidate.currently_in_belgium]
    if not local:
        return None
    programme = next((p for p in local if p.cohort_id == cohort_id), local[0])
    length = datetime.timedelta(days=30 * programme.duration_months)
    cohort = next((c for c in project.cohorts if c.id == cohort_id), None)
    if cohort is not None and cohort.starts_on + length < anchor:
        started = cohort.starts_on
    else:
        started = anchor - datetime.timedelta(days=rng.randint(-45, 30 * programme.duration_months))
    expected_end = started + length
    if started > anchor:
        status = "enrolled"
    elif expected_end > anchor:
        status = "in_progress"
    else:
        status = "dropped" if rng.random() < 0.08 else "completed"
    completed_on = (
        expected_end + datetime.timedelta(days=rng.randint(-10, 10)) if status == "completed" else None
    )
    done = status == "completed"
    return TrainingEnrolment(
        programme_id=programme.id,
        status=status,
        started_on=started,
        expected_end_on=expected_end,
        completed_on=min(completed_on, anchor) if completed_on else None,
        dutch_level_reached=CEFR[draft.dutch_level] if done and draft.dutch_level is not None else "",
        civic_orientation_done=done and programme.civic,
        soft_skills_done=done and programme.soft_skills,
    )
