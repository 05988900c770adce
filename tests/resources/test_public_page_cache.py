"""Cached public pages are answered before Django (resources.page_cache), through the real ASGI application.

Every request here goes through config.asgi.application, as uvicorn sends it, on PostgreSQL and Redis.
Whether Django handled a request is counted with Django's `request_started` signal: a page served by
the front cache never starts a Django request.

The application's sync code runs on this test's thread (async_to_sync), so it shares the test's
database transaction; as Django's test client does, the request signals do not close that connection.
"""

from __future__ import annotations

import asyncio
import datetime
import os
import subprocess
import sys
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from asgiref.sync import async_to_sync
from django.conf.urls.i18n import i18n_patterns
from django.core.cache import caches
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.test import Client
from django.urls import path
from django.utils import timezone

from config import urls as config_urls
from config.asgi import application, public_page_cache
from helpline.campaigns import measures
from helpline.models import Campaign, DailyCount
from resources import actions, caching
from resources.models import Status
from tests.conftest import CANARY_ADDRESS, CANARY_USER_AGENT
from tests.resources.pages import text

pytestmark = pytest.mark.django_db

PAGE = "/en/self-help/talking-helps/"
SECURITY_HEADERS = [
    "content-security-policy",
    "permissions-policy",
    "referrer-policy",
    "x-content-type-options",
    "x-frame-options",
    "cross-origin-resource-policy",
    "cross-origin-opener-policy",
]


@dataclass
class Response:
    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes

    def header(self, name: str) -> str | None:
        found = [v.decode("latin-1") for k, v in self.headers if k.decode("latin-1").lower() == name]
        return ", ".join(found) if found else None

    def header_dict(self) -> dict[str, str]:
        return {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in self.headers}


async def _call(method: str, url: str, headers: list[tuple[bytes, bytes]]) -> Response:
    target, _, query = url.partition("?")
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": target,
        "raw_path": target.encode(),
        "query_string": query.encode(),
        "root_path": "",
        "headers": headers,
        "client": (CANARY_ADDRESS, 50123),
        "server": ("127.0.0.1", 8000),
    }
    sent: list[dict] = []
    asked = False

    async def receive() -> dict:
        nonlocal asked
        if not asked:
            asked = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await asyncio.Future()  # the client stays connected
        raise AssertionError

    async def send(message: dict) -> None:
        sent.append(message)

    try:
        await application(scope, receive, send)
    finally:
        if public_page_cache is not None:
            await public_page_cache.aclose()  # this event loop ends with the call
    start = sent[0]
    body = b"".join(m.get("body", b"") for m in sent[1:])
    return Response(start["status"], list(start["headers"]), body)


def request(
    url: str,
    *,
    method: str = "GET",
    host: str = "testserver",
    cookie: str | None = None,
    headers: list[tuple[bytes, bytes]] | None = None,
) -> Response:
    """One request as uvicorn would pass it, from a browser that identifies itself (the canary)."""
    sent_headers = [(b"host", host.encode())] if host else []
    sent_headers += [
        (b"user-agent", CANARY_USER_AGENT.encode()),
        (b"x-forwarded-for", CANARY_ADDRESS.encode()),
        (b"accept-encoding", b"gzip, br"),
    ]
    if cookie:
        sent_headers.append((b"cookie", cookie.encode()))
    sent_headers += headers or []
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        return async_to_sync(_call)(method, url, sent_headers)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


