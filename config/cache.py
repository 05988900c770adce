"""Django's RedisCache with one client (and so one connection pool) per process, shared by all threads.

Under ASGI each HTTP request runs its sync middleware and view in a fresh thread, and Django keeps one
cache object per thread, so every request opened, used and dropped its own Redis connection (seen in
profiles as `Connection._connect` and `getaddrinfo`). redis-py's pool is thread-safe.
"""

from __future__ import annotations

import threading
from typing import Any

from django.core.cache.backends.redis import RedisCache
from django.utils.functional import cached_property

_clients: dict[tuple[str, ...], Any] = {}
_lock = threading.Lock()


class SharedPoolRedisCache(RedisCache):
    @cached_property
    def _cache(self) -> Any:
        own: Any = self  # django-stubs does not declare RedisCache's private attributes
        key = (*own._servers, repr(sorted(own._options.items())))
        with _lock:
            client = _clients.get(key)
            if client is None:
                client = _clients[key] = own._class(own._servers, **own._options)
        return client
