"""Who may open the staff's welcome pages: every staff user reads them; editing and publishing also
need the permission to change information pages (``welcome.change_informationpage``, given in the
administration to the people who maintain the content; a superuser holds it). Anyone else gets a 403
before anything is looked up, logged as a security event."""

from functools import wraps
from typing import ParamSpec

from django.core.exceptions import PermissionDenied
from django.http import HttpResponseBase

from core.security import log_denial
from recruitment.views.common import AppRequest, View, staff_required
from welcome.selectors import can_edit_pages

P = ParamSpec("P")


def editor_required(view: View[P]) -> View[P]:
    """Staff (``staff_required``: anonymous users go to sign in) who may edit the pages."""

    @wraps(view)
    def wrapped(request: AppRequest, *args: P.args, **kwargs: P.kwargs) -> HttpResponseBase:
        if not can_edit_pages(request.user):
            log_denial(request, "permission:welcome")
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return staff_required(wrapped)


__all__ = ["editor_required", "staff_required"]
