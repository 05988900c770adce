"""Django's RedisCache with one Redis client (and so one connection pool) per process, shared by all
threads.

Two costs of the stock backend showed in profiles of the benchmarks: under ASGI each HTTP request
runs in a fresh thread and Django keeps one cache object per thread, so every request opened and
dropped its own Redis connection (`Connection._connect`, `getaddrinfo`); and every cache call built a
new `redis.Redis` object, whose table of response callbacks alone took longer than a round trip to
Redis (about 0.2 ms, six times per chat message). redis-py clients and pools are thread-safe.

With Redis Sentinel (settings.REDIS_SENTINEL, passed as the cache's "sentinel" option) the pool is a
Sentinel one: each new connection asks the sentinels where the master is, so after a failover the
connections that the old master closed are opened again to the new one.
"""

from __future__ import annotations

import threading
from typing import Any

import redis
import redis.asyncio
import redis.asyncio.sentinel
import redis.connection
import redis.sentinel
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from django.utils.functional import cached_property
from redis.exceptions import RedisError

# What the cache raises while Redis cannot be reached (a restart, a failover): Redis's own errors, and
# the socket's. Every place that carries on without the cache catches exactly these.
CACHE_DOWN: tuple[type[BaseException], ...] = (RedisError, OSError)

_clients: dict[tuple[str, ...], Any] = {}
_lock = threading.Lock()


def _master_kwargs(url: str) -> dict[str, Any]:
    """A Redis URL's connection settings less the host and port, which the sentinels give instead."""
    kwargs = redis.connection.parse_url(url)
    kwargs.pop("host", None)
    kwargs.pop("port", None)
    return kwargs


def sentinel_pool(url: str, sentinel: dict[str, Any], **options: Any) -> redis.ConnectionPool:
    """A connection pool to the master that the sentinels name, with `url`'s database and password."""
    manager = redis.sentinel.Sentinel(sentinel["sentinels"], sentinel_kwargs=sentinel.get("sentinel_kwargs"))
    return redis.sentinel.SentinelConnectionPool(
        sentinel["master_name"], manager, **{**_master_kwargs(url), **options}
    )


def async_client(url: str, sentinel: dict[str, Any] | None = None) -> redis.asyncio.Redis:
    """An asyncio client to the same Redis as the cache (resources/page_cache.py): `url`'s server, or
    with `sentinel` the master the sentinels name. Bound to the event loop that first uses it."""
    if sentinel is None:
        return redis.asyncio.Redis.from_url(url)
    manager = redis.asyncio.sentinel.Sentinel(
        sentinel["sentinels"], sentinel_kwargs=sentinel.get("sentinel_kwargs")
    )
    return manager.master_for(sentinel["master_name"], **_master_kwargs(url))


class ReusedClientRedisCacheClient(RedisCacheClient):
    """Builds one `redis.Redis` per connection pool, once, instead of one per cache call; with a
    "sentinel" option, its pools find the master through Redis Sentinel."""

    def __init__(self, *args: Any, sentinel: dict[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._sentinel = sentinel
        self._redis_clients: dict[int, Any] = {}

    def _get_connection_pool(self, write: bool) -> Any:
        if self._sentinel is None:
            return super()._get_connection_pool(write)  # type: ignore[misc]
        own: Any = self
        # One master, so one pool: reads go to it too (a replica may lag behind the writes).
        if 0 not in own._pools:
            own._pools[0] = sentinel_pool(own._servers[0], self._sentinel, **own._pool_options)
        return own._pools[0]

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
