"""A seeker with JavaScript off (Tor Browser's safest setting) on a phone. The page around the
self-refreshing frame must hold still while they type, the newest words must be on screen without
scrolling, every word on the page must be true whether they are waiting, chatting or done, and
ending the chat asks once. When the staff member ends the chat, the seeker keeps the closing words,
their unsent draft and the next steps, and can take a copy and answer three questions, all without
a script."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from django.db.models import Sum
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Page, expect

from helpline.chat import actions as chat_actions
from helpline.models import ChatSession, DailyCount, Message

from .helpers import (
    StaffMember,
    answer_without_a_browser,
    make_staff_member,
    off_the_page,
    screenshot,
    start_chat,
)
from .test_accessibility import AXE, audit

pytestmark = pytest.mark.e2e

CLOSING = "Thank you for talking with me tonight. Please look after yourself, and come back any time."
PHONES = [pytest.param(390, 844, id="390px"), pytest.param(320, 568, id="320px")]
# Words the page around the frame used to say whatever was happening (without JavaScript it is drawn
# once, when the person joins the queue).
UNTRUE_ONCE_LIVE = ("Leave the queue", "once someone has joined", "While you wait")


@pytest.fixture(scope="module")
def axe() -> None:
    if not AXE.exists():
        pytest.skip("axe-core is not installed: run `bash .ci/axe.sh`")


def feedback_counts() -> dict[str, int]:
    rows = DailyCount.objects.filter(name__startswith="feedback.").values("name").annotate(n=Sum("value"))
    return {row["name"]: row["n"] for row in rows}


def frame_of(seeker: Page) -> Locator:
    return seeker.frame_locator("[data-chat-frame]").locator("body")


def outer_words(seeker: Page) -> str:
    """What the page around the frame says (the frame's own words are not part of it)."""
    return seeker.locator("main").inner_text()


def on_screen(seeker: Page, element: Locator) -> bool:
    """The element is in the window, not under the quick-exit bar nor scrolled away inside the frame:
    at its top and bottom edge, the topmost thing drawn is the frame, and in the frame the element."""
    box = element.bounding_box()
    height = seeker.viewport_size["height"] if seeker.viewport_size else 0
    if box is None or box["y"] < 0 or box["y"] + box["height"] > height:
        return False
    points = [
        [box["x"] + box["width"] / 2, box["y"] + 3],
        [box["x"] + box["width"] / 2, box["y"] + box["height"] - 3],
    ]
    frame_on_top = seeker.evaluate(
        "(points) => points.every(([x, y]) => document.elementFromPoint(x, y)?.matches('[data-chat-frame]'))",
        points,
    )
    drawn_in_frame = element.evaluate(
        """el => { const r = el.getBoundingClientRect(), x = r.left + r.width / 2;
            return [r.top + 3, r.bottom - 3].every(y => el.contains(document.elementFromPoint(x, y))); }"""
    )
    return bool(frame_on_top and drawn_in_frame)


def shows(seeker: Page, element: Locator, seconds: float = 5) -> bool:
    """The element is on screen, or comes on screen within a few seconds. The frame reloads itself every
    few seconds; measured halfway through a reload, the new document is not laid out yet (the person
    still sees the old one), so one look at the wrong moment says nothing about what the person sees."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            if on_screen(seeker, element):
                return True
        except PlaywrightError:  # the frame's document was replaced while we measured it
            pass
        if time.monotonic() > deadline:
            return False
        seeker.wait_for_timeout(200)


def a_live_chat_with_history(site, browse, width: int, height: int) -> tuple[Page, ChatSession, StaffMember]:
    sam = make_staff_member("sam", "Sam")
    seeker = browse.page(javascript=False, width=width, height=height)
    start_chat(seeker, site.url)
    frame = frame_of(seeker)
    expect(frame.locator(".chat-status")).to_contain_text("You are number 1 in the queue.")
    chat = answer_without_a_browser(sam)
    expect(frame.locator(".chat-status")).to_contain_text("You are chatting with Sam.")
    for n in range(1, 7):
        sender = Message.Sender.STAFF if n % 2 else Message.Sender.SEEKER
        staff = sam.profile if n % 2 else None
        words = f"Message {n}: a few words to fill a line or two of the conversation on a small screen."
        off_the_page(chat_actions.do_send_message, chat, sender, words, staff=staff)
    off_the_page(
        chat_actions.do_send_message,
        chat,
        Message.Sender.STAFF,
        "The newest words are these.",
        staff=sam.profile,
    )
    expect(frame.locator(".transcript")).to_contain_text("The newest words are these.")
    return seeker, chat, sam


@pytest.mark.parametrize(("width", "height"), PHONES)
def test_without_javascript_the_page_holds_still_and_the_newest_words_show(site, browse, width, height):
    seeker, chat, sam = a_live_chat_with_history(site, browse, width, height)
    frame = frame_of(seeker)

    # Opened afresh: the newest words are on screen without scrolling, below the quick-exit bar.
    seeker.goto(site.url + "/chat/session/")
    expect(frame.locator(".transcript")).to_contain_text("The newest words are these.")
    seeker.wait_for_timeout(500)
    assert seeker.evaluate("scrollY") == 0, "the page scrolled by itself as it opened"
    assert shows(seeker, frame.locator(".msg").last), "the latest message is not on screen"
    if width == 390:
        screenshot(seeker, "chat-without-javascript-phone")

    # Twenty seconds of typing while the frame refreshes itself: the page does not move, and a new
    # message shows up on screen.
    box = seeker.locator("#chat-body")
    box.focus()
    start = seeker.evaluate("scrollY")
    seen = set()
    off_the_page(
        chat_actions.do_send_message, chat, Message.Sender.STAFF, "Take your time.", staff=sam.profile
    )
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        seeker.keyboard.type("and ", delay=40)
        seen.add(seeker.evaluate("scrollY"))
    assert seen == {start}, f"the page scrolled by itself while the person typed: {sorted(seen)}"
    expect(frame.locator(".transcript")).to_contain_text("Take your time.")
    assert shows(seeker, frame.locator(".msg").last), "the newest message is not on screen"
    assert box.input_value().startswith("and and")


def test_without_javascript_every_word_on_the_page_is_true(site, browse):
    """Without JavaScript the page around the frame is drawn once, when the person joins the queue;
    the frame says what is happening, and nothing around it may say otherwise."""
    seeker, chat, sam = a_live_chat_with_history(site, browse, 390, 844)
    frame = frame_of(seeker)
    said = outer_words(seeker)
    assert [words for words in UNTRUE_ONCE_LIVE if words in said] == []
    expect(frame.locator(".chat-status")).to_contain_text("You are chatting with Sam.")

    off_the_page(chat_actions.do_end_chat, chat, by_staff=sam.profile)
    expect(frame.locator(".chat-status")).to_contain_text("This chat has ended")
    expect(frame.locator(".chat-status")).to_contain_text("The helpline ended the chat.")
    # The frame stops refreshing itself and says where to go next, for the whole window.
    expect(frame.locator(".chat-live-controls")).not_to_contain_text("updates itself")
    for name in ("Start a new chat", "Write a secure message", "Self-help"):
        expect(frame.get_by_role("link", name=name)).to_have_attribute("target", "_top")


def test_without_javascript_the_end_stays_with_the_seeker(site, browse):
    seeker, chat, sam = a_live_chat_with_history(site, browse, 390, 844)
    frame = frame_of(seeker)
    draft = "Before you go, can I ask one more thing? Sometimes late at night I"
    seeker.locator("#chat-body").press_sequentially(draft, delay=5)

    # The staff member says goodbye and ends the chat. Nothing moves; the frame shows the closing words.
    address = seeker.url
    off_the_page(chat_actions.do_send_message, chat, Message.Sender.STAFF, CLOSING, staff=sam.profile)
    off_the_page(chat_actions.do_end_chat, chat, by_staff=sam.profile)
    expect(frame.locator(".chat-status")).to_contain_text("This chat has ended")
    expect(frame.locator(".transcript")).to_contain_text(CLOSING)
    assert shows(seeker, frame.locator(".msg").last)
    seeker.wait_for_timeout(5000)
    assert seeker.url == address, "the page went somewhere else by itself"
    expect(seeker.locator("#chat-body")).to_have_value(draft)

    # Sending now explains, keeps the words, and shows the whole end of the chat.
    seeker.locator("#message-box button:has-text('Send')").click()
    expect(seeker.locator("[data-chat-error]")).to_contain_text(
        "This chat has ended, so your message was not sent"
    )
    expect(seeker.locator("#chat-body")).to_have_value(draft)
    expect(seeker.locator("[data-chat-status]")).to_contain_text("This chat has ended")
    expect(seeker.locator("[data-chat-transcript]")).to_contain_text(CLOSING)
    expect(seeker.locator("#message-box button:has-text('Send')")).to_be_disabled()
    after = seeker.locator("[data-chat-after]")
    expect(after.get_by_role("link", name="Start a new chat")).to_be_visible()
    expect(after.get_by_role("link", name="Write a secure message")).to_be_visible()
    expect(after.get_by_role("link", name="Read our self-help pages")).to_be_visible()

    # A copy without a script: the browser saves a text file made from the conversation.
    expect(after).to_contain_text("anyone using this device may find it; delete it when you are done")
    with seeker.expect_download() as download_info:
        after.get_by_role("link", name="Download a copy").click()
    copy = Path(download_info.value.path()).read_text(encoding="utf-8")
    assert f"Sam: {CLOSING}" in copy and "The newest words are these." in copy
    assert re.fullmatch(r"conversation-\d{4}-\d{2}-\d{2}\.txt", download_info.value.suggested_filename)

    # Three answers by a plain form; the unsent words are still there afterwards.
    question = "Do you feel more able to keep yourself and children safe?"
    seeker.get_by_role("group", name=question).get_by_label("Yes").check()
    seeker.get_by_role("button", name="Send answers").click()
    expect(seeker.locator("[data-chat-after]")).to_contain_text("Thank you for telling us")
    expect(seeker.locator("#chat-body")).to_have_value(draft)
    assert feedback_counts() == {"feedback.forms": 1, "feedback.safer.yes": 1}
    browse.assert_only_own_origin()


def test_without_javascript_ending_asks_once_and_keeps_the_draft(site, browse):
    seeker, chat, _sam = a_live_chat_with_history(site, browse, 390, 844)
    seeker.fill("#chat-body", "Something I did not send")
    seeker.locator("[data-chat-end] button").click()
    expect(seeker.locator("h1")).to_have_text("End this chat?")
    chat.refresh_from_db()
    assert chat.status == ChatSession.Status.ACTIVE
    seeker.get_by_role("button", name="No, go back").click()
    expect(seeker.locator("#chat-body")).to_have_value("Something I did not send")
    chat.refresh_from_db()
    assert chat.status == ChatSession.Status.ACTIVE

    seeker.locator("[data-chat-end] button").click()
    seeker.get_by_role("button", name="Yes, end it").click()
    expect(seeker.locator("[data-chat-status]")).to_contain_text("This chat has ended")
    expect(seeker.locator("[data-chat-status]")).to_contain_text("You ended this chat")
    expect(seeker.locator("#chat-body")).to_have_value("Something I did not send")
    expect(seeker.locator("[data-chat-transcript]")).to_contain_text("The newest words are these.")
    chat.refresh_from_db()
    assert (chat.status, chat.end_reason) == (ChatSession.Status.ENDED, ChatSession.EndReason.SEEKER_ENDED)
    browse.assert_only_own_origin()


def test_the_chat_without_javascript_has_no_accessibility_violations(site, browse, axe):
    sam = make_staff_member("sam", "Sam")
    # Our own scripts refused, axe allowed in: the page as a browser without JavaScript draws it.
    seeker = browse.page(width=390, height=844, bypass_csp=True)
    seeker.route("**/static/js/**", lambda route: route.abort())
    start_chat(seeker, site.url)
    chat = answer_without_a_browser(sam)
    off_the_page(
        chat_actions.do_send_message, chat, Message.Sender.STAFF, "Hello, I am here.", staff=sam.profile
    )
    seeker.reload()
    expect(frame_of(seeker).locator(".transcript")).to_contain_text("Hello, I am here.")
    # The live frame refreshes itself by a meta refresh, which axe always flags (WCAG 2.2.1); the frame
    # has a link that stops it, which axe cannot see (as in test_accessibility.py).
    assert audit(seeker, skip=("meta-refresh",)) == []

    off_the_page(chat_actions.do_send_message, chat, Message.Sender.STAFF, CLOSING, staff=sam.profile)
    off_the_page(chat_actions.do_end_chat, chat, by_staff=sam.profile)
    expect(frame_of(seeker).locator(".chat-status")).to_contain_text("This chat has ended")
    assert audit(seeker) == [], "the frame once the chat has ended"
    seeker.goto(site.url + "/chat/session/")
    expect(seeker.locator("[data-chat-status]")).to_contain_text("This chat has ended")
    assert audit(seeker) == []
