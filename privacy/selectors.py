"""Reads of the data lifecycle: everything held about a candidate (their export), what an erasure would
do, and the staff's list of erasure requests. Selectors never write.

The export is the formal answer to the right of access (GDPR art. 15): every row that points at the
candidate, found in the model registry (``privacy.relations``), so a table added later is exported too;
the rows that hang from a case instead (its costs, a trainee's outcomes after return) are in that case's row.
It holds what the candidate's pages leave out on purpose, because art. 15 covers it: the notes and
comments staff and employers wrote about them and the explanations frozen on their cases (docs/privacy.md
says why). It never holds another person's identity: users are named by their organisation and role,
never by name; an employer is named only once it invited the candidate (as on the candidate's pages;
before that, "an employer"); matches name the vacancy, never the other candidates.
"""

import datetime
import decimal
import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from candidate_space.models import CandidateAccount
from candidate_space.selectors import revealed_employer_ids
from candidates.models import Candidate, Diploma
from candidates.selectors import consent_wordings
from core.models import Organisation
from privacy.holds import under_legal_hold
from privacy.models import ErasureRequest
from privacy.relations import candidate_relations
from recruitment.matching.codes import reason_codes
from recruitment.models import CandidateNote, Match, Placement
from recruitment.selectors import is_staff_user

FORMAT = "talentbrug-candidate-data/1"

# Tables exported in sections of their own (below), or not at all because they hold nothing about the
# person beyond ids: the recompute's job rows and removed-match records, the desired occupations' link
# table (the occupations are in the profile).
_OWN_SECTIONS = frozenset(
    {
        "recruitment.Placement",
        "recruitment.CandidateNote",
        "recruitment.Match",
        "candidates.Diploma",
        "candidate_space.CandidateAccount",
    }
)
_NOT_EXPORTED = frozenset(
    {"recruitment.MatchJob", "recruitment.MatchRemoval", "candidates.Candidate_desired_occupations"}
)
# Section names of the common tables (any other table is exported under its model's label).
_SECTION_NAMES = {
    "candidates.LanguageProficiency": "languages",
    "candidates.WorkExperience": "work_experience",
    "candidates.CandidateSkill": "skills",
    "candidates.Licence": "licences",
    "candidates.TrainingEnrolment": "training",
    "candidates.Consent": "consents",
    "candidates.RecruitmentCost": "recruitment_costs",
    "candidates.ProfileAccess": "profile_views",
    "candidates.CandidateRestriction": "restrictions",
    "candidate_space.CandidateInvitation": "invitations",
    "candidate_space.CorrectionRequest": "correction_requests",
    "welcome.ReadReceipt": "information_pages_read",
    "welcome.PageNotice": "information_pages_announced",
    "privacy.ErasureRequest": "erasure_requests",
    "privacy.RetentionReminder": "retention_reminders",
    "recruitment.RetainedFunnelStep": "funnel_steps_kept",
}
_VERSION_FIELDS = ("profile_version", "matched_version")


def _plain(value: Any) -> Any:
    """A value as JSON holds it."""
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    return value


def _unnamed_employer() -> str:
    return _("An employer (named once it invites you)")


def _row(
    instance: models.Model, *, skip: tuple[str, ...] = (), revealed: set[int] | None = None
) -> dict[str, Any]:
    """A row's own fields: choices with their label, links by the linked object's name, never a user
    (another person) nor the candidate (whose export this is). With ``revealed`` (the employers that
    invited the candidate), any other employer is left unnamed, as on the candidate's pages."""
    out: dict[str, Any] = {}
    for field in instance._meta.concrete_fields:
        if field.primary_key or field.name in skip:
            continue
        if field.is_relation:
            target = field.related_model
            if target is None or target is Candidate or target._meta.label == settings.AUTH_USER_MODEL:
                continue
            related = getattr(instance, field.name)
            if (
                revealed is not None
                and isinstance(related, Organisation)
                and related.kind == Organisation.Kind.EMPLOYER
                and related.pk not in revealed
            ):
                out[field.name] = _unnamed_employer()
                continue
            out[field.name] = None if related is None else str(related)
            continue
        value = field.value_from_object(instance)
        out[field.name] = _plain(value)
        if field.choices and value not in (None, ""):
            out[f"{field.name}_label"] = str(dict(field.flatchoices).get(value, value))
    return out


def _linked(model: type[models.Model]) -> list[str]:
    """The links ``_row`` names a row's linked objects by: read with the rows, one join each."""
    return [
        field.name
        for field in model._meta.concrete_fields
        if field.is_relation
        and field.related_model is not None
        and field.related_model is not Candidate
        and field.related_model._meta.label != settings.AUTH_USER_MODEL
    ]


