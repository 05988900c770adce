import pytest

from resources.models import Status
from tests.resources.pages import assert_sets_no_cookies, text

pytestmark = pytest.mark.django_db


def test_it_shows_the_topic_and_its_published_reading(client, make_resource):
    make_resource("talking-helps", title="Talking helps")
    make_resource("a-draft", title="Unfinished draft", status=Status.DRAFT)
    response = client.get("/en/self-help/topics/getting-support/")
    assert response.status_code == 200
    page = text(response.content)
    assert "Getting support" in page
    assert "Talking helps" in page
    assert "Unfinished draft" not in page


def test_an_empty_topic_says_so(client, category):
    response = client.get("/en/self-help/topics/getting-support/")
    assert "There is nothing to read on this topic yet" in text(response.content)


def test_it_404s_an_unknown_topic(client):
    assert client.get("/en/self-help/topics/nothing-here/").status_code == 404


def test_it_sets_no_cookies(client, category):
    assert_sets_no_cookies(client.get("/en/self-help/topics/getting-support/"))


def test_it_rejects_post(client, category):
    assert client.post("/en/self-help/topics/getting-support/").status_code == 405
