"""Per-view caching of public content pages.

Each cached page's key carries a *content generation* number; publishing or editing anything bumps
it, so readers see changes at once while unchanged pages are served from the cache (Redis in
production). Pages cached here must not depend on who is asking: they set no cookies.

Scheduled publishing changes what the public sees without anyone saving anything, so the time of
the next scheduled item is kept in the cache too, and the first request after it bumps the
generation. If that note is lost (a cache flush), pages still expire after CONTENT_CACHE_SECONDS.

In production the same pages are also answered before Django by resources.page_cache (an ASGI layer, one
Redis round trip per hit). This module is its contract: views marked `public_page` are the only ones
it asks Redis about, and a response is stored there only if the view wrapper below marked it with the
generation it was rendered under (STORE_HEADER), on requests the layer flagged (STORE_SCOPE). The
layer takes the mark off before anything is sent.

What the cache may hold is bounded, in both layers, because it shares Redis with the Celery broker and
the channel layer (settings: CONTENT_CACHE_SECONDS and the PUBLIC_PAGE_CACHE_* values):

- A page is cached under the query parameters it reads, declared with `cache_public_page(query=...)`,
  and no others: its view is given only those (page_query), and both layers key on only those. Every
  cached page today reads none, so ?utm_source=..., ?fbclid=... and junk all share one entry.
- A page larger than PUBLIC_PAGE_CACHE_MAX_PAGE_BYTES is never stored.
- Stored pages are counted in bytes per CONTENT_CACHE_SECONDS window (spend_page_budget); once
  PUBLIC_PAGE_CACHE_BUDGET_BYTES are spent, nothing more is stored until the next window. Pages are
  still answered, rendered each time. Entries live one window, so the cache never holds more than two
  windows' budgets, however many addresses, hosts or parameter values are asked for.
"""

from __future__ import annotations

import datetime
import functools
import time
from collections.abc import Callable, Sequence
from typing import Any, overload
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, QueryDict
from django.middleware.cache import CacheMiddleware
from django.utils import timezone
from django.utils.cache import patch_response_headers

from config.cache import CACHE_DOWN
from resources.models import GuidedModule, Resource

GENERATION_KEY = "content:generation"
NEXT_SCHEDULED_KEY = "content:next-scheduled"
# The contract with resources.page_cache (see the module docstring).
PUBLIC_PAGE_ATTRIBUTE = "public_page"
PUBLIC_PAGE_QUERY_ATTRIBUTE = "public_page_query"  # the query parameters the page reads
STORE_SCOPE = "helpline.public_page_cache"
STORE_HEADER = "X-Helpline-Public-Page-Generation"
# The bytes stored in each window are counted under this prefix and the window's number.
BUDGET_KEY_PREFIX = "page-cache-budget:"
# A declared parameter's values make keys; longer than this, a request is answered but not cached.
MAX_QUERY_CHARS = 256

View = Callable[..., HttpResponse]


def content_generation() -> int:
    _bump_if_scheduled_content_is_due()
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, 1, timeout=None)
        generation = cache.get(GENERATION_KEY, 1)
    return int(generation)


def bump_content_generation() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 2, timeout=None)


def schedule_generation_bump(when: datetime.datetime) -> None:
    """Remember that public pages change at `when` (keeping the earliest such time)."""
    stamp = when.timestamp()
    current = cache.get(NEXT_SCHEDULED_KEY)
    if current is None or stamp < current:
        cache.set(NEXT_SCHEDULED_KEY, stamp, timeout=None)


def _bump_if_scheduled_content_is_due() -> None:
    due = cache.get(NEXT_SCHEDULED_KEY)
    if due is None or due > timezone.now().timestamp():
        return
    # Only the one request whose delete succeeds bumps; the others go on with the new generation.
    if cache.delete(NEXT_SCHEDULED_KEY):
        bump_content_generation()
        for model in (Resource, GuidedModule):
            upcoming = model.objects.scheduled().order_by("publish_at").values_list("publish_at", flat=True)
            first = upcoming.first()
            if first is not None:
                schedule_generation_bump(first)


