from django.urls import reverse

from helpline.chat import actions as chat_actions
from helpline.chat import presence
from helpline.models import Availability, CannedResponse, ChatSession, Message
from tests.helpline.staff_personas import StaffTestCase, bodies

CONSOLE = "/staff/"


class ConsoleTestCase(StaffTestCase):
    def test_it_redirects_anonymous_to_login(self):
        response = self.client.get(CONSOLE)
        self.assertRedirects(response, "/staff/login/?next=/staff/", fetch_redirect_response=False)

    def test_it_refuses_an_editor(self):
        self.login(self.editor)
        response = self.client.get(CONSOLE)
        assert response.status_code == 403
        self.assertContains(response, "not available to you", status_code=403)

    def test_it_refuses_staff_without_a_profile(self):
        self.staffer.delete()
        self.login(self.staffer.user)
        assert self.client.get(CONSOLE).status_code == 403

    def test_it_rejects_post(self):
        self.login(self.staffer)
        assert self.client.post(CONSOLE).status_code == 405

    def test_it_is_never_cached(self):
        self.login(self.staffer)
        response = self.client.get(CONSOLE)
        assert "no-store" in response.headers["Cache-Control"]

    def test_it_shows_availability_and_an_empty_console(self):
        self.login(self.staffer)
        response = self.client.get(CONSOLE)
        self.assertContains(response, "Staff console")
        self.assertContains(
            response,
            'value="offline" class="availability__option availability__option--offline" aria-pressed="true"',
        )
        self.assertContains(response, "No chats offered to you right now.")
        self.assertContains(response, "You have no chats open.")
        self.assertContains(response, "staff-console.js")
        self.assertContains(response, "staff.css")

    def test_it_counts_as_a_check_in(self):
        self.login(self.staffer)
        self.client.get(CONSOLE)
        assert self.staffer.id in presence.staff_last_seen([self.staffer.id])

    def test_it_shows_an_offer_with_accept_and_decline(self):
        chat = self.offered_chat(self.staffer)
        self.login(self.staffer)
        response = self.client.get(CONSOLE)
        self.assertContains(response, f'data-offer="{chat.public_id.hex}"')
        self.assertContains(response, reverse("staff-accept", args=[chat.public_id]))
        self.assertContains(response, reverse("staff-decline", args=[chat.public_id]))
        self.assertContains(response, "Accept by ")
        self.assertContains(response, "About themselves")

    def test_it_shows_several_live_chats_with_their_transcripts(self):
        first = self.active_chat(self.staffer)
        second = self.active_chat(self.staffer)
        chat_actions.do_send_message(first, Message.Sender.SEEKER, "I have been worried about my thoughts")
        chat_actions.do_send_message(second, Message.Sender.SEEKER, "Is this really anonymous?")
        self.login(self.staffer)
        response = self.client.get(CONSOLE)
        self.assertContains(response, f'id="chat-{first.public_id.hex}"')
        self.assertContains(response, f'id="chat-{second.public_id.hex}"')
        self.assertContains(response, "I have been worried about my thoughts")
        self.assertContains(response, "Is this really anonymous?")
        self.assertContains(response, "Sam from the helpline has joined the chat.")
        self.assertContains(response, 'data-last-seq="3"', count=2)

    def test_it_escapes_message_text(self):
        chat = self.active_chat(self.staffer)
        chat_actions.do_send_message(chat, Message.Sender.SEEKER, "<script>alert(1)</script>")
        self.login(self.staffer)
        response = self.client.get(CONSOLE)
        self.assertNotContains(response, "<script>alert(1)</script>")
        self.assertContains(response, "&lt;script&gt;alert(1)&lt;/script&gt;")

    def test_it_hides_other_staffs_chats(self):
        theirs = self.active_chat(self.colleague)
        chat_actions.do_send_message(theirs, Message.Sender.SEEKER, "a private message to Kim")
        self.login(self.staffer)
        response = self.client.get(CONSOLE)
        self.assertNotContains(response, theirs.public_id.hex)
        self.assertNotContains(response, "a private message to Kim")

    def test_it_lists_canned_responses(self):
        self.active_chat(self.staffer)
        CannedResponse.objects.create(
            title="Are you still there?", body="Are you still there? Take your time."
        )
        CannedResponse.objects.create(title="Retired reply", body="Old words", active=False)
        self.login(self.staffer)
        response = self.client.get(CONSOLE)
        self.assertContains(response, "Are you still there?</option>")
        self.assertContains(response, 'data-text="Are you still there? Take your time."')
        self.assertNotContains(response, "Retired reply")

    def test_insert_puts_a_canned_response_in_the_message_box_for_editing(self):
        chat = self.active_chat(self.staffer)
        canned = CannedResponse.objects.create(title="Closing", body="Thank you for talking with us.")
        self.login(self.staffer)
        response = self.client.get(CONSOLE, {"chat": str(chat.public_id), "canned": str(canned.pk)})
        self.assertContains(response, "data-body>Thank you for talking with us.</textarea>")
        assert "Thank you for talking with us." not in bodies(chat)

    def test_insert_ignores_someone_elses_chat_and_bad_ids(self):
        theirs = self.active_chat(self.colleague)
        canned = CannedResponse.objects.create(title="Closing", body="Thank you for talking with us.")
        self.login(self.staffer)
        for params in (
            {"chat": str(theirs.public_id), "canned": str(canned.pk)},
            {"chat": "not-a-uuid", "canned": str(canned.pk)},
            {"chat": str(theirs.public_id), "canned": "x"},
        ):
            response = self.client.get(CONSOLE, params)
            assert response.status_code == 200
            self.assertNotContains(response, "data-body>Thank you")

    def test_it_shows_the_queue(self):
        self.waiting_chat()
        self.waiting_chat()
        self.login(self.staffer)
        response = self.client.get(CONSOLE)
        self.assertContains(response, "data-queue-waiting>2</span> waiting")

    def test_it_shows_a_banner_when_a_wrap_up_is_due(self):
        chat = self.ended_chat(self.staffer)
        self.login(self.staffer)
        response = self.client.get(CONSOLE)
        self.assertContains(response, "Wrap-up due.")
        self.assertContains(response, reverse("staff-wrap-up", args=[chat.public_id]))
        self.assertContains(response, "This chat has ended.")

    def test_it_offers_colleagues_with_a_free_slot_who_speak_the_language(self):
        self.staffer.languages = ["en", "de"]
        self.staffer.save(update_fields=["languages"])
        german = self.active_chat(self.staffer, language="de")
        english = self.active_chat(self.staffer, language="en")
        self.colleague.languages = ["en"]
        self.colleague.save(update_fields=["languages"])
        self.set_available(self.staffer, self.colleague)
        self.login(self.staffer)
        response = self.client.get(CONSOLE)
        html = response.content.decode()
        english_panel = html.split(f'id="chat-{english.public_id.hex}"')[1].split("</section>")[0]
        german_panel = html.split(f'id="chat-{german.public_id.hex}"')[1].split("</section>")[0]
        assert "Kim (kim)" in english_panel
        assert "Kim (kim)" not in german_panel
        assert "Back to the queue" in german_panel

    def test_it_leaves_out_colleagues_who_are_full_or_owe_a_wrap_up(self):
        chat = self.active_chat(self.staffer)
        self.ended_chat(self.colleague)
        self.set_available(self.staffer, self.colleague, self.supervisor)
        self.supervisor.max_chats = 0
        self.supervisor.save(update_fields=["max_chats"])
        self.login(self.staffer)
        response = self.client.get(CONSOLE)
        self.assertContains(response, f'id="chat-{chat.public_id.hex}"')
        self.assertNotContains(response, "Kim (kim)")
        self.assertNotContains(response, "Alex (alex)")

    def test_it_links_supervisors_to_the_board(self):
        self.login(self.supervisor)
        self.assertContains(self.client.get(CONSOLE), reverse("staff-supervisor"))
        self.login(self.staffer)
        self.assertNotContains(self.client.get(CONSOLE), reverse("staff-supervisor"))


