"""The Redis pub/sub channel layer, with publishing that does not queue behind subscribing.

channels_redis's pub/sub layer keeps one lock per Redis host and process for everything it does:
joining a group, leaving one and publishing to one. Under an arrival burst hundreds of sockets join
and leave groups while events are published, and each publish waited its turn behind them: in the P3
routing burst, events waited past their 1.5-second try (helpline/events.py) while the web process was
using a quarter of a core, and a staff console that never heard "chat.assigned" left a chat unanswered.

Here a publish takes a connection of its own from a pool and waits for nothing else. Joining and
leaving still share one connection and its lock, as they must (one subscriber connection per host).
Publishes from one caller stay in order: each is awaited before the next is sent, or several go in
one pipeline, which Redis runs in order (events.send_collected, group_send_many); publishes from
different callers were never ordered across processes, and pages already put a chat's messages in
order by their sequence numbers.
"""

from __future__ import annotations

import asyncio
from typing import Any

from channels_redis.pubsub import (
    RedisPubSubChannelLayer,
    RedisPubSubLoopLayer,
    RedisSingleShardConnection,
)
from channels_redis.utils import _close_redis, _wrap_close, create_pool
from redis import asyncio as aioredis


class PublishingShard(RedisSingleShardConnection):
    """One Redis host: subscriptions on the shared connection, publishes through a pool beside it."""

    def __init__(self, host: dict[str, Any], channel_layer: RedisPubSubLoopLayer) -> None:
        super().__init__(host, channel_layer)
        self._publisher: aioredis.Redis | None = None

    def publisher(self) -> aioredis.Redis:
        if self._publisher is None:
            self._publisher = aioredis.Redis(connection_pool=create_pool(self.host))
        return self._publisher

    async def publish(self, channel: str, message: bytes) -> None:
        await self.publisher().publish(channel, message)

    async def publish_many(self, messages: list[tuple[str, bytes]]) -> None:
        """Several publishes in one round trip (a pipeline runs them in the order given)."""
        async with self.publisher().pipeline(transaction=False) as pipeline:
            for channel, message in messages:
                pipeline.publish(channel, message)
            await pipeline.execute()

    async def flush(self) -> None:
        await super().flush()
        publisher, self._publisher = self._publisher, None
        if publisher is not None:
            await _close_redis(publisher)


class PublishingLoopLayer(RedisPubSubLoopLayer):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        hosts = [shard.host for shard in self._shards]  # type: ignore[has-type]  # untyped base class
        self._shards = [PublishingShard(host, self) for host in hosts]

    async def group_send_many(self, events: list[tuple[str, dict[str, Any]]]) -> None:
        """group_send for each (group, message), in order, with one round trip per Redis host: a
        batch of chat messages (helpline.chat.group_commit) was one round trip, and one turn of a
        busy event loop, per message, one after another."""
        by_shard: dict[PublishingShard, list[tuple[str, bytes]]] = {}
        for group, message in events:
            channel = self._get_group_channel_name(group)
            shard = self._get_shard(channel)
            by_shard.setdefault(shard, []).append((channel, self.channel_layer.serialize(message)))
        await asyncio.gather(*(shard.publish_many(messages) for shard, messages in by_shard.items()))


class PubSubChannelLayer(RedisPubSubChannelLayer):
    """settings.CHANNEL_LAYERS' backend: channels_redis's pub/sub layer with PublishingShard."""

    def _get_layer(self) -> RedisPubSubLoopLayer:
        # As channels_redis does it (one layer per event loop, flushed when the loop closes), with
        # the loop layer above.
        loop = asyncio.get_running_loop()
        try:
            return self._layers[loop]
        except KeyError:
            layer = PublishingLoopLayer(*self._args, **self._kwargs, channel_layer=self)
            self._layers[loop] = layer
            _wrap_close(self, loop)
            return layer
