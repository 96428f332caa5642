"""The recruiter's dashboard (issue 4, "Dashboard of what needs attention"): its four sections, the
"mark as read" action, who may see it, and its query budget."""

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from recruitment.models import DashboardVisit, Match, MatchChangeCount, Placement
from recruitment.selectors.dashboard import SECTION_ROWS
from tests import factories
from tests.web.world import WebWorld, published_vacancy, stored_match, verified_client

pytestmark = pytest.mark.django_db

URL = "/en/recruiter/"
MARK_READ = "/en/recruiter/dashboard/mark-read/"
# Session, user and second-factor device (and the session's save: three), the "mark as read" row, then a
# count and the first rows per section (the changed matches: totals, grouped rows, their vacancies; the
# interviews to come: a count and the rows, issue 12): 20, whatever the number of rows.
QUERY_BUDGET = 20


def page(client: Client) -> str:
    response = client.get(URL)
    assert response.status_code == 200
    return response.content.decode()


def section(html: str, title_id: str) -> str:
    """The HTML of one section of the page, found by its heading's id."""
    start = html.index(f'id="{title_id}"')
    end = html.find("</section>", start)
    return html[start:end]


def changed(match: Match, when: datetime.datetime) -> None:
    """``match`` last changed at ``when``, as the recompute would have counted it had it run then."""
    Match.objects.filter(pk=match.pk).update(changed_at=when)
    MatchChangeCount.objects.filter(vacancy_id=match.vacancy_id).delete()
    for stored in Match.objects.filter(vacancy_id=match.vacancy_id, changed_at__isnull=False):
        assert stored.changed_at is not None
        count, _created = MatchChangeCount.objects.get_or_create(
            vacancy_id=stored.vacancy_id,
            hour=stored.changed_at.replace(minute=0, second=0, microsecond=0),
            defaults={"latest": stored.changed_at},
        )
        field = "eligible" if stored.outcome == Match.Outcome.ELIGIBLE else "conditional"
        setattr(count, field, getattr(count, field) + 1)
        count.latest = max(count.latest, stored.changed_at)
        count.save()


def case(
    vacancy: Any, *, stage: str, since: datetime.datetime, due: datetime.date | None = None
) -> Placement:
    """A case in ``stage`` since ``since`` (written directly: the moves are tested elsewhere)."""
    return Placement.objects.create(
        vacancy=vacancy,
        candidate=factories.CandidateFactory.create(),
        stage=stage,
        stage_changed_at=since,
        proposed_at=since - datetime.timedelta(days=30),
        response_due_on=due,
    )


# --- a. New and changed matches ---------------------------------------------------------------------


def test_changed_matches_are_grouped_per_vacancy_with_their_counts(
    world: WebWorld, recruiter: Client
) -> None:
    now = timezone.now()
    for match in Match.objects.filter(vacancy=world.vacancy):
        changed(match, now - datetime.timedelta(days=1))
    html = section(page(recruiter), "changed-title")
    assert world.vacancy.title in html and world.employer_a.name in html
    assert f'href="/en/recruiter/vacancies/{world.vacancy.public_id}/"' in html
    # One vacancy, with one eligible match and one near-miss changed.
    assert '<td class="num">1</td>\n              <td class="num">1</td>' in html
    assert "you have not marked them as read yet" in html


def test_without_a_mark_the_dashboard_shows_the_last_seven_days(world: WebWorld, recruiter: Client) -> None:
    eligible = Match.objects.get(vacancy=world.vacancy, outcome=Match.Outcome.ELIGIBLE)
    changed(eligible, timezone.now() - datetime.timedelta(days=8))
    assert "No new or changed match." in section(page(recruiter), "changed-title")
    changed(eligible, timezone.now() - datetime.timedelta(days=6))
    assert world.vacancy.title in section(page(recruiter), "changed-title")


