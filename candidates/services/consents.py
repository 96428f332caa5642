"""Consents in a profile write: granted, renewed and withdrawn, never deleted (GDPR evidence).

A profile lists the consents that should be in force. For each one (by purpose and recipient):
an identical open consent stays as it is; a different one (new text version, new expiry, ...) is
withdrawn and the new one recorded after it; a missing one is recorded. Open consents the list no longer
names are withdrawn now. Withdrawn rows stay, with their dates, as the record of what was agreed when.

A consent to share with an employer decides, when the employer reads, whether it sees the candidate's
cases (``recruitment``'s ``PlacementQuerySet.shared_with_employer``). A write that withdraws or gives one
also wakes the follow-up that flags the case for the recruiter and tells the partner agency
(``sharing_consents_changed``).
"""

import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from candidates.models import Candidate, Consent
from candidates.services.errors import ProfileErrors
from candidates.services.inserts import rows_insert
from core.jobs import queue_task_after_commit
from core.models import Organisation

# The follow-up of cases whose employer a consent to share names (recruitment.services.sharing). This app
# may not import recruitment: the task is named as a string (core.jobs). The consent rows are the durable
# record; a lost message is caught by the same task's periodic run.
SHARING_SYNC_TASK = "recruitment.tasks.sync_employer_sharing_task"

# What makes two consents for the same purpose and recipient the same consent.
_TERMS = ("countries", "text_version", "channel", "granted_at", "expires_at")
RECIPIENT_KINDS = {
    Consent.Purpose.SHARE_WITH_EMPLOYER: (Organisation.Kind.EMPLOYER,),
    Consent.Purpose.VIDEO_CV_WITH_EMPLOYER: (Organisation.Kind.EMPLOYER,),
    Consent.Purpose.SHARE_WITH_PARTNER: (*Organisation.PARTNER_KINDS, Organisation.Kind.PES),
}


@dataclass
class ConsentPlan:
    created: list[tuple[int, Consent]] = field(default_factory=list)  # (index in the list, new row)
    withdrawn: list[Consent] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.withdrawn)

    @property
    def created_with_index(self) -> list[tuple[int, Consent]]:
        return self.created


def _key(consent: Consent) -> tuple[str, int | None]:
    return consent.purpose, consent.recipient_id


def _terms(consent: Consent) -> tuple[Any, ...]:
    return tuple(getattr(consent, name) for name in _TERMS)


def consents_plan(
    candidate: Candidate,
    rows: Sequence[Mapping[str, Any]],
    *,
    open_consents: Iterable[Consent],
    errors: ProfileErrors,
) -> ConsentPlan:
    """Validate ``rows`` (the consents that should be in force) and plan what to record and withdraw,
    given the candidate's ``open_consents`` (read by the caller, for many candidates at once)."""
    wanted: dict[tuple[str, int | None], tuple[int, Consent]] = {}
    for index, row in enumerate(rows):
        consent = Consent(candidate=candidate, **row)
        path = f"consents.{index}"
        errors.full_clean(path, consent, exclude=["candidate"])
        kinds = RECIPIENT_KINDS.get(consent.purpose)  # type: ignore[call-overload]
        if kinds is not None and consent.recipient is None:
            errors.add(f"{path}.recipient", _("Sharing a profile needs a named recipient."))
        elif kinds is not None and consent.recipient is not None and consent.recipient.kind not in kinds:
            errors.add(f"{path}.recipient", _("This organisation cannot receive this kind of consent."))
        if _key(consent) in wanted:
            errors.add(
                f"{path}.purpose",
                ValidationError(
                    _("The same purpose and recipient as item %(index)d of this list."),
                    code="duplicate",
                    params={"index": wanted[_key(consent)][0]},
                ),
            )
        wanted[_key(consent)] = (index, consent)
    plan = ConsentPlan()
    current_by_key = {_key(c): c for c in open_consents}
    for key, (index, consent) in wanted.items():
        current = current_by_key.get(key)
        if current is not None and _terms(current) == _terms(consent):
            continue
        if current is not None:
            plan.withdrawn.append(current)
        plan.created.append((index, consent))
    plan.withdrawn += [c for key, c in current_by_key.items() if key not in wanted]
    return plan


def sharing_consents_changed(candidate_id: int) -> None:
    """After the current transaction commits, follow up the candidate's cases: a consent to share with an
    employer was withdrawn or given (any write path: the profile service, the admin)."""
    queue_task_after_commit(SHARING_SYNC_TASK, candidate_id)


def consents_apply(
    plans: Sequence[tuple[Candidate, ConsentPlan, bool]], *, now: datetime.datetime | None = None
) -> None:
    """Apply the consent plans of many candidates (candidate, plan, whether it is new) in two statements:
    withdraw first (one open consent per purpose and recipient), then record the new ones."""
    now = now or timezone.now()
    withdrawn = [consent for _candidate, plan, _new in plans for consent in plan.withdrawn]
    for consent in withdrawn:
        consent.withdrawn_at = max(now, consent.granted_at)
    if withdrawn:
        Consent.objects.bulk_update(withdrawn, ["withdrawn_at"])
    created = []
    for candidate, plan, _new in plans:
        for _index, consent in plan.created:
            consent.candidate_id = candidate.pk  # the id: nothing reads the candidate back from it
            created.append(consent)
    rows_insert(Consent, created)
    for candidate, plan, new in plans:
        changed = [*plan.withdrawn, *(consent for _index, consent in plan.created)]
        # A new candidate has no case an employer could stop seeing: nothing to follow up.
        if not new and any(consent.purpose == Consent.Purpose.SHARE_WITH_EMPLOYER for consent in changed):
            sharing_consents_changed(candidate.pk)
