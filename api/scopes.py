"""OAuth2 scopes of the partner API, and the backend that limits each client to its own scopes.

The scope names and their descriptions live in ``settings.OAUTH2_PROVIDER["SCOPES"]``; a client may be
granted only the scopes listed on its ``PartnerClient`` row. A token request without ``scope`` gets all
of them; one asking for more is refused (``invalid_scope``).
"""

from typing import Any

from oauth2_provider.scopes import BaseScopes
from oauth2_provider.settings import oauth2_settings

from api.models import PartnerClient

CANDIDATES_READ = "candidates:read"
CANDIDATES_WRITE = "candidates:write"
VACANCIES_READ = "vacancies:read"
MATCHES_READ = "matches:read"
PLACEMENTS_READ = "placements:read"
WEBHOOKS_MANAGE = "webhooks:manage"

ALL_SCOPES = (
    CANDIDATES_READ,
    CANDIDATES_WRITE,
    VACANCIES_READ,
    MATCHES_READ,
    PLACEMENTS_READ,
    WEBHOOKS_MANAGE,
)


def scope_descriptions() -> dict[str, str]:
    return {name: str(text) for name, text in oauth2_settings.SCOPES.items()}


class PartnerClientScopes(BaseScopes):
    """django-oauth-toolkit scopes backend: available = the client's allowed scopes."""

    def get_all_scopes(self) -> dict[str, str]:
        return scope_descriptions()

    def get_available_scopes(
        self, application: Any = None, request: Any = None, *args: Any, **kwargs: Any
    ) -> list[str]:
        if application is None:
            return []
        allowed = (
            PartnerClient.objects.filter(application=application).values_list("scopes", flat=True).first()
        )
        known = oauth2_settings.SCOPES
        return [scope for scope in (allowed or []) if scope in known]

    def get_default_scopes(
        self, application: Any = None, request: Any = None, *args: Any, **kwargs: Any
    ) -> list[str]:
        return self.get_available_scopes(application, request)
