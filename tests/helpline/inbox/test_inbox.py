"""The staff inbox of secure messages: who may see it, taking a thread, replying with stock replies,
the reply target, and routing threads to staff on duty."""

import threading
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, User
from django.db import connection
from django.test import Client
from django.utils import timezone

from helpline.errors import Refusal
from helpline.inbox import actions as inbox_actions
from helpline.models import Availability, CannedResponse, DailyCount, SecureThread, StaffProfile
from helpline.staff import actions as staff_actions
from helpline.stats import tallies

pytestmark = pytest.mark.django_db(transaction=True)
WORDS = "I am worried about what I have been looking at online."


def new_thread(language="en", body=WORDS, waited=timedelta(0)) -> SecureThread:
    thread = inbox_actions.do_start_secure_thread(language, body).thread
    if waited:
        SecureThread.objects.filter(pk=thread.pk).update(awaiting_since=timezone.now() - waited)
    thread.refresh_from_db()
    return thread


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)  # tests/conftest.py: counts as having passed the second factor
    return client


def count(name: str) -> int:
    return sum(DailyCount.objects.filter(name=name).values_list("value", flat=True))


@pytest.fixture
def people(make_staff, settings):
    # Routing would hand threads out as soon as they arrive; these tests take them by hand.
    settings.HELPLINE = {**settings.HELPLINE, "SECURE_THREADS_PER_STAFF": 0}
    editor = User.objects.create_user("eddie", password="a-long-test-password")
    editor.groups.add(Group.objects.get_or_create(name="Editors")[0])
    return {
        "sam": make_staff("sam"),
        "kim": make_staff("kim"),
        "alex": make_staff("alex", supervisor=True),
        "editor": editor,
    }


# --- who may see it ------------------------------------------------------------------------------


def test_seekers_editors_and_anonymous_visitors_cannot_reach_the_inbox(people):
    thread = new_thread()
    paths = [f"/staff/inbox/{thread.public_id}/", "/staff/inbox/"]
    for path in paths:
        response = Client().get(path)
        assert response.status_code == 302 and response["Location"].startswith("/staff/login/")
        assert signed_in(people["editor"]).get(path).status_code == 403
    for action in ("take", "release", "reply"):
        assert Client().post(f"/staff/inbox/{thread.public_id}/{action}/").status_code == 302
        assert (
            signed_in(people["editor"]).post(f"/staff/inbox/{thread.public_id}/{action}/").status_code == 403
        )
    thread.refresh_from_db()
    assert thread.assigned_to is None


def test_it_rejects_the_wrong_method(people):
    thread = new_thread()
    sam = signed_in(people["sam"].user)
    assert sam.get(f"/staff/inbox/{thread.public_id}/take/").status_code == 405
    assert sam.post("/staff/inbox/").status_code == 405


def test_the_inbox_lists_threads_awaiting_a_reply_oldest_first_and_marks_overdue(people):
    older = new_thread(waited=timedelta(days=10))
    SecureThread.objects.filter(pk=older.pk).update(reply_due_at=timezone.now() - timedelta(days=2))
    newer = new_thread()
    answered = new_thread()
    inbox_actions.do_reply_to_secure_thread(answered, people["kim"], "A reply.")
    response = signed_in(people["sam"].user).get("/staff/inbox/")
    assert response.status_code == 200
    text = response.content.decode()
    assert text.index(older.ref) < text.index(newer.ref)
    assert answered.ref not in text
    assert "1 overdue" in text
    assert WORDS not in text  # the list never shows what people wrote


# --- taking and reading --------------------------------------------------------------------------


def test_words_are_shown_only_to_whoever_takes_the_thread(people):
    thread = new_thread()
    sam, kim = signed_in(people["sam"].user), signed_in(people["kim"].user)
    before = sam.get(f"/staff/inbox/{thread.public_id}/")
    assert before.status_code == 200 and WORDS not in before.content.decode()
    assert sam.post(f"/staff/inbox/{thread.public_id}/take/").status_code == 302
    assert WORDS in sam.get(f"/staff/inbox/{thread.public_id}/").content.decode()
    # A colleague cannot open it at all; a supervisor can read it.
    assert kim.get(f"/staff/inbox/{thread.public_id}/").status_code == 404
    assert WORDS in signed_in(people["alex"].user).get(f"/staff/inbox/{thread.public_id}/").content.decode()


