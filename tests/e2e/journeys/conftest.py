"""Fixtures for the journeys: a live production-like stack (stack.py) and browsers that record every
request, socket and console message of every page they open.

    def test_something(site, browse):
        seeker = browse.page()
        seeker.goto(site.url + "/en/chat/")
        ...
        browse.assert_only_own_origin()

`stack` starts once for this folder and stops after its last test; `site` gives each test an empty
database (transactional, so the stack's processes see what the test writes) and fails the test if a
process of the stack logged a traceback or a browser's user agent while it ran.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.core.management.base import CommandError
from django.db import OperationalError, connection
from django.test import TransactionTestCase
from playwright.sync_api import Browser, BrowserContext, Page, Route, WebSocket

from tests.e2e.chromium import launched_chromium

from .stack import (
    CANARY_USER_AGENT,
    NEUTRAL_URL,
    Stack,
    environment,
    start_stack,
)


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    """One Chromium for all the journeys (tests/e2e/conftest.py starts one per module; the journeys are
    many modules, and each launch costs seconds). Playwright's event loop lives in this thread until
    the last journey: the tests reach helpline actions that publish events through `off_the_page`."""
    with launched_chromium() as chromium:
        yield chromium


@pytest.fixture(scope="package")
def stack(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[Stack]:
    if connection.vendor != "postgresql" or not settings.REDIS_URL:
        pytest.skip("the journeys run on PostgreSQL and Redis: set DATABASE_URL and REDIS_URL (`make test`)")
    with django_db_blocker.unblock():
        db = dict(connection.settings_dict)  # by now, the test database
    log_dir = tmp_path_factory.mktemp("stack")
    env = environment(db, settings.REDIS_URL, settings, log_dir)
    running = start_stack(env, log_dir)
    try:
        yield running
    finally:
        running.stop()


def _clear_cache_keys() -> None:
    # The cache's own keys only. tests/conftest.py's cache.clear() flushes the whole Redis database,
    # which would also wipe the Celery broker's queue bindings the running worker and server rely on.
    backend = caches["default"]
    if not isinstance(backend, RedisCache):
        backend.clear()
        return
    client = backend._cache.get_client(None, write=True)
    keys = list(client.scan_iter(match=backend.make_key("*"), count=500))
    if keys:
        client.delete(*keys)


FLUSH_METHOD = "_fixture_teardown"  # where Django's TransactionTestCase empties the database


@pytest.fixture(scope="package", autouse=True)
def _flush_survives_a_busy_stack() -> Iterator[None]:
    """Each journey ends by emptying the test database (TRUNCATE) while the stack's beat still sweeps
    and its web process may still answer a page's last request: PostgreSQL can pick the TRUNCATE as
    a deadlock's victim. The stack's transaction is short, so the flush is simply tried again."""
    original = getattr(TransactionTestCase, FLUSH_METHOD)

    def flush_retrying(self: TransactionTestCase) -> None:
        for attempt in range(5):
            try:
                original(self)
                return
            except (OperationalError, CommandError) as error:
                # Django's flush command reports the deadlock as a CommandError that quotes it.
                if "deadlock" not in f"{error} {error.__cause__}" or attempt == 4:
                    raise
                time.sleep(0.5)

    setattr(TransactionTestCase, FLUSH_METHOD, flush_retrying)
    try:
        yield
    finally:
        setattr(TransactionTestCase, FLUSH_METHOD, original)


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    """Overrides tests/conftest.py's fixture of this name for the journeys (see _clear_cache_keys)."""
    _clear_cache_keys()
    yield
    _clear_cache_keys()


@dataclass
class Site:
    url: str
    stack: Stack


def watched_site(stack: Stack) -> Iterator[Site]:
    """The site on `stack` for one test, which fails if a process of the stack logged a traceback or a
    browser's user agent meanwhile."""
    stack.check_running()
    sizes = stack.log_sizes()
    yield Site(stack.url, stack)
    stack.check_running()
    written = stack.logs_since(sizes)
    assert "Traceback" not in written, written[-6000:]
    assert "CanaryBrowser" not in written, "a browser's user agent reached a log"


@pytest.fixture
def site(stack: Stack, transactional_db) -> Iterator[Site]:
    yield from watched_site(stack)


@dataclass
class Browsing:
    """Every page opened here records its requests (all contexts in one log), sockets and console."""

    browser: Browser
    site_url: str
    network: Any  # tests/e2e/conftest.py's NetworkLog
    console: list[str]
    sockets: list[str] = field(default_factory=list)
    contexts: list[BrowserContext] = field(default_factory=list)

    def page(self, *, javascript: bool = True, width: int = 1280, height: int = 860, **options: Any) -> Page:
        context = self.browser.new_context(
            java_script_enabled=javascript,
            viewport={"width": width, "height": height},
            user_agent=CANARY_USER_AGENT,
            accept_downloads=True,
            **options,
        )
        context.set_default_timeout(15_000)
        context.on("request", self.network.record)
        context.on("page", self._watch)
        # The quick exit's neutral site is answered here: the test never leaves this machine.
        context.route(NEUTRAL_URL + "**", _neutral_page)
        self.contexts.append(context)
        return context.new_page()

    def _watch(self, page: Page) -> None:
        page.on("websocket", lambda ws: self._socket(ws))
        page.on("console", lambda message: self.console.append(f"{message.type}: {message.text}"))
        page.on("pageerror", lambda error: self.console.append(f"pageerror: {error}"))

    def _socket(self, ws: WebSocket) -> None:
        self.sockets.append(ws.url)

    def foreign_requests(self) -> list[Any]:
        return [r for r in self.network.foreign_requests(self.site_url) if not r.url.startswith(NEUTRAL_URL)]

    def assert_only_own_origin(self) -> None:
        """No request and no socket to anywhere but the site itself (the quick exit's target aside),
        and nothing the Content Security Policy had to block."""
        assert self.network.requests, "the recording saw the journey"
        assert self.foreign_requests() == []
        own_socket = re.compile("^ws://" + re.escape(self.site_url.removeprefix("http://")) + "/")
        assert [url for url in self.sockets if not own_socket.match(url)] == []
        problems = [
            line for line in self.console if "Content Security Policy" in line or line.startswith("pageerror")
        ]
        assert problems == []

    def close(self) -> None:
        for context in self.contexts:
            context.close()


def _neutral_page(route: Route) -> None:
    route.fulfill(status=200, content_type="text/html", body="<title>Weather</title><p>Weather</p>")


@pytest.fixture
def browse(browser: Browser, site: Site, network, console: list[str]) -> Iterator[Browsing]:
    browsing = Browsing(browser, site.url, network, console)
    try:
        yield browsing
    finally:
        browsing.close()
