"""Private notes: a supervisor's whisper into a live chat and a handover note on transfer. Staff see
them; the person seeking help never does, over the socket, polling, the no-JavaScript frame or a
catch-up."""

from datetime import timedelta

import pytest
from channels.db import database_sync_to_async
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from helpline import retention
from helpline.chat import actions as chat_actions
from helpline.models import Availability, ChatSession, Message, StaffNote, StaffProfile
from tests.helpline.chat.test_consumers import (
    TIMEOUT,
    logged_in_session,
    receive_until,
    seeker_socket,
    staff_socket,
)
from tests.helpline.staff_personas import StaffTestCase

WHISPER = "/staff/supervisor/whisper/"
SECRET = "Private: ask gently about their support network"


def seeker_pages(seeker: Client) -> str:
    """Everything a seeker's browser can fetch about their chat, with and without JavaScript."""
    return "".join(
        seeker.get(url).content.decode(errors="replace")
        for url in (
            "/chat/session/",
            "/chat/session/live/",
            "/chat/session/poll/?after=0",
            "/chat/session/notice/",
            "/chat/session/transcript.txt",
        )
    )


class WhisperTestCase(StaffTestCase):
    def live_chat_with_seeker(self) -> tuple[ChatSession, Client]:
        seeker = Client()
        seeker.post("/chat/start/", {"language": "en", "about": "self"})
        chat = ChatSession.objects.get()
        self.set_available(self.staffer)
        chat_actions.do_route_waiting_seekers()
        chat.refresh_from_db()
        chat_actions.do_accept_offer(chat, self.staffer)
        chat.refresh_from_db()
        return chat, seeker

    def whisper(self, chat: ChatSession, body: str = SECRET, **extra: str):
        return self.client.post(WHISPER, {"chat": str(chat.public_id), "body": body, **extra})

    def test_it_redirects_anonymous_to_login_and_rejects_get(self):
        assert self.client.post(WHISPER).status_code == 302
        self.login(self.supervisor)
        assert self.client.get(WHISPER).status_code == 405

    def test_only_supervisors_may_whisper(self):
        chat, _seeker = self.live_chat_with_seeker()
        for person in (self.staffer, self.colleague, self.editor):
            self.login(person)
            with self.subTest(person=str(person)):
                assert self.whisper(chat).status_code == 403
        assert not StaffNote.objects.exists()

    def test_a_whisper_reaches_the_staff_console_and_never_the_seeker(self):
        chat, seeker = self.live_chat_with_seeker()
        last_seq = chat.last_seq
        self.login(self.supervisor)
        response = self.whisper(chat, next="/staff/supervisor/")
        assert response.status_code == 302 and response["Location"] == "/staff/supervisor/"
        note = StaffNote.objects.get()
        assert (note.kind, note.author, note.body) == ("whisper", self.supervisor, SECRET)
        chat.refresh_from_db()
        assert chat.last_seq == last_seq, "a note takes no number in the seeker's sequence"
        assert SECRET not in "".join(m.body for m in Message.objects.all())

        self.login(self.staffer)
        console = self.client.get(reverse("staff-console")).content.decode()
        assert SECRET in console
        assert "Private note from Alex — the person cannot see this" in console
        polled = self.client.get(reverse("staff-messages", args=[chat.public_id])).json()
        assert [n["body"] for n in polled["notes"]] == [SECRET]
        assert SECRET not in str(polled["messages"])

        assert SECRET not in seeker_pages(seeker)
        assert "Private note" not in seeker_pages(seeker)

    def test_the_supervisor_sees_it_on_the_live_transcript_page(self):
        chat, _seeker = self.live_chat_with_seeker()
        self.login(self.supervisor)
        self.whisper(chat)
        page = self.client.get(reverse("staff-transcript", args=[chat.public_id])).content.decode()
        assert SECRET in page
        assert 'data-note="' in page
        assert 'action="/staff/supervisor/whisper/"' in page

    def test_the_board_offers_the_whisper_form_for_live_chats(self):
        chat, _seeker = self.live_chat_with_seeker()
        self.login(self.supervisor)
        board = self.client.get(reverse("staff-supervisor")).content.decode()
        assert f'<option value="{chat.public_id.hex}">' in board
        assert "Private note to the staff member (the person cannot see it)" in board

    def test_an_empty_note_or_an_ended_chat_is_refused_in_words(self):
        chat, _seeker = self.live_chat_with_seeker()
        self.login(self.supervisor)
        refused = self.client.post(
            WHISPER, {"chat": str(chat.public_id), "body": "  "}, headers={"accept": "application/json"}
        )
        assert refused.json()["error"]["message"] == "Please type a note before sending."
        chat_actions.do_end_chat(chat, by_staff=self.staffer)
        gone = self.client.post(WHISPER, {"chat": str(chat.public_id), "body": SECRET})
        assert gone.status_code == 400
        page = gone.content.decode()
        assert "That chat or message is not open to you" in page
        assert f">{SECRET}</textarea>" in page, "the note is still in its box, to copy"
        assert not StaffNote.objects.exists()

    def test_a_whisper_to_a_chat_that_ended_while_escalated_keeps_the_words_too(self):
        chat, _seeker = self.live_chat_with_seeker()
        chat_actions.do_escalate(chat, self.staffer, "risk_to_self")
        chat_actions.do_end_chat(chat, by_staff=self.staffer)
        self.login(self.supervisor)
        refused = self.client.post(WHISPER, {"chat": str(chat.public_id), "body": SECRET})
        assert refused.status_code == 400
        assert "This chat is no longer live, so the note was not sent." in refused.content.decode()
        assert f">{SECRET}</textarea>" in refused.content.decode()

    def test_a_handover_note_goes_to_the_colleague_and_never_to_the_seeker(self):
        chat, seeker = self.live_chat_with_seeker()
        self.set_available(self.staffer, self.colleague)
        self.login(self.staffer)
        handover = "They have just told me about the arrest; go slowly."
        response = self.client.post(
            reverse("staff-transfer", args=[chat.public_id]), {"to": self.colleague.pk, "note": handover}
        )
        assert response.status_code == 302
        note = StaffNote.objects.get()
        assert (note.kind, note.author) == ("handover", self.staffer)

        self.login(self.colleague)
        offer = self.client.get(reverse("staff-console")).content.decode()
        assert handover in offer
        assert "Handover note from Sam — the person cannot see this" in offer
        self.client.post(reverse("staff-accept", args=[chat.public_id]))
        console = self.client.get(reverse("staff-console")).content.decode()
        assert handover in console
        assert handover not in seeker_pages(seeker)

    def test_a_transfer_without_a_note_stores_none(self):
        chat, _seeker = self.live_chat_with_seeker()
        self.login(self.staffer)
        self.client.post(reverse("staff-transfer", args=[chat.public_id]), {"to": "queue", "note": ""})
        assert not StaffNote.objects.exists()
        chat.refresh_from_db()
        assert chat.status == ChatSession.Status.WAITING

    def test_a_note_is_encrypted_at_rest_like_a_message(self):
        chat, _seeker = self.live_chat_with_seeker()
        note = chat_actions.do_whisper(chat, self.supervisor, SECRET)
        with connection.cursor() as cursor:
            cursor.execute("SELECT body FROM helpline_staffnote WHERE id = %s", [note.id])
            (stored,) = cursor.fetchone()
        assert SECRET not in stored
        assert StaffNote.objects.get(pk=note.pk).body == SECRET

    def test_the_consoles_state_says_which_note_is_newest_so_a_console_can_catch_up(self):
        chat, _seeker = self.live_chat_with_seeker()
        self.login(self.staffer)
        assert 'data-last-note="0"' in self.client.get(reverse("staff-state")).content.decode()
        note = chat_actions.do_whisper(chat, self.supervisor, SECRET)
        state = self.client.get(reverse("staff-state")).content.decode()
        assert f'data-last-note="{note.id}"' in state
        assert SECRET not in state  # the script fetches the note itself (staff-messages)

    def test_notes_are_deleted_with_the_chat_by_retention(self):
        chat, _seeker = self.live_chat_with_seeker()
        chat_actions.do_whisper(chat, self.supervisor, SECRET)
        chat_actions.do_end_chat(chat, by_staff=self.staffer)
        ChatSession.objects.filter(pk=chat.pk).update(ended_at=timezone.now() - timedelta(days=30))
        retention.purge_expired()
        assert not ChatSession.objects.exists()
        assert not StaffNote.objects.exists()


