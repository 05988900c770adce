"""Each chat in its own language: its queue, its wait, its pages and the words posted into it."""

import json

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client
from django.utils import translation

from config.asgi import application
from helpline.chat import actions as chat_actions
from helpline.chat import queue, texts
from helpline.models import ChatSession, Message

pytestmark = pytest.mark.django_db(transaction=True)
Status = ChatSession.Status
COOKIE = "chat_token"
NOBODY_DUTCH = "Er is nu niemand aan het werk die Nederlands spreekt"


def start_chat(client, language):
    response = client.post("/chat/start/", {"language": language, "about": ""})
    assert response.status_code == 302
    return ChatSession.objects.latest("pk")


def page(response):
    return response.content.decode()


# --- the queue, per language ------------------------------------------------------------------


def test_a_place_counts_only_people_waiting_in_the_same_language():
    first_en, _ = chat_actions.do_start_chat("en", "")
    first_nl, _ = chat_actions.do_start_chat("nl", "")
    second_en, _ = chat_actions.do_start_chat("en", "")
    second_nl, _ = chat_actions.do_start_chat("nl", "")
    assert queue.queue_position(first_en) == 1
    assert queue.queue_position(first_nl) == 1
    assert queue.queue_position(second_en) == 2
    assert queue.queue_position(second_nl) == 2
    snapshot = queue.queue_snapshot()
    assert snapshot.position_of(queue.queue_key(second_nl), "nl") == 2
    assert snapshot.position_of(queue.queue_key(second_nl), "en") is None


def test_the_wait_counts_only_staff_who_speak_the_chats_language(make_staff):
    make_staff("sam", languages=["en"], max_chats=1, available=False)
    make_staff("noor", languages=["nl"], max_chats=2)
    dutch, _ = chat_actions.do_start_chat("nl", "")
    english, _ = chat_actions.do_start_chat("en", "")
    # Noor has free slots: the Dutch chat is about to be answered; nobody on duty speaks English.
    assert queue.wait_estimate(dutch).kind == "soon"
    estimate = queue.wait_estimate(english)
    assert estimate.kind == "nobody_on_duty"
    assert estimate.text.startswith("Nobody who speaks English is on duty right now")


def test_with_nobody_on_duty_at_all_the_old_words_stay():
    chat, _ = chat_actions.do_start_chat("en", "")
    assert queue.wait_estimate(chat).text.startswith("Nobody is free to chat just now")


# --- the honest notice, before joining and while waiting ----------------------------------------


def test_the_dutch_start_page_says_nobody_speaks_dutch_and_offers_a_secure_message(make_staff):
    make_staff("sam", languages=["en"])
    response = Client().get("/nl/chat/")
    text = page(response)
    assert NOBODY_DUTCH in text
    assert 'href="/nl/messages/"' in text
    assert '<option value="nl" selected>' in text  # the form starts in the page's language
    assert "Je wordt zo verbonden" not in text


def test_the_start_page_offers_a_way_back_to_a_chat_under_way():
    text = page(Client().get("/de/chat/"))
    assert 'href="/chat/session/"' in text
    assert "Zurück zu Ihrem Gespräch" in text


def test_a_dutch_seeker_waiting_hears_it_in_the_frame_and_the_poll(make_staff):
    make_staff("sam", languages=["en"])
    seeker = Client(HTTP_ACCEPT_LANGUAGE="en")
    start_chat(seeker, "nl")
    frame = page(seeker.get("/chat/session/live/"))
    assert NOBODY_DUTCH in frame
    assert 'href="/nl/messages/"' in frame
    assert "nummer 1" in frame
    polled = seeker.get("/chat/session/poll/").json()
    assert polled["estimate"]["text"].startswith(NOBODY_DUTCH)
    notice = seeker.get("/chat/session/notice/").json()["notice"]
    assert "beveiligd bericht" in notice


async def test_a_dutch_seeker_waiting_hears_it_on_the_socket(make_staff):
    await database_sync_to_async(make_staff)("sam", languages=["en"])
    _chat, token = await database_sync_to_async(chat_actions.do_start_chat)("nl", "")
    socket = WebsocketCommunicator(
        application,
        "/chat/ws/",
        headers=[(b"origin", b"http://testserver"), (b"cookie", f"{COOKIE}={token}".encode())],
    )
    connected, _ = await socket.connect(timeout=3)
    assert connected
    while True:
        frame = await socket.receive_json_from(timeout=3)
        if frame["type"] == "state":
            break
    assert frame["estimate"]["text"].startswith(NOBODY_DUTCH)
    await socket.send_to(text_data=json.dumps({"type": "nonsense"}))
    error = await socket.receive_json_from(timeout=3)
    assert error["message"] == "Dat konden we niet begrijpen."
    await socket.disconnect()


# --- the chat's own language on the pages without a prefix --------------------------------------


