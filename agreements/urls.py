"""The pages of this app, mounted per audience in config/urls.py (recruiter, employer, partner)."""

from django.urls import URLPattern

recruiter_patterns: list[URLPattern] = []
employer_patterns: list[URLPattern] = []
partner_patterns: list[URLPattern] = []