def test_opening_the_page_does_not_mark_anything_as_read(world: WebWorld, recruiter: Client) -> None:
    eligible = Match.objects.get(vacancy=world.vacancy, outcome=Match.Outcome.ELIGIBLE)
    changed(eligible, timezone.now() - datetime.timedelta(hours=1))
    page(recruiter)
    assert not DashboardVisit.objects.filter(user=world.recruiter).exists()
    assert world.vacancy.title in section(page(recruiter), "changed-title")


def test_mark_as_read_hides_what_the_page_showed_but_not_what_came_later(
    world: WebWorld, recruiter: Client
) -> None:
    eligible = Match.objects.get(vacancy=world.vacancy, outcome=Match.Outcome.ELIGIBLE)
    near_miss = Match.objects.get(vacancy=world.vacancy, outcome=Match.Outcome.CONDITIONAL)
    changed(eligible, timezone.now() - datetime.timedelta(hours=1))
    shown_at = page(recruiter).split('name="shown_at" value="')[1].split('"')[0]

    changed(near_miss, timezone.now())  # lands while the recruiter reads the page
    response = recruiter.post(MARK_READ, {"shown_at": shown_at})
    assert response.status_code == 302 and response["Location"] == "/en/recruiter/"

    visit = DashboardVisit.objects.get(user=world.recruiter)
    assert visit.seen_at == datetime.datetime.fromisoformat(shown_at)
    html = section(page(recruiter), "changed-title")
    assert "Since you last marked them as read" in html
    # Still listed, for the near-miss only: the eligible match was read.
    assert '<td class="num">0</td>\n              <td class="num">1</td>' in html


def test_mark_as_read_without_a_time_uses_now_and_never_moves_back(
    world: WebWorld, recruiter: Client
) -> None:
    before = timezone.now()
    assert recruiter.post(MARK_READ).status_code == 302
    first = DashboardVisit.objects.get(user=world.recruiter).seen_at
    assert first >= before
    older = (first - datetime.timedelta(hours=2)).isoformat()
    assert recruiter.post(MARK_READ, {"shown_at": older}).status_code == 302  # an old tab
    assert DashboardVisit.objects.get(user=world.recruiter).seen_at == first
    assert recruiter.post(MARK_READ, {"shown_at": "not a time"}).status_code == 400
    assert DashboardVisit.objects.get(user=world.recruiter).seen_at == first


# --- b. to d. ---------------------------------------------------------------------------------------


def test_overdue_answers_oldest_first_with_days_overdue(world: WebWorld, recruiter: Client) -> None:
    today = timezone.localdate()
    Placement.objects.filter(pk=world.placement.pk).update(response_due_on=today - datetime.timedelta(days=3))
    older = case(
        world.vacancy,
        stage=Placement.Stage.PROPOSED,
        since=timezone.now() - datetime.timedelta(days=20),
        due=today - datetime.timedelta(days=9),
    )
    case(
        world.vacancy, stage=Placement.Stage.PROPOSED, since=timezone.now(), due=today
    )  # due today: not late
    html = section(page(recruiter), "overdue-title")
    assert "2 proposals wait for an answer past their deadline." in html
    first = html.index(f"/en/recruiter/placements/{older.public_id}/")
    second = html.index(f"/en/recruiter/placements/{world.placement.public_id}/")
    assert first < second
    assert '<span class="overdue">9</span>' in html and '<span class="overdue">3</span>' in html
    assert str(world.candidate) in html
    assert 'href="/en/recruiter/placements/?overdue=on"' in html


def test_recognitions_and_permits_waiting_longest_first(world: WebWorld, recruiter: Client) -> None:
    now = timezone.now()
    recognition = case(
        world.vacancy, stage=Placement.Stage.RECOGNITION, since=now - datetime.timedelta(days=5)
    )
    permit = case(world.vacancy, stage=Placement.Stage.PERMIT_FILED, since=now - datetime.timedelta(days=40))
    case(world.vacancy, stage=Placement.Stage.VISA, since=now - datetime.timedelta(days=90))  # not waiting
    html = section(page(recruiter), "waiting-title")
    assert "2 cases wait for a diploma recognition or a single permit." in html
    assert html.index(str(permit.public_id)) < html.index(str(recognition.public_id))
    assert '<td class="num">40</td>' in html and '<td class="num">5</td>' in html
    assert "?stage=recognition" in html and "?stage=permit_filed" in html


