"""Who is probably the same person: normalising, blocking and scoring, in plain Python (no Django).

Comparing every candidate with every other is n²/2 pairs (5 × 10⁹ at 100,000 candidates). Instead each
candidate gets a few cheap *blocking keys*, and only candidates sharing a key are compared:

- the date of birth (a twin or a namesake born the same day is rare; a typo in the name is caught);
- the normalised e-mail address and the normalised phone number (its last nine digits: "+212 6..",
  "00212 6.." and "06.." are one number);
- a name key: the sorted, accent-free tokens of the full name ("Ben Ali Fatima" = "Fatima Ben Ali"),
  which catches a pair whose date of birth was mistyped.

A block larger than ``MAX_BLOCK`` (the 1st of January, a shared family phone) is split by the first
letter of the sorted name, so its cost stays bounded; what such a split misses shares no name at all.
Each pair found is scored once (``score_pair``) with explained reason codes.
"""

import difflib
import functools
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date

# Reason codes, with their points. A pair is proposed from ``PROPOSE_FROM`` points (of 100 at most):
# a same name and date of birth (70), a similar name, the date and a nationality (65), a same name and
# phone (70), a similar name and the e-mail (60), a same name and a swapped day and month (60). Never a
# date and a nationality alone (40): too many people share both.
NAME_SAME = "name_same"
NAME_SIMILAR = "name_similar"
BIRTH_DATE_SAME = "birth_date_same"
# Day and month swapped (a dd/mm date typed as mm/dd): found through the name key.
BIRTH_DATE_SWAPPED = "birth_date_swapped"
NATIONALITY_SHARED = "nationality_shared"
EMAIL_SAME = "email_same"
PHONE_SAME = "phone_same"
POINTS = {
    NAME_SAME: 40,
    NAME_SIMILAR: 25,
    BIRTH_DATE_SAME: 30,
    BIRTH_DATE_SWAPPED: 20,
    NATIONALITY_SHARED: 10,
    EMAIL_SAME: 35,
    PHONE_SAME: 30,
}
REASONS = tuple(POINTS)
PROPOSE_FROM = 60
# Name similarity (0..1) from which two names count as the same / as similar: "Mohamed" and "Mohammed"
# are 0.93; "Fatima Zahra El Idrissi" and "Fatima El Idrissi" 0.87; "Amina Haddad" and "Amine Hadad" 0.87.
NAME_SAME_FROM = 0.95
NAME_SIMILAR_FROM = 0.85
# Candidates per block before it is split by name: 200 is 19,900 comparisons, about a tenth of a second.
MAX_BLOCK = 200
PHONE_DIGITS = 9
# The anonymised candidates' date of birth (candidates.services.anonymous): no one's, never a key.
NO_ONES_BIRTH_DATE = date(1900, 1, 1)

_NOT_A_LETTER = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class Person:
    """What detection compares of one candidate (nothing else is read)."""

    id: int
    given_name: str
    family_name: str
    date_of_birth: date | None
    nationalities: tuple[str, ...]
    email: str
    phone: str

    # Normalised once per person, not once per pair compared (a person is in a few dozen pairs).
    @functools.cached_property
    def tokens(self) -> tuple[str, ...]:
        return name_tokens(self.given_name, self.family_name)

    @functools.cached_property
    def name_text(self) -> str:
        return " ".join(self.tokens)

    @functools.cached_property
    def name_letters(self) -> Counter[str]:
        return Counter(self.name_text)

    @functools.cached_property
    def email_key(self) -> str:
        return normalise_email(self.email)

    @functools.cached_property
    def phone_key(self) -> str:
        return normalise_phone(self.phone)


@dataclass(frozen=True)
class Verdict:
    score: int
    reasons: tuple[str, ...]


def name_tokens(*parts: str) -> tuple[str, ...]:
    """Lower-case, accent-free, sorted tokens: order of given and family names does not matter."""
    text = unicodedata.normalize("NFKD", " ".join(parts).casefold())
    text = "".join(char for char in text if not unicodedata.combining(char))
    return tuple(sorted(token for token in _NOT_A_LETTER.split(text) if token))


def normalise_email(email: str) -> str:
    return email.strip().casefold()


def normalise_phone(phone: str) -> str:
    """The last ``PHONE_DIGITS`` digits (country code and trunk prefix dropped), or "" if too short."""
    digits = "".join(char for char in phone if char.isdigit())
    return digits[-PHONE_DIGITS:] if len(digits) >= PHONE_DIGITS - 1 else ""


def name_similarity(a: tuple[str, ...], b: tuple[str, ...]) -> float:
    """0..1: the better of the sorted full names compared as text, and of the tokens' overlap when one
    name has more parts than the other (a second given name, a dropped "El"). Exact from
    ``NAME_SIMILAR_FROM`` up; below it, possibly lower than the exact ratio (it earns nothing anyway)."""
    text_a, text_b = " ".join(a), " ".join(b)
    return _similarity(a, b, text_a, text_b, Counter(text_a), Counter(text_b))


