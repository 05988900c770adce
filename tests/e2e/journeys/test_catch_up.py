"""A message is stored, but the event that should carry it to the open pages is lost (the server's Redis
restarted as it was published: issue 13 point 2). Both the seeker's page and the staff console must
still show it, without a reload: at once when a later message shows the gap, and within half a
minute when nothing else happens in the chat (each page asks "anything after N?" now and then)."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect

from helpline import events
from helpline.chat import actions as chat_actions
from helpline.models import ChatSession, Message, StaffProfile

from .helpers import assert_each_once_in_order, live_chat, messages, off_the_page, staff_send

pytestmark = pytest.mark.e2e

# The pages ask every 25 s; a busy two-core machine gets a few seconds more.
QUIET_CATCH_UP_MS = 40_000
# A gap is filled at once: well inside the time before the next periodic check is due.
GAP_FILLED_S = 8.0


def stored_but_never_told(
    chat: ChatSession, sender: str, body: str, staff: StaffProfile | None = None
) -> int:
    """Store a message as the service does, with its publish lost on the way (no page hears of it)."""
    real_send_now = events.send_now
    events.send_now = lambda group, event: None
    try:
        return chat_actions.do_send_message(chat, sender, body, staff).seq
    finally:
        events.send_now = real_send_now


def test_a_message_whose_event_was_lost_still_reaches_both_sides(site, browse):
    talk = live_chat(browse, site.url, width=390, height=844)
    sam, seeker, panel = talk.sam, talk.seeker, talk.panel
    transcript, staff_transcript = talk.transcript, talk.staff_transcript
    staff_send(panel, "Hello, I'm Sam. Take your time.")
    expect(transcript).to_contain_text("Take your time.")
    chat = ChatSession.objects.get()

    # Lost, and nothing follows it: the seeker's page and the console each ask by themselves.
    off_the_page(
        stored_but_never_told, chat, Message.Sender.STAFF, "Are you still there? No rush.", sam.profile
    )
    expect(transcript).to_contain_text("Are you still there? No rush.", timeout=QUIET_CATCH_UP_MS)
    expect(staff_transcript).to_contain_text("Are you still there? No rush.", timeout=QUIET_CATCH_UP_MS)

    # Lost, then the next message arrives: its number skips one, and the page fetches the one missed.
    # A reload first: the seeker's page connects afresh, so its next periodic check is 25 s away.
    seeker.reload()
    expect(seeker.locator("[data-chat-status]")).to_contain_text("You are chatting with Sam.")
    off_the_page(stored_but_never_told, chat, Message.Sender.SEEKER, "Sorry, I had to step away.")
    started = time.monotonic()
    off_the_page(
        chat_actions.do_send_message, chat, Message.Sender.STAFF, "That's fine, I'm still here.", sam.profile
    )
    expect(transcript).to_contain_text("That's fine, I'm still here.")
    expect(transcript).to_contain_text("Sorry, I had to step away.")
    expect(staff_transcript).to_contain_text("Sorry, I had to step away.")
    assert time.monotonic() - started < GAP_FILLED_S, "the gap waited for the periodic check"

    stored = list(chat.messages.order_by("seq").values_list("seq", flat=True))
    for shown in (messages(transcript), messages(staff_transcript)):
        assert_each_once_in_order(shown)
        assert [seq for seq, _ in shown] == stored
    browse.assert_only_own_origin()
