"""Retention: ended chats and expired secure-message threads are deleted on schedule, after their
figures are in the daily counts. Checked with raw SQL, so nothing hides behind the ORM; and once with a
real Celery worker and beat, as production runs it."""

import os
import time
from collections import Counter
from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import Sum
from django.utils import timezone

from config.celery import app as celery_app
from helpline import retention
from helpline.chat import actions as chat_actions
from helpline.inbox import actions as inbox_actions
from helpline.models import ChatSession, DailyCount, DecisionRecord, Escalation, SecureThread, hash_token
from helpline.stats import tallies
from tests.helpline.test_celery_worker import start, wait_for
from tests.privacy_audit import database_text

pytestmark = pytest.mark.django_db(transaction=True)
Status = ChatSession.Status


def rows(table: str, where: str = "", params: tuple = ()) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table} {where}", params)  # noqa: S608 (fixed table names)
        return cursor.fetchone()[0]


def totals() -> Counter:
    return Counter(dict(DailyCount.objects.values("name").annotate(n=Sum("value")).values_list("name", "n")))


def finished_chat(staff, *, hours_ago: float, words: str = "Something I said in the chat.") -> ChatSession:
    """A chat answered, talked in, ended and wrapped up, its end moved back in time."""
    chat, _ = chat_actions.do_start_chat("en", "self")
    chat.refresh_from_db()
    if chat.status == Status.WAITING:
        chat_actions.do_route_waiting_seekers()
        chat.refresh_from_db()
    chat_actions.do_accept_offer(chat, staff)
    chat_actions.do_send_message(chat, "seeker", words)
    chat_actions.do_end_chat(chat, by_staff=staff)
    chat.refresh_from_db()
    chat_actions.do_record_wrap_up(
        chat,
        staff,
        chat_actions.WrapUpAnswers("self", ["thoughts"], ["therapy"], "search_warning", "substantive"),
    )
    ChatSession.objects.filter(pk=chat.pk).update(ended_at=timezone.now() - timedelta(hours=hours_ago))
    return chat


def test_ended_chats_past_retention_are_deleted_and_their_counts_remain(make_staff, settings):
    settings.HELPLINE = {**settings.HELPLINE, "CHAT_RETENTION_HOURS": 72}
    sam = make_staff("sam")
    old = finished_chat(sam, hours_ago=80, words="Old words that must go.")
    recent = finished_chat(sam, hours_ago=10, words="Recent words that stay a while.")
    waiting, _ = chat_actions.do_start_chat("en", "")
    counted_before = totals()

    result = retention.purge_expired()

    assert result["chats"] == 1
    assert rows("helpline_chatsession", "WHERE id = %s", (old.id,)) == 0
    assert rows("helpline_message", "WHERE session_id = %s", (old.id,)) == 0
    assert rows("helpline_wrapup", "WHERE session_id = %s", (old.id,)) == 0
    assert rows("helpline_message", "WHERE session_id = %s", (recent.id,)) > 0
    assert ChatSession.objects.filter(pk=waiting.pk).exists()  # open chats are never purged
    # The figures stay exactly as they were.
    assert totals() == counted_before
    assert counted_before[tallies.CHATS_ANSWERED] == 2
    assert counted_before["wrap_up.outcome.substantive"] == 2


def test_a_chat_never_counted_is_counted_before_it_is_deleted():
    """Chats from before counting began (or written by hand) are rolled up by the purge itself."""
    now = timezone.now()
    ChatSession.objects.create(
        token_hash=hash_token("legacy"),
        status=Status.ENDED,
        created_at=now - timedelta(days=5),
        answered_at=now - timedelta(days=5) + timedelta(minutes=7),
        ended_at=now - timedelta(days=5) + timedelta(minutes=30),
        end_reason=ChatSession.EndReason.STAFF_ENDED,
    )
    ChatSession.objects.create(
        token_hash=hash_token("legacy-left"),
        status=Status.ENDED,
        created_at=now - timedelta(days=4),
        ended_at=now - timedelta(days=4) + timedelta(minutes=20),
        end_reason=ChatSession.EndReason.SEEKER_LEFT_QUEUE,
    )
    assert totals() == Counter()
    assert retention.purge_expired()["chats"] == 2
    counted = totals()
    assert counted[tallies.CHATS_STARTED] == 2
    assert counted[tallies.CHATS_ANSWERED] == 1
    assert counted[tallies.wait_answered("5-15m")] == 1
    assert counted[tallies.CHATS_ABANDONED] == 1
    assert counted[tallies.wait_missed("15-30m")] == 1
    day = tallies.service_date(now - timedelta(days=5))
    assert DailyCount.objects.get(day=day, name=tallies.CHATS_STARTED).value == 1
    assert rows("helpline_chatsession") == 0


