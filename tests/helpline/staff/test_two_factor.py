"""Every staff account passes a second factor before it can see anything confidential."""

import time

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from helpline.staff.two_factor import demo_backup_codes

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-test-password"


def code_for(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def sign_in(client: Client, username: str) -> None:
    response = client.post("/staff/login/", {"username": username, "password": PASSWORD, "next": "/staff/"})
    assert response.status_code == 302
    assert response["Location"].startswith("/staff/two-factor/")


@pytest.fixture
def staffer(make_staff):
    return make_staff("sam")


def test_a_password_alone_opens_nothing(client, staffer):
    sign_in(client, "sam")
    response = client.get("/staff/")
    assert response.status_code == 302
    assert response["Location"].startswith("/staff/two-factor/")
    assert client.get("/staff/supervisor/").status_code == 302


def test_first_sign_in_sets_up_an_authenticator_and_shows_backup_codes_once(client, staffer):
    sign_in(client, "sam")
    enrol = client.get("/staff/two-factor/?next=/staff/")
    page = enrol.content.decode()
    assert "<svg" in page
    assert "Enter this key by hand" in page
    device = TOTPDevice.objects.get(user=staffer.user)
    assert not device.confirmed

    wrong = client.post("/staff/two-factor/", {"token": "000000", "next": "/staff/"})
    assert "did not match" in wrong.content.decode()
    time.sleep(1.1)  # django-otp makes people wait a second after a wrong code

    done = client.post("/staff/two-factor/", {"token": code_for(device), "next": "/staff/"})
    assert done.status_code == 200
    codes = StaticToken.objects.filter(device__user=staffer.user).values_list("token", flat=True)
    assert len(codes) == 10
    assert all(code in done.content.decode() for code in codes)
    assert client.get("/staff/").status_code == 200


def test_a_returning_person_enters_a_code(client, staffer):
    codes = demo_backup_codes(staffer.user)
    sign_in(client, "sam")
    page = client.get("/staff/two-factor/").content.decode()
    assert "Enter your two-factor code" in page
    bad = client.post("/staff/two-factor/", {"token": "123456"})
    assert "did not work" in bad.content.decode()
    assert client.get("/staff/").status_code == 302
    time.sleep(1.1)  # django-otp makes people wait a second after a wrong code
    good = client.post("/staff/two-factor/", {"token": codes[0], "next": "/staff/"})
    assert good["Location"] == "/staff/"
    assert client.get("/staff/").status_code == 200


def test_a_backup_code_works_only_once(staffer):
    codes = demo_backup_codes(staffer.user)
    first = Client()
    sign_in(first, "sam")
    assert first.post("/staff/two-factor/", {"token": codes[1]}).status_code == 302
    second = Client()
    sign_in(second, "sam")
    assert "did not work" in second.post("/staff/two-factor/", {"token": codes[1]}).content.decode()


def test_next_cannot_send_people_to_another_site(client, staffer):
    codes = demo_backup_codes(staffer.user)
    sign_in(client, "sam")
    response = client.post("/staff/two-factor/", {"token": codes[2], "next": "https://elsewhere.example/"})
    assert response["Location"] == "/staff/"


def test_the_admin_requires_the_second_factor(client, django_user_model):
    admin = django_user_model.objects.create_superuser("root", password=PASSWORD)
    client.post("/staff/login/", {"username": "root", "password": PASSWORD})
    assert client.get("/admin/").status_code == 302
    codes = demo_backup_codes(admin)
    client.post("/staff/two-factor/", {"token": codes[0]})
    assert client.get("/admin/").status_code == 200
