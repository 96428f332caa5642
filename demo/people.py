"""Demo candidates: who they are, where they come from, what they speak and what they studied.

Candidates arrive in "streams", one per reference project, each coherent with what the public sources
say of it (domain.md 0): Palim recruits Moroccan ICT profiles through ANAPEC, MATCH Nigerian and
Senegalese ICT and engineering profiles through IOM, Aurora Keralan nurses through ODEPC, the IOM
internships Tunisians, THAMM Moroccan and Tunisian trades, DT4E Syrian refugees in Jordan and Lebanon.
Each candidate is drawn from its own ``Random(seed, index)``: candidate 17 is the same in every run.
"""

import datetime
import random
import re
import unicodedata
import uuid

from candidates.models import Candidate
from demo.context import DemoContext
from demo.drafts import FRANCOPHONE, CandidateDraft, Stream, date_between, weighted
from demo.names import NAMES
from demo.profiles import FAMILIES
from demo.qualifications import (
    add_diplomas,
    add_experience,
    add_languages,
    add_licences,
    add_skills,
)

DEMO_EXTERNAL_PREFIX = "DEMO-"
DEMO_EMAIL_DOMAIN = "example.org"

STREAMS = (
    Stream("palim", 18, (("MA", 1),), (("ict", 1),), 0.18, ((0, 50), (1, 40), (2, 10))),
    Stream(
        "match",
        15,
        (("NG", 6), ("SN", 4)),
        (("ict", 7), ("technical", 2), ("chemical", 1)),
        0.35,
        ((None, 15), (0, 60), (1, 20), (2, 5)),
    ),
    Stream("aurora", 20, (("IN", 1),), (("nurse", 85), ("care", 15)), 0.85, ((1, 40), (2, 50), (3, 10))),
    Stream(
        "iom_tunisia",
        9,
        (("TN", 1),),
        (("ict", 4), ("technical", 4), ("chemical", 2)),
        0.35,
        ((0, 50), (1, 35), (2, 15)),
        partner="iom",
    ),
    Stream(
        "thamm",
        22,
        (("MA", 5), ("TN", 5)),
        (("construction", 30), ("technical", 35), ("transport", 20), ("food", 15)),
        0.12,
        ((0, 45), (1, 40), (2, 12), (3, 3)),
    ),
    Stream(
        "dt4e",
        11,
        (("SY", 1),),
        (("ict", 35), ("technical", 35), ("care", 30)),
        0.3,
        ((None, 20), (0, 50), (1, 25), (2, 5)),
        partner="tbb",
    ),
    Stream(
        None,
        5,
        (("MA", 1), ("TN", 1)),
        (("technical", 1), ("construction", 1), ("ict", 1)),
        0.25,
        ((0, 60), (1, 40)),
    ),
)

# Who registers a candidate of each nationality when the stream names no partner of its own.
PARTNER_BY_NATIONALITY = {"MA": "anapec", "TN": "aneti", "IN": "odepc", "NG": "iom", "SN": "iom", "SY": "iom"}
RESIDENCE = {"SY": ("JO", "JO", "LB")}  # DT4E: Syrian refugees living in Jordan or Lebanon
PREFERRED_LANGUAGE = {"MA": "fr", "TN": "fr", "SN": "fr", "NG": "en", "IN": "en", "SY": "en"}


