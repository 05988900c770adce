"""Routing and the periodic sweep run by a real Celery worker and beat, on real PostgreSQL and Redis."""

import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from django.db import connection

from config.celery import app as celery_app
from helpline.chat import actions as chat_actions
from helpline.chat import presence
from helpline.models import Availability, ChatSession, StaffProfile
from helpline.staff import actions as staff_actions

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parents[2]
Status = ChatSession.Status


def wait_for(condition, timeout=30.0, interval=0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return False


@pytest.fixture
def worker_env(settings, tmp_path):
    """Environment for worker processes: the test database, the same Redis, short timeouts."""
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "REDIS_URL": settings.REDIS_URL,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "HELPLINE_OFFER_TIMEOUT_SECONDS": "2",
        "HELPLINE_SWEEP_SECONDS": "1",
        "DB_CONN_MAX_AGE": "0",
        "VAR_DIR": str(tmp_path),
    }
    celery_app.conf.task_always_eager = False
    celery_app.control.purge()
    return env


def start(env, tmp_path, *args):
    log = open(tmp_path / f"{args[0]}.log", "w")  # noqa: SIM115 (closed when the process is stopped)
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", *args, "--loglevel=INFO"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    return process, tmp_path / f"{args[0]}.log"


@pytest.fixture
def worker(worker_env, tmp_path):
    process, log = start(
        worker_env,
        tmp_path,
        "worker",
        "--concurrency=4",
        "--pool=prefork",
        "--without-gossip",
        "--without-mingle",
    )
    assert wait_for(lambda: "ready" in log.read_text(), timeout=60), log.read_text()
    yield log
    process.terminate()
    process.wait(timeout=30)


@pytest.fixture
def beat(worker_env, tmp_path):
    process, log = start(worker_env, tmp_path, "beat", "-s", str(tmp_path / "beat-schedule"))
    yield log
    process.terminate()
    process.wait(timeout=30)


def open_load() -> Counter:
    load: Counter = Counter()
    for status, offered_to, staff in ChatSession.objects.open().values_list("status", "offered_to", "staff"):
        if status == Status.OFFERED:
            load[offered_to] += 1
        elif status == Status.ACTIVE:
            load[staff] += 1
    return load


def test_worker_routes_a_burst_without_double_assignment(worker, make_staff):
    staff = [make_staff(f"staff{i}", max_chats=2) for i in range(3)]
    for profile in staff:
        staff_actions.check_in_staff(profile)
    chats = [chat_actions.do_start_chat("en", "")[0] for _ in range(20)]
    for chat in chats:
        chat_actions.check_in_seeker(chat)

    assert wait_for(lambda: ChatSession.objects.filter(status=Status.OFFERED).count() == 6)
    time.sleep(1)  # let any straggling routing runs finish: nothing more may be offered
    assert ChatSession.objects.filter(status=Status.OFFERED).count() == 6
    assert all(n <= 2 for n in open_load().values())
    # Offers went to the six who waited longest.
    offered = set(ChatSession.objects.filter(status=Status.OFFERED).values_list("id", flat=True))
    assert offered == {c.id for c in chats[:6]}

    # A slot frees: accept one offer and end it with a wrap-up; the next in line is offered.
    first = ChatSession.objects.get(pk=chats[0].pk)
    owner = first.offered_to
    assert owner is not None
    chat_actions.do_accept_offer(first, owner)
    chat_actions.do_end_chat(first, by_staff=owner)
    first.refresh_from_db()
    chat_actions.do_record_wrap_up(
        first,
        owner,
        chat_actions.WrapUpAnswers("self", ["thoughts"], ["therapy"], "search_warning", "substantive"),
    )
    assert wait_for(lambda: ChatSession.objects.get(pk=chats[6].pk).status == Status.OFFERED)
    assert all(n <= 2 for n in open_load().values())
    assert "203.0.113" not in worker.read_text()


def test_beat_sweep_expires_unanswered_offers_and_requeues_them(worker, beat, make_staff):
    sam = make_staff("sam", max_chats=1)
    staff_actions.check_in_staff(sam)
    chat = chat_actions.do_start_chat("en", "")[0]
    chat_actions.check_in_seeker(chat)
    assert wait_for(lambda: ChatSession.objects.get(pk=chat.pk).status == Status.OFFERED)

    def still_here():
        chat_actions.check_in_seeker(chat)
        staff_actions.check_in_staff(sam)
        refreshed = ChatSession.objects.get(pk=chat.pk)
        return refreshed.status == Status.WAITING and StaffProfile.objects.get(pk=sam.pk).availability == (
            Availability.AWAY
        )

    assert wait_for(still_here, timeout=30), "the sweep did not take back the unanswered offer"


def test_beat_sweep_counts_a_vanished_seeker_as_abandoned(worker, beat):
    chat = chat_actions.do_start_chat("en", "")[0]
    # Last seen long ago (a missing record would mean "not known", and would not be judged gone yet).
    presence.touch_seeker(chat.id, chat.created_at.replace(year=2025).timestamp())
    assert wait_for(lambda: ChatSession.objects.get(pk=chat.pk).status == Status.ENDED, timeout=30)
    assert ChatSession.objects.get(pk=chat.pk).end_reason == ChatSession.EndReason.ABANDONED
