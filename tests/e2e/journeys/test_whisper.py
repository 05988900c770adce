"""Supervisor whisper and join: while Sam chats with someone, Alex (a supervisor) sends Sam a private note
from the board. Sam's console shows it at once, marked as something the person cannot see; the person's
page never shows it, live or reloaded. Then Alex joins the chat: the person is told plainly that another
member of the team has joined, and reads what Alex writes. axe-core finds nothing on the console with a
note, the board and the live transcript page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from helpline.models import ChatSession, StaffNote

from .helpers import (
    accept_offer,
    go_available,
    make_staff_member,
    screenshot,
    seeker_send,
    sign_in,
    staff_send,
    start_chat,
    wait_until_live,
)
from .test_accessibility import Audits, axe  # noqa: F401 (the fixture: axe-core must be installed)

pytestmark = pytest.mark.e2e

NOTE = "Ask gently whether they have someone to talk to tonight."
JOINED = "Another member of the team has joined the chat to help."


@pytest.mark.usefixtures("axe")
def test_a_supervisor_whispers_to_staff_and_joins_the_chat(site, browse):
    sam = make_staff_member("sam", "Sam")
    alex = make_staff_member("alex", "Alex", supervisor=True)
    audits = Audits()

    staff = browse.page(bypass_csp=True)
    sign_in(staff, site.url, sam)
    wait_until_live(staff)
    go_available(staff)
    seeker = browse.page()
    start_chat(seeker, site.url)
    panel = accept_offer(staff)
    seeker_send(seeker, "I have not slept since the police came.")
    expect(panel.locator("[data-messages]")).to_contain_text("since the police came")
    staff_send(panel, "Thank you for reaching out. I am listening.")
    seeker_transcript = seeker.locator("[data-chat-transcript]")
    expect(seeker_transcript).to_contain_text("I am listening.")

    supervisor = browse.page(bypass_csp=True)
    sign_in(supervisor, site.url, alex, then="/staff/supervisor/")
    expect(supervisor.locator("[data-connection]")).to_have_text("Live updates on.")
    expect(supervisor.locator("[data-live] tr")).to_have_count(1)
    audits.check(supervisor, "supervisor board with a live chat")
    supervisor.fill("#whisper-body", NOTE)
    supervisor.click("button:has-text('Send the private note')")
    expect(supervisor.locator(".staff-messages")).to_contain_text("Your private note was sent to Sam")

    note = panel.locator("[data-messages] [data-note]")
    expect(note).to_contain_text(NOTE)
    expect(note).to_contain_text("Private note from Alex — the person cannot see this")
    screenshot(staff, "console-private-note")
    audits.check(staff, "console with a private note")

    # The person's page: live, then drawn afresh, then as the no-JavaScript frame: never the note.
    seeker_send(seeker, "Are you still there?")
    expect(panel.locator("[data-messages]")).to_contain_text("Are you still there?")
    expect(seeker_transcript).not_to_contain_text(NOTE)
    expect(seeker_transcript).not_to_contain_text("Private note")
    seeker.reload()
    expect(seeker.locator("[data-chat-transcript]")).to_contain_text("Are you still there?")
    expect(seeker.locator("[data-chat-transcript]")).not_to_contain_text(NOTE)
    frame = seeker.context.new_page()
    frame.goto(site.url + "/chat/session/live/")
    expect(frame.locator("body")).to_contain_text("Are you still there?")
    expect(frame.locator("body")).not_to_contain_text(NOTE)
    frame.close()

    # The live transcript as Alex reads it in: the note in its place, the whisper and join forms.
    chat = ChatSession.objects.get()
    supervisor.goto(f"{site.url}/staff/chats/{chat.public_id}/")
    expect(supervisor.locator("[data-messages] [data-note]")).to_contain_text(NOTE)
    expect(supervisor.locator("#whisper-body")).to_be_visible()
    audits.check(supervisor, "live transcript, read in")

    # Alex joins from the board, lands on the live transcript and writes to the person.
    supervisor.goto(site.url + "/staff/supervisor/")
    supervisor.click("form[action='/staff/supervisor/join/'] button:has-text('Join the chat')")
    expect(supervisor.locator("h1")).to_contain_text("Chat ")
    expect(supervisor.locator("[data-messages]")).to_contain_text(NOTE)
    expect(seeker.locator("[data-chat-transcript]")).to_contain_text(JOINED)
    expect(panel.locator("[data-messages]")).to_contain_text(JOINED)
    audits.check(supervisor, "live transcript, joined")
    supervisor.fill("#write-body", "Hello, I am Alex. I am here with Sam.")
    supervisor.click("button:has-text('Send to the person')")
    expect(seeker.locator("[data-chat-transcript]")).to_contain_text("Hello, I am Alex. I am here with Sam.")
    expect(panel.locator("[data-messages]")).to_contain_text("Hello, I am Alex.")
    screenshot(seeker, "seeker-after-join")

    chat.refresh_from_db()
    assert chat.staff_id == sam.profile.id and chat.joined_by_id == alex.profile.id
    assert StaffNote.objects.get().body == NOTE
    assert audits.problems == {}
    browse.assert_only_own_origin()
