"""Staff sessions: kept in the database, with the cache (Redis in production) as a copy in front of it,
and a Redis that cannot be reached never costs anyone their sign-in (issue 13, point 5).

Django's cached_db store reads the cache first and writes both, and lets some cache errors through
(the write after a database read, `exists`, `delete`): while Redis restarted, every staff page answered
500 and nobody could sign in or out. Here every cache call is guarded. When one fails, the session
is read from and written to the database alone, and the failure is logged as one warning a minute at
most, naming only the kind of error: no session key, person or address.

The database is the record; the cache is a copy that can go stale while Redis cannot be reached: a
sign-out, or an expiry, that could not remove its cached copy. So after a cache failure this process
reads sessions from the database first for a whole session lifetime (SESSION_COOKIE_AGE), and puts
right what it finds in the cache (refreshes it, or removes an ended session), so a session ended
during the outage can never come back from a copy Redis kept.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from asgiref.sync import sync_to_async
from django.conf import settings
from django.contrib.sessions.backends.cached_db import SessionStore as CachedDBStore

from config.cache import CACHE_DOWN

logger = logging.getLogger(__name__)

WARN_EVERY_SECONDS = 60.0

_lock = threading.Lock()
_last_failure = -float("inf")  # time.monotonic() of this process's last failed cache call
_last_warning = -float("inf")


def cache_failed(operation: str, error: BaseException) -> None:
    global _last_failure, _last_warning
    now = time.monotonic()
    with _lock:
        _last_failure = now
        warn = now - _last_warning >= WARN_EVERY_SECONDS
        if warn:
            _last_warning = now
    if warn:
        # The error's class only: its text names the Redis host, and nothing here is the reader's business.
        logger.warning(
            "Session cache unavailable (%s on %s); staff sessions are read from and written to the database",
            type(error).__name__,
            operation,
        )


def cache_trusted() -> bool:
    """False for a session lifetime after a cache failure here: the cache may hold copies that are out of
    date (ended sessions among them) until then."""
    return time.monotonic() - _last_failure > settings.SESSION_COOKIE_AGE


def reset() -> None:
    """Forget past failures (tests)."""
    global _last_failure, _last_warning
    with _lock:
        _last_failure = _last_warning = -float("inf")


class SessionStore(CachedDBStore):
    # Set and defined by Django's stores; django-stubs does not declare them.
    _cache: Any
    _session: dict[str, Any]
    _get_session_from_db: Callable[[], Any]

    def load(self) -> dict[str, Any]:
        # Named now: the database read forgets a key it does not find, and `cache_key` would make a new one.
        cache_key = self.cache_key
        data = None
        if cache_trusted():
            try:
                data = self._cache.get(cache_key)
            except CACHE_DOWN as error:
                cache_failed("read", error)
        if data is not None:
            return data
        row = self._get_session_from_db()
        if row is None:
            self._forget_cached_copy(cache_key)  # an ended session: its copy must not outlive it
            return {}
        data = self.decode(row.session_data)
        try:
            self._cache.set(cache_key, data, self.get_expiry_age(expiry=row.expire_date))
        except CACHE_DOWN as error:
            cache_failed("write", error)
        return data

    def exists(self, session_key: str | None) -> bool:
        if session_key and cache_trusted():
            try:
                if (self.cache_key_prefix + session_key) in self._cache:
                    return True
            except CACHE_DOWN as error:
                cache_failed("read", error)
        return session_key is not None and super(CachedDBStore, self).exists(session_key)

    def save(self, must_create: bool = False) -> None:
        super(CachedDBStore, self).save(must_create)  # the database: errors here are real ones
        try:
            self._cache.set(self.cache_key, self._session, self.get_expiry_age())
        except CACHE_DOWN as error:
            cache_failed("write", error)

    def delete(self, session_key: str | None = None) -> None:
        super(CachedDBStore, self).delete(session_key)
        if session_key is None:
            if self.session_key is None:
                return
            session_key = self.session_key
        self._forget_cached_copy(self.cache_key_prefix + session_key)

    def _forget_cached_copy(self, cache_key: str) -> None:
        try:
            self._cache.delete(cache_key)
        except CACHE_DOWN as error:
            cache_failed("delete", error)

    # The async variants, for async views: none of ours uses them, but one must not reach Redis unguarded.

    async def aload(self) -> dict[str, Any]:
        return await sync_to_async(self.load)()

    async def aexists(self, session_key: str | None) -> bool:
        return await sync_to_async(self.exists)(session_key)

    async def asave(self, must_create: bool = False) -> None:
        await sync_to_async(self.save)(must_create)

    async def adelete(self, session_key: str | None = None) -> None:
        await sync_to_async(self.delete)(session_key)
