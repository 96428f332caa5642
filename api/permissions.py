"""What a client may do: one OAuth2 scope per view and method, and an organisation in good standing.

A view names its scopes in ``required_scopes`` (method -> scope; HEAD follows GET). A token without the
scope gets a 403 naming the missing scope; a suspended or excluded partner organisation gets a 403 on
everything (domain.md 5.3). No token at all is a 401 (DRF, from the authentication class).
"""

from typing import Any

from django.utils.translation import gettext as _
from rest_framework.permissions import BasePermission
from rest_framework.request import Request


def required_scope(view: Any, method: str) -> str | None:
    scopes: dict[str, str] = getattr(view, "required_scopes", {})
    return scopes.get("GET" if method == "HEAD" else method)


class PartnerScopePermission(BasePermission):
    def has_permission(self, request: Request, view: Any) -> bool:
        token: Any = request.auth
        if token is None or request.user is None or not request.user.is_authenticated:
            return False
        organisation = request.user.organisation
        if organisation is None or organisation.is_suspended:
            self.message = _("Your organisation's access is suspended.")
            return False
        scope = required_scope(view, request.method or "GET")
        if scope is None:
            return True  # a method the view does not have: the view answers 405
        if not token.allow_scopes([scope]):
            self.message = _("This token lacks the scope %(scope)s.") % {"scope": scope}
            return False
        return True
