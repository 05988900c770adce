"""Staff read the console's words in the language they chose for their pages (their interface
language), whatever language the chat itself is in: the wrap-up form, the chat's status and the
seeker's presence, the queue's wait, and what the console's socket says. English stays as it was."""

import pytest
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator
from django.test import Client
from django.utils import translation

from config.asgi import application
from helpline import events
from helpline.chat import actions as chat_actions
from helpline.chat import presence, queue
from helpline.chat.forms import WrapUpForm
from helpline.chat.presenters import ChatCard
from helpline.models import ChatSession, Escalation, WrapUp

ORIGIN = (b"origin", b"http://testserver")
TIMEOUT = 3


# --- words drawn on staff pages ------------------------------------------------------------------


def test_the_wrap_up_form_asks_in_the_staff_members_language():
    with translation.override("de"):
        form = str(WrapUpForm())
    assert "Wie ist der Kontakt verlaufen?" in form
    assert "Inhaltliches Gespräch" in form  # an outcome
    assert "Sorgen wegen Gedanken" in form  # a topic
    assert "Nichts vereinbart" in form  # a protective action
    assert "How did the contact go?" not in form
    with translation.override("en"):
        assert "How did the contact go?" in str(WrapUpForm())


def test_a_wrap_up_left_half_done_is_explained_in_the_staff_members_language():
    with translation.override("fr"):
        form = WrapUpForm(
            data={"outcome": WrapUp.Outcome.SUBSTANTIVE, "about": "self", "heard_from": "police"}
        )
        assert not form.is_valid()
        assert form.errors["topics"] == ["Cochez au moins un sujet pour une conversation qui a eu lieu."]


def test_choice_labels_follow_the_reader_not_the_moment_they_were_defined():
    with translation.override("ar"):
        assert str(Escalation.Reason.CHILD_AT_RISK.label) == "قد يكون طفل في خطر الآن"
        assert str(ChatSession.Status.ENDED.label) != "Ended"
    with translation.override("en"):
        assert str(Escalation.Reason.CHILD_AT_RISK.label) == "A child may be at risk now"


@pytest.mark.django_db
def test_a_chat_card_says_its_status_and_the_seekers_presence_in_the_staff_members_language():
    chat, _token = chat_actions.do_start_chat("ar", "")
    card = ChatCard(chat=chat)
    with translation.override("nl"):
        assert card.status_label == "Wachtend"
        assert card.about_label == "Zei niet over wie het gaat"
        assert presence.NOT_KNOWN.as_event()["label"] == "Hulpzoekende: wordt nagegaan"
    with translation.override("en"):
        assert card.status_label == "Waiting"
        assert presence.NOT_KNOWN.as_event()["label"] == "Seeker: checking"


def test_the_longest_wait_is_said_in_the_staff_members_language():
    with translation.override("en"):
        assert queue.longest_wait_words(None) == "nobody waiting"
        assert queue.longest_wait_words(125) == "2 min 05 s"
        assert queue.longest_wait_words(9) == "9 s"
    with translation.override("de"):
        assert queue.longest_wait_words(None) == "niemand wartet"
        assert queue.longest_wait_words(125) == "2 Min. 05 Sek."


# --- the console's socket --------------------------------------------------------------------------


def _signed_in(profile) -> str:
    client = Client()
    client.force_login(profile.user)
    return client.cookies["sessionid"].value


async def _console(cookie: str) -> WebsocketCommunicator:
    communicator = WebsocketCommunicator(
        application, "/staff/ws/", headers=[ORIGIN, (b"cookie", f"sessionid={cookie}".encode())]
    )
    connected, _ = await communicator.connect(timeout=TIMEOUT)
    assert connected
    return communicator


async def _next(communicator: WebsocketCommunicator, frame_type: str) -> dict:
    while True:
        frame = await communicator.receive_json_from(timeout=TIMEOUT)
        if frame["type"] == frame_type:
            return frame


@pytest.mark.django_db(transaction=True)
async def test_the_console_socket_speaks_the_staff_members_language_and_the_chat_keeps_its_own(make_staff):
    profile = await database_sync_to_async(make_staff)("noor", interface_language="de")
    cookie = await database_sync_to_async(_signed_in)(profile)
    console = await _console(cookie)
    await _next(console, "ready")

    await console.send_json_to({"type": "launch"})
    assert (await _next(console, "error"))["message"] == "Das konnte nicht verstanden werden."
    await console.send_json_to({"type": "end", "chat": "0" * 32, "ref": 3})
    refused = await _next(console, "error")
    assert (refused["code"], refused["ref"]) == ("no_chat", 3)
    assert refused["message"] == "Dieser Chat ist für Sie nicht zugänglich."

    # The queue's wait is put in words once for every console; each says it in its own language.
    await get_channel_layer().group_send(
        events.STAFF_ALL_GROUP,
        {
            "type": "queue.overview",
            "waiting": 0,
            "oldest_wait_seconds": None,
            "oldest_wait_words": "nobody waiting",
        },
    )
    assert (await _next(console, "queue_overview"))["oldest_wait_words"] == "niemand wartet"
    await console.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_an_english_console_is_unchanged(make_staff):
    profile = await database_sync_to_async(make_staff)("sam")
    cookie = await database_sync_to_async(_signed_in)(profile)
    console = await _console(cookie)
    await _next(console, "ready")
    await console.send_json_to({"type": "end", "chat": "0" * 32})
    assert (await _next(console, "error"))["message"] == "That chat is not open to you."
    await console.disconnect()


@pytest.mark.django_db
def test_the_demo_stock_replies_are_in_english_whatever_language_is_active():
    """An English chat is sent the team's own confidentiality wording: loaded while another language
    was active (after a request under /nl/, say), it was stored in that language."""
    from helpline.chat.demo import load_demo_canned
    from helpline.models import CannedResponse

    CannedResponse.objects.all().delete()
    with translation.override("nl"):
        load_demo_canned()
    body = CannedResponse.objects.get(kind=CannedResponse.Kind.CONFIDENTIALITY).body
    assert body.startswith("This chat is anonymous and confidential.")


@pytest.mark.django_db(transaction=True)
async def test_a_supervisor_hears_of_an_escalation_in_their_own_language(make_staff):
    from helpline.models import Availability, StaffProfile

    staffer = await database_sync_to_async(make_staff)("sam", display_name="Sam")
    supervisor = await database_sync_to_async(make_staff)(
        "alex", display_name="Alex", supervisor=True, interface_language="fr"
    )
    console = await _console(await database_sync_to_async(_signed_in)(supervisor))
    await _next(console, "ready")

    def escalate() -> None:
        chat, _token = chat_actions.do_start_chat("en", "self")
        StaffProfile.objects.exclude(pk=staffer.pk).update(availability=Availability.OFFLINE)
        chat_actions.do_route_waiting_seekers()
        chat.refresh_from_db()
        chat_actions.do_accept_offer(chat, staffer)
        with translation.override("en"):  # raised from an English console
            chat_actions.do_escalate(chat, staffer, Escalation.Reason.CHILD_AT_RISK)

    await database_sync_to_async(escalate)()
    frame = await _next(console, "escalation_raised")
    assert frame["reason"] == "Un enfant est peut-être en danger maintenant"
    await console.disconnect()
