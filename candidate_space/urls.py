"""The candidate's space, mounted by config/urls.py at /<lang>/me/ (namespace ``me``)."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
