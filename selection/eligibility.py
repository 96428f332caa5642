"""Who may be invited to a job dating: the one rule the invitation service (under its lock) and the
staff page share, so the page never offers a candidate the service would refuse.

Kept out of ``selection.models`` (a model holds data and its own coherence, not the pathway's rules) and
in its own module because ``selection.services`` and ``selection.selectors`` are independent layers
(pyproject.toml) that must not import each other. Reads only.
"""

from django.db.models import QuerySet

from candidates.models import Candidate, Consent
from selection.models import PROCESSABLE_STATUSES, JobDating, Verdict


def eligible_candidates(event: JobDating) -> QuerySet[Candidate]:
    """Candidates of the event's project who passed its required step and consent, now, to share their
    profile with every employer the event invites.

    An event that invites no employer has nobody to invite: a consent to share is given to a named
    employer, so without one there is no consent to check and inviting would share the profile with
    whoever is added later. Staff invite the employers first (``job_dating_create`` requires one).
    """
    employer_ids = list(event.employers.values_list("pk", flat=True))
    if not employer_ids:
        return Candidate.objects.none()
    candidates = Candidate.objects.filter(
        project_id=event.project_id,
        status__in=PROCESSABLE_STATUSES,
        selection_results__step_id=event.required_step_id,
        selection_results__verdict=Verdict.PASSED,
    )
    for employer_id in employer_ids:
        candidates = candidates.filter(
            pk__in=Consent.objects.in_force()
            .filter(purpose=Consent.Purpose.SHARE_WITH_EMPLOYER, recipient_id=employer_id)
            .values("candidate_id")
        )
    return candidates