def _profile(candidate: Candidate) -> dict[str, Any]:
    profile = _row(candidate, skip=_VERSION_FIELDS)
    profile["desired_occupations"] = [str(o) for o in candidate.desired_occupations.order_by("pk")]
    return profile


def _account(candidate: Candidate) -> dict[str, Any] | None:
    account = CandidateAccount.objects.filter(candidate=candidate).select_related("user").first()
    if account is None:
        return None
    return {
        "username": account.user.username,
        "email": account.user.email,
        "invited_at": _plain(account.invited_at),
        "activated_at": _plain(account.activated_at),
        "last_sign_in": _plain(account.user.last_login),
    }


def _diplomas(candidate: Candidate) -> list[dict[str, Any]]:
    return [
        {
            **_row(diploma),
            "recognition_steps": [_row(step, skip=("diploma",)) for step in diploma.recognition_steps.all()],
        }
        for diploma in Diploma.objects.filter(candidate=candidate)
        .prefetch_related("recognition_steps")
        .order_by("pk")
    ]


def _employer(placement: Placement) -> str:
    if placement.identity_revealed_at is not None:
        return placement.vacancy.employer.name
    return _unnamed_employer() if placement.proposed_at else ""


def _kind_of(organisation: Organisation | None) -> str:
    """Who did something on a case, by the kind of organisation (never a person's name)."""
    return organisation.get_kind_display() if organisation else ""


def _cases(candidate: Candidate) -> list[dict[str, Any]]:
    cases = (
        Placement.objects.filter(candidate=candidate)
        .select_related("vacancy", "vacancy__employer", "vacancy__occupation")
        .prefetch_related(
            "transitions__actor_organisation",
            "interview_slots",
            "costs__recorded_by_organisation",
            "return_outcomes",
        )
        .annotate(held=models.Exists(Placement.objects.filter(under_legal_hold(), pk=models.OuterRef("pk"))))
        .order_by("created_at", "pk")
    )
    rows = []
    for case in cases:
        rows.append(
            {
                "case": str(case.public_id),
                "reference": case.reference,
                "vacancy": case.vacancy.title,
                "occupation": str(case.vacancy.occupation),
                "municipality": case.vacancy.municipality,
                "employer": _employer(case),
                "stage": case.stage,
                "stage_label": case.get_stage_display(),
                "stage_changed_at": _plain(case.stage_changed_at),
                "created_at": _plain(case.created_at),
                "proposed_at": _plain(case.proposed_at),
                "invited_at": _plain(case.identity_revealed_at),
                "reason": case.reason,
                "reason_label": case.get_reason_display() if case.reason else "",
                "message_to_the_employer": case.proposal_message,
                "comment": case.comment,
                "kept_under_legal_hold_if_erased": bool(getattr(case, "held", False)),
                "moves": [
                    {
                        "from": move.from_stage,
                        "to": move.to_stage,
                        "at": _plain(move.at),
                        "by": _kind_of(move.actor_organisation),
                        "reason": move.reason,
                        "comment": move.comment,
                        "explanation_shown": move.explanation,
                    }
                    for move in case.transitions.all()
                ],
                "interviews": [
                    _row(slot, skip=("placement", "public_id")) for slot in case.interview_slots.all()
                ],
                # The case's costs (costs.CaseCost) and a trainee's outcomes after return
                # (internships.OutcomeUpdate) hang from the case, not the candidate: the registry's walk
                # from the candidate does not reach them. Who recorded a cost is named by kind, as a move.
                "costs": [
                    {
                        **_row(cost, skip=("placement", "public_id", "recorded_by_organisation")),
                        "recorded_by": _kind_of(cost.recorded_by_organisation),
                    }
                    for cost in case.costs.all()
                ],
                "outcomes_after_return": [
                    _row(update, skip=("placement",)) for update in case.return_outcomes.all()
                ],
            }
        )
    return rows


def _notes(candidate: Candidate) -> list[dict[str, Any]]:
    return [
        {
            "written_at": _plain(note.created_at),
            "case": str(note.placement.public_id) if note.placement else "",
            "written_by": _("Staff of the public employment service"),
            "note": note.body,
        }
        for note in CandidateNote.objects.filter(candidate=candidate)
        .select_related("placement")
        .order_by("created_at", "pk")
    ]


def _matches(candidate: Candidate) -> list[dict[str, Any]]:
    return [
        {
            "vacancy": match.vacancy.title,
            "occupation": str(match.vacancy.occupation),
            "municipality": match.vacancy.municipality,
            "outcome": match.outcome,
            "outcome_label": match.get_outcome_display(),
            "score": str(match.score),
            "unmet_conditions": list(reason_codes(match.reason_bits)),
            "computed_at": _plain(match.computed_at),
        }
        for match in Match.objects.filter(candidate=candidate)
        .select_related("vacancy", "vacancy__occupation")
        .order_by("-score", "vacancy_id")
    ]