def _ascii_slug(text: str) -> str:
    """``Fatima Zahra.Cissé`` -> ``fatimazahra.cisse``: the local part of an address must be ASCII."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z.]", "", folded.lower())


def draft_candidate(index: int, seed: int, context: DemoContext) -> CandidateDraft:
    """Draw candidate ``index``: identity, languages, diplomas, recognition, experience, skills, licences."""
    rng = random.Random(f"{seed}-candidate-{index}")
    anchor = context.anchor
    stream = weighted(rng, tuple((s, s.weight) for s in STREAMS))
    nationality = weighted(rng, stream.nationalities)
    family = weighted(rng, stream.families)
    project = context.projects.get(stream.project_key) if stream.project_key else None
    # The stream's own partner, else the employment service of the country, else any partner found.
    partner_key = next(
        key
        for key in (stream.partner, PARTNER_BY_NATIONALITY[nationality], "anapec", "aneti", "iom", "odepc")
        if key is not None and key in context.organisations
    )
    partner_id = context.organisations[partner_key]
    pool = NAMES[nationality]
    woman = rng.random() < stream.women_share
    given_name = rng.choice(pool.female if woman else pool.male)
    family_name = rng.choice(pool.family)
    # Ages 21–45 on the anchor date.
    date_of_birth = date_between(
        rng,
        anchor.replace(year=anchor.year - 46) + datetime.timedelta(days=1),
        anchor.replace(year=anchor.year - 21),
    )
    in_belgium = stream.project_key != "dt4e" and rng.random() < 0.03
    residence = "BE" if in_belgium else rng.choice(RESIDENCE.get(nationality, (nationality,)))
    # A handful hold a second nationality; a French one makes them EU citizens needing no permit at all.
    nationalities = [nationality]
    if nationality in FRANCOPHONE and rng.random() < 0.005:
        nationalities.append("FR")
    registered_on = anchor - datetime.timedelta(days=rng.randint(5, 540))
    status = weighted(
        rng,
        ((Candidate.Status.ACTIVE, 96.5), (Candidate.Status.WITHDRAWN, 2), (Candidate.Status.PLACED, 1.5)),
    )
    withdrawn_at = None
    if status == Candidate.Status.WITHDRAWN:
        withdrawn_at = datetime.datetime.combine(
            date_between(rng, registered_on, anchor), datetime.time(10, 0), tzinfo=datetime.UTC
        )
    cohort_id = None
    if project is not None and project.cohorts and rng.random() < 0.6:
        cohort = rng.choice(project.cohorts)
        # Only someone who was a graduate (21 or older) when the cohort started can have been in it.
        if (cohort.starts_on - date_of_birth).days >= 21 * 365:
            cohort_id = cohort.id
    occupations = context.by_family.get(family) or context.occupations
    if project is not None and project.target_occupation_ids:
        occupations = [o for o in occupations if o.id in project.target_occupation_ids] or occupations
    main = rng.choice(occupations)
    desired = [main.id]
    if len(occupations) > 1 and rng.random() < 0.4:
        desired.append(rng.choice([o.id for o in occupations if o.id != main.id]))
    accepts_entry_role = family == "nurse" and rng.random() < 0.85
    if accepts_entry_role:
        desired.extend(o.id for o in context.by_family.get("care", [])[:1] if o.id not in desired)
    email_name = _ascii_slug(f"{given_name}.{family_name}")
    candidate = Candidate(
        public_id=uuid.UUID(int=rng.getrandbits(128), version=4),
        registered_by_id=partner_id,
        external_id=f"{DEMO_EXTERNAL_PREFIX}{partner_key.upper()}-{index + 1:06d}",
        project_id=project.id if project else None,
        cohort_id=cohort_id,
        given_name=given_name,
        family_name=family_name,
        email=f"{email_name}.{index + 1}@{DEMO_EMAIL_DOMAIN}",
        preferred_language=PREFERRED_LANGUAGE[nationality],
        date_of_birth=date_of_birth,
        nationalities=nationalities,
        # Self-declared (fairness monitoring): one in eight did not declare it. Derived without the random
        # generator, so that every other demo value stays as it was.
        sex="" if index % 8 == 0 else ("female" if woman else "male"),
        country_of_residence=residence,
        currently_in_belgium=in_belgium,
        passport_valid_until=(
            anchor + datetime.timedelta(days=rng.randint(-60, 3300)) if rng.random() < 0.85 else None
        ),
        available_from=anchor + datetime.timedelta(days=rng.randint(-30, 270)),
        preferred_regions=weighted(rng, ((["VLG"], 80), (["VLG", "BRU"], 15), ([], 5))),
        preferred_sectors=[FAMILIES[family].sector],
        relocating_with_family=rng.random() < 0.2,
        accepts_entry_role_during_recognition=accepts_entry_role,
        status=status,
        withdrawn_at=withdrawn_at,
    )
    dutch_level = weighted(rng, stream.dutch)
    draft = CandidateDraft(
        index=index,
        stream=stream,
        candidate=candidate,
        partner_id=partner_id,
        family=family,
        nationality=nationality,
        registered_on=registered_on,
        dutch_level=dutch_level,
        main_occupation=main,
        desired_ids=desired,
    )
    add_languages(rng, draft, anchor)
    add_diplomas(rng, draft, anchor)
    add_experience(rng, draft, context)
    add_skills(rng, draft, context, occupations)
    add_licences(rng, draft, anchor)
    return draft