class DjangoRequests:
    """How many requests reached Django."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, **kwargs: object) -> None:
        self.count += 1


@pytest.fixture
def django_requests() -> Iterator[DjangoRequests]:
    counter = DjangoRequests()
    request_started.connect(counter)
    yield counter
    request_started.disconnect(counter)


@pytest.fixture(autouse=True)
def _layer_is_on():
    assert public_page_cache is not None, "the tests run on Redis, where the front cache is on"


@pytest.fixture
def article(make_resource):
    return make_resource("talking-helps", title="Talking helps")


def served_by_front_cache(url: str, django_requests: DjangoRequests, **kwargs: object) -> Response:
    before = django_requests.count
    response = request(url, **kwargs)  # type: ignore[arg-type]
    assert django_requests.count == before, f"{url} went to Django"
    return response


def served_by_django(url: str, django_requests: DjangoRequests, **kwargs: object) -> Response:
    before = django_requests.count
    response = request(url, **kwargs)  # type: ignore[arg-type]
    assert django_requests.count == before + 1, f"{url} did not go to Django"
    return response


# --- hits ---------------------------------------------------------------------------------------


def test_the_second_reader_gets_the_same_page_without_django(article, django_requests):
    first = served_by_django(PAGE, django_requests)
    assert first.status == 200
    assert "Talking helps" in text(first.body)

    second = served_by_front_cache(PAGE, django_requests)
    assert second.status == 200
    assert second.body == first.body
    for name in SECURITY_HEADERS:
        assert second.header(name) == first.header(name) is not None, name
    # Exactly the headers Django sent, plus Age as Django's own cache adds on a hit; the layer's
    # private mark never leaves the server.
    replayed = second.header_dict()
    assert int(replayed.pop("age")) >= 0
    assert replayed == first.header_dict()
    assert caching.STORE_HEADER.lower() not in first.header_dict()


def test_a_query_string_the_page_does_not_read_shares_its_entry(article, django_requests):
    # An article reads no parameter: ?from=home is the same page, not a new copy in Redis (issue 12
    # point 8; tests/config/test_cache_query_strings.py has the rest).
    request(PAGE, headers=[])
    served_by_front_cache(PAGE, django_requests)
    assert served_by_front_cache(PAGE + "?from=home", django_requests).status == 200


def test_head_is_answered_from_the_cache_with_no_body(article, django_requests):
    page = request(PAGE)
    head = served_by_front_cache(PAGE, django_requests, method="HEAD")
    assert head.status == 200
    assert head.body == b""
    assert head.header("content-length") == str(len(page.body))
    assert head.header("content-security-policy") == page.header("content-security-policy")


# --- changes show at once -----------------------------------------------------------------------


def test_publishing_shows_on_the_next_request(
    editor, reviewer, make_resource, article, django_requests, django_capture_on_commit_callbacks
):
    draft = make_resource("new-piece", title="New piece", status=Status.DRAFT)
    request("/en/self-help/")
    listing = served_by_front_cache("/en/self-help/", django_requests)
    assert "New piece" not in text(listing.body)

    with django_capture_on_commit_callbacks(execute=True):
        actions.do_submit_for_review(draft, editor)
        actions.do_publish(draft, reviewer)

    assert "New piece" in text(served_by_django("/en/self-help/", django_requests).body)
    assert request("/en/self-help/new-piece/").status == 200


def test_an_edit_shows_on_the_next_request(
    django_user_model, article, django_requests, django_capture_on_commit_callbacks
):
    admin = django_user_model.objects.create_superuser("ada", password="a-long-test-password")
    request(PAGE)
    served_by_front_cache(PAGE, django_requests)

    article.title = "Talking helps, and here is how"
    article.save()
    with django_capture_on_commit_callbacks(execute=True):
        actions.do_save_content(article, admin, ["title"], created=False)

    assert "Talking helps, and here is how" in text(served_by_django(PAGE, django_requests).body)
    assert "Talking helps, and here is how" in text(served_by_front_cache(PAGE, django_requests).body)


def test_unpublishing_hides_on_the_next_request(
    reviewer, article, django_requests, django_capture_on_commit_callbacks
):
    request(PAGE)
    served_by_front_cache(PAGE, django_requests)
    with django_capture_on_commit_callbacks(execute=True):
        actions.do_unpublish(article, reviewer)
    assert served_by_django(PAGE, django_requests).status == 404


def test_a_scheduled_item_appears_when_it_is_due(
    editor, reviewer, make_resource, article, monkeypatch, django_requests, django_capture_on_commit_callbacks
):
    scheduled = make_resource("scheduled", title="Scheduled piece", status=Status.DRAFT)
    scheduled.publish_at = timezone.now() + datetime.timedelta(hours=1)
    scheduled.save()
    with django_capture_on_commit_callbacks(execute=True):
        actions.do_submit_for_review(scheduled, editor)
        actions.do_publish(scheduled, reviewer)
    request("/en/self-help/")
    assert "Scheduled piece" not in text(served_by_front_cache("/en/self-help/", django_requests).body)

    later = timezone.now() + datetime.timedelta(hours=1, minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert "Scheduled piece" in text(served_by_django("/en/self-help/", django_requests).body)
    # Django bumped the generation on that request; the new page is cached again.
    assert "Scheduled piece" in text(served_by_front_cache("/en/self-help/", django_requests).body)


def test_a_page_from_an_older_generation_is_never_served(article, django_requests):
    request(PAGE)
    served_by_front_cache(PAGE, django_requests)
    caching.bump_content_generation()
    served_by_django(PAGE, django_requests)


# --- what is never stored -----------------------------------------------------------------------


def _public_page(content: str, **headers: str) -> Callable[[HttpRequest], HttpResponse]:
    """A view marked like the site's public pages, answering with these headers."""

    @caching.cache_public_page
    def view(request: HttpRequest) -> HttpResponse:
        response = HttpResponse(content)
        for name, value in headers.items():
            response[name.replace("_", "-")] = value
        return response

    return view


