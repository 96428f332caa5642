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
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from candidates.models import Candidate, Consent
from candidates.services.errors import ProfileErrors
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
    candidate: Candidate, rows: Sequence[Mapping[str, Any]], *, errors: ProfileErrors
) -> ConsentPlan:
    """Validate ``rows`` (the consents that should be in force) and plan what to record and withdraw."""
    wanted: dict[tuple[str, int | None], tuple[int, Consent]] = {}
    for index, row in enumerate(rows):
        consent = Consent(candidate=candidate, **row)
        path = f"consents.{index}"
        try:
            consent.full_clean(exclude=["candidate"], validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            errors.add_django(path, exc)
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
    open_consents = (
        {} if candidate.pk is None else {_key(c): c for c in candidate.consents.filter(withdrawn_at=None)}
    )
    for key, (index, consent) in wanted.items():
        current = open_consents.get(key)
        if current is not None and _terms(current) == _terms(consent):
            continue
        if current is not None:
            plan.withdrawn.append(current)
        plan.created.append((index, consent))
    plan.withdrawn += [c for key, c in open_consents.items() if key not in wanted]
    return plan


def sharing_consents_changed(candidate_id: int) -> None:
    """After the current transaction commits, follow up the candidate's cases: a consent to share with an
    employer was withdrawn or given (any write path: the profile service, the admin)."""
    queue_task_after_commit(SHARING_SYNC_TASK, candidate_id)


def consents_apply(candidate: Candidate, plan: ConsentPlan, *, now: datetime.datetime | None = None) -> None:
    """Withdraw first (one open consent per purpose and recipient), then record the new ones."""
    now = now or timezone.now()
    for consent in plan.withdrawn:
        consent.withdrawn_at = max(now, consent.granted_at)
        consent.save(update_fields=["withdrawn_at"])
    for _index, consent in plan.created:
        consent.candidate = candidate
    Consent.objects.bulk_create([consent for _index, consent in plan.created])
    changed = [*plan.withdrawn, *(consent for _index, consent in plan.created)]
    if any(consent.purpose == Consent.Purpose.SHARE_WITH_EMPLOYER for consent in changed):
        sharing_consents_changed(candidate.pk)
