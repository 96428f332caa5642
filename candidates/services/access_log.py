"""Record who looked at candidates' profiles (``ProfileAccess``): one INSERT per page, no read.

Called by every page and API answer that shows a candidate's profile to someone else than the
candidate: the recruiter's candidate and case pages, the employer's proposal, the partner's candidate
page, the partner API's candidate and candidate list. The caller passes what it already holds (the
candidates' ids, the signed-in user, the API client's organisation), so recording reads nothing and
costs exactly one query, whatever the number of candidates (a list page's rows go in one bulk INSERT).

No transaction of its own, on purpose: the INSERT is one statement (atomic by itself), and a savepoint
would cost two more queries on every page under a request transaction. It runs only after the page's
scoped fetch succeeded, so a refused view (403, 404) records nothing.
"""

from collections.abc import Iterable

from django.utils import timezone

from candidates.models import ProfileAccess
from core.models import User

__all__ = ["profile_access_record"]


def profile_access_record(
    *,
    candidate_ids: Iterable[int],
    kind: str,
    what: str,
    user: User | None = None,
    organisation_id: int | None = None,
) -> int:
    """Log one view of each candidate in ``candidate_ids`` (repeats count once) by ``user``, or by the
    organisation ``organisation_id`` acting without a person (the partner API); returns the rows written.

    ``kind``: ``ProfileAccess.Kind`` (employer, partner_web, partner_api, staff); ``what``:
    ``ProfileAccess.What``. The organisation defaults to the user's (none for a platform administrator).
    """
    if kind not in ProfileAccess.Kind.values or what not in ProfileAccess.What.values:
        raise ValueError(f"unknown access {kind!r} / {what!r}")
    if organisation_id is None and user is not None:
        organisation_id = user.organisation_id
    at = timezone.now()
    rows = [
        ProfileAccess(
            candidate_id=candidate_id,
            viewer_kind=kind,
            viewer_organisation_id=organisation_id,
            viewer_user=user,
            what=what,
            at=at,
        )
        for candidate_id in dict.fromkeys(candidate_ids)  # in order, each once
    ]
    if rows:
        ProfileAccess.objects.bulk_create(rows)
    return len(rows)
