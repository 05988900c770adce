"""Partners' links (/r/<code>/): a scripted set of visits gives exactly those counts per campaign and day;
the chat carries its campaign only until counted; and afterwards no store holds anything per visitor:
no referrer, no address or browser, no session, nothing in the cookie but the shared code."""

from __future__ import annotations

import logging
from collections import Counter
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.db.models import Sum
from django.template.loader import render_to_string
from django.test import Client
from django.utils import timezone

from helpline import retention
from helpline.campaigns import measures
from helpline.campaigns.figures import campaign_figures
from helpline.chat import actions as chat_actions
from helpline.models import Campaign, ChatSession, DailyCount, DecisionRecord, Escalation, Message
from helpline.stats import tallies
from tests.conftest import CANARY_META
from tests.privacy_audit import cache_text, database_text, find_canary

pytestmark = pytest.mark.django_db(transaction=True)

REFERRER = "https://partner.example/search?q=distinctive-referrer-7731"


def totals() -> Counter:
    rows = DailyCount.objects.values("name").annotate(n=Sum("value")).values_list("name", "n")
    return Counter(dict(rows))


def campaign_counts(campaign: Campaign) -> dict[str, int]:
    prefix = f"campaign.{campaign.pk}."
    return {name.removeprefix(prefix): n for name, n in totals().items() if name.startswith(prefix)}


def visitor(**headers: str) -> Client:
    """A browser that says who it is (the canary) and where it came from, as real ones do."""
    client = Client(headers={"Referer": REFERRER, **headers})
    client.defaults.update(CANARY_META)
    return client


def follow_link(campaign_code: str, **headers: str) -> tuple[Client, Any]:
    client = visitor(**headers)
    return client, client.get(f"/r/{campaign_code}/")


@pytest.fixture
def campaign(make_resource) -> Campaign:
    make_resource("talking-helps", title="Talking helps")
    return Campaign.objects.create(
        partner="Search engine warning",
        channel=Campaign.Channel.SEARCH_WARNING,
        languages=["nl", "ar"],
        destination=Campaign.Destination.LIBRARY,
    )


# --- the landing ----------------------------------------------------------------------------------


def test_a_link_lands_on_the_chosen_page_in_the_visitors_language(campaign):
    _client, response = follow_link(campaign.code, **{"Accept-Language": "de, en;q=0.8"})
    assert response.status_code == 302
    assert response["Location"] == "/nl/self-help/"  # neither is one of its: the campaign's first
    _client, response = follow_link(campaign.code, **{"Accept-Language": "fr, ar;q=0.5"})
    assert response["Location"] == "/ar/self-help/"
    _client, response = follow_link(campaign.code, **{"Accept-Language": "nl-BE"})
    assert response["Location"] == "/nl/self-help/"
    assert campaign_counts(campaign) == {measures.LANDINGS: 3}


def test_a_link_to_a_self_help_page_lands_on_that_page(make_resource):
    page = make_resource("keeping-safe", title="Keeping safe")
    campaign = Campaign.objects.create(
        partner="Clinic", channel="professional_referral", destination="resource", resource=page
    )
    _client, response = follow_link(campaign.code)
    assert response["Location"] == "/en/self-help/keeping-safe/"


@pytest.mark.parametrize(
    ("destination", "path"),
    [
        ("home", "/de/"),
        ("library", "/de/self-help/"),
        ("module", "/de/modules/making-a-plan/"),
        ("chat", "/de/chat/"),
        ("secure_messages", "/de/messages/"),
    ],
)
def test_each_destination_in_the_visitors_language(make_module, destination, path):
    module = make_module("making-a-plan")
    campaign = Campaign.objects.create(
        partner="Advert", channel="social_advert", destination=destination, module=module
    )
    _client, response = follow_link(campaign.code, **{"Accept-Language": "de-AT, en;q=0.5"})
    assert response["Location"] == path


