"""Demo data of the circular-internships pathway (docs/pathways/internships.md): written only where
missing, so a second run adds nothing.

An IOM-like Belgium-Tunisia internship scheme, labelled as demo data everywhere it shows: a project,
six Flemish host companies with a six-month internship vacancy each, a Tunisian partner agency (the
role the public employment service ANETI plays in the real scheme) that registered eighteen trainees,
and their cases at every stage of the internship path: an offer accepted, a trainee permit filed, a
visa, internships under way, one completed, eight trainees back home and followed up, one case ended
early. Of the eight back home, two are hired by their host company (one in Belgium, one by its
subsidiary in Tunisia): 25 %, near the real scheme's reported 26 % (figures are demo data, not the
scheme's).

The cases' history spans a year, so it is written as it happened, dated in the past (like the backdated
history of ``demo.cases``: the workflow's services stamp every move with the current time). Their path
follows the transition table (``recruitment.workflow``), which the seeder checks move by move. The
outcomes after return are recorded through ``internships.services.outcome_record``, as staff record
them.

Like the reference projects, these rows are not the generator's: they carry no ``DEMO-`` external id nor
demo enterprise number, so the generator's scale, its fingerprint and ``reset`` leave them alone, and a
second seed (with or without ``reset``) finds them present and writes nothing. They are recognisable by
their ``PATHWAY-INT-`` external ids and the "Demo" in every organisation's and the project's name.
"""

import datetime
import itertools
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from candidates.models import Candidate, Consent, Diploma
from core.models import Organisation, User
from demo.compliance import CONSENT_TEXT_VERSION
from internships.models import ReturnOutcome
from internships.services import outcome_record
from projects.models import Project
from recruitment.models import Placement, PlacementTransition
from recruitment.workflow import Stage, may_move
from reference.models import EscoOccupation
from vacancies.models import Vacancy

S = Stage
OUT = ReturnOutcome
PROJECT_CODE = "demo-internships-be-tn"
EXTERNAL_PREFIX = "PATHWAY-INT-"
HOSTS = (
    ("Demo host · Schelde Software", "2000", "Antwerpen"),
    ("Demo host · Leie Engineering", "9000", "Gent"),
    ("Demo host · Kempen Logistics Tech", "2440", "Geel"),
    ("Demo host · Brugge Data Services", "8000", "Brugge"),
    ("Demo host · Hasselt Energy Systems", "3500", "Hasselt"),
    ("Demo host · Leuven Med Devices", "3000", "Leuven"),
)
# The path every internship case walks, in order (recruitment.workflow; no diploma recognition here).
PATH = (
    S.SHORTLISTED,
    S.PROPOSED,
    S.EMPLOYER_INTERESTED,
    S.INTERVIEW,
    S.OFFER,
    S.OFFER_ACCEPTED,
    S.PERMIT_FILED,
    S.PERMIT_GRANTED,
    S.VISA,
    S.ARRIVED,
    S.STARTED,
    S.INTERNSHIP_COMPLETED,
    S.RETURNED,
)
# Days between a step and the next: a proposal, the interview, the offer; about three months for the
# permit and visa; the six-month internship; a week to go home.
GAPS = {
    S.PROPOSED: 3,
    S.EMPLOYER_INTERESTED: 7,
    S.INTERVIEW: 10,
    S.OFFER: 7,
    S.OFFER_ACCEPTED: 5,
    S.PERMIT_FILED: 10,
    S.PERMIT_GRANTED: 70,
    S.VISA: 14,
    S.ARRIVED: 14,
    S.STARTED: 3,
    S.INTERNSHIP_COMPLETED: 182,
    S.RETURNED: 7,
}


@dataclass(frozen=True)
class Trainee:
    given_name: str
    family_name: str
    stage: Stage  # where the case stands now
    days_since: int  # days since it reached that stage
    outcomes: tuple[tuple[ReturnOutcome, int], ...] = ()  # (outcome, days after the return it was known)
    ended: bool = False  # ended early, at ``stage``, for another reason


