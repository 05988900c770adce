"""The supervisor board, transcripts and escalation decisions."""

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client
from django.urls import reverse

from config.asgi import application
from helpline.chat import actions as chat_actions
from helpline.models import Availability, ChatSession, Escalation, Message, StaffProfile
from tests.helpline.staff_personas import StaffTestCase

BOARD = "/staff/supervisor/"
BOARD_STATE = "/staff/supervisor/state/"


class BoardTestCase(StaffTestCase):
    def test_it_redirects_anonymous_to_login(self):
        for url in (BOARD, BOARD_STATE):
            response = self.client.get(url)
            self.assertRedirects(response, f"/staff/login/?next={url}", fetch_redirect_response=False)

    def test_it_refuses_an_editor_and_staff_who_are_not_supervisors(self):
        for person in (self.editor, self.staffer):
            self.login(person)
            for url in (BOARD, BOARD_STATE):
                with self.subTest(person=str(person), url=url):
                    assert self.client.get(url).status_code == 403

    def test_it_rejects_post(self):
        self.login(self.supervisor)
        assert self.client.post(BOARD).status_code == 405
        assert self.client.post(BOARD_STATE).status_code == 405

    def test_it_shows_the_queue_and_who_is_on_duty(self):
        self.active_chat(self.staffer)
        self.active_chat(self.staffer)
        self.waiting_chat()
        self.set_available(self.staffer, self.colleague)
        StaffProfile.objects.filter(pk=self.colleague.pk).update(availability=Availability.AWAY)
        self.login(self.supervisor)
        response = self.client.get(BOARD)
        self.assertContains(response, "data-queue-waiting>1</span> waiting")
        self.assertContains(response, "<td>Sam</td>")
        self.assertContains(response, "<td>2 of 3</td>")
        self.assertContains(response, '<span class="status status--away">Away</span>')
        self.assertNotContains(response, "<td>Alex</td>")  # offline with no chats: not on duty
        assert "no-store" in response.headers["Cache-Control"]

    def test_it_lists_open_escalations_with_a_link_to_the_transcript(self):
        chat = self.active_chat(self.staffer)
        chat_actions.do_send_message(chat, Message.Sender.SEEKER, "words for the transcript only")
        escalation = chat_actions.do_escalate(chat, self.staffer, Escalation.Reason.CHILD_AT_RISK)
        decided_chat = self.active_chat(self.colleague)
        decided = chat_actions.do_escalate(decided_chat, self.colleague, Escalation.Reason.STAFF_SUPPORT)
        chat_actions.do_decide_escalation(decided, self.supervisor, Escalation.Decision.STAFF_DEBRIEF)
        self.login(self.supervisor)
        response = self.client.get(BOARD)
        self.assertContains(response, f'data-escalation="{escalation.id}"')
        self.assertContains(response, "A child may be at risk now")
        self.assertContains(response, reverse("staff-transcript", args=[chat.public_id]))
        self.assertNotContains(response, f'data-escalation="{decided.id}"')
        self.assertNotContains(response, "words for the transcript only")

    def test_it_lists_live_chats(self):
        chat = self.active_chat(self.colleague)
        self.login(self.supervisor)
        response = self.client.get(BOARD)
        self.assertContains(response, chat.public_id.hex[:6])
        self.assertContains(response, "Read in</a>")

    def test_its_state_is_the_boards_tables_as_the_page_draws_them(self):
        chat = self.active_chat(self.staffer)
        escalation = chat_actions.do_escalate(chat, self.staffer, Escalation.Reason.RISK_TO_SELF)
        self.waiting_chat()
        self.login(self.supervisor)
        response = self.client.get(BOARD_STATE)
        assert response["Content-Type"].startswith("text/html")
        fragment = response.content.decode()
        assert "<html" not in fragment and "data-staff-shell" not in fragment  # the regions only
        assert fragment.count("data-escalation=") == 1
        row = fragment.split(f'data-escalation="{escalation.id}"')[1].split("</tr>")[0]
        assert "<td>Risk to the person&#x27;s own safety</td>" in row
        assert "<td>Sam</td>" in row
        assert f'href="{reverse("staff-transcript", args=[chat.public_id])}"' in row
        assert f"{chat.public_id.hex[:6]} (Live)" in row
        live = fragment.split("data-live>")[1].split("</tbody>")[0]
        assert chat.public_id.hex[:6] in live and "Escalated" in live and "<td>Sam</td>" in live
        on_duty = fragment.split("data-on-duty>")[1].split("</tbody>")[0]
        assert "<td>Sam</td>" in on_duty and "<td>1 of 3</td>" in on_duty
        page = self.client.get(BOARD).content.decode()
        for region in ('data-swap="escalations"', 'data-swap="duty"', 'data-swap="live"'):
            assert region in page and region in fragment


