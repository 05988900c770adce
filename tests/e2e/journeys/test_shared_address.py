"""Many people behind one address, in real browsers. Every browser here comes from 127.0.0.1, so they all
share one rate-limit key, as people behind a phone network's shared address or a Tor exit do.

Ten people are already waiting from that address and nobody is on duty yet. The eleventh, on a phone
with JavaScript off, is told the truth: why, that a place opens when one of the others is answered or
leaves (no invented time), and what they can do now instead. Once a member of staff answers one of the
ten, the eleventh gets in. (The counts behind this, and the scripted flood it stops, are proved in
tests/helpline/chat/test_shared_networks.py.)"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from helpline.models import ChatSession

from .helpers import answer_without_a_browser, make_staff_member, screenshot, start_chat
from .test_accessibility import audit

pytestmark = pytest.mark.e2e

PAUSED = "Your chat could not start just yet"


def press_start(page: Page, site_url: str) -> None:
    page.goto(site_url + "/en/chat/")
    page.click("button:has-text('Start chat')")


def test_a_person_behind_a_busy_shared_address_is_told_the_truth_and_offered_other_help(site, browse):
    per_address = 10  # RATE_LIMIT_OPEN_CHATS_PER_KEY, as the stack runs it (the default)
    for _ in range(per_address):
        start_chat(browse.page(javascript=False, width=390, height=700), site.url)
    assert ChatSession.objects.filter(status=ChatSession.Status.WAITING).count() == per_address

    seeker = browse.page(javascript=False, width=390, height=844)
    press_start(seeker, site.url)
    expect(seeker.locator("h1")).to_have_text(PAUSED)
    main = seeker.locator("main")
    expect(main).to_contain_text("A place opens as soon as one of them is answered or leaves the queue.")
    expect(main).to_contain_text("this may have nothing to do with you")
    expect(main).not_to_contain_text("minute")  # nobody can know when, so no time is promised
    expect(main.get_by_role("link", name="Write us a secure message")).to_be_visible()
    expect(main.get_by_role("link", name="Read our self-help pages")).to_be_visible()
    assert seeker.evaluate("document.scrollingElement.scrollWidth") <= 390
    screenshot(seeker, "chat-paused-phone", full_page=True)

    narrow = browse.page(javascript=False, width=320, height=640)
    press_start(narrow, site.url)
    expect(narrow.locator("h1")).to_have_text(PAUSED)
    assert narrow.evaluate("document.scrollingElement.scrollWidth") <= 320

    # The same page, checked by axe-core (which needs JavaScript, and our CSP set aside to load it).
    checked = browse.page(bypass_csp=True)
    press_start(checked, site.url)
    expect(checked.locator("h1")).to_have_text(PAUSED)
    assert audit(checked) == []

    # The secure message is one tap away and works now.
    seeker.click("text=Write us a secure message")
    expect(seeker).to_have_url(site.url + "/en/messages/")
    seeker.go_back()

    # A member of staff answers one of the ten: a place is free, and the eleventh gets in.
    answer_without_a_browser(make_staff_member("sam", "Sam", max_chats=1))
    start_chat(seeker, site.url)
    expect(seeker.locator("body")).not_to_contain_text(PAUSED)
    assert ChatSession.objects.filter(status=ChatSession.Status.WAITING).count() == per_address
    browse.assert_only_own_origin()
