"""The console's POST endpoints: each works as a plain form (redirect back) and as JSON for the script."""

from django.contrib.messages import get_messages
from django.urls import reverse

from helpline.chat import actions as chat_actions
from helpline.chat import texts
from helpline.models import Availability, ChatSession, Escalation, Message, StaffProfile
from tests.helpline.staff_personas import StaffTestCase, bodies

Status = ChatSession.Status
CHAT_ENDPOINTS = [
    "staff-accept",
    "staff-decline",
    "staff-send",
    "staff-end",
    "staff-transfer",
    "staff-escalate",
]


def notices(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


class AccessTestCase(StaffTestCase):
    """Every action endpoint: wrong method, anonymous, an editor, someone else's chat."""

    def test_they_reject_get(self):
        chat = self.active_chat(self.staffer)
        self.login(self.staffer)
        for name in CHAT_ENDPOINTS:
            with self.subTest(name):
                assert self.client.get(reverse(name, args=[chat.public_id])).status_code == 405
        assert self.client.get(reverse("staff-availability")).status_code == 405

    def test_they_send_anonymous_visitors_to_login(self):
        chat = self.active_chat(self.staffer)
        for name in CHAT_ENDPOINTS:
            with self.subTest(name):
                response = self.client.post(reverse(name, args=[chat.public_id]))
                assert response.status_code == 302
                assert response["Location"].startswith("/staff/login/?next=")
        chat.refresh_from_db()
        assert chat.status == Status.ACTIVE

    def test_they_refuse_an_editor(self):
        chat = self.active_chat(self.staffer)
        self.login(self.editor)
        for name in CHAT_ENDPOINTS:
            with self.subTest(name):
                assert self.client.post(reverse(name, args=[chat.public_id])).status_code == 403
        assert self.client.post(reverse("staff-availability"), {"availability": "away"}).status_code == 403
        chat.refresh_from_db()
        assert chat.status == Status.ACTIVE

    def test_they_are_404_for_another_staffers_chat(self):
        chat = self.active_chat(self.colleague)
        self.login(self.staffer)
        data = {"body": "hello", "reason": "other", "to": "queue"}
        for name in CHAT_ENDPOINTS:
            with self.subTest(name):
                response = self.client.post(reverse(name, args=[chat.public_id]), data)
                assert response.status_code == 404
                self.assertContains(response, "That chat is not open to you", status_code=404)
        chat.refresh_from_db()
        assert (chat.status, chat.staff_id, chat.escalated) == (Status.ACTIVE, self.colleague.id, False)
        assert "hello" not in bodies(chat)

    def test_supervisors_cannot_act_on_someone_elses_chat(self):
        chat = self.active_chat(self.colleague)
        self.login(self.supervisor)
        response = self.client.post(reverse("staff-send", args=[chat.public_id]), {"body": "hello"})
        assert response.status_code == 404
        response = self.client.post(reverse("staff-end", args=[chat.public_id]))
        assert response.status_code == 404
        chat.refresh_from_db()
        assert chat.status == Status.ACTIVE

    def test_they_answer_json_with_404_for_a_missing_chat(self):
        self.login(self.staffer)
        response = self.post_json("/staff/chats/00000000-0000-0000-0000-00000000abcd/accept/")
        assert response.status_code == 404
        assert not response.json()["ok"]

    def test_they_need_a_csrf_token(self):
        chat = self.active_chat(self.staffer)
        self.client.handler.enforce_csrf_checks = True
        self.login(self.staffer)
        response = self.client.post(reverse("staff-send", args=[chat.public_id]), {"body": "hello"})
        assert response.status_code == 403
        assert "hello" not in bodies(chat)


class AvailabilityTestCase(StaffTestCase):
    url = "/staff/availability/"

    def test_it_sets_availability_and_returns_to_the_console(self):
        self.login(self.staffer)
        response = self.client.post(self.url, {"availability": "available"})
        self.assertRedirects(response, "/staff/", fetch_redirect_response=False)
        self.staffer.refresh_from_db()
        assert self.staffer.availability == Availability.AVAILABLE
        self.assertContains(
            self.client.get("/staff/"),
            'value="available" class="availability__option availability__option--available" '
            'aria-pressed="true"',
        )

    def test_it_answers_json(self):
        self.login(self.staffer)
        response = self.post_json(self.url, {"availability": "away"})
        assert response.json() == {"ok": True, "notice": "", "availability": "away"}

    def test_it_explains_a_bad_value(self):
        self.login(self.staffer)
        response = self.client.post(self.url, {"availability": "asleep"}, follow=True)
        self.assertContains(response, "Choose available, away or offline.")
        response = self.post_json(self.url, {"availability": "asleep"})
        assert response.status_code == 400
        assert response.json()["error"]["code"] == "bad_availability"

    def test_going_away_returns_waiting_offers_to_the_queue(self):
        chat = self.offered_chat(self.staffer)
        self.login(self.staffer)
        self.client.post(self.url, {"availability": "away"})
        chat.refresh_from_db()
        assert chat.status == Status.WAITING


class AcceptDeclineTestCase(StaffTestCase):
    def test_accept_starts_the_chat_with_the_confidentiality_statement(self):
        chat = self.offered_chat(self.staffer)
        self.login(self.staffer)
        response = self.client.post(reverse("staff-accept", args=[chat.public_id]))
        self.assertRedirects(response, f"/staff/#chat-{chat.public_id.hex}", fetch_redirect_response=False)
        chat.refresh_from_db()
        assert (chat.status, chat.staff_id) == (Status.ACTIVE, self.staffer.id)
        console = self.client.get("/staff/")
        self.assertContains(console, f'id="chat-{chat.public_id.hex}"')
        self.assertContains(console, "This chat is anonymous and confidential.")
        self.assertNotContains(console, f'data-offer="{chat.public_id.hex}"')

    def test_accept_answers_json(self):
        chat = self.offered_chat(self.staffer)
        self.login(self.staffer)
        response = self.post_json(reverse("staff-accept", args=[chat.public_id]))
        assert response.json()["chat"] == chat.public_id.hex

    def test_accepting_twice_explains_itself(self):
        chat = self.offered_chat(self.staffer)
        self.login(self.staffer)
        self.client.post(reverse("staff-accept", args=[chat.public_id]))
        response = self.client.post(reverse("staff-accept", args=[chat.public_id]), follow=True)
        self.assertContains(response, "This chat is no longer offered to you")
        assert chat.messages.count() == 2

    def test_an_offer_that_timed_out_cannot_be_accepted(self):
        chat = self.offered_chat(self.staffer)
        chat_actions.do_return_to_queue(chat, texts.REQUEUED_BY_TRANSFER)
        self.login(self.staffer)
        response = self.post_json(reverse("staff-accept", args=[chat.public_id]))
        assert response.status_code == 404
        chat.refresh_from_db()
        assert chat.status == Status.WAITING

    def test_an_offer_to_a_colleague_cannot_be_accepted(self):
        chat = self.offered_chat(self.colleague)
        self.login(self.staffer)
        assert self.client.post(reverse("staff-accept", args=[chat.public_id])).status_code == 404
        chat.refresh_from_db()
        assert chat.offered_to_id == self.colleague.id

    def test_decline_puts_the_chat_back_in_the_queue(self):
        chat = self.offered_chat(self.staffer)
        self.login(self.staffer)
        response = self.client.post(reverse("staff-decline", args=[chat.public_id]))
        self.assertRedirects(response, "/staff/", fetch_redirect_response=False)
        assert "The chat went back to the front of the queue." in notices(response)
        chat.refresh_from_db()
        assert (chat.status, chat.offered_to_id) == (Status.WAITING, None)

    def test_declining_a_live_chat_is_refused(self):
        chat = self.active_chat(self.staffer)
        self.login(self.staffer)
        response = self.post_json(reverse("staff-decline", args=[chat.public_id]))
        assert response.status_code == 400
        assert response.json()["error"]["code"] == "offer_gone"
        chat.refresh_from_db()
        assert chat.status == Status.ACTIVE


class SendTestCase(StaffTestCase):
    def setUp(self):
        super().setUp()
        self.chat = self.active_chat(self.staffer)
        self.url = reverse("staff-send", args=[self.chat.public_id])
        self.login(self.staffer)

    def test_it_sends_and_shows_the_message(self):
        response = self.client.post(self.url, {"body": "Hello, I'm Sam. Take your time."})
        self.assertRedirects(
            response, f"/staff/#chat-{self.chat.public_id.hex}", fetch_redirect_response=False
        )
        message = self.chat.messages.get(seq=3)
        assert (message.sender, message.staff_id) == (Message.Sender.STAFF, self.staffer.id)
        self.assertContains(self.client.get("/staff/"), "Hello, I&#x27;m Sam. Take your time.")

    def test_it_answers_json_with_the_message(self):
        response = self.post_json(self.url, {"body": "Hello"})
        data = response.json()
        assert data["message"]["seq"] == 3
        assert data["message"]["author"] == "Sam"
        assert data["message"]["body"] == "Hello"

    def test_an_empty_message_is_refused_and_nothing_is_lost(self):
        response = self.client.post(self.url, {"body": "   "})
        assert response.status_code == 400
        self.assertContains(response, "Please type a message before sending.", status_code=400)
        assert self.chat.messages.count() == 2

    def test_an_over_long_message_keeps_its_words_in_the_box(self):
        body = "word " * 500
        response = self.client.post(self.url, {"body": body})
        self.assertContains(response, "the limit is 2000", status_code=400)
        self.assertContains(response, f"data-body>{body}</textarea>", status_code=400)
        assert self.chat.messages.count() == 2

    def test_json_errors_carry_the_words_to_show(self):
        response = self.post_json(self.url, {"body": ""})
        assert response.status_code == 400
        assert response.json()["error"] == {
            "code": "empty_message",
            "message": "Please type a message before sending.",
        }

    def test_it_cannot_send_to_an_ended_chat(self):
        chat_actions.do_end_chat(self.chat)
        response = self.post_json(self.url, {"body": "Are you still there?"})
        assert response.json()["error"]["code"] == "chat_not_active"
        assert "Are you still there?" not in bodies(self.chat)


class EndTestCase(StaffTestCase):
    def test_it_ends_the_chat_and_asks_for_the_wrap_up(self):
        chat = self.active_chat(self.staffer)
        self.login(self.staffer)
        response = self.client.post(reverse("staff-end", args=[chat.public_id]))
        wrap_up = reverse("staff-wrap-up", args=[chat.public_id])
        self.assertRedirects(response, wrap_up, fetch_redirect_response=False)
        chat.refresh_from_db()
        assert (chat.status, chat.end_reason) == (Status.ENDED, ChatSession.EndReason.STAFF_ENDED)
        assert chat.messages.get(seq=chat.last_seq).body == texts.STAFF_ENDED

    def test_it_answers_json_with_where_the_wrap_up_is(self):
        chat = self.active_chat(self.staffer)
        self.login(self.staffer)
        data = self.post_json(reverse("staff-end", args=[chat.public_id])).json()
        assert data["wrap_up_url"] == reverse("staff-wrap-up", args=[chat.public_id])

    def test_ending_twice_does_no_harm(self):
        chat = self.active_chat(self.staffer)
        self.login(self.staffer)
        self.client.post(reverse("staff-end", args=[chat.public_id]))
        response = self.client.post(reverse("staff-end", args=[chat.public_id]))
        self.assertRedirects(
            response, reverse("staff-wrap-up", args=[chat.public_id]), fetch_redirect_response=False
        )
        assert bodies(chat).count(texts.STAFF_ENDED) == 1


class TransferTestCase(StaffTestCase):
    def setUp(self):
        super().setUp()
        self.chat = self.active_chat(self.staffer)
        self.url = reverse("staff-transfer", args=[self.chat.public_id])
        self.set_available(self.staffer, self.colleague)
        self.login(self.staffer)

    def test_it_offers_the_chat_to_a_colleague(self):
        response = self.client.post(self.url, {"to": str(self.colleague.id)})
        self.assertRedirects(response, "/staff/", fetch_redirect_response=False)
        assert "The chat has been offered to Kim." in notices(response)
        self.chat.refresh_from_db()
        assert (self.chat.status, self.chat.offered_to_id) == (Status.OFFERED, self.colleague.id)
        self.assertNotContains(self.client.get("/staff/"), f'id="chat-{self.chat.public_id.hex}"')
        self.login(self.colleague)
        self.assertContains(self.client.get("/staff/"), f'data-offer="{self.chat.public_id.hex}"')

    def test_it_returns_the_chat_to_the_queue(self):
        response = self.post_json(self.url, {"to": "queue"})
        assert response.json()["ok"]
        self.chat.refresh_from_db()
        assert (self.chat.status, self.chat.staff_id) == (Status.WAITING, None)

    def test_it_explains_when_the_colleague_is_busy(self):
        StaffProfile.objects.filter(pk=self.colleague.pk).update(availability=Availability.AWAY)
        response = self.client.post(self.url, {"to": str(self.colleague.id)}, follow=True)
        self.assertContains(response, "Kim has no free slot just now. Choose someone else.")
        self.chat.refresh_from_db()
        assert self.chat.staff_id == self.staffer.id

    def test_it_explains_an_unknown_colleague(self):
        for target in ("999999", "someone"):
            response = self.post_json(self.url, {"to": target})
            assert response.json()["error"]["code"] == "bad_transfer"
        self.chat.refresh_from_db()
        assert self.chat.status == Status.ACTIVE

    def test_it_refuses_a_transfer_to_oneself(self):
        response = self.post_json(self.url, {"to": str(self.staffer.id)})
        assert response.json()["error"]["code"] == "bad_transfer"


class EscalateTestCase(StaffTestCase):
    def test_it_raises_an_escalation(self):
        chat = self.active_chat(self.staffer)
        self.login(self.staffer)
        response = self.client.post(
            reverse("staff-escalate", args=[chat.public_id]), {"reason": "child_at_risk"}
        )
        self.assertRedirects(response, f"/staff/#chat-{chat.public_id.hex}", fetch_redirect_response=False)
        assert "Supervisors have been alerted" in notices(response)[0]
        escalation = Escalation.objects.get(session=chat)
        assert (escalation.reason, escalation.raised_by_id) == ("child_at_risk", self.staffer.id)
        chat.refresh_from_db()
        assert chat.escalated
        self.assertContains(self.client.get("/staff/"), '<span class="flag" data-escalated>')

    def test_it_needs_a_reason(self):
        chat = self.active_chat(self.staffer)
        self.login(self.staffer)
        response = self.post_json(
            reverse("staff-escalate", args=[chat.public_id]), {"reason": "I am worried"}
        )
        assert response.json()["error"] == {"code": "bad_reason", "message": "Choose the kind of concern."}
        assert not Escalation.objects.exists()

    def test_it_answers_json_with_the_escalation(self):
        chat = self.active_chat(self.staffer)
        self.login(self.staffer)
        data = self.post_json(
            reverse("staff-escalate", args=[chat.public_id]), {"reason": "risk_to_self"}
        ).json()
        assert data["escalation"] == Escalation.objects.get().id
