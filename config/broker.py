"""Celery's Redis transport (kombu 5.7.0), changed in one place so a Redis restart under load does not
kill the worker (issue 13, point 3; reproduced by bench/worker_redis_restart.py and
tests/helpline/test_worker_survives_redis_restart.py).

What happened: when Redis goes away while the worker waits on a BRPOP, Celery 5.7 cleans up the broken
connection twice: `Connection.collect()`, then `Connection.close()` (celery/celery#10242). The first
pass closes the channel by reading the pending BRPOP reply, which fails (Redis is gone), so the channel
is left open; kombu then drops the transport's `client`. The second pass closes that channel again,
and its restore of the unacknowledged messages builds a new connection pool from the dropped client:
`AttributeError: 'NoneType' object has no attribute 'hostname'`. That is not a connection error, so
the worker stops with "Unrecoverable error" and nothing restarts routing, offer expiry or the sweep.

The change: building a pool for a transport whose connection has already been closed raises Redis's
own ConnectionError, the error the worker already treats as "the broker is gone, reconnect". Nothing
is lost that would otherwise be kept: Redis is down at that moment, so the restore could not have
reached it anyway. The messages stay in Redis's unacknowledged set (if Redis kept its data) and come
back after the visibility timeout; every task here is also re-run by the sweep every few seconds.

With Redis Sentinel (settings.REDIS_SENTINELS) the broker is kombu's Sentinel transport, which builds its
pools through the same `_connparams` and so fails the same way: SentinelTransport below carries the
same change.

Remove this module once kombu's Channel.close survives a failed BRPOP read (kombu main, August 2026,
still catches only `Empty` there) or Celery closes a broken connection once.
"""

from __future__ import annotations

from typing import Any

from kombu.transport import redis as kombu_redis
from redis.exceptions import ConnectionError as RedisConnectionError


class Channel(kombu_redis.Channel):
    def _connparams(self, asynchronous: bool = False) -> Any:
        if self.connection.client is None:
            raise RedisConnectionError("the broker connection was closed after it was lost; reconnecting")
        return super()._connparams(asynchronous=asynchronous)  # type: ignore[misc]


class Transport(kombu_redis.Transport):
    Channel = Channel


class SentinelChannel(Channel, kombu_redis.SentinelChannel):
    """kombu's Sentinel channel (it asks the sentinels for the master) with Channel's change above."""


class SentinelTransport(kombu_redis.SentinelTransport):
    Channel = SentinelChannel
