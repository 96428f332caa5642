"""Which candidates' video CV (a link) an employer may see: one rule for the case page and job dating.

A video shows the person's face and voice, so it has a consent of its own, per employer
(``Consent.Purpose.VIDEO_CV_WITH_EMPLOYER``), on top of the consent to share the profile with that
employer. Both are read when the query runs: a withdrawal hides the link at once (GDPR art. 7(3)). A
candidate who withdrew, is restricted or erased is never shown (``EMPLOYER_VISIBLE_STATUSES``).
"""

from collections.abc import Iterable

from django.db.models import Exists, OuterRef

from candidates.models import Candidate, Consent
from recruitment.models.placements import EMPLOYER_VISIBLE_STATUSES


def _consent_in_force(purpose: str, employer_id: int) -> Exists:
    return Exists(
        Consent.objects.in_force().filter(
            candidate_id=OuterRef("pk"), purpose=purpose, recipient_id=employer_id
        )
    )


def video_cv_links_for_employer(*, employer_id: int, candidate_ids: Iterable[int]) -> dict[int, str]:
    """candidate id -> video-CV link, for those of ``candidate_ids`` the employer may see it of (one
    query)."""
    rows = (
        Candidate.objects.filter(pk__in=list(candidate_ids), status__in=EMPLOYER_VISIBLE_STATUSES)
        .exclude(video_cv_url="")
        .filter(_consent_in_force(Consent.Purpose.SHARE_WITH_EMPLOYER, employer_id))
        .filter(_consent_in_force(Consent.Purpose.VIDEO_CV_WITH_EMPLOYER, employer_id))
        .values_list("pk", "video_cv_url")
    )
    return dict(rows)
