"""The fairness pages, mounted by config/urls.py."""

from django.urls import URLPattern, URLResolver

recruiter_patterns: list[URLPattern | URLResolver] = []  # the recruiter's pages
