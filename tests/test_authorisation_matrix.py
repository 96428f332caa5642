"""Every URL, for every kind of visitor: what each may see. A new URL must be added here to pass.

Every route the MATRIX URLs reach counts as covered (``_matrix_routes``), plus COVERED_ROUTES for what
is tested elsewhere; the meta-test fails for any other route. Deeper checks of the browser pages (POST
denials change nothing, what an employer sees) are in tests/web/.
"""

import uuid
from string import Formatter
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import LocalePrefixPattern, URLPattern, URLResolver, get_resolver, resolve
from django.utils import translation

from core.models import User
from tests import factories
from tests.candidate_space.world import candidate_client, candidate_space_placeholders, other_candidate
from tests.web.world import WebWorld, build_web_world, verified_client
from tests.welcome.helpers import welcome_placeholders

pytestmark = pytest.mark.django_db

ANONYMOUS, RECRUITER, EMPLOYER, PARTNER, ADMIN = "anonymous", "recruiter", "employer", "partner", "admin"
# A second employer: its user must get a 404 for the first employer's vacancy and cases.
EMPLOYER_B = "employer_b"
# Candidates signed in to their own space: A is the world's proposed candidate, B another person with an
# account of their own (B gets a 404 for A's anything).
CANDIDATE, CANDIDATE_B = "candidate", "candidate_b"
VISITORS = [ANONYMOUS, RECRUITER, EMPLOYER, EMPLOYER_B, PARTNER, ADMIN, CANDIDATE, CANDIDATE_B]


def _by(
    anonymous: int,
    recruiter: int,
    employer: int,
    employer_b: int,
    partner: int,
    admin: int,
    *,
    candidate: int = 403,
    candidate_b: int | None = None,
) -> dict[str, int]:
    """Statuses in the order of VISITORS. A candidate gets a 403 on the pages of other roles; candidate B
    gets what candidate A gets unless said otherwise."""
    candidate_b = candidate if candidate_b is None else candidate_b
    statuses = (anonymous, recruiter, employer, employer_b, partner, admin, candidate, candidate_b)
    return dict(zip(VISITORS, statuses, strict=True))


# A job dating of no one (selection/): staff get a 404.
NO_ONE = "5e0a1b2c-0000-4000-8000-000000000000"
NO_JOB_DATING = f"/nl/recruiter/selection/job-datings/{NO_ONE}/"

