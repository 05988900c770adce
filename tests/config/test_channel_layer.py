"""Telling a staff console "this chat is yours" must not wait while other sockets join and leave groups.

In the P3 routing burst, channels_redis's pub/sub layer made every publish wait its turn behind the
subscribes of hundreds of arriving sockets; events ran out of time (helpline/events.py) and a console
that never heard "chat.assigned" left its chat unanswered. These run against the real Redis."""

import asyncio

import pytest
from django.conf import settings

from config.channel_layer import PubSubChannelLayer

pytestmark = pytest.mark.skipif(not settings.REDIS_URL, reason="needs Redis (make test starts it)")

PREFIX = "test-channel-layer"


def a_layer() -> PubSubChannelLayer:
    return PubSubChannelLayer(hosts=[settings.REDIS_URL], prefix=PREFIX)


async def subscribed(layer: PubSubChannelLayer, group: str) -> str:
    channel = await layer.new_channel()
    await layer.group_add(group, channel)
    await asyncio.sleep(0.2)  # SUBSCRIBE is sent without waiting for Redis's answer
    return channel


def test_the_settings_use_this_layer_when_redis_is_configured():
    assert settings.CHANNEL_LAYERS["default"]["BACKEND"] == "config.channel_layer.PubSubChannelLayer"


def test_an_event_reaches_a_socket_in_its_group():
    async def journey():
        layer = a_layer()
        try:
            channel = await subscribed(layer, "chat.abc")
            await layer.group_send("chat.abc", {"type": "chat.assigned", "to": 7})
            return await asyncio.wait_for(layer.receive(channel), timeout=2)
        finally:
            await layer.flush()

    assert asyncio.run(journey()) == {"type": "chat.assigned", "to": 7}


def test_a_publish_does_not_wait_while_the_group_connection_is_busy():
    """The shard's lock held, as a subscribe in progress holds it: the stock layer's publish waited
    for it (and past events.ATTEMPT_SECONDS in a burst); ours goes out at once."""

    async def journey():
        layer = a_layer()
        try:
            channel = await subscribed(layer, "staff.7")
            shard = layer._get_layer()._shards[0]
            async with shard._lock:
                await asyncio.wait_for(layer.group_send("staff.7", {"type": "chat.offer", "n": 1}), 0.5)
            return await asyncio.wait_for(layer.receive(channel), timeout=2)
        finally:
            await layer.flush()

    assert asyncio.run(journey()) == {"type": "chat.offer", "n": 1}


def test_events_sent_one_after_another_arrive_in_that_order():
    async def journey():
        layer = a_layer()
        try:
            channel = await subscribed(layer, "chat.order")
            for n in range(50):
                await layer.group_send("chat.order", {"type": "chat.message", "n": n})
            return [(await asyncio.wait_for(layer.receive(channel), timeout=2))["n"] for _ in range(50)]
        finally:
            await layer.flush()

    assert asyncio.run(journey()) == list(range(50))


def test_a_batch_of_events_arrives_in_order_at_each_group_in_one_round_trip():
    """A group commit's messages (helpline.chat.group_commit) go out in one pipeline: both chats hear
    theirs, in the order they were sent."""

    async def journey():
        layer = a_layer()
        try:
            first = await subscribed(layer, "chat.first")
            second = await subscribed(layer, "chat.second")
            shard = layer._get_layer()._shards[0]
            await layer.group_send("chat.nobody", {"type": "chat.state"})  # the publisher's connection
            publisher = shard._publisher
            round_trips = []
            original = publisher.connection_pool.get_connection

            async def counted(*args, **kwargs):
                round_trips.append(1)
                return await original(*args, **kwargs)

            publisher.connection_pool.get_connection = counted
            batch = [
                (f"chat.{'first' if n % 3 else 'second'}", {"type": "chat.message", "n": n})
                for n in range(30)
            ]
            await layer.group_send_many(batch)
            heard_first = [(await asyncio.wait_for(layer.receive(first), 2))["n"] for _ in range(20)]
            heard_second = [(await asyncio.wait_for(layer.receive(second), 2))["n"] for _ in range(10)]
            return round_trips, heard_first, heard_second
        finally:
            await layer.flush()

    round_trips, heard_first, heard_second = asyncio.run(journey())
    assert heard_first == [n for n in range(30) if n % 3]
    assert heard_second == [n for n in range(30) if not n % 3]
    assert len(round_trips) == 1


def test_flushing_closes_the_publishing_connections():
    async def journey():
        layer = a_layer()
        await layer.group_send("chat.nobody", {"type": "chat.state"})
        shard = layer._get_layer()._shards[0]
        assert shard._publisher is not None
        await layer.flush()
        return shard._publisher

    assert asyncio.run(journey()) is None
