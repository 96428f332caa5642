"""The web world of tests/web and its signed-in clients (its fresh cache also keeps the funnel's
per-process counts from leaking between tests)."""

from tests.web.conftest import _fresh_cache, employer_a, employer_b, recruiter, world

__all__ = ["_fresh_cache", "employer_a", "employer_b", "recruiter", "world"]
