"""A query string nobody reads costs nothing in Redis (issue 12, point 8).

Every anonymous request with a new query string used to store its own copy of a public page (~14 KB,
for CONTENT_CACHE_SECONDS) in the Redis that also carries the Celery broker and the channel layer:
2,000 requests with ?utm_x=1..2000 stored 28 MB. Now a page is cached under the query parameters it
reads (none, for every cached page today), and what the cache may store is bounded (a size limit per
page and a byte budget per CONTENT_CACHE_SECONDS window).

Requests go through the real ASGI application (resources.page_cache in front of Django) on PostgreSQL and
Redis, with tests/resources/test_public_page_cache.py's request helper. The cost is measured with the
Redis client: the cache's keys and their MEMORY USAGE, before and after.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.conf.urls.i18n import i18n_patterns
from django.core.cache import caches
from django.core.signals import request_started
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import path

from config import urls as config_urls
from config.asgi import public_page_cache
from resources import caching
from resources.demo import load_demo_content
from resources.models import Exercise
from tests.resources.pages import text
from tests.resources.test_public_page_cache import request

pytestmark = pytest.mark.django_db

ARTICLE = "/en/self-help/thoughts-are-not-actions/"
ARTICLE_TITLE = "Thoughts are not actions"
MAX_NEW_KEYS = 5
MAX_NEW_BYTES = 100_000


@dataclass(frozen=True)
class Footprint:
    keys: int
    bytes: int

    def grew_by(self, before: Footprint) -> Footprint:
        return Footprint(self.keys - before.keys, self.bytes - before.bytes)


def footprint() -> Footprint:
    """The cache's keys in Redis and what they take (MEMORY USAGE: value, key and overhead)."""
    cache = caches["default"]
    client = cache._cache.get_client(None, write=True)  # type: ignore[attr-defined]
    keys = list(client.scan_iter(match=cache.make_key("*"), count=1000))
    return Footprint(len(keys), sum(client.memory_usage(key) or 0 for key in keys))


def page_keys() -> list[bytes]:
    """Stored pages: the front cache's and Django's per-view cache's (not the budget's counter)."""
    cache = caches["default"]
    client = cache._cache.get_client(None, write=True)  # type: ignore[attr-defined]
    prefixes = (b"public-page:", b"views.decorators.cache.")
    return [
        key
        for key in client.scan_iter(match=cache.make_key("*"), count=1000)
        if any(p in key for p in prefixes)
    ]


class DjangoRequests:
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


@pytest.fixture
def library() -> None:
    assert public_page_cache is not None, "these tests run on Redis, where the front cache is on"
    load_demo_content()


@pytest.fixture
def generous_search_limit(settings) -> None:
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "search": "100000/m"}


def test_two_thousand_junk_query_strings_store_the_page_once(library, django_requests):
    first = request(ARTICLE)
    assert first.status == 200 and ARTICLE_TITLE in text(first.body)
    before = footprint()
    reached_django = django_requests.count

    for n in range(2000):
        answer = request(f"{ARTICLE}?utm_x={n}")
        assert answer.status == 200
        if n % 500 == 0:
            assert answer.body == first.body, "the same page, whatever rides along"

    grew = footprint().grew_by(before)
    assert grew.keys <= MAX_NEW_KEYS, f"{grew.keys} new keys in Redis"
    assert grew.bytes < MAX_NEW_BYTES, f"{grew.bytes} more bytes in Redis"
    assert django_requests.count == reached_django, "every one was answered from the one cached copy"


def test_no_public_page_keeps_a_copy_per_query_string(library, django_requests, generous_search_limit):
    plan = Exercise.objects.filter(kind=Exercise.Kind.PLAN, step__module__slug="making-a-plan").first()
    assert plan is not None
    pages = [
        "/en/",
        "/en/browse-safely/",
        "/en/self-help/",
        "/en/self-help/topics/worried-about-someone-else/",
        ARTICLE,
        "/en/modules/",
        "/en/modules/making-a-plan/",
        f"/en/modules/making-a-plan/exercises/{plan.pk}/print/",
        "/en/search/?q=shame",
    ]
    for page in pages:
        request(page)
    before = footprint()

    for page in pages:
        joiner = "&" if "?" in page else "?"
        for n in range(200):
            assert request(f"{page}{joiner}fbclid={n}&ref=x{n}").status == 200, page

    grew = footprint().grew_by(before)
    assert grew.keys <= MAX_NEW_KEYS, f"{grew.keys} new keys in Redis"
    assert grew.bytes < MAX_NEW_BYTES, f"{grew.bytes} more bytes in Redis"

    # Each page still answers for what it was asked.
    shame = text(request("/en/search/?q=shame&utm_source=x1").body)
    assert "Coping with shame and difficult feelings" in shame
    online = text(request("/en/search/?utm_source=x2&q=internet").body)
    assert "Taking control of your internet use" in online
    assert "Coping with shame and difficult feelings" not in online
    assert ARTICLE_TITLE in text(request(ARTICLE + "?utm_source=x3").body)


