"""The rule "which pages does a candidate see" is written twice: in Python for the candidate's own list
(``welcome_entries_for_candidate``) and in SQL for the staff's counts and the e-mails (``page_audience``).
Here both answer for a mix of stages, places and variants, and must agree candidate by candidate."""

import pytest

from recruitment.workflow import Stage
from tests.welcome.helpers import case, no_seeded_pages, page, reader
from welcome.models import InformationPage
from welcome.selectors import page_audience, welcome_entries_for_candidate

pytestmark = pytest.mark.django_db

PLACES = {
    "Gent": ("9000", "VLG"),
    "GENT": ("9000", "VLG"),
    "Antwerpen": ("2000", "VLG"),
    "Brussel": ("1000", "BRU"),
    "Namur": ("5000", "WAL"),
}

# Each candidate: their cases as (stage, municipality, employer knows who they are).
CANDIDATES: list[list[tuple[Stage, str, bool]]] = [
    [],
    [(Stage.WITHDRAWN, "Gent", True)],
    [(Stage.SHORTLISTED, "Gent", False)],
    [(Stage.INTERVIEW, "Gent", True)],
    [(Stage.INTERVIEW, "Gent", False)],
    [(Stage.OFFER, "Antwerpen", True), (Stage.STARTED, "Gent", True)],
    [(Stage.VISA, "Brussel", True)],
    [(Stage.ARRIVED, "GENT", True)],
    [(Stage.ARRIVED, "Namur", True), (Stage.ARRIVED, "Gent", True)],
    [(Stage.EMPLOYED_6M, "Antwerpen", False)],
    [(Stage.ENDED, "Gent", True), (Stage.PERMIT_FILED, "Brussel", False)],
]


def _pages() -> None:
    for group in ("before_departure", "offer_permit", "on_arrival", "after_starting"):
        page(f"{group}-general", group)
        page(f"{group}-desk", group)
        page(f"{group}-desk", group, region="VLG")
        page(f"{group}-desk", group, region="VLG", municipality="Gent")
        page(f"{group}-desk", group, region="BRU")
        page(f"{group}-only-ghent", group, region="VLG", municipality="Gent")
    page("before_travel-general", "before_travel")


def test_the_sql_audience_of_every_page_equals_what_each_candidate_sees() -> None:
    no_seeded_pages()
    _pages()
    candidates = []
    for cases in CANDIDATES:
        candidate = reader()
        for stage, municipality, revealed in cases:
            postal_code, region = PLACES[municipality]
            case(
                candidate,
                stage,
                municipality=municipality,
                postal_code=postal_code,
                region=region,
                revealed=revealed,
            )
        candidates.append(candidate)
    seen: dict[int, set[int]] = {page.pk: set() for page in InformationPage.objects.all()}
    for candidate in candidates:
        for entry in welcome_entries_for_candidate(candidate=candidate, language="en"):
            seen[entry.page.pk].add(candidate.pk)
    for target in InformationPage.objects.all():
        assert set(page_audience(target).values_list("pk", flat=True)) == seen[target.pk], target
    # The mix reaches general, regional and municipal pages, so the comparison is not vacuous.
    ranks = {target.scope_rank for target in InformationPage.objects.all() if seen[target.pk]}
    assert ranks == {0, 1, 2}
    assert sum(bool(readers) for readers in seen.values()) >= 20