@caching.cache_public_page
def _sets_a_cookie(request: HttpRequest) -> HttpResponse:
    response = HttpResponse("a page that sets a cookie")
    response.set_cookie("flavour", "oat")
    return response


async def _chunks() -> AsyncIterator[bytes]:
    yield b"a streamed "
    yield b"page"


@caching.cache_public_page  # type: ignore[arg-type]  # the wrapper is declared for plain responses
def _streams(request: HttpRequest) -> StreamingHttpResponse:
    return StreamingHttpResponse(_chunks())


@caching.cache_public_page
def _missing(request: HttpRequest) -> HttpResponse:
    raise Http404


@caching.cache_public_page
def _teapot(request: HttpRequest) -> HttpResponse:
    return HttpResponse("not a 200", status=418)


# Under the language prefix like every public page (unprefixed ones vary on Accept-Language).
urlpatterns = [
    *i18n_patterns(
        path("test-pages/plain/", _public_page("a plain public page")),
        path("test-pages/cookie/", _sets_a_cookie),
        path("test-pages/private/", _public_page("a private page", Cache_Control="private")),
        path("test-pages/no-store/", _public_page("a page not to keep", Cache_Control="no-store")),
        path("test-pages/vary/", _public_page("a page that varies", Vary="Accept-Language")),
        path("test-pages/stream/", _streams),
        path("test-pages/missing/", _missing),
        path("test-pages/teapot/", _teapot),
    ),
    *config_urls.urlpatterns,
]


@pytest.fixture
def test_pages(settings):
    settings.ROOT_URLCONF = __name__


def test_a_plain_public_page_is_stored(test_pages, django_requests):
    # The control for the test below: the same kind of view, answering plainly, is stored.
    request("/en/test-pages/plain/")
    assert served_by_front_cache("/en/test-pages/plain/", django_requests).body == b"a plain public page"


@pytest.mark.parametrize("kind", ["cookie", "private", "no-store", "vary", "stream", "missing", "teapot"])
def test_a_response_that_must_not_be_shared_is_never_stored(test_pages, django_requests, kind):
    request("/en/test-pages/plain/")
    served_by_front_cache("/en/test-pages/plain/", django_requests)

    first = served_by_django(f"/en/test-pages/{kind}/", django_requests)
    again = served_by_django(f"/en/test-pages/{kind}/", django_requests)
    assert again.status == first.status
    if kind == "cookie":
        assert again.header("set-cookie") is not None  # Django's own cache sent it; we did not


def test_a_missing_resource_page_is_never_stored(article, django_requests):
    request(PAGE)
    served_by_front_cache(PAGE, django_requests)
    assert served_by_django("/en/self-help/no-such-page/", django_requests).status == 404
    assert served_by_django("/en/self-help/no-such-page/", django_requests).status == 404


# --- the Host header ----------------------------------------------------------------------------


def test_an_unknown_host_gets_djangos_400_and_never_the_cached_page(article, django_requests):
    request(PAGE)
    served_by_front_cache(PAGE, django_requests)

    for _ in range(2):
        refused = served_by_django(PAGE, django_requests, host="evil.example")
        assert refused.status == 400
        assert b"Talking helps" not in refused.body
    # Nor with the allowed host and a forged one side by side.
    doubled = served_by_django(PAGE, django_requests, headers=[(b"host", b"evil.example")])
    assert doubled.status == 400
    # The allowed host is still served its own page.
    assert b"Talking helps" in served_by_front_cache(PAGE, django_requests).body


