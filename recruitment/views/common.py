"""What every page of the browser application shares: who may open it, and how a refusal looks.

Authorisation has two steps. The role decides which pages a user may open at all (a partner user on a
recruiter page gets a 403, before any object is looked up, so it reveals nothing). Then every object is
fetched through a selector scoped to the user (``recruitment.selectors``): an object of another
organisation is not found, a 404, exactly like one that does not exist. Both are logged as security
events.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any, Concatenate, ParamSpec, TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponseBase
from django_htmx.middleware import HtmxDetails

from core.models import User
from core.roles import is_partner_user, is_pes_staff, is_staff_user
from core.security import log_denial, sign_in_first

P = ParamSpec("P")
M = TypeVar("M", bound=Model)


class AppRequest(HttpRequest):
    """A request as these views see it: signed in (the decorators ensure it) and HTMX-aware."""

    user: User
    htmx: HtmxDetails


View = Callable[Concatenate[AppRequest, P], HttpResponseBase]


def _role_required(allowed: Callable[[User], bool], area: str) -> Callable[[View[P]], View[P]]:
    def decorator(view: View[P]) -> View[P]:
        @wraps(view)
        def wrapped(request: AppRequest, *args: P.args, **kwargs: P.kwargs) -> HttpResponseBase:
            if not request.user.is_authenticated:
                return sign_in_first(request)
            if not allowed(request.user):
                log_denial(request, f"role:{area}")
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def _is_employer_user(user: User) -> bool:
    return user.role == User.Role.EMPLOYER_USER and user.organisation_id is not None


# Pages of the public employment service's staff (recruiters, coordinators, administrators).
staff_required = _role_required(is_staff_user, "staff")
# Pages of an employer's own users.
employer_required = _role_required(_is_employer_user, "employer")


# What only the public employment service itself may do, not a coordinator employed by a partner agency
# or an international organisation: act in its name towards others (the EU Talent Pool export names it
# as the contact point).
pes_staff_required = _role_required(is_pes_staff, "pes-staff")


# Pages of a partner agency's users (their own candidates).
partner_required = _role_required(is_partner_user, "partner")


def _may_read_access_log(user: User) -> bool:
    return user.is_superuser or user.has_perm("candidates.view_profileaccess")


# The access log of candidates' profiles: the data protection officer (a superuser, or anyone given the
# permission to view profile accesses), whatever their role.
access_log_reader_required = _role_required(_may_read_access_log, "access-log")


def get_scoped_or_404(request: HttpRequest, queryset: QuerySet[M], **lookup: Any) -> M:
    """The object ``lookup`` finds in the user's scope, or a 404 (the same for "not yours" and "none")."""
    found = queryset.filter(**lookup).first()
    if found is None:
        log_denial(request, f"not-found:{queryset.model._meta.label}")
        raise Http404
    return found
