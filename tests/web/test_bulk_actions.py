"""Bulk actions on a vacancy's matches: shortlist or propose many candidates, each on its own."""

import datetime
import html
import re
import uuid

import pytest
from django.http.response import HttpResponseBase
from django.test import Client
from django.utils import timezone

from candidates.models import Candidate
from core.models import Organisation
from recruitment.models import Match, Placement, PlacementTransition
from recruitment.services.bulk import MAX_BULK_CANDIDATES, placements_bulk_propose
from recruitment.services.placements import PlacementError
from tests import factories
from tests.web.world import WebWorld, employer_user, matched_candidate, stored_match, verified_client

pytestmark = pytest.mark.django_db


def _bulk_url(world: WebWorld) -> str:
    return f"/en/recruiter/vacancies/{world.vacancy.public_id}/bulk/"


def _messages(client: Client, response: HttpResponseBase) -> list[str]:
    """The messages the vacancy page shows after the redirect (which consumes them)."""
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert page.status_code == 200
    return [
        html.unescape(text) for text in re.findall(r'<li class="message message-\w+">(.*?)</li>', page.text)
    ]


def _report(client: Client, response: HttpResponseBase) -> tuple[str, list[str]]:
    """A bulk action's report on the vacancy page after the redirect: the count, then one list item per
    candidate with their own outcome."""
    assert response.status_code == 302
    page = client.get(response["Location"]).text
    summary = re.search(r'<p class="bulk-summary">(.*?)</p>', page, re.S)
    rows = re.findall(r'<li class="bulk-outcome[^"]*">(.*?)</li>', page, re.S)
    assert summary is not None, "no bulk report on the page"
    return html.unescape(" ".join(summary.group(1).split())), [
        html.unescape(" ".join(r.split())) for r in rows
    ]


def _due() -> str:
    return (timezone.localdate() + datetime.timedelta(days=7)).isoformat()


def _snapshot() -> tuple[list[tuple[int, int, str, int]], int]:
    """Every case (candidate, vacancy, stage, version) and the number of logged moves."""
    cases = list(
        Placement.objects.order_by("pk").values_list("candidate_id", "vacancy_id", "stage", "version")
    )
    return cases, PlacementTransition.objects.count()


def test_the_vacancy_page_has_a_labelled_box_per_row_and_the_action_bar(
    world: WebWorld, recruiter: Client
) -> None:
    url = f"/en/recruiter/vacancies/{world.vacancy.public_id}/"
    page = recruiter.get(url, {"country": "MA"}).text
    for candidate in (world.candidate, world.near_miss):
        box = f'id="select-{candidate.public_id}"'
        assert box in page and f'for="select-{candidate.public_id}"' in page
        assert f"Select {candidate}" in page
    assert 'form="bulk-form"' in page and 'id="bulk-form"' in page
    assert f'action="/en/recruiter/vacancies/{world.vacancy.public_id}/bulk/"' in page
    assert "Add the selected to the shortlist" in page and "Propose the selected to the employer" in page
    assert " checked" not in page
    # "Select all on this page": a link to the same page (filters kept) with every box ticked that can
    # be: the candidate already proposed cannot be proposed again (issue 12, item 13).
    assert 'href="?country=MA&amp;select=all"' in page
    everything = recruiter.get(url, {"country": "MA", "select": "all"}).text
    assert everything.count(" checked") == 1
    assert re.search(rf'id="select-{world.near_miss.public_id}"[^>]*checked', everything)
    assert 'href="?country=MA"' in everything  # clear the selection


def test_an_unpublished_vacancy_has_no_bulk_actions(world: WebWorld, recruiter: Client) -> None:
    world.vacancy.status = "draft"
    world.vacancy.save()
    page = recruiter.get(f"/en/recruiter/vacancies/{world.vacancy.public_id}/").text
    assert 'id="bulk-form"' not in page and 'name="candidates"' not in page