def test_the_cookie_holds_only_the_code_and_ends_with_the_browser_session(campaign):
    _client, response = follow_link(campaign.code)
    cookies = response.cookies
    assert list(cookies) == ["campaign"]
    morsel = cookies["campaign"]
    assert morsel.value == campaign.code
    assert morsel["max-age"] == "" and morsel["expires"] == ""
    assert morsel["path"] == "/" and morsel["httponly"] and morsel["samesite"] == "Lax"
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_unknown_and_expired_codes_land_on_home_without_a_cookie_and_are_counted(campaign):
    today = timezone.localdate()
    ended = Campaign.objects.create(
        partner="Last year's advert",
        channel="social_advert",
        starts_on=today - timedelta(days=60),
        ends_on=today - timedelta(days=1),
    )
    future = Campaign.objects.create(partner="Next", channel="other", starts_on=today + timedelta(days=3))
    for code in ("nosuch7", "typed-by-someone-9931"):
        _client, response = follow_link(code, **{"Accept-Language": "fr"})
        assert response.status_code == 302 and response["Location"] == "/fr/"
        assert not response.cookies
    for expired in (ended, future):
        _client, response = follow_link(expired.code, **{"Accept-Language": "es"})
        assert response["Location"] == "/es/" and not response.cookies
    assert totals()[measures.UNKNOWN_LANDINGS] == 2
    assert campaign_counts(ended) == {measures.EXPIRED_LANDINGS: 1}
    assert campaign_counts(future) == {measures.EXPIRED_LANDINGS: 1}
    assert "typed-by-someone-9931" not in database_text() + cache_text()


def test_a_cookie_of_a_campaign_that_has_ended_counts_nothing(campaign, make_resource):
    client, _response = follow_link(campaign.code)
    Campaign.objects.filter(pk=campaign.pk).update(ends_on=timezone.localdate() - timedelta(days=1))
    assert client.get("/en/self-help/talking-helps/").status_code == 200
    assert campaign_counts(campaign) == {measures.LANDINGS: 1}


# --- a scripted set of visits ---------------------------------------------------------------------


def start_chat(client: Client) -> ChatSession:
    response = client.post("/chat/start/", {"language": "en", "about": ""})
    assert response.status_code == 302, response.content
    chat = ChatSession.objects.order_by("-id").first()
    assert chat is not None
    return chat


def answer_and_end(chat: ChatSession) -> None:
    chat.refresh_from_db()
    assert chat.offered_to is not None
    chat_actions.do_accept_offer(chat, chat.offered_to)
    chat_actions.do_send_message(chat, Message.Sender.STAFF, "I am glad you wrote.", chat.staff)
    chat_actions.do_end_chat(chat, by_staff=chat.staff)


