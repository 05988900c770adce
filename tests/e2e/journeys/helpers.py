"""Steps the journeys share: people, signing in, starting and answering a chat, reading transcripts,
and saving screenshots for docs/screenshots."""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import PBKDF2PasswordHasher, make_password
from django.contrib.auth.models import Group
from django.db import connections
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Page, WebSocketRoute, expect

from helpline.chat import actions as chat_actions
from helpline.chat.demo import DEMO_CANNED
from helpline.models import (
    STAFF_GROUP,
    SUPERVISOR_GROUP,
    Availability,
    CannedResponse,
    ChatSession,
    StaffProfile,
)
from helpline.staff import actions as staff_actions
from helpline.staff.two_factor import demo_backup_codes

from .stack import ROOT

SCREENSHOTS = ROOT / "docs" / "screenshots"
T = TypeVar("T")
# Routing runs in the Celery worker and events cross Redis: allow for a busy two-core machine.
expect.set_options(timeout=15_000)


def screenshot(page: Page, name: str, *, full_page: bool = False, top: bool = True) -> Path:
    """Save docs/screenshots/<name>.png (written aside first, so a broken run never leaves half a file),
    from the top of the page and with no field focused, as someone arriving would see it.
    E2E_SCREENSHOTS=0 leaves the committed pictures alone."""
    target = SCREENSHOTS / f"{name}.png"
    if os.environ.get("E2E_SCREENSHOTS", "1") == "0":
        return target
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(PlaywrightError):  # JavaScript is off in this browser: the page as it is
        page.evaluate("(top) => { document.activeElement?.blur(); if (top) { scrollTo(0, 0); } }", top)
    partial = SCREENSHOTS / f"{name}.tmp.png"
    page.screenshot(path=str(partial), full_page=full_page, animations="disabled", caret="hide")
    partial.replace(target)
    return target


# --- people ---------------------------------------------------------------------------------


@dataclass
class StaffMember:
    profile: StaffProfile
    username: str
    password: str
    codes: list[str]

    @property
    def name(self) -> str:
        return self.profile.display_name


def make_staff_member(
    username: str, display_name: str, *, supervisor: bool = False, max_chats: int = 2
) -> StaffMember:
    """A staff member as an admin would set one up, offline until they sign in, with a confirmed
    authenticator and one-time backup codes to type at the second step."""
    password = f"{username}-a-long-e2e-password"
    # The site's own hasher, not the tests' fast MD5 one: the server checks this password.
    user = get_user_model().objects.create(
        username=username, password=make_password(password, hasher=PBKDF2PasswordHasher())
    )
    user.groups.add(Group.objects.get_or_create(name=STAFF_GROUP)[0])
    if supervisor:
        user.groups.add(Group.objects.get_or_create(name=SUPERVISOR_GROUP)[0])
    profile = StaffProfile.objects.create(
        user=user,
        display_name=display_name,
        languages=["en"],
        max_chats=max_chats,
        availability=Availability.OFFLINE,
    )
    return StaffMember(profile, username, password, demo_backup_codes(user))


def add_canned_responses() -> None:
    for order, (title, kind, body) in enumerate(DEMO_CANNED):
        CannedResponse.objects.create(title=title, kind=kind, body=body, order=order)


# --- staff steps ----------------------------------------------------------------------------


def sign_in(page: Page, site_url: str, member: StaffMember, then: str = "/staff/") -> None:
    """Password, then the mandatory second factor (a one-time backup code), then the page asked for."""
    page.goto(f"{site_url}/staff/login/?next={then}")
    page.fill("#id_username", member.username)
    page.fill("#id_password", member.password)
    page.click("button:has-text('Sign in')")
    expect(page.locator("h1")).to_have_text("Enter your two-factor code")
    page.fill("input[name=token]", member.codes.pop(0))
    page.click("button:has-text('Continue')")
    page.wait_for_url(site_url + then)


def wait_until_live(staff: Page) -> None:
    expect(staff.locator("[data-connection]")).to_have_text("Live updates on.")


def go_available(staff: Page) -> None:
    button = staff.locator("[data-availability] button[value=available]")
    button.click()
    expect(button).to_have_attribute("aria-pressed", "true")


def accept_offer(staff: Page) -> Locator:
    """Accept the chat offered in the console; returns its chat panel once it is live."""
    offer = staff.locator("[data-offers] [data-offer]")
    expect(offer).to_have_count(1)
    chat = offer.get_attribute("data-offer")
    offer.locator("button:has-text('Accept')").click()
    panel = staff.locator(f"[data-chats] [data-chat='{chat}']")
    expect(panel).to_have_attribute("data-status", "active")
    return panel


def staff_send(panel: Locator, text: str) -> None:
    box = panel.locator("[data-body]")
    box.fill(text)
    box.press("Enter")
    expect(box).to_have_value("")


def end_chat_from_console(staff: Page, panel: Locator) -> None:
    panel.locator("summary:has-text('Transfer, escalate or end')").click()
    staff.once("dialog", lambda dialog: dialog.accept())
    panel.locator("button:has-text('End chat')").click()
    expect(panel).to_have_attribute("data-status", "ended")


