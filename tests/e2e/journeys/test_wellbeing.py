"""Staff wellbeing on the live stack (issue #17). A staff member sees how long they have been on shift
in the header of every page; after a heavy chat, new chats pause for a short break that they can end
with one button; they ask for a debrief from any page and the supervisor watching the board is alerted
at once, then marks it arranged. The same works without JavaScript. The pages pass axe-core."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from helpline.chat import actions as chat_actions
from helpline.models import ChatSession, DebriefRequest, StaffProfile, WrapUp

from .helpers import (
    accept_offer,
    end_chat_from_console,
    go_available,
    make_staff_member,
    off_the_page,
    screenshot,
    sign_in,
    start_chat,
    wait_until_live,
)
from .test_accessibility import Audits, axe  # noqa: F401  (axe is a fixture)

pytestmark = pytest.mark.e2e

WRAPPED_UP = chat_actions.WrapUpAnswers(
    about=WrapUp.About.SELF,
    topics=[],
    protective_actions=[WrapUp.ProtectiveAction.NONE],
    heard_from=WrapUp.HeardFrom.OTHER,
    outcome=WrapUp.Outcome.LEFT_EARLY,
)


def test_a_break_after_a_heavy_chat_and_a_debrief_the_supervisor_hears_of(site, browse, axe):  # noqa: F811
    sam = make_staff_member("sam", "Sam")
    alex = make_staff_member("alex", "Alex", supervisor=True)
    audits = Audits()

    supervisor = browse.page(bypass_csp=True)
    sign_in(supervisor, site.url, alex, then="/staff/supervisor/")
    expect(supervisor.locator("[data-connection]")).to_have_text("Live updates on.")
    expect(supervisor.locator("[data-empty=debriefs]")).to_be_visible()

    staff = browse.page(bypass_csp=True)
    sign_in(staff, site.url, sam)
    wait_until_live(staff)
    go_available(staff)
    expect(staff.locator("[data-shift-length]")).to_contain_text("On shift 0 min today")

    # A long chat: answered fifty minutes ago (longer than HEAVY_CHAT_MINUTES), then ended.
    seeker = browse.page()
    start_chat(seeker, site.url)
    panel = accept_offer(staff)
    ChatSession.objects.update(answered_at=timezone.now() - timedelta(minutes=50))
    end_chat_from_console(staff, panel)
    notice = staff.locator("[data-break-notice]")
    expect(notice).to_contain_text("That was a heavy chat. New chats are paused until")
    expect(staff.locator("[data-shell-announce]")).to_contain_text("That was a heavy chat")
    chat = ChatSession.objects.get()
    off_the_page(chat_actions.do_record_wrap_up, chat, sam.profile, WRAPPED_UP)

    # Another seeker waits; no offer reaches Sam while the break lasts.
    second = browse.page()
    start_chat(second, site.url)
    staff.wait_for_timeout(4000)
    expect(staff.locator("[data-offers] [data-offer]")).to_have_count(0)
    assert ChatSession.objects.get(status=ChatSession.Status.WAITING)

    staff.locator("summary:has-text('Request a debrief')").click()
    audits.check(staff, "console with the break notice and the debrief form")
    screenshot(staff, "staff-break-and-debrief")

    # The debrief request: a plain form on every staff page, tied to no chat.
    staff.fill("#debrief-note", "The long one earlier stays with me.")
    staff.click("button:has-text('Ask for a debrief')")
    expect(staff.locator("[data-debrief-asked]")).to_contain_text("You asked for a debrief at")
    alert = supervisor.locator("[data-alert]")
    expect(alert).to_contain_text("Sam asked for a debrief.")
    row = supervisor.locator("[data-debriefs] tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("The long one earlier stays with me.")
    expect(supervisor.locator("[data-team] tr", has_text="Sam")).to_contain_text(
        "On a break after a heavy chat"
    )
    audits.check(supervisor, "supervisor board with the team and a debrief request")
    screenshot(supervisor, "supervisor-board-team")

    # Sam chooses to go on: the pause ends at once and the waiting seeker is offered.
    staff.click("button:has-text('go on taking chats')")
    expect(staff.locator("[data-break-notice]")).to_have_count(0)
    expect(staff.locator("[data-offers] [data-offer]")).to_have_count(1)

    row.locator("button:has-text('Mark as arranged')").click()
    expect(supervisor.locator("[data-debriefs] tr")).to_have_count(0)
    request = DebriefRequest.objects.get()
    assert request.arranged_by == alex.profile
    assert audits.problems == {}
    browse.assert_only_own_origin()


def test_without_javascript_the_shift_line_break_and_debrief_work(site, browse):
    sam = make_staff_member("sam", "Sam")
    staff = browse.page(javascript=False)
    sign_in(staff, site.url, sam)
    staff.click("[data-availability] button[value=available]")
    expect(staff.locator("[data-availability] button[value=available]")).to_have_attribute(
        "aria-pressed", "true"
    )
    # Back from a heavy chat: the break notice is the server's, in the header and its frame.
    StaffProfile.objects.filter(pk=sam.profile.pk).update(break_until=timezone.now() + timedelta(minutes=10))
    staff.goto(site.url + "/staff/inbox/")
    expect(staff.locator("[data-shift-length]")).to_contain_text(re.compile(r"On shift \d+ min today"))
    expect(staff.locator("[data-break-notice]")).to_contain_text("That was a heavy chat")
    frame = staff.frame_locator("iframe.pulse-frame")
    expect(frame.locator("[data-shift-length]")).to_contain_text(re.compile(r"On shift \d+ min today"))
    expect(frame.locator("[data-break-notice]")).to_contain_text("That was a heavy chat")

    staff.click("button:has-text('go on taking chats')")
    staff.wait_for_url(site.url + "/staff/inbox/")
    expect(staff.locator("[data-break-notice]")).to_have_count(0)

    staff.locator("summary:has-text('Request a debrief')").click()
    staff.click("button:has-text('Ask for a debrief')")  # the note is optional
    staff.wait_for_url(site.url + "/staff/inbox/")
    expect(staff.locator("[data-debrief-asked]")).to_contain_text("You asked for a debrief at")
    assert DebriefRequest.objects.filter(staff=sam.profile, note="").count() == 1
    browse.assert_only_own_origin()
