"""A merge keeps the history of both records on the kept one, anonymises the other, tells each agency
only its own reference, marks matches stale, and writes nothing when it fails."""

import threading
from typing import Any

import pytest
from django.db import connection, connections, transaction
from django.db.models import Q
from django.utils import timezone

from candidate_space.models import CandidateAccount
from candidates.models import Candidate, Consent, LanguageProficiency
from candidates.services import candidate_restrict
from core.models import User
from duplicates import selectors
from duplicates.models import CandidateMerge, DuplicatePair
from duplicates.services import MergeRefused, candidates_merge, pair_merge, pair_reject
from duplicates.services import merge as merge_module
from privacy.models import ErasureRequest
from recruitment.models import Placement
from recruitment.selectors import funnel
from recruitment.services.placements import placement_shortlist
from tests import factories
from tests.duplicates.world import Twins, build_twins
from tests.web.world import stored_match
from webhooks.events import EventType
from webhooks.models import WebhookEvent
from webhooks.services import subscription_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def twins() -> Twins:
    return build_twins()


def _counts(candidate: Candidate) -> dict[str, int]:
    """Rows per table pointing at ``candidate`` (the recompute's own bookkeeping aside)."""
    counts = {}
    for relation in merge_module.candidate_relations():
        label = relation.related_model._meta.label
        if label in merge_module.NOT_MOVED:
            continue
        counts[f"{label}.{relation.field.name}"] = relation.related_model._base_manager.filter(
            **{relation.field.name: candidate}
        ).count()
    return counts


def _pair(a: Candidate, b: Candidate) -> DuplicatePair:
    low, high = sorted((a.pk, b.pk))
    return DuplicatePair.objects.create(
        low_id=low, high_id=high, score=90, reasons=[], detected_at=timezone.now()
    )


def test_the_history_of_both_records_survives_on_the_kept_one(twins: Twins) -> None:
    first, second = _counts(twins.first), _counts(twins.second)
    # The world can fail this test: both records hold rows in the tables that matter.
    for table in (
        "recruitment.Placement.candidate",
        "candidates.Consent.candidate",
        "candidates.ProfileAccess.candidate",
        "candidate_space.CorrectionRequest.candidate",
        "candidates.Diploma.candidate",
        "recruitment.CandidateNote.candidate",
        "candidates.CandidateRestriction.candidate",
        "candidates.RecruitmentCost.candidate",
    ):
        assert first[table] > 0 and second[table] > 0, table
    left_user_id = CandidateAccount.objects.get(candidate=twins.second).user_id
    record = candidates_merge(keep=twins.first, merge=twins.second, by=twins.recruiter)
    after, left = _counts(twins.first), _counts(twins.second)
    for table, before in first.items():
        label = table.rsplit(".", 1)[0]
        dropped = record.counts.get(label, {}).get("dropped", 0)
        stayed = record.counts.get(label, {}).get("left", 0)
        assert after[table] == before + second[table] - dropped - stayed, table
        # (the account left behind is deleted with its user, below)
        assert left[table] == (0 if label == "candidate_space.CandidateAccount" else stayed), table
    # Only the second sign-in account stays behind (one account per candidate)...
    assert record.counts["candidate_space.CandidateAccount"] == {"moved": 0, "left": 1, "dropped": 0}
    # ... and its sign-in user is deleted, as an erasure deletes it (its account row with it).
    assert not User.objects.filter(pk=left_user_id).exists()
    assert not CandidateAccount.objects.filter(candidate=twins.second).exists()
    assert CandidateAccount.objects.filter(candidate=twins.first).exists()
    # Nothing is dropped but repeated facts, and nothing repeats in this world.
    assert not {label for label, count in record.counts.items() if count["dropped"]}
    # Moves and notes of the moved case came along with it.
    case = Placement.objects.get(candidate=twins.first, vacancy=twins.vacancies[1])
    assert case.transitions.exists()


