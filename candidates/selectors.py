"""Reads of candidate profiles. Selectors never write.

A partner organisation sees the candidates it registered, as long as they are active or placed:
a withdrawn or restricted candidate is hidden at once (also from the partner that registered them), an
anonymised one is gone for everyone.
"""

import datetime
import functools
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from operator import or_
from typing import Any

from django.db.models import F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from candidates.models import (
    Candidate,
    CandidateRestriction,
    CandidateSkill,
    Consent,
    ConsentWording,
    Diploma,
    LanguageProficiency,
    Licence,
    ProfileAccess,
    RecognitionStep,
    TrainingEnrolment,
    WorkExperience,
)
from candidates.models.profile import CandidateQuerySet
from core.models import Organisation
from reference.models import EscoOccupation

PARTNER_VISIBLE_STATUSES = (Candidate.Status.ACTIVE, Candidate.Status.PLACED)


@dataclass
class ProfileSections:
    """A candidate's recorded profile, section by section, each in its display order: what the
    recruiter's candidate page and the candidate's own profile page show."""

    candidate: Candidate
    desired_occupations: list[EscoOccupation]
    languages: list[LanguageProficiency]
    diplomas: list[Diploma]  # each with ``steps``: its recognition steps, oldest first
    experiences: list[WorkExperience]
    skills: list[CandidateSkill]
    licences: list[Licence]
    enrolments: list[TrainingEnrolment]


def profile_sections(candidate: Candidate, *, with_verifier: bool) -> ProfileSections:
    """The candidate's profile sections (eight queries whatever their size). ``with_verifier``: who
    verified a skill, which is staff's business (the candidate sees the skill and the evidence only)."""
    skills = CandidateSkill.objects.filter(candidate=candidate).order_by("skill__label_en", "pk")
    skills = (
        skills.select_related("skill", "verified_by") if with_verifier else skills.select_related("skill")
    )
    return ProfileSections(
        candidate=candidate,
        desired_occupations=list(candidate.desired_occupations.order_by("label_en", "pk")),
        languages=list(
            LanguageProficiency.objects.filter(candidate=candidate).order_by("-is_native", "language", "pk")
        ),
        diplomas=list(
            Diploma.objects.filter(candidate=candidate)
            .prefetch_related(
                Prefetch(
                    "recognition_steps",
                    queryset=RecognitionStep.objects.order_by("requested_on", "pk"),
                    to_attr="steps",
                )
            )
            .order_by("-isced_level", "pk")
        ),
        experiences=list(
            WorkExperience.objects.filter(candidate=candidate)
            .select_related("occupation")
            .order_by("-started_on", "pk")
        ),
        skills=list(skills if with_verifier else skills.defer("verified_by")),
        licences=list(Licence.objects.filter(candidate=candidate).order_by("kind", "pk")),
        enrolments=list(
            TrainingEnrolment.objects.filter(candidate=candidate)
            .select_related("programme")
            .order_by("-started_on", "pk")
        ),
    )


def with_profile(candidates: CandidateQuerySet) -> CandidateQuerySet:
    """Everything a full profile shows, in a fixed number of queries whatever the number of candidates."""
    return candidates.select_related("project", "cohort").prefetch_related(
        "desired_occupations",
        "languages",
        Prefetch("diplomas", queryset=Diploma.objects.order_by("pk").prefetch_related("recognition_steps")),
        Prefetch("experiences", queryset=WorkExperience.objects.select_related("occupation")),
        Prefetch("skills", queryset=CandidateSkill.objects.select_related("skill").order_by("pk")),
        "licences",
        Prefetch("enrolments", queryset=TrainingEnrolment.objects.select_related("programme").order_by("pk")),
        Prefetch(
            "consents", queryset=Consent.objects.select_related("recipient").order_by("-granted_at", "-pk")
        ),
    )


def candidates_for_partner(
    *,
    organisation: Organisation,
    external_id: str | None = None,
    status: str | None = None,
    project_code: str | None = None,
    updated_since: datetime.datetime | None = None,
) -> CandidateQuerySet:
    """The candidates ``organisation`` registered and may still see, oldest first (a stable order for
    paging), with their full profile."""
    candidates = Candidate.objects.registered_by(organisation).filter(status__in=PARTNER_VISIBLE_STATUSES)
    if external_id is not None:
        candidates = candidates.filter(external_id=external_id)
    if status is not None:
        candidates = candidates.filter(status=status)
    if project_code is not None:
        candidates = candidates.filter(project__code=project_code)
    if updated_since is not None:
        candidates = candidates.filter(updated_at__gte=updated_since)
    return with_profile(candidates.order_by("created_at", "pk"))