def test_published_vacancies_without_an_eligible_candidate(world: WebWorld, recruiter: Client) -> None:
    """Employer B's vacancy has no match at all, a third one only a near-miss; A's has an eligible one."""
    near_only = published_vacancy(world.employer_b, title="Dakwerker")
    stored_match(near_only, world.near_miss, outcome=Match.Outcome.CONDITIONAL, score="60.00")
    published_vacancy(world.employer_b, title="Elders", region="BRU")  # outside Flanders: never matched
    html = section(page(recruiter), "without-title")
    assert "2 published vacancies in Flanders have no eligible candidate." in html
    assert "Metselaar" in html and "Dakwerker" in html
    assert world.vacancy.title not in html and "Elders" not in html
    row = html[html.index("Dakwerker") :]
    assert '<td class="num">1</td>' in row.split("</tr>")[0]


# --- Who may see it, and its cost --------------------------------------------------------------------


def test_only_staff_open_the_dashboard(world: WebWorld, employer_a: Client) -> None:
    assert employer_a.get(URL).status_code == 403
    assert employer_a.post(MARK_READ).status_code == 403
    assert not DashboardVisit.objects.exists()
    anonymous = Client().get(URL)
    assert anonymous.status_code == 302 and "/account/sign-in/" in anonymous["Location"]
    coordinator = verified_client(factories.UserFactory.create(role="project_coordinator"))
    assert coordinator.get(URL).status_code == 200


def test_the_staff_menu_opens_with_the_dashboard(world: WebWorld, recruiter: Client) -> None:
    html = page(recruiter)
    nav = html[html.index('class="site-nav"') : html.index("</nav>")]
    assert nav.index('href="/en/recruiter/"') < nav.index('href="/en/recruiter/vacancies/"')
    assert 'href="/en/recruiter/" aria-current="page"' in " ".join(nav.split())
    assert 'href="/en/recruiter/"' in recruiter.get("/en/").content.decode()


def test_the_dashboard_has_a_query_budget(
    world: WebWorld, recruiter: Client, django_assert_max_num_queries: Any
) -> None:
    """More rows than each section shows, on many vacancies and cases: a lookup per row would blow it."""
    now = timezone.now()
    today = timezone.localdate()
    rows = SECTION_ROWS + 3
    for index in range(rows):
        employer = factories.OrganisationFactory.create(employer=True)
        vacancy = published_vacancy(employer, title=f"Changed {index}")
        match = stored_match(vacancy, factories.CandidateFactory.create(), score=str(Decimal(50 + index)))
        changed(match, now - datetime.timedelta(hours=index + 1))
        without = published_vacancy(employer, title=f"Without {index}")
        stored_match(without, factories.CandidateFactory.create(), outcome=Match.Outcome.CONDITIONAL)
        case(
            vacancy, stage=Placement.Stage.PROPOSED, since=now, due=today - datetime.timedelta(days=index + 1)
        )
        case(vacancy, stage=Placement.Stage.PERMIT_FILED, since=now - datetime.timedelta(days=index))
    # The candidates of the cases with a permit filed withdrew their consent to share with the employer.
    Placement.objects.filter(stage=Placement.Stage.PERMIT_FILED).update(hidden_from_employer_at=now)
    with django_assert_max_num_queries(QUERY_BUDGET):
        html = page(recruiter)
    assert "And 3 more vacancies with changes." in html
    assert html.count("/en/recruiter/placements/?overdue=on") == 1
    assert f"{rows} proposals wait for an answer past their deadline." in html
    assert section(html, "overdue-title").count("<tr>") == SECTION_ROWS + 1  # the header row, then ten
    assert section(html, "waiting-title").count("<tr>") == SECTION_ROWS + 1
    assert section(html, "without-title").count("<tr>") == SECTION_ROWS + 1
    assert section(html, "hidden-title").count("<tr>") == SECTION_ROWS + 1
    assert f"{rows} open cases are hidden from their employer" in html
