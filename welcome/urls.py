"""Welcome information: the candidate's pages (/<lang>/me/welcome/, namespace ``me_welcome``) and the
staff's editor (/<lang>/recruiter/welcome/, namespace ``welcome_admin``), mounted by config/urls.py."""

from django.urls import URLPattern, URLResolver

candidate_patterns: list[URLPattern | URLResolver] = []
staff_patterns: list[URLPattern | URLResolver] = []
