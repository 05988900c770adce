"""The Redis cache shares one connection pool across a process's threads (config/cache.py)."""

import threading
from typing import Any

from django.core.cache import caches


def test_request_threads_share_one_redis_connection_pool():
    """Under ASGI every HTTP request runs in a new thread; each used to open its own Redis connection."""
    pools = []
    clients = []

    def one_request() -> None:
        cache: Any = caches["default"]
        cache.set("pool-check", 1)
        pools.append(cache._cache.get_client().connection_pool)
        clients.append(cache._cache.get_client(write=True))

    threads = [threading.Thread(target=one_request) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(pools) == 5
    assert len({id(pool) for pool in pools}) == 1
    # and one client object: building a redis.Redis per call cost more than the call itself
    assert len({id(client) for client in clients}) == 1
    assert caches["default"].get("pool-check") == 1
