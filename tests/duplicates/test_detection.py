"""Detection without a database: normalising, scoring with reasons, and blocking that compares far fewer
pairs than all of them while still finding the duplicates."""

import datetime
import random

import pytest

from duplicates import detection
from duplicates.detection import Person, find_duplicates, name_tokens, normalise_phone, score_pair

BORN = datetime.date(1994, 3, 8)


def person(pk: int, given: str, family: str, **fields: object) -> Person:
    values: dict[str, object] = {
        "date_of_birth": BORN,
        "nationalities": ("MA",),
        "email": "",
        "phone": "",
        **fields,
    }
    return Person(id=pk, given_name=given, family_name=family, **values)  # type: ignore[arg-type]


def test_names_ignore_accents_case_and_order() -> None:
    assert name_tokens("Zoë", "Ben-Ali") == name_tokens("ben ALI", "zoe")
    assert name_tokens("  ", "") == ()


@pytest.mark.parametrize(
    ("phone", "expected"),
    [
        ("+212 612 345 678", "612345678"),
        ("00212612345678", "612345678"),
        ("0612-34-56-78", "612345678"),
        ("12 34", ""),
    ],
)
def test_phones_compare_on_their_last_nine_digits(phone: str, expected: str) -> None:
    assert normalise_phone(phone) == expected


def test_a_pair_is_scored_with_its_reasons() -> None:
    verdict = score_pair(
        person(1, "Fatima", "El Idrissi", email="F@x.ma", phone="+212 612 345 678"),
        person(2, "Idrissi", "Fatima", email="f@x.ma ", phone="0612345678", nationalities=("MA", "FR")),
    )
    assert verdict.reasons == (
        detection.NAME_SIMILAR,
        detection.BIRTH_DATE_SAME,
        detection.NATIONALITY_SHARED,
        detection.EMAIL_SAME,
        detection.PHONE_SAME,
    )
    assert verdict.score == 100  # capped


def test_a_date_and_a_nationality_alone_are_not_enough() -> None:
    verdict = score_pair(person(1, "Amina", "Haddad"), person(2, "Youssef", "Tazi"))
    assert verdict.reasons == (detection.BIRTH_DATE_SAME, detection.NATIONALITY_SHARED)
    assert verdict.score < detection.PROPOSE_FROM


def test_a_swapped_day_and_month_is_found_through_the_name() -> None:
    swapped = datetime.date(1994, 8, 3)
    found = find_duplicates([person(1, "Mohamed", "Ali"), person(2, "Ali", "Mohamed", date_of_birth=swapped)])
    assert found.pairs[(1, 2)].reasons == (
        detection.NAME_SAME,
        detection.BIRTH_DATE_SWAPPED,
        detection.NATIONALITY_SHARED,
    )


def test_the_anonymised_birth_date_is_no_ones() -> None:
    nobody = detection.NO_ONES_BIRTH_DATE
    verdict = score_pair(person(1, "A", "B", date_of_birth=nobody), person(2, "C", "D", date_of_birth=nobody))
    assert detection.BIRTH_DATE_SAME not in verdict.reasons


def test_blocking_finds_the_duplicates_without_comparing_every_pair() -> None:
    """2,000 different people (random names, birth dates over 40 years) and 20 of them registered again
    with a typo in the name: all 20 found, and nowhere near the 2 million pairs compared."""
    rng = random.Random(15)
    letters = "abcdefghijklmnopqrstuvwxyz"
    people = [
        person(
            pk,
            "".join(rng.choices(letters, k=7)),
            "".join(rng.choices(letters, k=9)),
            date_of_birth=datetime.date(1970, 1, 1) + datetime.timedelta(days=rng.randrange(40 * 365)),
        )
        for pk in range(1, 2001)
    ]
    twins = []
    for index, original in enumerate(people[:20]):
        typo = original.family_name[:-1] + ("x" if original.family_name[-1] != "x" else "y")
        twins.append(
            person(
                5000 + index,
                original.given_name,
                typo,
                date_of_birth=original.date_of_birth,
            )
        )
    result = find_duplicates(people + twins)
    expected = {(original.id, twin.id) for original, twin in zip(people[:20], twins, strict=True)}
    assert expected <= set(result.pairs)
    assert result.compared < 2020 * 2019 // 2 // 100


def test_an_oversized_block_is_split_or_skipped(monkeypatch: pytest.MonkeyPatch) -> None:
    """An agency's own phone given for all its candidates: no quadratic blow-up, reported."""
    monkeypatch.setattr(detection, "MAX_BLOCK", 10)
    people = [
        person(pk, f"Given{pk}", f"Family{pk}", phone="+32 2 555 12 34", date_of_birth=None)
        for pk in range(1, 41)
    ]
    result = find_duplicates(people)
    assert result.skipped_blocks >= 1
    assert result.compared == 0


def test_no_one_s_birth_date_is_the_one_anonymisation_writes() -> None:
    """The detection (pure Python) skips the date an anonymised row carries: it must be that very date."""
    from candidates.services.anonymous import ANONYMISED_DATE_OF_BIRTH

    assert detection.NO_ONES_BIRTH_DATE == ANONYMISED_DATE_OF_BIRTH
