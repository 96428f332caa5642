"""Background jobs as their pages see them: a job is visible to the user who started it, and no one else."""

from django.db.models import QuerySet

from core.models import BackgroundJob, User


def background_jobs_visible_to(*, user: User) -> QuerySet[BackgroundJob]:
    """The jobs ``user`` started (another user's job, staff included, is not found: a 404)."""
    return BackgroundJob.objects.filter(requested_by=user)
