"""Forms of the sign-in pages: the password step (with a failure limit), the TOTP code step and the
password reset request."""

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.forms import PasswordResetForm as DjangoPasswordResetForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.models import User
from core.security import client_ip, sign_in_blocked, sign_in_failed, sign_in_succeeded

# Who a password reset for an address reaches among candidates' accounts: filled when candidate_space
# loads (its AppConfig.ready), since the shared kernel cannot import the app that knows candidates.
CANDIDATE_RESET_USERS: list[Callable[[str], Iterable[User]]] = []


class SignInForm(AuthenticationForm):
    """Django's sign-in form, refusing further attempts after too many failures for a username or from
    an address (checked before the password, so a blocked attacker learns nothing more)."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "blocked": _("Too many failed attempts. Wait a few minutes before you try again."),
    }

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username") or ""
        ip = client_ip(self.request) if self.request is not None else ""
        if sign_in_blocked(username=username, ip=ip):
            raise ValidationError(self.error_messages["blocked"], code="blocked")
        try:
            cleaned = super().clean()
        except ValidationError:
            sign_in_failed(username=username, ip=ip)
            raise
        sign_in_succeeded(username=username)
        return cleaned


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Six-digit code from your authenticator app"),
        min_length=6,
        max_length=6,
        strip=True,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "pattern": "[0-9]{6}",
                "autofocus": True,
            }
        ),
    )

    def clean_token(self) -> str:
        token: str = self.cleaned_data["token"].replace(" ", "")
        if not token.isdigit():
            raise ValidationError(_("Enter the six digits of the code."), code="not_digits")
        return token


class PasswordResetForm(DjangoPasswordResetForm):
    """Django's form, except for candidates' accounts: a candidate's address is the one recorded on their
    profile, which their agency may correct after the account was opened. The reset goes to that address
    (``CANDIDATE_RESET_USERS``), never to an older one the user row may still hold: whoever reads an old
    mailbox (a typo, an intermediary's) must not take the account over."""

    def get_users(self, email: str) -> Iterator[Any]:
        for user in super().get_users(email):
            if user.role != User.Role.CANDIDATE:
                yield user
        for candidate_users in CANDIDATE_RESET_USERS:
            yield from candidate_users(email)
