"""Group commit: messages sent at about the same moment are written in one transaction, each numbered,
checked and answered as if it came alone, and nobody hears "sent" (or receives the message) before it
is committed."""

import asyncio
import threading

import pytest
from channels.db import database_sync_to_async
from django.db import OperationalError, connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from helpline import events
from helpline.chat import actions as chat_actions
from helpline.chat import group_commit as group_commit_module
from helpline.chat.actions import messages as message_actions
from helpline.chat.actions.messages import Outgoing
from helpline.errors import Refusal
from helpline.models import ChatSession, Message, StaffProfile
from helpline.staff.models import Availability
from tests.helpline.chat.test_consumers import TIMEOUT, receive_until, seeker_socket

pytestmark = pytest.mark.django_db(transaction=True)


def live_chat(staff, language="en"):
    """A chat live with `staff`: the only one available while it starts, so it is offered to them."""
    StaffProfile.objects.exclude(pk=staff.pk).update(availability=Availability.OFFLINE)
    StaffProfile.objects.filter(pk=staff.pk).update(availability=Availability.AVAILABLE)
    chat, token = chat_actions.do_start_chat(language, "")
    chat = ChatSession.objects.get(pk=chat.pk)
    chat_actions.do_accept_offer(chat, staff)
    return ChatSession.objects.get(pk=chat.pk), token


def stored(answers) -> list[Message]:
    """The answers, each a stored message (a refusal or an error fails the test here, by name)."""
    assert all(isinstance(answer, Message) for answer in answers), answers
    return list(answers)


def refused(answers) -> list[Refusal]:
    assert all(isinstance(answer, Refusal) for answer in answers), answers
    return list(answers)


def bodies(chat):
    return [(m.seq, m.sender, m.body) for m in Message.objects.filter(session=chat).order_by("seq")]


@pytest.fixture
def sam(make_staff):
    return make_staff("sam", display_name="Sam")


def test_a_batch_numbers_each_chats_messages_in_the_order_they_came(sam, make_staff):
    kim = make_staff("kim", display_name="Kim")
    first, _ = live_chat(sam)
    second, _ = live_chat(kim)
    start_first, start_second = first.last_seq, second.last_seq
    with events.collected() as published:
        answers = chat_actions.do_send_messages(
            [
                Outgoing(first, Message.Sender.SEEKER, "one"),
                Outgoing(second, Message.Sender.SEEKER, "alpha"),
                Outgoing(first, Message.Sender.STAFF, "two", staff=sam),
                Outgoing(second, Message.Sender.STAFF, "beta", staff=kim),
                Outgoing(first, Message.Sender.SEEKER, "three"),
            ]
        )
    assert [answer.seq for answer in stored(answers)] == [
        start_first + 1,
        start_second + 1,
        start_first + 2,
        start_second + 2,
        start_first + 3,
    ]
    assert bodies(first)[-3:] == [
        (start_first + 1, "seeker", "one"),
        (start_first + 2, "staff", "two"),
        (start_first + 3, "seeker", "three"),
    ]
    assert ChatSession.objects.get(pk=first.pk).last_seq == start_first + 3
    assert ChatSession.objects.get(pk=second.pk).last_seq == start_second + 2
    # Each message is published once, after the commit, in the order of its chat's numbers.
    told = [
        (group, event["message"]["body"]) for group, event in published if event["type"] == "chat.message"
    ]
    assert told == [
        (first.group_name, "one"),
        (second.group_name, "alpha"),
        (first.group_name, "two"),
        (second.group_name, "beta"),
        (first.group_name, "three"),
    ]


def test_one_refused_message_costs_the_others_nothing_and_leaves_no_gap(sam, make_staff):
    kim = make_staff("kim", display_name="Kim")
    live, _ = live_chat(sam)
    ended, _ = live_chat(sam)
    chat_actions.do_end_chat(ended)
    before = live.last_seq
    with translation.override("en"):
        answers = chat_actions.do_send_messages(
            [
                Outgoing(live, Message.Sender.SEEKER, "   "),  # nothing typed
                Outgoing(ended, Message.Sender.SEEKER, "too late"),
                Outgoing(live, Message.Sender.STAFF, "not mine", staff=kim),
                Outgoing(live, Message.Sender.SEEKER, "I am still here."),
            ]
        )
    empty, too_late, not_mine = refused(answers[:3])
    (kept,) = stored(answers[3:])
    assert "type a message" in empty.message
    assert too_late.code == "chat_not_active"
    assert not_mine.code == "not_your_chat"
    assert kept.seq == before + 1  # numbered after the refusals as if they were never sent
    assert bodies(live)[-1] == (before + 1, "seeker", "I am still here.")
    assert not Message.objects.filter(session=ended, body="too late").exists()


