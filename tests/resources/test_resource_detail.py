import datetime

import pytest
from django.utils import timezone

from resources.models import Status
from tests.resources.pages import assert_sets_no_cookies, elements, text

pytestmark = pytest.mark.django_db


def test_it_shows_the_reading(client, make_resource):
    make_resource("talking-helps", title="Talking helps", body="## Why\n\nSaying it out loud **helps**.")
    response = client.get("/en/self-help/talking-helps/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Talking helps</h1>" in html
    assert "<h2>Why</h2>" in html
    assert "<strong>helps</strong>" in html
    assert "About 1 minute to read" in text(html)


def test_it_shows_reading_time_for_long_pieces(client, make_resource):
    make_resource("long-read", body="word " * 980)  # with the title and summary, just under 1000
    assert "About 5 minutes to read" in text(client.get("/en/self-help/long-read/").content)


def test_the_page_speaks_the_address_language_and_marks_content_in_another(client, make_resource):
    make_resource("auf-deutsch", language="de")
    html = client.get("/en/self-help/auf-deutsch/").content.decode()
    assert '<html lang="en" dir="ltr">' in html
    assert '<article class="resource" lang="de" dir="ltr">' in html
    assert "This page is not yet available in English. Here it is in Deutsch." in text(html)


def test_it_warns_before_hard_content(client, make_resource):
    make_resource("hard", hard_content=True)
    make_resource("gentle")
    assert "Some readers may find this hard to read." in text(client.get("/en/self-help/hard/").content)
    assert "Some readers may find this hard to read." not in text(client.get("/en/self-help/gentle/").content)


def test_it_lists_only_published_related_reading(client, make_resource):
    resource = make_resource("talking-helps")
    shown = make_resource("next-steps", title="Next steps")
    hidden = make_resource("secret-draft", title="Secret draft", status=Status.DRAFT)
    resource.related.set([shown, hidden])
    page = text(client.get("/en/self-help/talking-helps/").content)
    assert "Related reading" in page
    assert "Next steps" in page
    assert "Secret draft" not in page


@pytest.mark.parametrize("status", [Status.DRAFT, Status.IN_REVIEW, Status.UNPUBLISHED])
def test_it_404s_content_that_is_not_published(client, make_resource, status):
    make_resource("hidden", status=status)
    assert client.get("/en/self-help/hidden/").status_code == 404


def test_it_404s_a_draft_even_for_an_editor(editor_client, make_resource):
    # Staff see unpublished content through the preview page only, never at its public address.
    make_resource("hidden", status=Status.DRAFT)
    assert editor_client.get("/en/self-help/hidden/").status_code == 404


def test_it_404s_content_scheduled_for_later(client, make_resource):
    make_resource("later", publish_at=timezone.now() + datetime.timedelta(minutes=5))
    assert client.get("/en/self-help/later/").status_code == 404


def test_it_404s_an_unknown_slug(client):
    assert client.get("/en/self-help/no-such-thing/").status_code == 404


def test_it_sets_no_cookies(client, make_resource):
    make_resource()
    assert_sets_no_cookies(client.get("/en/self-help/talking-helps/"))


def test_it_rejects_post(client, make_resource):
    make_resource()
    assert client.post("/en/self-help/talking-helps/").status_code == 405


def test_it_links_to_the_chat(client, make_resource):
    make_resource()
    hrefs = [e.attrs.get("href") for e in elements(client.get("/en/self-help/talking-helps/").content, "a")]
    assert "/en/chat/" in hrefs
