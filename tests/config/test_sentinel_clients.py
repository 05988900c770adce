"""With Redis Sentinel configured, each of the site's Redis clients asks the sentinels for the master:
the cache, the public page layer's asyncio client, the channel layer and the Celery broker
(config/cache.py, config/channel_layer.py, config/broker.py). The first tests only build the clients
(nothing connects); the last runs them against a master, a replica and three sentinels of its own and
moves the master under them (tests/sentinel_cluster.py)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
import redis.asyncio.sentinel
import redis.sentinel
from kombu import Connection

from config.cache import SharedPoolRedisCache, async_client
from config.channel_layer import PubSubChannelLayer
from tests.sentinel_cluster import SentinelCluster, sentinel_binary

SENTINEL = {
    "sentinels": [("127.0.0.1", 1)],  # never reached by the tests that only build clients
    "master_name": "helpline",
    "sentinel_kwargs": {"socket_timeout": 1.0, "socket_connect_timeout": 1.0},
}


def a_cache(location: str, sentinel: dict[str, Any] | None) -> Any:
    params: dict[str, Any] = {"OPTIONS": {"sentinel": sentinel}} if sentinel else {}
    return SharedPoolRedisCache(location, params)


def test_the_cache_pool_is_a_sentinel_pool_with_the_urls_database_and_password():
    cache = a_cache("redis://:p%40ss@ignored/4", SENTINEL)
    pool = cache._cache._get_connection_pool(True)
    assert isinstance(pool, redis.sentinel.SentinelConnectionPool)
    assert pool.service_name == "helpline"
    assert pool.connection_kwargs["db"] == 4 and pool.connection_kwargs["password"] == "p@ss"
    assert "host" not in pool.connection_kwargs
    assert pool.sentinel_manager.sentinels[0].connection_pool.connection_kwargs["socket_timeout"] == 1.0
    assert cache._cache._get_connection_pool(False) is pool  # reads go to the master too


def test_without_sentinel_the_cache_pool_is_as_before():
    cache = a_cache("redis://127.0.0.1:6379/4", None)
    pool = cache._cache._get_connection_pool(True)
    assert type(pool) is redis.ConnectionPool
    assert pool.connection_kwargs["port"] == 6379 and pool.connection_kwargs["db"] == 4


def test_the_page_layers_client_follows_the_cache():
    plain = async_client("redis://127.0.0.1:6379/4")
    assert type(plain.connection_pool) is redis.asyncio.ConnectionPool
    through = async_client("redis://:p%40ss@ignored/4", SENTINEL)
    assert isinstance(through.connection_pool, redis.asyncio.sentinel.SentinelConnectionPool)
    assert through.connection_pool.connection_kwargs["db"] == 4


@pytest.mark.faults
@pytest.mark.skipif(
    sentinel_binary() is None, reason="needs redis-server (or redis-sentinel) for the sentinels"
)
def test_every_client_reaches_the_new_master_after_a_failover(tmp_path: Path) -> None:
    with SentinelCluster(tmp_path) as cluster:
        sentinel = {
            "sentinels": cluster.sentinels,
            "master_name": cluster.environment()["REDIS_SENTINEL_MASTER"],
            "sentinel_kwargs": {"socket_timeout": 1.0, "socket_connect_timeout": 1.0},
        }
        url = "redis://sentinel/7"
        cache = a_cache(url, sentinel)
        layer = PubSubChannelLayer(hosts=[{**sentinel, "db": 7}], prefix="test-sentinel")
        broker = Connection(
            ";".join(f"sentinel://{host}:{port}/7" for host, port in cluster.sentinels),
            transport="config.broker:SentinelTransport",
            transport_options={
                "master_name": sentinel["master_name"],
                "sentinel_kwargs": sentinel["sentinel_kwargs"],
            },
        )

        async def journey() -> dict[str, Any]:
            pages = async_client(url, sentinel)
            channel = await layer.new_channel()
            await layer.group_add("chat.x", channel)
            await asyncio.sleep(0.2)
            cache.set("before", 1)
            await layer.group_send("chat.x", {"type": "chat.message", "n": 1})
            first = await asyncio.wait_for(layer.receive(channel), 2)
            _, new = await asyncio.to_thread(cluster.failover)
            # Every client is on the new master now: what each writes is there, and an event goes from
            # the layer's publisher to its subscriber (which had to subscribe again on the new master).
            cache.set("after", 2)
            await pages.set(":1:page", b"x")
            await layer.group_send("chat.x", {"type": "chat.message", "n": 2})
            second = await asyncio.wait_for(layer.receive(channel), 5)
            with broker:
                queue = broker.SimpleQueue("test-sentinel")
                queue.put({"task": 1})
                message = queue.get(timeout=5)
                message.ack()
                queue.close()
            port = (await pages.info("server"))["tcp_port"]
            await pages.aclose()
            await layer.flush()
            return {"first": first, "second": second, "task": message.payload, "new": new, "port": port}

        found = asyncio.run(journey())
        assert found["first"]["n"] == 1 and found["second"]["n"] == 2
        assert found["task"] == {"task": 1}
        assert found["port"] == found["new"]
        master = redis.Redis("127.0.0.1", found["new"], db=7)
        assert master.get(":1:after") is not None and master.get(":1:page") == b"x"
        master.close()