def test_a_page_asked_for_under_an_unknown_host_first_is_not_stored(article, django_requests):
    assert served_by_django(PAGE, django_requests, host="evil.example").status == 400
    assert served_by_django(PAGE, django_requests, host="evil.example").status == 400
    assert served_by_django(PAGE, django_requests).status == 200
    assert served_by_front_cache(PAGE, django_requests).status == 200


def test_each_allowed_host_has_its_own_entry(article, django_requests):
    request(PAGE)
    served_by_front_cache(PAGE, django_requests)
    served_by_django(PAGE, django_requests, host="localhost")
    served_by_front_cache(PAGE, django_requests, host="localhost")


# --- pages that are never cached ----------------------------------------------------------------


def _session_cookie(client: Client) -> str:
    return f"sessionid={client.cookies['sessionid'].value}"


def test_staff_preview_pages_are_never_cached(editor_client, make_resource, article, django_requests):
    request(PAGE)
    served_by_front_cache(PAGE, django_requests)
    draft = make_resource("in-progress", title="Work in progress", status=Status.DRAFT)
    preview = f"/en/self-help/preview/resource/{draft.pk}/"
    cookie = _session_cookie(editor_client)
    for _ in range(2):
        page = served_by_django(preview, django_requests, cookie=cookie)
        assert page.status == 200
        assert "Work in progress" in text(page.body)
        assert "no-store" in (page.header("cache-control") or "")
    # Without the session, the same address is a 404 every time, never the cached preview.
    for _ in range(2):
        assert served_by_django(preview, django_requests).status == 404


def test_chat_pages_are_never_cached(article, django_requests):
    request(PAGE)
    served_by_front_cache(PAGE, django_requests)
    for _ in range(2):
        chat = served_by_django("/en/chat/", django_requests)
        assert chat.status == 200
        assert "no-store" in (chat.header("cache-control") or "")


def test_signed_in_staff_reading_public_pages_keep_their_session_alive(
    editor_client, article, django_requests
):
    request(PAGE)
    served_by_front_cache(PAGE, django_requests)
    cookie = _session_cookie(editor_client)
    for _ in range(2):
        page = served_by_django(PAGE, django_requests, cookie=cookie)
        assert page.status == 200
        assert "sessionid=" in (page.header("set-cookie") or "")  # the idle timer starts again


# --- privacy ------------------------------------------------------------------------------------


def test_nothing_stored_holds_the_client_address_or_browser(article, django_requests):
    request(PAGE)
    request(PAGE + "?from=home", method="HEAD")
    request("/en/self-help/")
    served_by_front_cache(PAGE, django_requests)

    redis = caches["default"]._cache.get_client()  # type: ignore[attr-defined]
    keys = list(redis.scan_iter("*"))
    assert any(b"public-page:" in key for key in keys)  # the front cache did store pages
    for key in keys:
        value = redis.get(key) if redis.type(key) == b"string" else None
        stored = key + (value or b"")
        assert CANARY_ADDRESS.encode() not in stored, key
        assert CANARY_USER_AGENT.encode() not in stored, key
        assert b"CanaryBrowser" not in stored, key


# --- embedded mode ------------------------------------------------------------------------------


def test_the_embedded_site_leaves_the_layer_off():
    """No Redis: Django's per-view cache (in process) serves the pages, as before."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    script = "import config.asgi as a; print(a.public_page_cache, a.application is not None)"
    out = subprocess.run(
        [sys.executable, "-c", script],
        cwd=Path(__file__).resolve().parents[2],
        env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout.split()
    assert out == ["None", "True"]


def test_a_visit_through_a_partners_link_reaches_django_so_its_pages_are_counted(article, django_requests):
    campaign = Campaign.objects.create(partner="Search warning", channel="search_warning")
    request(PAGE)
    served_by_front_cache(PAGE, django_requests)  # everyone else: answered before Django
    for _ in range(2):
        page = served_by_django(PAGE, django_requests, cookie=f"campaign={campaign.code}")
        assert page.status == 200
    counted = DailyCount.objects.filter(name=measures.counter_name(campaign.pk, measures.PAGES))
    assert sum(counted.values_list("value", flat=True)) == 2
