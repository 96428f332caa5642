"""Restrict the processing of a candidate's data, and lift the restriction (GDPR art. 18).

A restricted candidate is stored, not processed. The status ``restricted`` takes them out of everything
that reads active (or placed) candidates: the matching snapshot and recompute, the recruiter's search,
the project funnel's drill-down, the partner's pages and API (the API's ``/candidates/removed/`` feed
reports them with the status ``restricted``, like a withdrawal), the employer's view of their cases
(``PlacementQuerySet.shared_with_employer``), and the staff's case lists. Staff still open the
candidate's page and their cases by address, to verify the data and lift the restriction.

Both services follow ``candidate_withdraw``: the candidate's row is locked, the status written, and the
profile version bumped in the same transaction, so the recompute queued after commit removes their
stored matches (a restriction) or computes them again (a lift); the sweeper catches a lost message.
Every restriction is a ``CandidateRestriction`` row: when, by whom, why, and the status to go back to.

Its ``source`` decides who may end it: a restriction the candidate caused by withdrawing their visibility
consent (``visibility_withdrawn``) is lifted when they give that consent again; any other (staff, a
request for restriction or erasure) only by staff. So a stronger cause arriving while the candidate is
restricted by their withdrawal takes over: the withdrawal's row is closed and a new row opened at the
same instant (the candidate stays restricted throughout), and giving the consent again no longer lifts it.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from candidates.models import Candidate, CandidateRestriction
from candidates.models.restriction import REASON_MAX_LENGTH, RestrictionSource
from candidates.services.versions import candidate_save
from core.models import User

__all__ = ["candidate_restrict", "candidate_restriction_lift", "restricted_candidate_withdraw"]

# What a restriction may start from; the lifting goes back to it. An anonymised candidate has nothing
# left to restrict.
RESTRICTABLE_STATUSES = (Candidate.Status.ACTIVE, Candidate.Status.PLACED, Candidate.Status.WITHDRAWN)


def _locked(candidate: Candidate) -> Candidate:
    return Candidate.objects.select_for_update().get(pk=candidate.pk)


def _supersede(
    candidate: Candidate, *, by: User | None, reason: str, source: str, at: datetime.datetime | None
) -> None:
    """On an already restricted candidate: a restriction with another source than the visibility
    withdrawal takes over from one the withdrawal set (closed, and a new row opened at the same instant).
    Otherwise nothing changes: the first reason holds."""
    if source == RestrictionSource.VISIBILITY_WITHDRAWN:
        return
    open_restriction = (
        CandidateRestriction.objects.select_for_update()
        .filter(candidate=candidate, lifted_at__isnull=True)
        .first()
    )
    if open_restriction is None or open_restriction.source != RestrictionSource.VISIBILITY_WITHDRAWN:
        return
    now = max(at or timezone.now(), open_restriction.restricted_at)
    open_restriction.lifted_at = now
    open_restriction.lifted_by = by
    open_restriction.save(update_fields=["lifted_at", "lifted_by"])
    CandidateRestriction.objects.create(
        candidate=candidate,
        reason=reason,
        source=source,
        previous_status=open_restriction.previous_status,
        restricted_at=now,
        restricted_by=by,
    )


def candidate_restrict(
    *,
    candidate: Candidate,
    by: User | None = None,
    reason: str,
    at: datetime.datetime | None = None,
    source: str = RestrictionSource.OTHER,
) -> Candidate:
    """Restrict the processing of ``candidate``'s data from now (or ``at``): hidden from every list and
    from matching at once, their matches removed by the recompute queued here. Returns the candidate as
    stored. Idempotent: an already restricted candidate stays as they are (the first reason holds),
    except that any other source takes over from a restriction the visibility withdrawal set.

    ``by``: the staff member, or None for the system (the privacy app acting on a candidate's request).
    ``source``: a ``RestrictionSource`` (``other`` unless the candidate space restricts on a withdrawal).
    Raises ``ValidationError`` for an empty or too long reason, an unknown source, or an anonymised
    candidate.
    """
    if source not in RestrictionSource.values:
        raise ValidationError(_("Unknown source of a restriction."), code="source_invalid")
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Say why the data is restricted."), code="reason_required")
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError(
            _("Keep the reason under %(limit)d characters."),
            code="reason_too_long",
            params={"limit": REASON_MAX_LENGTH},
        )
    with transaction.atomic():
        current = _locked(candidate)
        if current.status == Candidate.Status.RESTRICTED:
            _supersede(current, by=by, reason=reason, source=source, at=at)
            return current
        if current.status not in RESTRICTABLE_STATUSES:
            raise ValidationError(
                _("An anonymised candidate has no data left to restrict."), code="anonymised"
            )
        now = at or timezone.now()
        CandidateRestriction.objects.create(
            candidate=current,
            reason=reason,
            source=source,
            previous_status=current.status,
            restricted_at=now,
            restricted_by=by,
        )
        current.status = Candidate.Status.RESTRICTED
        current.restricted_at = now
        candidate_save(current)  # bumps the profile version: the recompute removes their matches
    return current


def candidate_restriction_lift(
    *, candidate: Candidate, by: User | None = None, at: datetime.datetime | None = None
) -> Candidate:
    """Lift the restriction: the candidate goes back to the status they had (active, as a rule; placed
    or withdrawn when they were), and the recompute queued here matches an active candidate again.

    ``by``: the staff member lifting it, or None when the system lifts it because the candidate gave
    their visibility consent again (``candidate_space``). Raises ``ValidationError`` when the candidate
    is not restricted (a withdrawn or anonymised candidate, or a lift already done: nothing to lift,
    nothing written), or when staff try to lift a restriction set by the candidate's withdrawal of their
    visibility consent: that consent is still withdrawn, and only the candidate gives it again.
    """
    with transaction.atomic():
        current = _locked(candidate)
        open_restriction = (
            CandidateRestriction.objects.select_for_update()
            .filter(candidate=current, lifted_at__isnull=True)
            .first()
        )
        if current.status != Candidate.Status.RESTRICTED:
            raise ValidationError(_("This candidate's data is not restricted."), code="not_restricted")
        if (
            by is not None
            and open_restriction is not None
            and open_restriction.source == RestrictionSource.VISIBILITY_WITHDRAWN
        ):
            # GDPR art. 7(3): processing them again needs the consent they withdrew, not a staff decision.
            raise ValidationError(
                _(
                    "The candidate withdrew their consent to be visible: the restriction ends when they "
                    "give that consent again in their personal space."
                ),
                code="consent_withdrawn",
            )
        now = at or timezone.now()
        previous = Candidate.Status.ACTIVE
        if open_restriction is not None:  # always, unless a restriction was written outside this module
            previous = Candidate.Status(open_restriction.previous_status)
            open_restriction.lifted_at = max(now, open_restriction.restricted_at)
            open_restriction.lifted_by = by
            open_restriction.save(update_fields=["lifted_at", "lifted_by"])
        current.status = previous
        candidate_save(current)  # bumps the profile version: the recompute matches them again
    return current


def restricted_candidate_withdraw(*, candidate: Candidate, at: datetime.datetime | None = None) -> bool:
    """A withdrawal of a restricted ``candidate`` (the caller holds their row lock): the restriction
    keeps the data as it is, so the candidate stays restricted, and lifting it later takes them to
    ``withdrawn`` (dated now, or ``at``), never back to active. False when no restriction is open (one
    written outside this module): the caller withdraws them as any other candidate."""
    if not CandidateRestriction.objects.filter(candidate=candidate, lifted_at__isnull=True).update(
        previous_status=Candidate.Status.WITHDRAWN
    ):
        return False
    if candidate.withdrawn_at is None:  # the lifting needs it: a withdrawn candidate is dated
        candidate.withdrawn_at = at or timezone.now()
        candidate_save(candidate, mark_stale=False)  # restricted: no match to recompute
    return True