def test_both_projects_funnel_counts_do_not_drop(twins: Twins) -> None:
    """The second record's case moves to the first record (another project): its project keeps the
    steps it reached, retained on the anonymised row."""
    projects = [twins.alpha.project, twins.beta.project]
    before = [funnel.funnel_counts(project=project) for project in projects]
    candidates_merge(keep=twins.first, merge=twins.second, by=twins.recruiter)
    after = [funnel.funnel_counts(project=project) for project in projects]
    for old, new in zip(before, after, strict=True):
        assert all(new[step] >= count for step, count in old.items()), (old, new)
    assert after[1] == before[1]


def test_the_merged_away_record_is_anonymised_and_its_ids_recorded(twins: Twins) -> None:
    record = candidates_merge(keep=twins.first, merge=twins.second, by=twins.recruiter)
    gone = Candidate.objects.get(pk=twins.second.pk)
    assert gone.status == Candidate.Status.ANONYMISED
    assert (gone.given_name, gone.family_name, gone.email, gone.phone, gone.nationalities) == (
        "",
        "",
        "",
        "",
        [],
    )
    assert gone.external_id == "B-7" and gone.public_id == twins.second.public_id
    assert record.merged_away_public_id == twins.second.public_id
    assert record.merged_away_external_id == "B-7"
    assert record.merged_away_registered_by_id == twins.beta.organisation.pk
    assert selectors.merged_into(organisation_id=twins.beta.organisation.pk, external_id="B-7") == twins.first
    assert selectors.merged_into(organisation_id=twins.alpha.organisation.pk, external_id="B-7") is None
    assert not Candidate.objects.visible().filter(pk=gone.pk).exists()


def test_both_candidates_matches_are_marked_stale(
    twins: Twins, django_capture_on_commit_callbacks: Any
) -> None:
    before = {
        c.pk: c.profile_version for c in Candidate.objects.filter(pk__in=[twins.first.pk, twins.second.pk])
    }
    with django_capture_on_commit_callbacks() as callbacks:
        candidates_merge(keep=twins.first, merge=twins.second, by=twins.recruiter)
    after = {c.pk: c.profile_version for c in Candidate.objects.filter(pk__in=before)}
    assert all(after[pk] > before[pk] for pk in before)
    assert len(callbacks) >= 2  # the two recomputes, queued after commit


def test_each_agency_learns_only_its_own_reference(twins: Twins) -> None:
    for partner in (twins.alpha, twins.beta):
        subscription_create(
            organisation=partner.organisation,
            url="https://hooks.example.org/talentbrug",
            event_types=[EventType.CANDIDATE_MERGED],
        )
    candidates_merge(keep=twins.first, merge=twins.second, by=twins.recruiter)
    events = {e.organisation_id: e.data for e in WebhookEvent.objects.filter(type=EventType.CANDIDATE_MERGED)}
    # Not even the other agency's public id.
    assert events == {
        twins.alpha.organisation.pk: {
            "kept_candidate": str(twins.first.public_id),
            "kept_external_id": "A-1",
        },
        twins.beta.organisation.pk: {
            "merged_candidate": str(twins.second.public_id),
            "merged_external_id": "B-7",
        },
    }


def test_a_failing_merge_writes_nothing(twins: Twins, monkeypatch: pytest.MonkeyPatch) -> None:
    pair = _pair(twins.first, twins.second)
    first, second = _counts(twins.first), _counts(twins.second)

    def broken(gone: Candidate) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(merge_module, "_anonymise", broken)
    with pytest.raises(RuntimeError):
        candidates_merge(keep=twins.first, merge=twins.second, by=twins.recruiter, pair=pair)
    assert (_counts(twins.first), _counts(twins.second)) == (first, second)
    assert not CandidateMerge.objects.exists()
    assert Candidate.objects.get(pk=twins.second.pk).status == Candidate.Status.ACTIVE
    assert DuplicatePair.objects.get(pk=pair.pk).status == DuplicatePair.Status.OPEN
    assert CandidateAccount.objects.get(candidate=twins.second).user.is_active