class StateTestCase(StaffTestCase):
    url = "/staff/state/"

    def test_it_tells_anonymous_json_callers_to_sign_in(self):
        response = self.client.get(self.url, headers={"accept": "application/json"})
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "signed_out"

    def test_it_redirects_anonymous_browsers(self):
        assert self.client.get(self.url).status_code == 302

    def test_it_refuses_an_editor(self):
        self.login(self.editor)
        assert self.client.get(self.url, headers={"accept": "application/json"}).status_code == 403

    def test_it_rejects_post(self):
        self.login(self.staffer)
        assert self.client.post(self.url).status_code == 405

    def test_it_draws_offers_chats_and_wrap_ups_as_the_console_page_does(self):
        offered = self.offered_chat(self.staffer)
        active = self.active_chat(self.staffer)
        ended = self.ended_chat(self.staffer)
        self.waiting_chat()
        self.login(self.staffer)
        response = self.client.get(self.url)
        assert response["Content-Type"].startswith("text/html")
        fragment = response.content.decode()
        assert "<html" not in fragment and "data-staff-shell" not in fragment  # the regions only
        assert f'data-availability="{Availability.AVAILABLE}"' in fragment
        assert fragment.count("data-offer=") == 1
        offer = fragment.split(f'data-offer="{offered.public_id.hex}"')[1].split("</li>")[0]
        assert "English" in offer and "About themselves" in offer and "Accept by " in offer
        assert reverse("staff-accept", args=[offered.public_id]) in offer
        live_panel = fragment.split(f'id="chat-{active.public_id.hex}"')[1].split("</section>")[0]
        assert 'data-status="active"' in live_panel
        assert 'data-last-seq="2"' in live_panel  # the script fetches what it has not shown
        assert f'data-chat-ref="{active.public_id.hex[:6]}"' in live_panel
        assert 'data-state="here">Seeker here</span>' in live_panel
        ended_panel = fragment.split(f'id="chat-{ended.public_id.hex}"')[1].split("</section>")[0]
        assert 'data-status="ended"' in ended_panel
        assert "This chat has ended." in ended_panel
        banner = fragment.split("data-wrap-up-banner")[1].split("</div>")[0]
        assert " hidden" not in banner.split(">")[0]
        assert f"Wrap up chat {ended.public_id.hex[:6]}" in banner
        assert reverse("staff-wrap-up", args=[ended.public_id]) in banner
        assert "No chats offered to you right now." in fragment  # shown or hidden as the page does
        # The queue is in the header of every staff page, which the shell's pulse keeps current.
        assert self.client.get(reverse("staff-pulse")).json()["queue"]["waiting"] == 1
        assert self.staffer.id in presence.staff_last_seen([self.staffer.id])

    def test_it_is_the_same_drawing_as_the_page_without_the_messages(self):
        chat = self.active_chat(self.staffer)
        self.login(self.staffer)
        page = self.client.get(CONSOLE).content.decode()
        fragment = self.client.get(self.url).content.decode()
        for text in ("data-console-state", f'id="chat-{chat.public_id.hex}"', "data-swap=", "data-no-offers"):
            assert text in page and text in fragment, text
        assert "data-seq=" in page and "data-seq=" not in fragment

    def test_a_client_without_a_page_is_told_what_to_accept_and_how_far_each_chat_has_got(self):
        # bench/faults.py's consoles ask for JSON alone: they have no page to swap regions into.
        offered = self.offered_chat(self.staffer)
        active = self.active_chat(self.staffer)
        ended = self.ended_chat(self.staffer)
        self.login(self.staffer)
        response = self.client.get(self.url, headers={"accept": "application/json"})
        assert "Accept" in response["Vary"]
        state = response.json()
        assert state["offers"] == [{"chat": offered.public_id.hex}]
        assert state["chats"] == [
            {"chat": active.public_id.hex, "status": ChatSession.Status.ACTIVE, "last_seq": 2},
            {"chat": ended.public_id.hex, "status": ChatSession.Status.ENDED, "last_seq": ended.last_seq},
        ]

    def test_it_holds_no_message_text(self):
        chat = self.active_chat(self.staffer)
        chat_actions.do_send_message(chat, Message.Sender.SEEKER, "words only the transcript should hold")
        self.login(self.staffer)
        for accept in ("text/html, application/json;q=0.1", "application/json"):
            response = self.client.get(self.url, headers={"accept": accept})
            assert response.status_code == 200
            assert b"words only the transcript" not in response.content