def test_two_people_taking_the_same_thread_at_once_one_gets_it(people):
    thread = new_thread()
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def take(profile):
        try:
            barrier.wait()
            inbox_actions.do_take_secure_thread(thread, profile)
            outcomes.append("taken")
        except Refusal as error:
            outcomes.append(error.code)
        finally:
            connection.close()

    workers = [threading.Thread(target=take, args=(people[name],)) for name in ("sam", "kim")]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=30)
    assert sorted(outcomes) == ["taken", "thread_taken"]
    thread.refresh_from_db()
    assert thread.assigned_to_id in (people["sam"].id, people["kim"].id)


def test_the_second_taker_is_told_a_colleague_has_it(people):
    thread = new_thread()
    inbox_actions.do_take_secure_thread(thread, people["kim"])
    response = signed_in(people["sam"].user).post(f"/staff/inbox/{thread.public_id}/take/", follow=True)
    assert "A colleague has already taken this message" in response.content.decode()


def test_a_thread_can_be_put_back_for_a_colleague(people):
    thread = new_thread()
    sam = signed_in(people["sam"].user)
    sam.post(f"/staff/inbox/{thread.public_id}/take/")
    sam.post(f"/staff/inbox/{thread.public_id}/release/")
    thread.refresh_from_db()
    assert thread.assigned_to is None


# --- replying ------------------------------------------------------------------------------------


def test_a_reply_can_start_from_a_stock_reply_without_javascript(people):
    canned = CannedResponse.objects.create(title="Thanks", body="Thank you for writing to us.")
    thread = new_thread()
    sam = signed_in(people["sam"].user)
    sam.post(f"/staff/inbox/{thread.public_id}/take/")
    inserted = sam.post(
        f"/staff/inbox/{thread.public_id}/reply/", {"body": "Hello.", "canned": canned.pk, "insert": "1"}
    )
    assert inserted.status_code == 200
    assert "Hello.\n\nThank you for writing to us.</textarea>" in inserted.content.decode()
    assert thread.messages.count() == 1  # inserting sends nothing

    sent = sam.post(
        f"/staff/inbox/{thread.public_id}/reply/", {"body": "Hello.\n\nThank you for writing to us."}
    )
    assert sent.status_code == 302
    thread.refresh_from_db()
    assert thread.awaiting_since is None and thread.assigned_to is None
    assert [m.body for m in thread.messages.order_by("created_at", "id")][-1].startswith("Hello.")
    assert count(tallies.SECURE_ANSWERED_IN_TARGET) == 1


def test_an_empty_reply_is_refused_and_the_words_kept(people):
    thread = new_thread()
    sam = signed_in(people["sam"].user)
    sam.post(f"/staff/inbox/{thread.public_id}/take/")
    response = sam.post(f"/staff/inbox/{thread.public_id}/reply/", {"body": "   "})
    assert response.status_code == 400
    assert "Please write your message" in response.content.decode()


def test_a_reply_to_a_thread_a_colleague_took_meanwhile_is_kept_on_screen(people):
    thread = new_thread()
    inbox_actions.do_take_secure_thread(thread, people["kim"])
    response = signed_in(people["sam"].user).post(
        f"/staff/inbox/{thread.public_id}/reply/", {"body": "My careful reply."}
    )
    assert response.status_code == 409
    text = response.content.decode()
    assert "A colleague has already taken this message" in text
    assert "My careful reply.</textarea>" in text
    assert WORDS not in text
    assert thread.messages.count() == 1


def test_a_reply_to_a_thread_that_went_back_to_the_inbox_takes_it_again(people):
    thread = new_thread()
    sam = signed_in(people["sam"].user)
    sam.post(f"/staff/inbox/{thread.public_id}/take/")
    inbox_actions.do_release_secure_thread(thread, people["sam"])
    assert (
        sam.post(f"/staff/inbox/{thread.public_id}/reply/", {"body": "Here is my reply."}).status_code == 302
    )
    assert thread.messages.count() == 2