def test_colliding_rows_keep_both_histories(twins: Twins) -> None:
    """Two consents in force for one purpose, two cases for one vacancy, Dutch known twice."""
    stored_match(twins.vacancies[1], twins.first)
    placement_shortlist(vacancy=twins.vacancies[1], candidate=twins.first, actor=twins.recruiter)
    LanguageProficiency.objects.filter(candidate=twins.second).update(language="nl", listening="C1")
    record = candidates_merge(keep=twins.first, merge=twins.second, by=twins.recruiter)
    # Both visibility consents survive: the kept one's in force on the kept record, the other as evidence.
    visibility = Q(purpose=Consent.Purpose.PROFILE_VISIBILITY)
    assert Consent.objects.filter(visibility, candidate=twins.first).count() == 1
    assert Consent.objects.filter(visibility, candidate=twins.second).count() == 1
    # (and so do the two consents to share with the one employer of both vacancies)
    assert record.counts["candidates.Consent"]["left"] == 2
    # Both cases for the second vacancy survive; the merged-away one stays with the anonymised row.
    assert Placement.objects.filter(vacancy=twins.vacancies[1]).count() == 2
    assert record.counts["recruitment.Placement"] == {"moved": 0, "left": 1, "dropped": 0}
    # The kept record's Dutch wins; the repeat is dropped.
    assert list(
        LanguageProficiency.objects.filter(candidate=twins.first).values_list("language", "listening")
    ) == [("nl", "B1")]
    assert record.counts["candidates.LanguageProficiency"]["dropped"] == 1


def test_a_restricted_candidate_is_not_merged(twins: Twins) -> None:
    candidate_restrict(candidate=twins.second, by=twins.recruiter, reason="dispute")
    with pytest.raises(MergeRefused):
        candidates_merge(keep=twins.first, merge=twins.second, by=twins.recruiter)
    assert not CandidateMerge.objects.exists()


def test_a_decided_pair_is_not_decided_again(twins: Twins) -> None:
    pair = _pair(twins.first, twins.second)
    pair_reject(pair=pair, by=twins.recruiter)
    with pytest.raises(MergeRefused):
        pair_merge(pair=pair, keep_public_id=twins.first.public_id, by=twins.recruiter)
    with pytest.raises(MergeRefused):
        pair_reject(pair=pair, by=twins.recruiter)
    assert Candidate.objects.get(pk=twins.second.pk).status == Candidate.Status.ACTIVE


def test_keeping_someone_outside_the_pair_is_refused(twins: Twins) -> None:
    pair = _pair(twins.first, twins.second)
    stranger = factories.CandidateFactory.create()
    with pytest.raises(MergeRefused):
        pair_merge(pair=pair, keep_public_id=stranger.public_id, by=twins.recruiter)
    assert DuplicatePair.objects.get(pk=pair.pk).status == DuplicatePair.Status.OPEN


def test_a_rejection_of_the_merged_away_record_carries_over(twins: Twins) -> None:
    """C was "not the same person" as the second record: after the merge, not as the kept one either."""
    third = factories.CandidateFactory.create()
    rejected = _pair(twins.second, third)
    pair_reject(pair=rejected, by=twins.recruiter)
    pair = _pair(twins.first, twins.second)
    pair_merge(pair=pair, keep_public_id=twins.first.public_id, by=twins.recruiter)
    low, high = sorted((twins.first.pk, third.pk))
    carried = DuplicatePair.objects.get(low_id=low, high_id=high)
    assert carried.status == DuplicatePair.Status.REJECTED
    assert DuplicatePair.objects.get(pk=pair.pk).status == DuplicatePair.Status.MERGED