def _similarity(
    a: tuple[str, ...],
    b: tuple[str, ...],
    text_a: str,
    text_b: str,
    letters_a: Counter[str],
    letters_b: Counter[str],
) -> float:
    if not a or not b:
        return 0.0
    # An upper bound first (difflib's quick_ratio, from letters counted once per person): most pairs
    # compared (a shared birth date) are different names, and a name under ``NAME_SIMILAR_FROM`` earns
    # nothing, so its exact ratio is not worth computing.
    bound = 2 * sum((letters_a & letters_b).values()) / (len(text_a) + len(text_b))
    if bound < NAME_SIMILAR_FROM:
        text = 0.0
    else:
        text = difflib.SequenceMatcher(None, text_a, text_b, autojunk=False).ratio()
    shorter, longer = (a, b) if len(a) <= len(b) else (b, a)
    contained = sum(1 for token in shorter if token in longer) / len(shorter) if len(shorter) >= 2 else 0.0
    return max(text, 0.9 * contained)


def _birth_dates(a: date | None, b: date | None) -> list[str]:
    if a is None or b is None or NO_ONES_BIRTH_DATE in (a, b):
        return []
    if a == b:
        return [BIRTH_DATE_SAME]
    if a.year == b.year and (a.day, a.month) == (b.month, b.day):
        return [BIRTH_DATE_SWAPPED]
    return []


def score_pair(a: Person, b: Person) -> Verdict:
    reasons: list[str] = []
    similarity = _similarity(a.tokens, b.tokens, a.name_text, b.name_text, a.name_letters, b.name_letters)
    if similarity >= NAME_SAME_FROM:
        reasons.append(NAME_SAME)
    elif similarity >= NAME_SIMILAR_FROM:
        reasons.append(NAME_SIMILAR)
    reasons += _birth_dates(a.date_of_birth, b.date_of_birth)
    if set(a.nationalities) & set(b.nationalities):
        reasons.append(NATIONALITY_SHARED)
    if a.email_key and a.email_key == b.email_key:
        reasons.append(EMAIL_SAME)
    if a.phone_key and a.phone_key == b.phone_key:
        reasons.append(PHONE_SAME)
    return Verdict(score=min(100, sum(POINTS[reason] for reason in reasons)), reasons=tuple(reasons))


def blocking_keys(person: Person) -> Iterator[str]:
    """The cheap keys a duplicate of ``person`` probably shares with them (prefixed by kind)."""
    if person.date_of_birth is not None and person.date_of_birth != NO_ONES_BIRTH_DATE:
        yield f"d:{person.date_of_birth.isoformat()}"
    if person.email_key:
        yield f"e:{person.email_key}"
    if person.phone_key:
        yield f"p:{person.phone_key}"
    if person.tokens:
        yield f"n:{person.name_text}"


@dataclass
class Detection:
    """The pairs worth a person's look, and what blocking could not compare (reported, not hidden)."""

    pairs: dict[tuple[int, int], Verdict]
    compared: int
    skipped_blocks: int


def candidate_pairs(people: Iterable[Person]) -> tuple[set[tuple[int, int]], int]:
    """Pairs of ids (lower first) sharing at least one blocking key, and the number of blocks skipped.

    A block over ``MAX_BLOCK`` is split by the first letter of the sorted name; a part still over it is
    skipped (an agency's own address or phone given for hundreds of its candidates: sharing it says
    nothing about being one person, and the pairs it hides that matter share a birth date too)."""
    blocks: dict[str, list[Person]] = defaultdict(list)
    for person in people:
        for key in blocking_keys(person):
            blocks[key].append(person)
    pairs: set[tuple[int, int]] = set()
    skipped = 0
    for block in blocks.values():
        groups: Iterable[list[Person]] = [block]
        if len(block) > MAX_BLOCK:
            split: dict[str, list[Person]] = defaultdict(list)
            for person in block:
                split[person.tokens[0][:1] if person.tokens else ""].append(person)
            groups = split.values()
        for group in groups:
            if len(group) > MAX_BLOCK:
                skipped += 1
                continue
            ids = sorted({person.id for person in group})
            pairs.update((low, high) for index, low in enumerate(ids) for high in ids[index + 1 :])
    return pairs, skipped


def find_duplicates(people: Iterable[Person]) -> Detection:
    """Every pair worth a person's look (``PROPOSE_FROM`` points or more), by ordered ids."""
    by_id = {person.id: person for person in people}
    found: dict[tuple[int, int], Verdict] = {}
    pairs, skipped = candidate_pairs(by_id.values())
    for low, high in pairs:
        verdict = score_pair(by_id[low], by_id[high])
        if verdict.score >= PROPOSE_FROM:
            found[(low, high)] = verdict
    return Detection(pairs=found, compared=len(pairs), skipped_blocks=skipped)
