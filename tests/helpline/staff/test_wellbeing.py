"""Staff wellbeing (issue #17): what a helpline worker and their supervisor notice. Time on shift today
counts only time available for chats; a long shift is named gently, and past the longest shift no new
chats are offered until a supervisor extends it; a heavy chat is followed by a short break that the
person may end; a debrief request reaches the supervisors' board, and only theirs; the records go with
the retention purge; and seekers never see any of it."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from config.asgi import application
from helpline import retention
from helpline.chat import actions as chat_actions
from helpline.models import (
    Availability,
    ChatSession,
    DebriefRequest,
    Escalation,
    ShiftExtension,
    ShiftSpan,
    StaffProfile,
    WrapUp,
)
from helpline.staff import actions as staff_actions
from helpline.staff import wellbeing
from tests.helpline.staff_personas import StaffTestCase

Status = ChatSession.Status
BOARD = "/staff/supervisor/"
BOARD_STATE = "/staff/supervisor/state/"
INBOX = "/staff/inbox/"


def rules(**changes: Any) -> dict[str, Any]:
    """HELPLINE with the service day begun about eight hours ago, whatever the time the tests run."""
    now = timezone.localtime()
    return {**settings.HELPLINE, "SHIFT_DAY_STARTS_HOUR": (now - timedelta(hours=8)).hour, **changes}


def was_available(profile: StaffProfile, start: datetime, end: datetime | None) -> None:
    """A stretch of availability, recorded the way the availability actions record it."""
    wellbeing.note_availability(profile.id, Availability.AVAILABLE, start)
    if end is not None:
        wellbeing.note_availability(profile.id, Availability.AWAY, end)
    available = end is None
    StaffProfile.objects.filter(pk=profile.pk).update(
        availability=Availability.AVAILABLE if available else Availability.AWAY,
        availability_changed_at=start if available else end,
    )
    profile.refresh_from_db()


def on_shift_for(profile: StaffProfile, minutes: int) -> None:
    was_available(profile, timezone.now() - timedelta(minutes=minutes), None)


class WellbeingTestCase(StaffTestCase):
    def setUp(self) -> None:
        super().setUp()
        overridden = override_settings(HELPLINE=rules())
        overridden.enable()
        self.addCleanup(overridden.disable)

    def only_available(self, *profiles: StaffProfile) -> None:
        self.set_available(*profiles)

    def wrapped_up(self, chat: ChatSession, profile: StaffProfile) -> None:
        chat_actions.do_record_wrap_up(
            chat,
            profile,
            chat_actions.WrapUpAnswers(
                about=WrapUp.About.SELF,
                topics=[],
                protective_actions=[WrapUp.ProtectiveAction.NONE],
                heard_from=WrapUp.HeardFrom.OTHER,
                outcome=WrapUp.Outcome.LEFT_EARLY,
            ),
        )


class TimeOnShift(WellbeingTestCase):
    def test_it_counts_only_the_time_available_today(self):
        now = timezone.now()
        # Yesterday's late stretch ended before today's service day began: not today's.
        was_available(self.staffer, now - timedelta(hours=11), now - timedelta(hours=9))
        was_available(self.staffer, now - timedelta(hours=3), now - timedelta(hours=2))  # 1 h
        # Away from 2 h ago until 90 minutes ago: not counted. Then available until now: 90 min.
        was_available(self.staffer, now - timedelta(minutes=90), None)
        state = wellbeing.shift_state(self.staffer, now)
        assert abs(state.seconds_on_shift - 150 * 60) < 5
        self.login(self.staffer)
        self.assertContains(self.client.get(INBOX), "On shift 2 h 30 min today")

    def test_a_stretch_across_the_start_of_the_day_counts_from_the_start(self):
        now = timezone.now()
        day_start = wellbeing.service_day_start(now)
        was_available(self.staffer, day_start - timedelta(hours=2), day_start + timedelta(minutes=40))
        assert abs(wellbeing.shift_state(self.staffer, now).seconds_on_shift - 40 * 60) < 5

    def test_changing_availability_opens_and_closes_stretches(self):
        StaffProfile.objects.filter(pk=self.staffer.pk).update(availability=Availability.OFFLINE)
        self.staffer.refresh_from_db()
        staff_actions.do_set_availability(self.staffer, Availability.AVAILABLE)
        staff_actions.do_set_availability(self.staffer, Availability.AVAILABLE)  # a second click
        assert ShiftSpan.objects.filter(staff=self.staffer, ended_at__isnull=True).count() == 1
        staff_actions.do_set_availability(self.staffer, Availability.AWAY)
        assert not ShiftSpan.objects.filter(staff=self.staffer, ended_at__isnull=True).exists()
        assert ShiftSpan.objects.filter(staff=self.staffer).count() == 1

    def test_a_stretch_left_open_by_another_path_stops_at_the_last_change(self):
        now = timezone.now()
        wellbeing.note_availability(self.staffer.id, Availability.AVAILABLE, now - timedelta(hours=2))
        # The admin set the person offline an hour ago without closing the stretch.
        StaffProfile.objects.filter(pk=self.staffer.pk).update(
            availability=Availability.OFFLINE, availability_changed_at=now - timedelta(hours=1)
        )
        self.staffer.refresh_from_db()
        assert abs(wellbeing.shift_state(self.staffer, now).seconds_on_shift - 3600) < 5

    def test_the_pulse_brings_the_line_up_to_date(self):
        on_shift_for(self.staffer, 25)
        self.login(self.staffer)
        state = self.client.get(reverse("staff-pulse")).json()
        assert "On shift 25 min today" in state["wellbeing_html"]
        frame = self.client.get(reverse("staff-pulse-frame"))
        self.assertContains(frame, "On shift 25 min today")

    def test_a_long_shift_is_named_at_the_warning_length(self):
        on_shift_for(self.staffer, 50)
        self.login(self.staffer)
        with override_settings(HELPLINE=rules(SHIFT_WARNING_MINUTES=60)):
            self.assertNotContains(self.client.get(INBOX), "That is a long shift")
            on_shift_for(self.colleague, 61)
            self.login(self.colleague)
            self.assertContains(self.client.get(INBOX), "That is a long shift")


class LongestShift(WellbeingTestCase):
    def test_past_the_cap_no_new_chats_are_offered_and_live_ones_stay(self):
        live = self.active_chat(self.staffer)
        on_shift_for(self.staffer, 370)
        self.only_available(self.staffer)
        waiting = self.waiting_chat()
        assert chat_actions.do_route_waiting_seekers() == []
        waiting.refresh_from_db()
        live.refresh_from_db()
        assert waiting.status == Status.WAITING
        assert live.status == Status.ACTIVE and live.staff_id == self.staffer.id
        self.login(self.staffer)
        self.assertContains(self.client.get(INBOX), "You have reached the longest shift (6 h)")

    def test_a_colleague_with_time_left_is_offered_the_chat_instead(self):
        on_shift_for(self.staffer, 370)
        on_shift_for(self.colleague, 30)
        self.only_available(self.staffer, self.colleague)
        waiting = self.waiting_chat()
        assert chat_actions.do_route_waiting_seekers() == [waiting.id]
        waiting.refresh_from_db()
        assert waiting.offered_to_id == self.colleague.id

    def test_a_supervisors_extension_lets_offers_resume_and_is_recorded(self):
        on_shift_for(self.staffer, 370)
        self.only_available(self.staffer)
        waiting = self.waiting_chat()
        assert chat_actions.do_route_waiting_seekers() == []
        self.login(self.supervisor)
        board = self.client.get(BOARD)
        self.assertContains(board, "Reached the longest shift (6 h): no new chats")
        extend = reverse("staff-extend-shift", args=[self.staffer.id])
        self.assertContains(board, f'action="{extend}"')
        response = self.client.post(extend, follow=True)
        self.assertContains(response, "Sam can take new chats for a while longer.")
        extension = ShiftExtension.objects.get(staff=self.staffer)
        assert extension.extended_by_id == self.supervisor.id and extension.minutes == 60
        chat_actions.do_route_waiting_seekers()
        waiting.refresh_from_db()
        assert waiting.status == Status.OFFERED and waiting.offered_to_id == self.staffer.id

    def test_a_chat_cannot_be_handed_to_a_colleague_past_the_cap(self):
        chat = self.active_chat(self.staffer)
        on_shift_for(self.colleague, 370)
        self.only_available(self.staffer, self.colleague)
        self.login(self.staffer)
        self.assertNotContains(
            self.client.get(reverse("staff-console")), f'<option value="{self.colleague.id}"'
        )
        response = self.post_json(reverse("staff-transfer", args=[chat.public_id]), {"to": self.colleague.id})
        assert (
            response.json()["error"]["message"]
            == "Kim is not taking new chats just now. Choose someone else."
        )
        chat.refresh_from_db()
        assert chat.status == Status.ACTIVE and chat.staff_id == self.staffer.id

    def test_only_supervisors_extend_a_shift(self):
        extend = reverse("staff-extend-shift", args=[self.staffer.id])
        assert self.client.post(extend).status_code == 302  # to the sign-in page
        self.login(self.staffer)
        assert self.client.post(extend).status_code == 403
        self.login(self.supervisor)
        assert self.client.get(extend).status_code == 405
        assert self.client.post(reverse("staff-extend-shift", args=[999999])).status_code == 404
        assert not ShiftExtension.objects.exists()


class BreakAfterAHeavyChat(WellbeingTestCase):
    def test_an_escalated_chat_pauses_offers_until_the_person_goes_on(self):
        chat = self.active_chat(self.staffer)
        chat_actions.do_escalate(chat, self.staffer, Escalation.Reason.CHILD_AT_RISK)
        chat_actions.do_end_chat(chat, by_staff=self.staffer)
        self.wrapped_up(chat, self.staffer)
        self.only_available(self.staffer)
        waiting = self.waiting_chat()
        assert chat_actions.do_route_waiting_seekers() == []
        self.login(self.staffer)
        page = self.client.get(INBOX)
        self.assertContains(page, "That was a heavy chat. New chats are paused until")
        self.assertContains(page, "OK, go on taking chats</button>")
        response = self.client.post(reverse("staff-end-break"), {"next": INBOX}, follow=True)
        self.assertRedirects(response, INBOX)
        self.assertContains(response, "New chats can be offered to you again.")
        self.assertNotContains(response, "That was a heavy chat")
        chat_actions.do_route_waiting_seekers()
        waiting.refresh_from_db()
        assert waiting.offered_to_id == self.staffer.id

    def test_a_long_chat_is_heavy_and_a_short_one_is_not(self):
        long_chat = self.active_chat(self.staffer)
        ChatSession.objects.filter(pk=long_chat.pk).update(answered_at=timezone.now() - timedelta(minutes=50))
        chat_actions.do_end_chat(long_chat, by_staff=self.staffer)
        self.staffer.refresh_from_db()
        assert self.staffer.break_until is not None
        assert self.staffer.break_until > timezone.now() + timedelta(minutes=9)
        short_chat = self.active_chat(self.colleague)
        chat_actions.do_end_chat(short_chat)  # ended by the seeker
        self.colleague.refresh_from_db()
        assert self.colleague.break_until is None

    def test_offers_come_again_once_the_break_is_over(self):
        StaffProfile.objects.filter(pk=self.staffer.pk).update(
            break_until=timezone.now() - timedelta(seconds=1)
        )
        self.only_available(self.staffer)
        waiting = self.waiting_chat()
        assert chat_actions.do_route_waiting_seekers() == [waiting.id]
        self.login(self.staffer)
        self.assertNotContains(self.client.get(INBOX), "That was a heavy chat")

    def test_the_supervisor_board_shows_who_is_on_a_break(self):
        StaffProfile.objects.filter(pk=self.staffer.pk).update(
            break_until=timezone.now() + timedelta(minutes=5)
        )
        self.login(self.supervisor)
        self.assertContains(self.client.get(BOARD_STATE), "On a break after a heavy chat, until")


class DebriefRequests(WellbeingTestCase):
    def test_a_request_reaches_the_supervisors_board_with_its_note(self):
        self.login(self.staffer)
        response = self.client.post(
            reverse("staff-request-debrief"), {"note": "  a hard one  today ", "next": INBOX}, follow=True
        )
        self.assertRedirects(response, INBOX)
        self.assertContains(response, "Your request for a debrief has reached the supervisors.")
        self.assertContains(response, "You asked for a debrief at")
        request = DebriefRequest.objects.get()
        assert request.staff_id == self.staffer.id and request.note == "a hard one today"
        self.login(self.supervisor)
        board = self.client.get(BOARD)
        self.assertContains(board, f'data-debrief="{request.id}"')
        self.assertContains(board, "<td>a hard one today</td>")
        assert self.client.get(BOARD_STATE).content.count(b"a hard one today") == 1

    def test_only_supervisors_see_or_arrange_requests(self):
        request = staff_actions.do_request_debrief(self.staffer, "a quiet word")
        arrange = reverse("staff-arrange-debrief", args=[request.id])
        self.login(self.colleague)
        assert self.client.get(BOARD).status_code == 403
        self.assertNotContains(self.client.get(INBOX), "a quiet word")
        assert self.client.post(arrange).status_code == 403
        self.client.logout()
        assert self.client.post(arrange).status_code == 302
        self.login(self.supervisor)
        assert self.client.get(arrange).status_code == 405
        assert DebriefRequest.objects.get().arranged_at is None

    def test_a_supervisor_marks_it_arranged_once(self):
        request = staff_actions.do_request_debrief(self.staffer, "")
        arrange = reverse("staff-arrange-debrief", args=[request.id])
        self.login(self.supervisor)
        response = self.client.post(arrange, follow=True)
        self.assertContains(response, "The debrief with Sam is marked as arranged.")
        self.assertNotContains(response, f'data-debrief="{request.id}"')
        request.refresh_from_db()
        assert request.arranged_by_id == self.supervisor.id
        again = self.client.post(arrange, follow=True)
        self.assertContains(again, "Someone has already marked this debrief as arranged.")
        self.login(self.staffer)
        self.assertNotContains(self.client.get(INBOX), "You asked for a debrief")

    def test_a_note_too_long_is_refused_with_words(self):
        self.login(self.staffer)
        response = self.client.post(
            reverse("staff-request-debrief"), {"note": "x" * 201, "next": INBOX}, follow=True
        )
        self.assertContains(response, "Please keep the note to 200 characters or fewer.")
        response = self.client.post(
            reverse("staff-request-debrief"), {"note": "a\x00b", "next": INBOX}, follow=True
        )
        self.assertContains(response, "control characters we cannot show")
        assert not DebriefRequest.objects.exists()

    def test_every_staff_page_has_the_button_working_without_javascript(self):
        self.login(self.staffer)
        for url in (INBOX, reverse("staff-console")):
            page = self.client.get(url)
            self.assertContains(page, f'<form method="post" action="{reverse("staff-request-debrief")}"')
            self.assertContains(page, "Request a debrief")


class TeamOnTheBoard(WellbeingTestCase):
    def test_the_longest_on_shift_come_first(self):
        on_shift_for(self.staffer, 30)
        on_shift_for(self.colleague, 250)
        self.login(self.supervisor)
        board = self.client.get(BOARD_STATE).content.decode()
        team = board[board.index("data-team>") :]
        assert team.index("<td>Kim</td>") < team.index("<td>Sam</td>")
        assert "<td>4 h 10 min</td>" in team and "<td>30 min</td>" in team
        assert "Long shift" in team  # Kim, past the 4-hour warning


class Retention(WellbeingTestCase):
    def test_the_purge_removes_old_records_and_keeps_recent_ones(self):
        now = timezone.now()
        old = now - timedelta(hours=settings.HELPLINE["CHAT_RETENTION_HOURS"] + 1)
        was_available(self.staffer, old - timedelta(hours=1), old)
        on_shift_for(self.staffer, 10)
        old_request = staff_actions.do_request_debrief(self.staffer, "old")
        DebriefRequest.objects.filter(pk=old_request.pk).update(requested_at=old)
        staff_actions.do_request_debrief(self.staffer, "new")
        extension = staff_actions.do_extend_shift(self.staffer, self.supervisor)
        ShiftExtension.objects.filter(pk=extension.pk).update(extended_at=old)
        StaffProfile.objects.filter(pk=self.colleague.pk).update(break_until=old)
        result = retention.purge_expired(now)
        assert result["wellbeing_records"] == 3
        assert list(DebriefRequest.objects.values_list("note", flat=True)) == ["new"]
        assert ShiftSpan.objects.filter(staff=self.staffer, ended_at__isnull=True).count() == 1
        assert ShiftSpan.objects.count() == 1
        assert not ShiftExtension.objects.exists()
        self.colleague.refresh_from_db()
        assert self.colleague.break_until is None


class NothingForSeekers(WellbeingTestCase):
    def test_seeker_pages_show_none_of_it(self):
        on_shift_for(self.staffer, 300)
        staff_actions.do_request_debrief(self.staffer, "about a hard shift")
        StaffProfile.objects.filter(pk=self.staffer.pk).update(
            break_until=timezone.now() + timedelta(minutes=5)
        )
        seeker = Client()
        pages = [seeker.get("/en/chat/")]
        seeker.post("/chat/start/", {"language": "en", "about": "self"})
        pages += [seeker.get("/chat/session/"), seeker.get("/chat/session/poll/")]
        for page in pages:
            text = page.content.decode().lower()
            assert page.status_code in (200, 302)
            for word in ("debrief", "on shift", "heavy chat", "longest shift", "about a hard shift"):
                assert word not in text, (page.request["PATH_INFO"], word)


# --- real time: a debrief request reaches a supervisor's open board over its socket ---------------

ORIGIN = (b"origin", b"http://testserver")
TIMEOUT = 3


def _session_cookie(user: Any) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


@pytest.mark.django_db(transaction=True)
async def test_a_debrief_request_alerts_supervisors_live_and_nobody_else(make_staff):
    staffer = await database_sync_to_async(make_staff)("sam", display_name="Sam")
    supervisor = await database_sync_to_async(make_staff)("alex", display_name="Alex", supervisor=True)
    sockets = {}
    for who in (supervisor, staffer):
        cookie = await database_sync_to_async(_session_cookie)(who.user)
        socket = WebsocketCommunicator(
            application, "/staff/ws/", headers=[ORIGIN, (b"cookie", f"sessionid={cookie}".encode())]
        )
        connected, _ = await socket.connect(timeout=TIMEOUT)
        assert connected
        assert (await socket.receive_json_from(timeout=TIMEOUT))["type"] == "ready"
        sockets[who.display_name] = socket
    try:

        def ask_over_http() -> None:
            client = Client()
            client.force_login(staffer.user)
            response = client.post(reverse("staff-request-debrief"), {"note": "a rough night"})
            assert response.status_code == 302

        await database_sync_to_async(ask_over_http)()
        while True:
            frame = await sockets["Alex"].receive_json_from(timeout=TIMEOUT)
            if frame["type"] == "debrief_requested":
                break
        assert frame["name"] == "Sam"
        assert "a rough night" not in str(frame)  # the note is read on the board, not sent around
        # The person who asked (not a supervisor) hears nothing of it.
        heard = []
        while not await sockets["Sam"].receive_nothing(timeout=0.5):
            heard.append((await sockets["Sam"].receive_json_from(timeout=TIMEOUT))["type"])
        assert "debrief_requested" not in heard
    finally:
        for socket in sockets.values():
            await socket.disconnect()
