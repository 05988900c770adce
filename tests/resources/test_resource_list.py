import datetime

import pytest
from django.utils import timezone

from resources.models import Category, Status
from tests.resources.pages import assert_sets_no_cookies, text

pytestmark = pytest.mark.django_db


def test_it_lists_published_reading_by_topic_in_the_topics_order(client, make_resource, category):
    category.order = 2
    category.save()
    online = Category.objects.create(name="Staying safe online", slug="online", order=1)
    make_resource("filters", title="Setting up filters", category=online)
    make_resource("talking-helps", title="Talking helps")
    response = client.get("/en/self-help/")
    assert response.status_code == 200
    page = text(response.content)
    assert (
        page.index("Staying safe online") < page.index("Setting up filters") < page.index("Getting support")
    )
    assert "Talking helps" in page
    assert "1 min read" in page


@pytest.mark.parametrize("status", [Status.DRAFT, Status.IN_REVIEW, Status.UNPUBLISHED])
def test_it_hides_content_that_is_not_published(client, make_resource, status):
    make_resource("hidden", title="Not for the public", status=status)
    assert "Not for the public" not in text(client.get("/en/self-help/").content)


def test_it_hides_content_scheduled_for_later(client, make_resource):
    make_resource("later", title="Coming later", publish_at=timezone.now() + datetime.timedelta(hours=2))
    assert "Coming later" not in text(client.get("/en/self-help/").content)


def test_it_says_so_when_there_is_nothing_yet(client):
    assert "There is nothing to read here yet" in text(client.get("/en/self-help/").content)


def test_it_sets_no_cookies(client, make_resource):
    make_resource()
    assert_sets_no_cookies(client.get("/en/self-help/"))


def test_it_rejects_post(client):
    assert client.post("/en/self-help/").status_code == 405
