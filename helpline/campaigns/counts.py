"""Counting what happens during a visit through a partner's link: one more in a campaign's daily total.

The rooms call these inside the change they count (a secure message written, feedback given), so a
campaign's figure is in the counts exactly when its change committed. Nothing about the visit is kept:
a count is a number added to, and a campaign's code is shared by everyone from its partner."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from helpline.campaigns import measures
from helpline.models import Campaign
from helpline.stats import tallies


def count(campaign: Campaign | None, measure: str, now: datetime | None = None) -> None:
    """Add one to the campaign's measure for today (nothing without a campaign)."""
    if campaign is None:
        return
    tallies.bump(tallies.service_date(now or timezone.now()), [measures.counter_name(campaign.pk, measure)])


def unknown_landing(now: datetime | None = None) -> None:
    tallies.bump(tallies.service_date(now or timezone.now()), [measures.UNKNOWN_LANDINGS])
