"""Limits that stop floods, not people.

Many real people share one internet address: everyone behind a phone network's shared address, a
college, a Tor exit. So the limits here count what a flood costs the service, not how many people arrive
from one place (docs/privacy.md, "Limits that stop floods, not people"):

- chats still waiting for staff that one rate-limit key holds at once: a person who is answered or
  leaves frees their place straight away, a script that never leaves holds only a few;
- chats started per key, in a window generous enough that only a script reaches it;
- chats started across the whole service in a minute: a surge guard next to the queue limit;
- wrong passphrases per key, counted only once the words have been checked and opened nothing, so the
  right passphrase always opens whatever others on the same address typed.

Each count is one atomic step (create the window's counter if missing, add one, compare what came back),
so requests racing each other cannot slip past a limit. Chat starts for one key also pass one at a time
(a short lock), because "how many are waiting" must not change between the check and the start.

The key is the opaque per-day key from config.privacy, never an address. Everything kept here lives only
in the cache and expires on its own.
"""

from __future__ import annotations

import contextlib
import math
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from django.http import HttpRequest
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext
from django_ratelimit.exceptions import Ratelimited

from config.cache import CACHE_DOWN
from config.privacy import rate_limit_key
from config.views import wait_words
from helpline.models import ChatSession

# Why a request was paused; the 429 page (config.views.rate_limited) words each one.
TOO_MANY_STARTS = "chat-starts"
TOO_MANY_WAITING = "chats-waiting"
STARTING_AT_ONCE = "starting-at-once"

WAITING_STATES = (ChatSession.Status.WAITING, ChatSession.Status.OFFERED)
# How long the list of a key's waiting chats is kept after its last start. Past it, a chat that has
# waited that long no longer counts against its address: a script must start again to hold a place.
WAITING_MEMORY_SECONDS = 60 * 60
# Starts for one key pass one at a time; the lock frees itself if a process dies holding it.
START_LOCK_SECONDS = 10
# A start holds the lock for a few tens of milliseconds, so two people on one address starting at the
# same instant still both get in. Kept short because the waiting request holds one of the web process's
# few request slots (config.database_budget): a flood of simultaneous starts must not stall every page.
START_LOCK_WAIT_SECONDS = 0.25
_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def clock() -> float:
    return time.time()


def enabled() -> bool:
    return bool(getattr(settings, "RATELIMIT_ENABLE", True))


def parse_rate(rate: str) -> tuple[int, int]:
    """'60/10m' -> (60, 600): django-ratelimit's notation."""
    count, _, unit = rate.partition("/")
    return int(count), _PERIODS[unit[-1]] * int(unit[:-1] or 1)


