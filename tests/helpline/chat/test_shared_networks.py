"""Many real people share one internet address: everyone on a phone network's shared address, a college,
a Tor exit. The limits must stop a script flooding the service without shutting those people out.

Every person here is a fresh test client (its own cookie jar) with the same REMOTE_ADDR, so all of them
share one rate-limit key, exactly as they would behind a carrier's address.
"""

import html
import math
import os
import re
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.utils import timezone

from config.privacy import rate_key_for_address
from helpline.chat import actions as chat_actions
from helpline.inbox import passphrases
from helpline.models import ChatSession, DailyCount, hash_token
from helpline.stats import tallies
from tests.conftest import CANARY_ADDRESS
from tests.privacy_audit import cache_text, find_canary

pytestmark = pytest.mark.django_db(transaction=True)

SHARED = "198.51.100.23"  # one carrier address, many people behind it
OPEN = (ChatSession.Status.WAITING, ChatSession.Status.OFFERED)
FIRST_WORDS = "I keep having thoughts that frighten me and I do not know who to tell."


def person(address: str = SHARED) -> Client:
    """A new person: their own browser (cookies), on the given network."""
    return Client(REMOTE_ADDR=address)


def elsewhere(n: int) -> Client:
    """Someone on another network (another /24)."""
    return person(f"100.64.{n}.9")


def start(client: Client):
    return client.post("/chat/start/", {"language": "en", "about": ""})


def chat_of(client: Client) -> ChatSession:
    return ChatSession.objects.get(token_hash=hash_token(client.cookies["chat_token"].value))


def leaves(client: Client) -> None:
    """The person leaves the queue. (Through the action rather than the page: how the page asks for
    that is another change; what matters here is that their place is freed.)"""
    assert chat_actions.do_leave_queue(chat_of(client))


def answer_offers(staff) -> int:
    answered = 0
    for profile in staff:
        for chat in ChatSession.objects.filter(status=ChatSession.Status.OFFERED, offered_to=profile):
            chat_actions.do_accept_offer(chat, profile)
            answered += 1
    return answered


def clear_of_window_edge(period: int, needed: float) -> None:
    """Counts run in fixed windows (aligned to the clock). A test that needs `needed` seconds inside one
    window waits for the next one if the current one is about to end, so it never straddles two."""
    left = period - time.time() % period
    if left < needed:
        time.sleep(left + 0.2)


def write(client: Client):
    return client.post(
        "/en/messages/new/", {"language": "en", "body": FIRST_WORDS, "draft": "d-" + os.urandom(6).hex()}
    )


def shown_passphrase(response) -> str:
    match = re.search(r"<textarea[^>]*data-passphrase[^>]*>([^<]+)</textarea>", response.content.decode())
    assert match, "the passphrase box is missing"
    return html.unescape(match.group(1)).strip()


def open_with(client: Client, typed: str):
    return client.post("/en/messages/open/", {"passphrase": typed})


def text(response) -> str:
    return html.unescape(re.sub(r"\s+", " ", response.content.decode()))


# --- chats: people behind one address -----------------------------------------------------------


def test_thirty_people_behind_one_address_within_an_hour_all_get_a_chat(make_staff):
    staff = [make_staff(f"staff{n}", max_chats=3) for n in range(7)]
    people = []
    for n in range(30):
        seeker = person()
        started = start(seeker)
        assert started.status_code == 302, f"person {n + 1} of 30 was turned away ({started.status_code})"
        assert started["Location"] == "/chat/session/"
        assert seeker.get("/chat/session/").status_code == 200
        assert chat_of(seeker).status in OPEN
        people.append(seeker)
        if n % 3 == 2:
            leaves(seeker)  # some give up while waiting
        if n % 4 == 3:
            answer_offers(staff)  # staff answer the people offered to them every few arrivals
    answer_offers(staff)

    chats = [chat_of(seeker) for seeker in people]
    assert len({chat.id for chat in chats}) == 30
    assert sum(chat.status == ChatSession.Status.ACTIVE for chat in chats) == 20
    assert sum(chat.end_reason == ChatSession.EndReason.SEEKER_LEFT_QUEUE for chat in chats) == 10