# URL -> expected status per visitor. 302 = sent to the login page (or, for a signed-in user on the
# sign-in and second-factor pages, on to where they were going); 403 = not a page for this role (before
# any lookup); 404 = an object of another organisation; 405 = a POST-only action asked with GET.
# {vacancy} and {placement} are employer A's published vacancy and a case proposed to it; {candidate} is
# that case's candidate, {project} and {cohort} their project and cohort (tests/web/world.py, urls()).
MATRIX: dict[str, dict[str, int]] = {
    "/nl/": _by(200, 200, 200, 200, 200, 200, candidate=200),
    # Where a sign-in lands: on to each role's work page (302; a candidate's is /me/), or to sign in.
    "/nl/start/": _by(302, 302, 302, 302, 302, 302, candidate=302),
    "/healthz": _by(200, 200, 200, 200, 200, 200, candidate=200),
    "/nl/admin/": _by(302, 200, 302, 302, 302, 200, candidate=302),
    # Account pages (core/urls.py).
    "/nl/account/sign-in/": _by(200, 302, 302, 302, 302, 302, candidate=302),
    "/nl/account/sign-out/": _by(405, 405, 405, 405, 405, 405, candidate=405),
    "/nl/account/second-factor/": _by(302, 302, 302, 302, 302, 302, candidate=302),
    "/nl/account/second-factor/setup/": _by(302, 200, 200, 200, 200, 200, candidate=200),
    "/nl/account/password-reset/": _by(200, 200, 200, 200, 200, 200, candidate=200),
    "/nl/account/password-reset/sent/": _by(200, 200, 200, 200, 200, 200, candidate=200),
    "/nl/account/password-reset/MQ/set-password/": _by(200, 200, 200, 200, 200, 200, candidate=200),
    "/nl/account/password-reset/done/": _by(200, 200, 200, 200, 200, 200, candidate=200),
    # The recruiter's pages (staff of the public employment service).
    # The dashboard and its "mark as read" (tests/web/test_dashboard.py).
    "/nl/recruiter/": _by(302, 200, 403, 403, 403, 200),
    "/nl/recruiter/dashboard/mark-read/": _by(302, 405, 403, 403, 403, 405),
    "/nl/recruiter/vacancies/": _by(302, 200, 403, 403, 403, 200),
    "/nl/recruiter/vacancies/recompute/": _by(302, 405, 403, 403, 403, 405),
    # A background job is visible only to the user who started it: any other staff user gets a 404 (here
    # a job of no one; the starter's 200 and another recruiter's 404 are in tests/web/test_bulk_recompute.py).
    "/nl/recruiter/jobs/6f1c2d3e-0000-4000-8000-000000000000/": _by(302, 404, 403, 403, 403, 404),
    "/nl/recruiter/vacancies/{vacancy}/": _by(302, 200, 403, 403, 403, 200),
    "/nl/recruiter/vacancies/{vacancy}/shortlist/": _by(302, 405, 403, 403, 403, 405),
    "/nl/recruiter/vacancies/{vacancy}/bulk/": _by(302, 405, 403, 403, 403, 405),
    "/nl/recruiter/vacancies/{vacancy}/projects/": _by(302, 405, 403, 403, 403, 405),
    "/nl/recruiter/placements/": _by(302, 200, 403, 403, 403, 200),
    "/nl/recruiter/placements/board/": _by(302, 200, 403, 403, 403, 200),
    "/nl/recruiter/placements/{placement}/": _by(302, 200, 403, 403, 403, 200),
    "/nl/recruiter/placements/{placement}/propose/": _by(302, 405, 403, 403, 403, 405),
    "/nl/recruiter/placements/{placement}/move/": _by(302, 405, 403, 403, 403, 405),
    "/nl/recruiter/candidates/": _by(302, 200, 403, 403, 403, 200),
    "/nl/recruiter/candidates/{candidate}/": _by(302, 200, 403, 403, 403, 200),
    "/nl/recruiter/candidates/{candidate}/notes/": _by(302, 405, 403, 403, 403, 405),
    # Restricting a candidate's data (GDPR art. 18): the list of restrictions, and POST-only actions (the
    # POSTs and their denials: tests/web/test_restriction_pages.py).
    "/nl/recruiter/candidates/restricted/": _by(302, 200, 403, 403, 403, 200),
    "/nl/recruiter/candidates/{candidate}/restrict/": _by(302, 405, 403, 403, 403, 405),
    "/nl/recruiter/candidates/{candidate}/restriction/lift/": _by(302, 405, 403, 403, 403, 405),
    # The access log of profiles: the data protection officer (a superuser, or the permission
    # candidates.view_profileaccess: tests/web/test_access_log_pages.py); a recruiter without it: 403.
    "/nl/recruiter/access-log/": _by(302, 403, 403, 403, 403, 200),
    # Projects and their funnels: staff only (no count or chart of any project for employers or partners).
    "/nl/recruiter/projects/": _by(302, 200, 403, 403, 403, 200),
    "/nl/recruiter/projects/{project}/": _by(302, 200, 403, 403, 403, 200),
    "/nl/recruiter/projects/{project}/steps/proposed/": _by(302, 200, 403, 403, 403, 200),
    # Publishing reference data: staff holding the reference data permissions (the superuser here); a
    # recruiter without them gets a 403. A made-up preview token is a 404; upload and publish are POST-only
    # (tests/reference/test_reference_data_page.py).
    "/nl/recruiter/reference-data/": _by(302, 403, 403, 403, 403, 200),
    "/nl/recruiter/reference-data/upload/": _by(302, 403, 403, 403, 403, 405),
    "/nl/recruiter/reference-data/preview/made-up-token/": _by(302, 403, 403, 403, 403, 404),
    "/nl/recruiter/reference-data/preview/made-up-token/publish/": _by(302, 403, 403, 403, 403, 405),
    # The employer's pages: its own vacancies and the cases proposed to it.
    "/nl/employer/vacancies/": _by(302, 403, 200, 200, 403, 403),
    "/nl/employer/vacancies/{vacancy}/": _by(302, 403, 200, 404, 403, 403),
    "/nl/employer/proposals/{placement}/": _by(302, 403, 200, 404, 403, 403),
    "/nl/employer/proposals/{placement}/move/": _by(302, 403, 405, 405, 403, 403),
    # Writing vacancies: employer B may create its own (200) but gets a 404 for A's; publish is POST-only,
    # refused by method before any lookup (the POST denials are in tests/web/test_employer_vacancy_form.py).
    "/nl/employer/vacancies/new/": _by(302, 403, 200, 200, 403, 403),
    "/nl/employer/vacancies/{vacancy}/edit/": _by(302, 403, 200, 404, 403, 403),
    "/nl/employer/vacancies/{vacancy}/publish/": _by(302, 403, 405, 405, 403, 403),
    "/nl/employer/proposals/{placement}/slots/": _by(302, 403, 405, 405, 403, 403),
    # A partner agency's pages: its own candidates. The partner visitor here is of another organisation
    # than the candidate's, hence the 404 (the registering partner's 200: tests/web/test_partner_pages.py).
    "/nl/partner/candidates/": _by(302, 403, 403, 403, 200, 403),
    "/nl/partner/candidates/{candidate}/": _by(302, 403, 403, 403, 404, 403),
    # Confirming an interview slot: POST-only, so a GET is refused before the slot is looked up and any
    # UUID stands for it (the POSTs, with a real slot, are in tests/web/test_interview_slots.py).
    "/nl/recruiter/placements/{placement}/slots/5a0c7e1b-0000-4000-8000-000000000000/accept/": _by(
        302, 405, 403, 403, 403, 405
    ),
    # Withdrawing one of the employer's dates: the same (POSTs in tests/web/test_interview_slots.py).
    "/nl/employer/proposals/{placement}/slots/5a0c7e1b-0000-4000-8000-000000000000/cancel/": _by(
        302, 403, 405, 405, 403, 403
    ),
    # The candidate's own space (candidate_space/urls.py): candidates only, each their own data. {placement}
    # is candidate A's case, so B gets a 404. POST-only actions refuse a GET after the role check, before
    # any lookup (any id stands for the consent; the POSTs are in tests/candidate_space/).
    "/nl/me/": _by(302, 403, 403, 403, 403, 403, candidate=200),
    "/nl/me/profile/": _by(302, 403, 403, 403, 403, 403, candidate=200),
    "/nl/me/profile/corrections/new/": _by(302, 403, 403, 403, 403, 403, candidate=200),
    "/nl/me/consents/": _by(302, 403, 403, 403, 403, 403, candidate=200),
    "/nl/me/consents/999999/withdraw/": _by(302, 403, 403, 403, 403, 403, candidate=405),
    "/nl/me/consents/999999/renew/": _by(302, 403, 403, 403, 403, 403, candidate=405),
    "/nl/me/consents/profile-visibility/": _by(302, 403, 403, 403, 403, 403, candidate=405),
    "/nl/me/cases/": _by(302, 403, 403, 403, 403, 403, candidate=200),
    "/nl/me/cases/{placement}/": _by(302, 403, 403, 403, 403, 403, candidate=200, candidate_b=404),
    "/nl/me/profile-views/": _by(302, 403, 403, 403, 403, 403, candidate=200),
    # The invitation link: one page for every link that opens nothing (unknown, spent, expired), whoever
    # asks; the password step without a link in the session is the same page.
    "/nl/me/activate/made-up-token/": _by(404, 404, 404, 404, 404, 404, candidate=404),
    "/nl/me/activate/set-password/": _by(404, 404, 404, 404, 404, 404, candidate=404),
    # Inviting a candidate: staff and partner agencies' users, POST only (tests/candidate_space/).
    "/nl/me/invitations/{candidate}/send/": _by(302, 405, 403, 403, 405, 405),
    # Correction requests, handled by staff and the registering agency (the partner here is another
    # organisation: a 404 for candidate A's request).
    "/nl/corrections/": _by(302, 200, 403, 403, 200, 200),
    "/nl/corrections/{correction}/": _by(302, 200, 403, 403, 404, 200),
    # Information pages for candidates (welcome/): a candidate sees the pages of their stages, and a page
    # of another stage is a 404 (tests/welcome/). {welcome_page} is an example page before departure,
    # {welcome_page_elsewhere} one after starting work (tests/welcome/helpers.py).
    "/nl/me/welcome/": _by(302, 403, 403, 403, 403, 403, candidate=200),
    "/nl/me/welcome/{welcome_page}/": _by(302, 403, 403, 403, 403, 403, candidate=200),
    "/nl/me/welcome/{welcome_page_elsewhere}/": _by(302, 403, 403, 403, 403, 403, candidate=404),
    # The staff's side: every staff user reads; writing needs the permission to change information pages
    # (the superuser here; a recruiter without it gets a 403). Publishing is POST-only.
    "/nl/recruiter/welcome/": _by(302, 200, 403, 403, 403, 200),
    "/nl/recruiter/welcome/pages/new/": _by(302, 403, 403, 403, 403, 200),
    "/nl/recruiter/welcome/pages/{welcome_page}/": _by(302, 200, 403, 403, 403, 200),
    "/nl/recruiter/welcome/pages/{welcome_page}/readers/": _by(302, 200, 403, 403, 403, 200),
    "/nl/recruiter/welcome/pages/{welcome_page}/nl/new-version/": _by(302, 403, 403, 403, 403, 200),
    "/nl/recruiter/welcome/versions/{welcome_version}/": _by(302, 200, 403, 403, 403, 200),
    "/nl/recruiter/welcome/versions/{welcome_version}/publish/": _by(302, 403, 403, 403, 403, 405),
    "/nl/recruiter/welcome/candidates/{candidate}/": _by(302, 200, 403, 403, 403, 200),
    # The candidate's data rights (privacy/): their own data only, and no id in any address (there is
    # nothing of another candidate to ask for). Restricting is POST-only (tests/privacy/test_pages.py).
    "/nl/me/data/": _by(302, 403, 403, 403, 403, 403, candidate=200),
    "/nl/me/data/download/json/": _by(302, 403, 403, 403, 403, 403, candidate=200),
    "/nl/me/data/download/csv/": _by(302, 403, 403, 403, 403, 403, candidate=200),
    "/nl/me/data/restrict/": _by(302, 403, 403, 403, 403, 403, candidate=405),
    "/nl/me/data/erasure/": _by(302, 403, 403, 403, 403, 403, candidate=200),
    # Erasure requests: staff holding privacy.change_erasurerequest (the superuser here; a recruiter
    # without it gets a 403). A made-up request is a 404; execute and refuse are POST-only.
    "/nl/recruiter/privacy/": _by(302, 403, 403, 403, 403, 200),
    "/nl/recruiter/privacy/7d2e3f40-0000-4000-8000-000000000000/": _by(302, 403, 403, 403, 403, 404),
    "/nl/recruiter/privacy/7d2e3f40-0000-4000-8000-000000000000/execute/": _by(302, 403, 403, 403, 403, 405),
    "/nl/recruiter/privacy/7d2e3f40-0000-4000-8000-000000000000/refuse/": _by(302, 403, 403, 403, 403, 405),
    # Spreadsheet downloads (exports/): authorised like the page each comes from (tests/exports/).
    "/nl/recruiter/exports/vacancies/{vacancy}/matches/": _by(302, 200, 403, 403, 403, 200),
    "/nl/recruiter/exports/vacancies/{vacancy}/shortlist/": _by(302, 200, 403, 403, 403, 200),
    "/nl/recruiter/exports/placements/": _by(302, 200, 403, 403, 403, 200),
    "/nl/recruiter/exports/candidates/": _by(302, 200, 403, 403, 403, 200),
    "/nl/recruiter/exports/projects/{project}/funnel/": _by(302, 200, 403, 403, 403, 200),
    # The EU Talent Pool export (tests/exports/test_talent_pool_views.py): its page and two JSON files.
    "/nl/recruiter/exports/talent-pool/": _by(302, 200, 403, 403, 403, 200),
    "/nl/recruiter/exports/talent-pool/candidates/": _by(302, 200, 403, 403, 403, 200),
    "/nl/recruiter/exports/talent-pool/vacancies/": _by(302, 200, 403, 403, 403, 200),
    "/nl/employer/exports/vacancies/{vacancy}/proposals/": _by(302, 403, 200, 404, 403, 403),
    # Spreadsheet imports (imports/): each area's own pages; an import of no one (or of another
    # organisation: tests/imports/test_import_pages.py) is a 404; uploads are POST-only.
    "/nl/recruiter/imports/": _by(302, 200, 403, 403, 403, 200),
    "/nl/recruiter/imports/candidates/upload/": _by(302, 405, 403, 403, 403, 405),
    "/nl/recruiter/imports/vacancies/template/": _by(302, 200, 403, 403, 403, 200),
    "/nl/recruiter/imports/jobs/5e0a1b2c-0000-4000-8000-000000000000/": _by(302, 404, 403, 403, 403, 404),
    "/nl/partner/imports/": _by(302, 403, 403, 403, 200, 403),
    "/nl/partner/imports/candidates/upload/": _by(302, 403, 403, 403, 405, 403),
    "/nl/partner/imports/candidates/template/": _by(302, 403, 403, 403, 200, 403),
    "/nl/partner/imports/jobs/5e0a1b2c-0000-4000-8000-000000000000/": _by(302, 403, 403, 403, 404, 403),
    "/nl/employer/imports/": _by(302, 403, 200, 200, 403, 403),
    "/nl/employer/imports/vacancies/upload/": _by(302, 403, 405, 405, 403, 403),
    "/nl/employer/imports/vacancies/template/": _by(302, 403, 200, 200, 403, 403),
    "/nl/employer/imports/jobs/5e0a1b2c-0000-4000-8000-000000000000/": _by(302, 403, 404, 404, 403, 403),
    # Funders' reports (reports/): staff only, like the funnel page they build on (tests/reports/).
    "/nl/recruiter/reports/projects/{project}/": _by(302, 200, 403, 403, 403, 200),
    "/nl/recruiter/reports/projects/{project}/xlsx/": _by(302, 200, 403, 403, 403, 200),
    # Fairness monitoring (fairness/): staff only, never employers or partners (tests/fairness/; a cohort's
    # page is the project's with ?cohort=, and another project's cohort is a 404 there).
    "/nl/recruiter/fairness/vacancies/{vacancy}/": _by(302, 200, 403, 403, 403, 200),
    "/nl/recruiter/fairness/projects/{project}/": _by(302, 200, 403, 403, 403, 200),
    # Duplicate candidates (duplicates/): staff of the public employment service only. Here a pair of no
    # one (404 for staff); merging and rejecting also need duplicates.merge_candidates (the superuser
    # here; a recruiter without it: 403). A real pair's page, merge and rejection, and staff of another
    # organisation, are in tests/duplicates/test_pages.py.
    "/nl/recruiter/duplicates/": _by(302, 200, 403, 403, 403, 200),
    "/nl/recruiter/duplicates/999999999/": _by(302, 404, 403, 403, 403, 404),
    "/nl/recruiter/duplicates/999999999/merge/": _by(302, 403, 403, 403, 403, 405),
    "/nl/recruiter/duplicates/999999999/reject/": _by(302, 403, 403, 403, 403, 405),
    # Labour-mobility pathways (docs/pathways/): agreements that share vacancies (agreements/).
    # Staff of the public employment service manage agreements (an unknown code: 404); a partner sees the
    # vacancies shared with it (tests/agreements/test_pages.py: only its own). The employer's close action
    # (POST-only) withdraws the vacancy's shares.
    "/nl/recruiter/agreements/": _by(302, 200, 403, 403, 403, 200),
    "/nl/recruiter/agreements/new/": _by(302, 200, 403, 403, 403, 200),
    "/nl/recruiter/agreements/no-such-agreement/": _by(302, 404, 403, 403, 403, 404),
    "/nl/recruiter/agreements/no-such-agreement/edit/": _by(302, 404, 403, 403, 403, 404),
    "/nl/partner/agreements/shared/": _by(302, 403, 403, 403, 200, 403),
    "/nl/employer/vacancies/{vacancy}/close/": _by(302, 403, 405, 405, 403, 403),
    # The concentric search (concentric/).
    # Internships (internships/).
    # Staff only: the projects with internships, a project's figures after return, a case's outcomes
    # (GET and POST). {placement} is an employment case: not an internship, so a 404 even for staff
    # (an internship case's 200 and its POST: tests/internships/test_pages.py).
    "/nl/recruiter/internships/": _by(302, 200, 403, 403, 403, 200),
    "/nl/recruiter/internships/projects/{project}/": _by(302, 200, 403, 403, 403, 200),
    "/nl/recruiter/internships/cases/{placement}/": _by(302, 404, 403, 403, 403, 404),
    # Selection stages, video CVs and job dating (selection/).
    # Staff only for steps, results and events (an event of no one: 404); employers see the events they
    # are invited to (another employer's: tests/selection/test_pages.py). POST-only actions: 405.
    "/nl/recruiter/selection/projects/{project}/": _by(302, 200, 403, 403, 403, 200),
    "/nl/recruiter/selection/projects/{project}/steps/": _by(302, 405, 403, 403, 403, 405),
    "/nl/recruiter/selection/projects/{project}/candidates/": _by(302, 200, 403, 403, 403, 200),
    "/nl/recruiter/selection/projects/{project}/results/": _by(302, 405, 403, 403, 403, 405),
    "/nl/recruiter/selection/projects/{project}/job-datings/": _by(302, 405, 403, 403, 403, 405),
    f"{NO_JOB_DATING}": _by(302, 404, 403, 403, 403, 404),
    f"{NO_JOB_DATING}invite/": _by(302, 405, 403, 403, 403, 405),
    f"{NO_JOB_DATING}cancel/": _by(302, 405, 403, 403, 403, 405),
    f"{NO_JOB_DATING}held/": _by(302, 405, 403, 403, 403, 405),
    "/nl/employer/selection/job-datings/": _by(302, 403, 200, 200, 403, 403),
    f"/nl/employer/selection/job-datings/{NO_ONE}/": _by(302, 403, 404, 404, 403, 403),
    # Who pays which recruitment cost (costs/).
    # Staff: any case's costs; the cost alerts, refunds and voids are the public employment service's own
    # staff's (pes_staff_required: a partner agency's coordinator gets a 403, tests/costs/test_pages.py).
    # The partner visitor here is of another organisation than the candidate's, hence its 404 (the
    # registering partner's 200 and employer B's 404 with a case of its own: tests/costs/test_pages.py).
    # POST-only actions refuse a GET after the role check (any UUID stands for the cost to refund or void).
    "/nl/recruiter/costs/": _by(302, 200, 403, 403, 403, 200),
    "/nl/recruiter/costs/cases/{placement}/": _by(302, 200, 403, 403, 403, 200),
    "/nl/recruiter/costs/cases/{placement}/record/": _by(302, 405, 403, 403, 403, 405),
    "/nl/recruiter/costs/costs/{placement}/refund/": _by(302, 405, 403, 403, 403, 405),
    "/nl/recruiter/costs/costs/{placement}/void/": _by(302, 405, 403, 403, 403, 405),
    "/nl/employer/costs/cases/{placement}/": _by(302, 403, 200, 404, 403, 403),
    "/nl/partner/costs/": _by(302, 403, 403, 403, 200, 403),
    "/nl/partner/costs/cases/{placement}/": _by(302, 403, 403, 403, 404, 403),
    "/nl/partner/costs/cases/{placement}/record/": _by(302, 403, 403, 403, 405, 403),
}
# Routes covered by the cases above, or not pages of their own (Django's admin sub-pages and the
# POST-only language switch, tested in test_demo_site.py).
# "api/v1/": the partner API has its own matrix (tests/api/test_authorisation.py), with a meta-test over
# every API route.
COVERED_ROUTES = {"", "healthz", "admin/", "i18n/", "api/v1/"}


