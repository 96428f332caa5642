"""Data rights: the candidate's pages (/<lang>/me/data/, namespace ``me_data``) and the staff's
(/<lang>/recruiter/privacy/, namespace ``privacy``), mounted by config/urls.py."""

from django.urls import URLPattern, URLResolver, path

from privacy.views import candidate, staff

candidate_patterns: list[URLPattern | URLResolver] = [
    path("", candidate.index, name="index"),
    path("download/json/", candidate.export_json, name="export_json"),
    path("download/csv/", candidate.export_csv, name="export_csv"),
    path("restrict/", candidate.restrict, name="restrict"),
    path("erasure/", candidate.erasure, name="erasure"),
]
staff_patterns: list[URLPattern | URLResolver] = [
    path("", staff.request_list, name="request_list"),
    path("<uuid:public_id>/", staff.request_detail, name="request_detail"),
    path("<uuid:public_id>/execute/", staff.request_execute, name="request_execute"),
    path("<uuid:public_id>/refuse/", staff.request_refuse, name="request_refuse"),
]
