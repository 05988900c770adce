"""The statistics page shows what partners' links brought, over the range it shows, with small counts hidden
like every other figure; with one language chosen it leaves the table out, since a campaign's counts are
not split by language."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from helpline.campaigns import measures
from helpline.models import Campaign, DailyCount

pytestmark = pytest.mark.django_db


@pytest.fixture
def supervisor(make_staff) -> Client:
    client = Client()
    client.force_login(make_staff("alex", supervisor=True).user)
    return client


def count(campaign: Campaign, measure: str, value: int, days_ago: int = 1) -> None:
    day = timezone.localdate() - timedelta(days=days_ago)
    DailyCount.objects.create(day=day, name=measures.counter_name(campaign.pk, measure), value=value)


def campaign_row(page: str, code: str) -> str:
    start = page.index(f'data-code="{code}"')
    return page[start : page.index("</tr>", start)]


def test_each_partners_link_shows_its_counts_over_the_range_with_small_counts_hidden(supervisor):
    today = timezone.localdate()
    search = Campaign.objects.create(
        partner="A search warning page", channel="search_warning", starts_on=today - timedelta(days=40)
    )
    count(search, measures.LANDINGS, 30, days_ago=1)
    count(search, measures.LANDINGS, 12, days_ago=3)
    count(search, measures.CHATS_STARTED, 3, days_ago=1)
    count(search, measures.CHATS_STARTED, 6, days_ago=60)  # before the range: not in it
    DailyCount.objects.create(day=today, name=measures.UNKNOWN_LANDINGS, value=7)

    page = supervisor.get("/staff/stats/").content.decode()
    assert "Partners&#x27; links" in page or "Partners' links" in page
    row = campaign_row(page, search.code)
    assert "A search warning page" in row
    assert ">42<" in row  # landings over the days shown
    assert "fewer than 5" in row  # 3 chats started, never shown as 3
    assert ">3<" not in row
    assert "code that no campaign has: 7" in page


def test_with_one_language_chosen_the_campaign_table_is_left_out(supervisor):
    Campaign.objects.create(partner="A police message", channel="police_message")
    assert "campaign-figures" in supervisor.get("/staff/stats/").content.decode()
    assert "campaign-figures" not in supervisor.get("/staff/stats/?language=nl").content.decode()
