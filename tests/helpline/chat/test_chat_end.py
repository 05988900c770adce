"""The end of a chat belongs to the seeker: nothing replaces the page, the closing words and an unsent
draft stay, and the next steps are right there. Through plain HTTP, as a browser without JavaScript
uses it (tests/e2e/journeys/test_end_of_chat.py and test_no_javascript_chat.py do it in a browser)."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from helpline import retention
from helpline.chat import actions as chat_actions
from helpline.models import ChatSession, DailyCount, Message

pytestmark = pytest.mark.django_db(transaction=True)
COOKIE = "chat_token"
CLOSING = "Thank you for talking with me tonight. Please look after yourself, and come back any time."


@pytest.fixture
def seeker():
    return Client()


def start_chat(seeker: Client) -> ChatSession:
    assert seeker.post("/chat/start/", {"language": "en", "about": ""}).status_code == 302
    return ChatSession.objects.get()


def live_chat(seeker: Client, staff) -> ChatSession:
    chat = start_chat(seeker)
    chat_actions.do_accept_offer(chat, staff)
    seeker.post("/chat/session/send/", {"body": "I have been struggling with my thoughts."})
    chat_actions.do_send_message(
        chat, Message.Sender.STAFF, "Thank you for telling me. I am listening.", staff
    )
    return chat


def ended_by_staff(seeker: Client, staff) -> ChatSession:
    chat = live_chat(seeker, staff)
    chat_actions.do_send_message(chat, Message.Sender.STAFF, CLOSING, staff)
    chat_actions.do_end_chat(chat, by_staff=staff)
    return chat


def text(response) -> str:
    return response.content.decode()


def test_the_ended_chat_stays_on_the_page_with_the_closing_words_and_next_steps(seeker, make_staff):
    ended_by_staff(seeker, make_staff("sam"))
    response = seeker.get("/chat/session/")
    assert response.status_code == 200, "the seeker was sent away from their conversation"
    page = text(response)
    assert "This chat has ended" in page
    assert CLOSING in page
    assert "I have been struggling with my thoughts." in page
    # Next steps: a new chat, a secure message, self-help.
    assert 'href="/en/chat/"' in page
    assert 'href="/en/messages/"' in page
    assert 'href="/en/self-help/"' in page
    # Nothing to send any more, and the page says why.
    assert re.search(r"<button[^>]*disabled[^>]*>Send</button>", page)
    assert "This chat has ended, so nothing more can be sent" in page
    assert "http-equiv" not in page  # nothing refreshes or moves the page by itself


def test_the_frame_shows_the_end_and_where_to_go_next_without_moving_the_page(seeker, make_staff):
    ended_by_staff(seeker, make_staff("sam"))
    frame = text(seeker.get("/chat/session/live/"))
    assert "This chat has ended" in frame
    assert CLOSING in frame
    assert "http-equiv" not in frame  # an ended chat does not refresh
    for href in ("/en/chat/", "/en/messages/", "/en/self-help/", "/chat/session/"):
        assert re.search(rf'<a href="{href}"[^>]*target="_top"', frame), href


def test_the_frame_never_jumps_to_a_fragment(seeker, make_staff):
    """A refresh to `#latest` scrolls the page around the frame too (the whole page jumped by 514 px
    while someone typed): the frame keeps the newest words in view by its layout instead."""
    live_chat(seeker, make_staff("sam"))
    frame = text(seeker.get("/chat/session/live/"))
    refresh = re.search(r'http-equiv="refresh" content="([^"]*)"', frame)
    assert refresh, "a live chat's frame still updates itself"
    assert "#" not in refresh[1]
    assert "#latest" not in text(seeker.get("/chat/session/"))


def test_a_draft_sent_after_the_end_is_kept_in_the_box_with_a_plain_reason(seeker, make_staff):
    ended_by_staff(seeker, make_staff("sam"))
    draft = "Before you go, can I ask one more thing about"
    response = seeker.post("/chat/session/send/", {"body": draft})
    assert response.status_code == 409
    page = text(response)
    assert f">{draft}</textarea>" in page
    assert "This chat has ended, so your message was not sent" in page
    assert CLOSING in page
    assert "This chat has ended" in page
    assert 'href="/en/messages/"' in page
    json = seeker.post("/chat/session/send/", {"body": draft}, headers={"Accept": "application/json"})
    assert json.status_code == 409
    assert json.json()["code"] == "ended"


def test_polling_after_the_end_still_brings_the_closing_words(seeker, make_staff):
    chat = live_chat(seeker, make_staff("sam"))
    seen = chat.messages.count()
    chat_actions.do_send_message(chat, Message.Sender.STAFF, CLOSING, chat.staff)
    chat_actions.do_end_chat(chat, by_staff=chat.staff)
    data = seeker.get(f"/chat/session/poll/?after={seen}").json()
    assert data["status"] == "ended"
    assert CLOSING in [m["body"] for m in data["messages"]]
    assert "This chat has ended" in data["status_html"]
    assert 'href="/en/messages/"' in data["after_html"]


def test_ending_asks_once_and_a_no_changes_nothing(seeker, make_staff):
    chat = live_chat(seeker, make_staff("sam"))
    asked = seeker.post("/chat/session/end/", {"body": "half a thought"})
    assert asked.status_code == 200
    page = text(asked)
    assert "End this chat?" in page
    assert "Yes, end it" in page and "No, go back" in page
    assert 'value="half a thought"' in page  # the draft travels with the question
    chat.refresh_from_db()
    assert chat.status == ChatSession.Status.ACTIVE

    back = seeker.post("/chat/session/end/", {"step": "no", "body": "half a thought"})
    assert back.status_code == 200
    assert ">half a thought</textarea>" in text(back)
    assert seeker.post("/chat/session/end/", {"step": "no"})["Location"] == "/chat/session/"
    chat.refresh_from_db()
    assert chat.status == ChatSession.Status.ACTIVE

    done = seeker.post("/chat/session/end/", {"step": "yes"})
    assert done["Location"] == "/chat/session/"
    chat.refresh_from_db()
    assert (chat.status, chat.end_reason) == (ChatSession.Status.ENDED, ChatSession.EndReason.SEEKER_ENDED)
    page = text(seeker.get("/chat/session/"))
    assert "This chat has ended" in page
    assert "You ended this chat" in page


def test_leaving_the_queue_asks_too_and_says_the_place_is_lost(seeker):
    chat = start_chat(seeker)
    page = text(seeker.post("/chat/session/end/"))
    assert "Leave the queue?" in page
    assert "You will lose your place" in page
    chat.refresh_from_db()
    assert chat.status == ChatSession.Status.WAITING
    seeker.post("/chat/session/end/", {"step": "yes"})
    chat.refresh_from_db()
    assert chat.end_reason == ChatSession.EndReason.SEEKER_LEFT_QUEUE
    page = text(seeker.get("/chat/session/"))
    assert "You left the queue" in page
    assert "Tell us how it went" not in page  # nobody answered: nothing to give feedback on


def test_the_ended_chat_opens_only_in_the_browser_that_held_it(seeker, make_staff):
    ended_by_staff(seeker, make_staff("sam"))
    stranger = Client()
    assert stranger.get("/chat/session/")["Location"] == "/chat/ended/"
    stranger.cookies[COOKIE] = "made-up-token"
    assert stranger.get("/chat/session/")["Location"] == "/chat/ended/"
    assert CLOSING not in text(stranger.get("/chat/session/live/"))
    assert stranger.get("/chat/session/transcript.txt").status_code == 404


def test_once_ended_the_token_lasts_only_until_the_browser_closes(seeker, make_staff):
    ended_by_staff(seeker, make_staff("sam"))
    response = seeker.get("/chat/session/")
    cookie = response.cookies[COOKIE]
    assert cookie.value, "the token is still there to read the conversation"
    assert not cookie["max-age"] and not cookie["expires"], "a session cookie: gone when the browser closes"
    assert cookie["httponly"] and cookie["samesite"] == "Strict" and cookie["path"] == "/chat/"


def test_closing_the_conversation_forgets_it_here(seeker, make_staff):
    ended_by_staff(seeker, make_staff("sam"))
    response = seeker.post("/chat/session/close/")
    assert response["Location"] == "/chat/ended/"
    assert response.cookies[COOKIE].value == ""
    assert seeker.get("/chat/session/")["Location"] == "/chat/ended/"
    assert seeker.get("/chat/session/close/").status_code == 405


def test_starting_a_new_chat_leaves_the_old_one_behind(seeker, make_staff):
    ended_by_staff(seeker, make_staff("sam"))
    start_page = seeker.get("/en/chat/")
    assert start_page.status_code == 200
    assert start_page.cookies[COOKIE].value == ""


def test_after_the_retention_period_nothing_is_left_to_read(seeker, make_staff, settings):
    ended_by_staff(seeker, make_staff("sam"))
    later = timezone.now() + timedelta(hours=settings.HELPLINE["CHAT_RETENTION_HOURS"] + 1)
    assert retention.purge_expired(later)["chats"] == 1
    assert seeker.get("/chat/session/")["Location"] == "/chat/ended/"
    assert seeker.get("/chat/session/transcript.txt").status_code == 404


def test_a_text_copy_without_javascript_is_made_from_what_is_there_and_stores_nothing(seeker, make_staff):
    ended_by_staff(seeker, make_staff("sam"))
    rows = (ChatSession.objects.count(), Message.objects.count(), DailyCount.objects.count())
    response = seeker.get("/chat/session/transcript.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert re.match(
        r'attachment; filename="conversation-\d{4}-\d{2}-\d{2}\.txt"', response["Content-Disposition"]
    )
    assert "no-store" in response["Cache-Control"]
    copy = text(response)
    assert "You: I have been struggling with my thoughts." in copy
    assert f"Sam: {CLOSING}" in copy
    assert "Anyone using this device may find this file" in copy
    assert (ChatSession.objects.count(), Message.objects.count(), DailyCount.objects.count()) == rows
