"""Issue 4's "done when": after the demo seed, each demo login does its job end to end in each language.

Each login signs in as a new user would (staff with the README's TOTP code) and follows the links the
pages show, from its landing page to a decision written through a form, once in Dutch, French and
English. The pages must answer in the language asked (``<html lang>``) and every action must land.
"""

import datetime
import re

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django_otp.oath import totp

from demo.employers import DEMO_PASSWORD
from demo.security import DEMO_TOTP_SECRET
from recruitment.models import CandidateNote, InterviewSlot, Placement
from vacancies.models import Vacancy

pytestmark = pytest.mark.django_db

LANGUAGES = ("nl", "fr", "en")
# The smallest demo with every kind of case (tests/web/test_demo_seed.py).
SCALE = {"candidates": 80, "vacancies": 12, "employers": 2, "seed": 7}


@pytest.fixture
def demo() -> None:
    call_command("seed_demo", verbosity=0, **SCALE)


def sign_in(username: str) -> Client:
    client = Client()
    response = client.post("/nl/account/sign-in/", {"username": username, "password": DEMO_PASSWORD})
    assert response.status_code == 302
    if response["Location"].startswith("/nl/account/second-factor/"):
        response = client.post("/nl/account/second-factor/", {"token": f"{totp(DEMO_TOTP_SECRET):06d}"})
        assert response.status_code == 302
    return client


def page(client: Client, url: str, language: str) -> str:
    """The page at ``url``, checked to be a page in ``language``."""
    response = client.get(url)
    assert response.status_code == 200, url
    html = response.content.decode()
    assert f'<html lang="{language}">' in html, url
    return html


def links(html: str, pattern: str) -> list[str]:
    """The hrefs on the page that match ``pattern`` (a regular expression for the whole path)."""
    return [href for href in re.findall(r'href="([^"?#]+)', html) if re.fullmatch(pattern, href)]


UUID = r"[0-9a-f-]{36}"


