"""Out of hours, the chat page says when live chat opens and offers a secure message instead; the seeker
writes one and comes back to it with the passphrase. (The copy button is tested in
tests/e2e/test_secure_messages_browser.py.)"""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from helpline.hours import schedules
from helpline.models import OpeningHours, SecureThread, ServiceClosure

from .helpers import screenshot

pytestmark = pytest.mark.e2e


def test_out_of_hours_a_seeker_is_told_when_we_open_and_writes_instead(site, browse):
    for weekday in range(5):
        OpeningHours.objects.create(language="en", weekday=weekday, opens_at=time(9), closes_at=time(21))
    for weekday in (5, 6):
        OpeningHours.objects.create(language="en", weekday=weekday, opens_at=time(12), closes_at=time(18))
    now = timezone.now()
    # Closed now, whatever the time of day the test runs: a closure from an hour ago until tomorrow.
    tomorrow = timezone.localtime(now + timedelta(days=1)).replace(minute=0, second=0, microsecond=0)
    ServiceClosure.objects.create(
        starts_at=now - timedelta(hours=1), ends_at=tomorrow + timedelta(hours=1), reason="Team training"
    )
    outlook = schedules.chat_outlooks()[0]
    assert not outlook.taking_chats
    opens = outlook.state.next_opens_at
    assert opens is not None
    when = outlook.state.opening_words.split(", in ")[0]  # "tomorrow at 16:00"

    seeker = browse.page(width=1100, height=1000, permissions=["clipboard-read", "clipboard-write"])
    seeker.goto(site.url + "/en/chat/")
    closed = seeker.locator("[aria-labelledby=closed-heading]")
    expect(closed.locator("h2")).to_have_text("Live chat is closed just now")
    expect(closed).to_contain_text(f"opens {when}")
    assert timezone.localtime(opens).strftime("%H:%M") in when
    expect(seeker.locator("button:has-text('Start chat')")).to_have_count(0)
    timetable = seeker.locator("table.timetable")
    expect(timetable).to_contain_text("09:00")
    expect(timetable).to_contain_text("12:00")
    screenshot(seeker, "chat-closed", full_page=True)

    closed.locator("a:has-text('Write a secure message')").click()
    seeker.wait_for_url(site.url + "/en/messages/")
    seeker.fill("#secure-body", "It is late and I could not sleep. Can I write to you about my thoughts?")
    seeker.click("button:has-text('Send message')")
    expect(seeker.locator("h1")).to_have_text("Your message has been sent")
    passphrase = seeker.locator("#passphrase").input_value().strip()
    expect(seeker.locator("button:has-text('Copy the passphrase')")).to_be_visible()
    screenshot(seeker, "secure-passphrase")

    seeker.click("button:has-text('I have kept my passphrase')")
    expect(seeker.locator("h1")).to_have_text("Your conversation")
    expect(seeker.locator(".secure-status")).to_contain_text("We have your message.")
    expect(seeker.locator(".secure-transcript")).to_contain_text("Can I write to you about my thoughts?")

    # A wrong passphrase opens nothing and is not shown back.
    seeker.goto(site.url + "/en/messages/")
    seeker.fill("#return-passphrase", "apple banana cherry damson elder fig")
    seeker.click("button:has-text('Open my conversation')")
    expect(seeker.locator("#open-error")).to_contain_text("did not open a conversation")
    expect(seeker.locator("#return-passphrase")).to_have_value("")

    assert SecureThread.objects.count() == 1
    for word in passphrase.split():
        assert not [r.url for r in browse.network.requests if word in r.url.lower()]
    browse.assert_only_own_origin()
