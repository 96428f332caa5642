"""Browser pages of the recruitment domain: the landing page, the recruiter's and the employer's pages."""

from recruitment.views.home import home, work_start

__all__ = ["home", "work_start"]
