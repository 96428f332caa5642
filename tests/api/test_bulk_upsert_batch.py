"""The bulk upsert writes a request's candidates together, and each one still on its own (issue 11).

A request of a hundred candidates is validated item by item, then read and written with a fixed number
of queries whatever its size, and their match recompute queued once. What a partner sees must not
change: every item answers as it would alone, nothing of a refused item is written, a request sent again
changes nothing, and every uploaded candidate's matches are computed by the job the request queued.
"""

import datetime
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from typing import Any
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from candidates.models import Candidate, Consent
from candidates.services import RECOMPUTE_CANDIDATE_TASK, RECOMPUTE_CANDIDATES_TASK
from core.models import Organisation
from projects.models import TrainingProgramme
from recruitment import services as recruitment_services
from recruitment.models import Match, MatchJob
from reference.models import EscoOccupation, EscoSkill
from tests import factories
from tests.api.conftest import Partner, published_vacancy
from tests.recruitment.world import build_world, welder_vacancy

pytestmark = pytest.mark.django_db

URL = "/api/v1/candidates/bulk/"
Commit = Callable[..., AbstractContextManager[Any]]


class Bodies:
    """Full candidate profiles of one partner: every nested list, references within its own reach."""

    def __init__(
        self,
        partner: Partner,
        employer: Organisation,
        occupations: list[EscoOccupation],
        skills: list[EscoSkill],
    ) -> None:
        self.partner = partner
        self.employer = employer
        self.occupations = occupations
        self.skills = skills
        self.programme = TrainingProgramme.objects.create(project=partner.project, name="Nederlands")

    def full(self, external_id: str, n: int = 0, **overrides: Any) -> dict[str, Any]:
        occupation = self.occupations[n % len(self.occupations)].uri
        body: dict[str, Any] = {
            "external_id": external_id,
            "project": self.partner.project.code,
            "given_name": f"Given {n}",
            "family_name": "Family",
            "date_of_birth": "1994-03-02",
            "nationalities": ["MA"],
            "country_of_residence": "MA",
            "desired_occupations": [occupation],
            "languages": [
                {"language": "nl", "listening": "B1", "reading": "A2", "writing": "A2"},
                {"language": "fr", "is_native": True},
            ],
            "diplomas": [
                {
                    "title": "Technicien",
                    "institution": "OFPPT",
                    "country": "MA",
                    "isced_level": 4,
                    "duration_years": "2",
                    "recognition_steps": [
                        {"authority": "naric_vl", "outcome": "requested", "requested_on": "2026-09-01"}
                    ],
                }
            ],
            "work_experience": [{"occupation": occupation, "country": "MA", "started_on": "2019-01-01"}],
            "skills": [{"skill": skill.uri} for skill in self.skills],
            "licences": [{"kind": "driving_c", "issuing_country": "MA"}],
            "training": [{"programme": self.programme.pk, "status": "in_progress"}],
            "consents": [
                {
                    "purpose": "profile_visibility",
                    "text_version": "2026-01",
                    "granted_at": "2026-01-05T10:00:00Z",
                },
                {
                    "purpose": "share_with_employer",
                    "recipient": self.employer.pk,
                    "text_version": "2026-01",
                    "granted_at": "2026-01-05T10:00:00Z",
                },
            ],
        }
        body.update(overrides)
        return body


@pytest.fixture
def occupations() -> list[EscoOccupation]:
    return [factories.EscoOccupationFactory.create() for _ in range(2)]


@pytest.fixture
def skills() -> list[EscoSkill]:
    return [factories.EscoSkillFactory.create() for _ in range(3)]


@pytest.fixture
def employer(partner_x: Partner, partner_y: Partner) -> Organisation:
    """The employer of a vacancy open to both partners' projects: a recipient either may name."""
    return published_vacancy(partner_x.project, partner_y.project).employer


@pytest.fixture
def bodies_x(
    partner_x: Partner, employer: Organisation, occupations: list[EscoOccupation], skills: list[EscoSkill]
) -> Bodies:
    return Bodies(partner_x, employer, occupations, skills)


@pytest.fixture
def bodies_y(
    partner_y: Partner, employer: Organisation, occupations: list[EscoOccupation], skills: list[EscoSkill]
) -> Bodies:
    return Bodies(partner_y, employer, occupations, skills)


def _post(api: APIClient, items: list[Any]) -> dict[str, Any]:
    response = api.post(URL, {"items": items}, format="json")
    assert response.status_code == 200, response.content
    return dict(response.json())


