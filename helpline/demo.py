"""Everything the embedded site's demo needs from the helpline app (`make run`, `manage.py load_demo`):
staff accounts, stock replies, opening hours, two partners' campaign links and a month of figures. Safe
to run again; never in production."""

from __future__ import annotations

from django.conf import settings

from helpline.campaigns.demo import demo_campaign_counts, load_demo_campaigns
from helpline.chat.demo import load_demo_canned, load_demo_crisis_contacts
from helpline.hours.demo import load_demo_hours
from helpline.staff.demo import DEFAULT_BASE_URL, load_demo_staff
from helpline.stats.demo import load_demo_figures


def load_demo(base_url: str = DEFAULT_BASE_URL) -> list[str]:
    """Create or refresh the demo; returns the lines to print (sign-ins, codes, hours)."""
    if settings.PRODUCTION:
        return ["Demo staff accounts were not created: this site runs in production mode."]
    lines = load_demo_staff(base_url)
    load_demo_canned()
    lines += load_demo_campaigns(base_url)
    load_demo_crisis_contacts()
    # A month of made-up daily counts, so the statistics page shows its charts before anyone has chatted.
    load_demo_figures(more=demo_campaign_counts)
    return lines + load_demo_hours()
