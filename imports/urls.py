"""The imports pages, mounted by config/urls.py: /<lang>/recruiter/imports/ (namespace
``recruiter_imports``), /<lang>/partner/imports/ (``partner_imports``), /<lang>/employer/imports/
(``employer_imports``). ``<kind>`` is ``candidates`` or ``vacancies``, as the area offers."""

from django.urls import URLPattern, URLResolver, path

from imports.models import ImportArea
from imports.views import views_for


def _patterns(area: str) -> list[URLPattern | URLResolver]:
    views = views_for(area)
    return [
        path("", views["index"], name="index"),
        path("<slug:kind>/upload/", views["upload"], name="upload"),
        path("<slug:kind>/template/", views["template"], name="template"),
        path("jobs/<uuid:public_id>/", views["job_detail"], name="job_detail"),
    ]


recruiter_patterns: list[URLPattern | URLResolver] = _patterns(ImportArea.RECRUITER)  # the recruiter's pages
partner_patterns: list[URLPattern | URLResolver] = _patterns(ImportArea.PARTNER)  # the partner agency's pages
employer_patterns: list[URLPattern | URLResolver] = _patterns(ImportArea.EMPLOYER)  # the employer's pages