def candidate_for_partner(*, organisation: Organisation, public_id: uuid.UUID) -> Candidate | None:
    """One of ``organisation``'s visible candidates, or None (another's, withdrawn, or no such id)."""
    return candidates_for_partner(organisation=organisation).filter(public_id=public_id).first()


# --- Who looked at a profile (``ProfileAccess``), and the restricted candidates ----------------------

ACCESSES_SHOWN = 100


@dataclass(frozen=True)
class ProfileAccessRow:
    """One view of the candidate's profile as the candidate may be told of it: who (the organisation, its
    kind and name; none for a platform administrator), in what role, what they saw, and when. Never the
    viewer's user: a person's name is theirs, not the candidate's to read."""

    at: datetime.datetime
    viewer_kind: str
    viewer_kind_label: str
    what: str
    what_label: str
    organisation_id: int | None
    organisation_kind: str
    organisation_name: str


def profile_accesses_for_candidate(
    *, candidate: Candidate, limit: int = ACCESSES_SHOWN
) -> list[ProfileAccessRow]:
    """The latest ``limit`` views of ``candidate``'s profile, newest first, in one query (read off the
    (candidate, at) index). The caller decides how to name an employer (the candidate space names it only
    once it invited them)."""
    kinds = dict(ProfileAccess.Kind.choices)
    whats = dict(ProfileAccess.What.choices)
    rows = (
        ProfileAccess.objects.filter(candidate=candidate)
        .order_by("-at", "-pk")
        .values_list(
            "at",
            "viewer_kind",
            "what",
            "viewer_organisation_id",
            "viewer_organisation__kind",
            "viewer_organisation__name",
        )[:limit]
    )
    return [
        ProfileAccessRow(
            at=at,
            viewer_kind=kind,
            viewer_kind_label=str(kinds.get(kind, kind)),
            what=what,
            what_label=str(whats.get(what, what)),
            organisation_id=organisation_id,
            organisation_kind=organisation_kind or "",
            organisation_name=organisation_name or "",
        )
        for at, kind, what, organisation_id, organisation_kind, organisation_name in rows
    ]


ACCESS_EXPORT_COLUMNS = (
    "at",
    "candidate",
    "viewer_kind",
    "viewer_organisation",
    "viewer_organisation_id",
    "viewer_user",
    "viewer_user_id",
    "what",
)


def profile_accesses_for_export(
    *,
    candidate_public_id: uuid.UUID | None = None,
    since: datetime.datetime | None = None,
    newest_first: bool = False,
) -> QuerySet[ProfileAccess, tuple[Any, ...]]:
    """Every recorded view (of one candidate, and from a moment, when given), oldest first (or newest
    first), as tuples in the order of ``ACCESS_EXPORT_COLUMNS``: the data protection officer's export. The
    candidate is named by their public id only; the viewer's user by username (who looked is what the
    officer asks)."""
    accesses = ProfileAccess.objects.all()
    if candidate_public_id is not None:
        accesses = accesses.filter(candidate__public_id=candidate_public_id)
    if since is not None:
        accesses = accesses.filter(at__gte=since)
    order = ("-at", "-pk") if newest_first else ("at", "pk")
    return accesses.order_by(*order).values_list(
        "at",
        "candidate__public_id",
        "viewer_kind",
        "viewer_organisation__name",
        "viewer_organisation_id",
        "viewer_user__username",
        "viewer_user_id",
        "what",
    )


def candidates_restricted() -> QuerySet[Candidate]:
    """The candidates whose data is restricted (GDPR art. 18), the latest restricted first, with whoever
    registered them: the one list they appear on, for staff who manage restrictions."""
    return (
        Candidate.objects.filter(status=Candidate.Status.RESTRICTED)
        .select_related("registered_by")
        .order_by("-restricted_at", "-pk")
    )