def test_records_of_two_agencies_are_merged_only_with_the_consent_to_share(twins: Twins) -> None:
    """The second record's cases and history would go to Alpha (the first record's agency)."""
    shared = Consent.objects.filter(candidate=twins.second, purpose=Consent.Purpose.SHARE_WITH_PARTNER)
    shared.update(withdrawn_at=timezone.now())
    # A consent to share with some other organisation does not count either.
    factories.ConsentFactory.create(
        candidate=twins.second,
        purpose=Consent.Purpose.SHARE_WITH_PARTNER,
        recipient=factories.OrganisationFactory.create(),
    )
    before = _counts(twins.first), _counts(twins.second)
    with pytest.raises(MergeRefused) as refused:
        candidates_merge(keep=twins.first, merge=twins.second, by=twins.recruiter)
    assert refused.value.code == "other_agency"
    assert (_counts(twins.first), _counts(twins.second)) == before
    assert Candidate.objects.get(pk=twins.second.pk).status == Candidate.Status.ACTIVE
    # The consent in force (granted again) allows it.
    factories.ConsentFactory.create(
        candidate=twins.second,
        purpose=Consent.Purpose.SHARE_WITH_PARTNER,
        recipient=twins.alpha.organisation,
    )
    candidates_merge(keep=twins.first, merge=twins.second, by=twins.recruiter)
    assert Candidate.objects.get(pk=twins.second.pk).status == Candidate.Status.ANONYMISED


def test_two_records_of_one_agency_need_no_consent_to_share(twins: Twins) -> None:
    again = factories.CandidateFactory.create(registered_by=twins.alpha.organisation)
    candidates_merge(keep=twins.first, merge=again, by=twins.recruiter)
    assert Candidate.objects.get(pk=again.pk).status == Candidate.Status.ANONYMISED


def test_a_candidate_asking_to_be_erased_is_not_merged(twins: Twins) -> None:
    request = ErasureRequest.objects.create(
        candidate=twins.second,
        candidate_reference=twins.second.public_id,
        requested_at=timezone.now(),
        requested_by_kind=ErasureRequest.RequestedBy.STAFF,
    )
    with pytest.raises(MergeRefused) as refused:
        candidates_merge(keep=twins.first, merge=twins.second, by=twins.recruiter)
    assert refused.value.code == "erasure"
    assert not CandidateMerge.objects.exists()
    # Refused: the person may be merged again (a closed request moves with the rest).
    ErasureRequest.objects.filter(pk=request.pk).update(
        status=ErasureRequest.Status.REFUSED, decided_at=timezone.now(), refusal_reason="not the last copy"
    )
    candidates_merge(keep=twins.first, merge=twins.second, by=twins.recruiter)
    assert ErasureRequest.objects.get(pk=request.pk).candidate_id == twins.first.pk


def test_a_pair_deleted_by_an_overlapping_merge_is_refused_not_a_crash(twins: Twins) -> None:
    third = factories.CandidateFactory.create(registered_by=twins.beta.organisation)
    pair = _pair(twins.first, twins.second)
    overlapping = _pair(twins.second, third)
    pair_merge(pair=pair, keep_public_id=twins.first.public_id, by=twins.recruiter)
    assert not DuplicatePair.objects.filter(pk=overlapping.pk).exists()  # the second record's open pairs go
    with pytest.raises(MergeRefused) as refused:
        pair_merge(pair=overlapping, keep_public_id=third.public_id, by=twins.recruiter)
    assert refused.value.code == "decided"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks: PostgreSQL only")
@pytest.mark.django_db(transaction=True)
def test_the_merged_away_records_pairs_are_locked_before_they_are_read() -> None:
    """A colleague holding a pair of the merged-away record (deciding on it) makes the merge wait, so
    the merge never reads a rejection (or an open pair) that is changing under it."""
    twins = build_twins()
    third = factories.CandidateFactory.create(registered_by=twins.beta.organisation)
    rejected = _pair(twins.second, third)
    pair_reject(pair=rejected, by=twins.recruiter)
    done = threading.Event()
    failures: list[BaseException] = []

    def merge() -> None:
        try:
            candidates_merge(keep=twins.first, merge=twins.second, by=twins.recruiter)
        except BaseException as exc:  # reported to the test below
            failures.append(exc)
        finally:
            connections.close_all()
            done.set()

    thread = threading.Thread(target=merge)
    with transaction.atomic():
        DuplicatePair.objects.select_for_update().get(pk=rejected.pk)
        thread.start()
        assert not done.wait(2), "the merge did not wait for the pair's lock"
    assert done.wait(60)
    thread.join()
    assert not failures
    low, high = sorted((twins.first.pk, third.pk))
    assert DuplicatePair.objects.get(low_id=low, high_id=high).status == DuplicatePair.Status.REJECTED