def test_a_refusal_in_a_batch_is_in_its_own_senders_language(sam):
    chat, _ = live_chat(sam)
    answers = chat_actions.do_send_messages(
        [
            Outgoing(chat, Message.Sender.SEEKER, "", language="nl"),
            Outgoing(chat, Message.Sender.SEEKER, "", language="en"),
        ]
    )
    with translation.override("nl"):
        dutch = translation.gettext("Please type a message before sending.")
    assert dutch != "Please type a message before sending."
    assert [answer.message for answer in refused(answers)] == [dutch, "Please type a message before sending."]


def test_the_same_message_twice_in_one_batch_is_stored_once(sam):
    chat, _ = live_chat(sam)
    answers = chat_actions.do_send_messages(
        [
            Outgoing(chat, Message.Sender.SEEKER, "Is anyone there?", client_ref="m1"),
            Outgoing(chat, Message.Sender.SEEKER, "Is anyone there?", client_ref="m1"),
        ]
    )
    first, second = stored(answers)
    assert first.seq == second.seq
    assert [body for _, _, body in bodies(chat)].count("Is anyone there?") == 1


def test_a_batch_is_one_transaction_of_three_statements(sam):
    chat, _ = live_chat(sam)
    outgoing = [Outgoing(chat, Message.Sender.SEEKER, f"line {n}") for n in range(20)]
    with CaptureQueriesContext(connection) as queries:
        chat_actions.do_send_messages(outgoing)
    statements = [q["sql"] for q in queries.captured_queries]
    assert statements[0] == "BEGIN" and statements[-1] == "COMMIT"  # one transaction
    lock, number, insert = statements[1:-1]
    assert lock.startswith("SELECT") and lock.endswith("FOR UPDATE")
    assert number.startswith("UPDATE")
    assert insert.startswith('INSERT INTO "helpline_message"')
    assert len(bodies(chat)) >= 20


def test_when_the_batch_fails_each_message_is_written_alone(sam, monkeypatch):
    chat, _ = live_chat(sam)
    real_bulk_create = Message.objects.bulk_create
    calls = []

    def failing_once_for_many(objs, *args, **kwargs):
        calls.append(len(objs))
        if len(objs) > 1:
            raise OperationalError("deadlock detected")
        return real_bulk_create(objs, *args, **kwargs)

    monkeypatch.setattr(Message.objects, "bulk_create", failing_once_for_many)
    with events.collected() as published:
        answers = chat_actions.do_send_messages(
            [Outgoing(chat, Message.Sender.SEEKER, word) for word in ("one", "two", "three")]
        )
    assert calls == [3]  # the batch failed; each was then written alone
    assert [answer.body for answer in stored(answers)] == ["one", "two", "three"]
    assert [body for _, _, body in bodies(chat)][-3:] == ["one", "two", "three"]
    seqs = [answer.seq for answer in stored(answers)]
    assert seqs == sorted(seqs) and len(set(seqs)) == 3
    # The failed batch published nothing: each message is heard once.
    assert [e["message"]["body"] for _, e in published if e["type"] == "chat.message"] == [
        "one",
        "two",
        "three",
    ]


async def test_seekers_sending_at_once_share_commits_and_each_hears_sent(make_staff, monkeypatch):
    batch_sizes = []
    real = message_actions.do_send_messages

    def recording(outgoing):
        batch_sizes.append(len(outgoing))
        return real(outgoing)

    monkeypatch.setattr(chat_actions, "do_send_messages", recording)
    staff = [await database_sync_to_async(make_staff)(f"s{n}") for n in range(4)]
    chats = []
    for member in staff:
        for _ in range(3):
            chats.append(await database_sync_to_async(live_chat)(member))
    sockets = [await seeker_socket(token) for _, token in chats]
    for number, socket in enumerate(sockets):
        await socket.send_json_to({"type": "message", "body": f"message {number}", "ref": f"r{number}"})
    for number, socket in enumerate(sockets):
        sent = await receive_until(socket, "sent", ref=f"r{number}")
        chat, _ = chats[number]
        stored = await database_sync_to_async(Message.objects.get)(session=chat, seq=sent["seq"])
        assert stored.body == f"message {number}"
    assert sum(batch_sizes) == len(sockets)
    assert len(batch_sizes) < len(sockets)  # some messages shared a commit
    for socket in sockets:
        await socket.disconnect()