def test_a_scripted_flood_from_one_address_is_stopped_early_and_leaves_the_queue_to_others(settings):
    settings.RATE_LIMIT_OPEN_CHATS_PER_KEY = 10
    began = time.monotonic()
    codes = Counter(start(person()).status_code for _ in range(200))  # none of them ever leaves
    assert time.monotonic() - began < 60
    assert codes == {302: 10, 429: 190}
    assert ChatSession.objects.filter(status__in=OPEN).count() == 10
    assert ChatSession.objects.waiting().count() < settings.HELPLINE["QUEUE_LIMIT"]

    # People on other networks still get in while the script holds its places.
    for n in range(5):
        assert start(elsewhere(n)).status_code == 302
    assert ChatSession.objects.count() == 15

    # The script stops: its pages fall silent and the sweep counts those chats gone. A person on the
    # same carrier address can start straight away, not an hour later.
    later = timezone.now() + timedelta(seconds=settings.HELPLINE["SEEKER_QUEUE_GRACE_SECONDS"] + 1)
    assert chat_actions.do_abandon_vanished_seekers(later) == 15
    assert start(person()).status_code == 302


def test_many_starts_from_one_address_at_the_same_moment_cannot_race_past_the_waiting_limit(settings):
    settings.RATE_LIMIT_OPEN_CHATS_PER_KEY = 3
    barrier = threading.Barrier(30)

    def one_start(_n: int) -> int:
        client = person()
        barrier.wait()
        try:
            return start(client).status_code
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=30) as pool:
        codes = Counter(pool.map(one_start, range(30)))
    created = ChatSession.objects.count()
    assert 1 <= created <= 3
    assert codes == {302: created, 429: 30 - created}


def test_a_script_that_starts_and_leaves_over_and_over_is_stopped_at_a_rate_no_person_reaches():
    # The default limits: sixty chats started from one address in ten minutes is more than the thirty
    # people above start in an hour, and far fewer than a script starts.
    clear_of_window_edge(600, 60)
    codes = []
    for _ in range(80):
        script = person()
        response = start(script)
        codes.append(response.status_code)
        if response.status_code == 302:
            leaves(script)
    assert codes == [302] * 60 + [429] * 20
    assert start(elsewhere(1)).status_code == 302


def test_a_surge_across_the_whole_service_is_turned_away_honestly_with_a_secure_message_offered(settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "chat_start_all": "5/m"}
    clear_of_window_edge(60, 15)
    for n in range(5):
        assert start(elsewhere(n)).status_code == 302
    refused = start(elsewhere(6))
    assert refused.status_code == 400
    words = text(refused)
    assert "So many people are starting a chat" in words
    assert re.search(r"in (less than a minute|1 minute)", words)
    assert 'href="/en/messages/"' in refused.content.decode()
    assert ChatSession.objects.count() == 5
    assert DailyCount.objects.get(name=tallies.TURNED_AWAY_FULL).value == 1


# --- the pause page -------------------------------------------------------------------------------


def test_the_pause_page_says_truly_how_long_and_offers_a_secure_message_and_self_help(settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "chat_start": "2/h"}
    clear_of_window_edge(3600, 10)
    for _ in range(2):
        assert start(person()).status_code == 302
    paused = start(person())
    window_left = 3600 - time.time() % 3600

    assert paused.status_code == 429
    retry_after = int(paused["Retry-After"])
    assert abs(retry_after - window_left) <= 2
    words = text(paused)
    minutes = math.ceil(retry_after / 60)
    expected = "1 hour" if minutes == 60 else f"{minutes} minute" + ("s" if minutes > 1 else "")
    assert f"You can start a chat again in {expected}." in words
    assert "try again in a minute" not in words
    page = paused.content.decode()
    assert 'href="/en/messages/"' in page
    assert 'href="/en/self-help/"' in page
    assert "may have nothing to do with you" in words
    assert ChatSession.objects.count() == 2


