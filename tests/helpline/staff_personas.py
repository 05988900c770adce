"""Named people for the staff-side tests: a staffer, a colleague, a supervisor, an editor (not
helpline staff) and, by not logging in, an anonymous visitor. Chats are made through the actions,
the same way the service makes them."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group, User
from django.test import TestCase

from helpline.chat import actions as chat_actions
from helpline.models import STAFF_GROUP, SUPERVISOR_GROUP, Availability, ChatSession, StaffProfile


def make_staff(
    username: str, display_name: str, *groups: str, languages: list[str] | None = None
) -> StaffProfile:
    user = User.objects.create_user(username, password="a long test password")
    for name in groups:
        user.groups.add(Group.objects.get_or_create(name=name)[0])
    return StaffProfile.objects.create(
        user=user, display_name=display_name, languages=languages or ["en"], max_chats=3
    )


def bodies(chat: ChatSession) -> list[str]:
    """A chat's message texts in order (they are encrypted at rest, so not filterable in SQL)."""
    return [message.body for message in chat.messages.order_by("seq")]


class StaffTestCase(TestCase):
    def setUp(self) -> None:
        super().setUp()
        self.staffer = make_staff("sam", "Sam", STAFF_GROUP)
        self.colleague = make_staff("kim", "Kim", STAFF_GROUP)
        self.supervisor = make_staff("alex", "Alex", STAFF_GROUP, SUPERVISOR_GROUP)
        self.editor = User.objects.create_user("eddie", password="a long test password")
        self.editor.groups.add(Group.objects.get_or_create(name="Editors")[0])

    # --- people ---------------------------------------------------------------------------

    def login(self, who: StaffProfile | User) -> None:
        """Signed in with password and second factor, as every staff account must be."""
        # tests/conftest.py makes force_login count as having passed the second factor too.
        self.client.force_login(who.user if isinstance(who, StaffProfile) else who)

    def set_available(self, *profiles: StaffProfile) -> None:
        """Only these people are available; everyone else is offline."""
        StaffProfile.objects.update(availability=Availability.OFFLINE)
        StaffProfile.objects.filter(pk__in=[p.pk for p in profiles]).update(
            availability=Availability.AVAILABLE
        )
        for profile in profiles:
            profile.refresh_from_db()

    # --- chats ----------------------------------------------------------------------------

    def waiting_chat(self, language: str = "en", about: str = "self") -> ChatSession:
        chat, _token = chat_actions.do_start_chat(language, about)
        return chat

    def offered_chat(self, profile: StaffProfile, language: str = "en") -> ChatSession:
        chat = self.waiting_chat(language)
        others = list(StaffProfile.objects.filter(availability=Availability.AVAILABLE).exclude(pk=profile.pk))
        self.set_available(profile)
        assert chat.id in chat_actions.do_route_waiting_seekers()
        self.set_available(profile, *others)
        chat.refresh_from_db()
        assert chat.status == ChatSession.Status.OFFERED and chat.offered_to_id == profile.id
        return chat

    def active_chat(self, profile: StaffProfile, language: str = "en") -> ChatSession:
        chat = self.offered_chat(profile, language)
        chat_actions.do_accept_offer(chat, profile)
        chat.refresh_from_db()
        return chat

    def ended_chat(self, profile: StaffProfile) -> ChatSession:
        chat = self.active_chat(profile)
        chat_actions.do_end_chat(chat, by_staff=profile)
        chat.refresh_from_db()
        return chat

    def post_json(self, url: str, data: dict[str, Any] | None = None) -> Any:
        return self.client.post(url, data or {}, headers={"accept": "application/json"})