class TranscriptTestCase(StaffTestCase):
    def url(self, chat: ChatSession) -> str:
        return reverse("staff-transcript", args=[chat.public_id])

    def test_it_redirects_anonymous_to_login(self):
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

    def test_staff_read_their_own_chats(self):
        chat = self.active_chat(self.staffer)
        chat_actions.do_send_message(chat, Message.Sender.SEEKER, "hello there")
        self.login(self.staffer)
        response = self.client.get(self.url(chat))
        self.assertContains(response, "hello there")
        self.assertContains(response, "No concerns have been raised about this chat.")

    def test_staff_cannot_read_a_colleagues_chat(self):
        chat = self.active_chat(self.colleague)
        self.login(self.staffer)
        assert self.client.get(self.url(chat)).status_code == 404

    def test_supervisors_read_live_and_escalated_chats_only(self):
        live = self.active_chat(self.colleague)
        escalated = self.active_chat(self.colleague)
        chat_actions.do_escalate(escalated, self.colleague, Escalation.Reason.CRIME_DISCLOSED)
        chat_actions.do_end_chat(escalated, by_staff=self.colleague)
        quiet = self.active_chat(self.staffer)
        chat_actions.do_end_chat(quiet, by_staff=self.staffer)
        waiting = self.waiting_chat()
        self.login(self.supervisor)
        assert self.client.get(self.url(live)).status_code == 200
        assert self.client.get(self.url(escalated)).status_code == 200
        assert self.client.get(self.url(quiet)).status_code == 404
        assert self.client.get(self.url(waiting)).status_code == 404

    def test_supervisors_get_the_decision_form_and_staff_do_not(self):
        chat = self.active_chat(self.staffer)
        escalation = chat_actions.do_escalate(chat, self.staffer, Escalation.Reason.CHILD_AT_RISK)
        self.login(self.supervisor)
        response = self.client.get(self.url(chat))
        self.assertContains(response, reverse("staff-decide", args=[escalation.id]))
        self.assertContains(response, "Passed on under the safeguarding policy")
        self.login(self.staffer)
        response = self.client.get(self.url(chat))
        self.assertNotContains(response, reverse("staff-decide", args=[escalation.id]))
        self.assertContains(response, "Waiting for a supervisor")


class DecideTestCase(StaffTestCase):
    def setUp(self):
        super().setUp()
        self.chat = self.active_chat(self.staffer)
        self.escalation = chat_actions.do_escalate(self.chat, self.staffer, Escalation.Reason.CHILD_AT_RISK)
        self.url = reverse("staff-decide", args=[self.escalation.id])

    def test_it_records_the_decision(self):
        self.login(self.supervisor)
        response = self.client.post(self.url, {"decision": "signposted"})
        self.assertRedirects(
            response, reverse("staff-transcript", args=[self.chat.public_id]), fetch_redirect_response=False
        )
        self.escalation.refresh_from_db()
        assert (self.escalation.decision, self.escalation.decided_by_id) == ("signposted", self.supervisor.id)
        page = self.client.get(reverse("staff-transcript", args=[self.chat.public_id]))
        self.assertContains(page, "The decision has been recorded.")
        self.assertContains(page, "Signposted to urgent help")
        self.assertNotContains(self.client.get(BOARD), f'data-escalation="{self.escalation.id}"')

    def test_it_takes_categories_only(self):
        self.login(self.supervisor)
        response = self.client.post(self.url, {"decision": "Called the police about J. Smith"}, follow=True)
        self.assertContains(response, "Choose the decision taken.")
        self.escalation.refresh_from_db()
        assert self.escalation.decision == ""

    def test_a_decision_is_recorded_once(self):
        self.login(self.supervisor)
        self.client.post(self.url, {"decision": "no_action"})
        response = self.client.post(self.url, {"decision": "passed_on"}, follow=True)
        self.assertContains(response, "A decision has already been recorded for this escalation.")
        self.escalation.refresh_from_db()
        assert self.escalation.decision == "no_action"

    def test_it_refuses_staff_editors_and_anonymous(self):
        assert self.client.post(self.url, {"decision": "no_action"}).status_code == 302
        for person in (self.staffer, self.editor):
            self.login(person)
            assert self.client.post(self.url, {"decision": "no_action"}).status_code == 403
        self.escalation.refresh_from_db()
        assert self.escalation.decision == ""

    def test_it_rejects_get(self):
        self.login(self.supervisor)
        assert self.client.get(self.url).status_code == 405

    def test_it_is_404_for_an_unknown_escalation(self):
        self.login(self.supervisor)
        assert (
            self.client.post("/staff/escalations/999999/decide/", {"decision": "no_action"}).status_code
            == 404
        )


# --- real time: a staff member escalates over HTTP; a supervisor's open socket hears of it ---------

ORIGIN = (b"origin", b"http://testserver")
TIMEOUT = 3


def _session_cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


@pytest.mark.django_db(transaction=True)
async def test_supervisors_are_alerted_in_real_time(make_staff):
    staffer = await database_sync_to_async(make_staff)("sam", display_name="Sam")
    supervisor = await database_sync_to_async(make_staff)("alex", display_name="Alex", supervisor=True)
    cookie = await database_sync_to_async(_session_cookie)(supervisor.user)
    socket = WebsocketCommunicator(
        application, "/staff/ws/", headers=[ORIGIN, (b"cookie", f"sessionid={cookie}".encode())]
    )
    connected, _ = await socket.connect(timeout=TIMEOUT)
    assert connected
    try:
        assert (await socket.receive_json_from(timeout=TIMEOUT))["type"] == "ready"

        def escalate_over_http() -> ChatSession:
            chat, _token = chat_actions.do_start_chat("en", "self")
            StaffProfile.objects.exclude(pk=staffer.pk).update(availability=Availability.OFFLINE)
            chat_actions.do_route_waiting_seekers()
            chat.refresh_from_db()
            chat_actions.do_accept_offer(chat, staffer)
            client = Client()
            client.force_login(staffer.user)
            response = client.post(
                reverse("staff-escalate", args=[chat.public_id]),
                {"reason": "child_at_risk"},
                headers={"accept": "application/json"},
            )
            assert response.json()["ok"] is True
            return chat

        chat = await database_sync_to_async(escalate_over_http)()
        while True:
            frame = await socket.receive_json_from(timeout=TIMEOUT)
            if frame["type"] == "escalation_raised":
                break
        assert frame["chat"] == chat.public_id.hex
        assert frame["reason"] == "A child may be at risk now"
        assert frame["raised_by"] == "Sam"
    finally:
        await socket.disconnect()