class MessagesTestCase(StaffTestCase):
    """The polling fallback: GET /staff/chats/<id>/messages/?after=N."""

    def url(self, chat: ChatSession) -> str:
        return reverse("staff-messages", args=[chat.public_id])

    def test_it_returns_messages_after_a_sequence_number(self):
        chat = self.active_chat(self.staffer)
        chat_actions.do_send_message(chat, Message.Sender.SEEKER, "hello")
        chat_actions.do_send_message(chat, Message.Sender.STAFF, "Hello, I'm Sam.", self.staffer)
        self.login(self.staffer)
        data = self.client.get(self.url(chat), {"after": "2"}).json()
        assert [m["seq"] for m in data["messages"]] == [3, 4]
        assert data["messages"][0]["body"] == "hello"
        assert data["messages"][1]["author"] == "Sam"
        assert data["last_seq"] == 4
        assert data["status"] == ChatSession.Status.ACTIVE

    def test_it_treats_a_bad_after_as_zero(self):
        chat = self.active_chat(self.staffer)
        self.login(self.staffer)
        for after in ("-1", "x", ""):
            data = self.client.get(self.url(chat), {"after": after}).json()
            assert [m["seq"] for m in data["messages"]] == [1, 2]

    def test_it_checks_the_staff_member_in(self):
        chat = self.active_chat(self.staffer)
        self.login(self.staffer)
        self.client.get(self.url(chat))
        assert self.staffer.id in presence.staff_last_seen([self.staffer.id])

    def test_it_is_404_for_another_staffers_chat(self):
        chat = self.active_chat(self.colleague)
        self.login(self.staffer)
        response = self.client.get(self.url(chat), headers={"accept": "application/json"})
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "no_chat"

    def test_it_is_404_for_a_chat_that_does_not_exist(self):
        self.login(self.staffer)
        response = self.client.get("/staff/chats/00000000-0000-0000-0000-000000000001/messages/")
        assert response.status_code == 404
        self.assertContains(response, "That chat is not open to you", status_code=404)

    def test_supervisors_can_read_a_live_chat(self):
        chat = self.active_chat(self.colleague)
        self.login(self.supervisor)
        assert self.client.get(self.url(chat)).status_code == 200

    def test_it_redirects_anonymous(self):
        chat = self.active_chat(self.staffer)
        assert self.client.get(self.url(chat)).status_code == 302

    def test_it_refuses_an_editor(self):
        chat = self.active_chat(self.staffer)
        self.login(self.editor)
        assert self.client.get(self.url(chat)).status_code == 403

    def test_it_rejects_post(self):
        chat = self.active_chat(self.staffer)
        self.login(self.staffer)
        assert self.client.post(self.url(chat)).status_code == 405
