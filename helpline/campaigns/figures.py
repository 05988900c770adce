"""Each campaign's figures over a period, with small counts hidden as everywhere else in the statistics
(helpline.stats.figures.figure): "fewer than N" for a small count, 0 for none."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from helpline.campaigns import measures
from helpline.models import Campaign, DailyCount
from helpline.stats.figures import Figure, figure

# The columns of the table, in the order a visit goes.
COLUMNS: tuple[tuple[str, str | Promise], ...] = (
    (measures.LANDINGS, _("Arrived through the link")),
    (measures.PAGES, _("Self-help pages read")),
    (measures.MODULES, _("Modules started")),
    (measures.CHATS_STARTED, _("Chats started")),
    (measures.CHATS_ANSWERED, _("Chats answered")),
    (measures.SECURE_MESSAGES, _("Secure messages written")),
    (measures.FEEDBACK, _("Feedback given")),
    (measures.EXPIRED_LANDINGS, _("Arrived after the campaign ended")),
)


@dataclass(frozen=True)
class CampaignRow:
    partner: str
    channel: str
    code: str
    figures: tuple[Figure, ...]  # in the order of COLUMNS


@dataclass(frozen=True)
class CampaignFigures:
    columns: tuple[str | Promise, ...]
    rows: tuple[CampaignRow, ...]
    unknown_landings: Figure  # arrivals with a code no campaign has


def campaign_figures(first: date, last: date) -> CampaignFigures:
    """One row per campaign (running in the period or counted in it), each measure summed over the days."""
    summed: dict[str, int] = defaultdict(int)
    for name, value in DailyCount.objects.filter(
        day__range=(first, last), name__startswith="campaign."
    ).values_list("name", "value"):
        summed[name] += value
    counted_ids = {int(part) for name in summed if (part := name.split(".")[1]).isdigit()}
    campaigns = Campaign.objects.filter(pk__in=counted_ids) | Campaign.objects.filter(
        starts_on__lte=last
    ).exclude(ends_on__lt=first)
    rows = tuple(
        CampaignRow(
            partner=campaign.partner,
            channel=str(campaign.get_channel_display()),
            code=campaign.code,
            figures=tuple(
                figure(summed.get(measures.counter_name(campaign.pk, key), 0)) for key, _label in COLUMNS
            ),
        )
        for campaign in campaigns.distinct().order_by("partner", "code")
    )
    return CampaignFigures(
        columns=tuple(label for _key, label in COLUMNS),
        rows=rows,
        unknown_landings=figure(summed.get(measures.UNKNOWN_LANDINGS, 0)),
    )