TRAINEES = (
    Trainee("Yasmine", "Ben Salah", S.OFFER_ACCEPTED, 6),
    Trainee("Mehdi", "Trabelsi", S.OFFER_ACCEPTED, 12),
    Trainee("Ines", "Gharbi", S.PERMIT_FILED, 25),
    Trainee("Oussama", "Jlassi", S.PERMIT_FILED, 48),
    Trainee("Sarra", "Hammami", S.VISA, 9),
    Trainee("Amine", "Mejri", S.STARTED, 30),
    Trainee("Nour", "Bouazizi", S.STARTED, 95),
    Trainee("Khalil", "Dridi", S.STARTED, 150),
    Trainee("Rim", "Sassi", S.INTERNSHIP_COMPLETED, 4),
    Trainee("Aziz", "Chaabane", S.RETURNED, 40, ((OUT.HIRED_BY_HOST_ABROAD, 30),)),
    Trainee("Hiba", "Ayari", S.RETURNED, 70, ((OUT.LOOKING, 20), (OUT.HIRED_BY_HOST_HERE, 60))),
    Trainee("Firas", "Khemiri", S.RETURNED, 120, ((OUT.LOOKING, 30), (OUT.EMPLOYED_AT_HOME, 90))),
    Trainee("Meriem", "Zouari", S.RETURNED, 100, ((OUT.EMPLOYED_AT_HOME, 45),)),
    Trainee("Wassim", "Baccouche", S.RETURNED, 160, ((OUT.EMPLOYED_AT_HOME, 21),)),
    Trainee("Asma", "Karoui", S.RETURNED, 90, ((OUT.STUDYING, 60),)),
    Trainee("Bilel", "Maaloul", S.RETURNED, 60, ((OUT.LOOKING, 45),)),
    Trainee("Eya", "Hamdi", S.RETURNED, 10),  # back ten days: nothing known yet
    Trainee("Skander", "Ferchichi", S.ARRIVED, 20, ended=True),  # went home before starting
)


def _recruiter() -> User | None:
    return User.objects.filter(username="recruiter").select_related("organisation").first()


def _occupation() -> EscoOccupation | None:
    """A software developer (ISCO 2512) if the occupations are loaded, else any occupation."""
    found = EscoOccupation.objects.filter(isco_group_id="2512").order_by("pk").first()
    return found or EscoOccupation.objects.order_by("pk").first()


def _project() -> Project:
    project, _created = Project.objects.get_or_create(
        code=PROJECT_CODE,
        defaults={
            "name": "Circular internships Belgium–Tunisia (demo data)",
            "description": (
                "Demo data modelled on an IOM circular-internship scheme: six-month internships in Flemish "
                "host companies, return home, and support after return until employed."
            ),
            "origin_countries": ["TN"],
            "destination_countries": ["BE"],
            "destination_regions": ["VLG"],
            "starts_on": timezone.localdate() - datetime.timedelta(days=540),
        },
    )
    return project


def _hosts() -> list[Organisation]:
    hosts = []
    for name, _postal_code, _municipality in HOSTS:
        host, _created = Organisation.objects.get_or_create(
            name=name,
            kind=Organisation.Kind.EMPLOYER,
            defaults={"country": "BE", "region": "VLG"},
        )
        hosts.append(host)
    return hosts


def _vacancies(hosts: list[Organisation], occupation: EscoOccupation, project: Project) -> list[Vacancy]:
    vacancies = []
    for host, (_name, postal_code, municipality) in zip(hosts, HOSTS, strict=True):
        vacancy = Vacancy.objects.filter(employer=host, kind=Vacancy.Kind.INTERNSHIP).first()
        if vacancy is None:
            vacancy = Vacancy.objects.create(
                employer=host,
                occupation=occupation,
                kind=Vacancy.Kind.INTERNSHIP,
                title="Internship: junior software developer (6 months)",
                description="Demo data. A six-month internship in a product team, with a mentor.",
                municipality=municipality,
                postal_code=postal_code,
                region="VLG",
                function_vks_level=6,
                min_isced_level=6,
                gross_annual_salary_eur=Decimal("29232.00"),  # 2,100 a month x 13.92
                contract_type=Vacancy.ContractType.FIXED_TERM,
                contract_months=6,
                weekly_hours=Decimal(38),
                positions=3,
                status=Vacancy.Status.PUBLISHED,
                published_at=timezone.now() - datetime.timedelta(days=400),
                employer_pays_travel=True,
                employer_pays_visa=True,
                employer_pays_housing=True,
                employer_pays_attested=True,
            )
            vacancy.open_to_projects.add(project)
        vacancies.append(vacancy)
    return vacancies


def _partner() -> Organisation:
    partner, _created = Organisation.objects.get_or_create(
        name="Demo · Tunisian employment service (the role ANETI plays)",
        kind=Organisation.Kind.PARTNER_AGENCY,
        defaults={"country": "TN"},
    )
    return partner


