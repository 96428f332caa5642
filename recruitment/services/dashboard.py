"""The recruiter's dashboard: marking what it shows as read."""

import datetime

from django.db import transaction
from django.utils import timezone

from core.models import User
from recruitment.models import DashboardVisit


@transaction.atomic
def dashboard_mark_read(*, user: User, shown_at: datetime.datetime | None = None) -> datetime.datetime:
    """Record that ``user`` has read their dashboard as it was at ``shown_at`` (default: now); returns
    the time recorded.

    ``shown_at`` is when the page the user read was built: a change that landed after it, while they
    were reading, stays unread. The time never moves back (a second tab marking an older page as read
    leaves the later time) nor into the future. Idempotent: one row per user, updated in place.
    """
    now = timezone.now()
    moment = now if shown_at is None else min(shown_at, now)
    visit, created = DashboardVisit.objects.select_for_update().get_or_create(
        user=user, defaults={"seen_at": moment}
    )
    if not created and visit.seen_at < moment:
        visit.seen_at = moment
        visit.save(update_fields=["seen_at"])
    return max(visit.seen_at, moment)
