"""What ``updated_since`` promises a partner that keeps a copy of its data (docs/api.md, "Staying in sync").

- A list given ``updated_since`` shows the rows whose change time is at or after it: a candidate's or a
  vacancy's ``updated_at``, a match's ``computed_at``, a placement's ``stage_changed_at``. What left the
  partner's view is listed by ``/candidates/removed/``, ``/vacancies/removed/`` and ``/matches/removed/``.
- Change times are taken before the change commits: a recompute stamps its matches (and their removals)
  with the moment it started, and may commit up to ``CELERY_TASK_TIME_LIMIT`` seconds later. A partner
  that asked at 10:00 and next asks for changes since 10:00 would miss a match stamped 09:58 that
  committed at 10:01. So each answer proposes ``next_updated_since``: the moment of the walk's first
  page minus that lag and a margin. A few rows come twice; none is missed.
- Removed matches are kept ``MATCH_REMOVAL_RETENTION_DAYS``: asking ``/matches/`` or
  ``/matches/removed/`` for changes since an older moment is a 410 (synchronise from scratch), since the
  removals in between may be gone.
"""

import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from api.problems import ResyncRequired

# On top of the task time limit: clocks of the web and worker machines, and the commit itself.
MARGIN = datetime.timedelta(seconds=60)


def as_text(moment: datetime.datetime) -> str:
    """A moment as clients read it: ISO 8601 in UTC with ``Z`` (nothing to URL-encode)."""
    return moment.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z")


def commit_lag() -> datetime.timedelta:
    """How long after its change time a change may still commit: the longest a recompute may run."""
    return datetime.timedelta(seconds=int(settings.CELERY_TASK_TIME_LIMIT)) + MARGIN


def next_updated_since(now: datetime.datetime | None = None) -> datetime.datetime:
    """What a partner that reads a list now should pass as ``updated_since`` next time."""
    return (now or timezone.now()) - commit_lag()


def removal_retention() -> datetime.timedelta:
    return datetime.timedelta(days=settings.MATCH_REMOVAL_RETENTION_DAYS)


def require_removals_kept(updated_since: datetime.datetime, now: datetime.datetime | None = None) -> None:
    """A 410 when removed matches since ``updated_since`` may have been pruned already."""
    retention = removal_retention()
    if updated_since < (now or timezone.now()) - retention:
        raise ResyncRequired(
            _(
                "Removed matches are kept for %(days)d days, so changes since this moment cannot be "
                "listed completely. Synchronise from scratch: read every page of /matches/ without "
                "updated_since, replace your copy with it, and continue with its next_updated_since."
            )
            % {"days": retention.days},
            errors=[
                {
                    "parameter": "updated_since",
                    "detail": _("Older than %(days)d days.") % {"days": retention.days},
                    "code": "too_old",
                }
            ],
        )
