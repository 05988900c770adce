"""A partner's link in a real browser on the live stack: a Dutch-speaking seeker follows a search
warning's link, lands on the self-help library in Dutch, reads a page, starts a chat, and staff answer.
The campaign then counts exactly that: one landing, one page, one chat started, one answered. The
cookie the link set holds only the code, and ends with the browser session."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db.models import Sum
from django.utils import timezone
from playwright.sync_api import expect

from helpline.campaigns import measures
from helpline.models import Campaign, ChatSession, DailyCount, StaffProfile
from resources.models import Category, Resource, Status

from .helpers import answer_without_a_browser, make_staff_member, wait_for

pytestmark = pytest.mark.e2e

TITLE = "Gedachten zijn geen daden"


def campaign_counts(campaign: Campaign) -> dict[str, int]:
    prefix = f"campaign.{campaign.pk}."
    rows = DailyCount.objects.filter(name__startswith=prefix).values("name").annotate(n=Sum("value"))
    return {row["name"].removeprefix(prefix): row["n"] for row in rows}


def test_a_seeker_from_a_partners_link_reads_and_chats(site, browse):
    category = Category.objects.create(name="Support", slug="support", description="Help.")
    Resource.objects.create(
        slug="gedachten-zijn-geen-daden",
        title=TITLE,
        summary="Waarom gedachten niet hetzelfde zijn als daden.",
        body="Veel mensen met zulke gedachten doen nooit iets. Praten helpt.",
        language="nl",
        category=category,
        status=Status.PUBLISHED,
        publish_at=timezone.now() - timedelta(minutes=1),
    )
    campaign = Campaign.objects.create(
        partner="Zoekmachine-waarschuwing",
        channel=Campaign.Channel.SEARCH_WARNING,
        languages=["nl", "en"],
        destination=Campaign.Destination.LIBRARY,
    )
    sam = make_staff_member("sam", "Sam")
    StaffProfile.objects.filter(pk=sam.profile.pk).update(languages=["en", "nl"])

    # Someone without the link reads the page first, so it is cached: the seeker's read must still count
    # (tests/resources/test_public_page_cache.py shows the front cache letting such a visit through).
    reader = browse.page(locale="nl-NL")
    for _ in range(2):
        reader.goto(site.url + "/nl/self-help/gedachten-zijn-geen-daden/")
        expect(reader.locator("h1")).to_have_text(TITLE)
    reader.context.close()

    seeker = browse.page(locale="nl-NL")
    seeker.goto(f"{site.url}/r/{campaign.code}/")
    seeker.wait_for_url(site.url + "/nl/self-help/")
    expect(seeker.locator("html")).to_have_attribute("lang", "nl")

    cookies = seeker.context.cookies()
    assert [(c["name"], c["value"]) for c in cookies] == [("campaign", campaign.code)]
    assert cookies[0]["expires"] == -1  # a session cookie: gone when the browser closes
    assert cookies[0]["httpOnly"] and cookies[0]["sameSite"] == "Lax"

    seeker.click(f"text={TITLE}")
    expect(seeker.locator("h1")).to_have_text(TITLE)

    seeker.goto(site.url + "/nl/chat/")
    seeker.click("form[action='/chat/start/'] button[type=submit]")
    seeker.wait_for_url(site.url + "/chat/session/")
    chat = answer_without_a_browser(sam)
    assert chat.language == "nl"
    expect(seeker.locator("[data-chat-status]")).to_contain_text("Sam")

    wait_for(lambda: campaign_counts(campaign).get(measures.CHATS_ANSWERED) == 1)
    assert campaign_counts(campaign) == {
        measures.LANDINGS: 1,
        measures.PAGES: 1,
        measures.CHATS_STARTED: 1,
        measures.CHATS_ANSWERED: 1,
    }
    # Still live, so the chat still carries the campaign; it lets go once its end is counted.
    assert ChatSession.objects.get(pk=chat.pk).campaign_id == campaign.pk
    browse.assert_only_own_origin()
