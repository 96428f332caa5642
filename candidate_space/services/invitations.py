"""Invitations and accounts: a one-time link by e-mail, then a password.

The link carries a random token (256 bits); only its SHA-256 digest is stored, so neither a copy of the
database nor the logs open an account. A link works once, for ``INVITATION_VALIDITY``, and only while it
is the candidate's latest: a new invitation supersedes the open one, in the same transaction that
creates it (the candidate row is locked, and a partial unique index allows one open link per candidate).

The token is never put in a task argument (monitoring tools display them): the e-mail goes out in the
request that created the link, after its commit. When sending fails, the link is superseded at once, so
no working link exists that nobody received, and the inviter is told.
"""

import datetime
import logging
import secrets

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from candidate_space.models import CandidateAccount, CandidateInvitation, invitation_token_digest
from candidates.models import Candidate
from core.models import User

logger = logging.getLogger(__name__)

# Long enough to find the e-mail after a weekend, short enough that a forgotten link soon stops working.
INVITATION_VALIDITY = datetime.timedelta(days=7)


class InvitationRefused(Exception):
    """An invitation that cannot be sent or accepted; ``message`` is for the person who tried."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(code)
        self.code = code
        self.message = message


def candidate_username(candidate: Candidate) -> str:
    """The name a candidate signs in with on the ordinary sign-in page: their e-mail address, in lower
    case (sign-in compares user names exactly)."""
    return candidate.email.strip().lower()


def _username_taken(username: str) -> bool:
    return User.objects.filter(username__iexact=username).exists()


def _check_invitable(candidate: Candidate) -> None:
    """Raise ``InvitationRefused`` when this candidate cannot be invited now (nothing is written)."""
    if candidate.status == Candidate.Status.ANONYMISED:
        raise InvitationRefused("anonymised", _("This candidate's data has been anonymised."))
    if not candidate.email.strip():
        raise InvitationRefused(
            "no_email", _("No e-mail address is recorded for this candidate: add one to invite them.")
        )
    if CandidateAccount.objects.filter(candidate=candidate).exists():
        raise InvitationRefused(
            "active",
            _(
                "This candidate already has an account. If they forgot their password, they can set a "
                "new one with “Forgot your password?” on the sign-in page."
            ),
        )
    username = candidate_username(candidate)
    if len(username) > User._meta.get_field("username").max_length:  # type: ignore[operator]
        raise InvitationRefused("email_too_long", _("This e-mail address is too long to sign in with."))
    if _username_taken(username):
        raise InvitationRefused(
            "username_taken",
            _(
                "Another account already signs in with this candidate's e-mail address. Record another "
                "address for the candidate, or ask the public employment service's administrators."
            ),
        )


def _language(candidate: Candidate) -> str:
    """The candidate's preferred language when the site speaks it, else English (the lingua franca of
    the projects abroad), never the inviter's language."""
    languages = {code for code, _name in settings.LANGUAGES}
    return candidate.preferred_language if candidate.preferred_language in languages else "en"


def _message(candidate: Candidate, inviter: User, token: str, site_url: str) -> EmailMessage:
    with translation.override(_language(candidate)):
        path = reverse("me:activate", kwargs={"token": token})
        organisation = inviter.organisation.name if inviter.organisation else ""
        context = {
            "given_name": candidate.given_name,
            "organisation": organisation,
            "url": f"{site_url}{path}",
            "days": INVITATION_VALIDITY.days,
            "username": candidate_username(candidate),
        }
        subject = _("Talentbrug: your personal space is ready to open")
        body = render_to_string("candidate_space/email/invitation.txt", context)
    return EmailMessage(subject=subject, body=body, to=[candidate.email.strip()])


