"""The chat service's state changes, against real PostgreSQL and Redis."""

from datetime import timedelta

import pytest
from django.utils import timezone

from helpline.chat import actions as chat_actions
from helpline.chat import presence, texts
from helpline.errors import Refusal
from helpline.models import Availability, ChatSession, Message, StaffProfile, WrapUp, hash_token
from helpline.staff import actions as staff_actions

pytestmark = pytest.mark.django_db
Status = ChatSession.Status


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run on-commit work (routing, events) as it would run after a real commit."""

    def run(fn, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return fn(*args, **kwargs)

    return run


def start(on_commit, language="en"):
    chat, _token = on_commit(chat_actions.do_start_chat, language, "")
    chat.refresh_from_db()
    return chat


def answered_chat(on_commit, staff):
    chat = start(on_commit)
    assert chat.status == Status.OFFERED and chat.offered_to == staff
    on_commit(chat_actions.do_accept_offer, chat, staff)
    chat.refresh_from_db()
    return chat


def test_start_stores_only_a_hash_of_the_token(on_commit):
    chat, token = on_commit(chat_actions.do_start_chat, "en", "self")
    chat.refresh_from_db()
    assert chat.status == Status.WAITING
    assert chat.token_hash == hash_token(token)
    assert not ChatSession.objects.filter(token_hash=token).exists()
    assert len(token) >= 40


def test_start_rejects_a_language_we_do_not_offer(on_commit):
    with pytest.raises(Refusal) as error:
        chat_actions.do_start_chat("xx", "")
    assert error.value.code == "bad_language"
    assert ChatSession.objects.count() == 0


def test_a_new_seeker_is_offered_to_available_staff_at_once(on_commit, make_staff):
    sam = make_staff("sam")
    chat = start(on_commit)
    assert chat.status == Status.OFFERED
    assert chat.offered_to == sam
    assert chat.offer_expires_at > timezone.now()


def test_nobody_is_offered_a_chat_when_nobody_is_available(on_commit, make_staff):
    make_staff("sam", available=False)
    chat = start(on_commit)
    assert chat.status == Status.WAITING


def test_accepting_posts_the_confidentiality_statement_first(on_commit, make_staff):
    sam = make_staff("sam")
    chat = answered_chat(on_commit, sam)
    assert chat.status == Status.ACTIVE and chat.staff == sam and chat.answered_at
    messages = list(chat.messages.order_by("seq"))
    assert messages[0].seq == 1 and messages[0].sender == Message.Sender.SYSTEM
    assert messages[0].body == texts.CONFIDENTIALITY_STATEMENT
    assert "Sam" in messages[1].body


def test_someone_else_cannot_accept_an_offer_made_to_a_colleague(on_commit, make_staff):
    make_staff("sam")
    chat = start(on_commit)
    other = make_staff("kim")
    with pytest.raises(Refusal):
        chat_actions.do_accept_offer(chat, other)
    chat.refresh_from_db()
    assert chat.status == Status.OFFERED


def test_messages_get_consecutive_sequence_numbers(on_commit, make_staff):
    sam = make_staff("sam")
    chat = answered_chat(on_commit, sam)
    first = on_commit(chat_actions.do_send_message, chat, Message.Sender.SEEKER, "Hello, I am worried")
    second = on_commit(
        chat_actions.do_send_message, chat, Message.Sender.STAFF, "Thank you for reaching out", sam
    )
    assert second.seq == first.seq + 1
    assert list(chat.messages.values_list("seq", flat=True)) == list(range(1, second.seq + 1))


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ("", "empty_message"),
        ("   \n  ", "empty_message"),
        ("x" * 2001, "message_too_long"),
        ("hello\x00there", "bad_characters"),
        ("bell\x07", "bad_characters"),
        (None, "bad_message"),
        (["a list"], "bad_message"),
    ],
)
def test_bad_messages_are_refused_with_a_reason_and_nothing_is_stored(on_commit, make_staff, body, code):
    sam = make_staff("sam")
    chat = answered_chat(on_commit, sam)
    before = chat.messages.count()
    with pytest.raises(Refusal) as error:
        chat_actions.do_send_message(chat, Message.Sender.SEEKER, body)
    assert error.value.code == code
    assert error.value.message
    assert chat.messages.count() == before


def test_a_message_keeps_its_line_breaks_and_markup_as_text(on_commit, make_staff):
    sam = make_staff("sam")
    chat = answered_chat(on_commit, sam)
    message = on_commit(
        chat_actions.do_send_message, chat, Message.Sender.SEEKER, "line one\nline <b>two</b>\t"
    )
    assert message.body == "line one\nline <b>two</b>"


def test_a_seeker_cannot_send_before_anyone_has_joined(on_commit):
    chat = start(on_commit)
    with pytest.raises(Refusal) as error:
        chat_actions.do_send_message(chat, Message.Sender.SEEKER, "hello?")
    assert error.value.code == "chat_not_active"
    assert "keep it" in error.value.message


def test_staff_cannot_write_into_a_colleagues_chat(on_commit, make_staff):
    sam = make_staff("sam")
    kim = make_staff("kim", available=False)
    chat = answered_chat(on_commit, sam)
    with pytest.raises(Refusal):
        chat_actions.do_send_message(chat, Message.Sender.STAFF, "hi", kim)


def test_a_seeker_who_floods_the_chat_is_asked_to_slow_down(on_commit, make_staff, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "chat_message": "3/m"}
    sam = make_staff("sam")
    chat = answered_chat(on_commit, sam)
    for i in range(3):
        on_commit(chat_actions.do_send_message, chat, Message.Sender.SEEKER, f"message {i}")
    with pytest.raises(Refusal) as error:
        chat_actions.do_send_message(chat, Message.Sender.SEEKER, "one more")
    assert error.value.code == "slow_down"


def test_an_offer_not_accepted_in_time_returns_to_the_front_and_the_staff_member_is_set_away(
    on_commit, make_staff
):
    sam = make_staff("sam", max_chats=1)
    first = start(on_commit)
    sam.max_chats = 0  # so the sweep's routing does not offer it straight back
    sam.save(update_fields=["max_chats"])
    second = start(on_commit)
    assert first.status == Status.OFFERED and second.status == Status.WAITING
    later = timezone.now() + timedelta(seconds=120)
    for chat in (first, second):  # both seekers are still on the page
        presence.touch_seeker(chat.id, later.timestamp())
    presence.touch_staff(sam.id, later.timestamp())  # and Sam's console is open, just unattended
    result = on_commit(chat_actions.sweep, later)
    first.refresh_from_db()
    sam.refresh_from_db()
    assert result["offers_expired"] == 1
    assert first.status == Status.WAITING and first.offered_to is None
    assert sam.availability == Availability.AWAY
    ahead = list(ChatSession.objects.waiting().in_queue_order().values_list("id", flat=True))
    assert ahead == [first.id, second.id]


def test_when_a_staff_connection_drops_their_chats_go_back_to_the_queue_and_the_seeker_is_told(
    on_commit, make_staff
):
    sam = make_staff("sam")
    chat = answered_chat(on_commit, sam)
    chat_actions.check_in_seeker(chat)
    presence.touch_staff(sam.id, timezone.now().timestamp() - 3600)
    StaffProfile.objects.filter(pk=sam.pk).update(availability_changed_at=timezone.now() - timedelta(hours=1))
    on_commit(chat_actions.sweep)
    chat.refresh_from_db()
    sam.refresh_from_db()
    assert sam.availability == Availability.OFFLINE
    assert chat.status == Status.WAITING and chat.staff is None
    assert chat.messages.order_by("-seq").first().body == texts.REQUEUED_AFTER_DROP


def test_a_seeker_who_vanishes_from_the_queue_is_counted_as_abandoned(on_commit):
    chat = start(on_commit)
    presence.touch_seeker(chat.id, timezone.now().timestamp() - 3600)  # last seen an hour ago
    result = on_commit(chat_actions.sweep)
    chat.refresh_from_db()
    assert result["abandoned"] == 1
    assert chat.status == Status.ENDED and chat.end_reason == ChatSession.EndReason.ABANDONED


def test_a_waiting_seeker_who_checks_in_is_not_abandoned(on_commit):
    chat = start(on_commit)
    chat_actions.check_in_seeker(chat)
    on_commit(chat_actions.sweep)
    chat.refresh_from_db()
    assert chat.status == Status.WAITING


def test_leaving_the_queue_withdraws_the_offer(on_commit, make_staff):
    make_staff("sam")
    chat = start(on_commit)
    assert on_commit(chat_actions.do_leave_queue, chat)
    chat.refresh_from_db()
    assert chat.status == Status.ENDED and chat.end_reason == ChatSession.EndReason.SEEKER_LEFT_QUEUE
    assert chat.offered_to is None


def test_a_wrap_up_is_required_before_the_next_offer(on_commit, make_staff):
    sam = make_staff("sam")
    chat = answered_chat(on_commit, sam)
    on_commit(chat_actions.do_end_chat, chat, by_staff=sam)
    waiting = start(on_commit)
    assert waiting.status == Status.WAITING, "no offer while a wrap-up is due"
    chat.refresh_from_db()
    answers = chat_actions.WrapUpAnswers(
        about=WrapUp.About.SELF,
        topics=[WrapUp.Topic.THOUGHTS],
        protective_actions=[WrapUp.ProtectiveAction.THERAPY],
        heard_from=WrapUp.HeardFrom.SEARCH_WARNING,
        outcome=WrapUp.Outcome.SUBSTANTIVE,
    )
    on_commit(chat_actions.do_record_wrap_up, chat, sam, answers)
    waiting.refresh_from_db()
    assert waiting.status == Status.OFFERED and waiting.offered_to == sam


def test_transfer_to_a_colleague_offers_the_chat_to_them(on_commit, make_staff):
    sam = make_staff("sam")
    chat = answered_chat(on_commit, sam)
    kim = make_staff("kim")
    on_commit(chat_actions.do_transfer_chat, chat, sam, kim)
    chat.refresh_from_db()
    assert chat.status == Status.OFFERED and chat.offered_to == kim and chat.staff is None
    on_commit(chat_actions.do_accept_offer, chat, kim)
    chat.refresh_from_db()
    assert chat.staff == kim
    statements = [m.body for m in chat.messages.all()].count(texts.CONFIDENTIALITY_STATEMENT)
    assert statements == 1, "the statement is posted once, at the start"


def test_transfer_refuses_a_colleague_with_no_free_slot(on_commit, make_staff):
    sam = make_staff("sam")
    chat = answered_chat(on_commit, sam)
    full = make_staff("kim", max_chats=0)
    with pytest.raises(Refusal) as error:
        chat_actions.do_transfer_chat(chat, sam, full)
    assert error.value.code == "colleague_busy"
    chat.refresh_from_db()
    assert chat.status == Status.ACTIVE and chat.staff == sam


def test_transfer_back_to_the_queue_keeps_the_place(on_commit, make_staff):
    sam = make_staff("sam", max_chats=1)
    chat = answered_chat(on_commit, sam)
    staff_actions.do_set_availability(sam, Availability.AWAY)
    later = start(on_commit)
    on_commit(chat_actions.do_transfer_chat, chat, sam, None)
    assert list(ChatSession.objects.waiting().in_queue_order().values_list("id", flat=True)) == [
        chat.id,
        later.id,
    ]
    assert chat.messages.order_by("-seq").first().body == texts.REQUEUED_BY_TRANSFER


def test_escalation_is_recorded_and_decided_once(on_commit, make_staff):
    sam = make_staff("sam")
    lee = make_staff("lee", supervisor=True, available=False)
    chat = answered_chat(on_commit, sam)
    escalation = on_commit(chat_actions.do_escalate, chat, sam, "child_at_risk")
    chat.refresh_from_db()
    assert chat.escalated and escalation.is_open
    on_commit(chat_actions.do_decide_escalation, escalation, lee, "supported")
    escalation.refresh_from_db()
    assert escalation.decision == "supported" and escalation.decided_by == lee
    with pytest.raises(Refusal):
        chat_actions.do_decide_escalation(escalation, lee, "no_action")


def test_transfer_refuses_a_colleague_who_owes_a_wrap_up(on_commit, make_staff):
    kim = make_staff("kim")
    earlier = answered_chat(on_commit, kim)
    on_commit(chat_actions.do_end_chat, earlier, by_staff=kim)
    sam = make_staff("sam")
    chat = answered_chat(on_commit, sam)
    with pytest.raises(Refusal) as error:
        chat_actions.do_transfer_chat(chat, sam, kim)
    assert error.value.code == "colleague_busy"
