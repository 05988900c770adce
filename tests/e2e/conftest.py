"""Real-browser fixtures: Debian's Chromium driven by Playwright, every request it makes recorded.

    def test_something(page, network, live_server):
        page.goto(live_server.url + "/en/")
        assert network.foreign_requests(live_server.url) == []

`browser` is one headless Chromium per test module; `page` is a fresh, isolated browser context per
test (its own storage, cookies and downloads) whose requests land in `network`, and whose console
messages (Content Security Policy violations among them) land in `console`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, quote_plus, urlsplit

import pytest
from playwright.sync_api import Browser, Page, Request

from tests.e2e.chromium import launched_chromium


@dataclass(frozen=True)
class RecordedRequest:
    url: str
    method: str
    resource_type: str
    body: str

    @property
    def origin(self) -> str:
        url = self.url.removeprefix("blob:")  # a blob: URL carries the origin that made it
        parts = urlsplit(url)
        return f"{parts.scheme}://{parts.netloc}"


@dataclass
class NetworkLog:
    requests: list[RecordedRequest] = field(default_factory=list)

    def record(self, request: Request) -> None:
        try:
            body = request.post_data or ""
        except UnicodeDecodeError:  # a binary body: keep it searchable as text anyway
            body = (request.post_data_buffer or b"").decode("latin-1")
        self.requests.append(RecordedRequest(request.url, request.method, request.resource_type, body))

    def foreign_requests(self, own_origin: str) -> list[RecordedRequest]:
        """Requests to anywhere but our own server (data: URLs never leave the browser)."""
        own = urlsplit(own_origin)
        expected = f"{own.scheme}://{own.netloc}"
        return [r for r in self.requests if not r.url.startswith("data:") and r.origin != expected]

    def containing(self, text: str) -> list[RecordedRequest]:
        """Requests whose address or body carries this text, in plain or URL-encoded form."""
        forms = {text, quote(text), quote_plus(text)}
        return [r for r in self.requests if any(f in r.url or f in r.body for f in forms)]

    def clear(self) -> None:
        self.requests.clear()


# Module scope, not session: while Playwright runs, this thread has a live event loop, and later tests
# that use async_to_sync (Channels, Celery) would fail if it stayed up for the rest of the session.
@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with launched_chromium() as chromium:
        yield chromium


@pytest.fixture
def network() -> NetworkLog:
    return NetworkLog()


@pytest.fixture
def console() -> list[str]:
    return []


@pytest.fixture
def browser_context_options() -> dict[str, Any]:
    """Override in a test module (e.g. {"java_script_enabled": False}) to change the context."""
    return {}


@pytest.fixture
def page(
    browser: Browser, network: NetworkLog, console: list[str], browser_context_options: dict[str, Any]
) -> Iterator[Page]:
    context = browser.new_context(accept_downloads=True, **browser_context_options)
    context.set_default_timeout(10_000)
    context.on("request", network.record)
    page = context.new_page()
    page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
    page.on("pageerror", lambda error: console.append(f"pageerror: {error}"))
    try:
        yield page
    finally:
        context.close()