def candidate_invitation_send(
    *, candidate: Candidate, invited_by: User, site_url: str, now: datetime.datetime | None = None
) -> CandidateInvitation:
    """Invite ``candidate`` to open their space: supersede any open link, create a new one and e-mail it
    in the candidate's language. ``site_url``: scheme and host the link starts with.

    The caller has authorised ``invited_by`` for this candidate. Raises ``InvitationRefused`` (nothing
    written) when the candidate has no e-mail, already has an account, or their address is taken.
    """
    now = now or timezone.now()
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        locked = Candidate.objects.select_for_update().get(pk=candidate.pk)
        _check_invitable(locked)
        CandidateInvitation.objects.filter(
            candidate=locked, used_at__isnull=True, superseded_at__isnull=True
        ).update(superseded_at=now)
        invitation = CandidateInvitation.objects.create(
            candidate=locked,
            token_hash=invitation_token_digest(token),
            sent_to=candidate_username(locked),
            invited_by=invited_by,
            created_at=now,
            expires_at=now + INVITATION_VALIDITY,
        )
    try:
        _message(locked, invited_by, token, site_url).send()
    except Exception:
        # No working link that nobody received: spend it now, then tell the inviter.
        CandidateInvitation.objects.filter(pk=invitation.pk, used_at__isnull=True).update(
            superseded_at=timezone.now()
        )
        logger.exception("candidate invitation not sent", extra={"invitation": invitation.pk})
        raise InvitationRefused(
            "not_sent", _("The e-mail could not be sent. Please try again later.")
        ) from None
    return invitation


def password_validate(*, candidate: Candidate, password: str) -> None:
    """Django's password validators, judged against the account the candidate is about to get."""
    user = User(
        username=candidate_username(candidate),
        email=candidate.email,
        first_name=candidate.given_name,
        last_name=candidate.family_name,
        role=User.Role.CANDIDATE,
    )
    password_validation.validate_password(password, user=user)


def candidate_account_activate(
    *, invitation: CandidateInvitation, password: str, now: datetime.datetime | None = None
) -> User:
    """Spend ``invitation`` and open the candidate's account with ``password`` (already validated with
    ``password_validate``); return the new user (role candidate, no organisation).

    Raises ``InvitationRefused`` when the link was spent, superseded or ran out meanwhile, the candidate
    already has an account, or their user name was taken since the invitation.
    """
    now = now or timezone.now()
    try:
        with transaction.atomic():
            # Spent by a conditional UPDATE: of two concurrent submissions, exactly one opens the account.
            if CandidateInvitation.objects.usable(now).filter(pk=invitation.pk).update(used_at=now) != 1:
                raise InvitationRefused("spent", _("This link is no longer valid."))
            candidate = Candidate.objects.select_for_update().get(pk=invitation.candidate_id)
            # The address was corrected since the link went out: the old mailbox opens nothing.
            if invitation.sent_to != candidate_username(candidate):
                raise InvitationRefused("spent", _("This link is no longer valid."))
            if CandidateAccount.objects.filter(candidate=candidate).exists():
                raise InvitationRefused("active", _("Your account is already open: please sign in."))
            username = candidate_username(candidate)
            if not username or _username_taken(username):
                raise InvitationRefused(
                    "username_taken",
                    _("This account cannot be opened. Please ask the person who invited you."),
                )
            user = User(
                username=username,
                email=candidate.email.strip(),
                first_name=candidate.given_name,
                last_name=candidate.family_name,
                role=User.Role.CANDIDATE,
                organisation=None,
                preferred_language=_language(candidate),
            )
            user.set_password(password)
            user.save()
            CandidateAccount.objects.create(
                user=user,
                candidate=candidate,
                invited_by_id=invitation.invited_by_id,
                invited_at=invitation.created_at,
                activated_at=now,
            )
    except IntegrityError:
        # A concurrent activation or registration took the account or the user name first.
        raise InvitationRefused(
            "conflict", _("This account cannot be opened. Please ask the person who invited you.")
        ) from None
    return user


def candidate_users_for_password_reset(email: str) -> list[User]:
    """The candidates' users a password reset asked for ``email`` may reach (core's password reset form):
    active, with a password, whose candidate's recorded address is ``email``, not the user row's.

    A user row still holding an address the agency corrected since is brought up to date first: the reset
    link's token covers the user's address, so it works for the address on record only, and a link sent
    earlier to the old address stops working.
    """
    email = email.strip()
    if not email:
        return []
    accounts = (
        CandidateAccount.objects.filter(
            candidate__email__iexact=email, user__is_active=True, user__role=User.Role.CANDIDATE
        )
        .exclude(candidate__status=Candidate.Status.ANONYMISED)
        .select_related("user", "candidate")
        .order_by("pk")
    )
    users = []
    for account in accounts:
        user, address = account.user, account.candidate.email.strip()
        if not user.has_usable_password():
            continue
        if user.email != address:
            user.email = address
            user.save(update_fields=["email"])
        users.append(user)
    return users


__all__ = [
    "INVITATION_VALIDITY",
    "InvitationRefused",
    "candidate_account_activate",
    "candidate_invitation_send",
    "candidate_username",
    "candidate_users_for_password_reset",
    "password_validate",
]
