"""Fill the review queue: score the probable duplicates among candidates and upsert open pairs.

One pass over the active and placed candidates (``COMPARED``): a handful of columns each, blocked and
scored in memory by ``duplicates.detection`` (100,000 candidates are a few tens of megabytes and some
seconds). Then, in one transaction: new pairs are added as open, open pairs get their new score and
reasons, and open pairs no longer found (a corrected name) leave the queue. A decided pair (merged or
rejected) is never touched again, so a rejected pair is never proposed again. Running it twice gives the
same queue; two runs at once add each pair once (the unique pair; the loser's insert is ignored).
"""

import datetime
import logging
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from candidates.models import Candidate
from duplicates.detection import Person, find_duplicates
from duplicates.models import COMPARED, DuplicatePair

logger = logging.getLogger(__name__)

READ_CHUNK = 5000
WRITE_BATCH = 1000


@dataclass
class DetectReport:
    """Counts only (logged and returned by the task)."""

    candidates: int = 0
    compared: int = 0
    skipped_blocks: int = 0
    added: int = 0
    updated: int = 0
    withdrawn: int = 0
    open: int = 0


def _people() -> list[Person]:
    rows = (
        Candidate.objects.filter(status__in=COMPARED)
        .order_by()
        .values_list("pk", "given_name", "family_name", "date_of_birth", "nationalities", "email", "phone")
        .iterator(chunk_size=READ_CHUNK)
    )
    return [
        Person(
            id=pk,
            given_name=given,
            family_name=family,
            date_of_birth=born,
            nationalities=tuple(nationalities or ()),
            email=email,
            phone=phone,
        )
        for pk, given, family, born, nationalities, email, phone in rows
    ]


def duplicates_detect(*, now: datetime.datetime | None = None) -> DetectReport:
    """Score every probable duplicate and bring the open pairs of the queue up to date."""
    now = now or timezone.now()
    people = _people()
    detection = find_duplicates(people)
    report = DetectReport(
        candidates=len(people), compared=detection.compared, skipped_blocks=detection.skipped_blocks
    )
    with transaction.atomic():
        existing = {
            (low, high): (pk, status, score, reasons)
            for pk, low, high, status, score, reasons in DuplicatePair.objects.values_list(
                "pk", "low_id", "high_id", "status", "score", "reasons"
            )
        }
        new: list[DuplicatePair] = []
        changed: list[DuplicatePair] = []
        for (low, high), verdict in detection.pairs.items():
            found = existing.get((low, high))
            if found is None:
                new.append(
                    DuplicatePair(
                        low_id=low,
                        high_id=high,
                        score=verdict.score,
                        reasons=list(verdict.reasons),
                        detected_at=now,
                    )
                )
            elif found[1] == DuplicatePair.Status.OPEN and (found[2], found[3]) != (
                verdict.score,
                list(verdict.reasons),
            ):
                changed.append(DuplicatePair(pk=found[0], score=verdict.score, reasons=list(verdict.reasons)))
        gone = [
            pk
            for pair, (pk, status, _score, _reasons) in existing.items()
            if status == DuplicatePair.Status.OPEN and pair not in detection.pairs
        ]
        DuplicatePair.objects.bulk_create(new, batch_size=WRITE_BATCH, ignore_conflicts=True)
        DuplicatePair.objects.bulk_update(changed, ["score", "reasons"], batch_size=WRITE_BATCH)
        for start in range(0, len(gone), WRITE_BATCH):
            DuplicatePair.objects.filter(
                pk__in=gone[start : start + WRITE_BATCH], status=DuplicatePair.Status.OPEN
            ).delete()
        report.added, report.updated, report.withdrawn = len(new), len(changed), len(gone)
        report.open = DuplicatePair.objects.filter(status=DuplicatePair.Status.OPEN).count()
    logger.info(
        "duplicates detected: %s candidates, %s pairs compared, %s blocks skipped, "
        "%s added, %s updated, %s withdrawn, %s open",
        report.candidates,
        report.compared,
        report.skipped_blocks,
        report.added,
        report.updated,
        report.withdrawn,
        report.open,
    )
    return report