def matrix_placeholders(world: WebWorld) -> dict[str, str]:
    """The values of every placeholder of the MATRIX URLs: the web world's objects, the candidate space's
    and the welcome pages'."""
    return {**world.urls(), **candidate_space_placeholders(world), **welcome_placeholders()}


@pytest.fixture
def web_world() -> WebWorld:
    return build_web_world()


def _client_for(visitor: str, world: WebWorld | None = None) -> Client:
    client = Client()
    if visitor == ANONYMOUS:
        return client
    if visitor == CANDIDATE:
        return candidate_client(
            world.candidate if world is not None else other_candidate(email="a@example.org")
        )
    if visitor == CANDIDATE_B:
        return candidate_client(other_candidate())
    if visitor in (EMPLOYER, EMPLOYER_B):
        if world is None:
            organisation = factories.OrganisationFactory.create(employer=True)
        else:
            organisation = world.employer_a if visitor == EMPLOYER else world.employer_b
        user = factories.UserFactory.create(role=User.Role.EMPLOYER_USER, organisation=organisation)
    elif visitor == PARTNER:
        user = factories.UserFactory.create(
            role=User.Role.PARTNER_USER, organisation=factories.OrganisationFactory.create()
        )
    else:
        # Staff sign in with a second factor; these clients have passed it.
        return verified_client(factories.UserFactory.create(is_staff=True, is_superuser=visitor == ADMIN))
    client.force_login(user)
    return client


