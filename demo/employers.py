"""Demo employers and the demo logins.

Demo employers are recognisable without a marker column: their enterprise numbers all start with
``1999.``, a block the Crossroads Bank for Enterprises has not reached (numbers starting with 1 were
first issued in 2023 from ``1000.``), so they are valid to the check digit but cannot be a real company.
Demo users are recognisable by their e-mail domain, which is reserved and never delivers.
"""

import datetime
import random
from dataclasses import dataclass

from django.db import transaction

from core.models import Organisation, User
from core.security import second_factor_required
from demo.belgium import EMPLOYER_NAME_PARTS, JOINT_COMMITTEES, PLACES, SUSPENSION_REASONS, Place
from demo.context import DemoContext
from demo.security import DEMO_TOTP_KEY_BASE32, ensure_demo_totp_device

DEMO_ENTERPRISE_PREFIX = "1999."
DEMO_EMAIL_DOMAIN = "demo.talentbrug.example"
DEMO_PASSWORD = "talentbrug-demo"

# The first two sectors get the first two employers, which carry the employer logins: ICT and care
# are where most demo candidates are, so both logins have candidates to look at.
SECTOR_ORDER = ("ict", "care", "technical", "construction", "transport", "food", "chemical", "diamond")


@dataclass(frozen=True)
class EmployerPlan:
    """An employer as the vacancy generator needs it: sector and home town, not stored on the row."""

    index: int
    organisation: Organisation
    sector: str
    home: Place


MAX_EMPLOYERS = 9_999  # serials 1999.000.0xx to 1999.999.9xx


def enterprise_number(serial: int) -> str:
    """A valid Belgian enterprise number in the demo block: the last two digits are 97 - (first 8 mod 97)."""
    if not 0 < serial <= MAX_EMPLOYERS:
        raise ValueError(f"demo employer serial out of range: {serial}")
    body = f"1999{serial:04d}"
    digits = f"{body}{97 - int(body) % 97:02d}"
    return f"{digits[:4]}.{digits[4:7]}.{digits[7:]}"


def _employer_region(index: int) -> str:
    # Mostly Flemish, with one in Brussels and one in Wallonia in every twelve; the two employers
    # that carry the logins (indexes 0 and 1) are Flemish.
    return {5: "BRU", 9: "WAL"}.get(index % 12, "VLG")


