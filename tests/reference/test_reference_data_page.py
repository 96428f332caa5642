"""The reference data page (issue 12, item 4): upload the official CSV, preview what changes for the open
vacancies, publish in one transaction, and the matches are recomputed. Broken files write nothing."""

import datetime
from collections.abc import Callable
from contextlib import AbstractContextManager
from decimal import Decimal
from itertools import pairwise
from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from core.models import User
from recruitment import services
from reference.models import SalaryThreshold, ShortageList, ShortageListOccupation
from tests import factories
from tests.recruitment.world import World, build_world, welder_vacancy
from tests.web.world import verified_client
from vacancies.models import Vacancy

pytestmark = pytest.mark.django_db

PAGE = "/en/recruiter/reference-data/"
UPLOAD = "/en/recruiter/reference-data/upload/"
HEADER = (
    "year,valid_from,valid_to,highly_skilled_eur,highly_skilled_reduced_eur,manager_eur,eu_blue_card_eur,note"
)
Commit = Callable[..., AbstractContextManager[Any]]


@pytest.fixture
def world() -> World:
    return build_world()


@pytest.fixture
def maintainer() -> Client:
    """A recruiter who also holds the reference data permissions (not a superuser)."""
    user = factories.UserFactory.create(role=User.Role.RECRUITER, is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="reference",
            codename__in=[
                "add_salarythreshold",
                "change_salarythreshold",
                "add_shortagelist",
                "change_shortagelist",
            ],
        )
    )
    return verified_client(user)


def _thresholds_file(
    *rows: str, encoding: str = "utf-8", header: str = HEADER, sep: str = ","
) -> SimpleUploadedFile:
    text = "\n".join([header.replace(",", sep), *rows]) + "\n"
    return SimpleUploadedFile("drempels.csv", text.encode(encoding), content_type="text/csv")


def _next_year() -> tuple[int, datetime.date, datetime.date]:
    year = timezone.localdate().year + 1
    return year, datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def _counts() -> tuple[int, int]:
    return SalaryThreshold.objects.count(), ShortageList.objects.count()


