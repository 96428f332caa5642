"""The candidate's space, mounted by config/urls.py at /<lang>/me/ (namespace ``me``), and the pages where
partner agencies and recruiters handle candidates' correction requests, at /<lang>/corrections/
(namespace ``corrections``)."""

from django.urls import URLPattern, URLResolver, path

from candidate_space.views import cases, consents, corrections, home, invitations, profile

urlpatterns: list[URLPattern | URLResolver] = [
    path("", home.home, name="home"),
    path("profile/", profile.profile, name="profile"),
    path("profile/corrections/new/", corrections.correction_new, name="correction_new"),
    path("consents/", consents.consent_list, name="consents"),
    path("consents/<int:consent_id>/withdraw/", consents.consent_withdraw, name="consent_withdraw"),
    path("consents/<int:consent_id>/renew/", consents.consent_renew, name="consent_renew"),
    path("consents/profile-visibility/", consents.consent_visibility_grant, name="consent_visibility_grant"),
    path("cases/", cases.case_list, name="cases"),
    path("cases/<uuid:public_id>/", cases.case_detail, name="case_detail"),
    path("profile-views/", home.profile_views, name="profile_views"),
    # The invitation link, then the password form (the token leaves the address bar after the first step).
    path("activate/set-password/", invitations.activate_password, name="activate_password"),
    path("activate/<str:token>/", invitations.activate, name="activate"),
    # Sent by the candidate's partner agency or a recruiter, from their candidate page (POST only).
    path("invitations/<uuid:public_id>/send/", invitations.invitation_send, name="invitation_send"),
]

# The other side of a correction request: the registering partner agency's users and recruiters.
handler_patterns: list[URLPattern | URLResolver] = [
    path("", corrections.handler_list, name="list"),
    path("<uuid:public_id>/", corrections.handler_detail, name="detail"),
]