async def test_nobody_hears_sent_or_the_message_before_it_is_committed(sam, monkeypatch):
    chat, token = await database_sync_to_async(live_chat)(sam)
    release = threading.Event()
    writing = threading.Event()
    real = message_actions._write_together

    def held(batch):
        writing.set()
        assert release.wait(10)
        return real(batch)

    monkeypatch.setattr(message_actions, "_write_together", held)
    seeker = await seeker_socket(token)
    await receive_until(seeker, "state")
    await seeker.send_json_to({"type": "message", "body": "Hello?", "ref": "h1"})
    assert await asyncio.get_running_loop().run_in_executor(None, writing.wait, TIMEOUT)
    # Held before its commit: no "sent", no echo of the message, nothing in the database.
    assert await seeker.receive_nothing(timeout=0.5)
    assert not await database_sync_to_async(Message.objects.filter(session=chat, body="Hello?").exists)()
    release.set()
    sent = await receive_until(seeker, "sent", ref="h1")
    assert await database_sync_to_async(Message.objects.filter(session=chat, seq=sent["seq"]).exists)()
    await seeker.disconnect()


def test_the_flood_limit_counts_every_message_of_a_batch(sam, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "chat_message": "3/m"}
    chat, _ = live_chat(sam)
    answers = chat_actions.do_send_messages(
        [Outgoing(chat, Message.Sender.SEEKER, f"line {n}") for n in range(5)]
        + [Outgoing(chat, Message.Sender.STAFF, "Staff are never slowed down.", staff=sam)]
    )
    assert [isinstance(answer, Message) for answer in answers] == [True, True, True, False, False, True]
    assert {answer.code for answer in answers if isinstance(answer, Refusal)} == {"slow_down"}
    # The next message in the same minute is refused too: the batch's count was kept.
    with pytest.raises(Refusal):
        chat_actions.do_send_message(chat, Message.Sender.SEEKER, "one more")


async def test_messages_waiting_when_a_writer_is_cancelled_are_written_by_the_other(monkeypatch):
    release = asyncio.Event()

    async def slow_write(threads, func, outgoing, answer_first):
        await release.wait()
        answers = [f"stored {item.body}" for item in outgoing]
        answer_first(answers)
        return answers

    monkeypatch.setattr(group_commit_module, "run_action_in", slow_write)
    commit = group_commit_module.GroupCommit()
    unsaved = ChatSession()  # never reaches the database: the write is the stand-in above
    first = asyncio.ensure_future(commit.send(unsaved, Message.Sender.SEEKER, "one"))
    await asyncio.sleep(0.05)  # the first writer has taken "one" and is writing
    second = asyncio.ensure_future(commit.send(unsaved, Message.Sender.SEEKER, "two"))
    await asyncio.sleep(0.05)  # a second writer has taken "two"
    third = asyncio.ensure_future(commit.send(unsaved, Message.Sender.SEEKER, "three"))
    await asyncio.sleep(0.05)  # both writers busy: "three" waits
    assert len(commit.writers) == 2 and len(commit.waiting) == 1
    cancelled = next(iter(commit.writers))
    cancelled.cancel()
    await asyncio.sleep(0.05)
    release.set()
    # The other writer takes what was waiting, and the cancelled writer's batch, and writes them.
    results = await asyncio.wait_for(asyncio.gather(first, second, third), TIMEOUT)
    assert sorted(str(result) for result in results) == ["stored one", "stored three", "stored two"]


def test_a_seeker_is_marked_present_by_a_message_from_the_page_but_not_again_by_one_over_a_socket(
    sam, monkeypatch
):
    """A socket's web process checks its seeker in while it is open (waiting_room); a message without
    JavaScript (a form post) is the page's only sign of life, so it checks the seeker in itself."""
    chat, _ = live_chat(sam)
    checked_in: list[set[int]] = []
    monkeypatch.setattr(
        message_actions.presence, "touch_seekers", lambda ids, now: checked_in.append(set(ids))
    )

    stored(
        chat_actions.do_send_messages(
            [Outgoing(chat, Message.Sender.SEEKER, "over the socket", over_socket=True)]
        )
    )
    assert checked_in == []
    stored(
        chat_actions.do_send_messages([Outgoing(chat, Message.Sender.SEEKER, "from a form, no JavaScript")])
    )
    assert checked_in == [{chat.id}]