def _mixed(bodies: Bodies, other: Partner, api: APIClient) -> list[Any]:
    """Items of every kind, after the state they need: candidates to update, leave unchanged, refuse
    (withdrawn), and one that consented before to an employer only it may name."""
    earlier = factories.OrganisationFactory.create(
        employer=True, name=f"Earlier of {bodies.partner.organisation.name}"
    )
    for external_id in ("M-UPDATE", "M-SAME", "M-GONE", "M-EARLIER"):
        assert _post(api, [bodies.full(external_id)])["summary"]["created"] == 1
    gone = Candidate.objects.get(registered_by=bodies.partner.organisation, external_id="M-GONE")
    assert api.delete(f"/api/v1/candidates/{gone.public_id}/").status_code == 204
    consenting = Candidate.objects.get(registered_by=bodies.partner.organisation, external_id="M-EARLIER")
    factories.ConsentFactory.create(
        candidate=consenting, purpose=Consent.Purpose.SHARE_WITH_EMPLOYER, recipient=earlier
    )
    sharing = {
        "purpose": "share_with_employer",
        "text_version": "2026-01",
        "granted_at": "2026-01-05T10:00:00Z",
    }
    full = bodies.full
    unfinished = {"authority": "naric_vl", "outcome": "full_equivalence", "requested_on": "2026-01-01"}
    diploma = {"title": "BSc Nursing", "institution": "GCN", "country": "IN", "isced_level": 6}
    return [
        full("M-NEW", 1),
        full("M-UPDATE", 2, phone="+212600000000", languages=[{"language": "nl", "reading": "B2"}]),
        full("M-SAME"),
        full("M-BAD-DATE", date_of_birth="17/05/1996", languages=[{"language": "nl", "reading": "B9"}]),
        # A database rule (a decision without its date): refused when written, alone.
        full("M-DB-RULE", diplomas=[{**diploma, "recognition_steps": [unfinished]}]),
        full("M-GONE"),
        full("M-OTHER-PROJECT", project=other.project.code),
        full("M-EARLIER", consents=[{**sharing, "recipient": earlier.pk}]),
        full("M-NOT-YOURS", consents=[{**sharing, "recipient": earlier.pk}]),
        ["not", "an", "object"],
        full("M-TWICE", languages=[{"language": "nl"}, {"language": "nl", "reading": "A1"}]),
        _without(full("M-MINIMAL", 3), "languages", "diplomas", "consents", "training"),
    ]


def _without(body: dict[str, Any], *keys: str) -> dict[str, Any]:
    return {key: value for key, value in body.items() if key not in keys}


def _answer(result: dict[str, Any]) -> tuple[Any, ...]:
    return (
        result["external_id"],
        result["status"],
        sorted((e["pointer"], e["code"]) for e in result["errors"]),
    )


def _stored(organisation: Organisation, employer: Organisation) -> dict[str, Any]:
    """Everything written for the organisation's candidates, without ids, times or its own references
    (a consent's recipient: the shared ``employer``, another one, or none)."""

    def recipient(pk: int | None) -> str:
        return "none" if pk is None else "shared" if pk == employer.pk else "own"

    state: dict[str, Any] = {}
    for c in Candidate.objects.filter(registered_by=organisation).order_by("external_id"):
        state[c.external_id] = {
            "fields": (c.given_name, c.phone, c.date_of_birth, c.status, c.project is not None),
            "versions": (c.profile_version, c.matched_version),
            "occupations": sorted(c.desired_occupations.values_list("uri", flat=True)),
            "languages": sorted(c.languages.values_list("language", "reading", "listening", "is_native")),
            "diplomas": sorted(c.diplomas.values_list("title", "isced_level", "recognition_steps__outcome")),
            "experience": sorted(c.experiences.values_list("occupation__uri", "started_on")),
            "skills": sorted(c.skills.values_list("skill__uri", flat=True)),
            "licences": sorted(c.licences.values_list("kind", "issuing_country")),
            "training": sorted(c.enrolments.values_list("programme__name", "status")),
            "consents": sorted(
                (purpose, recipient(recipient_id), withdrawn is None)
                for purpose, recipient_id, withdrawn in c.consents.values_list(
                    "purpose", "recipient_id", "withdrawn_at"
                )
            ),
        }
    return state