def test_the_pause_page_for_too_many_waiting_chats_does_not_invent_a_time(settings):
    settings.RATE_LIMIT_OPEN_CHATS_PER_KEY = 2
    for _ in range(2):
        assert start(person()).status_code == 302
    paused = start(person())
    assert paused.status_code == 429
    assert "Retry-After" not in paused
    words = text(paused)
    assert "as soon as one of them is answered or leaves the queue" in words
    assert "minute" not in words.split("You do not have to wait")[0]
    assert 'href="/en/messages/"' in paused.content.decode()


# --- passphrases ----------------------------------------------------------------------------------


def test_the_right_passphrase_opens_after_fifty_wrong_ones_from_the_same_address(settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "passphrase": "10/h"}
    clear_of_window_edge(3600, 30)
    writer = person()
    passphrase = shown_passphrase(write(writer))

    answers = Counter(
        open_with(person(), f"wrong guess number {n} from someone else").status_code for n in range(50)
    )
    assert answers == {400: 10, 429: 40}

    opened = open_with(writer, passphrase)
    assert opened.status_code == 200
    assert FIRST_WORDS in text(opened)
    follow_up = writer.post(
        "/en/messages/reply/", {"passphrase": passphrase, "body": "One more thing.", "draft": "r-1"}
    )
    assert follow_up.status_code == 200
    assert "Your message has been sent" in text(follow_up)


def test_a_wrong_passphrase_over_the_limit_is_answered_truthfully_and_not_echoed(settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "passphrase": "1/h"}
    clear_of_window_edge(3600, 10)
    assert open_with(person(), "first wrong words typed here").status_code == 400
    over = open_with(person(), "penguin volcano armchair lantern thimble orchard")
    assert over.status_code == 429
    assert 0 < int(over["Retry-After"]) <= 3600
    words = text(over)
    assert "did not open a conversation" in words
    assert "Your own passphrase still opens your conversation at any time" in words
    assert "penguin" not in words


def test_wrong_guesses_sent_all_at_once_cannot_race_past_the_limit(settings, monkeypatch):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "passphrase": "5/h"}
    clear_of_window_edge(3600, 30)
    write(person())  # a thread exists to be guessed at
    verifier_calls: Counter[str] = Counter()
    check_verifier = passphrases.check_verifier

    def counted(typed: str, verifier: str) -> bool:
        verifier_calls["scrypt"] += 1
        return check_verifier(typed, verifier)

    monkeypatch.setattr(passphrases, "check_verifier", counted)
    barrier = threading.Barrier(20)

    def guess(n: int) -> int:
        client = person()
        barrier.wait()
        try:
            return open_with(client, f"guess number {n} sent with the others").status_code
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=20) as pool:
        answers = Counter(pool.map(guess, range(20)))
    # Exactly the limit is answered as an ordinary wrong guess; every other one is refused.
    assert answers == {400: 5, 429: 15}
    assert verifier_calls["scrypt"] == 0  # words that match nothing never reach the slow hash


# --- what is kept -----------------------------------------------------------------------------------


def test_what_the_limits_keep_is_opaque_and_expires(settings):
    settings.RATE_LIMIT_OPEN_CHATS_PER_KEY = 2
    for _ in range(4):
        start(person(CANARY_ADDRESS))
    open_with(person(CANARY_ADDRESS), "a wrong passphrase from the canary")
    everything = cache_text()
    assert find_canary(everything) == []
    assert "203.0.113" not in everything  # not even the network prefix
    backend = cache._cache  # type: ignore[attr-defined]
    if hasattr(backend, "get_client"):
        client = backend.get_client(write=False)
        kept = [key for key in client.scan_iter("*") if b"limits:" in key]
        assert kept, "the limits keep their counts in Redis"
        for key in kept:
            assert 0 < client.ttl(key) <= 3600 + 1, key
        # The rate key can be recomputed by anyone reading Redis (its day's secret is there), so the
        # list of a network's waiting chats is never filed under it.
        waiting_lists = [k.decode() for k in kept if b"chats-waiting" in k]
        assert waiting_lists, "the waiting chats of the key are kept"
        rate_key = rate_key_for_address(CANARY_ADDRESS)
        assert all(rate_key not in name for name in waiting_lists), waiting_lists
