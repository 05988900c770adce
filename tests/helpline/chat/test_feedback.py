"""Three optional questions at the end of a chat, kept only as daily counts: one form per chat (a flag
on the chat row, deleted with it), nothing per person, and small counts hidden on the statistics page."""

import re
from collections import Counter
from datetime import timedelta

import pytest
from django.db.models import Sum
from django.test import Client
from django.utils import timezone

from helpline import retention
from helpline.chat import actions as chat_actions
from helpline.models import ChatSession, DailyCount, Message
from helpline.stats import tallies

pytestmark = pytest.mark.django_db(transaction=True)


def counts() -> Counter:
    return Counter(dict(DailyCount.objects.values("name").annotate(n=Sum("value")).values_list("name", "n")))


def feedback_counts() -> dict[str, int]:
    return {name: n for name, n in counts().items() if name.startswith("feedback.")}


def ended_chat(make_staff, username: str = "sam") -> tuple[Client, ChatSession]:
    make_staff(username)
    seeker = Client()
    seeker.post("/chat/start/", {"language": "en", "about": ""})
    chat = ChatSession.objects.order_by("-id").first()
    assert chat is not None and chat.offered_to is not None
    chat_actions.do_accept_offer(chat, chat.offered_to)
    chat_actions.do_send_message(chat, Message.Sender.STAFF, "Take care of yourself.", chat.staff)
    chat_actions.do_end_chat(chat, by_staff=chat.staff)
    return seeker, chat


def test_the_form_is_offered_at_the_end_of_an_answered_chat(make_staff):
    seeker, _chat = ended_chat(make_staff)
    page = seeker.get("/chat/session/").content.decode()
    assert "Tell us how it went" in page
    for question in (
        "Was this chat helpful?",
        "Do you feel more able to keep yourself and children safe?",
        "Would you contact us again?",
    ):
        assert question in page
    assert page.count('type="radio"') == 9  # yes / not sure / no, three times
    form = re.search(r"<form[^>]*data-feedback.*?</form>", page, re.S)
    assert form and "required" not in form[0]


def test_answers_become_daily_counts_and_nothing_else(make_staff):
    seeker, chat = ended_chat(make_staff)
    before = counts()
    response = seeker.post("/chat/session/feedback/", {"helpful": "yes", "safer": "not_sure", "again": ""})
    assert response["Location"] == "/chat/session/#feedback"
    assert feedback_counts() == {
        "feedback.forms": 1,
        "feedback.helpful.yes": 1,
        "feedback.safer.not_sure": 1,
    }
    # No other figure moved; each answer is counted for all languages and for the chat's (English).
    in_english = {tallies.language_name("en", name): n for name, n in feedback_counts().items()}
    assert counts() - before == Counter({**feedback_counts(), **in_english})
    chat.refresh_from_db()
    assert chat.feedback_given
    page = seeker.get("/chat/session/").content.decode()
    assert "Thank you for telling us" in page
    assert "Was this chat helpful?" not in page


def test_one_form_per_chat(make_staff):
    seeker, _chat = ended_chat(make_staff)
    seeker.post("/chat/session/feedback/", {"helpful": "yes"})
    again = seeker.post("/chat/session/feedback/", {"helpful": "no"}, headers={"Accept": "application/json"})
    assert again.status_code == 409
    assert "already" in again.json()["error"]
    assert feedback_counts() == {"feedback.forms": 1, "feedback.helpful.yes": 1}


def test_every_question_is_optional_but_an_empty_form_counts_nothing(make_staff):
    seeker, chat = ended_chat(make_staff)
    response = seeker.post("/chat/session/feedback/", {})
    assert response.status_code == 400
    assert "You did not choose any answers" in response.content.decode()
    assert feedback_counts() == {}
    chat.refresh_from_db()
    assert not chat.feedback_given
    seeker.post("/chat/session/feedback/", {"again": "no"})
    assert feedback_counts() == {"feedback.forms": 1, "feedback.again.no": 1}


def test_a_bad_answer_is_explained_and_the_others_are_kept(make_staff):
    seeker, _chat = ended_chat(make_staff)
    response = seeker.post("/chat/session/feedback/", {"helpful": "maybe", "safer": "yes"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Please choose yes, not sure or no" in page
    assert re.search(
        r'value="yes"[^>]*name="safer"[^>]*checked|name="safer"[^>]*value="yes"[^>]*checked', page
    )
    assert feedback_counts() == {}


def test_json_for_the_script(make_staff):
    seeker, _chat = ended_chat(make_staff)
    response = seeker.post(
        "/chat/session/feedback/", {"helpful": "no"}, headers={"Accept": "application/json"}
    )
    assert response.status_code == 200
    assert "Thank you for telling us" in response.json()["html"]
    assert feedback_counts() == {"feedback.forms": 1, "feedback.helpful.no": 1}


def test_no_feedback_while_the_chat_is_open_or_when_nobody_answered(make_staff):
    seeker = Client()
    seeker.post("/chat/start/", {"language": "en", "about": ""})
    waiting = ChatSession.objects.get()
    assert seeker.post("/chat/session/feedback/", {"helpful": "yes"}).status_code == 409
    chat_actions.do_leave_queue(waiting)
    assert seeker.post("/chat/session/feedback/", {"helpful": "yes"}).status_code == 409
    assert Client().post("/chat/session/feedback/", {"helpful": "yes"})["Location"] == "/chat/ended/"
    assert Client().get("/chat/session/feedback/").status_code == 405
    assert feedback_counts() == {}


def test_the_flag_goes_with_the_chat_and_the_counts_stay(make_staff, settings):
    seeker, _chat = ended_chat(make_staff)
    seeker.post("/chat/session/feedback/", {"helpful": "yes"})
    later = timezone.now() + timedelta(hours=settings.HELPLINE["CHAT_RETENTION_HOURS"] + 1)
    assert retention.purge_expired(later)["chats"] == 1
    assert not ChatSession.objects.exists()
    assert feedback_counts() == {"feedback.forms": 1, "feedback.helpful.yes": 1}


def test_the_statistics_page_shows_feedback_with_small_counts_hidden(make_staff):
    seekers = []
    for n in range(6):
        seeker, _chat = ended_chat(make_staff, f"staff{n}")
        seekers.append(seeker)
    for seeker in seekers:
        seeker.post("/chat/session/feedback/", {"helpful": "yes"})
    seekers[0].post("/chat/session/feedback/", {"helpful": "no"})  # refused: once per chat
    supervisor = Client()
    supervisor.force_login(make_staff("alex", supervisor=True).user)
    page = supervisor.get("/staff/stats/").content.decode()
    section = re.search(r'<section aria-labelledby="feedback-title">.*?</section>', page, re.S)
    assert section, "the statistics page has a feedback section"
    words = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", section[0]))
    assert "Feedback forms sent: 6" in words
    rows = {
        question: re.findall(r"<td[^>]*>([^<]+)</td>", cells)
        for question, cells in re.findall(
            r'<th scope="row">([^<]+)</th>((?:<td[^>]*>[^<]+</td>)+)', section[0]
        )
    }
    # Yes, not sure, no: zero is shown as zero (nobody can be singled out from no one).
    assert rows["Was this chat helpful?"] == ["6", "0", "0"]
    assert rows["Do you feel more able to keep yourself and children safe?"] == ["0"] * 3
    assert rows["Would you contact us again?"] == ["0"] * 3
