"""The landing page: public counts for everyone, and the way into their work for a signed-in user."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from recruitment import selectors


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "recruitment/home.html", {"counts": selectors.platform_counts()})