def test_a_german_chat_speaks_german_whatever_the_browser_asks_for():
    seeker = Client(HTTP_ACCEPT_LANGUAGE="en")
    start_chat(seeker, "de")
    response = seeker.get("/chat/session/")
    assert response["Content-Language"] == "de"
    text = page(response)
    assert '<html lang="de"' in text
    assert "Ihr Chat" in text
    assert "Your chat" not in text


def test_an_arabic_chat_is_drawn_right_to_left():
    seeker = Client()
    start_chat(seeker, "ar")
    assert 'dir="rtl"' in page(seeker.get("/chat/session/"))
    assert 'dir="rtl"' in page(seeker.get("/chat/session/live/"))


def test_the_ended_page_keeps_the_chats_language():
    seeker = Client(HTTP_ACCEPT_LANGUAGE="en")
    chat = start_chat(seeker, "fr")
    chat_actions.do_end_chat(chat)
    response = seeker.post("/chat/session/close/")
    assert response["Location"] == "/chat/ended/?lang=fr"
    ended = seeker.get(response["Location"])
    assert "Votre conversation est terminée" in page(ended)


def test_a_made_up_language_on_the_ended_page_is_ignored():
    text = page(Client(HTTP_ACCEPT_LANGUAGE="en").get("/chat/ended/?lang=xx"))
    assert "Your chat has ended" in text


def test_a_refused_start_answers_in_the_language_chosen(make_staff, settings):
    settings.HELPLINE = {**settings.HELPLINE, "QUEUE_LIMIT": 1}
    chat_actions.do_start_chat("en", "")
    response = Client(HTTP_ACCEPT_LANGUAGE="en").post("/chat/start/", {"language": "es", "about": ""})
    assert response.status_code == 400
    assert "Ahora mismo hay tantas personas esperando" in page(response)


# --- words posted into a chat are stored in its language ------------------------------------------


def test_a_german_chat_gets_german_joined_and_ended_words(make_staff, django_capture_on_commit_callbacks):
    kim = make_staff("kim", display_name="Kim", languages=["de", "en"])
    with django_capture_on_commit_callbacks(execute=True):
        chat, _ = chat_actions.do_start_chat("de", "")
    chat.refresh_from_db()
    assert chat.offered_to == kim
    with translation.override("en"):  # the staff member's page is in English
        with django_capture_on_commit_callbacks(execute=True):
            chat_actions.do_accept_offer(chat, kim)
        chat_actions.do_end_chat(chat, by_staff=kim)
    bodies = [m.body for m in chat.messages.filter(sender=Message.Sender.SYSTEM).order_by("seq")]
    assert bodies[0].startswith("Dieser Chat ist anonym und vertraulich.")
    assert bodies[1] == "Kim von der Beratung ist dem Chat beigetreten."
    assert bodies[-1] == "Die Beratung hat diesen Chat beendet. Danke für das Gespräch."


def test_a_chat_put_back_in_the_queue_by_housekeeping_hears_it_in_its_language(
    make_staff, django_capture_on_commit_callbacks
):
    kim = make_staff("kim", languages=["es"])
    with django_capture_on_commit_callbacks(execute=True):
        chat, _ = chat_actions.do_start_chat("es", "")
    with django_capture_on_commit_callbacks(execute=True):
        chat_actions.do_accept_offer(chat, kim)
    chat_actions.do_return_to_queue(chat, texts.REQUEUED_AFTER_DROP)
    last = chat.messages.order_by("-seq")[0]
    assert last.body.startswith(
        "Lo sentimos: la persona del equipo con la que hablabas ha perdido la conexión."
    )


def test_an_english_chat_keeps_the_teams_own_confidentiality_wording(
    make_staff, django_capture_on_commit_callbacks
):
    from helpline.models import CannedResponse

    CannedResponse.objects.create(
        title="Ours", kind=CannedResponse.Kind.CONFIDENTIALITY, body="Our own words about privacy."
    )
    kim = make_staff("kim", languages=["en", "nl"])
    with django_capture_on_commit_callbacks(execute=True):
        english, _ = chat_actions.do_start_chat("en", "")
        dutch, _ = chat_actions.do_start_chat("nl", "")
    for chat in (english, dutch):
        with django_capture_on_commit_callbacks(execute=True):
            chat_actions.do_accept_offer(chat, kim)
    assert english.messages.order_by("seq")[0].body == "Our own words about privacy."
    assert dutch.messages.order_by("seq")[0].body.startswith("Deze chat is anoniem en vertrouwelijk.")


def test_the_copy_of_a_conversation_is_in_its_language():
    seeker = Client()
    start_chat(seeker, "nl")
    copy = seeker.get("/chat/session/transcript.txt").content.decode()
    assert copy.startswith("Je gesprek, ")
    assert "Bewaard uit je chat met de hulplijn." in copy
