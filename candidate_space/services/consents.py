"""Consents the candidate grants or withdraws in their own space, through the one consent write path of
``candidates.services.consents`` (the partner API's and the profile service's): plan, then apply.

That path never deletes a consent (a withdrawn row stays as the record of what was agreed, when), and
when a consent to share with an employer changes it wakes the follow-up that flags the employer's cases
for the recruiter and tells the partner agency. The employer's pages read the consent when they run
(``PlacementQuerySet.shared_with_employer``), so a withdrawal hides the candidate from that employer at
once, before any task ran (GDPR art. 7(3)). Every change bumps the profile version: consents are a
matching gate, so the candidate's matches are recomputed.

Only the consents the candidate touches are planned: the others stay exactly as they are.

The wording: a consent given here records the version of the text the page showed, which must be the
version currently published for its purpose (``candidates.selectors.consent_wording_current``); when a
new version was published meanwhile, nothing is written and the candidate reads the new text first.

Visibility and restriction (a product rule): withdrawing the consent to be visible to the public
employment service asks for the restriction of processing (GDPR art. 18) of the candidate's data, with
the source ``visibility_withdrawn``; giving it again lifts that restriction, and only that one. A
restriction set by staff or by a request (restriction, erasure) stays until staff lift it; the consent is
still recorded.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from candidates.models import Candidate, CandidateRestriction, Consent
from candidates.models.restriction import RestrictionSource
from candidates.selectors import consent_wording_current
from candidates.services import candidate_profile_changed, candidate_restrict, candidate_restriction_lift
from candidates.services.consents import consents_apply, consents_plan
from candidates.services.errors import ProfileErrors

SPACE_CHANNEL = "candidate_space"
# Who may still give a consent: not a candidate who withdrew from the programme (a withdrawal of a
# consent is always possible).
GRANTING_STATUSES = (Candidate.Status.ACTIVE, Candidate.Status.PLACED)
# The reason recorded on the restriction a withdrawal of the visibility consent sets. Staff read it on
# the candidate's page: stored in the site's language. Which restriction the re-grant lifts is decided
# by the restriction's ``source``, never by this text.
VISIBILITY_WITHDRAWAL_REASON = gettext_lazy(
    "The candidate withdrew, in their personal space, their consent to be visible to the public "
    "employment service."
)


class ConsentRefused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _in_force(consent: Consent, now: datetime.datetime) -> bool:
    return (
        consent.withdrawn_at is None
        and consent.granted_at <= now
        and (consent.expires_at is None or consent.expires_at > now)
    )


def _apply(candidate: Candidate, rows: list[dict[str, object]], open_consents: list[Consent]) -> None:
    errors = ProfileErrors()
    plan = consents_plan(candidate, rows, open_consents=open_consents, errors=errors)
    errors.raise_if_any()
    if plan.changed:
        consents_apply([(candidate, plan, False)])
        candidate_profile_changed(candidate.pk)


def _locked(candidate: Candidate) -> Candidate:
    return Candidate.objects.select_for_update().get(pk=candidate.pk)


def candidate_consent_withdraw(*, candidate: Candidate, consent_id: int) -> Consent:
    """Withdraw one of the candidate's open consents now; returns it. Idempotent for a consent already
    withdrawn (refused with a message, nothing written)."""
    with transaction.atomic():
        locked = _locked(candidate)
        consent = (
            Consent.objects.select_related("recipient")
            .filter(candidate=locked, pk=consent_id, withdrawn_at__isnull=True)
            .first()
        )
        if consent is None:
            raise ConsentRefused(_("This consent was already withdrawn."))
        # Planned against this consent alone: the plan withdraws it and leaves every other one be.
        _apply(locked, [], [consent])
        if consent.purpose == Consent.Purpose.PROFILE_VISIBILITY:
            _restrict_on_withdrawal(locked)
    consent.refresh_from_db()
    return consent


def _restrict_on_withdrawal(candidate: Candidate) -> None:
    """The product rule: no longer visible means the data is kept, not processed (a restriction the
    re-grant lifts). An already restricted candidate keeps the restriction they have."""
    with translation.override(settings.LANGUAGE_CODE):
        reason = str(VISIBILITY_WITHDRAWAL_REASON)
    candidate_restrict(candidate=candidate, reason=reason, source=RestrictionSource.VISIBILITY_WITHDRAWN)


def _open_restriction(candidate: Candidate) -> CandidateRestriction | None:
    return (
        CandidateRestriction.objects.select_for_update()
        .filter(candidate=candidate, lifted_at__isnull=True)
        .first()
    )


def _may_grant(candidate: Candidate, purpose: str) -> CandidateRestriction | None:
    """Refuse a consent the candidate may not give now; return the restriction in force, if any.

    A restricted candidate gives only the visibility consent again (the way out of the restriction its
    withdrawal set), and only when the restriction would take them back to an active or placed status.
    """
    if candidate.status in GRANTING_STATUSES:
        return None
    if candidate.status != Candidate.Status.RESTRICTED:
        raise ConsentRefused(_("Your profile is withdrawn: you cannot give a consent now."))
    restriction = _open_restriction(candidate)
    back_to = restriction.previous_status if restriction is not None else Candidate.Status.ACTIVE
    if back_to not in GRANTING_STATUSES:
        raise ConsentRefused(_("Your profile is withdrawn: you cannot give a consent now."))
    if purpose == Consent.Purpose.PROFILE_VISIBILITY:
        return restriction
    if restriction is not None and restriction.source == RestrictionSource.VISIBILITY_WITHDRAWN:
        raise ConsentRefused(
            _(
                "Your data is set aside since you withdrew your consent to be visible to the public "
                "employment service: give that consent again first."
            )
        )
    raise ConsentRefused(
        _(
            "Your data is restricted: it is kept but not used, so you cannot give this consent now. Ask "
            "your recruiter when you want the restriction lifted."
        )
    )


def _current_version(purpose: str, shown_version: str) -> str:
    """The version a consent given now is recorded under: the one published last for ``purpose``, which
    must be the one the candidate was shown."""
    current = consent_wording_current(purpose=purpose, language=translation.get_language() or "en")
    if current is None:
        raise ConsentRefused(
            _("No text of this consent is published yet, so it cannot be given here. Ask your agency.")
        )
    if current.text_version != shown_version:
        raise ConsentRefused(
            _(
                "The text of this consent has changed since you opened the page. Read the new text and "
                "give the consent again."
            )
        )
    return current.text_version


def _grant(candidate: Candidate, row: dict[str, object], now: datetime.datetime) -> Consent:
    purpose = str(row["purpose"])
    recipient_id = row["recipient_id"]
    assert recipient_id is None or isinstance(recipient_id, int)
    with transaction.atomic():
        locked = _locked(candidate)
        restriction = _may_grant(locked, purpose)
        same = list(
            Consent.objects.filter(
                candidate=locked, purpose=purpose, recipient_id=recipient_id, withdrawn_at__isnull=True
            )
        )
        if any(_in_force(consent, now) for consent in same):
            raise ConsentRefused(_("You already gave this consent."))
        # An open consent that ran out is withdrawn by the plan, the new one recorded after it.
        _apply(locked, [row], same)
        if restriction is not None and restriction.source == RestrictionSource.VISIBILITY_WITHDRAWN:
            candidate_restriction_lift(candidate=locked)
        return Consent.objects.get(
            candidate=locked, purpose=purpose, recipient_id=recipient_id, withdrawn_at__isnull=True
        )


def candidate_consent_renew(*, candidate: Candidate, consent_id: int, text_version: str) -> Consent:
    """Give again a consent the candidate withdrew, or that ran out: the same purpose, recipient and
    countries, under the current wording of its purpose, for as long as the old one ran (no end if it had
    none). ``text_version``: the version of the wording the page showed (refused when it is no longer the
    current one). Giving the visibility consent again lifts the restriction its withdrawal set."""
    now = timezone.now()
    old = Consent.objects.filter(candidate=candidate, pk=consent_id).first()
    if old is None:
        raise ConsentRefused(_("This consent does not exist."))
    expires_at = now + (old.expires_at - old.granted_at) if old.expires_at else None
    row: dict[str, object] = {
        "purpose": old.purpose,
        "recipient_id": old.recipient_id,
        "countries": old.countries,
        "text_version": _current_version(old.purpose, text_version),
        "channel": SPACE_CHANNEL,
        "granted_at": now,
        "expires_at": expires_at,
    }
    return _grant(candidate, row, now)


def candidate_visibility_grant(*, candidate: Candidate, text_version: str) -> Consent:
    """Let the public employment service's recruiters see the candidate's profile (no end date), under
    the version ``text_version`` of the wording the page showed (the current one)."""
    now = timezone.now()
    row: dict[str, object] = {
        "purpose": Consent.Purpose.PROFILE_VISIBILITY,
        "recipient_id": None,
        "countries": [],
        "text_version": _current_version(Consent.Purpose.PROFILE_VISIBILITY, text_version),
        "channel": SPACE_CHANNEL,
        "granted_at": now,
        "expires_at": None,
    }
    return _grant(candidate, row, now)


__all__ = [
    "SPACE_CHANNEL",
    "VISIBILITY_WITHDRAWAL_REASON",
    "ConsentRefused",
    "candidate_consent_renew",
    "candidate_consent_withdraw",
    "candidate_visibility_grant",
]
