"""Django's RedisCache with one Redis client (and so one connection pool) per process, shared by all
threads.

Two costs of the stock backend showed in profiles of the benchmarks: under ASGI each HTTP request
runs in a fresh thread and Django keeps one cache object per thread, so every request opened and
dropped its own Redis connection (`Connection._connect`, `getaddrinfo`); and every cache call built a
new `redis.Redis` object, whose table of response callbacks alone took longer than a round trip to
Redis (about 0.2 ms, six times per chat message). redis-py clients and pools are thread-safe.
"""

from __future__ import annotations

import threading
from typing import Any

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from django.utils.functional import cached_property
from redis.exceptions import RedisError

# What the cache raises while Redis cannot be reached (a restart, a failover): Redis's own errors, and
# the socket's. Every place that carries on without the cache catches exactly these.
CACHE_DOWN: tuple[type[BaseException], ...] = (RedisError, OSError)

_clients: dict[tuple[str, ...], Any] = {}
_lock = threading.Lock()


class ReusedClientRedisCacheClient(RedisCacheClient):
    """Builds one `redis.Redis` per connection pool, once, instead of one per cache call."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._redis_clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        own: Any = self  # django-stubs does not declare RedisCacheClient's private attributes
        index = own._get_connection_pool_index(write)
        client = self._redis_clients.get(index)
        if client is None:
            client = own._client(connection_pool=own._get_connection_pool(write))
            self._redis_clients[index] = client
        return client


class SharedPoolRedisCache(RedisCache):
    @cached_property
    def _cache(self) -> Any:
        own: Any = self  # django-stubs does not declare RedisCache's private attributes
        key = (*own._servers, repr(sorted(own._options.items())))
        with _lock:
            client = _clients.get(key)
            if client is None:
                client = _clients[key] = ReusedClientRedisCacheClient(own._servers, **own._options)
        return client
