from tests.web.conftest import _fresh_cache, recruiter, world

__all__ = ["_fresh_cache", "recruiter", "world"]
