"""Daily counters: who we answered and who we missed, by day, never by person.

Only the rooms' actions call the writers here, inside the same transaction as the change they count,
so a figure is in the counts exactly when its change committed. Chat figures are counted once per
stage (started, answered, ended, wrapped up) with a conditional update on the chat's `counted_*`
flag; the retention purge calls `tally_chat` once more before deleting, so nothing can be deleted
uncounted (chats from before counting began are caught there too).

A chat's figures belong to the service day it started on, so a day's "answered" never exceeds its
"started". Other events (turned away, secure messages) belong to the day they happened.

Where the language of a contact is known (a chat's, a secure thread's, the language a refused start
asked for), each counter is bumped twice in the same statement: once as itself and once as
"lang.<code>.<name>", so the figures for one language always add up with the total. Only the
languages the service offers are counted (anything else would let a request invent counter names);
campaign counters ("campaign.<id>.<measure>") are never split by language.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from helpline.campaigns import measures as campaign_measures
from helpline.models import ChatSession, DailyCount, Escalation, WrapUp

CHATS_STARTED = "chats.started"
# Chats whose seeker ticked a triage answer at the start, one count per kind (ChatSession.Triage).
CHATS_TRIAGE = "chats.triage"
CHATS_ANSWERED = "chats.answered"
# Left the queue, or their page went silent, before anyone answered.
CHATS_ABANDONED = "chats.abandoned"
# Still waiting when the team finished for the day.
CHATS_CLOSED_WAITING = "chats.closed_waiting"
TURNED_AWAY_CLOSED = "turned_away.closed"
TURNED_AWAY_FULL = "turned_away.full"
SECURE_THREADS_STARTED = "secure.threads_started"
SECURE_RECEIVED = "secure.received"
SECURE_ANSWERED_IN_TARGET = "secure.answered_in_target"
SECURE_ANSWERED_LATE = "secure.answered_late"
SECURE_EXPIRED_UNANSWERED = "secure.expired_unanswered"
# The seeker's optional answers at the end of a chat: one count of forms sent, and one per answer
# ("feedback.helpful.yes"). Nothing links an answer to a chat or to the other answers on the same form.
FEEDBACK_FORMS = "feedback.forms"

# Wait histogram: upper bounds in minutes; the last bucket is open-ended.
WAIT_BUCKETS: tuple[tuple[str, int | None], ...] = (
    ("0-1m", 1),
    ("1-5m", 5),
    ("5-15m", 15),
    ("15-30m", 30),
    ("30-60m", 60),
    ("60m+", None),
)
WAIT_BUCKET_LABELS = {
    "0-1m": _("under 1 min"),
    "1-5m": _("1 to 5 min"),
    "5-15m": _("5 to 15 min"),
    "15-30m": _("15 to 30 min"),
    "30-60m": _("30 to 60 min"),
    "60m+": _("over 1 hour"),
}


def wait_answered(bucket: str) -> str:
    return f"wait.answered.{bucket}"


def wait_missed(bucket: str) -> str:
    return f"wait.missed.{bucket}"


def wait_bucket(waited: timedelta) -> str:
    minutes = waited.total_seconds() / 60
    for name, upper in WAIT_BUCKETS:
        if upper is None or minutes < upper:
            return name
    return WAIT_BUCKETS[-1][0]


def feedback_answer(question: str, answer: str) -> str:
    return f"feedback.{question}.{answer}"


def service_date(moment: datetime) -> date:
    """The day in the service's time zone (TIME_ZONE), which is the day staff and reports speak of."""
    return timezone.localdate(moment)


LANGUAGE_PREFIX = "lang."
CAMPAIGN_PREFIX = "campaign."


def language_name(language: str, name: str) -> str:
    """The counter of `name` for one language ("lang.nl.chats.started")."""
    return f"{LANGUAGE_PREFIX}{language}.{name}"


def split_language(name: str) -> tuple[str, str]:
    """("nl", "chats.started") for "lang.nl.chats.started"; ("", name) for a counter of all languages."""
    if name.startswith(LANGUAGE_PREFIX):
        language, _, base = name[len(LANGUAGE_PREFIX) :].partition(".")
        return language, base
    return "", name


def counted_language(language: str | None) -> str | None:
    return language if language and language in dict(settings.LANGUAGES) else None


# --- writers (called by the rooms' actions only) ------------------------------------------------


def bump(day: date, names: Iterable[str], by: int = 1, language: str | None = None) -> None:
    """Add `by` to each named counter for the day, atomically and without lost updates: the rows are
    created if missing (a concurrent creator simply wins), then incremented in the database. With a
    language the service offers, each counter's per-language twin is bumped in the same statement."""
    base = set(names)
    code = counted_language(language)
    if code is not None:
        base |= {language_name(code, name) for name in base if not name.startswith(CAMPAIGN_PREFIX)}
    wanted = sorted(base)  # one order everywhere, so two transactions never lock in opposite orders
    if not wanted:
        return
    with transaction.atomic(savepoint=False):
        _bump(day, wanted, by)