def test_bulk_propose_proposes_each_it_may_and_refuses_the_others_without_a_trace(
    world: WebWorld, recruiter: Client
) -> None:
    ready = matched_candidate(world.vacancy, given_name="Fatima", family_name="Zahra")
    stored_match(world.vacancy, ready, score="80.00")
    unwilling = matched_candidate(world.vacancy, consent=False, given_name="Omar", family_name="Tazi")
    stored_match(world.vacancy, unwilling, score="75.00")
    chosen = [world.near_miss, ready, unwilling, world.candidate]  # the last already proposed

    response = recruiter.post(
        _bulk_url(world),
        {
            "candidates": [str(c.public_id) for c in chosen],
            "action": "propose",
            "message": "Three welders for your spring start.",
            "response_due_on": _due(),
            "back": "outcome=eligible&select=all",
        },
    )
    assert response.status_code == 302
    # Back to the page the action came from, without the selection.
    assert response["Location"] == f"/en/recruiter/vacancies/{world.vacancy.public_id}/?outcome=eligible"
    summary, rows = _report(recruiter, response)
    assert summary == "2 proposed; 2 refused."
    # One list item per candidate, best match first, each with its own outcome.
    assert rows == [
        "Amina Benali: refused. A case at “Proposed to the employer” cannot move to “Proposed to the "
        "employer”.",
        "Youssef Alaoui: proposed to the employer.",
        "Fatima Zahra: proposed to the employer.",
        "Omar Tazi: refused. The candidate has not consented to share their profile with this employer.",
    ]

    for candidate in (world.near_miss, ready):
        placement = Placement.objects.get(vacancy=world.vacancy, candidate=candidate)
        assert placement.stage == Placement.Stage.PROPOSED
        assert placement.proposal_message == "Three welders for your spring start."
        assert placement.response_due_on == datetime.date.fromisoformat(_due())
        moves = list(placement.transitions.values_list("to_stage", flat=True))
        assert moves == ["shortlisted", "proposed"]
    # The refused proposal left no shortlist behind: nothing half-written.
    assert not Placement.objects.filter(candidate=unwilling).exists()
    world.placement.refresh_from_db()
    assert world.placement.stage == Placement.Stage.PROPOSED and world.placement.version == 2


def test_bulk_propose_without_a_date_gives_the_default_deadline(world: WebWorld, recruiter: Client) -> None:
    response = recruiter.post(
        _bulk_url(world), {"candidates": [str(world.near_miss.public_id)], "action": "propose"}
    )
    assert _report(recruiter, response) == ("1 proposed.", ["Youssef Alaoui: proposed to the employer."])
    placement = Placement.objects.get(candidate=world.near_miss)
    assert placement.response_due_on == timezone.localdate() + datetime.timedelta(days=10)


def test_bulk_shortlist_adds_the_new_and_keeps_existing_cases_as_they_are(
    world: WebWorld, recruiter: Client
) -> None:
    other = matched_candidate(world.vacancy, consent=False, given_name="Omar", family_name="Tazi")
    stored_match(world.vacancy, other, outcome=Match.Outcome.CONDITIONAL, score="50.00")
    ids = [str(world.near_miss.public_id), str(other.public_id), str(world.candidate.public_id)]

    response = recruiter.post(_bulk_url(world), {"candidates": ids, "action": "shortlist"})
    summary, rows = _report(recruiter, response)
    assert summary == "2 added to the shortlist; 1 already had a case."
    assert sorted(rows) == [
        "Amina Benali: already had a case, left as it was.",
        "Omar Tazi: added to the shortlist.",
        "Youssef Alaoui: added to the shortlist.",
    ]
    for candidate in (world.near_miss, other):  # no consent is needed to shortlist
        placement = Placement.objects.get(vacancy=world.vacancy, candidate=candidate)
        assert placement.stage == Placement.Stage.SHORTLISTED
    world.placement.refresh_from_db()
    assert world.placement.stage == Placement.Stage.PROPOSED

    before = _snapshot()
    again = recruiter.post(_bulk_url(world), {"candidates": ids, "action": "shortlist"})
    assert _report(recruiter, again)[0] == "0 added to the shortlist; 3 already had a case."
    assert _snapshot() == before  # idempotent


def test_unknown_and_foreign_candidates_are_refused_and_not_revealed(
    world: WebWorld, recruiter: Client
) -> None:
    foreign = factories.CandidateFactory.create(given_name="Secret", family_name="Elsewhere")
    stored_match(world.other_vacancy, foreign)  # matched to employer B's vacancy only
    unmatched = factories.CandidateFactory.create(given_name="Never", family_name="Matched")
    before = _snapshot()

    response = recruiter.post(
        _bulk_url(world),
        {
            "candidates": [str(foreign.public_id), str(unmatched.public_id), str(uuid.uuid4())],
            "action": "propose",
            "response_due_on": _due(),
        },
    )
    summary, rows = _report(recruiter, response)
    assert summary == "0 proposed; 3 refused."
    assert rows == ["Unknown candidate: refused. This candidate is not among this vacancy's matches."] * 3
    assert "Secret" not in " ".join(rows) and "Never" not in " ".join(rows)
    assert _snapshot() == before


