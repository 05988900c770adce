"""The staff page shell and presence of a person (issue: staff side). What a helpline worker notices:
reading the inbox or the statistics keeps them at work, offers and their chats are in the header of
every staff page, seekers who left are seen as gone and not offered, lost colleagues head the
supervisor board, and requeued seekers are told only what is true."""

from __future__ import annotations

import time
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from helpline.chat import actions as chat_actions
from helpline.chat import presence, queue, texts
from helpline.models import (
    STAFF_GROUP,
    SUPERVISOR_GROUP,
    Availability,
    ChatSession,
    Message,
    StaffProfile,
    WrapUp,
)
from tests.helpline.staff_personas import StaffTestCase, bodies, make_staff

Status = ChatSession.Status


def _silent_since(profile: StaffProfile, seconds: float) -> None:
    """The person's last check-in (from any page) was `seconds` ago, and they changed availability
    before that."""
    then = timezone.now() - timedelta(seconds=seconds)
    presence.touch_staff(profile.id, then.timestamp())
    StaffProfile.objects.filter(pk=profile.pk).update(availability_changed_at=then - timedelta(seconds=1))


class PresenceBelongsToThePerson(StaffTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.set_available(self.staffer)
        self.chat = self.active_chat(self.staffer)

    def test_reading_the_inbox_keeps_the_worker_present_and_their_chat_with_them(self) -> None:
        self.login(self.staffer)
        _silent_since(self.staffer, 600)
        assert self.client.get(reverse("staff-inbox")).status_code == 200
        chat_actions.do_requeue_for_dropped_staff()
        self.chat.refresh_from_db()
        self.staffer.refresh_from_db()
        assert self.chat.status == Status.ACTIVE and self.chat.staff_id == self.staffer.id
        assert self.staffer.availability == Availability.AVAILABLE

    def test_the_pulse_of_any_staff_page_keeps_the_worker_present(self) -> None:
        self.login(self.staffer)
        _silent_since(self.staffer, 600)
        response = self.client.get(reverse("staff-pulse"), headers={"accept": "application/json"})
        assert response.status_code == 200
        assert chat_actions.do_requeue_for_dropped_staff() == 0
        self.chat.refresh_from_db()
        assert self.chat.status == Status.ACTIVE

    def test_the_no_javascript_frame_keeps_the_worker_present_and_may_be_framed_only_by_us(self) -> None:
        self.login(self.staffer)
        _silent_since(self.staffer, 600)
        response = self.client.get(reverse("staff-pulse-frame"))
        assert response.status_code == 200
        assert b'http-equiv="refresh"' in response.content
        assert f"Chat {self.chat.public_id.hex[:6]}".encode() in response.content
        assert response.headers["X-Frame-Options"] == "SAMEORIGIN"
        assert "frame-ancestors 'self'" in response.headers["Content-Security-Policy"]
        assert chat_actions.do_requeue_for_dropped_staff() == 0

    def test_reading_the_statistics_keeps_a_supervisor_present(self) -> None:
        self.set_available(self.supervisor)
        self.login(self.supervisor)
        _silent_since(self.supervisor, 600)
        assert self.client.get(reverse("staff-stats")).status_code == 200
        chat_actions.do_requeue_for_dropped_staff()
        self.supervisor.refresh_from_db()
        assert self.supervisor.availability == Availability.AVAILABLE

    def test_with_every_page_gone_past_the_grace_period_the_chat_goes_back_and_the_board_shows_them_first(
        self,
    ) -> None:
        _silent_since(self.staffer, 600)
        assert chat_actions.do_requeue_for_dropped_staff() == 1
        self.chat.refresh_from_db()
        self.staffer.refresh_from_db()
        assert self.chat.status == Status.WAITING
        assert self.staffer.availability == Availability.OFFLINE
        assert self.staffer.connection_lost_at is not None
        assert bodies(self.chat)[-1] == texts.REQUEUED_AFTER_DROP

        self.set_available(self.colleague)
        self.login(self.supervisor)
        board = self.client.get(reverse("staff-supervisor-state")).content.decode()
        first = board.split("data-on-duty>")[1].split("</tr>")[0]
        assert "<td>Sam</td>" in first
        assert '<span class="status status--lost">Connection lost at ' in first

        # Back at work: any page clears it.
        self.login(self.staffer)
        self.client.get(reverse("staff-inbox"))
        self.staffer.refresh_from_db()
        assert self.staffer.connection_lost_at is None


class TheHeaderOfEveryStaffPage(StaffTestCase):
    def test_staff_pages_have_the_staff_header_and_no_quick_exit(self) -> None:
        self.login(self.supervisor)
        chat = self.ended_chat(self.supervisor)
        pages = [
            reverse("staff-console"),
            reverse("staff-inbox"),
            reverse("staff-supervisor"),
            reverse("staff-stats"),
            reverse("staff-wrap-up", args=[chat.public_id]),
            reverse("staff-transcript", args=[chat.public_id]),
        ]
        for url in pages:
            page = self.client.get(url).content.decode()
            assert "data-quick-exit" not in page, url
            assert "quick-exit.js" not in page, url
            assert 'role="search"' not in page, url
            assert "data-staff-shell" in page, url
            assert "data-availability" in page, url
            assert "data-queue-waiting" in page, url
            assert "alex" in page, url
            assert "staff-shell.js" in page, url
            assert reverse("staff-pulse-frame") in page, url  # the no-JavaScript pulse

    def test_the_sign_in_page_has_no_quick_exit_either(self) -> None:
        page = self.client.get(reverse("staff-login")).content.decode()
        assert "data-quick-exit" not in page
        assert "data-staff-shell" not in page

    def test_an_offer_shows_with_accept_on_the_inbox_page(self) -> None:
        chat = self.offered_chat(self.staffer)
        self.login(self.staffer)
        page = self.client.get(reverse("staff-inbox")).content.decode()
        assert f'data-offer="{chat.public_id.hex}"' in page
        assert reverse("staff-accept", args=[chat.public_id]) in page

    def test_availability_set_from_another_page_returns_to_it(self) -> None:
        self.login(self.staffer)
        response = self.client.post(
            reverse("staff-availability"), {"availability": "away", "next": reverse("staff-inbox")}
        )
        assert response.status_code == 302 and response["Location"] == reverse("staff-inbox")
        self.staffer.refresh_from_db()
        assert self.staffer.availability == Availability.AWAY
        # Only back to a staff page of this site.
        response = self.client.post(
            reverse("staff-availability"), {"availability": "available", "next": "https://elsewhere.example/"}
        )
        assert response["Location"] == reverse("staff-console")

    def test_the_pulse_lists_offers_chats_unread_and_the_seekers_presence(self) -> None:
        self.set_available(self.staffer)
        live = self.active_chat(self.staffer)
        chat_actions.do_send_message(live, Message.Sender.SEEKER, "Hello, is anyone there?")
        offered = self.offered_chat(self.staffer)
        self.login(self.staffer)
        pulse = self.client.get(reverse("staff-pulse")).json()
        assert [o["chat"] for o in pulse["offers"]] == [offered.public_id.hex]
        assert pulse["offers"][0]["seeker"]["state"] == "here"
        assert [c["chat"] for c in pulse["chats"]] == [live.public_id.hex]
        live.refresh_from_db()
        assert pulse["chats"][0]["seeker_seqs"] == [live.last_seq]
        assert pulse["chats"][0]["seeker"]["label"] == "Seeker here"


class SeekersWhoLeft(StaffTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.set_available(self.staffer)

    def _left(self, chat: ChatSession, seconds_ago: float) -> None:
        then = time.time() - seconds_ago
        presence.touch_seeker(chat.id, then - 1)
        presence.seeker_departed(chat.id, then)

    def test_presence_is_here_away_gone_or_not_known(self) -> None:
        now = time.time()
        here, reloading, left, silent, unknown = (self.waiting_chat() for _ in range(5))
        presence.touch_seeker(here.id, now - 5)
        self._left(reloading, 3)
        self._left(left, presence.SEEKER_DEPARTURE_SECONDS + 5)
        presence.touch_seeker(silent.id, now - presence.SEEKER_GONE_SECONDS - 5)
        presence.forget_seeker(unknown.id)  # as after a Redis restart
        states = presence.seeker_presence([c.id for c in (here, reloading, left, silent, unknown)], now)
        assert [s.state.value for s in states.values()] == ["here", "away", "gone", "gone", "unknown"]

    def test_a_reload_that_reconnects_is_not_leaving(self) -> None:
        chat = self.waiting_chat()
        self._left(chat, 30)
        chat_actions.check_in_seeker(chat)
        assert presence.seeker_presence([chat.id], time.time())[chat.id].state is presence.SeekerState.HERE

    def test_an_offer_of_a_seeker_who_left_is_withdrawn_and_the_worker_is_not_set_away(self) -> None:
        chat = self.offered_chat(self.staffer)
        self._left(chat, 20)
        assert chat_actions.do_withdraw_offers_to_departed() == 1
        chat.refresh_from_db()
        self.staffer.refresh_from_db()
        assert chat.status == Status.WAITING and chat.offered_to_id is None
        assert self.staffer.availability == Availability.AVAILABLE

    def test_a_seeker_who_left_is_not_offered_but_one_not_known_is(self) -> None:
        left = self.waiting_chat()
        self._left(left, 20)
        unknown = self.waiting_chat()
        presence.forget_seeker(unknown.id)
        offered = chat_actions.do_route_waiting_seekers()
        assert left.id not in offered
        assert unknown.id in offered

    def test_a_live_chat_whose_seeker_left_before_writing_closes_with_the_short_wrap_up(self) -> None:
        chat = self.active_chat(self.staffer)
        self._left(chat, 20)
        self.login(self.staffer)
        response = self.post_json(reverse("staff-close-left", args=[chat.public_id]))
        assert response.json()["ok"] is True
        chat.refresh_from_db()
        assert chat.status == Status.ENDED and chat.end_reason == ChatSession.EndReason.ABANDONED
        assert WrapUp.objects.get(session=chat).outcome == WrapUp.Outcome.LEFT_EARLY
        assert bodies(chat)[-1] == texts.CLOSED_AFTER_SEEKER_LEFT
        # Free for the next person at once: no wrap-up is owed.
        assert self.staffer.id not in queue.staff_with_wrap_up_due([self.staffer.id])

    def test_a_seeker_who_wrote_then_left_still_gets_the_usual_wrap_up(self) -> None:
        chat = self.active_chat(self.staffer)
        chat_actions.do_send_message(chat, Message.Sender.SEEKER, "I have been worried for a long time.")
        self._left(chat, 20)
        self.login(self.staffer)
        response = self.post_json(reverse("staff-close-left", args=[chat.public_id]))
        assert response.json()["wrap_up_url"] == reverse("staff-wrap-up", args=[chat.public_id])
        assert not WrapUp.objects.filter(session=chat).exists()

    def test_a_chat_whose_seeker_may_still_be_there_is_not_closed(self) -> None:
        chat = self.active_chat(self.staffer)
        self.login(self.staffer)
        response = self.post_json(reverse("staff-close-left", args=[chat.public_id]))
        assert response.json()["error"]["code"] == "seeker_still_here"
        chat.refresh_from_db()
        assert chat.status == Status.ACTIVE


class HonestWordsWhenRequeued(StaffTestCase):
    def test_seekers_requeued_together_are_not_each_told_they_are_at_the_front(self) -> None:
        busy = make_staff("lee", "Lee", STAFF_GROUP, SUPERVISOR_GROUP)
        busy.max_chats = 3
        busy.save()
        self.set_available(busy)
        chats = [self.active_chat(busy) for _ in range(3)]
        _silent_since(busy, 600)
        assert chat_actions.do_requeue_for_dropped_staff() == 3
        positions = []
        for chat in chats:
            chat.refresh_from_db()
            told = bodies(chat)[-1]
            assert "front of the queue" not in told
            assert "place you had when you first joined" in told
            positions.append(queue.queue_position(chat))
        assert positions == [1, 2, 3]
