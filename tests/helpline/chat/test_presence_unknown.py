"""A Redis restart (or a lost key) says nothing about who is there: missing presence means "not
known", never "gone". The next sweep ends nobody's chat and sets nobody offline; people whose pages
check in again stay, and only someone who stays silent for a whole grace period after that is gone."""

from __future__ import annotations

from datetime import timedelta

from django.core.cache import cache
from django.utils import timezone

from helpline.chat import actions as chat_actions
from helpline.chat import presence
from helpline.models import Availability, ChatSession, StaffProfile
from helpline.staff import actions as staff_actions
from tests.helpline.staff_personas import StaffTestCase

Status = ChatSession.Status


class AfterARedisRestart(StaffTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.set_available(self.staffer)
        self.live = self.active_chat(self.staffer)
        self.waiting = self.waiting_chat()
        long_ago = timezone.now() - timedelta(hours=1)
        # Everyone has been here for an hour: their records, not their start times, say they are here.
        ChatSession.objects.update(created_at=long_ago)
        StaffProfile.objects.update(availability_changed_at=long_ago)
        cache.clear()  # Redis restarted: every presence record is gone

    def test_the_next_sweep_ends_no_chat_and_sets_nobody_offline(self) -> None:
        result = chat_actions.sweep()
        assert result["abandoned"] == 0
        assert result["requeued_for_dropped_staff"] == 0
        self.live.refresh_from_db()
        self.waiting.refresh_from_db()
        self.staffer.refresh_from_db()
        assert self.live.status == Status.ACTIVE and self.live.staff_id == self.staffer.id
        assert self.waiting.status in (Status.WAITING, Status.OFFERED)
        assert self.staffer.availability == Availability.AVAILABLE

    def test_people_whose_pages_check_in_again_stay(self) -> None:
        chat_actions.sweep()
        staff_actions.check_in_staff(self.staffer)
        chat_actions.check_in_seekers([self.live.id, self.waiting.id])
        later = timezone.now() + timedelta(seconds=80)
        assert chat_actions.do_requeue_for_dropped_staff(later) == 0
        assert chat_actions.do_abandon_vanished_seekers(later) == 0

    def test_someone_silent_for_a_whole_grace_period_after_it_is_gone(self) -> None:
        chat_actions.sweep()  # notices the missing records: each grace starts now
        much_later = timezone.now() + timedelta(minutes=15)
        assert chat_actions.do_requeue_for_dropped_staff(much_later) >= 1
        self.staffer.refresh_from_db()
        self.live.refresh_from_db()
        assert self.staffer.availability == Availability.OFFLINE
        assert self.live.status == Status.WAITING

    def test_a_seeker_shown_to_staff_as_not_known_rather_than_gone(self) -> None:
        states = presence.seeker_presence([self.live.id], timezone.now().timestamp())
        assert states[self.live.id].state is presence.SeekerState.UNKNOWN
