"""The demo stays usable with a second factor: staff logins share the TOTP key the README publishes."""

import pytest
from django.core.management import call_command
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from demo.employers import DEMO_PASSWORD
from demo.security import DEMO_TOTP_KEY_BASE32, DEMO_TOTP_SECRET

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo() -> None:
    call_command("seed_demo", candidates=12, vacancies=4, employers=2, seed=7, verbosity=0)


def test_staff_logins_have_the_published_key_and_others_have_none(demo: None) -> None:
    devices = {d.user.username: d for d in TOTPDevice.objects.select_related("user")}
    assert set(devices) == {"recruiter", "coordinator", "admin"}
    assert all(d.confirmed and d.bin_key == DEMO_TOTP_SECRET for d in devices.values())
    assert DEMO_TOTP_KEY_BASE32 == "ORQWYZLOORRHE5LHFVSGK3LPFV2G65DQ"


def test_the_demo_recruiter_signs_in_with_the_readme_code(demo: None) -> None:
    client = Client()
    response = client.post("/nl/account/sign-in/", {"username": "recruiter", "password": DEMO_PASSWORD})
    assert response["Location"].startswith("/nl/account/second-factor/")
    # The README's one-liner: python -c "from django_otp.oath import totp; ..."
    response = client.post("/nl/account/second-factor/", {"token": f"{totp(DEMO_TOTP_SECRET):06d}"})
    assert response.status_code == 302
    assert client.get("/nl/recruiter/vacancies/").status_code == 200


def test_reseeding_keeps_one_device_per_login(demo: None) -> None:
    call_command("seed_demo", candidates=12, vacancies=4, employers=2, seed=7, verbosity=0)
    assert TOTPDevice.objects.count() == 3
