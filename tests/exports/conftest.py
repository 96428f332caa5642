"""The web world of tests/web (two employers, a vacancy with an eligible match and a near-miss, a case
proposed to employer A) and its signed-in clients, for the downloads: the same fixtures as tests/web
(its fresh cache also keeps the funnel's per-process counts from leaking between tests)."""

from tests.web.conftest import _fresh_cache, employer_a, employer_b, recruiter, world

__all__ = ["_fresh_cache", "employer_a", "employer_b", "recruiter", "world"]
