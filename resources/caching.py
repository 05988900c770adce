"""Per-view caching of public content pages.

Each cached page's key carries a *content generation* number; publishing or editing anything bumps
it, so readers see changes at once while unchanged pages are served from the cache (Redis in
production). Pages cached here must not depend on who is asking: they set no cookies.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.cache import CacheMiddleware

GENERATION_KEY = "content:generation"

View = Callable[..., HttpResponse]


def content_generation() -> int:
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


def cache_public_page(view: View) -> View:
    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        middleware = CacheMiddleware(
            lambda req: view(req, *args, **kwargs),
            page_timeout=settings.CONTENT_CACHE_SECONDS,
            key_prefix=f"page:{content_generation()}",
        )
        return middleware(request)  # type: ignore[return-value]  # sync view, so never awaitable

    return wrapped
