"""The live transcript the seeker's page and the staff console share (static/js/live-transcript.js): a
page's socket is cut mid-chat while plain requests still go through (a proxy that will not carry
WebSockets), and what the other side sends meanwhile still arrives, by polling, once each and in
order, on the seeker's page and in the console alike. Meanwhile the console's regions that the server
redraws (a chat's status line, here its "Escalated" flag) change without taking away the reply being
written, its chat panel or the focus."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from helpline.chat import actions as chat_actions
from helpline.models import ChatSession, Escalation

from .helpers import assert_each_once_in_order, live_chat, messages, off_the_page, seeker_send, staff_send

pytestmark = pytest.mark.e2e

FROM_SAM = ["Take your time.", "I am still here.", "There is no rush at all."]
FROM_SEEKER = ["Sorry, my connection is bad.", "I wanted to ask something.", "Is this really private?"]
HALF_WRITTEN = "Yes. Nobody here can see"
# The console's socket backs off up to 15 s (a little more or less) between tries while it is cut.
RECONNECTED_MS = 30_000


def until(page: Page, condition: Callable[[], bool], timeout_ms: int = 20_000) -> None:
    """Wait while Playwright keeps working (its socket routes answer only while it is called)."""
    for _ in range(timeout_ms // 100):
        if condition():
            return
        page.wait_for_timeout(100)
    raise AssertionError("timed out")


def test_with_a_socket_cut_nothing_is_lost_or_doubled_and_the_reply_being_written_stays(site, browse):
    talk = live_chat(browse, site.url, cuttable=True, width=390, height=844)
    staff, seeker, panel = talk.staff, talk.seeker, talk.panel
    staff_line, seeker_line = talk.staff_line, talk.seeker_line
    assert staff_line and seeker_line
    transcript, staff_transcript = talk.transcript, talk.staff_transcript
    seeker_send(seeker, "Hello, can I ask you something?")
    expect(staff_transcript).to_contain_text("can I ask you something?")
    chat = ChatSession.objects.get()

    # The seeker's socket is cut. What Sam sends meanwhile reaches their page by polling.
    seeker_line.drop(offline=False)
    cut_at = seeker_line.connections
    for text in FROM_SAM:
        staff_send(panel, text)
    for text in FROM_SAM:
        expect(transcript).to_contain_text(text)
    assert seeker_line.connections == cut_at, "the seeker's page had a socket while it was cut"
    assert_each_once_in_order(messages(transcript))
    seeker_line.restore()
    until(seeker, lambda: seeker_line.connections > cut_at)

    # Sam starts a reply and leaves it half-written, the cursor in the box; then the console's socket
    # is cut. What the seeker sends meanwhile reaches the console by polling (the server's state says
    # how far each chat has got), and so does the news that the chat was escalated.
    box = panel.locator("[data-body]")
    box.fill(HALF_WRITTEN)
    expect(box).to_be_focused()
    panel.evaluate("el => { el.dataset.sameNode = 'yes'; }")
    staff_line.drop(offline=False)
    expect(staff.locator("[data-connection]")).to_contain_text("The live connection is down")
    cut_at = staff_line.connections
    for text in FROM_SEEKER:
        seeker_send(seeker, text)
    off_the_page(chat_actions.do_escalate, chat, talk.sam.profile, Escalation.Reason.STAFF_SUPPORT)
    for text in FROM_SEEKER:
        expect(staff_transcript).to_contain_text(text)
    expect(panel.locator("[data-escalated]")).to_be_visible()  # the status line, swapped in
    assert staff_line.connections == cut_at, "the console had a socket while it was cut"
    assert_each_once_in_order(messages(staff_transcript))

    # The reply is where it was: the same panel, the same words, the cursor still in the box.
    expect(panel).to_have_attribute("data-same-node", "yes")
    expect(box).to_have_value(HALF_WRITTEN)
    expect(box).to_be_focused()
    box.press("End")
    box.press_sequentially(" who you are.")
    expect(box).to_have_value(HALF_WRITTEN + " who you are.")

    staff_line.restore()
    expect(staff.locator("[data-connection]")).to_have_text("Live updates on.", timeout=RECONNECTED_MS)
    box.press("Enter")
    expect(box).to_have_value("")
    expect(transcript).to_contain_text(HALF_WRITTEN + " who you are.")

    stored = list(ChatSession.objects.get().messages.order_by("seq").values_list("seq", "body"))
    expect(staff_transcript.locator("[data-seq]")).to_have_count(len(stored))
    expect(transcript.locator("[data-seq]")).to_have_count(len(stored))
    for shown in (messages(transcript), messages(staff_transcript)):
        assert_each_once_in_order(shown)
        assert shown == stored
    browse.assert_only_own_origin()
