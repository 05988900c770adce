"""Secure messages and the queue notice in a real browser with JavaScript on: the copy button copies
the passphrase, the queue page says plainly when nobody is free, and the Content Security Policy
refuses nothing (no inline script or style anywhere)."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser_context_options() -> dict[str, Any]:
    return {"permissions": ["clipboard-read", "clipboard-write"]}


def test_the_copy_button_copies_the_passphrase_and_the_way_back_works(page, console, network, live_server):
    page.goto(f"{live_server.url}/en/messages/")
    page.fill("#secure-body", "I would like to talk about something that worries me.")
    page.click("text=Send message")
    box = page.locator("[data-passphrase]")
    passphrase = box.input_value().strip()
    assert len(passphrase.split(" ")) == 6

    page.click("[data-copy-passphrase]")
    page.wait_for_selector("text=Copied.")
    assert page.evaluate("navigator.clipboard.readText()") == passphrase
    box.click()  # clicking the box selects every word, for copying by hand
    assert page.evaluate("window.getSelection().toString() || document.activeElement.value") == passphrase

    page.click("text=I have kept my passphrase")
    page.wait_for_selector("text=I would like to talk about something that worries me.")
    assert page.locator("text=will be deleted on").count() == 1
    assert [line for line in console if "Content Security Policy" in line or "pageerror" in line] == []
    assert network.foreign_requests(live_server.url) == []
    # The words never travel in an address: only in the bodies of our own POSTs.
    assert all(
        passphrase.replace(" ", "+") not in r.url and passphrase not in r.url for r in network.requests
    )


def test_someone_waiting_with_javascript_hears_that_nobody_is_free(page, console, live_server):
    page.goto(f"{live_server.url}/en/chat/")
    page.click("text=Start chat")
    notice = page.locator("[data-queue-notice]")
    notice.wait_for(state="visible")
    assert "write us a secure message instead" in notice.inner_text()
    assert [line for line in console if "Content Security Policy" in line] == []
