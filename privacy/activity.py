"""A candidate's last activity, as the retention job measures it (one definition for the job and its
preview), and the arithmetic of its period.

Activity is what shows the candidate, or someone working with them, still uses the service: a change of
their profile (by their agency, staff or the API: ``updated_at``), a sign-in to their space, a move of
one of their cases, a consent granted or withdrawn. A case that has not moved for the whole period is
not activity: a process that stalled for two years has ended in all but name.
"""

import calendar
import datetime
from typing import TYPE_CHECKING, TypedDict

from django.db.models import DateTimeField, F, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce, Greatest

from candidates.models import Candidate, Consent
from recruitment.models import Placement

if TYPE_CHECKING:  # django-stubs' helper exists for the type checker only (a development dependency)
    from django_stubs_ext import WithAnnotations


class LastActivity(TypedDict):
    last_activity: datetime.datetime


def months_before(moment: datetime.datetime, months: int) -> datetime.datetime:
    """``moment`` moved back by whole calendar months (the 31st becomes the month's last day)."""
    years, month_index = divmod(moment.month - 1 - months, 12)
    year, month = moment.year + years, month_index + 1
    return moment.replace(year=year, month=month, day=min(moment.day, calendar.monthrange(year, month)[1]))


def _latest(queryset: QuerySet[Placement] | QuerySet[Consent], column: str) -> Coalesce:
    latest = queryset.filter(**{f"{column}__isnull": False}).order_by(f"-{column}").values(column)[:1]
    # Every term falls back to the profile's own date: SQLite's MAX() of several values is NULL when
    # one of them is (PostgreSQL's GREATEST skips NULLs); the result is the same on both.
    return Coalesce(Subquery(latest, output_field=DateTimeField()), F("updated_at"))


def with_last_activity(
    candidates: QuerySet[Candidate],
) -> "QuerySet[WithAnnotations[Candidate, LastActivity]]":
    """``candidates`` annotated with ``last_activity`` (a correlated subquery per source)."""
    return candidates.annotate(
        last_activity=Greatest(
            F("updated_at"),
            Coalesce(F("account__user__last_login"), F("updated_at")),
            _latest(Placement.objects.filter(candidate=OuterRef("pk")), "stage_changed_at"),
            _latest(Consent.objects.filter(candidate=OuterRef("pk")), "granted_at"),
            _latest(Consent.objects.filter(candidate=OuterRef("pk")), "withdrawn_at"),
            output_field=DateTimeField(),
        )
    )