def test_upload_preview_publish_thresholds_and_the_matches_are_recomputed(
    world: World, maintainer: Client, django_capture_on_commit_callbacks: Commit
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        vacancy = welder_vacancy(world)
    this_year = timezone.localdate().year
    # This year's thresholds, from 1 January: the open-ended world threshold (58000 from 2020) ends the day
    # before, and the welder's pay (40368) now meets the Blue Card threshold. Semicolons, decimal comma, BOM.
    upload = _thresholds_file(
        f"{this_year};{this_year}-01-01;{this_year}-12-31;60000;48000;96000;40000,00;official",
        sep=";",
        encoding="utf-8-sig",
    )

    response = maintainer.post(UPLOAD, {"what": "thresholds", "file": upload})

    assert response.status_code == 302, response.content.decode()
    preview = maintainer.get(response["Location"])
    assert preview.status_code == 200
    page = preview.content.decode()
    assert vacancy.title in page and str(vacancy.public_id) in page  # the vacancy that changes is listed
    assert "EU Blue Card: no threshold → meets the threshold" in page
    assert SalaryThreshold.objects.filter(valid_from=datetime.date(this_year, 1, 1)).count() == 0  # not yet

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        published = maintainer.post(response["Location"] + "publish/")
    assert published.status_code == 302
    assert callbacks  # the sweeper was queued, and ran (eager tasks)
    written = SalaryThreshold.objects.get(category="eu_blue_card", valid_from=datetime.date(this_year, 1, 1))
    assert written.annual_gross_eur == Decimal("40000.00") and written.confirmed
    old = SalaryThreshold.objects.get(category="highly_skilled", valid_from=datetime.date(2020, 1, 1))
    assert old.valid_to == datetime.date(this_year - 1, 12, 31)
    assert services.match_consistency_violations() == []  # recomputed on the new basis
    # The token is spent: publishing twice is a 404, and writes nothing more.
    assert maintainer.post(response["Location"] + "publish/").status_code == 404


def test_a_shortage_list_for_next_year_shows_the_route_that_closes(world: World, maintainer: Client) -> None:
    year, start, end = _next_year()
    vacancy = welder_vacancy(world, start_date=datetime.date(year, 3, 1))
    other = factories.EscoOccupationFactory.create()
    code = other.uri.rsplit("/", 1)[-1]
    text = (
        "title_nl;title_fr;title_en;isco_code;esco_occupation;fit\n"
        f"loodgieter;plombier;plumber;7126;{code};\n"
    )
    upload = SimpleUploadedFile("lijst.csv", text.encode(), content_type="text/csv")
    form = {
        "what": "shortage_list",
        "kind": "migration_medium_skilled",
        "title": f"Migration list {year}",
        "valid_from": start.isoformat(),
        "valid_to": end.isoformat(),
        "file": upload,
    }

    response = maintainer.post(UPLOAD, form)

    assert response.status_code == 302, response.content.decode()
    page = maintainer.get(response["Location"]).content.decode()
    assert vacancy.title in page and "closes:" in page and "Medium-skilled" in page
    maintainer.post(response["Location"] + "publish/")
    new = ShortageList.objects.get(title=f"Migration list {year}")
    assert list(
        ShortageListOccupation.objects.filter(entry__shortage_list=new).values_list("occupation", flat=True)
    ) == [other.pk]
    assert ShortageList.objects.get(title="Migration list").valid_to == start - datetime.timedelta(days=1)
    assert Vacancy.objects.filter(pk=vacancy.pk).exists()


@pytest.mark.parametrize(
    ("upload", "problem"),
    [
        (SimpleUploadedFile("x.csv", b"year,valid_from,amount\n2027,2027-01-01,5\n"), "missing: valid_to"),
        (
            SimpleUploadedFile("x.csv", (HEADER + "\n2027,2027-01-01,2027-12-31,abc,,,,\n").encode()),
            "“abc” is not an amount in euro",
        ),
        (
            SimpleUploadedFile("x.csv", (HEADER + "\n2027,2027-01-01,,5,,,,é\n").encode("latin-1")),
            "not in UTF-8",
        ),
        (
            SimpleUploadedFile(
                "x.csv",
                (HEADER + "\n2027,2027-01-01,2027-12-31,5,,,,\n2027,2027-06-01,2027-12-31,6,,,,\n").encode(),
            ),
            "overlaps the one on line 2",
        ),
    ],
    ids=["missing-header", "bad-number", "wrong-encoding", "overlapping-period"],
)
def test_a_broken_file_gives_its_problems_and_writes_nothing(
    maintainer: Client, upload: SimpleUploadedFile, problem: str
) -> None:
    before = _counts()
    response = maintainer.post(UPLOAD, {"what": "thresholds", "file": upload})
    assert response.status_code == 400
    assert problem in response.content.decode()
    assert _counts() == before
    keys = list(maintainer.session.keys())
    assert not [key for key in keys if key.startswith("reference_upload:")]


def test_a_period_overlapping_a_published_one_is_refused(maintainer: Client) -> None:
    year, start, end = _next_year()
    SalaryThreshold.objects.create(
        region="VLG",
        category="highly_skilled",
        valid_from=start,
        valid_to=end,
        annual_gross_eur=Decimal(50000),
    )
    upload = _thresholds_file(f"{year},{year}-06-01,{year}-12-31,51000,,,,")
    response = maintainer.post(UPLOAD, {"what": "thresholds", "file": upload})
    assert response.status_code == 400
    assert "overlaps the published one" in response.content.decode()
    assert SalaryThreshold.objects.count() == 1


def test_an_unknown_esco_occupation_is_a_row_error(maintainer: Client) -> None:
    _year, start, _end = _next_year()
    text = "title_nl,esco_occupation\nlasser,http://data.europa.eu/esco/occupation/00000000-0000-0000-0000-000000000000\n"
    response = maintainer.post(
        UPLOAD,
        {
            "what": "shortage_list",
            "kind": "vdab_shortage",
            "title": "VDAB",
            "valid_from": start.isoformat(),
            "file": SimpleUploadedFile("l.csv", text.encode()),
        },
    )
    assert response.status_code == 400
    assert "Line 2: the ESCO occupation" in response.content.decode()
    assert ShortageList.objects.count() == 0


def test_staff_without_the_permissions_and_other_roles_are_refused(world: World) -> None:
    recruiter = verified_client(factories.UserFactory.create(role=User.Role.RECRUITER, is_staff=True))
    employer = Client()
    employer.force_login(
        factories.UserFactory.create(role=User.Role.EMPLOYER_USER, organisation=world.employer)
    )
    upload = _thresholds_file(f"{_next_year()[0]},{_next_year()[1]},,50000,,,,")
    for client in (recruiter, employer):
        assert client.get(PAGE).status_code == 403
        assert client.post(UPLOAD, {"what": "thresholds", "file": upload}).status_code == 403
    assert SalaryThreshold.objects.filter(valid_from=_next_year()[1]).count() == 0


def test_another_users_preview_token_is_not_found(maintainer: Client) -> None:
    year, start, _end = _next_year()
    response = maintainer.post(
        UPLOAD, {"what": "thresholds", "file": _thresholds_file(f"{year},{start},,50000,,,,")}
    )
    assert response.status_code == 302
    other = factories.UserFactory.create(role=User.Role.ADMINISTRATOR, is_staff=True, is_superuser=True)
    client = verified_client(other)
    assert client.get(response["Location"]).status_code == 404
    assert client.post(response["Location"] + "publish/").status_code == 404
    assert SalaryThreshold.objects.count() == 0


def test_several_years_in_one_file_end_the_open_threshold_before_the_first(
    world: World, maintainer: Client
) -> None:
    """Two rows of one category (this year, then next year onwards) against a published open-ended row:
    it ends before the first of them. Each row asked for its own close, and the last one won, leaving the
    published period overlapping the first uploaded one."""
    this_year = timezone.localdate().year
    upload = _thresholds_file(
        f"{this_year},{this_year}-01-01,{this_year}-12-31,60000,48000,96000,70000,",
        f"{this_year + 1},{this_year + 1}-01-01,,61000,48800,97600,71000,",
    )
    response = maintainer.post(UPLOAD, {"what": "thresholds", "file": upload})
    assert response.status_code == 302, response.content.decode()
    assert maintainer.post(response["Location"] + "publish/").status_code == 302
    old = SalaryThreshold.objects.get(category="highly_skilled", valid_from=datetime.date(2020, 1, 1))
    assert old.valid_to == datetime.date(this_year - 1, 12, 31)
    for category in SalaryThreshold.Category.values:
        periods = sorted(
            SalaryThreshold.objects.filter(category=category).values_list("valid_from", "valid_to")
        )
        for (_start, end), (next_start, _next_end) in pairwise(periods):
            assert end is not None and end < next_start, (category, periods)