def test_a_chat_with_an_undecided_escalation_is_kept_until_decided(make_staff):
    sam = make_staff("sam")
    alex = make_staff("alex", supervisor=True)
    chat = finished_chat(sam, hours_ago=100)
    escalation = chat_actions.do_escalate(chat, sam, Escalation.Reason.CHILD_AT_RISK)
    result = retention.purge_expired()
    assert (result["chats"], result["held_for_escalation"]) == (0, 1)
    assert rows("helpline_message", "WHERE session_id = %s", (chat.id,)) > 0
    chat_actions.do_decide_escalation(escalation, alex, Escalation.Decision.PASSED_ON)
    assert retention.purge_expired()["chats"] == 1
    assert rows("helpline_escalation", "WHERE session_id = %s", (chat.id,)) == 0
    counted = totals()
    assert counted["escalation.reason.child_at_risk"] == 1 and counted["escalation.decision.passed_on"] == 1


def test_expired_threads_are_deleted_and_unanswered_ones_counted(make_staff, settings):
    settings.HELPLINE = {**settings.HELPLINE, "SECURE_THREADS_PER_STAFF": 0}
    sam = make_staff("sam")
    answered = inbox_actions.do_start_secure_thread("en", "A question that was answered.").thread
    inbox_actions.do_reply_to_secure_thread(answered, sam, "Our answer.")
    unanswered = inbox_actions.do_start_secure_thread("en", "A message nobody answered.").thread
    current = inbox_actions.do_start_secure_thread("en", "A message still in its time.").thread
    SecureThread.objects.filter(pk__in=[answered.pk, unanswered.pk]).update(
        delete_after=timezone.now() - timedelta(minutes=1)
    )

    assert retention.purge_expired()["threads"] == 2

    for thread in (answered, unanswered):
        assert rows("helpline_securethread", "WHERE id = %s", (thread.id,)) == 0
        assert rows("helpline_securemessage", "WHERE thread_id = %s", (thread.id,)) == 0
    assert rows("helpline_securemessage", "WHERE thread_id = %s", (current.id,)) == 1
    counted = totals()
    assert counted[tallies.SECURE_EXPIRED_UNANSWERED] == 1
    assert counted[tallies.SECURE_RECEIVED] == 3 and counted[tallies.SECURE_ANSWERED_IN_TARGET] == 1


def test_the_default_periods_are_short():
    from django.conf import settings

    assert settings.HELPLINE["CHAT_RETENTION_HOURS"] <= 72
    assert settings.HELPLINE["SECURE_THREAD_RETENTION_DAYS"] <= 30
    assert settings.CELERY_BEAT_SCHEDULE["helpline-purge"]["task"] == "helpline.tasks.purge_expired"


# --- on schedule, with a real worker and beat ------------------------------------------------------


@pytest.fixture
def purge_env(settings, tmp_path):
    db = connection.settings_dict
    env = {
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "REDIS_URL": settings.REDIS_URL,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "DB_CONN_MAX_AGE": "0",
        "VAR_DIR": str(tmp_path),
        "HELPLINE_PURGE_SECONDS": "1",
        "HELPLINE_SWEEP_SECONDS": "60",
        "HELPLINE_CHAT_RETENTION_HOURS": "1",
    }
    celery_app.conf.task_always_eager = False
    celery_app.control.purge()
    return {**os.environ, **env}