def _steps(trainee: Trainee) -> list[Stage]:
    steps = list(PATH[: PATH.index(trainee.stage) + 1])
    if trainee.ended:
        steps.append(S.ENDED)
    return steps


def _write_case(
    trainee: Trainee, candidate: Candidate, vacancy: Vacancy, recruiter: User, now: datetime.datetime
) -> Placement:
    """The case and its move log, each move dated, checked against the transition table."""
    steps = _steps(trainee)
    # Dates backwards from now: the last move ``days_since`` ago, each earlier one its gap before.
    moments = [now - datetime.timedelta(days=trainee.days_since)]
    for stage in reversed(steps[1:]):
        moments.insert(0, moments[0] - datetime.timedelta(days=GAPS.get(stage, 1)))
    for before, after in itertools.pairwise(steps):
        if not may_move(before, after, by_employer=False, needs_recognition=False, internship=True):
            raise AssertionError(f"demo path breaks the workflow: {before} -> {after}")
    proposed_at = moments[1]
    # Proposed to the host company: the trainee consented to share their profile with it first, as every
    # proposal needs (PlacementQuerySet.shared_with_employer).
    Consent.objects.create(
        candidate=candidate,
        purpose=Consent.Purpose.SHARE_WITH_EMPLOYER,
        recipient_id=vacancy.employer_id,
        countries=["BE"],
        text_version=CONSENT_TEXT_VERSION,
        channel="form",
        granted_at=moments[0],
    )
    placement = Placement.objects.create(
        vacancy=vacancy,
        candidate=candidate,
        stage=steps[-1],
        version=len(steps),
        stage_changed_at=moments[-1],
        created_by=recruiter,
        proposed_at=proposed_at,
        response_due_on=timezone.localdate(proposed_at) + datetime.timedelta(days=10),
        identity_revealed_at=moments[2],
        reason="other" if trainee.ended else "",
        comment="Went home for family reasons before the internship started." if trainee.ended else "",
    )
    PlacementTransition.objects.bulk_create(
        PlacementTransition(
            placement=placement,
            from_stage=steps[index - 1].value if index else "",
            to_stage=stage.value,
            at=moments[index],
            actor=recruiter,
            actor_organisation_id=recruiter.organisation_id,
            reason="other" if stage == S.ENDED else "",
        )
        for index, stage in enumerate(steps)
    )
    return placement


def _candidate(index: int, trainee: Trainee, project: Project, partner: Organisation) -> Candidate:
    today = timezone.localdate()
    candidate = Candidate.objects.create(
        registered_by=partner,
        external_id=f"{EXTERNAL_PREFIX}{index:03d}",
        given_name=trainee.given_name,
        family_name=trainee.family_name,
        date_of_birth=today.replace(year=today.year - 24 - index % 4, day=1),
        nationalities=["TN"],
        country_of_residence="TN",
        project=project,
    )
    Diploma.objects.create(
        candidate=candidate,
        title="Licence en informatique",
        institution="Université de Tunis El Manar",
        institution_state_recognised=True,
        country="TN",
        field="0613",
        isced_level=6,
        duration_years=Decimal("3.0"),
        awarded_on=today - datetime.timedelta(days=300 + trainee.days_since),
    )
    return candidate


def seed_demo_internships() -> dict[str, int]:
    """Seed what shows the pathway; return how many rows of each kind were written (label -> count)."""
    recruiter, occupation = _recruiter(), _occupation()
    if recruiter is None or occupation is None:
        return {}  # no demo logins or no occupations loaded: nothing to hang the pathway on
    if Candidate.objects.filter(external_id__startswith=EXTERNAL_PREFIX).exists():
        return {}
    now = timezone.now()
    outcomes = 0
    with transaction.atomic():
        project = _project()
        vacancies = _vacancies(_hosts(), occupation, project)
        partner = _partner()
        for index, trainee in enumerate(TRAINEES, start=1):
            candidate = _candidate(index, trainee, project, partner)
            placement = _write_case(trainee, candidate, vacancies[index % len(vacancies)], recruiter, now)
            returned = timezone.localdate(now) - datetime.timedelta(days=trainee.days_since)
            for outcome, days_after in trainee.outcomes:
                outcome_record(
                    placement=placement,
                    outcome=outcome,
                    observed_on=returned + datetime.timedelta(days=days_after),
                    note="Demo data: follow-up call by the organiser.",
                    actor=recruiter,
                )
                outcomes += 1
    return {
        "internship vacancies": len(vacancies),
        "internship cases": len(TRAINEES),
        "outcomes after return": outcomes,
    }
