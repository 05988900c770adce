"""Admins make a partner's link in the admin and print its QR code; helpline staff without the campaign
permissions see neither, and nobody signed out does."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.test import Client

from helpline.campaigns.models import CODE_ALPHABET, CODE_LENGTH
from helpline.models import STAFF_GROUP, Campaign

pytestmark = pytest.mark.django_db

ADD = "/admin/helpline/campaign/add/"


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def admin_client() -> Client:
    return signed_in(User.objects.create_superuser("ada", password="a long test password"))


@pytest.fixture
def staff_client() -> Client:
    user = User.objects.create_user("sam", password="a long test password", is_staff=True)
    user.groups.add(Group.objects.get_or_create(name=STAFF_GROUP)[0])
    return signed_in(user)


def make_campaign(admin_client: Client, **changes: object) -> Campaign:
    data = {
        "partner": "Youth services",
        "channel": "professional_referral",
        "languages": ["en", "nl"],
        "destination": "chat",
        "starts_on": "2026-01-01",
        "ends_on": "",
        "note": "Leaflets in the waiting room.",
        **changes,
    }
    response = admin_client.post(ADD, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    return Campaign.objects.get(partner=data["partner"])


def test_an_admin_makes_a_campaign_and_gets_its_link(admin_client):
    campaign = make_campaign(admin_client)
    assert len(campaign.code) == CODE_LENGTH and set(campaign.code) <= set(CODE_ALPHABET)
    assert campaign.languages == ["en", "nl"] and campaign.channel == "professional_referral"
    change = admin_client.get(f"/admin/helpline/campaign/{campaign.pk}/change/").content.decode()
    assert f"http://testserver/r/{campaign.code}/" in change
    assert f"/admin/helpline/campaign/{campaign.pk}/qr/" in change
    listing = admin_client.get("/admin/helpline/campaign/").content.decode()
    assert f"/r/{campaign.code}/" in listing and "Youth services" in listing


def test_the_qr_page_draws_the_link_locally(admin_client):
    campaign = make_campaign(admin_client)
    response = admin_client.get(f"/admin/helpline/campaign/{campaign.pk}/qr/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "<svg" in page and f"http://testserver/r/{campaign.code}/" in page
    assert "Youth services" in page and "English, Nederlands" in page
    assert "no-store" in response["Cache-Control"]
    assert "https://" not in page.split("<svg", 1)[1].split("</svg>", 1)[0]  # nothing fetched from outside


def test_a_link_to_a_page_needs_the_page(admin_client):
    response = admin_client.post(
        ADD,
        {"partner": "Clinic", "channel": "other", "destination": "resource", "starts_on": "2026-01-01"},
    )
    assert response.status_code == 200
    assert "Choose the self-help page the link lands on." in response.content.decode()
    assert not Campaign.objects.exists()


def test_it_cannot_end_before_it_starts(admin_client):
    response = admin_client.post(
        ADD,
        {
            "partner": "Clinic",
            "channel": "other",
            "destination": "home",
            "starts_on": "2026-03-01",
            "ends_on": "2026-02-01",
        },
    )
    assert "The campaign cannot end before it starts." in response.content.decode()


def test_helpline_staff_cannot_see_campaigns_or_their_qr_codes(admin_client, staff_client):
    campaign = make_campaign(admin_client)
    assert staff_client.get("/admin/helpline/campaign/").status_code == 403
    assert staff_client.get(ADD).status_code == 403
    assert staff_client.get(f"/admin/helpline/campaign/{campaign.pk}/qr/").status_code in (403, 404)


def test_a_person_given_the_permission_can_read_them(admin_client):
    campaign = make_campaign(admin_client)
    user = User.objects.create_user("cam", password="a long test password", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_campaign"))
    client = signed_in(user)
    assert client.get(f"/admin/helpline/campaign/{campaign.pk}/qr/").status_code == 200


def test_signed_out_people_are_sent_to_sign_in(admin_client):
    campaign = make_campaign(admin_client)
    response = Client().get(f"/admin/helpline/campaign/{campaign.pk}/qr/")
    assert response.status_code == 302 and "login" in response["Location"]
