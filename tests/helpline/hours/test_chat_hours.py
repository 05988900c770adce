"""The chat pages and opening hours: closed, the last minutes before closing, a full queue, a long
wait, nobody on duty, and the people still waiting when the team finishes. All without JavaScript.

Hours here are set relative to the real clock: open around the week, with a one-off closure placed
where a test needs "closed", "closing in ten minutes" or "closing in half an hour"."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from helpline import demo
from helpline.chat import actions as chat_actions
from helpline.hours import schedules
from helpline.models import (
    Availability,
    ChatSession,
    DailyCount,
    OpeningHours,
    ServiceClosure,
    StaffProfile,
    hash_token,
)
from helpline.staff import actions as staff_actions
from helpline.stats import tallies

pytestmark = pytest.mark.django_db(transaction=True)
Status = ChatSession.Status


@pytest.fixture
def seeker():
    return Client()


def open_all_week(language="en"):
    for day in range(7):
        OpeningHours.objects.create(language=language, weekday=day, opens_at="00:00", closes_at="00:00")


def closure(starts_in: timedelta, lasts: timedelta = timedelta(hours=3)) -> ServiceClosure:
    now = timezone.now()
    return ServiceClosure.objects.create(
        starts_at=now + starts_in, ends_at=now + starts_in + lasts, reason="Training"
    )


def closed_now():
    open_all_week()
    closure(-timedelta(hours=1))


def count(name: str) -> int:
    return (
        DailyCount.objects.filter(day=tallies.service_date(timezone.now()), name=name)
        .values_list("value", flat=True)
        .first()
        or 0
    )


def start(client, language="en"):
    return client.post("/chat/start/", {"language": language, "about": ""})


def page(response) -> str:
    return response.content.decode()


# --- no hours at all -----------------------------------------------------------------------------


def test_with_no_hours_set_live_chat_is_always_open(seeker):
    response = seeker.get("/en/chat/")
    assert response.status_code == 200
    assert 'name="language"' in page(response)
    assert "closed just now" not in page(response)
    assert start(seeker).status_code == 302
    assert count(tallies.TURNED_AWAY_CLOSED) == 0


# --- closed --------------------------------------------------------------------------------------


def test_when_closed_the_page_says_when_we_open_and_offers_a_secure_message(seeker):
    closed_now()
    response = seeker.get("/en/chat/")
    text = page(response)
    assert response.status_code == 200
    assert "Live chat is closed just now" in text
    assert re.search(r"Live chat opens (today|tomorrow) at \d\d:\d\d, in 2 hours\.", text)
    assert 'href="/en/messages/"' in text
    assert 'action="/chat/start/"' not in text
    assert "Live chat opening hours" in text
    assert count(tallies.TURNED_AWAY_CLOSED) == 1


def test_a_start_sent_after_closing_is_refused_counted_and_pointed_to_secure_messages(seeker):
    closed_now()
    response = start(seeker)
    assert response.status_code == 400
    text = page(response)
    assert "Live chat in English is closed just now" in text
    assert "Write a secure message" in text and 'href="/en/messages/"' in text
    assert ChatSession.objects.count() == 0
    assert count(tallies.TURNED_AWAY_CLOSED) == 1


def test_new_chats_stop_shortly_before_closing(seeker, settings):
    settings.HELPLINE = {**settings.HELPLINE, "LAST_CHAT_MINUTES_BEFORE_CLOSING": 15}
    open_all_week()
    closure(timedelta(minutes=10))
    response = start(seeker)
    assert response.status_code == 400
    assert "stopped starting new chats" in page(response)
    assert ChatSession.objects.count() == 0
    # Twenty minutes before closing is still fine.
    ServiceClosure.objects.update(starts_at=timezone.now() + timedelta(minutes=20))
    assert start(Client()).status_code == 302


def test_a_language_without_hours_offers_no_live_chat(seeker):
    open_all_week("en")
    response = seeker.get("/en/chat/")
    assert '<option value="de"' not in page(response)
    assert start(seeker, "de").status_code == 400
    assert ChatSession.objects.count() == 0
    state = schedules.opening_state("de")
    assert not state.is_open and state.next_opens_at is None


def test_holidays_close_live_chat(seeker):
    from helpline.models import Holiday

    open_all_week()
    Holiday.objects.create(date=timezone.localdate(), name="A holiday")
    assert not schedules.opening_state("en").is_open
    assert "Live chat is closed just now" in page(seeker.get("/en/chat/"))


# --- busy ----------------------------------------------------------------------------------------


def test_a_full_queue_turns_new_chats_away_with_another_route(seeker, settings):
    settings.HELPLINE = {**settings.HELPLINE, "QUEUE_LIMIT": 2}
    assert start(Client()).status_code == 302
    assert start(Client()).status_code == 302
    response = start(seeker)
    assert response.status_code == 400
    assert "So many people are waiting" in page(response)
    assert "secure message" in page(response)
    assert ChatSession.objects.count() == 2
    assert count(tallies.TURNED_AWAY_FULL) == 1


def test_nobody_on_duty_is_said_plainly_before_joining(seeker):
    response = seeker.get("/en/chat/")
    assert "Nobody from the team is free to chat at the moment" in page(response)
    assert start(seeker).status_code == 302  # the choice stays theirs


def busy_with_long_chats(make_staff):
    """One person on duty, busy; recent chats took 40 minutes each; two people already waiting."""
    sam = make_staff("sam", max_chats=1)
    now = timezone.now()
    for n in range(3):
        ChatSession.objects.create(
            token_hash=hash_token(f"done{n}"),
            status=Status.ENDED,
            answered_at=now - timedelta(minutes=50),
            ended_at=now - timedelta(minutes=10),
        )
    ChatSession.objects.create(
        token_hash=hash_token("live"), status=Status.ACTIVE, staff=sam, answered_at=now
    )
    for _ in range(2):
        chat_actions.do_start_chat("en", "")
    return sam


def test_a_wait_longer_than_the_time_left_is_said_before_joining(seeker, make_staff):
    open_all_week()
    closure(timedelta(minutes=30))
    busy_with_long_chats(make_staff)
    text = page(seeker.get("/en/chat/"))
    assert "The wait may be longer than the time left before we close" in text
    assert 'action="/chat/start/"' in text


def test_someone_waiting_hears_about_closing_in_the_queue(seeker, make_staff):
    open_all_week()
    closure(timedelta(minutes=30))
    busy_with_long_chats(make_staff)
    assert start(seeker).status_code == 302
    live = page(seeker.get("/chat/session/live/"))
    assert "The wait may be longer than the time left before we close" in live
    assert 'href="/en/messages/" target="_blank"' in live
    notice = seeker.get("/chat/session/notice/").json()["notice"]
    assert "longer than the time left" in notice


# --- at closing ---------------------------------------------------------------------------------


def test_people_waiting_at_closing_keep_their_place_until_the_team_goes_off_duty(seeker, make_staff):
    open_all_week()
    sam = make_staff("sam", max_chats=1)
    ChatSession.objects.create(
        token_hash=hash_token("live"), status=Status.ACTIVE, staff=sam, answered_at=timezone.now()
    )
    assert start(seeker).status_code == 302
    chat = ChatSession.objects.get(status=Status.WAITING)
    closure(-timedelta(minutes=1))  # closing time has just passed

    chat_actions.check_in_seeker(chat)
    staff_actions.check_in_staff(sam)
    chat_actions.sweep()
    chat.refresh_from_db()
    assert chat.status == Status.WAITING, "someone still waiting at closing lost their place"
    live = page(seeker.get("/chat/session/live/"))
    assert "you keep your place in the queue" in live
    assert "write us a secure message instead" in live

    # The last person on duty signs off: nobody can answer now, so the person is told, not left waiting.
    StaffProfile.objects.update(availability=Availability.OFFLINE)
    chat_actions.check_in_seeker(chat)
    assert chat_actions.do_close_queue_after_hours() == 1
    chat.refresh_from_db()
    assert (chat.status, chat.end_reason) == (Status.ENDED, ChatSession.EndReason.CLOSED)
    # The person stays on their page, which now says so (the end belongs to the seeker: issue 12).
    on_page = page(seeker.get("/chat/session/"))
    assert "finished for today before anyone could answer you" in on_page
    assert 'href="/en/messages/"' in on_page
    ended = page(seeker.get("/chat/ended/"))
    assert "finished for today before anyone could answer you" in ended
    assert 'href="/en/messages/"' in ended
    assert count(tallies.CHATS_CLOSED_WAITING) == 1


def test_nothing_is_closed_while_the_service_is_open(make_staff):
    open_all_week()
    chat, _token = chat_actions.do_start_chat("en", "")
    chat_actions.check_in_seeker(chat)
    assert chat_actions.do_close_queue_after_hours() == 0
    chat.refresh_from_db()
    assert chat.status == Status.WAITING


# --- demo and admin -----------------------------------------------------------------------------


def test_the_demo_opens_live_chat_in_every_language_every_day_from_8_to_23(settings):
    lines = demo.load_demo_hours()
    assert "every day 08:00-23:00" in lines[0]
    rows = OpeningHours.objects.order_by("language", "weekday")
    assert [(r.language, r.weekday, f"{r.opens_at:%H:%M}", f"{r.closes_at:%H:%M}") for r in rows] == [
        (language, day, "08:00", "23:00") for language in sorted(dict(settings.LANGUAGES)) for day in range(7)
    ]
    assert demo.load_demo_hours() == []  # an admin's hours (or the demo's) are left alone
    assert OpeningHours.objects.count() == 7 * len(settings.LANGUAGES)


def test_the_admin_says_that_no_hours_means_always_open(client):
    admin = get_user_model().objects.create_superuser("root", password="a-long-admin-password")
    client.force_login(admin)
    response = client.get("/admin/helpline/openinghours/")
    assert response.status_code == 200
    assert "treated as open around the clock" in page(response)
    open_all_week()
    assert "treated as open around the clock" not in page(client.get("/admin/helpline/openinghours/"))


def test_the_timetable_groups_days_with_the_same_hours():
    for day in range(5):
        OpeningHours.objects.create(weekday=day, opens_at="09:00", closes_at="17:00")
    for day in (5, 6):
        OpeningHours.objects.create(weekday=day, opens_at="10:00", closes_at="14:00")
    OpeningHours.objects.create(weekday=2, opens_at="18:00", closes_at="21:00")
    rows = [(row.days, row.times) for row in schedules.weekly_timetable("en")]
    assert rows == [
        ("Monday and Tuesday", "09:00 to 17:00"),
        ("Wednesday", "09:00 to 17:00, 18:00 to 21:00"),
        ("Thursday and Friday", "09:00 to 17:00"),
        ("Saturday and Sunday", "10:00 to 14:00"),
    ]
