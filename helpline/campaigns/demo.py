"""Two demo campaigns, and their share of the demo month's figures (helpline.stats.demo), so the statistics
page of `make run` shows what partners' links bring. The partners are described, never named: the demo
invents no organisation."""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, timedelta

from django.utils import timezone

from helpline.campaigns import measures
from helpline.models import Campaign
from resources.models import GuidedModule, Resource

SEARCH_PARTNER = "Demo partner: a search engine's warning page"
POLICE_PARTNER = "Demo partner: a regional police deterrence message"


def load_demo_campaigns(base_url: str, today: date | None = None) -> list[str]:
    """Create or refresh the two campaigns (found again by partner); returns the lines to print."""
    today = today or timezone.localdate()
    search, _created = Campaign.objects.update_or_create(
        partner=SEARCH_PARTNER,
        defaults={
            "channel": Campaign.Channel.SEARCH_WARNING,
            "destination": Campaign.Destination.RESOURCE,
            "resource": Resource.objects.filter(slug="you-are-not-alone").first(),
            "starts_on": today - timedelta(days=60),
            "note": "Shown when someone searches for material that harms children.",
        },
    )
    police, _created = Campaign.objects.update_or_create(
        partner=POLICE_PARTNER,
        defaults={
            "channel": Campaign.Channel.POLICE_MESSAGE,
            "languages": ["en", "nl"],
            "destination": Campaign.Destination.MODULE,
            "module": GuidedModule.objects.filter(slug="making-a-plan").first(),
            "starts_on": today - timedelta(days=20),
            "ends_on": today + timedelta(days=40),
            "note": "Sent to people found sharing material; it says where to get help.",
        },
    )
    return [
        "Demo campaign links (counted per day only; see the statistics page):",
        f"  {base_url}{search.link_path}  ({search.partner})",
        f"  {base_url}{police.link_path}  ({police.partner})",
    ]


def demo_campaign_counts(day: date, rng: random.Random) -> Counter[str]:
    """One day's campaign counters: a landing leads to pages read, now and then a module or a chat."""
    counts: Counter[str] = Counter()
    for campaign, landings in (
        (Campaign.objects.filter(partner=SEARCH_PARTNER).first(), rng.randint(8, 30)),
        (Campaign.objects.filter(partner=POLICE_PARTNER).first(), rng.randint(2, 12)),
    ):
        if campaign is None:
            continue
        if not campaign.is_active_on(day):
            counts[measures.counter_name(campaign.id, measures.EXPIRED_LANDINGS)] += rng.choice((0, 0, 1))
            continue
        chats = sum(rng.random() < 0.12 for _landing in range(landings))
        answered = sum(rng.random() < 0.8 for _chat in range(chats))
        for measure, value in (
            (measures.LANDINGS, landings),
            (measures.PAGES, landings + rng.randint(0, landings)),
            (measures.MODULES, sum(rng.random() < 0.15 for _landing in range(landings))),
            (measures.CHATS_STARTED, chats),
            (measures.CHATS_ANSWERED, answered),
            (measures.SECURE_MESSAGES, rng.choice((0, 0, 0, 1))),
            (measures.FEEDBACK, sum(rng.random() < 0.4 for _chat in range(answered))),
        ):
            counts[measures.counter_name(campaign.id, measure)] += value
    counts[measures.UNKNOWN_LANDINGS] += rng.choice((0, 0, 0, 1, 2))
    return +counts  # only what happened: a zero is no row, as with real counts
