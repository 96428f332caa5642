"""Which of a vacancy's matched candidates can be proposed to its employer now, for the recruiter's bulk
selection: a row that cannot has no box to tick, and says why (issue 12, item 13).

A preview of the conditions ``services.placements.placement_propose`` (after ``placement_shortlist``)
checks, read from what the vacancy page has loaded already, with the messages of those services. The
services stay the authority: a consent withdrawn between the page and the click is still refused there.
"""

from collections.abc import Iterable

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from candidates.models import Candidate, Consent
from recruitment.models import Match, MatchQuerySet, Placement, PlacementStage
from recruitment.workflow import Stage, may_move
from vacancies.models import Vacancy


def with_consent_to_share(matches: MatchQuerySet, vacancy: Vacancy) -> MatchQuerySet:
    """The matches with ``consents_to_share``: their candidate's consent, in force, to share their profile
    with the vacancy's employer (GDPR, per recipient). One subquery, not one query per row."""
    consent = Consent.objects.in_force().filter(
        candidate_id=OuterRef("candidate_id"),
        purpose=Consent.Purpose.SHARE_WITH_EMPLOYER,
        recipient_id=vacancy.employer_id,
    )
    return matches.annotate(consents_to_share=Exists(consent))


def consenting_to_share(vacancy: Vacancy, candidate_ids: Iterable[int]) -> set[int]:
    """Of ``candidate_ids``, those whose consent in force lets the vacancy's employer see their profile, in
    one query. For the few rows a page shows: there the annotation's subquery was planned as a hash of
    every consent ever given to the employer (1,200 rows, 4 ms at 100k candidates, per section)."""
    return set(
        Consent.objects.in_force()
        .filter(
            candidate_id__in=list(candidate_ids),
            purpose=Consent.Purpose.SHARE_WITH_EMPLOYER,
            recipient_id=vacancy.employer_id,
        )
        .values_list("candidate_id", flat=True)
    )


def proposal_refusal(
    match: Match, placement: Placement | None, vacancy: Vacancy, *, consents: bool | None = None
) -> str:
    """Why the matched candidate cannot be proposed to the vacancy's employer now, in the user's
    language; "" when they can. ``match`` comes with its candidate, and ``placement`` is the candidate's
    case for this vacancy, if any. ``consents``: whether the candidate consents to share their profile
    with the employer (``consenting_to_share``); None reads the annotation of ``with_consent_to_share``."""
    if vacancy.employer.is_suspended:
        return _("This employer is suspended: no candidate can be proposed to it.")
    if placement is None and match.candidate.status != Candidate.Status.ACTIVE:
        return _("This candidate is not active.")  # a case already open is kept, whatever the status
    # A shortlisted case outlives its candidate's withdrawal or restriction, but is not proposed (the
    # match shows until the recompute drops it).
    if match.candidate.status == Candidate.Status.RESTRICTED:
        return _("This candidate's data is restricted: they cannot be proposed.")
    if match.candidate.status in (Candidate.Status.WITHDRAWN, Candidate.Status.ANONYMISED):
        return _("This candidate has withdrawn: they cannot be proposed.")
    needs_recognition = vacancy.occupation.is_regulated
    if placement is not None and not may_move(
        Stage(placement.stage), Stage.PROPOSED, by_employer=False, needs_recognition=needs_recognition
    ):
        return _("Already has a case at “%(stage)s”.") % {"stage": PlacementStage(placement.stage).label}
    # Not annotated counts as no consent: a profile is never offered for sharing on a guess.
    if not (consents if consents is not None else getattr(match, "consents_to_share", False)):
        return _("The candidate has not consented to share their profile with this employer.")
    return ""