def plan_employers(count: int, seed: int, context: DemoContext) -> list[EmployerPlan]:
    """Build (unsaved) employers: names, regions, founding dates, headcounts, a few compliance cases."""
    rng = random.Random(f"{seed}-employers")
    anchor = context.anchor
    suspended = {count - 1} if count >= 4 else set()
    under_review = {count - 2, count - 3} if count >= 8 else ({count - 2} if count >= 4 else set())
    young = {count // 2} if count >= 3 else set()  # founded less than 3 years ago: a refusal ground
    used_names: set[str] = set()
    plans: list[EmployerPlan] = []
    for index in range(count):
        sector = SECTOR_ORDER[index % len(SECTOR_ORDER)]
        stems, places, forms = EMPLOYER_NAME_PARTS[sector]
        name = f"{rng.choice(stems)} {rng.choice(places)} {rng.choice(forms)}"
        while name in used_names:
            name = f"{rng.choice(stems)} {rng.choice(places)} {len(used_names)} {rng.choice(forms)}"
        used_names.add(name)
        region = _employer_region(index)
        home = rng.choice(PLACES[region])
        if index in young:
            founded = anchor - datetime.timedelta(days=rng.randint(200, 900))
            headcount = rng.randint(1, 4)
        else:
            founded = datetime.date(rng.randint(1955, 2020), rng.randint(1, 12), rng.randint(1, 28))
            headcount = int(rng.lognormvariate(4.0, 1.2)) + 5
        status = Organisation.Compliance.OK
        reason = ""
        if index in suspended:
            status = Organisation.Compliance.SUSPENDED
            reason = rng.choice(SUSPENSION_REASONS)
        elif index in under_review:
            status = Organisation.Compliance.UNDER_REVIEW
        attested = None if rng.random() < 0.15 else anchor - datetime.timedelta(days=rng.randint(10, 700))
        organisation = Organisation(
            name=name,
            short_name="",
            kind=Organisation.Kind.EMPLOYER,
            country="BE",
            enterprise_number=enterprise_number(index + 1),
            region=region,
            founded_on=founded,
            headcount=headcount,
            joint_committee=rng.choice(JOINT_COMMITTEES[sector]),
            fair_recruitment_attested_on=attested,
            compliance_status=status,
            suspension_reason=reason,
        )
        plans.append(EmployerPlan(index=index, organisation=organisation, sector=sector, home=home))
    return plans


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    # Organisations to try in order ("employer"/"employer2" are the first two demo employers); the
    # first one found whose kind the role allows is used.
    organisation_keys: tuple[str, ...]
    first_name: str
    last_name: str


DEMO_LOGINS = (
    DemoLogin("recruiter", User.Role.RECRUITER, ("vdab",), "Lotte", "Recruiter (demo)"),
    DemoLogin("coordinator", User.Role.PROJECT_COORDINATOR, ("vdab",), "Pieter", "Coordinator (demo)"),
    DemoLogin("employer", User.Role.EMPLOYER_USER, ("employer",), "Els", "Employer (demo)"),
    DemoLogin("employer2", User.Role.EMPLOYER_USER, ("employer2",), "Koen", "Employer 2 (demo)"),
    # The first partner organisation found in the reference data gets the login (ANAPEC, Palim's partner).
    DemoLogin(
        "partner", User.Role.PARTNER_USER, ("anapec", "iom", "odepc", "tbb"), "Samira", "Partner (demo)"
    ),
    DemoLogin("admin", User.Role.ADMINISTRATOR, ("vdab",), "Admin", "Administrator (demo)"),
)


def demo_email(username: str) -> str:
    return f"{username}@{DEMO_EMAIL_DOMAIN}"


@transaction.atomic
def upsert_demo_logins(
    *, organisations: dict[str, int], employer_ids: list[int], password: str = DEMO_PASSWORD
) -> tuple[list[str], list[str]]:
    """Create or refresh the demo logins; return (logins written, usernames skipped).

    A user with a demo username but without the demo e-mail domain belongs to someone else (a real
    administrator called "admin", say): it is left alone rather than given a published password.
    """
    targets = dict(organisations)
    if employer_ids:
        targets["employer"] = employer_ids[0]
        targets["employer2"] = employer_ids[1] if len(employer_ids) > 1 else employer_ids[0]
    organisations_by_id = {o.pk: o for o in Organisation.objects.filter(id__in=targets.values())}
    written: list[str] = []
    skipped: list[str] = []
    for login in DEMO_LOGINS:
        allowed = User.ROLE_ORGANISATION_KINDS[login.role]
        organisation_id = next(
            (
                targets[key]
                for key in login.organisation_keys
                if key in targets and organisations_by_id[targets[key]].kind in allowed
            ),
            None,
        )
        if organisation_id is None:
            skipped.append(login.username)
            continue
        user = User.objects.filter(username=login.username).first()
        if user is not None and not user.email.endswith(f"@{DEMO_EMAIL_DOMAIN}"):
            skipped.append(login.username)
            continue
        user = user or User(username=login.username)
        user.email = demo_email(login.username)
        user.first_name = login.first_name
        user.last_name = login.last_name
        user.role = login.role
        user.organisation_id = organisation_id
        # Recruiters and coordinators use the Django admin until the product has its own screens.
        user.is_staff = login.role in (
            User.Role.RECRUITER,
            User.Role.PROJECT_COORDINATOR,
            User.Role.ADMINISTRATOR,
        )
        user.is_superuser = login.role == User.Role.ADMINISTRATOR
        user.is_active = True
        user.set_password(password)
        user.save()
        organisation = organisations_by_id[organisation_id]
        line = f"{login.username:<12} {login.role} at {organisation.short_name or organisation}"
        if second_factor_required(user):
            # Staff sign in with a second factor: the demo key is published (README, "Demo logins").
            ensure_demo_totp_device(user)
            line += f" (TOTP key {DEMO_TOTP_KEY_BASE32})"
        written.append(line)
    return written, skipped
