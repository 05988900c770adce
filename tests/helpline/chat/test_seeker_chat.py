"""The seeker's chat through plain HTTP, as a browser with JavaScript off would use it."""

import re

import pytest
from django.test import Client

from helpline.chat import actions as chat_actions
from helpline.models import ChatSession, Message, hash_token

pytestmark = pytest.mark.django_db(transaction=True)
COOKIE = "chat_token"


@pytest.fixture
def seeker():
    return Client(enforce_csrf_checks=False)


def start_chat(seeker, **data):
    return seeker.post("/chat/start/", {"language": "en", "about": "", **data})


def test_start_page_states_the_service_and_the_limits_of_confidentiality(seeker):
    response = seeker.get("/en/chat/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "anonymous and confidential" in page
    assert "child who is at risk" in page
    assert 'name="language"' in page
    assert "no-store" in response["Cache-Control"]


def test_it_rejects_get_on_start(seeker):
    assert seeker.get("/chat/start/").status_code == 405


def test_starting_sets_a_private_cookie_and_stores_only_its_hash(seeker, settings):
    response = start_chat(seeker, about="self")
    assert response.status_code == 302
    assert response["Location"] == "/chat/session/"
    cookie = response.cookies[COOKIE]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Strict"
    assert cookie["path"] == "/chat/"
    chat = ChatSession.objects.get()
    assert chat.token_hash == hash_token(cookie.value)
    assert chat.about == "self"


def test_a_bad_choice_is_explained_and_nothing_is_created(seeker):
    response = start_chat(seeker, language="klingon")
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert ChatSession.objects.count() == 0


def test_waiting_page_shows_position_and_an_honest_estimate(seeker):
    start_chat(seeker)
    start_chat(Client())
    second = Client()
    start_chat(second)
    live = second.get("/chat/session/live/").content.decode()
    assert "number 3" in live
    assert "Nobody is free to chat just now" in live
    assert re.search(r'http-equiv="refresh" content="\d+', live)


def test_the_live_frame_may_be_framed_by_our_page_only(seeker):
    start_chat(seeker)
    response = seeker.get("/chat/session/live/")
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in response["Content-Security-Policy"]
    assert seeker.get("/chat/session/")["X-Frame-Options"] == "DENY"


def test_reloading_resumes_the_same_chat(seeker):
    start_chat(seeker)
    assert seeker.get("/en/chat/").status_code == 302
    assert seeker.get("/chat/session/").status_code == 200
    assert ChatSession.objects.count() == 1


def test_another_browser_cannot_see_the_chat(seeker):
    start_chat(seeker)
    stranger = Client()
    assert stranger.get("/chat/session/")["Location"] == "/chat/ended/"
    stranger.cookies[COOKIE] = "made-up-token"
    assert stranger.get("/chat/session/")["Location"] == "/chat/ended/"
    assert "ended" in stranger.get("/chat/session/live/").content.decode()


def test_a_whole_chat_without_javascript(seeker, make_staff):
    sam = make_staff("sam")
    start_chat(seeker)
    chat = ChatSession.objects.get()
    assert chat.status == ChatSession.Status.OFFERED
    chat_actions.do_accept_offer(chat, sam)

    live = seeker.get("/chat/session/live/").content.decode()
    assert "You are chatting with" in live
    assert "anonymous and confidential" in live  # the statement is the first message

    response = seeker.post(
        "/chat/session/send/", {"body": "I am worried about my thoughts <script>x</script>"}
    )
    assert response.status_code == 302
    chat_actions.do_send_message(
        chat, Message.Sender.STAFF, "Thank you for telling me. You did the right thing.", sam
    )
    live = seeker.get("/chat/session/live/").content.decode()
    assert "I am worried about my thoughts &lt;script&gt;" in live
    assert "<script>x</script>" not in live
    assert "You did the right thing." in live

    # Ending asks once (tests/helpline/chat/test_chat_end.py), then the conversation stays on the page.
    response = seeker.post("/chat/session/end/", {"step": "yes"})
    assert response["Location"] == "/chat/session/"
    chat.refresh_from_db()
    assert chat.status == ChatSession.Status.ENDED
    assert chat.end_reason == ChatSession.EndReason.SEEKER_ENDED
    ended = seeker.get("/chat/session/").content.decode()
    assert "This chat has ended" in ended
    assert "You did the right thing." in ended


def test_a_rejected_message_is_explained_and_kept_in_the_box(seeker, make_staff):
    start_chat(seeker)
    draft = "Can I talk to someone about this?"
    response = seeker.post("/chat/session/send/", {"body": draft})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Nobody has joined the chat yet" in page
    assert draft in page


def test_an_over_long_message_is_refused_and_kept(seeker, make_staff):
    sam = make_staff("sam")
    start_chat(seeker)
    chat_actions.do_accept_offer(ChatSession.objects.get(), sam)
    long = "a" * 2500
    response = seeker.post("/chat/session/send/", {"body": long})
    assert response.status_code == 400
    assert "the limit is 2000" in response.content.decode()
    assert long in response.content.decode()


def test_leaving_the_queue(seeker):
    start_chat(seeker)
    response = seeker.post("/chat/session/end/", {"step": "yes"})
    assert response["Location"] == "/chat/session/"
    chat = ChatSession.objects.get()
    assert chat.end_reason == ChatSession.EndReason.SEEKER_LEFT_QUEUE
    assert "Start a new chat" in seeker.get("/chat/session/").content.decode()
    ended = seeker.get("/chat/ended/").content.decode()
    assert "start a new chat" in ended


def test_polling_returns_only_messages_after_the_last_seen(seeker, make_staff):
    sam = make_staff("sam")
    start_chat(seeker)
    chat = ChatSession.objects.get()
    chat_actions.do_accept_offer(chat, sam)
    chat_actions.do_send_message(chat, Message.Sender.STAFF, "Hello, I'm here.", sam)
    everything = seeker.get("/chat/session/poll/?after=0").json()
    assert [m["seq"] for m in everything["messages"]] == [1, 2, 3]
    assert everything["status"] == "active"
    newer = seeker.get("/chat/session/poll/?after=2").json()
    assert [m["body"] for m in newer["messages"]] == ["Hello, I'm here."]
    assert seeker.get("/chat/session/poll/?after=nonsense").json()["messages"][0]["seq"] == 1


def test_send_answers_json_when_asked(seeker, make_staff):
    sam = make_staff("sam")
    start_chat(seeker)
    chat_actions.do_accept_offer(ChatSession.objects.get(), sam)
    ok = seeker.post("/chat/session/send/", {"body": "hi"}, headers={"Accept": "application/json"})
    assert ok.json() == {"seq": 3}
    bad = seeker.post("/chat/session/send/", {"body": ""}, headers={"Accept": "application/json"})
    assert bad.status_code == 400
    assert bad.json()["code"] == "empty_message"


def test_chat_start_is_rate_limited_with_a_calm_page(seeker, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "chat_start": "2/h"}
    for _ in range(2):
        Client().post("/chat/start/", {"language": "en", "about": ""})
    response = Client().post("/chat/start/", {"language": "en", "about": ""})
    assert response.status_code == 429
    assert "Your chat could not start just yet" in response.content.decode()
    assert int(response["Retry-After"]) > 0  # how long, in tests/helpline/chat/test_shared_networks.py
    assert ChatSession.objects.count() == 2