def candidate_open_restriction(*, candidate: Candidate) -> CandidateRestriction | None:
    """The restriction in force on ``candidate`` (when, by whom, why), or None."""
    return (
        CandidateRestriction.objects.filter(candidate=candidate, lifted_at__isnull=True)
        .select_related("restricted_by")
        .first()
    )


# --- The wording of consents (``ConsentWording``) ---------------------------------------------------

# The language read when the candidate's own is missing: English, the source language of the site.
WORDING_FALLBACK_LANGUAGE = "en"


def _base_language(language: str) -> str:
    return (language or "").split("-")[0].lower()


def _best_language(wordings: Sequence[ConsentWording], language: str) -> ConsentWording | None:
    """The wording in ``language``, else in English, else in any language (the first by code)."""
    by_language = {wording.language: wording for wording in wordings}
    for code in (_base_language(language), WORDING_FALLBACK_LANGUAGE, *sorted(by_language)):
        if code in by_language:
            return by_language[code]
    return None


@dataclass(frozen=True)
class ConsentWordings:
    """The wordings one page shows, each in the reader's language (or the fallback): ``agreed`` by
    (purpose, text version), for the consents given; ``current`` by purpose, the version a consent
    given now is given under. A key is missing when no wording is published for it."""

    agreed: dict[tuple[str, str], ConsentWording]
    current: dict[str, ConsentWording]

    def of(self, consent: Consent) -> ConsentWording | None:
        """The wording ``consent`` was given under, or None (a text the recording organisation holds)."""
        return self.agreed.get((consent.purpose, consent.text_version))


def consent_wordings(
    *,
    agreed: Iterable[tuple[str, str]] = (),
    current_purposes: Iterable[str] = (),
    language: str,
    now: datetime.datetime | None = None,
) -> ConsentWordings:
    """The wordings of the (purpose, text version) pairs in ``agreed`` and the current wordings of the
    ``current_purposes``, in ``language`` with the fallback of ``consent_wording``: one query for a
    whole page, whatever the number of consents. (It may read a few rows more than it returns: the
    versions of one purpose named for another; they are few.)"""
    wanted = set(agreed)
    purposes = set(current_purposes)
    if not wanted and not purposes:
        return ConsentWordings(agreed={}, current={})
    now = now or timezone.now()
    latest = (
        ConsentWording.objects.filter(purpose=OuterRef("purpose"), published_at__lte=now)
        .order_by("-published_at", "-pk")
        .values("text_version")[:1]
    )
    conditions = []
    if wanted:
        conditions.append(
            Q(
                purpose__in={purpose for purpose, _version in wanted},
                text_version__in={version for _purpose, version in wanted},
            )
        )
    if purposes:
        conditions.append(Q(purpose__in=purposes, text_version=F("latest_version")))
    rows = list(
        ConsentWording.objects.annotate(latest_version=Subquery(latest)).filter(
            functools.reduce(or_, conditions)
        )
    )
    by_version: dict[tuple[str, str], list[ConsentWording]] = {}
    for row in rows:
        by_version.setdefault((row.purpose, row.text_version), []).append(row)
    found_agreed = {}
    for key in wanted:
        best = _best_language(by_version.get(key, []), language)
        if best is not None:
            found_agreed[key] = best
    found_current = {}
    for purpose in purposes:
        versions = [row for row in rows if row.purpose == purpose and row.text_version == row.latest_version]
        best = _best_language(versions, language)
        if best is not None:
            found_current[purpose] = best
    return ConsentWordings(agreed=found_agreed, current=found_current)


def consent_wording(*, purpose: str, text_version: str, language: str) -> ConsentWording | None:
    """The wording of version ``text_version`` of ``purpose``'s consent: in ``language`` (``nl-be``
    reads as ``nl``), else in English, else in any language it was published in; None when the version is
    not published here (a partner's own text: the organisation that recorded the consent holds it)."""
    return _best_language(
        list(ConsentWording.objects.filter(purpose=purpose, text_version=text_version)), language
    )


def consent_wording_current(
    *, purpose: str, language: str, now: datetime.datetime | None = None
) -> ConsentWording | None:
    """The wording a consent for ``purpose`` given now is given under: the version published last (not
    in the future), in ``language`` with the same fallback; None when none is published."""
    return consent_wordings(current_purposes=[purpose], language=language, now=now).current.get(purpose)
