"""Inviting a candidate (their partner agency's users, recruiters) and the candidate's first visit: the
one-time link, then a password. A second factor is offered on their overview, never forced.

The link's token is in the address only on the first request: it is swapped for its digest in the
session and the browser is sent on to a page without it, so the token does not linger in the history
or leak through a Referer header (as Django's password reset does). Every link that does not open an
account (unknown, used, superseded, expired) gets the same page: nothing tells which.
"""

import time
from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from candidate_space import selectors
from candidate_space.forms import SetPasswordForm
from candidate_space.models import CandidateInvitation
from candidate_space.services.invitations import (
    InvitationRefused,
    candidate_account_activate,
    candidate_invitation_send,
    candidate_username,
    password_validate,
)
from candidate_space.views.common import StaffOrPartnerRequest, staff_or_partner_required
from core.security import SESSION_AUTHENTICATED_AT, SESSION_SEEN_AT, log_denial
from recruitment.selectors import is_staff_user

# The invitation being accepted, between the link and the password form: its token's digest.
SESSION_INVITATION = "tb_candidate_invitation"


def _site_url(request: HttpRequest) -> str:
    """The scheme and host the link in the e-mail starts with: the configured site address, else this
    request's (the inviter's browser reached us there)."""
    return settings.SITE_URL or f"{request.scheme}://{request.get_host()}"


def _back(request: StaffOrPartnerRequest, public_id: UUID) -> HttpResponseRedirect:
    namespace = "recruiter" if is_staff_user(request.user) else "partner"
    return redirect(f"{namespace}:candidate_detail", public_id=public_id)


@staff_or_partner_required
@require_POST
def invitation_send(request: StaffOrPartnerRequest, public_id: UUID) -> HttpResponseBase:
    """Send a candidate in the user's care the link to open their space (supersedes an earlier link)."""
    candidate = selectors.candidate_in_care_of(user=request.user, public_id=public_id)
    if candidate is None:
        log_denial(request, "not-found:candidates.Candidate")
        raise Http404
    try:
        candidate_invitation_send(candidate=candidate, invited_by=request.user, site_url=_site_url(request))
    except InvitationRefused as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _(
                "The invitation is sent to the candidate's e-mail address. The link works once, for "
                "seven days; an earlier link no longer works."
            ),
        )
    return _back(request, public_id)


def _invalid(request: HttpRequest) -> HttpResponse:
    return render(request, "candidate_space/invitation_invalid.html", status=404)


@never_cache
@sensitive_variables("token")
@require_safe
def activate(request: HttpRequest, token: str) -> HttpResponse:
    invitation = selectors.invitation_for_token(token=token)
    if invitation is None:
        return _invalid(request)
    request.session[SESSION_INVITATION] = invitation.token_hash
    # A new session id from here on: a session id planted in the browser beforehand (a session fixation)
    # must not carry the right to choose this account's password.
    request.session.cycle_key()
    return redirect("me:activate_password")


def _pending_invitation(request: HttpRequest) -> CandidateInvitation | None:
    digest = request.session.get(SESSION_INVITATION)
    return selectors.invitation_for_digest(digest=digest) if isinstance(digest, str) else None


@never_cache
@sensitive_post_parameters("password1", "password2")
@require_http_methods(["GET", "POST"])
def activate_password(request: HttpRequest) -> HttpResponseBase:
    invitation = _pending_invitation(request)
    if invitation is None:
        return _invalid(request)
    candidate = invitation.candidate
    form = SetPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        password = form.cleaned_data["password1"]
        try:
            password_validate(candidate=candidate, password=password)
        except ValidationError as exc:
            form.add_error("password1", exc)
        else:
            try:
                user = candidate_account_activate(invitation=invitation, password=password)
            except InvitationRefused as exc:
                request.session.pop(SESSION_INVITATION, None)
                messages.error(request, exc.message)
                return _invalid(request)
            request.session.pop(SESSION_INVITATION, None)
            login(request, user)  # rotates the session key
            now = int(time.time())
            request.session[SESSION_AUTHENTICATED_AT] = now
            request.session[SESSION_SEEN_AT] = now
            messages.success(request, _("Welcome! Your account is open."))
            return redirect("me:home")
    return render(
        request,
        "candidate_space/activate.html",
        {"form": form, "given_name": candidate.given_name, "username": candidate_username(candidate)},
    )
