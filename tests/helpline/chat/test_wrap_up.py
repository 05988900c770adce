from django.urls import reverse

from helpline.chat import actions as chat_actions
from helpline.models import ChatSession, WrapUp
from tests.helpline.staff_personas import StaffTestCase

GOOD = {
    "outcome": "substantive",
    "about": "self",
    "topics": ["thoughts", "online_images"],
    "protective_actions": ["blocking", "self_help"],
    "heard_from": "search_warning",
}


class WrapUpTestCase(StaffTestCase):
    def setUp(self):
        super().setUp()
        self.chat = self.ended_chat(self.staffer)
        self.url = reverse("staff-wrap-up", args=[self.chat.public_id])

    def test_it_redirects_anonymous_to_login(self):
        response = self.client.get(self.url)
        self.assertRedirects(response, f"/staff/login/?next={self.url}", fetch_redirect_response=False)

    def test_it_refuses_an_editor(self):
        self.login(self.editor)
        assert self.client.get(self.url).status_code == 403
        assert self.client.post(self.url, GOOD).status_code == 403
        assert not WrapUp.objects.exists()

    def test_it_rejects_other_methods(self):
        self.login(self.staffer)
        assert self.client.put(self.url).status_code == 405

    def test_it_is_404_for_another_staffers_chat(self):
        self.login(self.colleague)
        assert self.client.get(self.url).status_code == 404
        assert self.client.post(self.url, GOOD).status_code == 404
        self.login(self.supervisor)
        assert self.client.post(self.url, GOOD).status_code == 404
        assert not WrapUp.objects.exists()

    def test_it_shows_the_categories_and_the_transcript(self):
        self.login(self.staffer)
        response = self.client.get(self.url)
        self.assertContains(response, f"Wrap-up of chat {self.chat.public_id.hex[:6]}")
        for label in (
            "Themselves",
            "Online images",
            "Install blocking software",
            "Search engine warning",
            "Silent",
        ):
            self.assertContains(response, label)
        self.assertContains(response, "The helpline has ended this chat.")
        self.assertNotContains(response, "<textarea")  # categories only: nowhere to write identities

    def test_it_saves_the_wrap_up_and_frees_the_staff_member(self):
        self.login(self.staffer)
        response = self.client.post(self.url, GOOD)
        self.assertRedirects(response, "/staff/", fetch_redirect_response=False)
        wrap_up = WrapUp.objects.get(session=self.chat)
        assert wrap_up.staff_id == self.staffer.id
        assert wrap_up.topics == ["thoughts", "online_images"]
        assert wrap_up.protective_actions == ["blocking", "self_help"]
        console = self.client.get("/staff/")
        self.assertContains(console, "Wrap-up saved. Thank you. You can take new chats again.")
        self.assertNotContains(console, "Wrap up chat")

    def test_errors_are_clear_and_keep_what_was_chosen(self):
        self.login(self.staffer)
        response = self.client.post(
            self.url, {"outcome": "substantive", "about": "another_adult", "topics": ["family"]}
        )
        assert response.status_code == 400
        self.assertContains(response, "Please check the answers marked below.", status_code=400)
        self.assertContains(response, "Tick the actions agreed, or “None agreed”.", status_code=400)
        self.assertContains(response, "Choose how they heard of us", status_code=400)
        self.assertContains(
            response, 'value="another_adult" id="id_about_1" required checked', status_code=400
        )
        self.assertContains(response, 'value="family" id="id_topics_3" checked', status_code=400)
        self.assertContains(
            response, 'value="substantive" id="id_outcome_0" required checked', status_code=400
        )
        assert not WrapUp.objects.exists()

    def test_silent_test_and_abusive_contacts_need_no_topics(self):
        for outcome in ("silent", "test", "abusive"):
            with self.subTest(outcome):
                # Each wrap-up frees the staff member for the next chat.
                chat = self.chat if outcome == "silent" else self.ended_chat(self.staffer)
                self.login(self.staffer)
                url = reverse("staff-wrap-up", args=[chat.public_id])
                response = self.client.post(
                    url, {"outcome": outcome, "about": "other", "heard_from": "other"}
                )
                assert response.status_code == 302
                assert WrapUp.objects.get(session=chat).outcome == outcome

    def test_a_conversation_needs_a_topic(self):
        self.login(self.staffer)
        response = self.client.post(self.url, {**GOOD, "topics": []})
        self.assertContains(response, "Tick at least one topic", status_code=400)

    def test_none_agreed_cannot_be_combined(self):
        self.login(self.staffer)
        response = self.client.post(self.url, {**GOOD, "protective_actions": ["none", "gp"]})
        self.assertContains(response, "cannot be ticked together with other actions", status_code=400)

    def test_unknown_choices_are_refused(self):
        self.login(self.staffer)
        response = self.client.post(self.url, {**GOOD, "about": "Mr Smith from Leeds"})
        self.assertContains(response, "Select a valid choice.", status_code=400)
        assert not WrapUp.objects.exists()

    def test_a_second_wrap_up_is_not_taken(self):
        self.login(self.staffer)
        self.client.post(self.url, GOOD)
        response = self.client.post(self.url, {**GOOD, "outcome": "test"}, follow=True)
        self.assertContains(response, "That chat has already been wrapped up.")
        assert WrapUp.objects.get().outcome == "substantive"

    def test_a_live_chat_cannot_be_wrapped_up_yet(self):
        chat_actions.do_record_wrap_up(
            self.chat, self.staffer, chat_actions.WrapUpAnswers("self", [], [], "other", "silent")
        )
        live = self.active_chat(self.staffer)
        self.login(self.staffer)
        response = self.client.get(reverse("staff-wrap-up", args=[live.public_id]), follow=True)
        self.assertContains(response, "A chat can be wrapped up once it has ended.")
        assert not WrapUp.objects.filter(session=live).exists()


class WrapUpBeforeNextOfferTestCase(StaffTestCase):
    def test_no_offer_while_a_wrap_up_is_due_and_an_offer_after(self):
        ended = self.ended_chat(self.staffer)
        self.set_available(self.staffer)
        waiting = self.waiting_chat()

        assert chat_actions.do_route_waiting_seekers() == []
        waiting.refresh_from_db()
        assert waiting.status == ChatSession.Status.WAITING
        self.login(self.staffer)
        self.assertContains(self.client.get("/staff/"), "You will not be offered new chats until it is done.")

        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(reverse("staff-wrap-up", args=[ended.public_id]), GOOD)
        assert response.status_code == 302

        # Saving the wrap-up asks for a routing run on commit (run inline in tests); the next one
        # finds nothing more to do.
        waiting.refresh_from_db()
        assert (waiting.status, waiting.offered_to_id) == (ChatSession.Status.OFFERED, self.staffer.id)
        assert chat_actions.do_route_waiting_seekers() == []
        self.assertContains(self.client.get("/staff/"), f'data-offer="{waiting.public_id.hex}"')
