"""Data rights: the candidate's pages (/<lang>/me/data/, namespace ``me_data``) and the staff's
(/<lang>/recruiter/privacy/, namespace ``privacy``), mounted by config/urls.py."""

from django.urls import URLPattern, URLResolver

candidate_patterns: list[URLPattern | URLResolver] = []
staff_patterns: list[URLPattern | URLResolver] = []