def page_query(query_string: str, names: Sequence[str], limit: int | None = MAX_QUERY_CHARS) -> str | None:
    """The part of a query string a page reads, in one form whatever the order it came in: only the
    parameters in `names`, sorted by name (repeated values keep their order). None if that is longer
    than `limit`: too long to be worth a key."""
    if not names:
        return ""
    kept = sorted(
        ((name, value) for name, value in parse_qsl(query_string, keep_blank_values=True) if name in names),
        key=lambda pair: pair[0],
    )
    normal = urlencode(kept)
    return None if limit is not None and len(normal) > limit else normal


def budget_key(now: float | None = None) -> str:
    window = int(time.time() if now is None else now) // max(1, int(settings.CONTENT_CACHE_SECONDS))
    return f"{BUDGET_KEY_PREFIX}{window}"


def budget_seconds() -> int:
    """How long a window's count is kept: past the window's end, while its pages can still be alive."""
    return 2 * max(1, int(settings.CONTENT_CACHE_SECONDS))


def spend_page_budget(size: int) -> bool:
    """Count a page of `size` bytes about to be stored against this window's budget: True if it may be
    stored. resources.page_cache counts its own stores into the same key."""
    if size > settings.PUBLIC_PAGE_CACHE_MAX_PAGE_BYTES:
        return False
    key = budget_key()
    cache.add(key, 0, timeout=budget_seconds())
    try:
        spent = cache.incr(key, size)
    except ValueError:  # the count expired between the two calls: this is the window's first page
        cache.set(key, size, timeout=budget_seconds())
        spent = size
    return int(spent) <= settings.PUBLIC_PAGE_CACHE_BUDGET_BYTES


class _BoundedCacheMiddleware(CacheMiddleware):
    """Django's per-view cache, storing a page only if it fits the size limit and this window's budget.
    A page that does not fit is sent with the same caching headers, and simply not kept."""

    def process_response(self, request: HttpRequest, response: Any) -> Any:
        own: Any = self  # django-stubs does not declare these attributes of Django's cache middleware
        if (
            isinstance(response, HttpResponse)
            and own._should_update_cache(request, response)
            and response.status_code == 200
            and "private" not in response.get("Cache-Control", "")
            and not spend_page_budget(len(response.content))
        ):
            own_request: Any = request
            own_request._cache_update_cache = False  # Django's own flag: do not store this one
            patch_response_headers(response, own.page_timeout)
        return super().process_response(request, response)


def _keep_only_declared_parameters(request: HttpRequest, names: Sequence[str]) -> bool:
    """Give the view only the parameters its page declared, so that it cannot depend on any other (and
    the cache's key, built from the request, holds no other). True if the result is short enough to
    be cached."""
    normal = page_query(request.META.get("QUERY_STRING", ""), names, limit=None) or ""
    request.META["QUERY_STRING"] = normal
    request.GET = QueryDict(normal)
    return len(normal) <= MAX_QUERY_CHARS


@overload
def cache_public_page(view: View) -> View: ...
@overload
def cache_public_page(*, query: Sequence[str] = ()) -> Callable[[View], View]: ...
def cache_public_page(view: View | None = None, *, query: Sequence[str] = ()) -> Any:
    """Cache a public page per content generation, keyed on the query parameters in `query` only.

    `@cache_public_page` for a page that reads no parameters; `@cache_public_page(query=("page",))`
    for one that reads ?page=. See the module docstring for what else bounds the cache."""
    names = tuple(query)

    def decorate(view: View) -> View:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not _keep_only_declared_parameters(request, names):
                return view(request, *args, **kwargs)
            try:
                # Read before rendering, so a page is never labelled newer than the content it shows.
                generation = content_generation()
                middleware = _BoundedCacheMiddleware(
                    lambda req: view(req, *args, **kwargs),
                    page_timeout=settings.CONTENT_CACHE_SECONDS,
                    key_prefix=f"page:{generation}",
                )
                response: HttpResponse = middleware(request)  # type: ignore[assignment]  # sync view
            except CACHE_DOWN:
                # Redis cannot be reached: the page itself, uncached (a GET, so drawing it again is safe).
                return view(request, *args, **kwargs)
            scope = getattr(request, "scope", None)
            if scope is not None and scope.get(STORE_SCOPE):
                response[STORE_HEADER] = str(generation)
            return response

        setattr(wrapped, PUBLIC_PAGE_ATTRIBUTE, True)
        setattr(wrapped, PUBLIC_PAGE_QUERY_ATTRIBUTE, names)
        return wrapped

    return decorate(view) if view is not None else decorate
