"""Many routing runs at the same moment, each on its own PostgreSQL connection, never double-assign."""

import threading
from collections import Counter
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from helpline.chat import actions as chat_actions
from helpline.models import ChatSession, hash_token

pytestmark = pytest.mark.django_db(transaction=True)


def waiting_chats(n):
    start = timezone.now() - timedelta(minutes=30)
    return [
        ChatSession.objects.create(token_hash=hash_token(f"t{i}"), queued_at=start + timedelta(seconds=i))
        for i in range(n)
    ]


@pytest.mark.parametrize("round_", range(3))
def test_concurrent_routing_runs_never_double_assign(make_staff, round_):
    staff = [make_staff(f"s{i}", max_chats=3) for i in range(10)]
    chats = waiting_chats(100)
    barrier = threading.Barrier(8)
    results: list[list[int]] = []
    errors: list[BaseException] = []

    def run():
        try:
            barrier.wait()
            for _ in range(3):
                results.append(chat_actions.do_route_waiting_seekers())
        except BaseException as error:  # reported below, not swallowed
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    claimed = [chat_id for run_result in results for chat_id in run_result]
    assert len(claimed) == len(set(claimed)), "a chat was offered by two routing runs"
    assert len(claimed) == 30
    load = Counter(
        ChatSession.objects.filter(status=ChatSession.Status.OFFERED).values_list("offered_to", flat=True)
    )
    assert set(load) == {p.id for p in staff}
    assert max(load.values()) == 3
    assert set(claimed) == {c.id for c in chats[:30]}, "the longest-waiting were not served first"