@pytest.mark.django_db(transaction=True)
async def test_a_whisper_is_heard_on_the_staff_socket_and_never_on_the_seekers(make_staff):
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
    # Let the seeker's socket settle: everything it has been sent so far is read.
    while not await seeker.receive_nothing(timeout=0.5):
        await seeker.receive_json_from(timeout=TIMEOUT)

    supervisor = Client()
    await database_sync_to_async(supervisor.force_login)(alex.user)
    response = await database_sync_to_async(supervisor.post)(
        WHISPER, {"chat": chat.public_id.hex, "body": SECRET}
    )
    assert response.status_code == 302

    heard = await receive_until(staff, "chat_note", chat=chat.public_id.hex)
    assert heard["note"]["body"] == SECRET
    assert heard["note"]["author"] == "Alex"
    assert await seeker.receive_nothing(timeout=1.0), "the seeker's socket must hear nothing of a note"

    await seeker.send_json_to({"type": "hello", "after": 0})
    history = await receive_until(seeker, "history")
    assert SECRET not in str(history)
    await staff.send_json_to({"type": "history", "chat": chat.public_id.hex, "after": 0})
    staff_history = await receive_until(staff, "history")
    assert [n["body"] for n in staff_history["notes"]] == [SECRET]
    await seeker.disconnect()
    await staff.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_a_handover_note_sent_over_the_socket_reaches_the_colleague_only(make_staff):
    sam = await database_sync_to_async(make_staff)("sam", display_name="Sam")
    kim = await database_sync_to_async(make_staff)("kim", display_name="Kim", available=False)
    staff = await staff_socket(await database_sync_to_async(logged_in_session)(sam.user))
    await receive_until(staff, "ready")
    chat, token = await database_sync_to_async(chat_actions.do_start_chat)("en", "self")
    await receive_until(staff, "offer_made")
    await staff.send_json_to({"type": "accept", "chat": chat.public_id.hex})
    seeker = await seeker_socket(token)
    await receive_until(seeker, "state", status="active")
    colleague = await staff_socket(await database_sync_to_async(logged_in_session)(kim.user))
    await receive_until(colleague, "ready")
    await database_sync_to_async(StaffProfile.objects.filter(pk=kim.pk).update)(
        availability=Availability.AVAILABLE
    )
    handover = "Handing over: they want to talk about blocking software."
    await staff.send_json_to({"type": "transfer", "chat": chat.public_id.hex, "to": kim.pk, "note": handover})
    heard: dict[str, dict] = {}
    while len(heard) < 2:  # the offer and the note, in either order
        frame = await colleague.receive_json_from(timeout=TIMEOUT)
        if frame["type"] in ("offer_made", "chat_note") and frame.get("chat") == chat.public_id.hex:
            heard[frame["type"]] = frame
    assert heard["offer_made"]["transfer"] is True
    note = heard["chat_note"]["note"]
    assert (note["kind"], note["body"], note["author"]) == ("handover", handover, "Sam")
    # The seeker hears they are being passed on, and nothing of the note.
    while not await seeker.receive_nothing(timeout=1.0):
        assert handover not in str(await seeker.receive_json_from(timeout=TIMEOUT))
    for socket in (seeker, staff, colleague):
        await socket.disconnect()
