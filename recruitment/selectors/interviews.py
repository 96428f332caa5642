"""Reads of interview slots. Never writes."""

from django.db.models import QuerySet

from recruitment.models import InterviewSlot, Placement


def interview_slots_for(placement: Placement) -> QuerySet[InterviewSlot]:
    """The slots of one case, soonest first (the case is fetched through a scoped selector first)."""
    return InterviewSlot.objects.filter(placement=placement).order_by("starts_at", "pk")