def test_more_than_the_limit_is_a_form_error_and_writes_nothing(world: WebWorld, recruiter: Client) -> None:
    many = factories.CandidateFactory.create_batch(MAX_BULK_CANDIDATES + 1)
    for candidate in many:
        stored_match(world.vacancy, candidate, score="55.00")
    before = _snapshot()

    response = recruiter.post(
        _bulk_url(world),
        {"candidates": [str(c.public_id) for c in many], "action": "shortlist"},
    )
    assert response.status_code == 302
    assert _messages(recruiter, response) == ["Selected candidates: Select at most 50 candidates at a time."]
    assert _snapshot() == before
    # Exactly the limit is fine.
    response = recruiter.post(
        _bulk_url(world),
        {"candidates": [str(c.public_id) for c in many[:MAX_BULK_CANDIDATES]], "action": "shortlist"},
    )
    summary, rows = _report(recruiter, response)
    assert summary == "50 added to the shortlist." and len(rows) == MAX_BULK_CANDIDATES


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"action": "shortlist"}, "Selected candidates: Select at least one candidate."),
        ({"candidates": ["not-a-uuid"], "action": "shortlist"}, "Selected candidates: One of the selected"),
        ({"candidates": ["{near}"], "action": "delete"}, "Action: Select a valid choice."),
        (
            {"candidates": ["{near}"], "action": "propose", "response_due_on": "2000-01-01"},
            "Answer expected by: The answer deadline cannot be in the past.",
        ),
    ],
)
def test_bad_input_is_refused_with_a_message_and_writes_nothing(
    world: WebWorld, recruiter: Client, data: dict[str, object], error: str
) -> None:
    near = str(world.near_miss.public_id)
    if "candidates" in data:
        data = {**data, "candidates": [near if c == "{near}" else c for c in data["candidates"]]}  # type: ignore[attr-defined]
    before = _snapshot()
    response = recruiter.post(_bulk_url(world), data)
    assert response.status_code == 302
    [message] = _messages(recruiter, response)
    assert message.startswith(error)
    assert _snapshot() == before


def test_the_bulk_url_takes_only_a_post_with_its_csrf_token(world: WebWorld) -> None:
    client = verified_client(world.recruiter)
    assert client.get(_bulk_url(world)).status_code == 405
    strict = Client(enforce_csrf_checks=True)
    strict.cookies = client.cookies  # the same verified session, without a token
    before = _snapshot()
    response = strict.post(
        _bulk_url(world), {"candidates": [str(world.near_miss.public_id)], "action": "shortlist"}
    )
    assert response.status_code == 403
    assert _snapshot() == before
    # With the page's token, the same request goes through (the 403 was the missing token).
    page = strict.get(f"/en/recruiter/vacancies/{world.vacancy.public_id}/").text
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token is not None
    data = {"candidates": [str(world.near_miss.public_id)], "action": "shortlist"}
    accepted = strict.post(_bulk_url(world), {**data, "csrfmiddlewaretoken": token.group(1)})
    assert accepted.status_code == 302
    assert Placement.objects.filter(candidate=world.near_miss).exists()


def test_an_employer_cannot_act_in_bulk(world: WebWorld, employer_a: Client) -> None:
    before = _snapshot()
    response = employer_a.post(
        _bulk_url(world),
        {"candidates": [str(world.near_miss.public_id)], "action": "propose", "response_due_on": _due()},
    )
    assert response.status_code == 403
    assert _snapshot() == before


def test_the_service_refuses_a_non_staff_actor_before_writing(world: WebWorld) -> None:
    before = _snapshot()
    with pytest.raises(PlacementError):
        placements_bulk_propose(
            vacancy=world.vacancy,
            candidate_public_ids=[world.near_miss.public_id],
            actor=employer_user(world.employer_a),
            message="",
            response_due_on=None,
        )
    assert _snapshot() == before


