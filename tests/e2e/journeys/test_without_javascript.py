"""A seeker with JavaScript off (as in Tor Browser's safest setting) chats with a staff member whose
console runs as usual, then writes a secure message, reads the reply with the passphrase and writes
again. Everything the seeker does is a plain link or form; the conversation arrives in a frame that
refreshes itself."""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

import pytest
from playwright.sync_api import expect

from helpline.models import ChatSession, Message, SecureMessage, SecureThread

from .helpers import (
    accept_offer,
    go_available,
    make_staff_member,
    screenshot,
    sign_in,
    staff_send,
    wait_until_live,
)

pytestmark = pytest.mark.e2e


def test_a_seeker_without_javascript_chats_and_writes_a_secure_message(site, browse):
    sam = make_staff_member("sam", "Sam")
    staff = browse.page()
    sign_in(staff, site.url, sam)
    wait_until_live(staff)

    seeker = browse.page(javascript=False, width=1000, height=900)
    seeker.goto(site.url + "/en/chat/")
    seeker.check("text=I am worried about my own thoughts or behaviour")
    seeker.click("button:has-text('Start chat')")
    seeker.wait_for_url(site.url + "/chat/session/")
    frame = seeker.frame_locator("[data-chat-frame]")
    expect(frame.locator(".chat-status")).to_contain_text("You are number 1 in the queue.")

    go_available(staff)
    panel = accept_offer(staff)
    expect(frame.locator(".chat-status")).to_contain_text("You are chatting with Sam.")
    # Drawn once, while waiting: its words are true in every state (the frame says what is happening).
    expect(seeker.locator("[data-chat-end] button")).to_have_text("End chat")

    seeker.fill("#chat-body", "I am writing from a browser with scripts switched off.")
    seeker.click("#message-box button:has-text('Send')")
    seeker.wait_for_url(site.url + "/chat/session/")
    expect(seeker.locator("#chat-body")).to_have_value("")
    expect(panel.locator("[data-messages]")).to_contain_text("with scripts switched off.")

    staff_send(panel, "That works fine here. Our replies appear in the box above every few seconds.")
    expect(frame.locator(".transcript")).to_contain_text("every few seconds.")
    frame_rows = frame.locator(".transcript [data-seq]")
    seqs = [int(s) for s in frame_rows.evaluate_all("rows => rows.map(r => r.dataset.seq)")]
    assert seqs == list(range(1, len(seqs) + 1))
    # Someone using a screen reader can stop the frame updating itself, and check when they like.
    live = seeker.frame_locator("[data-chat-frame]")
    live.locator("text=Stop it updating by itself").click()
    expect(live.locator("text=Check for new messages")).to_be_visible()
    assert seeker.frames[1].locator("meta[http-equiv=refresh]").count() == 0
    staff_send(panel, "Take your time.")
    live.locator("text=Check for new messages").click()
    expect(live.locator(".transcript")).to_contain_text("Take your time.")
    seeker.goto(site.url + "/chat/session/")  # back to the top, updating by itself again
    expect(frame.locator(".transcript")).to_contain_text("Take your time.")
    screenshot(seeker, "chat-without-javascript")

    seeker.click("[data-chat-end] button")
    seeker.click("button:has-text('Yes, end it')")  # ending asks once
    expect(seeker.locator("[data-chat-status]")).to_contain_text("You ended this chat.")
    expect(panel).to_have_attribute("data-status", "ended")
    seeker.click("button:has-text('Close this conversation')")
    seeker.wait_for_url(site.url + "/chat/ended/")
    chat = ChatSession.objects.get()
    assert chat.end_reason == ChatSession.EndReason.SEEKER_ENDED
    assert chat.messages.filter(sender=Message.Sender.SEEKER).count() == 1

    # Later, a secure message.
    seeker.click("text=write us a secure message")
    expect(seeker.locator("h1")).to_have_text("Write to us: secure messages")
    seeker.fill("#secure-body", "Can I talk about this without giving my name? I am scared of being judged.")
    seeker.click("button:has-text('Send message')")
    expect(seeker.locator("h1")).to_have_text("Your message has been sent")
    expect(seeker.locator("[data-copy-tools]")).to_be_hidden()  # the copy button needs JavaScript
    passphrase = seeker.locator("#passphrase").input_value().strip()
    assert len(passphrase.split()) == 6

    staff.goto(site.url + "/staff/inbox/")
    thread = SecureThread.objects.get()
    staff.click(f"a:has-text('{thread.ref}')")
    take = staff.locator("button:has-text('Take and read')")
    if take.count():  # unless routing already gave it to Sam, who is on duty
        take.click()
    expect(staff.locator(".transcript")).to_contain_text("I am scared of being judged.")
    staff.fill("#reply-body", "You never need to give your name here, and we will not judge you.")
    staff.click("button:has-text('Send reply')")
    expect(staff.locator(".staff-messages [role=status]")).to_contain_text(
        f"Reply sent in message {thread.ref}"
    )

    seeker.goto(site.url + "/en/messages/")
    seeker.fill("#return-passphrase", passphrase.upper())  # capitals do not matter
    seeker.click("button:has-text('Open my conversation')")
    expect(seeker.locator("h1")).to_have_text("Your conversation")
    expect(seeker.locator(".secure-transcript")).to_contain_text("we will not judge you.")
    seeker.fill("#write-body", "Thank you. That helps.")
    seeker.click("#write button:has-text('Send')")
    expect(seeker.locator("[role=status]")).to_have_text("Your message has been sent.")
    expect(seeker.locator(".secure-transcript")).to_contain_text("Thank you. That helps.")
    screenshot(seeker, "secure-message", full_page=True)

    # Neither the passphrase nor any word of it ever travelled in an address; the chat token was
    # forgotten when the person closed the conversation. A word is looked for where a form or a
    # redirect would put it (the query, the fragment, a path segment of its own), not inside our own
    # route names: a passphrase word such as "send" is also a segment of /chat/session/send/.
    routes = our_route_words()
    for url in (r.url for r in browse.network.requests):
        parts = urlsplit(url.lower())
        segments = {segment for segment in unquote(parts.path).split("/") if "." not in segment} - routes
        for word in passphrase.split():
            assert word not in unquote(parts.query + parts.fragment), url
            assert word not in segments, url
        assert passphrase.lower() not in unquote(url.lower()).replace("+", " ")
    assert SecureMessage.objects.filter(thread=thread).count() == 3
    assert not [c for c in seeker.context.cookies() if c["name"] == "chat_token"]
    browse.assert_only_own_origin()


def our_route_words() -> set[str]:
    """Every fixed path segment of the site's own routes, and the static files' folders."""
    from django.urls import URLPattern, URLResolver, get_resolver

    words = {"static", "css", "js", "img", ""}

    def walk(patterns: list[URLPattern | URLResolver], prefix: str) -> None:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, route)
            else:
                words.update(segment for segment in route.split("/") if "<" not in segment)

    walk(get_resolver().url_patterns, "")
    return words
