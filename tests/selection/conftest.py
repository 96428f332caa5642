"""The partner API's fixtures (a partner, its token, a candidate's body), for the video-CV API tests."""

from tests.api.conftest import _clear_cache, api_x, candidate_body, partner_x  # noqa: F401