@pytest.mark.parametrize("url", list(MATRIX))
@pytest.mark.parametrize("visitor", VISITORS)
def test_each_visitor_gets_what_the_matrix_says(url: str, visitor: str, web_world: WebWorld) -> None:
    response = _client_for(visitor, web_world).get(url.format(**matrix_placeholders(web_world)))
    assert response.status_code == MATRIX[url][visitor]


def _routes(patterns: list[URLPattern | URLResolver], prefix: str = "") -> set[str]:
    """Every route, descending into included URL confs that are not covered as a whole."""
    routes: set[str] = set()
    for pattern in patterns:
        if isinstance(pattern.pattern, LocalePrefixPattern):  # i18n_patterns: /nl/, /fr/, /en/
            routes |= _routes(pattern.url_patterns, prefix)  # type: ignore[union-attr]
            continue
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver) and route not in COVERED_ROUTES:
            routes |= _routes(pattern.url_patterns, route)
        else:
            routes.add(route)
    return routes


def _matrix_routes() -> set[str]:
    """The route patterns the MATRIX URLs reach, without the language prefix."""
    routes = set()
    for url in MATRIX:
        language = url.split("/")[1]
        with translation.override(language if language in dict(settings.LANGUAGES) else None):
            placeholders = {name for _text, name, _spec, _conv in Formatter().parse(url) if name}
            route = resolve(url.format(**{name: uuid.uuid4() for name in placeholders})).route
        routes.add(route.removeprefix(f"{language}/") if language in dict(settings.LANGUAGES) else route)
    return routes


def test_every_url_is_in_the_matrix() -> None:
    assert _routes(get_resolver().url_patterns) == COVERED_ROUTES | _matrix_routes()


def test_the_landing_page_has_a_query_budget(django_assert_max_num_queries: Any) -> None:
    factories.VacancyFactory.create_batch(3)
    with django_assert_max_num_queries(5):
        assert Client().get("/en/").status_code == 200
