"""Triage at the door and skills in routing: what a seeker may tell us at the start, what they see at
once, who is offered their chat first, and what staff and the statistics see of it."""

import re
from collections import Counter
from datetime import timedelta
from typing import Any

import pytest
from django.db.models import Sum
from django.test import Client
from django.utils import timezone

from helpline.chat import actions as chat_actions
from helpline.chat import presence
from helpline.chat.demo import load_demo_crisis_contacts
from helpline.models import Availability, ChatSession, CrisisContact, DailyCount, StaffProfile
from helpline.staff.forms import StaffProfileForm
from helpline.stats import tallies

pytestmark = pytest.mark.django_db
Status = ChatSession.Status
HELP_HEADING = "What you can do right now"
EMERGENCY = "please call your local emergency number now"


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    def run(fn, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return fn(*args, **kwargs)

    return run


def start(on_commit, triage=(), topic="", language="en"):
    chat, _token = on_commit(
        chat_actions.do_start_chat, language, "", triage_answers=list(triage), topic=topic
    )
    chat.refresh_from_db()
    return chat


def only_available(*profiles: StaffProfile) -> None:
    StaffProfile.objects.update(availability=Availability.OFFLINE)
    StaffProfile.objects.filter(pk__in=[p.pk for p in profiles]).update(availability=Availability.AVAILABLE)


def start_over_http(client: Client, **data: str) -> Any:
    return client.post("/chat/start/", {"language": "en", "about": "", **data})


# --- the start form and the page while waiting (no JavaScript: plain form posts) -----------------


def test_the_start_page_offers_the_triage_questions_in_plain_words():
    page = Client().get("/en/chat/").content.decode()
    assert "Is any of these true right now? (optional)" in page
    assert "I am not safe right now / I am thinking about ending my life" in page
    assert "A child may be in danger now" in page
    assert "What is it about? (optional)" in page
    assert "After an arrest or contact with the police" in page
    # One question says who the chat is about: the older "you or someone else" one overlapped it.
    assert "Is this about you or someone else?" not in page
    assert 'name="about"' not in page


@pytest.mark.parametrize(
    ("topic", "about"),
    [
        ("own_thoughts", "self"),
        ("after_arrest", "self"),
        ("young_person", "self"),
        ("someone_else", "someone_else"),
        ("", ""),
    ],
)
def test_the_topic_chosen_says_who_the_chat_is_about(topic, about):
    assert start_over_http(Client(), topic=topic).status_code == 302
    assert ChatSession.objects.get().about == about


def test_a_start_page_loaded_before_the_one_question_still_counts_its_answer():
    assert start_over_http(Client(), about="someone_else").status_code == 302
    assert ChatSession.objects.get().about == "someone_else"


def test_ticking_not_safe_raises_priority_and_shows_what_to_do_at_once(settings):
    seeker = Client()
    response = start_over_http(seeker, triage="not_safe", topic="after_arrest")
    assert response.status_code == 302
    chat = ChatSession.objects.get()
    assert chat.not_safe and not chat.child_in_danger
    assert chat.topic == "after_arrest"
    assert chat.priority == settings.HELPLINE["TRIAGE_PRIORITY"] > 0
    page = seeker.get("/chat/session/").content.decode()
    assert HELP_HEADING in page
    assert "If you might act on thoughts of ending your life" in page
    assert (
        "You are <strong>number 1</strong> in the queue."
        in seeker.get("/chat/session/live/").content.decode()
    )


def test_a_child_in_danger_is_told_to_call_emergency_services_now():
    seeker = Client()
    start_over_http(seeker, triage="child_in_danger")
    page = seeker.get("/chat/session/").content.decode()
    assert HELP_HEADING in page
    assert "If a child is in danger right now, please call your local emergency number now." in page
    assert "thoughts of ending your life" not in page


def test_without_a_triage_answer_there_is_no_crisis_box_and_no_priority():
    seeker = Client()
    start_over_http(seeker)
    assert ChatSession.objects.get().priority == 0
    assert HELP_HEADING not in seeker.get("/chat/session/").content.decode()


def test_an_unknown_triage_answer_is_refused_and_nothing_starts():
    response = start_over_http(Client(), triage="something_else")
    assert response.status_code == 400
    response = start_over_http(Client(), topic="nonsense")
    assert response.status_code == 400
    assert not ChatSession.objects.exists()


def test_the_contacts_shown_are_the_admins_for_the_chats_language_and_active_only():
    CrisisContact.objects.create(language="en", name="Anywhere line", how_to_reach="Call the anywhere line")
    CrisisContact.objects.create(
        language="en", country="Ireland", name="Irish line", how_to_reach="Open all night", order=1
    )
    CrisisContact.objects.create(language="en", name="Retired line", how_to_reach="Gone", active=False)
    CrisisContact.objects.create(language="nl", name="Dutch line", how_to_reach="Bel ons")
    seeker = Client()
    start_over_http(seeker, triage="not_safe")
    page = seeker.get("/chat/session/").content.decode()
    assert "People you can reach now" in page
    assert "Anywhere line" in page and "Call the anywhere line" in page
    assert "Irish line</strong> (Ireland)" in page
    assert page.index("Anywhere line") < page.index("Irish line")
    assert "Retired line" not in page
    assert "Dutch line" not in page

    dutch = Client()
    dutch.post("/chat/start/", {"language": "nl", "about": "", "triage": "not_safe"})
    dutch_page = dutch.get("/chat/session/").content.decode()
    assert "Dutch line" in dutch_page and "Anywhere line" not in dutch_page


def test_with_no_contacts_set_the_generic_wording_stands_alone():
    seeker = Client()
    start_over_http(seeker, triage="not_safe")
    page = seeker.get("/chat/session/").content.decode()
    assert HELP_HEADING in page and "local emergency number" in page
    assert "People you can reach now" not in page


def test_the_demo_contacts_invent_nothing_and_speak_every_language(settings):
    load_demo_crisis_contacts()
    load_demo_crisis_contacts()  # safe to run again
    for code, _name in settings.LANGUAGES:
        contacts = CrisisContact.objects.filter(language=code)
        assert contacts.count() == 2
    english = " ".join(c.how_to_reach for c in CrisisContact.objects.filter(language="en"))
    assert "112" in english and "999" in english and "911" in english


# --- priority and skills through the routing run ------------------------------------------------


def test_a_triaged_chat_started_later_is_offered_first_and_fifo_holds_within_a_priority(
    on_commit, make_staff
):
    sam = make_staff("sam", available=False, max_chats=1)
    plain = start(on_commit)
    first_urgent = start(on_commit, triage=["not_safe"])
    second_urgent = start(on_commit, triage=["child_in_danger"])
    only_available(sam)
    assert chat_actions.do_route_waiting_seekers() == [first_urgent.id]
    StaffProfile.objects.filter(pk=sam.pk).update(max_chats=3)
    assert chat_actions.do_route_waiting_seekers() == [second_urgent.id, plain.id]


def test_a_chat_needing_a_skill_goes_to_a_skilled_colleague_first(on_commit, make_staff):
    make_staff("kim", available=False, max_chats=3, idle_since=timezone.now() - timedelta(hours=1))
    lee = make_staff("lee", available=False, max_chats=3, skills=["after_arrest"])
    kim = StaffProfile.objects.get(display_name="Kim")
    chat = start(on_commit, topic="after_arrest")
    only_available(kim, lee)
    assert chat_actions.do_route_waiting_seekers() == [chat.id]
    chat.refresh_from_db()
    assert chat.offered_to_id == lee.id  # though Kim has been free longer


def test_a_chat_needing_a_skill_waits_for_one_then_goes_to_anyone(on_commit, make_staff, settings):
    settings.HELPLINE = {**settings.HELPLINE, "SKILL_WAIT_SECONDS": 120}
    kim = make_staff("kim", available=False, max_chats=3)
    arrest = start(on_commit, topic="after_arrest")
    plain = start(on_commit)
    only_available(kim)
    # Within the wait the chat needing a skill is held back, and does not hold up the one behind it.
    assert chat_actions.do_route_waiting_seekers() == [plain.id]
    later = arrest.queued_at + timedelta(seconds=60)
    presence.touch_seeker(arrest.id, later.timestamp())  # still on the page
    assert chat_actions.do_route_waiting_seekers(now=later) == []
    later = arrest.queued_at + timedelta(seconds=121)
    presence.touch_seeker(arrest.id, later.timestamp())
    assert chat_actions.do_route_waiting_seekers(now=later) == [arrest.id]
    arrest.refresh_from_db()
    assert arrest.offered_to_id == kim.id


def test_someone_else_without_a_topic_prefers_that_skill(on_commit, make_staff):
    kim = make_staff("kim", available=False, idle_since=timezone.now() - timedelta(hours=1))
    ash = make_staff("ash", available=False, skills=["someone_else"])
    chat, _token = on_commit(chat_actions.do_start_chat, "en", "someone_else")
    only_available(kim, ash)
    chat_actions.do_route_waiting_seekers()
    chat.refresh_from_db()
    assert chat.offered_to_id == ash.id


def test_skills_are_ticked_in_the_admin(make_staff, django_user_model):
    user = django_user_model.objects.create_user("new", password="a-long-test-password")
    form = StaffProfileForm(
        {
            "user": user.pk,
            "display_name": "Nat",
            "languages": ["en"],
            "skills": ["after_arrest", "young_people"],
            "interface_language": "en",
            "max_chats": 2,
        }
    )
    assert form.is_valid(), form.errors
    assert form.save().skills == ["after_arrest", "young_people"]
    assert not StaffProfileForm({**form.data, "skills": ["juggling"]}).is_valid()


# --- what staff see --------------------------------------------------------------------------


def test_staff_see_the_triage_on_the_offer_the_chat_and_the_board(on_commit, make_staff):
    sam = make_staff("sam", supervisor=True, skills=["young_people"])
    chat = start(on_commit, triage=["not_safe", "child_in_danger"], topic="young_person")
    assert chat.status == Status.OFFERED and chat.offered_to_id == sam.id
    staff = Client()
    staff.force_login(sam.user)
    console = staff.get("/staff/").content.decode()
    assert "Urgent: not safe right now, may be thinking of ending their life" in console
    assert "Urgent: a child may be in danger now" in console
    assert "A young person" in console
    pulse = staff.get("/staff/pulse/").json()
    assert pulse["offers"][0]["triage"] == [
        "Urgent: not safe right now, may be thinking of ending their life",
        "Urgent: a child may be in danger now",
    ]
    on_commit(chat_actions.do_accept_offer, chat, sam)
    console = staff.get("/staff/").content.decode()
    assert console.count("Urgent: a child may be in danger now") == 1  # the chat's header, no offer now
    board = staff.get("/staff/supervisor/").content.decode()
    assert "Urgent: a child may be in danger now" in board


def test_a_chat_without_triage_shows_no_urgent_label(on_commit, make_staff):
    sam = make_staff("sam")
    start(on_commit)
    staff = Client()
    staff.force_login(sam.user)
    assert "Urgent:" not in staff.get("/staff/").content.decode()


# --- counts ----------------------------------------------------------------------------------


def totals() -> Counter:
    return Counter(dict(DailyCount.objects.values("name").annotate(n=Sum("value")).values_list("name", "n")))


def test_triaged_chats_are_counted_per_kind_on_the_day_they_started(on_commit):
    start(on_commit, triage=["not_safe"])
    start(on_commit, triage=["not_safe", "child_in_danger"])
    start(on_commit)
    counted = totals()
    assert counted[tallies.CHATS_STARTED] == 3
    assert counted[f"{tallies.CHATS_TRIAGE}.not_safe"] == 2
    assert counted[f"{tallies.CHATS_TRIAGE}.child_in_danger"] == 1
    # Counted once, however often the chat is looked at again.
    for chat in ChatSession.objects.all():
        tallies.tally_chat(chat.id)
    assert totals() == counted


def test_the_statistics_page_shows_triaged_chats_as_a_category_with_small_counts_hidden(make_staff):
    today = timezone.localdate()
    DailyCount.objects.create(day=today, name=f"{tallies.CHATS_TRIAGE}.not_safe", value=12)
    DailyCount.objects.create(day=today, name=f"{tallies.CHATS_TRIAGE}.child_in_danger", value=2)
    supervisor = Client()
    supervisor.force_login(make_staff("alex", supervisor=True).user)
    page = supervisor.get("/staff/stats/").content.decode()
    table = page[page.index("Said at the start of a chat") :]
    assert re.search(r"Not safe right now / thinking about ending their life</t[hd]>\s*<td[^>]*>12<", table)
    assert re.search(r"A child may be in danger now</t[hd]>\s*<td[^>]*>fewer than 5<", table)
