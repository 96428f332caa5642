"""Who is calling: an OAuth2 bearer token of a partner organisation's client, and nothing else.

Browser sessions do not authenticate the API (no ``SessionAuthentication``: a logged-in recruiter's
cookie is ignored here, which also makes CSRF moot), and a bearer token does not open the browser pages
(no token middleware there). A client-credentials token has no user of its own; the request runs as the
application's owner, a service user of the partner organisation, so ``request.user.organisation`` scopes
every query.
"""

from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.utils.translation import gettext_lazy as _
from oauth2_provider.contrib.rest_framework import OAuth2Authentication
from oauth2_provider.models import AbstractApplication
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.request import Request

from api.problems import PayloadTooLarge
from core.models import Organisation, User


class PartnerTokenAuthentication(OAuth2Authentication):
    www_authenticate_realm = "talentbrug-api"

    def authenticate(self, request: Request) -> tuple[User, Any] | None:
        # "Authorization: Bearer <token>" only (docs/api.md): without that header oauthlib would take
        # ``access_token`` from a form body, where servers and proxies may log it.
        parts = request.META.get("HTTP_AUTHORIZATION", "").split()
        if len(parts) != 2 or parts[0].lower() != "bearer":
            return None
        # The underlying Django request: DOT reads ``request.POST`` for a token in a form body, which on a
        # DRF request would parse the JSON body before we know who is asking.
        try:
            result = super().authenticate(request._request)
        except RequestDataTooBig as exc:
            raise PayloadTooLarge() from exc
        if result is None:
            return None
        _user, token = result
        application = token.application
        if application is None or application.authorization_grant_type != (
            AbstractApplication.GRANT_CLIENT_CREDENTIALS
        ):
            raise AuthenticationFailed(_("This token was not issued to a partner client."))
        # The owner with its organisation in one query (``application.user``, then ``.organisation``, would
        # be two more on every request).
        owner: User | None = (
            User.objects.select_related("organisation").filter(pk=application.user_id).first()
            if application.user_id is not None
            else None
        )
        if (
            owner is None
            or not owner.is_active
            or owner.role != User.Role.PARTNER_USER
            or owner.organisation is None
            or owner.organisation.kind not in Organisation.PARTNER_KINDS
        ):
            raise AuthenticationFailed(_("This client no longer belongs to a partner organisation."))
        return owner, token
