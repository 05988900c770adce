import datetime

import pytest
from django.utils import timezone

from resources.models import Status
from tests.resources.pages import assert_sets_no_cookies, text

pytestmark = pytest.mark.django_db


def test_it_lists_published_modules_with_their_step_count(client, make_module):
    make_module()
    response = client.get("/en/modules/")
    assert response.status_code == 200
    page = text(response.content)
    assert "Making a plan" in page
    assert "2 steps" in page
    assert "never sent to us" in page


@pytest.mark.parametrize("status", [Status.DRAFT, Status.IN_REVIEW, Status.UNPUBLISHED])
def test_it_hides_modules_that_are_not_published(client, make_module, status):
    make_module(status=status, title="Hidden module")
    assert "Hidden module" not in text(client.get("/en/modules/").content)


def test_it_hides_modules_scheduled_for_later(client, make_module):
    make_module(title="Later module", publish_at=timezone.now() + datetime.timedelta(days=1))
    assert "Later module" not in text(client.get("/en/modules/").content)


def test_it_says_so_when_there_are_none(client):
    assert "There are no guided modules yet" in text(client.get("/en/modules/").content)


def test_it_sets_no_cookies(client, make_module):
    make_module()
    assert_sets_no_cookies(client.get("/en/modules/"))


def test_it_rejects_post(client):
    assert client.post("/en/modules/").status_code == 405
