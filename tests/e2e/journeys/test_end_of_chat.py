"""The end of a chat, with JavaScript on, on a phone. The staff member says goodbye and ends the chat
while the seeker is still typing: the seeker stays on their conversation, with the closing words, the
words they had not sent yet, and what they can do next. They choose what to take away: a copy made in
their own browser (the server stores nothing for it), and three anonymous answers kept only as daily
counts. Ending the chat themselves asks once, in the page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.db.models import Sum
from playwright.sync_api import Page, expect

from helpline.chat import actions as chat_actions
from helpline.models import ChatSession, DailyCount, Message

from .helpers import (
    StaffMember,
    answer_without_a_browser,
    make_staff_member,
    off_the_page,
    screenshot,
    seeker_send,
    sign_in,
    start_chat,
)
from .test_accessibility import AXE, audit

pytestmark = pytest.mark.e2e

CLOSING = "Thank you for talking with me tonight. Please look after yourself, and come back any time."
DRAFT = "Before you go, can I ask one more thing? Sometimes late at night I"


@pytest.fixture(scope="module")
def axe() -> None:
    if not AXE.exists():
        pytest.skip("axe-core is not installed: run `bash .ci/axe.sh`")


def feedback_counts() -> dict[str, int]:
    rows = DailyCount.objects.filter(name__startswith="feedback.").values("name").annotate(n=Sum("value"))
    return {row["name"]: row["n"] for row in rows}


def stored_rows() -> tuple[int, int, int]:
    return ChatSession.objects.count(), Message.objects.count(), DailyCount.objects.count()


def live_chat_on_a_phone(site, browse, **options) -> tuple[Page, ChatSession, StaffMember]:
    sam = make_staff_member("sam", "Sam")
    seeker = browse.page(width=390, height=844, **options)
    start_chat(seeker, site.url)
    chat = answer_without_a_browser(sam)
    transcript = seeker.locator("[data-chat-transcript]")
    expect(seeker.locator("[data-chat-status]")).to_contain_text("You are chatting with Sam.")
    seeker_send(seeker, "I think I am ready to try the plan we talked about.")
    off_the_page(
        chat_actions.do_send_message,
        chat,
        Message.Sender.STAFF,
        "That sounds like a good step.",
        staff=sam.profile,
    )
    expect(transcript).to_contain_text("That sounds like a good step.")
    return seeker, chat, sam


def staff_say_goodbye_while_the_seeker_types(seeker: Page, chat: ChatSession, sam: StaffMember) -> None:
    box = seeker.locator("#chat-body")
    box.press_sequentially(DRAFT, delay=5)
    off_the_page(chat_actions.do_send_message, chat, Message.Sender.STAFF, CLOSING, staff=sam.profile)
    off_the_page(chat_actions.do_end_chat, chat, by_staff=sam.profile)


def test_the_end_of_a_chat_stays_with_the_seeker_and_they_choose_what_to_take(site, browse):
    seeker, chat, sam = live_chat_on_a_phone(site, browse)
    address = seeker.url
    staff_say_goodbye_while_the_seeker_types(seeker, chat, sam)

    seeker.wait_for_timeout(5000)
    assert seeker.url == address, "the page went somewhere else by itself"
    status = seeker.locator("[data-chat-status]")
    expect(status).to_contain_text("This chat has ended")
    expect(status).to_have_attribute("aria-live", "polite")  # read out by a screen reader
    expect(seeker.locator("[data-chat-transcript]")).to_contain_text(CLOSING)
    expect(seeker.locator("#chat-body")).to_have_value(DRAFT)
    expect(seeker.locator("#message-box button:has-text('Send')")).to_be_disabled()
    expect(seeker.locator("#message-box")).to_contain_text("This chat has ended, so nothing more can be sent")
    expect(seeker.locator("[data-chat-end]")).to_be_hidden()
    after = seeker.locator("[data-chat-after]")
    expect(after.get_by_role("link", name="Start a new chat")).to_be_visible()
    expect(after.get_by_role("link", name="Write a secure message")).to_be_visible()
    expect(after.get_by_role("link", name="Read our self-help pages")).to_be_visible()
    # The token stays so this browser can read the end, but only until the browser closes.
    token = [c for c in seeker.context.cookies() if c["name"] == "chat_token"]
    assert token and token[0]["expires"] == -1, token
    # The end of the conversation just below the quick-exit bar, as the seeker sees it.
    status.evaluate("el => scrollTo(0, el.getBoundingClientRect().top + scrollY - 60)")
    screenshot(seeker, "chat-ended-phone", top=False)

    # Keep a copy: made in this browser from the page; nothing is asked of the server, nothing stored.
    rows = stored_rows()
    asked = len(browse.network.requests)
    expect(after).to_contain_text("anyone using this device may find it; delete it when you are done")
    with seeker.expect_download() as download_info:
        after.get_by_role("link", name="Download a copy").click()
    download = download_info.value
    assert re.fullmatch(r"conversation-\d{4}-\d{2}-\d{2}\.txt", download.suggested_filename)
    copy = Path(download.path()).read_text(encoding="utf-8")
    assert "You: I think I am ready to try the plan we talked about." in copy
    assert "Sam: That sounds like a good step." in copy
    assert f"Sam: {CLOSING}" in copy
    assert DRAFT not in copy  # only what was said
    assert [r.url for r in browse.network.requests[asked:] if not r.url.startswith("blob:")] == []
    assert stored_rows() == rows
    expect(after.get_by_role("button", name="Print")).to_be_visible()
    seeker.emulate_media(media="print")  # printed, only the conversation: no buttons, forms or exit bar
    expect(seeker.locator("[data-chat-transcript]")).to_contain_text(CLOSING)
    for hidden in ("[data-chat-after]", "#message-box", "[data-quick-exit]", "[data-chat-status]"):
        expect(seeker.locator(hidden)).to_be_hidden()
    seeker.emulate_media(media="screen")

    # Three anonymous answers, each optional.
    form = seeker.locator("[data-feedback]")
    form.get_by_role("group", name="Was this chat helpful?").get_by_label("Yes").check()
    form.get_by_role("group", name="Would you contact us again?").get_by_label("Not sure").check()
    form.get_by_role("button", name="Send answers").click()
    expect(after).to_contain_text("Thank you for telling us")
    assert feedback_counts() == {"feedback.forms": 1, "feedback.helpful.yes": 1, "feedback.again.not_sure": 1}
    assert ChatSession.objects.get().feedback_given
    # Still the same page: the closing words and the unsent words are where they were.
    assert seeker.url == address
    expect(seeker.locator("#chat-body")).to_have_value(DRAFT)
    expect(seeker.locator("[data-chat-transcript]")).to_contain_text(CLOSING)

    # Supervisors see the answers only as counts, and small ones hidden.
    alex = make_staff_member("alex", "Alex", supervisor=True)
    supervisor = browse.page()
    sign_in(supervisor, site.url, alex, then="/staff/stats/")
    feedback = supervisor.locator("section[aria-labelledby=feedback-title]")
    expect(feedback).to_contain_text("Feedback forms sent: fewer than 5")
    helpful = feedback.locator("tr", has=supervisor.locator("th:has-text('Was this chat helpful?')"))
    expect(helpful.locator("td")).to_have_text(["fewer than 5", "0", "0"])  # one yes; no one said otherwise
    browse.assert_only_own_origin()


def test_ending_the_chat_asks_once_in_the_page(site, browse):
    seeker, chat, _sam = live_chat_on_a_phone(site, browse)
    address = seeker.url
    seeker.locator("#chat-body").fill("I will write this down later")
    seeker.locator("[data-chat-end] button").click()
    confirm = seeker.locator("[data-chat-end-confirm]")
    expect(confirm).to_be_visible()
    expect(confirm).to_contain_text("End this chat?")
    expect(confirm).to_be_focused()
    chat.refresh_from_db()
    assert chat.status == ChatSession.Status.ACTIVE

    confirm.get_by_role("button", name="No, go back").click()
    expect(confirm).to_be_hidden()
    expect(seeker.locator("[data-chat-end] button")).to_be_focused()
    chat.refresh_from_db()
    assert chat.status == ChatSession.Status.ACTIVE

    seeker.locator("[data-chat-end] button").click()
    confirm.get_by_role("button", name="Yes, end it").click()
    expect(seeker.locator("[data-chat-status]")).to_contain_text("This chat has ended")
    expect(seeker.locator("[data-chat-status]")).to_contain_text("You ended this chat")
    seeker.wait_for_timeout(3000)
    assert seeker.url == address
    expect(seeker.locator("#chat-body")).to_have_value("I will write this down later")
    chat.refresh_from_db()
    assert (chat.status, chat.end_reason) == (ChatSession.Status.ENDED, ChatSession.EndReason.SEEKER_ENDED)
    browse.assert_only_own_origin()


def test_the_ended_chat_has_no_accessibility_violations(site, browse, axe):
    seeker, chat, sam = live_chat_on_a_phone(site, browse, bypass_csp=True)
    staff_say_goodbye_while_the_seeker_types(seeker, chat, sam)
    expect(seeker.locator("[data-chat-status]")).to_contain_text("This chat has ended")
    expect(seeker.locator("[data-feedback]")).to_be_visible()
    assert audit(seeker) == []
    seeker.reload()  # as the server draws it
    expect(seeker.locator("[data-chat-status]")).to_contain_text("This chat has ended")
    assert audit(seeker) == []
