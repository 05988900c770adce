"""Per-view caching of public content pages.

Each cached page's key carries a *content generation* number; publishing or editing anything bumps
it, so readers see changes at once while unchanged pages are served from the cache (Redis in
production). Pages cached here must not depend on who is asking: they set no cookies.

Scheduled publishing changes what the public sees without anyone saving anything, so the time of
the next scheduled item is kept in the cache too, and the first request after it bumps the
generation. If that note is lost (a cache flush), pages still expire after CONTENT_CACHE_SECONDS.

In production the same pages are also answered before Django by config.pagecache (an ASGI layer, one
Redis round trip per hit). This module is its contract: views marked `public_page` are the only ones
it asks Redis about, and a response is stored there only if the view wrapper below marked it with the
generation it was rendered under (STORE_HEADER), on requests the layer flagged (STORE_SCOPE). The
layer takes the mark off before anything is sent.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.cache import CacheMiddleware
from django.utils import timezone

from resources.models import GuidedModule, Resource

GENERATION_KEY = "content:generation"
NEXT_SCHEDULED_KEY = "content:next-scheduled"
# The contract with config.pagecache (see the module docstring).
PUBLIC_PAGE_ATTRIBUTE = "public_page"
STORE_SCOPE = "helpline.public_page_cache"
STORE_HEADER = "X-Helpline-Public-Page-Generation"

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


def cache_public_page(view: View) -> View:
    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # Read before rendering, so a page is never labelled newer than the content it shows.
        generation = content_generation()
        middleware = CacheMiddleware(
            lambda req: view(req, *args, **kwargs),
            page_timeout=settings.CONTENT_CACHE_SECONDS,
            key_prefix=f"page:{generation}",
        )
        response: HttpResponse = middleware(request)  # type: ignore[assignment]  # sync view
        scope = getattr(request, "scope", None)
        if scope is not None and scope.get(STORE_SCOPE):
            response[STORE_HEADER] = str(generation)
        return response

    setattr(wrapped, PUBLIC_PAGE_ATTRIBUTE, True)
    return wrapped