def _bump(day: date, wanted: list[str], by: int) -> None:
    DailyCount.objects.bulk_create(
        [DailyCount(day=day, name=name, value=0) for name in wanted], ignore_conflicts=True
    )
    # Lock in name order before the increment, whatever plan the database picks for the UPDATE.
    ids = list(
        DailyCount.objects.select_for_update()
        .filter(day=day, name__in=wanted)
        .order_by("name")
        .values_list("id", flat=True)
    )
    DailyCount.objects.filter(id__in=ids).update(value=F("value") + by)


def _claim(chat_id: int, flag: str) -> bool:
    return ChatSession.objects.filter(pk=chat_id, **{flag: False}).update(**{flag: True}) == 1


def tally_chat(chat_id: int) -> None:
    """Count whatever this chat has reached and is not yet counted. Safe to call any number of times."""
    chat = ChatSession.objects.get(pk=chat_id)
    names: list[str] = []
    if not chat.counted_start and _claim(chat_id, "counted_start"):
        names.append(CHATS_STARTED)
        names += [f"{CHATS_TRIAGE}.{kind}" for kind in chat.triage]
    if chat.answered_at and not chat.counted_answer and _claim(chat_id, "counted_answer"):
        names += [CHATS_ANSWERED, wait_answered(wait_bucket(chat.answered_at - chat.created_at))]
    ended = chat.status == ChatSession.Status.ENDED
    # An answered chat's ending adds no figure; the flag still records that it was looked at.
    if ended and not chat.counted_end and _claim(chat_id, "counted_end") and chat.answered_at is None:
        closed = chat.end_reason == ChatSession.EndReason.CLOSED
        names.append(CHATS_CLOSED_WAITING if closed else CHATS_ABANDONED)
        waited = (chat.ended_at or timezone.now()) - chat.created_at
        names.append(wait_missed(wait_bucket(waited)))
    if not chat.counted_wrap_up:
        wrap_up = WrapUp.objects.filter(session_id=chat_id).first()
        if wrap_up is not None and _claim(chat_id, "counted_wrap_up"):
            names += wrap_up_names(wrap_up)
    names += campaign_measures.chat_counted(
        chat, started=CHATS_STARTED in names, answered=CHATS_ANSWERED in names
    )
    bump(service_date(chat.created_at), names, language=chat.language)


def uncounted(chat_ids: Iterable[int]) -> list[int]:
    """Which of these chats have a figure not yet in the counts (for the purge's last check)."""
    return list(
        ChatSession.objects.filter(pk__in=list(chat_ids))
        .filter(
            Q(counted_start=False)
            | Q(status=ChatSession.Status.ENDED, counted_end=False)
            | Q(answered_at__isnull=False, counted_answer=False)
            | Q(wrap_up__isnull=False, counted_wrap_up=False)
        )
        .values_list("id", flat=True)
        .distinct()
    )


def wrap_up_names(wrap_up: WrapUp) -> list[str]:
    names = [
        f"wrap_up.outcome.{wrap_up.outcome}",
        f"wrap_up.about.{wrap_up.about}",
        f"wrap_up.heard_from.{wrap_up.heard_from}",
    ]
    names += [f"wrap_up.topic.{topic}" for topic in set(wrap_up.topics)]
    names += [f"wrap_up.protective_action.{action}" for action in set(wrap_up.protective_actions)]
    return names


def escalation_raised(escalation: Escalation, chat: ChatSession) -> None:
    bump(service_date(chat.created_at), [f"escalation.reason.{escalation.reason}"], language=chat.language)


def escalation_decided(escalation: Escalation, chat: ChatSession) -> None:
    bump(
        service_date(chat.created_at), [f"escalation.decision.{escalation.decision}"], language=chat.language
    )


def seeker_feedback(chat: ChatSession, answers: dict[str, str]) -> None:
    """Count one feedback form (the caller has claimed the chat's `feedback_given` flag). Like the chat's
    other figures it belongs to the day the chat started, so a day never has more forms than chats."""
    names = [FEEDBACK_FORMS] + [feedback_answer(q, a) for q, a in answers.items() if a]
    bump(service_date(chat.created_at), names, language=chat.language)


def turned_away(name: str, now: datetime | None = None, language: str | None = None) -> None:
    """language: the language the refused start asked for, or the page's for a visit while closed."""
    bump(service_date(now or timezone.now()), [name], language=language)


def secure_event(name: str, now: datetime | None = None, language: str | None = None) -> None:
    bump(service_date(now or timezone.now()), [name], language=language)
