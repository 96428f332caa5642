"""Pages of the shared kernel: the landing page and the health probe."""

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from core import selectors


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html", {"counts": selectors.platform_counts()})


@require_safe
def health(request: HttpRequest) -> JsonResponse:
    """Liveness for load balancers: the database answers. Says nothing about any person."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
