"""What every page of the candidate's space shares: who may open it.

A candidate page first checks the role (signed in, a candidate with an active account): anyone else gets
a 403 before anything is looked up, logged as a security event. The candidate found is put on the
request (``request.candidate``) and every read on the page starts from it, so another candidate's
object is simply not found (a 404).
"""

from collections.abc import Callable
from functools import wraps
from typing import Concatenate, ParamSpec

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase
from django_htmx.middleware import HtmxDetails

from candidate_space.selectors import candidate_for_user, may_act_for_candidates
from candidates.models import Candidate
from core.models import User
from core.security import log_denial, sign_in_first

P = ParamSpec("P")


class CandidateRequest(HttpRequest):
    """A request on a candidate page: signed in as a candidate (the decorator ensures it)."""

    user: User
    candidate: Candidate
    htmx: HtmxDetails


CandidateView = Callable[Concatenate[CandidateRequest, P], HttpResponseBase]


def candidate_required(view: CandidateView[P]) -> CandidateView[P]:
    """Only a signed-in candidate with an active account (``candidate_for_user``); sets
    ``request.candidate``. Not signed in: the sign-in page. Anyone else: 403, logged."""

    @wraps(view)
    def wrapped(request: CandidateRequest, *args: P.args, **kwargs: P.kwargs) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return sign_in_first(request)
        candidate = candidate_for_user(user=request.user)
        if candidate is None:
            log_denial(request, "role:candidate")
            raise PermissionDenied
        request.candidate = candidate
        return view(request, *args, **kwargs)

    return wrapped


class StaffOrPartnerRequest(HttpRequest):
    user: User
    htmx: HtmxDetails


StaffOrPartnerView = Callable[Concatenate[StaffOrPartnerRequest, P], HttpResponseBase]


def staff_or_partner_required(view: StaffOrPartnerView[P]) -> StaffOrPartnerView[P]:
    """Pages that serve candidates from the other side: the public employment service's staff and partner
    agencies' users (each sees only the candidates in their care). Anyone else: 403, logged."""

    @wraps(view)
    def wrapped(request: StaffOrPartnerRequest, *args: P.args, **kwargs: P.kwargs) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return sign_in_first(request)
        if not may_act_for_candidates(request.user):
            log_denial(request, "role:staff-or-partner")
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped
