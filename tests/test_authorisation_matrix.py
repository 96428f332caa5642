"""Every URL, for every kind of visitor: what each may see. A new URL must be added here to pass.

The browser issue grows this matrix page by page; for now the site has its landing page, the health
probe, the language switch and the administration (staff only).
"""

from typing import Any

import pytest
from django.test import Client
from django.urls import LocalePrefixPattern, URLPattern, URLResolver, get_resolver

from core.models import User
from tests import factories

pytestmark = pytest.mark.django_db

ANONYMOUS, RECRUITER, EMPLOYER, PARTNER, ADMIN = "anonymous", "recruiter", "employer", "partner", "admin"

# URL -> expected status per visitor. 302 = sent to the login page.
MATRIX: dict[str, dict[str, int]] = {
    "/nl/": {ANONYMOUS: 200, RECRUITER: 200, EMPLOYER: 200, PARTNER: 200, ADMIN: 200},
    "/healthz": {ANONYMOUS: 200, RECRUITER: 200, EMPLOYER: 200, PARTNER: 200, ADMIN: 200},
    "/nl/admin/": {ANONYMOUS: 302, RECRUITER: 200, EMPLOYER: 302, PARTNER: 302, ADMIN: 200},
}
# Routes covered by the cases above, or not pages of their own (Django's admin sub-pages and the
# POST-only language switch, tested in test_demo_site.py).
COVERED_ROUTES = {"", "healthz", "admin/", "i18n/"}


def _client_for(visitor: str) -> Client:
    client = Client()
    if visitor == ANONYMOUS:
        return client
    if visitor == EMPLOYER:
        user = factories.UserFactory.create(
            role=User.Role.EMPLOYER_USER, organisation=factories.OrganisationFactory.create(employer=True)
        )
    elif visitor == PARTNER:
        user = factories.UserFactory.create(
            role=User.Role.PARTNER_USER, organisation=factories.OrganisationFactory.create()
        )
    else:
        user = factories.UserFactory.create(is_staff=True, is_superuser=visitor == ADMIN)
    client.force_login(user)
    return client


@pytest.mark.parametrize("url", list(MATRIX))
@pytest.mark.parametrize("visitor", [ANONYMOUS, RECRUITER, EMPLOYER, PARTNER, ADMIN])
def test_each_visitor_gets_what_the_matrix_says(url: str, visitor: str) -> None:
    assert _client_for(visitor).get(url).status_code == MATRIX[url][visitor]


def _routes(patterns: list[URLPattern | URLResolver], prefix: str = "") -> set[str]:
    """Every route, descending into included URL confs that are not covered as a whole."""
    routes: set[str] = set()
    for pattern in patterns:
        if isinstance(pattern.pattern, LocalePrefixPattern):  # i18n_patterns: /nl/, /fr/, /en/
            routes |= _routes(pattern.url_patterns, prefix)  # type: ignore[union-attr]
            continue
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver) and route not in COVERED_ROUTES:
            routes |= _routes(pattern.url_patterns, route)
        else:
            routes.add(route)
    return routes


def test_every_url_is_in_the_matrix() -> None:
    assert _routes(get_resolver().url_patterns) == COVERED_ROUTES


def test_the_landing_page_has_a_query_budget(django_assert_max_num_queries: Any) -> None:
    factories.VacancyFactory.create_batch(3)
    with django_assert_max_num_queries(5):
        assert Client().get("/en/").status_code == 200