def test_the_purge_runs_on_schedule_with_a_real_worker_and_beat(purge_env, tmp_path, make_staff, settings):
    settings.HELPLINE = {**settings.HELPLINE, "SECURE_THREADS_PER_STAFF": 0}
    sam = make_staff("sam")
    # Made with tasks inline, before the worker starts, so the test controls every step.
    celery_app.conf.task_always_eager = True
    chat = finished_chat(sam, hours_ago=2, words="Words the schedule must delete.")
    thread = inbox_actions.do_start_secure_thread("en", "A thread the schedule must delete.").thread
    SecureThread.objects.filter(pk=thread.pk).update(delete_after=timezone.now() - timedelta(seconds=1))
    keep = finished_chat(sam, hours_ago=0, words="Words still inside their period.")
    celery_app.conf.task_always_eager = False
    counted_before = totals()

    worker, worker_log = start(
        purge_env, tmp_path, "worker", "--concurrency=2", "--without-gossip", "--without-mingle"
    )
    beat, beat_log = start(purge_env, tmp_path, "beat", "-s", str(tmp_path / "beat-schedule"))
    started = time.monotonic()
    try:
        assert wait_for(
            lambda: (
                rows("helpline_chatsession", "WHERE id = %s", (chat.id,)) == 0
                and rows("helpline_securethread", "WHERE id = %s", (thread.id,)) == 0
            ),
            timeout=90,
        ), worker_log.read_text() + beat_log.read_text()
        took = time.monotonic() - started
    finally:
        for process in (beat, worker):
            process.terminate()
            process.wait(timeout=30)

    assert rows("helpline_message", "WHERE session_id = %s", (chat.id,)) == 0
    assert rows("helpline_securemessage", "WHERE thread_id = %s", (thread.id,)) == 0
    assert rows("helpline_message", "WHERE session_id = %s", (keep.id,)) > 0
    # Counted once for all languages and once for the thread's language.
    expired = tallies.SECURE_EXPIRED_UNANSWERED
    assert totals() == counted_before + Counter(
        {expired: 1, tallies.language_name(thread.language, expired): 1}
    )
    assert "purge_expired" in worker_log.read_text()
    text = database_text()
    assert "schedule must delete" not in text  # (encrypted anyway; and now gone)
    print(f"purge ran and finished within {took:.1f}s of the worker starting")


def test_a_decision_outlives_its_chat_as_a_record_without_its_words(make_staff, settings):
    """Supervisors can account for their decisions after the transcript is gone: reason, decision, who
    decided and when, the chat's language; nothing the person wrote. The record goes after its own
    period."""
    sam = make_staff("sam")
    alex = make_staff("alex", supervisor=True)
    chat = finished_chat(sam, hours_ago=100, words="Words that must not outlive the chat.")
    escalation = chat_actions.do_escalate(chat, sam, Escalation.Reason.RISK_TO_SELF)
    chat_actions.do_decide_escalation(escalation, alex, Escalation.Decision.URGENT_HELP_SIGNPOSTED)
    assert retention.purge_expired()["chats"] == 1
    record = DecisionRecord.objects.get()
    assert (record.reason, record.decision) == ("risk_to_self", "signposted")
    assert record.decided_by == alex.display_name and record.chat_language == chat.language
    assert record.decided_at is not None and record.raised_at <= record.decided_at
    assert rows("helpline_chatsession", "WHERE id = %s", (chat.id,)) == 0
    assert rows("helpline_message", "WHERE session_id = %s", (chat.id,)) == 0
    # No field could hold what was written: categories, a staff name, a language, a partner's link (shared
    # by everyone who followed it) and times.
    assert {f.name for f in DecisionRecord._meta.fields} == {
        "id",
        "reason",
        "decision",
        "raised_at",
        "decided_at",
        "decided_by",
        "chat_language",
        "campaign",
        "kept_until",
    }
    assert retention.purge_expired()["decision_records"] == 0  # kept for its period
    later = timezone.now() + timedelta(days=settings.HELPLINE["DECISION_RECORD_DAYS"], minutes=1)
    assert retention.purge_expired(now=later)["decision_records"] == 1
    assert not DecisionRecord.objects.exists()
