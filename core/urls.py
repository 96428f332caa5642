"""Account pages: sign-in and sign-out, the second factor, password reset (under /<language>/account/)."""

from django.urls import path

from core import auth_views

app_name = "account"

urlpatterns = [
    path("sign-in/", auth_views.SignInView.as_view(), name="login"),
    path("sign-out/", auth_views.SignOutView.as_view(), name="logout"),
    path("second-factor/", auth_views.second_factor, name="second_factor"),
    path("second-factor/setup/", auth_views.second_factor_setup, name="second_factor_setup"),
    path("password-reset/", auth_views.password_reset, name="password_reset"),
    path("password-reset/sent/", auth_views.password_reset_done, name="password_reset_done"),
    path(
        "password-reset/<uidb64>/<token>/",
        auth_views.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path("password-reset/done/", auth_views.password_reset_complete, name="password_reset_complete"),
]