def test_a_request_answers_and_writes_each_item_as_if_it_came_alone(
    api_x: APIClient,
    api_y: APIClient,
    partner_x: Partner,
    partner_y: Partner,
    bodies_x: Bodies,
    bodies_y: Bodies,
    employer: Organisation,
    sent: list[tuple[str, tuple[Any, ...]]],
    django_capture_on_commit_callbacks: Commit,
) -> None:
    """X sends the items in one request, Y (the same setup) sends each in a request of its own: the
    answers and what is stored are the same, item by item. Y's requests skip the repeated id (alone, it
    is no repeat)."""
    items_x = _mixed(bodies_x, partner_y, api_x)
    repeated = {**bodies_x.full("M-NEW", 9)}
    with django_capture_on_commit_callbacks(execute=True):
        together = _post(api_x, [*items_x, repeated])["results"]
    alone = [_post(api_y, [item])["results"][0] for item in _mixed(bodies_y, partner_x, api_y)]

    assert [_answer(r) for r in together[:-1]] == [_answer(r) for r in alone]
    assert [r["status"] for r in together] == [
        "created",
        "updated",
        "unchanged",
        "error",
        "error",
        "error",
        "error",
        "updated",
        "error",
        "error",
        "error",
        "created",
        "error",
    ]
    assert _answer(together[-1]) == ("M-NEW", "error", [("#/external_id", "duplicate")])
    assert {e["pointer"] for e in together[4]["errors"]} == {"#/diplomas/0/recognition_steps/0"}
    assert together[5]["errors"][0]["code"] == "withdrawn"
    assert [e["pointer"] for e in together[8]["errors"]] == ["#/consents/0/recipient"]
    assert _stored(partner_x.organisation, employer) == _stored(partner_y.organisation, employer)
    # The written ones (created or updated), and only they, are recomputed: one job for all of them.
    written = [r["id"] for r in together if r["status"] in ("created", "updated")]
    ids = sorted(Candidate.objects.filter(public_id__in=written).values_list("pk", flat=True))
    assert [call for call in sent if call[1] != (RECOMPUTE_CANDIDATE_TASK,)][-1:] == [
        (RECOMPUTE_CANDIDATES_TASK, tuple(ids))
    ]
    # Nothing of a refused item is written; the others are, whole.
    assert not Candidate.objects.filter(external_id__in=["M-DB-RULE", "M-BAD-DATE", "M-TWICE"]).exists()
    new = _stored(partner_x.organisation, employer)["M-NEW"]
    assert new["fields"][0] == "Given 1" and len(new["skills"]) == 3 and new["training"] and new["diplomas"]


def test_the_same_request_again_changes_nothing(
    api_x: APIClient,
    partner_x: Partner,
    partner_y: Partner,
    bodies_x: Bodies,
    employer: Organisation,
    django_capture_on_commit_callbacks: Commit,
) -> None:
    items = _mixed(bodies_x, partner_y, api_x)
    first = _post(api_x, items)["results"]
    before = _stored(partner_x.organisation, employer)
    consents = sorted(Consent.objects.values_list("pk", "withdrawn_at"))
    with django_capture_on_commit_callbacks() as callbacks:
        second = _post(api_x, items)["results"]
    assert [r["status"] for r in second] == [
        "unchanged" if r["status"] != "error" else "error" for r in first
    ]
    assert [r["errors"] for r in second] == [r["errors"] for r in first]
    assert [r["id"] for r in second] == [r["id"] for r in first]
    assert callbacks == []  # no version bump, no recompute, no consent follow-up
    assert _stored(partner_x.organisation, employer) == before
    assert sorted(Consent.objects.values_list("pk", "withdrawn_at")) == consents
    # Sent again, the valid items cost a few reads for all of them (not a dozen each).
    valid = [item for item, result in zip(items, first, strict=True) if result["status"] != "error"]
    with CaptureQueriesContext(connection) as queries:
        assert {r["status"] for r in _post(api_x, valid)["results"]} == {"unchanged"}
    assert len(valid) == 5 and len(queries) <= 30


def _statements(api: APIClient, items: list[dict[str, Any]]) -> tuple[int, int]:
    """The queries of one request: all of them, and the statements they make, where an INSERT that the
    database's parameter limit split into batches (SQLite: 999 a statement) counts once."""
    with CaptureQueriesContext(connection) as queries:
        summary = _post(api, items)["summary"]
    assert summary["error"] == 0, summary
    statements, previous = 0, ""
    for query in queries.captured_queries:
        sql = query["sql"]
        table = sql.split("(", 1)[0] if sql.startswith("INSERT") else ""
        statements += not (table and table == previous)
        previous = table
    return len(queries), statements


