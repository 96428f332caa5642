"""Pruning the match history kept for readers: the dashboard's change counts and the partners' removals.

Both tables grow with every recompute (``recruitment.services.upsert``); what is older than its retention
answers no question any more. A dashboard last marked as read before ``MATCH_CHANGE_RETENTION_DAYS`` shows
the changes within that window; a partner asking for removals before ``MATCH_REMOVAL_RETENTION_DAYS`` is
told to synchronise from scratch (docs/api.md).
"""

import datetime

from django.conf import settings
from django.db import transaction

from recruitment.models import MatchChangeCount, MatchRemoval


@transaction.atomic
def match_history_prune(*, now: datetime.datetime) -> tuple[int, int]:
    """Delete change counts and removals older than their retention; returns how many of each went."""
    changes, _by_model = MatchChangeCount.objects.filter(
        hour__lt=now - datetime.timedelta(days=settings.MATCH_CHANGE_RETENTION_DAYS)
    ).delete()
    removals, _by_model = MatchRemoval.objects.filter(
        removed_at__lt=now - datetime.timedelta(days=settings.MATCH_REMOVAL_RETENTION_DAYS)
    ).delete()
    return changes, removals
