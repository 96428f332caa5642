"""The imports pages, mounted by config/urls.py."""

from django.urls import URLPattern, URLResolver

recruiter_patterns: list[URLPattern | URLResolver] = []  # the recruiter's pages
partner_patterns: list[URLPattern | URLResolver] = []  # the partner agency's pages
employer_patterns: list[URLPattern | URLResolver] = []  # the employer's pages
