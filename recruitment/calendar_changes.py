"""What the calendar alone changes in a candidate's facts, with no profile version moving: a consent
starting or expiring, an experience under way counting one more day, a licence ending, a diploma
passing the trainee route's two-year limit. The snapshot
(``recruitment.snapshot``) rebuilds only those rows when the clock or the day moves (docs/adr/0008).
Split from ``recruitment.adapters``, which builds the facts themselves."""

import datetime

from django.db.models import Q
from django.utils import timezone

from candidates.models import Consent, Diploma, Licence, WorkExperience
from recruitment.adapters import candidates_scope
from recruitment.matching.routes import TRAINEE_DIPLOMA_MONTHS, months_before


def consents_changing(candidate_ids: list[int], now: datetime.datetime) -> dict[int, datetime.datetime]:
    """Candidate id -> the next instant after ``now`` at which the share-with-employer consents in force
    change by the clock alone (one expires, or one granted with a later start takes effect). Facts built
    at ``now`` hold until then at most: the facts cache drops them at that instant."""
    changing: dict[int, datetime.datetime] = {}
    if not candidate_ids:
        return changing
    consents = Consent.objects.filter(
        Q(expires_at__gt=now) | Q(granted_at__gt=now),
        **candidates_scope(candidate_ids),
        purpose=Consent.Purpose.SHARE_WITH_EMPLOYER,
        withdrawn_at__isnull=True,
    ).values_list("candidate_id", "granted_at", "expires_at")
    for candidate_id, granted_at, expires_at in consents:
        at = granted_at if granted_at > now or expires_at is None else expires_at
        if candidate_id not in changing or at < changing[candidate_id]:
            changing[candidate_id] = at
    return changing


def facts_change_on(candidate_ids: list[int], day: datetime.date) -> dict[int, datetime.date]:
    """Candidate id -> the first day after ``day`` on which their facts may differ by the calendar alone
    (no version changes): an experience still under way counts one more day (``_years``), a licence
    stops being valid the day after ``valid_until``. Candidates absent: nothing changes by date."""
    changes: dict[int, datetime.date] = {}
    if not candidate_ids:
        return changes
    tomorrow = day + datetime.timedelta(days=1)
    ongoing = WorkExperience.objects.filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=day), **candidates_scope(candidate_ids), fte__gt=0
    ).values_list("candidate_id", "started_on")
    for candidate_id, started_on in ongoing:
        at = max(tomorrow, started_on + datetime.timedelta(days=1))
        if candidate_id not in changes or at < changes[candidate_id]:
            changes[candidate_id] = at
    expiring = Licence.objects.filter(
        **candidates_scope(candidate_ids), valid_or_exchangeable_in_belgium=True, valid_until__gte=day
    ).values_list("candidate_id", "valid_until")
    for candidate_id, valid_until in expiring:
        if valid_until is None:  # excluded by the filter; for the type checker
            continue
        at = valid_until + datetime.timedelta(days=1)
        if candidate_id not in changes or at < changes[candidate_id]:
            changes[candidate_id] = at
    return changes


def candidates_changed_by_date(since: datetime.date, day: datetime.date) -> set[int]:
    """The candidates whose facts on ``day`` may differ from those on ``since`` by the calendar alone
    (a superset): an experience under way between the two days, a licence ending in between, a consent
    starting or ending in between, a diploma passing the trainee route's two-year limit in between
    (``routes.trainee_diploma``: recent while awarded on or after ``months_before(day, 24)``; any level
    here, a superset). Ages are the caller's (they come with the date of birth)."""
    start = timezone.make_aware(datetime.datetime.combine(since, datetime.time.min))
    end = timezone.make_aware(datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min))
    experiences = WorkExperience.objects.filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=since), started_on__lt=day, fte__gt=0
    ).values_list("candidate_id", flat=True)
    licences = Licence.objects.filter(
        valid_or_exchangeable_in_belgium=True, valid_until__gte=since, valid_until__lt=day
    ).values_list("candidate_id", flat=True)
    consents = Consent.objects.filter(
        Q(granted_at__gte=start, granted_at__lt=end) | Q(expires_at__gte=start, expires_at__lt=end),
        purpose=Consent.Purpose.SHARE_WITH_EMPLOYER,
        withdrawn_at__isnull=True,
    ).values_list("candidate_id", flat=True)
    # The diploma's stored row does not change: the evaluation compares its date with the day's limit.
    diplomas = Diploma.objects.filter(
        awarded_on__gte=months_before(since, TRAINEE_DIPLOMA_MONTHS),
        awarded_on__lt=months_before(day, TRAINEE_DIPLOMA_MONTHS),
    ).values_list("candidate_id", flat=True)
    return (
        set(experiences.distinct())
        | set(licences.distinct())
        | set(consents.distinct())
        | set(diplomas.distinct())
    )
