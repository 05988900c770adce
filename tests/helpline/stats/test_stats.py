"""Daily counts: a simulated day of traffic gives exactly the figures of what happened; counting is
atomic under concurrency and never twice; the statistics page shows small counts as "fewer than 5",
in its tables and its charts, and only to supervisors and admins."""

import csv
import io
import re
import threading
from collections import Counter
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, User
from django.db import connection
from django.db.models import Sum
from django.test import Client
from django.utils import timezone

from helpline.chat import actions as chat_actions
from helpline.chat import presence
from helpline.errors import Refusal
from helpline.inbox import actions as inbox_actions
from helpline.models import (
    Availability,
    ChatSession,
    DailyCount,
    Escalation,
    OpeningHours,
    SecureThread,
    ServiceClosure,
    StaffProfile,
)
from helpline.staff import actions as staff_actions
from helpline.stats import figures, tallies

pytestmark = pytest.mark.django_db(transaction=True)
Status = ChatSession.Status


def totals() -> Counter:
    """Each counter summed over all days (a test that runs across midnight still adds up)."""
    return Counter(dict(DailyCount.objects.values("name").annotate(n=Sum("value")).values_list("name", "n")))


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- a day of traffic ------------------------------------------------------------------------


def test_counters_after_a_day_of_traffic_equal_what_happened(make_staff, settings):
    settings.HELPLINE = {**settings.HELPLINE, "SECURE_THREADS_PER_STAFF": 0, "QUEUE_LIMIT": 0}
    sam = make_staff("sam", available=False)
    kim = make_staff("kim", available=False)
    happened: Counter = Counter()

    # Morning: twelve people start a chat before anyone is on duty.
    chats = [chat_actions.do_start_chat("en", "")[0] for _ in range(12)]
    happened["started"] += 12
    # Three give up and leave the queue; two close the page and are never heard from again.
    for chat in chats[:3]:
        assert chat_actions.do_leave_queue(chat)
    later = timezone.now() + timedelta(seconds=settings.HELPLINE["SEEKER_QUEUE_GRACE_SECONDS"] + 30)
    for chat in chats[5:]:
        presence.touch_seeker(chat.id, later.timestamp())
    # chats[3:5] were last seen when they started (do_start_chat checks them in), a grace period ago.
    assert chat_actions.do_abandon_vanished_seekers(later) == 2
    happened["abandoned"] += 5

    # The queue fills up: two more are turned away; four people open the page while we are closed.
    settings.HELPLINE = {**settings.HELPLINE, "QUEUE_LIMIT": 7}
    for _ in range(2):
        with pytest.raises(Refusal) as refused:
            chat_actions.do_start_chat_if_open("en", "")
        assert refused.value.code == "full"
    happened["full"] += 2
    for _ in range(4):
        chat_actions.note_closed_visit()
    happened["closed_visits"] += 4

    # Staff come on duty: six are answered, one keeps waiting.
    StaffProfile.objects.update(availability=Availability.AVAILABLE)
    offered = chat_actions.do_route_waiting_seekers()
    assert len(offered) == 6
    for chat in ChatSession.objects.filter(pk__in=offered).select_related("offered_to"):
        assert chat.offered_to is not None
        chat_actions.do_accept_offer(chat, chat.offered_to)
    happened["answered"] += 6
    live = list(ChatSession.objects.filter(status=Status.ACTIVE).select_related("staff"))
    answers = [
        chat_actions.WrapUpAnswers(
            "self", ["thoughts", "online_images"], ["therapy"], "search_warning", "substantive"
        ),
        chat_actions.WrapUpAnswers("self", ["thoughts"], ["self_help", "gp"], "police", "substantive"),
        chat_actions.WrapUpAnswers("another_adult", ["family"], ["none"], "word_of_mouth", "substantive"),
        chat_actions.WrapUpAnswers("other", [], [], "other", "silent"),
    ]
    assert all(chat.staff is not None for chat in live)
    escalation = chat_actions.do_escalate(
        live[0], sam if live[0].staff_id == sam.id else kim, Escalation.Reason.CHILD_AT_RISK
    )
    chat_actions.do_decide_escalation(escalation, kim, Escalation.Decision.SUPPORTED_IN_CHAT)
    for chat, answer in zip(live[:4], answers, strict=True):
        owner = sam if chat.staff_id == sam.id else kim
        chat_actions.do_end_chat(chat, by_staff=owner)
        chat.refresh_from_db()
        chat_actions.do_record_wrap_up(chat, owner, answer)
    for chat in live[4:]:
        chat_actions.do_end_chat(chat)

    # Closing: the last person is still waiting when the team goes off duty.
    for day in range(7):
        OpeningHours.objects.create(weekday=day, opens_at="00:00", closes_at="00:00")
    now = timezone.now()
    ServiceClosure.objects.create(
        starts_at=now - timedelta(minutes=1), ends_at=now + timedelta(hours=9), reason="Night"
    )
    for profile in StaffProfile.objects.all():
        staff_actions.do_set_availability(
            profile, Availability.OFFLINE
        )  # an offer still open goes back to the queue
    assert ChatSession.objects.filter(status=Status.WAITING).count() == 1
    assert chat_actions.do_close_queue_after_hours() == 1
    happened["closed_waiting"] += 1

    # Secure messages: three threads, one follow-up; two replies in time, one late.
    threads = [inbox_actions.do_start_secure_thread("en", f"Message {n}").thread for n in range(3)]
    inbox_actions.do_add_seeker_secure_message(threads[0], "And one more thing.")
    SecureThread.objects.filter(pk=threads[2].pk).update(reply_due_at=timezone.now() - timedelta(hours=1))
    for thread in threads:
        thread.refresh_from_db()
        inbox_actions.do_reply_to_secure_thread(thread, sam, "Thank you for writing.")
    happened.update(secure_threads=3, secure_received=4, in_target=2, late=1)

    counted = totals()
    assert counted[tallies.CHATS_STARTED] == happened["started"] == ChatSession.objects.count()
    assert counted[tallies.CHATS_ANSWERED] == happened["answered"]
    assert counted[tallies.CHATS_ANSWERED] == ChatSession.objects.filter(answered_at__isnull=False).count()
    assert counted[tallies.CHATS_ABANDONED] == happened["abandoned"]
    assert counted[tallies.CHATS_CLOSED_WAITING] == happened["closed_waiting"]
    assert counted[tallies.TURNED_AWAY_FULL] == happened["full"]
    assert counted[tallies.TURNED_AWAY_CLOSED] == happened["closed_visits"]
    assert counted[tallies.SECURE_THREADS_STARTED] == happened["secure_threads"]
    assert counted[tallies.SECURE_RECEIVED] == happened["secure_received"]
    assert counted[tallies.SECURE_ANSWERED_IN_TARGET] == happened["in_target"]
    assert counted[tallies.SECURE_ANSWERED_LATE] == happened["late"]
    # Every chat's wait is in exactly one bucket of one histogram.
    answered_waits = sum(counted[tallies.wait_answered(b)] for b, _ in tallies.WAIT_BUCKETS)
    missed_waits = sum(counted[tallies.wait_missed(b)] for b, _ in tallies.WAIT_BUCKETS)
    assert answered_waits == happened["answered"]
    assert counted[tallies.wait_answered("0-1m")] == happened["answered"]
    assert missed_waits == happened["abandoned"] + happened["closed_waiting"]
    # Wrap-ups by category.
    assert counted["wrap_up.outcome.substantive"] == 3 and counted["wrap_up.outcome.silent"] == 1
    assert counted["wrap_up.topic.thoughts"] == 2 and counted["wrap_up.topic.online_images"] == 1
    assert (
        counted["wrap_up.protective_action.therapy"] == 1 and counted["wrap_up.protective_action.none"] == 1
    )
    assert counted["wrap_up.about.self"] == 2 and counted["wrap_up.heard_from.police"] == 1
    assert counted["escalation.reason.child_at_risk"] == 1 and counted["escalation.decision.supported"] == 1
    # Nothing was counted that did not happen.
    assert sum(v for k, v in counted.items() if k.startswith("wrap_up.outcome.")) == 4