def test_a_reply_after_the_target_is_counted_as_late(people):
    thread = new_thread()
    SecureThread.objects.filter(pk=thread.pk).update(reply_due_at=timezone.now() - timedelta(minutes=1))
    inbox_actions.do_take_secure_thread(thread, people["sam"])
    inbox_actions.do_reply_to_secure_thread(thread, people["sam"], "Sorry for the wait.")
    assert count(tallies.SECURE_ANSWERED_LATE) == 1
    assert count(tallies.SECURE_ANSWERED_IN_TARGET) == 0


def test_the_target_skips_weekends_and_is_shown(people):
    thread = new_thread()
    assert thread.reply_due_at is not None
    working_days = 0
    day = timezone.localtime(thread.awaiting_since).date()
    last = timezone.localtime(thread.reply_due_at - timedelta(minutes=1)).date()
    while day < last:
        day += timedelta(days=1)
        working_days += day.weekday() < 5
    assert working_days == 3
    text = signed_in(people["sam"].user).get("/staff/inbox/").content.decode()
    assert "Our target is a reply within 3 working days" in text


# --- routing -------------------------------------------------------------------------------------


def test_threads_are_routed_to_staff_on_duty_who_write_the_language(make_staff, settings):
    settings.HELPLINE = {**settings.HELPLINE, "SECURE_THREADS_PER_STAFF": 2}
    sam = make_staff("sam", languages=["en"])
    make_staff("kim", languages=["de"], available=False)
    threads = [new_thread(waited=timedelta(hours=n)) for n in (3, 2, 1)]
    german = new_thread("de")
    # Routing already ran on each arrival (eager Celery): the two longest-waiting English ones are Sam's.
    assigned = dict(SecureThread.objects.values_list("id", "assigned_to"))
    assert sorted(t.id for t in threads if assigned[t.id] == sam.id) == sorted([threads[0].id, threads[1].id])
    assert assigned[threads[2].id] is None
    assert assigned[german.id] is None  # nobody on duty writes German


def test_threads_held_by_someone_who_went_offline_go_back_to_the_inbox(make_staff, settings):
    settings.HELPLINE = {**settings.HELPLINE, "SECURE_THREADS_PER_STAFF": 0}
    sam = make_staff("sam")
    thread = new_thread()
    inbox_actions.do_take_secure_thread(thread, sam)
    staff_actions.do_set_availability(sam, Availability.OFFLINE)  # end of shift
    assert inbox_actions.do_release_threads_of_offline_staff() == 0  # a short break or a blip: keep it
    assert inbox_actions.do_release_threads_of_offline_staff(timezone.now() + timedelta(minutes=31)) == 1
    thread.refresh_from_db()
    assert thread.assigned_to is None


def test_someone_working_the_inbox_while_offline_for_chats_keeps_what_they_took(make_staff, settings):
    settings.HELPLINE = {**settings.HELPLINE, "SECURE_THREADS_PER_STAFF": 0}
    sam = make_staff("sam", available=False)
    StaffProfile.objects.filter(pk=sam.pk).update(availability_changed_at=timezone.now() - timedelta(hours=2))
    thread = new_thread()
    inbox_actions.do_take_secure_thread(thread, sam)
    assert inbox_actions.do_release_threads_of_offline_staff(timezone.now() + timedelta(hours=3)) == 0
    assert inbox_actions.do_release_threads_of_offline_staff(timezone.now() + timedelta(hours=25)) == 1


def test_an_answered_thread_cannot_be_taken(people):
    thread = new_thread()
    inbox_actions.do_take_secure_thread(thread, people["kim"])
    inbox_actions.do_reply_to_secure_thread(thread, people["kim"], "Our reply.")
    with pytest.raises(Refusal) as refused:
        inbox_actions.do_take_secure_thread(thread, people["sam"])
    assert refused.value.code == "thread_answered"
    page = signed_in(people["sam"].user).get(f"/staff/inbox/{thread.public_id}/").content.decode()
    assert "Take and read" not in page and "Our reply." not in page
