"""The web world's signed-in clients (tests/web) and the partner API's (tests/api), reused as they are."""

from tests.api.conftest import _clear_cache, api_x, candidate_body, partner_x
from tests.web.conftest import _fresh_cache, employer_a, employer_b, recruiter, world

__all__ = [
    "_clear_cache",
    "_fresh_cache",
    "api_x",
    "candidate_body",
    "employer_a",
    "employer_b",
    "partner_x",
    "recruiter",
    "world",
]