def test_the_recruiter_works_from_the_dashboard_to_a_proposal_in_each_language(demo: None) -> None:
    client = sign_in("recruiter")
    shortlisted = list(Placement.objects.filter(stage=Placement.Stage.SHORTLISTED).order_by("pk"))
    assert len(shortlisted) >= len(LANGUAGES)
    for language, placement in zip(LANGUAGES, shortlisted, strict=False):
        dashboard = page(client, f"/{language}/recruiter/", language)
        # The overdue answer and the permit pending longest are on the dashboard, linked to their case.
        cases = links(dashboard, rf"/{language}/recruiter/placements/{UUID}/")
        assert len(cases) >= 2
        page(client, cases[0], language)
        # Projects: the funnel, then the candidates at one step.
        projects = page(client, f"/{language}/recruiter/projects/", language)
        project = links(projects, rf"/{language}/recruiter/projects/[\w-]+/")[0]
        funnel = page(client, project, language)
        assert "<svg" in funnel
        page(client, links(funnel, rf"{project}steps/\w+/")[0], language)
        # Candidates: search, open a profile, write a note.
        candidates = page(client, f"/{language}/recruiter/candidates/", language)
        profile = links(candidates, rf"/{language}/recruiter/candidates/{UUID}/")[0]
        page(client, profile, language)
        assert client.post(f"{profile}notes/", {"body": f"Called ({language})."}).status_code == 302
        # The vacancy with its explained matches, then the case on the shortlist: propose it.
        vacancy = page(client, f"/{language}/recruiter/vacancies/{placement.vacancy.public_id}/", language)
        assert "<details" in vacancy  # the "why this rank" explanations
        case = f"/{language}/recruiter/placements/{placement.public_id}/"
        assert f'action="{case}propose/"' in page(client, case, language)
        response = client.post(
            f"{case}propose/",
            {
                "expected_version": placement.version,
                "message": "Strong welder, ready in spring.",
                "response_due_on": (timezone.localdate() + datetime.timedelta(days=10)).isoformat(),
            },
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        placement.refresh_from_db()
        assert placement.stage == Placement.Stage.PROPOSED
        board = page(client, f"/{language}/recruiter/placements/board/", language)
        assert case in board
    assert CandidateNote.objects.filter(body__startswith="Called (").count() == len(LANGUAGES)


def test_the_recruiter_confirms_an_interview_slot_the_employer_offered(demo: None) -> None:
    client = sign_in("coordinator")
    slot = InterviewSlot.objects.filter(status=InterviewSlot.Status.PROPOSED).order_by("starts_at").first()
    assert slot is not None
    case = f"/fr/recruiter/placements/{slot.placement.public_id}/"
    accept = f"{case}slots/{slot.public_id}/accept/"
    assert f'action="{accept}"' in page(client, case, "fr")
    assert client.post(accept).status_code == 302
    slot.refresh_from_db()
    assert slot.status == InterviewSlot.Status.ACCEPTED


def test_the_employer_answers_proposals_offers_slots_and_publishes_a_vacancy(demo: None) -> None:
    client = sign_in("employer")
    answered = 0
    for language in LANGUAGES:
        vacancies = page(client, f"/{language}/employer/vacancies/", language)
        for vacancy_url in links(vacancies, rf"/{language}/employer/vacancies/{UUID}/"):
            detail = page(client, vacancy_url, language)
            for proposal_url in links(detail, rf"/{language}/employer/proposals/{UUID}/"):
                placement = Placement.objects.get(public_id=proposal_url.split("/")[-2])
                if placement.stage != Placement.Stage.PROPOSED:
                    continue
                proposal = page(client, proposal_url, language)
                assert placement.candidate.family_name not in proposal  # anonymised until invited
                response = client.post(
                    f"{proposal_url}move/",
                    {"expected_version": placement.version, "to_stage": "employer_interested"},
                )
                assert response.status_code == 302
                assert placement.candidate.family_name in page(client, proposal_url, language)
                starts = timezone.localtime() + datetime.timedelta(days=7)
                response = client.post(
                    f"{proposal_url}slots/",
                    {
                        "starts_at_1": starts.strftime("%Y-%m-%dT10:00"),
                        "duration_minutes": "45",
                        "mode": "video",
                        "location": "A link by e-mail",
                    },
                )
                assert response.status_code == 302
                assert InterviewSlot.objects.filter(placement=placement).exists()
                answered += 1
                break
            else:
                continue
            break
    assert answered >= 1  # the demo has proposals awaiting this employer's answer
    # A new vacancy in English: saved as a draft, checked, published.
    form = page(client, "/en/employer/vacancies/new/", "en")
    occupation = re.search(r'<option value="(\d+)"', form)
    assert occupation is not None
    response = client.post(
        "/en/employer/vacancies/new/",
        {
            "title": "Demo welder",
            "occupation": occupation.group(1),
            "municipality": "Gent",
            "postal_code": "9000",
            "function_vks_level": "4",
            "min_experience_years": "2",
            "salary_amount": "3200",
            "salary_period": "month",
            "pay_category": "skilled",
            "contract_type": "indefinite",
            "weekly_hours": "38",
            "positions": "1",
            "start_date": (timezone.localdate() + datetime.timedelta(days=150)).isoformat(),
            "languages-TOTAL_FORMS": "3",
            "languages-INITIAL_FORMS": "0",
            "languages-MIN_NUM_FORMS": "0",
            "languages-MAX_NUM_FORMS": "3",
            "languages-0-language": "nl",
            "languages-0-overall": "B1",
            "languages-0-mandatory": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    vacancy = Vacancy.objects.get(title="Demo welder")
    assert vacancy.status == Vacancy.Status.DRAFT
    page(client, response["Location"], "en")
    response = client.post(f"/en/employer/vacancies/{vacancy.public_id}/publish/", {"confirm": "on"})
    assert response.status_code == 302
    vacancy.refresh_from_db()
    assert vacancy.status == Vacancy.Status.PUBLISHED


def test_the_partner_follows_its_own_candidates_in_each_language(demo: None) -> None:
    client = sign_in("partner")
    for language in LANGUAGES:
        home = page(client, f"/{language}/", language)
        assert f"/{language}/partner/candidates/" in home
        listed = page(client, f"/{language}/partner/candidates/", language)
        candidates = links(listed, rf"/{language}/partner/candidates/{UUID}/")
        assert candidates
        page(client, candidates[0], language)