def test_the_per_view_cache_behind_the_front_one_is_keyed_the_same_way(library, client: Client):
    """Staff (with a session) and the embedded site reach the per-view cache in Django directly."""
    client.get(ARTICLE)
    before = footprint()
    for n in range(300):
        response = client.get(ARTICLE, {"utm_campaign": str(n)})
        assert response.status_code == 200
    grew = footprint().grew_by(before)
    assert grew.keys <= MAX_NEW_KEYS and grew.bytes < MAX_NEW_BYTES, grew


# --- a page that reads a parameter is cached per value of that parameter only --------------------


def _numbered(request: HttpRequest) -> HttpResponse:
    # What the view is given: only the parameters it declared.
    seen = ",".join(f"{name}={value}" for name, value in sorted(request.GET.items()))
    return HttpResponse(f"numbered list [{seen}] at {request.get_full_path()}")


urlpatterns: list[object] = []


@pytest.fixture
def numbered_page(settings) -> Iterator[None]:
    """A list page that reads ?page=, served from this module's URLs."""
    view = caching.cache_public_page(query=("page",))(_numbered)
    urlpatterns[:] = [*i18n_patterns(path("test-pages/numbered/", view)), *config_urls.urlpatterns]
    settings.ROOT_URLCONF = __name__
    yield
    urlpatterns.clear()


def test_a_page_is_cached_per_value_of_the_parameters_it_reads(numbered_page, django_requests):
    page_two = request("/en/test-pages/numbered/?page=2&utm_x=1")
    assert page_two.body == b"numbered list [page=2] at /en/test-pages/numbered/?page=2"

    before = django_requests.count
    again = request("/en/test-pages/numbered/?utm_x=2&page=2&fbclid=abc")
    assert again.body == page_two.body
    assert django_requests.count == before, "the same page 2, from the cache"

    page_three = request("/en/test-pages/numbered/?page=3&utm_x=1")
    assert page_three.body == b"numbered list [page=3] at /en/test-pages/numbered/?page=3"
    assert django_requests.count == before + 1
    plain = request("/en/test-pages/numbered/?utm_x=9")
    assert plain.body == b"numbered list [] at /en/test-pages/numbered/"


def test_only_the_parameters_a_page_declares_make_its_key():
    assert caching.page_query("utm_x=1&page=2&fbclid=z", ("page",)) == "page=2"
    assert caching.page_query("b=2&a=1&c=3", ("b", "a")) == "a=1&b=2"
    assert caching.page_query("utm_x=1", ()) == ""
    assert caching.page_query("page=" + "9" * 5000, ("page",)) is None, "too long to be worth a key"


# --- what the cache may hold is bounded ----------------------------------------------------------


def test_the_cache_stops_storing_pages_once_its_budget_is_spent(library, settings, django_requests):
    settings.PUBLIC_PAGE_CACHE_BUDGET_BYTES = 8_000  # about one page's worth in each window
    pages = [
        "/en/",
        "/en/self-help/",
        "/en/modules/",
        "/en/browse-safely/",
        ARTICLE,
        "/en/self-help/coping-with-shame/",
    ]
    first = {page: request(page) for page in pages}
    assert all(answer.status == 200 for answer in first.values())

    stored = sum(len(answer.body) for answer in first.values())
    assert stored > 2 * settings.PUBLIC_PAGE_CACHE_BUDGET_BYTES, "the test asks for more than the budget"
    assert footprint().bytes < 2 * settings.PUBLIC_PAGE_CACHE_BUDGET_BYTES

    # Pages over the budget are still answered in full, by Django, each time.
    before = django_requests.count
    again = {page: request(page) for page in pages}
    assert all(again[page].body == first[page].body for page in pages)
    assert django_requests.count > before, "some pages were not stored"


def test_a_page_larger_than_the_limit_is_never_stored(library, settings, django_requests):
    settings.PUBLIC_PAGE_CACHE_MAX_PAGE_BYTES = 1_000
    assert request(ARTICLE).status == 200
    assert page_keys() == []
    before = django_requests.count
    assert ARTICLE_TITLE in text(request(ARTICLE).body)
    assert django_requests.count == before + 1
