"""A supervisor joining a live chat as a second member of the team: the seeker is told plainly, in the
chat's language; the supervisor's messages reach them; the chat stays its staff member's."""

import pytest
from channels.db import database_sync_to_async
from django.test import Client
from django.urls import reverse

from helpline.chat import actions as chat_actions
from helpline.chat import queue, texts
from helpline.errors import Refusal
from helpline.models import ChatSession, Message
from tests.helpline.chat.test_consumers import logged_in_session, receive_until, seeker_socket, staff_socket
from tests.helpline.staff_personas import StaffTestCase, bodies

JOIN = "/staff/supervisor/join/"
JOINED = "Another member of the team has joined the chat to help."


class JoinTestCase(StaffTestCase):
    def live_chat_with_seeker(self, language: str = "en") -> tuple[ChatSession, Client]:
        seeker = Client()
        seeker.post("/chat/start/", {"language": language, "about": "self"})
        chat = ChatSession.objects.get()
        self.staffer.languages = [language]
        self.staffer.save(update_fields=["languages"])
        self.set_available(self.staffer)
        chat_actions.do_route_waiting_seekers()
        chat.refresh_from_db()
        chat_actions.do_accept_offer(chat, self.staffer)
        chat.refresh_from_db()
        return chat, seeker

    def join(self, chat: ChatSession):
        return self.client.post(JOIN, {"chat": str(chat.public_id)})

    def test_only_supervisors_may_join(self):
        chat, _seeker = self.live_chat_with_seeker()
        for person in (self.staffer, self.colleague, self.editor):
            self.login(person)
            with self.subTest(person=str(person)):
                assert self.join(chat).status_code == 403
        self.client.logout()
        assert self.join(chat).status_code == 302  # to the sign-in page
        chat.refresh_from_db()
        assert chat.joined_by is None
        assert JOINED not in bodies(chat)

    def test_the_seeker_is_told_plainly_and_the_supervisor_can_write_to_them(self):
        chat, seeker = self.live_chat_with_seeker()
        self.login(self.supervisor)
        response = self.join(chat)
        assert response["Location"] == reverse("staff-transcript", args=[chat.public_id])
        polled = seeker.get("/chat/session/poll/?after=0").json()
        assert polled["messages"][-1]["body"] == JOINED
        assert polled["messages"][-1]["sender"] == "system"
        assert JOINED in seeker.get("/chat/session/live/").content.decode()

        page = self.client.get(reverse("staff-transcript", args=[chat.public_id])).content.decode()
        assert 'action="/staff/chats/' in page and "/write/" in page
        self.client.post(reverse("staff-write", args=[chat.public_id]), {"body": "I am here too."})
        last = seeker.get("/chat/session/poll/?after=0").json()["messages"][-1]
        assert (last["body"], last["sender"], last["author"]) == ("I am here too.", "staff", "Alex")

    def test_the_joined_message_is_in_the_chats_language_whoever_joins(self):
        chat, seeker = self.live_chat_with_seeker(language="nl")
        self.supervisor.interface_language = "de"
        self.supervisor.save(update_fields=["interface_language"])
        self.login(self.supervisor)
        self.join(chat)
        said = seeker.get("/chat/session/poll/?after=0").json()["messages"][-1]["body"]
        assert said == texts.in_language("nl", texts.TEAM_MEMBER_JOINED)

    def test_the_chat_stays_with_its_staff_member(self):
        chat, _seeker = self.live_chat_with_seeker()
        chat_actions.do_join_chat(chat, self.supervisor)
        chat.refresh_from_db()
        assert chat.staff == self.staffer and chat.joined_by == self.supervisor
        loads = queue.staff_loads([self.staffer.id, self.supervisor.id])
        assert loads.get(self.staffer.id) == 1 and not loads.get(self.supervisor.id)
        # The joined supervisor cannot end or pass on someone else's chat.
        with pytest.raises(Refusal):
            chat_actions.do_end_chat(chat, by_staff=self.supervisor)
        with pytest.raises(Refusal):
            chat_actions.do_transfer_chat(chat, self.supervisor, None)

    def test_joining_twice_says_it_once(self):
        chat, _seeker = self.live_chat_with_seeker()
        assert chat_actions.do_join_chat(chat, self.supervisor)
        assert not chat_actions.do_join_chat(chat, self.supervisor)
        assert bodies(chat).count(JOINED) == 1

    def test_nobody_else_may_write_until_they_join_and_after_they_leave(self):
        chat, seeker = self.live_chat_with_seeker()
        with pytest.raises(Refusal):
            chat_actions.do_send_message(chat, Message.Sender.STAFF, "not yet", self.supervisor)
        self.login(self.supervisor)
        refused = self.client.post(reverse("staff-write", args=[chat.public_id]), {"body": "not yet"})
        assert refused.status_code == 400
        assert "not yet" in refused.content.decode()  # kept in the box
        self.join(chat)
        response = self.client.post(reverse("staff-leave", args=[chat.public_id]))
        assert response.status_code == 302
        assert bodies(chat)[-1] == str(texts.TEAM_MEMBER_LEFT)
        with pytest.raises(Refusal):
            chat_actions.do_send_message(chat, Message.Sender.STAFF, "after leaving", self.supervisor)
        assert "after leaving" not in str(seeker.get("/chat/session/poll/?after=0").json())

    def test_a_colleague_who_is_not_on_the_chat_cannot_write_in_it(self):
        chat, _seeker = self.live_chat_with_seeker()
        self.login(self.colleague)
        response = self.client.post(reverse("staff-send", args=[chat.public_id]), {"body": "hello"})
        assert response.status_code == 404
        assert "hello" not in bodies(chat)

    def test_a_requeued_chat_forgets_who_had_joined(self):
        chat, _seeker = self.live_chat_with_seeker()
        chat_actions.do_join_chat(chat, self.supervisor)
        chat_actions.do_transfer_chat(chat, self.staffer, None)
        chat.refresh_from_db()
        assert chat.joined_by is None