def test_an_inactive_candidate_is_refused_with_the_reason(world: WebWorld, recruiter: Client) -> None:
    Candidate.objects.filter(pk=world.near_miss.pk).update(
        status=Candidate.Status.WITHDRAWN, withdrawn_at=timezone.now()
    )
    response = recruiter.post(
        _bulk_url(world), {"candidates": [str(world.near_miss.public_id)], "action": "shortlist"}
    )
    assert _report(recruiter, response) == (
        "0 added to the shortlist; 1 refused.",
        ["Youssef Alaoui: refused. This candidate is not active."],
    )
    assert not Placement.objects.filter(candidate=world.near_miss).exists()


# --- Only what can be proposed is offered (issue 12, item 13) ----------------------------------------


def _box(page: str, candidate: Candidate) -> str:
    """The bulk-selection box of a candidate's row, as rendered."""
    found = re.search(rf'<input[^>]*id="select-{candidate.public_id}"[^>]*>', page)
    assert found is not None, f"no box for {candidate}"
    return found.group(0)


def test_select_all_ticks_only_who_can_be_proposed_and_says_why_not_next_to_the_others(
    world: WebWorld, recruiter: Client
) -> None:
    unwilling = matched_candidate(world.vacancy, consent=False, given_name="Omar", family_name="Tazi")
    stored_match(world.vacancy, unwilling, score="75.00")
    shortlisted = matched_candidate(world.vacancy, given_name="Fatima", family_name="Zahra")
    stored_match(world.vacancy, shortlisted, score="80.00")
    recruiter.post(_bulk_url(world), {"candidates": [str(shortlisted.public_id)], "action": "shortlist"})

    page = recruiter.get(f"/en/recruiter/vacancies/{world.vacancy.public_id}/", {"select": "all"}).text
    for candidate in (world.near_miss, shortlisted):  # no case yet, or only on the shortlist
        box = _box(page, candidate)
        assert " checked" in box and "disabled" not in box
    reasons = {
        world.candidate: "Already has a case at “Proposed to the employer”.",
        unwilling: "The candidate has not consented to share their profile with this employer.",
    }
    for candidate, reason in reasons.items():
        box = _box(page, candidate)
        assert "disabled" in box and " checked" not in box and 'name="candidates"' not in box
        # The reason is next to the box and tied to it for screen readers.
        assert f'aria-describedby="blocked-{candidate.public_id}"' in box
        note = re.search(rf'<span[^>]*id="blocked-{candidate.public_id}"[^>]*>(.*?)</span>', page, re.S)
        assert note is not None and html.unescape(" ".join(note.group(1).split())) == reason


def test_a_suspended_employer_gets_no_proposal_offered(world: WebWorld, recruiter: Client) -> None:
    Organisation.objects.filter(pk=world.employer_a.pk).update(
        compliance_status=Organisation.Compliance.SUSPENDED, suspension_reason="Social debts"
    )
    page = recruiter.get(f"/en/recruiter/vacancies/{world.vacancy.public_id}/", {"select": "all"}).text
    assert " checked" not in page
    assert "disabled" in _box(page, world.near_miss)
    assert "This employer is suspended: no candidate can be proposed to it." in page


def test_the_page_offers_exactly_the_candidates_the_service_proposes(
    world: WebWorld, recruiter: Client
) -> None:
    """Every row of every kind: the boxes "select all" ticks are the candidates a proposal of every row
    succeeds for, and each row it leaves out is refused with the reason shown next to it."""
    unwilling = matched_candidate(world.vacancy, consent=False, given_name="Omar", family_name="Tazi")
    stored_match(world.vacancy, unwilling, score="75.00")
    withdrawn = matched_candidate(world.vacancy, given_name="Karim", family_name="Idrissi")
    stored_match(world.vacancy, withdrawn, score="70.00")
    Candidate.objects.filter(pk=withdrawn.pk).update(
        status=Candidate.Status.WITHDRAWN, withdrawn_at=timezone.now()
    )
    rows = [world.candidate, world.near_miss, unwilling, withdrawn]
    page = recruiter.get(f"/en/recruiter/vacancies/{world.vacancy.public_id}/", {"select": "all"}).text
    offered = {c.public_id for c in rows if " checked" in _box(page, c)}

    response = recruiter.post(
        _bulk_url(world), {"candidates": [str(c.public_id) for c in rows], "action": "propose"}
    )
    _summary, report = _report(recruiter, response)
    proposed = {c.public_id for c in rows if f"{c}: proposed to the employer." in report}
    assert offered == proposed == {world.near_miss.public_id}