def test_a_campaigns_counts_equal_what_the_visits_did(
    campaign, make_resource, make_module, make_staff, caplog
):
    caplog.set_level(logging.DEBUG)
    logging.getLogger("django").addHandler(caplog.handler)  # Django's loggers do not reach the root
    make_module("making-a-plan")
    make_staff("sam", max_chats=5)
    other = Campaign.objects.create(partner="Police", channel="police_message")
    before = totals()

    visits = [follow_link(campaign.code)[0] for _ in range(7)]
    first, second, third, fourth, *_ = visits
    for client in (first, first, second, third, fourth):
        assert client.get("/en/self-help/talking-helps/").status_code == 200  # 5 pages, cached or not
    assert first.get("/en/modules/making-a-plan/").status_code == 200
    assert second.get("/en/modules/making-a-plan/").status_code == 200
    first.get("/en/self-help/")  # the library itself is not a page read
    first.get("/en/self-help/no-such-page/")  # a 404 is not a page read

    answered = [start_chat(first), start_chat(second)]
    waiting = start_chat(third)
    for chat in answered:
        answer_and_end(chat)
    assert first.post("/chat/session/feedback/", {"helpful": "yes"}).status_code == 302

    created = fourth.post(
        "/en/messages/new/", {"body": "I need to talk to someone.", "language": "en", "draft": "d-0001"}
    )
    assert created.status_code == 200

    # Someone without the link does all the same: none of it is the campaign's.
    stranger = visitor()
    stranger.get("/en/self-help/talking-helps/")
    stranger_chat = start_chat(stranger)
    for code in ("unknown1", "unknown2"):
        follow_link(code)
    ended = Campaign.objects.create(
        partner="Old",
        channel="other",
        starts_on=timezone.localdate() - timedelta(days=9),
        ends_on=timezone.localdate() - timedelta(days=2),
    )
    follow_link(ended.code)

    assert campaign_counts(campaign) == {
        measures.LANDINGS: 7,
        measures.PAGES: 5,
        measures.MODULES: 2,
        measures.CHATS_STARTED: 3,
        measures.CHATS_ANSWERED: 2,
        measures.SECURE_MESSAGES: 1,
        measures.FEEDBACK: 1,
    }
    assert campaign_counts(other) == {}
    assert campaign_counts(ended) == {measures.EXPIRED_LANDINGS: 1}
    assert totals()[measures.UNKNOWN_LANDINGS] - before[measures.UNKNOWN_LANDINGS] == 2
    # The service's own figures still count everyone, the campaign's visitors included.
    assert totals()[tallies.CHATS_STARTED] - before[tallies.CHATS_STARTED] == 4

    # Only until counted: the answered, ended chats have let go of the campaign; the waiting one not yet.
    assert ChatSession.objects.filter(pk__in=[c.pk for c in answered], campaign__isnull=False).count() == 0
    assert ChatSession.objects.get(pk=waiting.pk).campaign_id == campaign.pk
    assert ChatSession.objects.get(pk=stranger_chat.pk).campaign_id is None
    chat_actions.do_leave_queue(ChatSession.objects.get(pk=waiting.pk))
    assert ChatSession.objects.get(pk=waiting.pk).campaign_id is None
    assert campaign_counts(campaign)[measures.CHATS_STARTED] == 3  # leaving adds nothing for it

    # Every store afterwards: nothing per visitor.
    stored = database_text() + "\n" + cache_text()
    logged = caplog.text
    for where, text in (("stores", stored), ("logs", logged)):
        assert "distinctive-referrer-7731" not in text, where
        assert "partner.example" not in text, where
        assert find_canary(text) == [], where
    assert not Session.objects.exists()
    assert not any("sessionid" in str(c) for c in first.cookies.values())
    assert set(first.cookies) <= {"campaign", "chat_token", "csrftoken"}
    assert first.cookies["campaign"].value == campaign.code

    # The figures as supervisors will read them: small counts hidden, zero shown as 0.
    table = campaign_figures(timezone.localdate() - timedelta(days=1), timezone.localdate())
    row = next(r for r in table.rows if r.code == campaign.code)
    assert [f.text for f in row.figures] == [
        "7",
        "5",
        "fewer than 5",
        "fewer than 5",
        "fewer than 5",
        "fewer than 5",
        "fewer than 5",
        "0",
    ]
    assert table.unknown_landings.value >= 2


def test_a_decision_record_carries_the_chats_campaign(campaign, make_staff):
    sam = make_staff("sam")
    alex = make_staff("alex", supervisor=True, available=False)
    client, _response = follow_link(campaign.code)
    chat = start_chat(client)
    chat.refresh_from_db()
    chat_actions.do_accept_offer(chat, sam)
    escalation = chat_actions.do_escalate(chat, sam, Escalation.Reason.RISK_TO_SELF)
    assert escalation.campaign_id == campaign.pk
    chat_actions.do_end_chat(chat, by_staff=sam)
    assert ChatSession.objects.get(pk=chat.pk).campaign_id is None  # counted: the chat lets go
    chat_actions.do_decide_escalation(escalation, alex, Escalation.Decision.SUPPORTED_IN_CHAT)
    later = timezone.now() + timedelta(hours=1000)
    assert retention.purge_expired(now=later)["chats"] == 1
    assert DecisionRecord.objects.get().campaign_id == campaign.pk


def test_the_figures_table_hides_small_counts(campaign):
    today = timezone.localdate()
    for _ in range(6):
        follow_link(campaign.code)
    follow_link("unknown1")
    quiet = Campaign.objects.create(partner="Quiet clinic", channel="professional_referral")
    table = campaign_figures(today, today)
    html = render_to_string("helpline/campaigns/_stats_table.html", {"campaign_figures": table})
    assert 'class="table-scroll"' in html and "<table" in html
    rows = {row.code: [f.text for f in row.figures] for row in table.rows}
    assert rows[campaign.code][0] == "6"
    assert rows[quiet.code] == ["0"] * 8  # running, nobody came: zero, not hidden
    assert "Search engine warning" in html and "Quiet clinic" in html
    assert "fewer than 5" in html  # the one unknown code
