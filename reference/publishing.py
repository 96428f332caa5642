"""Publishing an uploaded year's thresholds or a shortage list (``reference.uploads``), and the preview's
"what if": the same writes inside a savepoint that is rolled back.

The plan was checked when the file was uploaded; publishing checks again, in its transaction, that no
period published since (by someone else, in the admin) overlaps it, writes everything or nothing, and
wakes the match sweeper (``reference_data_changed``): the reference facts changed, so the basis of the
open vacancies' matches did, and they are recomputed.
"""

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import TypeVar

from django.db import transaction
from django.utils.translation import gettext as _

from core.choices import Region
from reference.models import SalaryThreshold, ShortageList, ShortageListEntry, ShortageListOccupation
from reference.services import reference_data_changed
from reference.uploads import Plan, UploadError

T = TypeVar("T")


def _day(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def _overlaps(
    start: datetime.date,
    end: datetime.date | None,
    other_start: datetime.date,
    other_end: datetime.date | None,
) -> bool:
    return (other_end is None or start <= other_end) and (end is None or other_start <= end)


def plan_conflicts(plan: Plan) -> list[str]:
    """Periods published since the upload that the plan would now overlap (the plan's own closings and
    same-start replacements aside)."""
    closing = {(close["model"], close["pk"]) for close in plan.closes}
    problems = []
    for row in plan.thresholds:
        start, end = _day(row["valid_from"]), _day(row["valid_to"])
        assert start is not None
        for pk, other_start, other_end in SalaryThreshold.objects.filter(
            region=Region.FLANDERS, category=row["category"]
        ).values_list("pk", "valid_from", "valid_to"):
            if ("threshold", pk) in closing or other_start == start:
                continue
            if _overlaps(start, end, other_start, other_end):
                problems.append(
                    _("A %(category)s threshold published since the upload overlaps %(start)s: upload again.")
                    % {
                        "category": SalaryThreshold.Category(row["category"]).label,
                        "start": start.isoformat(),
                    }
                )
    if plan.shortage_list:
        start, end = _day(plan.shortage_list["valid_from"]), _day(plan.shortage_list["valid_to"])
        assert start is not None
        for pk, other_start, other_end in ShortageList.objects.filter(
            region=Region.FLANDERS, kind=plan.shortage_list["kind"]
        ).values_list("pk", "valid_from", "valid_to"):
            if ("shortage_list", pk) not in closing and _overlaps(start, end, other_start, other_end):
                problems.append(_("A list published since the upload overlaps this period: upload again."))
    return problems


def apply_plan(plan: Plan) -> None:
    """The writes, in the caller's transaction."""
    for close in plan.closes:
        model = SalaryThreshold if close["model"] == "threshold" else ShortageList
        model.objects.filter(pk=close["pk"]).update(valid_to=_day(close["valid_to"]))
    source = _("Uploaded file %(name)s") % {"name": plan.filename} if plan.filename else ""
    for row in plan.thresholds:
        SalaryThreshold.objects.update_or_create(
            region=Region.FLANDERS,
            category=row["category"],
            valid_from=datetime.date.fromisoformat(row["valid_from"]),
            defaults={
                "valid_to": _day(row["valid_to"]),
                "annual_gross_eur": Decimal(row["amount"]),
                "confirmed": True,  # the official figures
                "basis_note": row["note"],
                "source": source,
            },
        )
    if plan.shortage_list:
        meta = plan.shortage_list
        shortage_list = ShortageList.objects.create(
            kind=meta["kind"],
            region=Region.FLANDERS,
            title=meta["title"],
            valid_from=datetime.date.fromisoformat(meta["valid_from"]),
            valid_to=_day(meta["valid_to"]),
            legal_reference=meta["legal_reference"],
            source="\n".join(part for part in (meta["source"], source) if part),
        )
        entries = ShortageListEntry.objects.bulk_create(
            ShortageListEntry(
                shortage_list=shortage_list,
                title_nl=entry["title_nl"],
                title_fr=entry["title_fr"],
                title_en=entry["title_en"],
                isco_code=entry["isco_code"],
                competent_code=entry["competent_code"],
                verified=True,  # taken from the published list itself
            )
            for entry in plan.entries
        )
        ShortageListOccupation.objects.bulk_create(
            ShortageListOccupation(entry_id=saved.pk, occupation_id=occupation_id, fit=fit)
            for saved, entry in zip(entries, plan.entries, strict=True)
            for occupation_id, fit in entry["occupations"]
        )


@transaction.atomic
@transaction.atomic
def reference_publish(plan: Plan) -> None:
    """Write the plan in one transaction and wake the match sweeper; ``UploadError`` (nothing written)
    when a period published since the upload now overlaps it.

    The region's published rows of the plan's kind are locked first, so two publications at once (a
    double click, two maintainers) run one after the other, and the second checks its periods against
    what the first wrote."""
    published = SalaryThreshold if plan.kind == "thresholds" else ShortageList
    list(published.objects.select_for_update().filter(region=Region.FLANDERS).values_list("pk", flat=True))
    problems = plan_conflicts(plan)
    if problems:
        raise UploadError(problems)
    apply_plan(plan)
    reference_data_changed()


class _Rollback(Exception):
    pass


def with_plan_applied(plan: Plan, read: Callable[[], T]) -> T:
    """What ``read`` returns once the plan is written, the writes then undone: the preview reads the
    reference data through the very rule and code the pages use, without publishing anything."""
    result: list[T] = []
    try:
        with transaction.atomic():
            apply_plan(plan)
            result.append(read())
            raise _Rollback
    except _Rollback:
        pass
    return result[0]