# --- seeker steps ---------------------------------------------------------------------------


def start_chat(seeker: Page, site_url: str) -> None:
    seeker.goto(site_url + "/en/chat/")
    seeker.click("button:has-text('Start chat')")
    seeker.wait_for_url(site_url + "/chat/session/")


def seeker_send(seeker: Page, text: str) -> None:
    box = seeker.locator("#chat-body")
    box.fill(text)
    box.press("Enter")
    expect(box).to_have_value("")


# --- transcripts ----------------------------------------------------------------------------


def messages(transcript: Locator) -> list[tuple[int, str]]:
    """(sequence number, text) of every message shown, in page order."""
    found = transcript.locator("[data-seq]").evaluate_all(
        """items => items.map(li => [Number(li.dataset.seq),
            (li.querySelector('.msg__body, .message__body') || li).textContent.trim()])"""
    )
    return [(int(seq), str(text)) for seq, text in found]


def assert_each_once_in_order(shown: list[tuple[int, str]]) -> None:
    seqs = [seq for seq, _ in shown]
    assert seqs == sorted(set(seqs)), f"messages doubled or out of order: {seqs}"
    assert seqs == list(range(1, len(seqs) + 1)), f"messages missing: {seqs}"


# --- connections ----------------------------------------------------------------------------


class Line:
    """A page's WebSockets, passed through the test so that it can cut them, as a train going into a
    tunnel would: `drop()` closes every open socket and refuses new ones (and takes the browser
    offline, so plain requests fail too) until `restore()`. `drop(offline=False)` cuts the sockets
    only, as a proxy that will not carry WebSockets does: plain requests (the pages' polling) go on.

    Chromium's own offline switch alone does not close an open socket: it holds the frames and
    delivers them when it comes back, which the journey checks as well."""

    def __init__(self, page: Page, path: str) -> None:
        self.page = page
        self.up = True
        self.open: list[WebSocketRoute] = []
        self.connections = 0
        page.route_web_socket(f"**{path}", self._connect)

    def _connect(self, socket: WebSocketRoute) -> None:
        if not self.up:
            socket.close(code=1011, reason="offline")
            return
        socket.connect_to_server()
        self.connections += 1
        self.open.append(socket)

    def drop(self, *, offline: bool = True) -> None:
        self.up = False
        self.page.context.set_offline(offline)
        for socket in self.open:
            socket.close(code=1011, reason="connection lost")
        self.open.clear()

    def restore(self) -> None:
        self.up = True
        self.page.context.set_offline(False)


@dataclass
class LiveChat:
    """Sam at the console and a seeker on their page, talking; with `cuttable`, each page's socket
    passes through a Line the test can cut."""

    sam: StaffMember
    staff: Page
    seeker: Page
    panel: Locator
    staff_line: Line | None = None
    seeker_line: Line | None = None

    @property
    def transcript(self) -> Locator:
        return self.seeker.locator("[data-chat-transcript]")

    @property
    def staff_transcript(self) -> Locator:
        return self.panel.locator("[data-messages]")


def live_chat(browse: Any, site_url: str, *, cuttable: bool = False, **seeker_page: Any) -> LiveChat:
    """Sam signs in and goes available, a seeker (a page opened with `seeker_page`) starts a chat, and
    Sam accepts it."""
    sam = make_staff_member("sam", "Sam")
    staff = browse.page()
    staff_line = Line(staff, "/staff/ws/") if cuttable else None
    sign_in(staff, site_url, sam)
    wait_until_live(staff)
    go_available(staff)
    seeker = browse.page(**seeker_page)
    seeker_line = Line(seeker, "/chat/ws/") if cuttable else None
    start_chat(seeker, site_url)
    panel = accept_offer(staff)
    expect(seeker.locator("[data-chat-status]")).to_contain_text("You are chatting with Sam.")
    return LiveChat(sam, staff, seeker, panel, staff_line, seeker_line)


# --- the test's own hand in the service -----------------------------------------------------


def off_the_page(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run a helpline action from the test (as a console would) in a thread of its own: this thread
    runs Playwright's event loop, and Channels' async_to_sync will not publish events from it."""

    def call() -> T:
        try:
            return fn(*args, **kwargs)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(call).result()


def wait_for(condition: Callable[[], bool], timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def answer_without_a_browser(member: StaffMember) -> ChatSession:
    """A staff member with no console open takes the one waiting chat: for tests about the seeker."""
    off_the_page(staff_actions.check_in_staff, member.profile)
    off_the_page(staff_actions.do_set_availability, member.profile, Availability.AVAILABLE)
    wait_for(lambda: ChatSession.objects.filter(status=ChatSession.Status.OFFERED).exists())
    chat = ChatSession.objects.get(status=ChatSession.Status.OFFERED)
    return off_the_page(chat_actions.do_accept_offer, chat, member.profile)