@pytest.mark.django_db(transaction=True)
async def test_the_joined_supervisors_message_reaches_the_seekers_socket(make_staff):
    sam = await database_sync_to_async(make_staff)("sam", display_name="Sam")
    alex = await database_sync_to_async(make_staff)(
        "alex", display_name="Alex", supervisor=True, available=False
    )
    staff = await staff_socket(await database_sync_to_async(logged_in_session)(sam.user))
    await receive_until(staff, "ready")
    chat, token = await database_sync_to_async(chat_actions.do_start_chat)("en", "self")
    await receive_until(staff, "offer_made")
    await staff.send_json_to({"type": "accept", "chat": chat.public_id.hex})
    seeker = await seeker_socket(token)
    await receive_until(seeker, "state", status="active")

    await database_sync_to_async(chat_actions.do_join_chat)(chat, alex)
    joined = await receive_until(seeker, "message")
    while joined["message"]["body"] != JOINED:
        joined = await receive_until(seeker, "message")

    supervisor = await staff_socket(await database_sync_to_async(logged_in_session)(alex.user))
    await receive_until(supervisor, "ready")
    await supervisor.send_json_to(
        {"type": "message", "chat": chat.public_id.hex, "body": "Hello from Alex", "ref": "x"}
    )
    await receive_until(supervisor, "sent", ref="x")
    # The seeker's socket may still be catching up on what came before (the confidentiality statement).
    said = await receive_until(seeker, "message")
    while said["message"]["body"] != "Hello from Alex":
        said = await receive_until(seeker, "message")
    assert said["message"]["author"] == "Alex"
    heard = await receive_until(staff, "chat_message", chat=chat.public_id.hex)
    while heard["message"]["body"] != "Hello from Alex":
        heard = await receive_until(staff, "chat_message", chat=chat.public_id.hex)
    for socket in (seeker, staff, supervisor):
        await socket.disconnect()
