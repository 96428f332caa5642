"""Names, not codes, on the pages (issue 12, item 16): a country reads "Marokko" on a Dutch page, never
"MA"; an occupation reads its label in the page's language, and where the reference data has no Dutch
label the Dutch word it does hold (the Flemish list term), never the English one."""

import re

import pytest
from django.test import Client
from django.utils import translation

from core.countries import country_choices, country_name
from tests import factories
from tests.web.world import WebWorld, published_vacancy

pytestmark = pytest.mark.django_db


def _text(html: str) -> str:
    """The page's text without its tags, to find a bare code."""
    return re.sub(r"<[^>]+>", " ", html)


def _no_bare_code(html: str, code: str) -> None:
    assert not re.search(rf"(?<![\w-]){code}(?![\w-])", _text(html)), f"the code {code} is shown"


@pytest.mark.parametrize(("language", "name"), [("nl", "Marokko"), ("fr", "Maroc"), ("en", "Morocco")])
def test_a_code_reads_as_its_name_in_the_active_language(language: str, name: str) -> None:
    with translation.override(language):
        assert country_name("MA") == name
        assert country_name("ma") == name
        assert country_choices(["MA", "BE"])[1] == ("MA", name)  # sorted by name
    assert country_name("") == "" and country_name("ZZ") == "ZZ"  # unknown: the code, not a blank


def test_the_candidate_pages_show_country_names(world: WebWorld, recruiter: Client) -> None:
    candidate = world.candidate
    assert (candidate.country_of_residence, candidate.nationalities) == ("MA", ["MA"])
    detail = recruiter.get(f"/nl/recruiter/candidates/{candidate.public_id}/").text
    assert "Marokko" in detail
    _no_bare_code(detail, "MA")
    listing = recruiter.get("/nl/recruiter/candidates/").text
    assert '<option value="MA">Marokko</option>' in listing  # the filter: the code sent, the name read
    assert "<td>Marokko</td>" in listing
    case = recruiter.get(f"/nl/recruiter/placements/{world.placement.public_id}/").text
    assert "Marokko" in case
    _no_bare_code(case, "MA")


def test_the_vacancy_page_filter_and_rows_show_country_names(world: WebWorld, recruiter: Client) -> None:
    html = recruiter.get(f"/nl/recruiter/vacancies/{world.vacancy.public_id}/").text
    assert '<option value="MA">Marokko</option>' in html
    assert "Marokko" in _text(html)
    _no_bare_code(html, "MA")


def test_the_project_page_shows_its_countries_by_name(world: WebWorld, recruiter: Client) -> None:
    html = recruiter.get(f"/fr/recruiter/projects/{world.project.code}/").text
    assert "Maroc" in html and "Belgique" in html
    _no_bare_code(html, "MA")
    _no_bare_code(html, "BE")


def test_the_partner_page_shows_the_country_by_name(world: WebWorld) -> None:
    partner = Client()
    partner.force_login(factories.UserFactory.create(role="partner_user", organisation=world.partner))
    html = partner.get(f"/nl/partner/candidates/{world.candidate.public_id}/").text
    assert "Marokko" in html
    _no_bare_code(html, "MA")


# --- Occupation labels ------------------------------------------------------------------------------


def test_an_occupation_reads_in_the_pages_language(world: WebWorld, recruiter: Client) -> None:
    occupation = world.vacancy.occupation
    occupation.label_nl = "lasser"
    occupation.save(update_fields=["label_nl"])
    assert occupation.label_en == "welder"
    nl = recruiter.get(f"/nl/recruiter/vacancies/{world.vacancy.public_id}/").text
    en = recruiter.get(f"/en/recruiter/vacancies/{world.vacancy.public_id}/").text
    assert occupation.label_nl in nl and occupation.label_en not in nl
    assert occupation.label_en in en


def test_without_a_dutch_label_a_dutch_page_uses_the_dutch_term_not_the_english_label(
    world: WebWorld, recruiter: Client
) -> None:
    """Like the eight occupations the reference data adds without an ESCO Dutch label: the loader keeps
    the Flemish list term as a Dutch alternative label ("chef-kok" for "cook")."""
    cook = factories.EscoOccupationFactory.create(
        label_en="cook", label_nl="", label_fr="", alt_labels_nl=["chef-kok"]
    )
    vacancy = published_vacancy(world.employer_a, occupation=cook, title="Keukenhulp")
    with translation.override("nl"):
        assert cook.label == "chef-kok" and str(cook) == "chef-kok"
    with translation.override("fr"):
        assert cook.label == "cook"  # no French word known: English, as stored
    nl = recruiter.get(f"/nl/recruiter/vacancies/{vacancy.public_id}/").text
    assert "chef-kok" in nl
    assert not re.search(r"(?<![\w-])cook(?![\w-])", _text(nl))
    employer = Client()
    employer.force_login(factories.UserFactory.create(role="employer_user", organisation=world.employer_a))
    listing = employer.get("/nl/employer/vacancies/").text
    assert "<td>chef-kok</td>" in listing