def test_the_queries_of_a_request_do_not_grow_with_its_items(api_x: APIClient, bodies_x: Bodies) -> None:
    """Ten or a hundred full profiles: the same statements, created and then changed; on PostgreSQL
    (no parameter limit) the very same number of queries."""
    ten = [bodies_x.full(f"Q10-{n}", n) for n in range(10)]
    hundred = [bodies_x.full(f"Q100-{n}", n) for n in range(100)]

    def changed(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [
            {**item, "phone": "+212611111111", "languages": [{"language": "nl", "reading": "B2"}]}
            for item in items
        ]

    for small, large in (
        (_statements(api_x, ten), _statements(api_x, hundred)),
        (_statements(api_x, changed(ten)), _statements(api_x, changed(hundred))),
    ):
        assert small[1] == large[1] <= 40
        if connection.vendor == "postgresql":
            assert small[0] == large[0]
    assert Candidate.objects.count() == 110


@pytest.fixture
def sent() -> Iterator[list[tuple[str, tuple[Any, ...]]]]:
    """The task messages sent after commit (task name, arguments), instead of running them."""
    calls: list[tuple[str, tuple[Any, ...]]] = []
    with mock.patch("core.jobs.send_task_now", side_effect=lambda name, *args: calls.append((name, args))):
        yield calls


def test_one_recompute_is_queued_per_request(
    api_x: APIClient,
    bodies_x: Bodies,
    sent: list[tuple[str, tuple[Any, ...]]],
    django_capture_on_commit_callbacks: Commit,
) -> None:
    items = [bodies_x.full(f"R-{n}", n) for n in range(100)]
    with django_capture_on_commit_callbacks(execute=True):
        results = _post(api_x, items)["results"]
    ids = sorted(Candidate.objects.filter(external_id__startswith="R-").values_list("pk", flat=True))
    assert sent == [(RECOMPUTE_CANDIDATES_TASK, tuple(ids))]
    pk_of = dict(Candidate.objects.filter(external_id__startswith="R-").values_list("external_id", "pk"))
    assert {r["status"] for r in results} == {"created"}

    sent.clear()
    changed = [{**item, "phone": "+212622222222"} for item in items[:3]]
    with django_capture_on_commit_callbacks(execute=True):
        _post(api_x, [*changed, *items[3:]])
    assert sent == [
        (RECOMPUTE_CANDIDATES_TASK, tuple(sorted(pk_of[item["external_id"]] for item in changed)))
    ]

    sent.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _post(api_x, [{**items[5], "phone": "+212633333333"}])
    assert sent == [(RECOMPUTE_CANDIDATE_TASK, (pk_of[items[5]["external_id"]],))]  # its own job, as any edit


def test_every_uploaded_candidate_is_matched_by_the_job_the_request_queued(
    api_x: APIClient, partner_x: Partner, django_capture_on_commit_callbacks: Commit
) -> None:
    """Welders matching an open welder vacancy: after the request (and the job it queued, run as a
    worker would), each has current matches, its own job done, all claimed by one run."""
    world = build_world()
    with django_capture_on_commit_callbacks(execute=True):
        vacancy = welder_vacancy(world)
        vacancy.open_to_projects.set([partner_x.project])
    welder = {
        "given_name": "Youssef",
        "family_name": "Amrani",
        "date_of_birth": "1992-04-01",
        "nationalities": ["MA"],
        "country_of_residence": "MA",
        "languages": [
            {
                "language": "nl",
                **dict.fromkeys(
                    ("listening", "reading", "spoken_interaction", "spoken_production", "writing"), "B1"
                ),
            }
        ],
        "diplomas": [
            {"title": "Soudure", "institution": "OFPPT", "country": "MA", "field": "0715", "isced_level": 3}
        ],
        "work_experience": [{"occupation": world.welder.uri, "country": "MA", "started_on": "2018-01-01"}],
        "consents": [
            {
                "purpose": "share_with_employer",
                "recipient": world.employer.pk,
                "text_version": "2026-01",
                "granted_at": (timezone.now() - datetime.timedelta(days=2)).isoformat(),
            }
        ],
    }
    items = [{**welder, "external_id": f"W-{n}", "given_name": f"Youssef {n}"} for n in range(12)]
    with django_capture_on_commit_callbacks(execute=True):
        assert _post(api_x, items)["summary"]["created"] == 12
    candidates = Candidate.objects.filter(registered_by=partner_x.organisation)
    assert all(c.matched_version == c.profile_version == 1 for c in candidates)
    assert Match.objects.filter(vacancy=vacancy, candidate__in=candidates).count() == 12
    jobs = MatchJob.objects.filter(candidate__in=candidates)
    assert jobs.count() == 12 and {job.status for job in jobs} == {"done"}
    assert len({(job.claimed_by, job.started_at) for job in jobs}) == 1  # one run for all of them
    assert {job.added for job in jobs} == {1}
    assert recruitment_services.match_consistency_violations() == []
