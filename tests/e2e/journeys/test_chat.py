"""A whole chat in two real browsers on the live stack: a staff member signs in with a second factor and
goes available; a seeker joins the queue; the offer arrives; they talk; the staff member ends the chat
and completes the wrap-up. Then the same chat survives a reload and a dropped connection."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from helpline.chat import texts
from helpline.models import ChatSession, Message, WrapUp

from .helpers import (
    accept_offer,
    add_canned_responses,
    assert_each_once_in_order,
    end_chat_from_console,
    go_available,
    live_chat,
    make_staff_member,
    messages,
    screenshot,
    seeker_send,
    sign_in,
    staff_send,
    start_chat,
    wait_until_live,
)

pytestmark = pytest.mark.e2e


def test_a_chat_from_queue_to_wrap_up(site, browse):
    add_canned_responses()
    sam = make_staff_member("sam", "Sam")

    staff = browse.page()
    sign_in(staff, site.url, sam)
    wait_until_live(staff)
    expect(staff.locator("[data-no-chats]")).to_be_visible()

    seeker = browse.page(width=1100, height=820)
    start_chat(seeker, site.url)
    status = seeker.locator("[data-chat-status]")
    expect(status).to_contain_text("You are number 1 in the queue.")
    estimate = status.locator("p").nth(1)
    expect(estimate).not_to_be_empty()
    expect(seeker.locator("[data-chat-frame]")).to_have_count(0)  # the script took over from the frame
    expect(staff.locator("[data-queue-waiting]")).to_have_text("1")
    screenshot(seeker, "chat-waiting")

    go_available(staff)
    expect(staff.locator("[data-alert]")).to_contain_text("New chat offered")
    expect(status).to_contain_text("A member of the team is about to join you.")
    panel = accept_offer(staff)
    expect(staff.locator("[data-alert]")).to_be_empty()
    expect(status).to_contain_text("You are chatting with Sam.")
    expect(seeker.locator("[data-chat-end] button")).to_have_text("End chat")

    transcript = seeker.locator("[data-chat-transcript]")
    # The limits of confidentiality are posted first, then who joined.
    expect(transcript.locator(".msg--system").first).to_contain_text(texts.CONFIDENTIALITY_STATEMENT[:60])
    expect(transcript).to_contain_text("Sam")

    # Each side sees the other typing, then the message.
    seeker.locator("#chat-body").press_sequentially("Hello, I am")
    expect(panel.locator("[data-typing]")).to_be_visible()
    seeker_send(seeker, "Hello, I am worried about my thoughts and I do not know where to start.")
    expect(panel.locator("[data-messages]")).to_contain_text("I do not know where to start.")
    expect(panel.locator("[data-typing]")).to_be_hidden()

    panel.locator("[data-body]").press_sequentially("Thank")
    expect(seeker.locator("[data-chat-typing]")).to_be_visible()
    staff_send(panel, "Thank you for reaching out. Take your time: what has been on your mind?")
    expect(transcript).to_contain_text("what has been on your mind?")
    expect(seeker.locator("[data-chat-typing]")).to_be_hidden()

    seeker_send(seeker, "Mostly late at night, when I am alone online.")
    expect(panel.locator("[data-messages]")).to_contain_text("when I am alone online.")

    # A stock reply is inserted to edit, then sent.
    panel.locator("select[name=canned]").select_option(label="Signposting: self-help reading")
    panel.locator("button:has-text('Insert to edit')").click()
    expect(panel.locator("[data-body]")).to_have_value(
        "There is self-help reading and guided modules on this site that many people find useful "
        "between conversations. You can use them anonymously, at your own pace, without signing up. "
        "You will find them under “Self-help” and “Guided modules” at the top of the page."
    )
    panel.locator("[data-body]").press("End")
    panel.locator("[data-body]").press_sequentially(" The one on making a plan may suit you.")
    panel.locator("[data-body]").press("Enter")
    expect(transcript).to_contain_text("The one on making a plan may suit you.")
    screenshot(seeker, "chat-active-seeker")
    # The chat's own heading just below the quick-exit bar, which stays at the top of the window.
    panel.evaluate("el => scrollTo(0, el.getBoundingClientRect().top + scrollY - 72)")
    screenshot(staff, "chat-active-staff", top=False)
    screenshot(staff, "staff-console", full_page=True)

    shown = messages(transcript)
    assert_each_once_in_order(shown)
    assert messages(panel.locator("[data-messages]")) == shown

    end_chat_from_console(staff, panel)
    # The seeker stays with the end of their conversation (tests/e2e/journeys/test_end_of_chat.py).
    expect(seeker.locator("[data-chat-status]")).to_contain_text("This chat has ended")
    assert seeker.url == site.url + "/chat/session/"

    banner = staff.locator("[data-wrap-up-banner]")
    expect(banner).to_be_visible()
    panel.locator("a:has-text('Complete the wrap-up')").click()
    expect(staff.locator("h1")).to_contain_text("Wrap-up of chat")
    staff.check("text=Substantive conversation")
    staff.check("text=Themselves")
    staff.check("text=Worried about thoughts")
    staff.check("text=Use a self-help module")
    staff.check("text=Search engine warning")
    staff.click("button:has-text('Save wrap-up')")
    staff.wait_for_url(site.url + "/staff/")
    expect(staff.locator("[data-wrap-up-banner]")).to_be_hidden()

    chat = ChatSession.objects.get()
    assert chat.status == ChatSession.Status.ENDED
    wrap_up = WrapUp.objects.get(session=chat)
    assert wrap_up.outcome == WrapUp.Outcome.SUBSTANTIVE
    assert wrap_up.topics == [WrapUp.Topic.THOUGHTS]
    assert chat.messages.filter(sender=Message.Sender.SEEKER).count() == 2
    browse.assert_only_own_origin()


def test_a_reload_and_a_dropped_connection_lose_nothing_and_double_nothing(site, browse):
    talk = live_chat(browse, site.url, cuttable=True)
    staff, seeker, panel = talk.staff, talk.seeker, talk.panel
    staff_line, seeker_line = talk.staff_line, talk.seeker_line
    assert staff_line and seeker_line
    transcript, staff_transcript = talk.transcript, talk.staff_transcript
    seeker_send(seeker, "first from the seeker")
    staff_send(panel, "first from Sam")
    expect(transcript).to_contain_text("first from Sam")

    # A reload: the page is drawn from the database, then the socket asks only for what came after.
    seeker.reload()
    expect(transcript).to_contain_text("first from Sam")
    expect(seeker.locator("[data-chat-status]")).to_contain_text("You are chatting with Sam.")
    staff_send(panel, "second from Sam")
    expect(transcript).to_contain_text("second from Sam")
    assert_each_once_in_order(messages(transcript))

    # The seeker's connection drops. What staff send meanwhile waits in the database; what the seeker
    # tries to send stays in the box with a plain explanation.
    seeker_line.drop()
    staff_send(panel, "while you were away 1")
    staff_send(panel, "while you were away 2")
    seeker.locator("#chat-body").fill("sent while offline")
    seeker.locator("#chat-body").press("Enter")
    expect(seeker.locator("[data-chat-error]")).to_contain_text("connection dropped")
    expect(seeker.locator("#chat-body")).to_have_value("sent while offline")
    assert "while you were away" not in transcript.inner_text()

    # Back: the script reconnects and asks for everything after the last message it has.
    seeker_line.restore()
    expect(transcript).to_contain_text("while you were away 2")
    seeker.locator("#chat-body").press("Enter")  # send again, now that the connection is back
    expect(seeker.locator("#chat-body")).to_have_value("")
    expect(seeker.locator("[data-chat-error]")).to_be_hidden()
    expect(staff_transcript).to_contain_text("sent while offline")

    # The staff console's connection drops and comes back: it fills the gap from the server.
    staff_line.drop()
    expect(staff.locator("[data-connection]")).not_to_have_text("Live updates on.")
    seeker_send(seeker, "while Sam was cut off")
    staff_line.restore()
    wait_until_live(staff)
    expect(staff_transcript).to_contain_text("while Sam was cut off")
    staff_send(panel, "back again")
    expect(transcript).to_contain_text("back again")

    # Chromium's own offline switch stalls an open socket rather than closing it: frames wait, and
    # arrive once, when the network is back.
    seeker.context.set_offline(True)
    staff_send(panel, "during the stall")
    seeker.context.set_offline(False)
    expect(transcript).to_contain_text("during the stall")
    seeker_send(seeker, "after the stall")
    expect(staff_transcript).to_contain_text("after the stall")

    assert seeker_line.connections >= 3 and staff_line.connections >= 2, "the sockets really were new"
    seeker_shown = messages(transcript)
    assert_each_once_in_order(seeker_shown)
    expect(staff_transcript.locator("[data-seq]")).to_have_count(len(seeker_shown))
    assert messages(staff_transcript) == seeker_shown
    stored = list(ChatSession.objects.get().messages.order_by("seq").values_list("seq", "body"))
    assert stored == seeker_shown
    assert [body for _, body in stored].count("sent while offline") == 1
    browse.assert_only_own_origin()
