"""The duplicates pages, mounted by config/urls.py at /<lang>/recruiter/duplicates/ (namespace
``duplicates``)."""

from django.urls import URLPattern, URLResolver, path

from duplicates import views

recruiter_patterns: list[URLPattern | URLResolver] = [
    path("", views.pair_list, name="pair_list"),
    path("<int:pk>/", views.pair_detail, name="pair_detail"),
    path("<int:pk>/merge/", views.merge, name="merge"),
    path("<int:pk>/reject/", views.reject, name="reject"),
]
