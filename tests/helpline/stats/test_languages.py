"""Counts per language, from the real actions: a Dutch chat is counted in lang.nl and in the total, in
the same bump, for every figure it reaches; refused starts, closed visits and secure messages carry
their language too; a language the service does not offer, and campaign counters, are never split."""

from collections import Counter
from datetime import timedelta

import pytest
from django.db.models import Sum
from django.test import Client
from django.utils import timezone

from helpline import retention
from helpline.chat import actions as chat_actions
from helpline.errors import Refusal
from helpline.inbox import actions as inbox_actions
from helpline.models import (
    ChatSession,
    DailyCount,
    Escalation,
    OpeningHours,
    SecureThread,
    ServiceClosure,
    WrapUp,
)
from helpline.stats import figures, tallies

pytestmark = pytest.mark.django_db(transaction=True)


def totals() -> Counter:
    return Counter(dict(DailyCount.objects.values("name").annotate(n=Sum("value")).values_list("name", "n")))


def in_language(counted: Counter, language: str) -> Counter:
    prefix = f"lang.{language}."
    return Counter({name[len(prefix) :]: n for name, n in counted.items() if name.startswith(prefix)})


def of_all_languages(counted: Counter) -> Counter:
    return Counter({name: n for name, n in counted.items() if not name.startswith("lang.")})


def test_a_dutch_chat_counts_in_dutch_and_in_the_total(make_staff):
    sam = make_staff("sam", languages=["nl"])
    alex = make_staff("alex", supervisor=True, languages=["nl"], available=False)
    english, _ = chat_actions.do_start_chat("en", "")  # nobody on duty speaks English
    dutch, _ = chat_actions.do_start_chat("nl", "")
    dutch.refresh_from_db()
    assert dutch.offered_to == sam
    chat_actions.do_accept_offer(dutch, sam)
    escalation = chat_actions.do_escalate(dutch, sam, Escalation.Reason.CHILD_AT_RISK)
    chat_actions.do_decide_escalation(escalation, alex, Escalation.Decision.SUPPORTED_IN_CHAT)
    chat_actions.do_end_chat(dutch, by_staff=sam)
    dutch.refresh_from_db()
    chat_actions.do_record_wrap_up(
        dutch, sam, chat_actions.WrapUpAnswers("self", ["thoughts"], ["therapy"], "police", "substantive")
    )
    dutch.refresh_from_db()
    chat_actions.do_record_seeker_feedback(dutch, {"helpful": "yes", "safer": "", "again": "no"})
    assert chat_actions.do_leave_queue(english)

    counted = totals()
    dutch_counts = in_language(counted, "nl")
    assert dutch_counts == Counter(
        {
            tallies.CHATS_STARTED: 1,
            tallies.CHATS_ANSWERED: 1,
            tallies.wait_answered("0-1m"): 1,
            "escalation.reason.child_at_risk": 1,
            "escalation.decision.supported": 1,
            "wrap_up.outcome.substantive": 1,
            "wrap_up.about.self": 1,
            "wrap_up.topic.thoughts": 1,
            "wrap_up.protective_action.therapy": 1,
            "wrap_up.heard_from.police": 1,
            tallies.FEEDBACK_FORMS: 1,
            "feedback.helpful.yes": 1,
            "feedback.again.no": 1,
        }
    )
    assert in_language(counted, "en") == Counter(
        {tallies.CHATS_STARTED: 1, tallies.CHATS_ABANDONED: 1, tallies.wait_missed("0-1m"): 1}
    )
    # The total is the languages added up: nothing counted only in one place.
    assert of_all_languages(counted) == dutch_counts + in_language(counted, "en")
    assert counted[tallies.CHATS_STARTED] == 2 == ChatSession.objects.count()
    assert WrapUp.objects.count() == 1

    # The figures read them back per language, and for all languages together.
    today = timezone.localdate()
    canon = figures.build_canon(today, today, threshold=1)
    day = canon.views["day"][-1]
    assert canon.figure("nl", day, "started").value == 1
    assert canon.figure("en", day, "missed").value == 1
    assert canon.figure(figures.ALL, day, "started").value == 2
    assert canon.figure(figures.UNRECORDED, day, "started").value == 0


def test_a_refused_start_counts_in_the_language_it_asked_for(settings):
    # Open all week in every language, but closed for training just now.
    for code, _name in settings.LANGUAGES:
        for weekday in range(7):
            OpeningHours.objects.create(language=code, weekday=weekday, opens_at="00:00", closes_at="00:00")
    now = timezone.now()
    ServiceClosure.objects.create(starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=2))
    with pytest.raises(Refusal):
        chat_actions.do_start_chat_if_open("de", "")
    # Opening the chat page while closed counts in the page's language.
    assert Client().get("/fr/chat/").status_code == 200
    counted = totals()
    assert in_language(counted, "de") == Counter({tallies.TURNED_AWAY_CLOSED: 1})
    assert in_language(counted, "fr") == Counter({tallies.TURNED_AWAY_CLOSED: 1})
    assert counted[tallies.TURNED_AWAY_CLOSED] == 2


def test_a_full_queue_turns_away_in_the_language_asked_for(make_staff, settings):
    make_staff("sam", available=False)
    settings.HELPLINE = {**settings.HELPLINE, "QUEUE_LIMIT": 1}
    chat_actions.do_start_chat_if_open("ro", "")
    with pytest.raises(Refusal) as refused:
        chat_actions.do_start_chat_if_open("ro", "")
    assert refused.value.code == "full"
    assert in_language(totals(), "ro")[tallies.TURNED_AWAY_FULL] == 1


def test_secure_messages_count_in_the_threads_language(make_staff):
    sam = make_staff("sam", languages=["ar"])
    answered = inbox_actions.do_start_secure_thread("ar", "مرحبا").thread
    inbox_actions.do_add_seeker_secure_message(answered, "وشيء آخر")
    answered.refresh_from_db()
    inbox_actions.do_reply_to_secure_thread(answered, sam, "شكرا")
    forgotten = inbox_actions.do_start_secure_thread("ar", "مرحبا").thread
    SecureThread.objects.filter(pk=forgotten.pk).update(delete_after=timezone.now() - timedelta(minutes=1))
    retention.purge_expired()
    assert in_language(totals(), "ar") == Counter(
        {
            tallies.SECURE_THREADS_STARTED: 2,
            tallies.SECURE_RECEIVED: 3,
            tallies.SECURE_ANSWERED_IN_TARGET: 1,
            tallies.SECURE_EXPIRED_UNANSWERED: 1,
        }
    )


def test_only_offered_languages_and_never_campaigns_are_split():
    day = timezone.localdate()
    tallies.bump(day, [tallies.CHATS_STARTED, "campaign.7.visits"], language="nl")
    tallies.bump(day, [tallies.CHATS_STARTED], language="xx-made-up")
    tallies.bump(day, [tallies.CHATS_STARTED], language=None)
    assert totals() == Counter(
        {
            tallies.CHATS_STARTED: 3,
            "campaign.7.visits": 1,
            tallies.language_name("nl", tallies.CHATS_STARTED): 1,
        }
    )


def test_the_longest_counter_name_fits_its_column():
    longest_language = "x" * int(ChatSession._meta.get_field("language").max_length or 0)
    names = [*figures.detail_names(), *(n for m in figures.MEASURES for n in m.names)]
    longest = max((tallies.language_name(longest_language, name) for name in names), key=len)
    assert len(longest) <= int(DailyCount._meta.get_field("name").max_length or 0), longest
