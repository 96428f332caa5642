"""Sign-in, sign-out, the second factor (TOTP) and password reset: Django's auth views with our templates.

The password step is Django's ``LoginView`` (it rotates the session key). Staff then verify a TOTP code
(``SecondFactorMiddleware`` holds every other page back until they do); a staff user without a device
enrols one first, with a QR code drawn here as inline SVG (no external service sees the secret).
"""

import time
from base64 import b32encode
from typing import Any

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.auth_forms import PasswordResetForm, SignInForm, TokenForm
from core.models import User
from core.security import (
    SESSION_AUTHENTICATED_AT,
    SESSION_SECOND_FACTOR_PENDING,
    SESSION_SEEN_AT,
    second_factor_required,
    security_log,
)
from core.services import totp_device_confirm, totp_device_for_enrolment, totp_device_verify


def _next_url(request: HttpRequest) -> str:
    """The page to go to after a step, when it is one of ours; else the start page."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _with_next(url: str, following: str) -> str:
    return f"{url}?{urlencode({'next': following})}"


class SignInView(auth_views.LoginView):
    form_class = SignInForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form: SignInForm) -> HttpResponse:  # type: ignore[override]
        response = super().form_valid(form)  # logs in and rotates the session key
        user = form.get_user()
        now = int(time.time())
        self.request.session[SESSION_AUTHENTICATED_AT] = now
        self.request.session[SESSION_SEEN_AT] = now
        staff = second_factor_required(user)
        if staff or user_has_device(user, confirmed=True):
            self.request.session[SESSION_SECOND_FACTOR_PENDING] = True
            return HttpResponseRedirect(_with_next(reverse("account:second_factor"), self.get_success_url()))
        return response


class SignOutView(auth_views.LogoutView):
    """POST only (Django 5): a link cannot sign anyone out."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        messages.info(request, _("You are signed out."))
        return response


def _confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def _signed_in_with(request: HttpRequest, device: TOTPDevice) -> None:
    otp_login(request, device)
    request.session.cycle_key()  # a new session id once the second factor is proven
    request.session.pop(SESSION_SECOND_FACTOR_PENDING, None)


@never_cache
@sensitive_post_parameters("token")
@login_required
@require_http_methods(["GET", "POST"])
def second_factor(request: HttpRequest) -> HttpResponseBase:
    """Verify the six-digit code of the user's authenticator app, once per sign-in."""
    user: User = request.user  # type: ignore[assignment]
    following = _next_url(request)
    if user.is_verified():  # type: ignore[attr-defined]
        return redirect(following)
    if _confirmed_device(user) is None:
        return redirect(_with_next(reverse("account:second_factor_setup"), following))
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = totp_device_verify(user=user, token=form.cleaned_data["token"])
        if device is not None:
            _signed_in_with(request, device)
            return redirect(following)
        security_log.warning("second factor refused user=%s", user.pk)
        form.add_error("token", _("This code is not valid. Wait for the next code and try again."))
    return render(request, "account/second_factor.html", {"form": form, "next": following})


def _qr_svg(data: str) -> SafeString:
    """The otpauth:// URL as an inline SVG QR code, drawn on the server (the secret never leaves it)."""
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    svg = image.to_string(encoding="unicode")
    label = _("QR code to scan with your authenticator app")
    # The SVG is generated here from a URL we built; nothing in it comes from the request.
    return mark_safe(svg.replace("<svg ", f'<svg class="qr" role="img" aria-label="{label}" ', 1))


def _spaced(text: str, every: int = 4) -> str:
    return " ".join(text[i : i + every] for i in range(0, len(text), every))


@never_cache
@sensitive_post_parameters("token")
@login_required
@require_http_methods(["GET", "POST"])
def second_factor_setup(request: HttpRequest) -> HttpResponseBase:
    """Enrol a TOTP app: start (creates the device), scan the QR code, confirm with a first code.

    Someone holding only the password of an account that already has a device must not add another:
    until the session is verified, this page sends them to the verification step.
    """
    user: User = request.user  # type: ignore[assignment]
    following = _next_url(request)
    confirmed = _confirmed_device(user)
    verified = user.is_verified()  # type: ignore[attr-defined]
    if confirmed is not None and not verified:
        return redirect(_with_next(reverse("account:second_factor"), following))
    context: dict[str, Any] = {
        "next": following,
        "confirmed": confirmed,
        "required": second_factor_required(user),
    }
    if confirmed is not None:
        return render(request, "account/second_factor_setup.html", context)
    pending = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    form = TokenForm()
    if request.method == "POST":
        if request.POST.get("action") == "start" or pending is None:
            totp_device_for_enrolment(user=user)
            return redirect(_with_next(reverse("account:second_factor_setup"), following))
        form = TokenForm(request.POST)
        if form.is_valid():
            if totp_device_confirm(device=pending, token=form.cleaned_data["token"]):
                pending.refresh_from_db()
                _signed_in_with(request, pending)
                messages.success(request, _("Two-step verification is on for your account."))
                return redirect(following)
            form.add_error("token", _("This code is not valid. Check the time on your phone and try again."))
    if pending is not None:
        context.update(
            pending=pending,
            qr=_qr_svg(pending.config_url),
            secret=_spaced(b32encode(pending.bin_key).decode()),
            form=form,
        )
    return render(request, "account/second_factor_setup.html", context)


password_reset = auth_views.PasswordResetView.as_view(
    form_class=PasswordResetForm,
    template_name="registration/password_reset_form.html",
    email_template_name="registration/password_reset_email.txt",
    subject_template_name="registration/password_reset_subject.txt",
    success_url=reverse_lazy("account:password_reset_done"),
)
password_reset_done = auth_views.PasswordResetDoneView.as_view(
    template_name="registration/password_reset_done.html"
)
password_reset_confirm = auth_views.PasswordResetConfirmView.as_view(
    template_name="registration/password_reset_confirm.html",
    success_url=reverse_lazy("account:password_reset_complete"),
)
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="registration/password_reset_complete.html"
)
