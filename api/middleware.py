"""Problem details for errors Django produces under ``/api/`` outside the API views.

Sits right after ``LocaleMiddleware`` (the language of ``Accept-Language`` is active) and before
``CommonMiddleware``: a URL without its trailing slash gets a 404 problem naming the right URL instead of
Django's redirect, which for a POST would be a 500 in development and lose the body in production.
Unknown URLs, a bad ``Host`` header and any crash become problem details with the same status (a crash
is logged by Django with its traceback and answered with a 500 problem that says nothing about it).

The language of an API answer is the first of ``Accept-Language`` the site speaks, else English: the
site's own default is Dutch, and its language cookie is the browser's, not the partner system's.
"""

from collections.abc import Callable
from typing import Any

from django.core.handlers.exception import response_for_exception
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation.trans_real import parse_accept_lang_header

from api.problems import PROBLEM_CONTENT_TYPE, problem_response

API_PREFIX = "/api/"
# Headers of the original error response a client needs (which methods, when to retry, how to log in).
KEPT_HEADERS = ("Allow", "Retry-After", "WWW-Authenticate", "Vary", "Content-Language")
# Partner agencies work abroad (Morocco, Tunisia, India ...): English is the language they most likely read.
DEFAULT_LANGUAGE = "en"


def api_language(request: HttpRequest) -> str:
    """The first language of ``Accept-Language`` in ``LANGUAGES`` (``fr-MA`` is ``fr``), else English."""
    for code, _quality in parse_accept_lang_header(request.META.get("HTTP_ACCEPT_LANGUAGE", "")):
        if code == "*":
            break
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            continue
    return DEFAULT_LANGUAGE


def _resolves(path: str) -> bool:
    try:
        resolve(path)
    except Resolver404:
        return False
    return True


class ApiProblemMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path_info.startswith(API_PREFIX):
            return self.get_response(request)
        # Replaces LocaleMiddleware's choice; it still sets Content-Language from it on the way out.
        request.LANGUAGE_CODE = api_language(request)
        translation.activate(request.LANGUAGE_CODE)
        path = request.path_info
        if not path.endswith("/") and not _resolves(path) and _resolves(path + "/"):
            return problem_response(
                request,
                status=404,
                detail=_("No such URL. Did you mean %(url)s (with a trailing slash)?") % {"url": path + "/"},
            )
        response = self.get_response(request)
        if response.status_code < 400 or response.get("Content-Type", "").startswith(PROBLEM_CONTENT_TYPE):
            return response
        problem = problem_response(request, status=response.status_code)
        for header in KEPT_HEADERS:
            if header in response:
                problem[header] = response[header]
        return problem

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., HttpResponse], view_args: Any, view_kwargs: Any
    ) -> HttpResponse | None:
        """Run an API view here, so the browser's session hooks further down (the second factor for
        staff, CSRF) never see API requests: the API authenticates by bearer token only, and a browser
        session there is simply no credential (a 401, not a redirect to a sign-in page)."""
        if not request.path_info.startswith(API_PREFIX):
            return None
        try:
            return view_func(request, *view_args, **view_kwargs)
        except Exception as exc:
            # Django's own handling (logging, 404/403/400 for its exceptions, a 500 otherwise); the
            # response is turned into problem details on its way out through ``__call__``.
            return response_for_exception(request, exc)
