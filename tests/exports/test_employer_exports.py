"""The employer's download holds only what its page shows: the candidates proposed to it, anonymised
until it invites them, only while they share their profile with it; never another employer's."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from candidates.models import Consent
from recruitment.selectors import placement_reference
from recruitment.services.placements import placement_move
from tests.exports.files import body, csv_rows, xlsx_rows
from tests.web.world import WebWorld, matched_candidate

pytestmark = pytest.mark.django_db


def _export(client: Client, world: WebWorld, fmt: str = "csv", vacancy_id: object = None) -> Any:
    with translation.override("nl"):
        url = reverse("employer_exports:vacancy_proposals", args=[vacancy_id or world.vacancy.public_id])
    return client.get(url, {"format": fmt})


def _page_rows(client: Client, world: WebWorld) -> list[Any]:
    with translation.override("nl"):
        url = reverse("employer:vacancy_detail", args=[world.vacancy.public_id])
    response = client.get(url)
    assert response.status_code == 200
    return list(response.context["rows"])


def test_the_proposals_are_anonymised_before_the_invitation(employer_a: Client, world: WebWorld) -> None:
    page = _page_rows(employer_a, world)
    assert [row.name for row in page] == [""]  # the page shows no name yet
    reference = placement_reference(world.placement)
    for fmt, read in (("csv", csv_rows), ("xlsx", xlsx_rows)):
        response = _export(employer_a, world, fmt)
        assert response.status_code == 200
        assert b"Benali" not in body(_export(employer_a, world, fmt))
        _header, *rows = read(response)
        assert len(rows) == len(page) == 1
        assert reference in rows[0][0]
        assert "Amina" not in str(rows)
    # Not the near-miss, never shortlisted candidates, never the recruiter's notes or other employers.
    assert b"Alaoui" not in body(_export(employer_a, world))


def test_the_name_shows_once_the_employer_is_interested(employer_a: Client, world: WebWorld) -> None:
    placement_move(
        placement=world.placement,
        to_stage="employer_interested",
        actor=world.recruiter,
        expected_version=world.placement.version,
    )
    _header, *rows = csv_rows(_export(employer_a, world))
    assert [row[0] for row in rows] == [row.name for row in _page_rows(employer_a, world)] == ["Amina Benali"]


def test_a_candidate_who_no_longer_shares_is_left_out(employer_a: Client, world: WebWorld) -> None:
    Consent.objects.filter(candidate=world.candidate).update(withdrawn_at=timezone.now())
    assert _page_rows(employer_a, world) == []
    assert csv_rows(_export(employer_a, world))[1:] == []


def test_another_employer_gets_a_404_and_other_roles_a_403(
    employer_a: Client, employer_b: Client, recruiter: Client, world: WebWorld
) -> None:
    assert _export(employer_b, world).status_code == 404
    assert _export(employer_b, world, "xlsx").status_code == 404
    assert _export(recruiter, world).status_code == 403
    # Employer A's export of B's vacancy: a 404 as well.
    assert _export(employer_a, world, vacancy_id=world.other_vacancy.public_id).status_code == 404


def test_employer_b_sees_only_its_own_proposals(employer_b: Client, world: WebWorld) -> None:
    other = matched_candidate(world.other_vacancy, given_name="Karim", family_name="Idrissi")
    assert other.pk != world.candidate.pk
    response = _export(employer_b, world, vacancy_id=world.other_vacancy.public_id)
    assert response.status_code == 200
    assert csv_rows(response)[1:] == []  # no case proposed to B: nothing, least of all A's candidate


def test_an_unknown_format_is_a_400(employer_a: Client, world: WebWorld) -> None:
    response = _export(employer_a, world, "ods")
    assert response.status_code == 400
