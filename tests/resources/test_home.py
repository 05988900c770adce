import pytest

from resources.models import Status
from tests.resources.pages import assert_sets_no_cookies, elements, text

pytestmark = pytest.mark.django_db


def test_it_shows_topics_featured_reading_and_the_ways_to_get_help(client, make_resource, make_module):
    make_resource("talking-helps", title="Talking helps", featured=True)
    make_module()
    response = client.get("/en/")
    assert response.status_code == 200
    page = text(response.content)
    assert "Getting support" in page
    assert "Talking helps" in page
    assert "Making a plan" in page
    hrefs = {e.attrs.get("href") for e in elements(response.content, "a")}
    assert {"/en/chat/", "/en/modules/", "/en/self-help/", "/en/self-help/topics/getting-support/"} <= hrefs


def test_topics_come_in_the_editors_order(client, make_resource, category):
    from resources.models import Category

    first = Category.objects.create(name="Worried about your own thoughts", slug="own-thoughts", order=0)
    category.order = 1
    category.save()
    make_resource("a", category=category)
    make_resource("b", category=first)
    page = text(client.get("/en/").content)
    assert page.index("Worried about your own thoughts") < page.index("Getting support")


def test_it_shows_no_unpublished_content(client, make_resource):
    make_resource("a-draft", title="Unfinished draft", status=Status.DRAFT, featured=True)
    make_resource("in-review", title="Waiting for review", status=Status.IN_REVIEW)
    response = client.get("/en/")
    assert "Unfinished draft" not in text(response.content)
    assert "Waiting for review" not in text(response.content)
    # A topic whose only reading is unpublished is not offered either.
    assert "/en/self-help/topics/getting-support/" not in response.content.decode()


def test_it_falls_back_to_the_newest_reading_when_nothing_is_featured(client, make_resource):
    make_resource("plain", title="Plain piece")
    assert "Plain piece" in text(client.get("/en/").content)


def test_it_sets_no_cookies(client, make_resource):
    make_resource()
    assert_sets_no_cookies(client.get("/en/"))


def test_it_rejects_post(client):
    assert client.post("/en/").status_code == 405


def test_it_answers_head(client):
    assert client.head("/en/").status_code == 200


def test_it_serves_staff_the_same_page(editor_client, make_resource):
    make_resource("talking-helps", title="Talking helps")
    assert "Talking helps" in text(editor_client.get("/en/").content)