class Paused(Ratelimited):
    """A refusal for one rate-limit key. RatelimitMiddleware turns it into the 429 page, which says
    why and, when an honest time exists, how long: `retry_after` seconds, or None when nobody can know
    (a place opens when one of the waiting chats is answered or leaves)."""

    def __init__(self, reason: str, retry_after: int | None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after


@dataclass(frozen=True)
class Window:
    """Where a count stands in its fixed window (windows start on multiples of the period)."""

    used: int
    limit: int
    resets_in: int  # seconds until the window ends and the count starts again

    @property
    def exceeded(self) -> bool:
        return self.used > self.limit

    @property
    def full(self) -> bool:
        """No room for one more."""
        return self.used >= self.limit


def _window(name: str, key: str, rate: str) -> tuple[str, int, int]:
    limit, period = parse_rate(rate)
    now = clock()
    index = int(now // period)
    resets_in = max(1, math.ceil((index + 1) * period - now))
    return f"limits:{name}:{period}:{index}:{key}", limit, resets_in


def count(name: str, key: str, rate: str) -> Window:
    """Add one to `key`'s count in the current window and return where it stands. Nothing is counted
    while the per-network limits are switched off (RATELIMIT_ENABLE), or while Redis cannot be
    reached: then nobody is refused, because a person turned away matters more than a count."""
    _cache_key, limit, resets_in = _window(name, key, rate)
    if not enabled():
        return Window(0, limit, resets_in)
    try:
        return tally(name, key, rate)
    except CACHE_DOWN:
        return Window(0, limit, resets_in)


def tally(name: str, key: str, rate: str) -> Window:
    """The counter itself, in one atomic step. Two requests at the same moment get different numbers,
    so exactly `limit` of them are within it."""
    return tally_many(name, [key], rate)[0]


def tally_many(name: str, keys: list[str], rate: str) -> list[Window]:
    """`tally` for several keys at once (a key given twice counts twice), in one round trip when the
    cache is Redis: a batch of chat messages (helpline.chat.group_commit) asks for all of its chats."""
    windows = [_window(name, key, rate) for key in keys]
    backend = caches["default"]
    if not isinstance(backend, RedisCache):  # the embedded site's local memory: no round trips to save
        return [_tally_in_memory(cache_key, limit, resets_in) for cache_key, limit, resets_in in windows]
    client: Any = backend._cache.get_client(write=True)
    # MULTI/EXEC: nothing runs between creating a counter with its expiry (SET NX EX) and adding to it
    # (INCR), so a counter can never be left without an expiry, and the whole is one round trip.
    pipeline = client.pipeline(transaction=True)
    for cache_key, _limit, resets_in in windows:
        stored_key = backend.make_and_validate_key(cache_key)
        pipeline.set(stored_key, 0, nx=True, ex=resets_in + 1)
        pipeline.incr(stored_key)
    replies = pipeline.execute()
    return [
        Window(int(replies[2 * index + 1]), limit, resets_in)
        for index, (_key, limit, resets_in) in enumerate(windows)
    ]


def _tally_in_memory(cache_key: str, limit: int, resets_in: int) -> Window:
    # cache.add creates the counter if missing, cache.incr adds one; both atomic in local memory.
    for _attempt in range(3):
        cache.add(cache_key, 0, timeout=resets_in + 1)
        try:
            return Window(int(cache.incr(cache_key)), limit, resets_in)
        except ValueError:  # the counter expired between add and incr: the window has just turned
            continue
    return Window(1, limit, resets_in)


def peek(name: str, key: str, rate: str) -> Window:
    cache_key, limit, resets_in = _window(name, key, rate)
    try:
        used = int(cache.get(cache_key) or 0) if enabled() else 0
    except CACHE_DOWN:  # as in count: nobody is refused for want of Redis
        used = 0
    return Window(used, limit, resets_in)


# --- chat starts ------------------------------------------------------------------------------


def _waiting_key(key: str) -> str:
    # The day's secret behind the rate key lives in Redis, so someone reading Redis could recompute the
    # key of every network prefix. The list of a key's waiting chats is therefore filed under a second
    # HMAC with the site's secret key, which is never in Redis: from Redis alone, no list of chats can
    # be tied to a network.
    name = salted_hmac("helpline.limits.chats-waiting", key, algorithm="sha256").hexdigest()[:32]
    return f"limits:chats-waiting:{name}"


@contextmanager
def _one_start_at_a_time(key: str) -> Iterator[None]:
    lock = f"limits:start-lock:{key}"
    taken = _take_start_lock(lock)
    if taken is False:
        raise Paused(STARTING_AT_ONCE, START_LOCK_SECONDS)
    try:
        yield
    finally:
        if taken:
            with contextlib.suppress(*CACHE_DOWN):
                cache.delete(lock)


def _take_start_lock(lock: str) -> bool | None:
    """True once taken; False if it stayed taken past the wait; None while Redis cannot be reached
    (then starts go ahead unserialised: like every limit here, it fails open)."""
    deadline = time.monotonic() + START_LOCK_WAIT_SECONDS
    try:
        while not cache.add(lock, 1, timeout=START_LOCK_SECONDS):
            # Only many starts from one address at the very same moment wait here: that is a script.
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.02)
    except CACHE_DOWN:
        return None
    return True


@dataclass
class StartAllowance:
    """Room for one more chat from this key. The caller starts the chat, then says so."""

    key: str
    waiting_ids: list[int] = field(default_factory=list)

    def started(self, chat: ChatSession) -> None:
        if not enabled():
            return
        count(TOO_MANY_STARTS, self.key, settings.RATE_LIMITS["chat_start"])
        with contextlib.suppress(*CACHE_DOWN):  # the chat has started; only the memory of it is lost
            cache.set(_waiting_key(self.key), [*self.waiting_ids, chat.id], timeout=WAITING_MEMORY_SECONDS)


def _remembered_waiting(key: str) -> list[int]:
    try:
        return cache.get(_waiting_key(key)) or []
    except CACHE_DOWN:
        return []


def still_waiting(chat_ids: list[int]) -> list[int]:
    """Which of these chats are still waiting for staff (waiting, or offered and not yet accepted)."""
    if not chat_ids:
        return []
    found = ChatSession.objects.filter(id__in=chat_ids, status__in=WAITING_STATES)
    return sorted(found.values_list("id", flat=True))


@contextmanager
def chat_start_allowance(request: HttpRequest) -> Iterator[StartAllowance]:
    """Room for one more chat from this request's key, or Paused: too many of its chats are waiting at
    once, or it has started more chats in the window than any group of people would. Refused attempts
    cost the key nothing, so a person behind an address a script has used can start once the script's
    chats are gone. Starts for one key pass one at a time until the caller has started its chat."""
    key = rate_limit_key("chat-start", request)
    if not enabled():
        yield StartAllowance(key)
        return
    with _one_start_at_a_time(key):
        starts = peek(TOO_MANY_STARTS, key, settings.RATE_LIMITS["chat_start"])
        if starts.full:
            raise Paused(TOO_MANY_STARTS, starts.resets_in)
        waiting = still_waiting(_remembered_waiting(key))
        if len(waiting) >= settings.RATE_LIMIT_OPEN_CHATS_PER_KEY:
            raise Paused(TOO_MANY_WAITING, None)
        yield StartAllowance(key, waiting)


def service_surge() -> str:
    """Count one more chat about to start anywhere in the service (the surge guard). Past the limit,
    the words that turn it away, with how long until new chats are taken again; otherwise ""."""
    surge = count("chat-start-all", "service", settings.RATE_LIMITS["chat_start_all"])
    if not surge.exceeded:
        return ""
    return gettext(
        "So many people are starting a chat right now that we cannot add more to the queue. Please try "
        "again in %(wait)s, or write us a secure message instead."
    ) % {"wait": wait_words(surge.resets_in)}


# --- secure messages ---------------------------------------------------------------------------


def count_wrong_passphrase(request: HttpRequest) -> Window:
    """Words that opened nothing, counted for this key. Call it only after the words were checked:
    a right passphrase is never counted and never refused."""
    key = rate_limit_key("secure-passphrase", request)
    return count("passphrase-wrong", key, settings.RATE_LIMITS["passphrase"])


def count_secure_message(request: HttpRequest) -> Window:
    key = rate_limit_key("secure-message", request)
    return count("secure-message", key, settings.RATE_LIMITS["secure_message"])