def test_counting_a_chat_again_changes_nothing(make_staff):
    sam = make_staff("sam")
    chat, _ = chat_actions.do_start_chat("en", "")
    chat.refresh_from_db()
    chat_actions.do_accept_offer(chat, sam)
    chat_actions.do_end_chat(chat)
    before = totals()
    for _ in range(3):
        tallies.tally_chat(chat.id)
    assert totals() == before


def test_concurrent_counting_loses_nothing():
    day = timezone.localdate()
    barrier = threading.Barrier(8)
    errors: list[BaseException] = []

    def bump_many():
        try:
            barrier.wait()
            for n in range(25):
                tallies.bump(day, [tallies.CHATS_STARTED, f"wait.answered.{n % 3}"])
        except BaseException as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    workers = [threading.Thread(target=bump_many) for _ in range(8)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    assert errors == []
    assert DailyCount.objects.get(day=day, name=tallies.CHATS_STARTED).value == 200


# --- the page --------------------------------------------------------------------------------


@pytest.fixture
def people(make_staff, django_user_model):
    editor = django_user_model.objects.create_user("eddie", password="a-long-test-password")
    editor.groups.add(Group.objects.get_or_create(name="Editors")[0])
    return {
        "staff": make_staff("sam").user,
        "supervisor": make_staff("alex", supervisor=True).user,
        "admin": User.objects.create_superuser("root", password="a-long-admin-password"),
        "editor": editor,
    }


def seed(day, **values):
    for name, value in values.items():
        DailyCount.objects.create(day=day, name=name, value=value)


def test_only_supervisors_and_admins_see_the_statistics(people):
    assert signed_in(people["supervisor"]).get("/staff/stats/").status_code == 200
    assert signed_in(people["admin"]).get("/staff/stats/").status_code == 200
    assert signed_in(people["staff"]).get("/staff/stats/").status_code == 403
    assert signed_in(people["editor"]).get("/staff/stats/").status_code == 403
    anonymous = Client().get("/staff/stats/")
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/staff/login/")
    assert signed_in(people["supervisor"]).post("/staff/stats/").status_code == 405


def test_small_counts_are_shown_as_fewer_than_five_in_tables_and_charts(people):
    today = timezone.localdate()
    seed(
        today,
        **{
            tallies.CHATS_STARTED: 1234,
            tallies.CHATS_ANSWERED: 3,
            tallies.TURNED_AWAY_CLOSED: 27,
            tallies.wait_answered("0-1m"): 2,
            tallies.wait_answered("1-5m"): 40,
            tallies.wait_missed("5-15m"): 1,
        },
    )
    response = signed_in(people["supervisor"]).get("/staff/stats/")
    text = response.content.decode()
    today_row = re.search(rf'<th scope="row">{figures.day_label(today)}</th>(.*?)</tr>', text, re.S)
    assert today_row is not None
    cells = re.findall(r"<td[^>]*>(.*?)</td>", today_row.group(1))
    labels = [m.label for m in figures.MEASURES]
    assert cells[labels.index("Chats started")] == "1,234"
    assert cells[labels.index("Chats answered")] == "fewer than 5"
    assert cells[labels.index("Turned away: closed")] == "27"
    assert cells[labels.index("Left the queue before an answer")] == "0"  # zero is zero, not "fewer than 5"
    assert cells[-1] == "\N{EN DASH}"  # no share worked out from a hidden count
    # The charts: a hidden count is a hatched bar to the threshold line, labelled, never to scale.
    assert "under 1 min, Answered: fewer than 5" in text
    assert "1 to 5 min, Answered: 40" in text
    hidden_bars = re.findall(r'<rect class="chart__bar[^"]*chart__bar--hidden"[^>]*>', text)
    assert hidden_bars and all('fill="url(#' in bar for bar in hidden_bars)
    heights = {re.findall(r'height="([\d.]+)"', bar)[0] for bar in hidden_bars if "waits-hatch" in bar}
    assert len(heights) == 1, "hidden bars must all reach the same threshold height"
    assert "<tspan" in text and ">fewer</tspan>" in text and ">than 5</tspan>" in text
    # Zero is drawn as zero: no bar above the axis, labelled 0, never like a hidden count.
    assert "5 to 15 min, Answered: 0" in text
    zero_bar = re.search(
        r'<title>5 to 15 min, Answered: 0</title>\s*<rect class="chart__bar[^"]*"[^>]*>', text
    )
    assert zero_bar is not None
    assert "chart__bar--hidden" not in zero_bar.group(0) and 'height="0' in zero_bar.group(0)
    # No inline style or script: the CSP would refuse them.
    assert "style=" not in text
    # No inline script runs (the page's words for scripts are JSON data, which never runs).
    assert not re.search(r"<script(?![^>]*\b(?:src=|type=\"application/json\"))", text)


def test_the_threshold_is_a_setting(people, settings):
    settings.HELPLINE = {**settings.HELPLINE, "STATS_SMALL_COUNT": 10}
    seed(timezone.localdate(), **{tallies.CHATS_STARTED: 7})
    text = signed_in(people["admin"]).get("/staff/stats/").content.decode()
    assert "fewer than 10" in text and "fewer than 5" not in text


def test_a_bad_date_is_explained_and_the_latest_figures_shown(people):
    response = signed_in(people["supervisor"]).get("/staff/stats/?until=last-tuesday")
    assert response.status_code == 200
    assert "is not a date like" in response.content.decode()
    future = (timezone.localdate() + timedelta(days=5)).isoformat()
    text = signed_in(people["supervisor"]).get(f"/staff/stats/?until={future}").content.decode()
    assert "no figures for days still to come" in text


def test_the_figures_download_as_a_spreadsheet_suppressed_as_on_the_page(people):
    today = timezone.localdate()
    seed(today, **{tallies.CHATS_STARTED: 1234, tallies.CHATS_ANSWERED: 3})
    page = signed_in(people["supervisor"]).get("/staff/stats/").content.decode()
    assert f'href="/staff/stats/figures.csv?until={today.isoformat()}&amp;by=day"' in page
    response = signed_in(people["supervisor"]).get(f"/staff/stats/figures.csv?until={today.isoformat()}")
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["row", "first", "last", "complete", *(m.key for m in figures.MEASURES)]
    assert len(rows) == 1 + 28 + 1 and rows[-2][1] == today.isoformat()  # oldest first, today last
    assert rows[-1][0] == "total"
    keys = {m.label: m.key for m in figures.MEASURES}
    today_row = dict(zip(rows[0], rows[-2], strict=True))
    assert today_row[keys["Chats started"]] == "1234"
    assert today_row[keys["Chats answered"]] == "<5"  # never the 3 itself
    assert today_row[keys["Left the queue before an answer"]] == "0"
    # The same people as the page: staff without supervision may not download it.
    assert signed_in(people["staff"]).get("/staff/stats/figures.csv").status_code == 403
    assert Client().get("/staff/stats/figures.csv").status_code == 302
