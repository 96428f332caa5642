"""Welcome information: the candidate's pages (/<lang>/me/welcome/, namespace ``me_welcome``) and the
staff's editor (/<lang>/recruiter/welcome/, namespace ``welcome_admin``), mounted by config/urls.py."""

from django.urls import URLPattern, URLResolver, path

from welcome.views import candidate, staff

candidate_patterns: list[URLPattern | URLResolver] = [
    path("", candidate.index, name="index"),
    path("<uuid:public_id>/", candidate.page, name="page"),
]
staff_patterns: list[URLPattern | URLResolver] = [
    path("", staff.page_list, name="page_list"),
    path("pages/new/", staff.page_new, name="page_new"),
    path("pages/<uuid:public_id>/", staff.page_detail, name="page_detail"),
    path("pages/<uuid:public_id>/readers/", staff.page_readers, name="page_readers"),
    path("pages/<uuid:public_id>/<str:language>/new-version/", staff.version_new, name="version_new"),
    path("versions/<uuid:public_id>/", staff.version_detail, name="version_detail"),
    path("versions/<uuid:public_id>/publish/", staff.version_publish, name="version_publish"),
    path("candidates/<uuid:public_id>/", staff.candidate_reading, name="candidate_reading"),
]
