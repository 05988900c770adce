"""Escalation: in a live chat a staff member raises a concern; the supervisor watching the board is
alerted at once, opens the chat, reads it and records a decision, then looks at the month's figures."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from helpline.models import DailyCount, Escalation
from helpline.stats import tallies

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

    seed_four_weeks_of_counts()
    supervisor.goto(site.url + "/staff/stats/")
    expect(supervisor.locator("h1")).to_contain_text("Who we answered")
    screenshot(supervisor, "stats")
    browse.assert_only_own_origin()


def seed_four_weeks_of_counts() -> None:
    """Figures like a small service's month, so the statistics page shows more than "fewer than 5"."""
    dice = random.Random(6)
    today = tallies.service_date(timezone.now())
    rows = []
    for back in range(28):
        day = today - timedelta(days=back)
        answered = dice.randint(14, 30)
        abandoned = dice.randint(2, 9)
        figures = {
            tallies.CHATS_STARTED: answered + abandoned,
            tallies.CHATS_ANSWERED: answered,
            tallies.CHATS_ABANDONED: abandoned,
            tallies.TURNED_AWAY_CLOSED: dice.randint(3, 12),
            tallies.SECURE_RECEIVED: dice.randint(4, 11),
            tallies.SECURE_ANSWERED_IN_TARGET: dice.randint(4, 9),
            "wrap_up.outcome.substantive": answered - 4,
            "wrap_up.topic.thoughts": answered // 2,
            "wrap_up.topic.online_images": answered // 3,
            "wrap_up.protective_action.self_help": answered // 3,
            "wrap_up.heard_from.search_warning": answered // 2,
        }
        answered_share = (0.35, 0.3, 0.2, 0.1, 0.05, 0.0)
        missed_share = (0.05, 0.15, 0.3, 0.3, 0.15, 0.05)
        for (bucket, _), part, missed in zip(tallies.WAIT_BUCKETS, answered_share, missed_share, strict=True):
            figures[tallies.wait_answered(bucket)] = round(answered * part)
            figures[tallies.wait_missed(bucket)] = round(abandoned * missed)
        rows += [DailyCount(day=day, name=name, value=value) for name, value in figures.items()]
    DailyCount.objects.bulk_create(rows, ignore_conflicts=True)  # today's real figures stay
