"""Ordinary staff work never drops a chat (issue: staff side). Each journey does what a helpline
worker did when the console lost a seeker: went to the secure messages mid-chat, worked with
JavaScript off, pressed Esc while typing, missed an offer while on another page, was offered (or
held) a chat whose seeker had already closed the tab.

These run on a stack of their own with a short staff grace period (GRACE seconds, so "gone past the
grace period" takes seconds, not minutes) and a quick pulse; it shares the test database and Redis with
the journeys' main stack, so either stack's worker may carry out a task.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from django.conf import settings
from django.db import connection
from playwright.sync_api import Page, expect

from helpline.chat import texts
from helpline.models import Availability, ChatSession, Message, StaffProfile, WrapUp

from .conftest import Site, watched_site
from .helpers import (
    accept_offer,
    go_available,
    make_staff_member,
    screenshot,
    seeker_send,
    sign_in,
    staff_send,
    start_chat,
    wait_for,
    wait_until_live,
)
from .stack import NEUTRAL_URL, Stack, environment, start_stack

pytestmark = pytest.mark.e2e

GRACE = 10  # HELPLINE_STAFF_GRACE_SECONDS on this stack
SWEEP = 3  # HELPLINE_SWEEP_SECONDS (stack.environment)
PAST_GRACE = GRACE * 2 + SWEEP * 2  # long enough that a person with no page open is surely dropped


@pytest.fixture(scope="module")
def short_grace_stack(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[Stack]:
    if connection.vendor != "postgresql" or not settings.REDIS_URL:
        pytest.skip("the journeys run on PostgreSQL and Redis: set DATABASE_URL and REDIS_URL (`make test`)")
    with django_db_blocker.unblock():
        db = dict(connection.settings_dict)
    log_dir = tmp_path_factory.mktemp("short-grace-stack")
    env = environment(db, settings.REDIS_URL, settings, log_dir)
    env.update({"HELPLINE_STAFF_GRACE_SECONDS": str(GRACE), "HELPLINE_STAFF_PULSE_SECONDS": "2"})
    running = start_stack(env, log_dir)
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture
def site(short_grace_stack: Stack, transactional_db) -> Iterator[Site]:
    """As conftest's `site`, on this module's stack (the `browse` fixture picks this one up)."""
    yield from watched_site(short_grace_stack)


def _live_chat(site: Site, browse, *, staff_javascript: bool = True) -> tuple[Page, Page, StaffProfile]:
    """Sam signed in, available, and talking with a seeker (who has not written yet)."""
    sam = make_staff_member("sam", "Sam")
    staff = browse.page(javascript=staff_javascript)
    sign_in(staff, site.url, sam)
    if staff_javascript:
        wait_until_live(staff)
    go_available(staff)
    seeker = browse.page()
    start_chat(seeker, site.url)
    return staff, seeker, sam.profile


def _chat_with(profile: StaffProfile) -> ChatSession:
    return ChatSession.objects.get(staff=profile, status=ChatSession.Status.ACTIVE)


def _system_texts(chat: ChatSession) -> list[str]:
    return [m.body for m in chat.messages.filter(sender=Message.Sender.SYSTEM)]


def test_an_hour_in_the_inbox_mid_chat_loses_nobody(site, browse):
    """Available with a live chat, the worker opens "Secure messages" and stays there well past the
    grace period: they stay available, the seeker is never told the connection dropped, a message the
    seeker sends meanwhile is counted and announced on the inbox page, and the chat is intact on return."""
    staff, seeker, sam = _live_chat(site, browse)
    panel = accept_offer(staff)
    staff_send(panel, "Hello, I am here with you. Take your time.")
    expect(seeker.locator("[data-chat-transcript]")).to_contain_text("I am here with you")

    staff.locator("nav[aria-label=Staff] a:has-text('Secure messages')").click()
    expect(staff.locator("h1")).to_have_text("Secure messages awaiting a reply")
    staff.wait_for_timeout(PAST_GRACE * 1000 // 2)
    seeker_send(seeker, "Thank you. It is hard to say this.")
    staff.wait_for_timeout(PAST_GRACE * 1000 // 2)

    sam.refresh_from_db()
    assert sam.availability == Availability.AVAILABLE
    assert sam.connection_lost_at is None
    chat = _chat_with(sam)
    assert texts.REQUEUED_AFTER_DROP not in _system_texts(chat)
    expect(seeker.locator("[data-chat-status]")).to_contain_text("You are chatting with Sam.")

    # Meanwhile the inbox page showed the chat, its unread message and that the seeker is there.
    expect(staff.locator("[data-shell-chats]")).to_be_visible()
    expect(staff.locator("[data-shell-chat] [data-seeker-presence]")).to_have_text("Seeker here")
    expect(staff.locator("[data-shell-chat] [data-unread]")).to_have_text("1 new")
    expect(staff.locator("[data-shell-announce]")).to_contain_text("New message in chat")
    assert staff.title().startswith("(1 new)")

    staff.locator("[data-shell-chat] a").click()
    panel = staff.locator(f"[data-chats] [data-chat='{chat.public_id.hex}']")
    expect(panel).to_have_attribute("data-status", "active")
    expect(panel.locator("[data-messages]")).to_contain_text("It is hard to say this.")
    expect(staff.locator("[data-availability] button[value=available]")).to_have_attribute(
        "aria-pressed", "true"
    )
    browse.assert_only_own_origin()


def test_a_console_without_javascript_keeps_its_person_present(site, browse):
    """With JavaScript off the console never refreshes itself; the header's small frame does, so the
    worker is not judged gone while they read and type."""
    staff, _seeker, sam = _live_chat(site, browse, staff_javascript=False)
    offer = staff.locator("[data-offers] [data-offer]")
    deadline = time.monotonic() + 20
    while offer.count() == 0:
        assert time.monotonic() < deadline, "no offer reached the console"
        staff.wait_for_timeout(1000)
        staff.reload()
    offer.locator("button:has-text('Accept')").click()
    chat = _chat_with(sam)
    panel = staff.locator(f"[data-chats] [data-chat='{chat.public_id.hex}']")
    panel.locator("[data-body]").fill("A reply I am still thinking about")

    staff.wait_for_timeout(PAST_GRACE * 1000)

    sam.refresh_from_db()
    assert sam.availability == Availability.AVAILABLE
    assert _chat_with(sam).pk == chat.pk
    assert texts.REQUEUED_AFTER_DROP not in _system_texts(chat)
    frame = staff.frame_locator("iframe.pulse-frame")
    expect(frame.locator("body")).to_contain_text(f"Chat {chat.public_id.hex[:6]}")
    expect(panel.locator("[data-body]")).to_have_value("A reply I am still thinking about")
    browse.assert_only_own_origin()


def test_esc_on_a_staff_page_keeps_the_reply_being_typed(site, browse):
    """The quick exit is for seekers. A supervisor who presses Esc twice (or Shift three times) while
    typing a reply stays on the console with the draft intact."""
    staff, _seeker, _sam = _live_chat(site, browse)
    panel = accept_offer(staff)
    box = panel.locator("[data-body]")
    box.fill("I hear how worried you are about")
    box.press("Escape")
    box.press("Escape")
    for _ in range(3):
        box.press("Shift")
    staff.wait_for_timeout(1500)
    assert staff.url.startswith(site.url + "/staff/")
    expect(box).to_have_value("I hear how worried you are about")
    assert [r for r in browse.network.requests if r.url.startswith(NEUTRAL_URL)] == []
    for path in ("/staff/", "/staff/inbox/"):
        staff.goto(site.url + path)
        assert staff.locator("[data-quick-exit]").count() == 0
        assert staff.locator("script[src*='quick-exit']").count() == 0
        assert staff.locator("form.site-search, [role=search]").count() == 0
        expect(staff.locator("header.staff-header [data-availability]")).to_be_visible()
        expect(staff.locator("header.staff-header [data-queue-waiting]")).to_be_visible()
        expect(staff.locator("header.staff-header")).to_contain_text("sam")


def test_an_offer_reaches_the_inbox_page_and_is_accepted_there(site, browse):
    """Offers expire in 45 s, and the worker is on the inbox page: the offer shows at the top with
    Accept, the tab title is flagged, and sound and desktop alerts are offered only on a click."""
    sam = make_staff_member("sam", "Sam")
    staff = browse.page()
    staff.context.grant_permissions(["notifications"])
    staff.add_init_script(
        "window.__permissionAsked = 0; if (window.Notification) { const ask = Notification.requestPermission;"
        " Notification.requestPermission = function () { window.__permissionAsked += 1;"
        " return ask.apply(Notification, arguments); }; }"
    )
    sign_in(staff, site.url, sam)
    go_available(staff)
    staff.locator("nav[aria-label=Staff] a:has-text('Secure messages')").click()
    expect(staff.locator("h1")).to_have_text("Secure messages awaiting a reply")
    assert staff.evaluate("window.__permissionAsked") == 0
    alerts = staff.locator("[data-notify-toggle]")
    alerts.click()
    expect(alerts).to_have_attribute("aria-pressed", "true")
    assert staff.evaluate("window.__permissionAsked") == 1
    sound = staff.locator("[data-sound-toggle]")
    sound.click()
    expect(sound).to_have_attribute("aria-pressed", "true")

    seeker = browse.page()
    start_chat(seeker, site.url)
    offer = staff.locator("[data-offer-banner] [data-offer]")
    expect(offer).to_be_visible()
    expect(offer.locator("[data-seeker-presence]")).to_have_text("Seeker here")
    expect(offer.locator("[data-countdown]")).to_contain_text("s left to accept")
    assert staff.title().startswith("(Offer)")
    expect(staff.locator("[data-shell-announce]")).to_contain_text("New chat offered")
    screenshot(staff, "staff-offer-on-inbox")

    offer.locator("button:has-text('Accept')").click()
    staff.wait_for_url(site.url + "/staff/#chat-*")
    chat = ChatSession.objects.get(status=ChatSession.Status.ACTIVE)
    expect(staff.locator(f"[data-chats] [data-chat='{chat.public_id.hex}']")).to_have_attribute(
        "data-status", "active"
    )
    expect(seeker.locator("[data-chat-status]")).to_contain_text("You are chatting with Sam.")
    browse.assert_only_own_origin()


def test_an_offer_whose_seeker_closed_the_tab_is_withdrawn_within_30_seconds(site, browse):
    """The seeker gives up and closes the tab while the chat is being offered: the offer disappears
    well before it would expire, and the worker is not set away for "missing" it."""
    sam = make_staff_member("sam", "Sam")
    staff = browse.page()
    sign_in(staff, site.url, sam)
    wait_until_live(staff)
    go_available(staff)
    seeker = browse.page()
    start_chat(seeker, site.url)
    offer = staff.locator("[data-offers] [data-offer]")
    expect(offer).to_have_count(1)
    expect(offer.locator("[data-seeker-presence]")).to_have_text("Seeker here", timeout=10_000)

    seeker.context.close()
    closed_at = time.monotonic()
    expect(offer).to_have_count(0, timeout=30_000)
    assert time.monotonic() - closed_at < 30
    sam.profile.refresh_from_db()
    assert sam.profile.availability == Availability.AVAILABLE
    assert not ChatSession.objects.filter(status=ChatSession.Status.OFFERED).exists()
    browse.assert_only_own_origin()


def test_a_live_chat_whose_seeker_left_is_closed_with_a_short_wrap_up(site, browse):
    """The seeker closes the tab right after someone joined, before writing anything: the panel says the
    person has left, and one click closes the chat with the short wrap-up ("left before answering"), so
    the worker is free for the next person at once."""
    staff, seeker, sam = _live_chat(site, browse)
    panel = accept_offer(staff)
    chat = _chat_with(sam)
    expect(panel.locator("[data-seeker-presence]")).to_have_text("Seeker here", timeout=10_000)
    close = panel.locator("[data-close-left]")
    expect(close).to_be_hidden()

    seeker.context.close()
    expect(panel.locator("[data-seeker-presence]")).to_have_text("Seeker has left", timeout=30_000)
    expect(close).to_be_visible()
    close.locator("button").click()

    wait_for(lambda: ChatSession.objects.get(pk=chat.pk).status == ChatSession.Status.ENDED)
    wrap_up = WrapUp.objects.get(session=chat)
    assert wrap_up.outcome == WrapUp.Outcome.LEFT_EARLY
    expect(staff.locator(f"[data-chats] [data-chat='{chat.public_id.hex}']")).to_have_count(0)
    expect(staff.locator("[data-wrap-up-banner]")).to_be_hidden()
    sam.refresh_from_db()
    assert sam.availability == Availability.AVAILABLE
    browse.assert_only_own_origin()