def candidate_data_export(*, candidate: Candidate) -> dict[str, Any]:
    """Everything held about ``candidate``, JSON-serialisable, one section per kind of record (see the
    module's docstring for what is in and out)."""
    data: dict[str, Any] = {
        "about": {
            "format": FORMAT,
            "generated_at": _plain(timezone.now()),
            "candidate": str(candidate.public_id),
            "explanation": _(
                "Everything Talentbrug holds about you on this day, including the notes and comments "
                "written about you. The names of the people who wrote them are left out: they are theirs."
            ),
        },
        "profile": _profile(candidate),
        "account": _account(candidate),
        "diplomas": _diplomas(candidate),
        "cases": _cases(candidate),
        "notes_about_you": _notes(candidate),
        "matches": _matches(candidate),
    }
    others: dict[str, list[dict[str, Any]]] = {}
    # An employer that looked at the profile (the access log) or paid a cost is named only once it
    # invited the candidate; a consent names its recipient, as the consents page does (they agreed to it).
    revealed = revealed_employer_ids(candidate=candidate)
    for relation in candidate_relations():
        model = relation.related_model
        label = model._meta.label
        if label in _OWN_SECTIONS or label in _NOT_EXPORTED or model._meta.auto_created:
            continue
        found = model._base_manager.filter(**{relation.field.name: candidate}).select_related(*_linked(model))
        masked = None if label == "candidates.Consent" else revealed
        rows = [_row(row, revealed=masked) for row in found.order_by("pk")]
        if label in _SECTION_NAMES:
            data[_SECTION_NAMES[label]] = rows
        else:
            others[label] = rows
    data["other_records"] = others
    _add_wordings(data.get("consents", []), language=candidate.preferred_language)
    return data


def _add_wordings(consents: list[dict[str, Any]], *, language: str) -> None:
    """Each consent with the text the candidate agreed to (in their language, or the fallback), when the
    service published it; otherwise the organisation that recorded the consent holds it."""
    wordings = consent_wordings(
        agreed=[(row["purpose"], row["text_version"]) for row in consents], language=language
    )
    for row in consents:
        wording = wordings.agreed.get((row["purpose"], row["text_version"]))
        row["wording_title"] = wording.title if wording else ""
        row["wording"] = (
            wording.text if wording else _("The organisation that recorded this consent holds its text.")
        )


# --- Erasure: what it would do, and the staff's list ----------------------------------------------


@dataclass(frozen=True)
class ErasurePreview:
    """What erasing a candidate would keep: the cases under a legal hold, by reference and stage."""

    held_cases: list[Placement]
    cases_deleted: int


def erasure_preview(*, candidate: Candidate) -> ErasurePreview:
    cases = Placement.objects.filter(candidate=candidate).select_related("vacancy")
    held = list(cases.filter(under_legal_hold()).order_by("created_at", "pk"))
    return ErasurePreview(held_cases=held, cases_deleted=cases.count() - len(held))


def open_erasure_request(*, candidate: Candidate) -> ErasureRequest | None:
    return ErasureRequest.objects.filter(candidate=candidate, status=ErasureRequest.Status.REQUESTED).first()


def erasure_requests_of(*, candidate: Candidate) -> QuerySet[ErasureRequest]:
    """The candidate's own requests, the latest first (their page shows the outcome of each)."""
    return ErasureRequest.objects.filter(candidate=candidate).order_by("-requested_at", "-pk")


def erasure_requests_for_staff(*, user: Any, status: str | None = None) -> QuerySet[ErasureRequest]:
    """Every request, open ones first and the oldest first among them (the one-month deadline of art.
    12(3) runs from the asking), with the candidate; nothing for a user who is not staff."""
    if not is_staff_user(user):
        return ErasureRequest.objects.none()
    requests = ErasureRequest.objects.select_related("candidate", "candidate__registered_by", "decided_by")
    if status:
        requests = requests.filter(status=status)
    return requests.order_by(
        models.Case(models.When(status=ErasureRequest.Status.REQUESTED, then=0), default=1),
        models.Case(models.When(status=ErasureRequest.Status.REQUESTED, then="requested_at")),
        "-decided_at",
        "-pk",
    )


def erasure_request_counts(*, user: Any) -> dict[str, int]:
    """How many requests per status (the tabs of the staff's list)."""
    rows = erasure_requests_for_staff(user=user).order_by().values("status").annotate(n=Count("pk"))
    counts = {status: 0 for status in ErasureRequest.Status.values}
    counts.update({row["status"]: row["n"] for row in rows})
    return counts
