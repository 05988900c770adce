"""Public pages are cached, set no cookies, and change as soon as content does."""

import datetime

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from resources import actions, caching
from resources.models import Resource, Status
from tests.resources.pages import assert_sets_no_cookies, text

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = [
    "/en/",
    "/en/browse-safely/",
    "/en/self-help/",
    "/en/self-help/topics/getting-support/",
    "/en/self-help/talking-helps/",
    "/en/modules/",
    "/en/modules/making-a-plan/",
]


@pytest.fixture
def library(make_resource, make_module):
    make_resource("talking-helps", title="Talking helps")
    make_module()


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_content_pages_set_no_cookies_and_are_cacheable(client, library, path):
    response = client.get(path)
    assert response.status_code == 200
    assert_sets_no_cookies(response)
    assert "max-age=" in response["Cache-Control"]
    assert "Cookie" not in response.get("Vary", "")


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_content_pages_set_no_cookies_for_a_returning_staff_member_either(editor_client, library, path):
    # The logged-in staff member's own session cookie is refreshed by the session middleware,
    # but the cached page itself must not carry one to the next (anonymous) reader.
    editor_client.get(path)
    assert_sets_no_cookies(Client().get(path))


def test_a_page_is_served_from_the_cache(client, make_resource, django_assert_num_queries):
    make_resource("talking-helps", title="Talking helps")
    client.get("/en/self-help/")
    with django_assert_num_queries(0):
        response = client.get("/en/self-help/")
    assert "Talking helps" in text(response.content)


def test_an_edit_without_invalidation_would_be_stale(client, make_resource):
    # Shows the cache is real: a change behind the workflow's back is not seen until the generation moves.
    resource = make_resource("talking-helps", title="Talking helps")
    client.get("/en/self-help/")
    Resource.objects.filter(pk=resource.pk).update(title="Changed quietly")
    assert "Changed quietly" not in text(client.get("/en/self-help/").content)
    caching.bump_content_generation()
    assert "Changed quietly" in text(client.get("/en/self-help/").content)


def test_publishing_shows_at_once(
    client, editor, reviewer, make_resource, django_capture_on_commit_callbacks
):
    draft = make_resource("new-piece", title="New piece", status=Status.DRAFT)
    assert "New piece" not in text(client.get("/en/self-help/").content)
    with django_capture_on_commit_callbacks(execute=True):
        actions.do_submit_for_review(draft, editor)
        actions.do_publish(draft, reviewer)
    assert "New piece" in text(client.get("/en/self-help/").content)
    assert client.get("/en/self-help/new-piece/").status_code == 200


def test_unpublishing_hides_at_once(client, reviewer, make_resource, django_capture_on_commit_callbacks):
    live = make_resource("live", title="Live piece")
    assert "Live piece" in text(client.get("/en/self-help/").content)
    with django_capture_on_commit_callbacks(execute=True):
        actions.do_unpublish(live, reviewer)
    assert "Live piece" not in text(client.get("/en/self-help/").content)
    assert client.get("/en/self-help/live/").status_code == 404


def test_a_change_that_rolls_back_does_not_invalidate(
    reviewer, make_resource, django_capture_on_commit_callbacks
):
    live = make_resource("live")
    before = caching.content_generation()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        actions.do_unpublish(live, reviewer)
    assert callbacks  # the bump waits for the commit
    assert caching.content_generation() == before


def test_scheduled_content_appears_when_its_time_comes(
    client, editor, reviewer, make_resource, monkeypatch, django_capture_on_commit_callbacks
):
    draft = make_resource("scheduled", title="Scheduled piece", status=Status.DRAFT)
    draft.publish_at = timezone.now() + datetime.timedelta(hours=1)
    draft.save()
    with django_capture_on_commit_callbacks(execute=True):
        actions.do_submit_for_review(draft, editor)
        actions.do_publish(draft, reviewer)
    assert "Scheduled piece" not in text(client.get("/en/self-help/").content)
    assert client.get("/en/self-help/scheduled/").status_code == 404

    later = timezone.now() + datetime.timedelta(hours=1, minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert "Scheduled piece" in text(client.get("/en/self-help/").content)
    assert client.get("/en/self-help/scheduled/").status_code == 200


def test_the_next_scheduled_time_is_kept_after_one_goes_live(
    editor, reviewer, make_resource, monkeypatch, django_capture_on_commit_callbacks
):
    now = timezone.now()
    for slug, hours in (("first", 1), ("second", 3)):
        item = make_resource(slug, status=Status.IN_REVIEW, publish_at=now + datetime.timedelta(hours=hours))
        with django_capture_on_commit_callbacks(execute=True):
            actions.do_publish(item, reviewer)
    monkeypatch.setattr(timezone, "now", lambda: now + datetime.timedelta(hours=2))
    generation = caching.content_generation()
    assert generation == caching.content_generation()  # bumped once, not on every request
    assert cache.get(caching.NEXT_SCHEDULED_KEY) == pytest.approx(
        (now + datetime.timedelta(hours=3)).timestamp()
    )


def test_editing_a_category_invalidates(client, editor, make_resource, django_capture_on_commit_callbacks):
    resource = make_resource()
    client.get("/en/self-help/")
    category = resource.category
    category.name = "Finding support"
    with django_capture_on_commit_callbacks(execute=True):
        actions.do_save_category(category, editor, created=False)
    assert "Finding support" in text(client.get("/en/self-help/").content)
