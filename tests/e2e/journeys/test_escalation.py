"""Escalation: in a live chat a staff member raises a concern; the supervisor watching the board is
alerted at once, opens the chat, reads it and records a decision, then looks at the month's figures."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from helpline.campaigns.demo import demo_campaign_counts, load_demo_campaigns
from helpline.models import Escalation
from helpline.stats.demo import load_demo_figures

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

pytestmark = pytest.mark.e2e


def test_staff_escalate_and_the_supervisor_is_alerted_and_reads_the_chat(site, browse):
    sam = make_staff_member("sam", "Sam")
    alex = make_staff_member("alex", "Alex", supervisor=True)

    supervisor = browse.page()
    sign_in(supervisor, site.url, alex, then="/staff/supervisor/")
    expect(supervisor.locator("[data-connection]")).to_have_text("Live updates on.")
    expect(supervisor.locator("[data-empty=escalations]")).to_be_visible()

    staff = browse.page()
    sign_in(staff, site.url, sam)
    wait_until_live(staff)
    go_available(staff)

    seeker = browse.page()
    start_chat(seeker, site.url)
    panel = accept_offer(staff)
    seeker_send(seeker, "My neighbour leaves her little boy with me and I am frightened of what I might do.")
    expect(panel.locator("[data-messages]")).to_contain_text("frightened of what I might do.")
    staff_send(panel, "Thank you for telling me. Let us think together about keeping him safe.")

    panel.locator("summary:has-text('Transfer, escalate or end')").click()
    panel.locator("select[name=reason]").select_option(label="A child may be at risk now")
    panel.locator("button:has-text('Escalate')").click()
    expect(staff.locator("[data-notice]")).to_contain_text("Supervisors have been alerted")
    expect(panel.locator("[data-escalated]")).to_be_visible()

    alert = supervisor.locator("[data-alert]")
    expect(alert).to_contain_text("Escalation: A child may be at risk now (raised by Sam).")
    expect(supervisor).to_have_title("(!) Supervisor board · Open Door staff")
    row = supervisor.locator("[data-escalations] tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("A child may be at risk now")
    expect(supervisor.locator("[data-live] tr")).to_contain_text("Escalated")
    screenshot(supervisor, "supervisor-board")

    alert.locator("a:has-text('Read the chat')").click()
    expect(supervisor.locator("h1")).to_contain_text("Chat ")
    messages = supervisor.locator("[data-messages]")
    expect(messages).to_contain_text("frightened of what I might do.")
    # Read in live: what is said next appears here too.
    seeker_send(seeker, "He is coming round tonight.")
    expect(messages).to_contain_text("He is coming round tonight.")
    supervisor.select_option("select[name=decision]", label="Supported within the chat")
    supervisor.click("button:has-text('Record decision')")
    expect(supervisor.locator(".escalation")).to_contain_text("Decision: Supported within the chat")

    escalation = Escalation.objects.get()
    assert escalation.raised_by == sam.profile
    assert escalation.decided_by == alex.profile
    assert escalation.decision == Escalation.Decision.SUPPORTED_IN_CHAT

    # The demo's month before today, so the screenshot shows charts; today's real figures stay.
    load_demo_campaigns(site.url)
    load_demo_figures(more=demo_campaign_counts)
    supervisor.goto(site.url + "/staff/stats/")
    expect(supervisor.locator("h1")).to_contain_text("Who we answered")
    expect(supervisor.locator("#campaign-figures")).to_contain_text("a search engine's warning page")
    # The README's picture: the month's charts, not only the summary above them.
    supervisor.locator("figure.chart").first.evaluate("(chart) => chart.scrollIntoView()")
    screenshot(supervisor, "stats", top=False)
    browse.assert_only_own_origin()
