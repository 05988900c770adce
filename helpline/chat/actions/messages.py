"""Messages in a live chat: each takes the chat's next sequence number under its row lock, is stored
encrypted and published to the chat's group on commit. Also what a chat's group hears when its state
changes."""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, transaction
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext

from config.cache import CACHE_DOWN
from helpline import events, limits
from helpline.chat import presence, texts
from helpline.chat.actions import message_statements as statements
from helpline.errors import Refusal
from helpline.models import (
    ChatSession,
    Message,
    StaffProfile,
)
from helpline.staff.models import display_name_of
from helpline.text_input import clean_typed_text

Status = ChatSession.Status
RESENT_MESSAGE_MEMORY_SECONDS = 10 * 60


@dataclass(eq=False)  # each is itself: two people can send the same words to the same chat
class Outgoing:
    """One message someone has just sent, on its way to the database. `language` is the one its
    sender's page speaks, for a refusal's words when it is written among others' messages."""

    chat: ChatSession
    sender: str
    body: object
    staff: StaffProfile | None = None
    client_ref: object = None
    language: str | None = None
    # Sent over a socket, whose web process checks its seeker in while it is open (waiting_room): the
    # message need not do so as well (a Redis round trip per batch, on the sender's path).
    over_socket: bool = False


@dataclass
class _Checked:
    outgoing: Outgoing
    text: str
    ref_key: str | None


def do_send_message(
    chat: ChatSession,
    sender: str,
    body: object,
    staff: StaffProfile | None = None,
    client_ref: object = None,
) -> Message:
    """Write the message to the database first, then fan it out with its sequence number.

    A browser that lost its connection before hearing "sent" sends the same message again with the
    same `client_ref`; the message already stored is returned instead of being posted twice.
    """
    (answer,) = do_send_messages([Outgoing(chat, sender, body, staff, client_ref)])
    if isinstance(answer, Exception):
        raise answer
    return answer


def do_send_messages(outgoing: Sequence[Outgoing]) -> list[Message | Exception]:
    """Write messages sent at about the same moment in one transaction, with one durable commit (a web
    process's sockets hand theirs over together: helpline.chat.group_commit), and publish each on
    commit. Each is checked and numbered exactly as if it came alone; a refusal (an empty message, a
    chat that has ended) is that message's answer, in its sender's language, and costs the others
    nothing. Answers come in the order asked. Redis is asked once per step for the whole batch (resends,
    the flood limit, then the resend memory and presence), not once per message."""
    answers: list[Message | Exception | None] = [None] * len(outgoing)
    typed: list[tuple[int, _Checked]] = []
    for index, item in enumerate(outgoing):
        try:
            with _speaking(item.language):
                typed.append((index, _Checked(item, _typed_text(item), _resend_key(item))))
        except Refusal as refusal:
            answers[index] = refusal
    already = _already_stored([checked.ref_key for _, checked in typed if checked.ref_key])
    fresh: list[tuple[int, _Checked]] = []
    for index, checked in typed:
        if checked.ref_key in already:  # sent again after a lost "sent": the one already stored
            answers[index] = checked.outgoing.chat.messages.get(seq=already[checked.ref_key])
        else:
            fresh.append((index, checked))
    too_fast = _over_message_limit([checked.outgoing for _, checked in fresh])
    to_write: list[tuple[int, _Checked]] = []
    for index, checked in fresh:
        if checked.outgoing in too_fast:
            with _speaking(checked.outgoing.language):
                answers[index] = Refusal(
                    "slow_down",
                    gettext(
                        "You are sending messages very quickly. Please wait a few seconds and try again."
                    ),
                )
        else:
            to_write.append((index, checked))
    if to_write:
        try:
            written = _write_together([checked for _, checked in to_write])
        except DatabaseError:
            if len(to_write) == 1:
                raise
            # Something in the batch failed (a deadlock with another transaction, say): the whole
            # transaction rolled back, so nothing was stored or published. Each message alone then, so
            # that one message's trouble is that message's answer only.
            written = [_written_alone(checked) for _, checked in to_write]
        for (index, _), answer in zip(to_write, written, strict=True):
            answers[index] = answer
        _after_commit([checked for _, checked in to_write], written)
    done = [answer for answer in answers if answer is not None]
    assert len(done) == len(outgoing)  # every message has its answer, in order
    return done


def _written_alone(checked: _Checked) -> Message | Exception:
    try:
        return _write_together([checked])[0]
    except DatabaseError as error:
        return error


def _typed_text(item: Outgoing) -> str:
    """The message as it will be stored, or a Refusal: nothing typed, too long, or no sender."""
    text = clean_typed_text(
        item.body,
        limit=settings.HELPLINE["MESSAGE_MAX_LENGTH"],
        empty=gettext("Please type a message before sending."),
        too_long_hint=gettext("Please split it into two."),
    )
    if item.sender == Message.Sender.STAFF and item.staff is None:
        raise Refusal("not_your_chat", gettext("This chat is no longer with you."))
    return text


def _resend_key(item: Outgoing) -> str | None:
    if not (isinstance(item.client_ref, str) and 0 < len(item.client_ref) <= 64):
        return None
    # Hashed: a browser's ref is any short text, and a cache key must be plain characters.
    digest = hashlib.sha256(item.client_ref.encode(errors="replace")).hexdigest()[:32]
    return f"helpline:sent:{item.chat.id}:{digest}"


def _already_stored(ref_keys: list[str]) -> dict[str, int]:
    """The sequence numbers of messages stored under these resend keys, if any."""
    if not ref_keys:
        return {}
    try:
        return cache.get_many(ref_keys)
    except CACHE_DOWN:  # Redis is down: store the message; a resend may show twice
        return {}


def _over_message_limit(outgoing: list[Outgoing]) -> set[Outgoing]:
    """Seekers' messages past the per-chat flood limit: a fixed-window count per chat (not per person),
    which protects staff from floods, so it counts even when the per-network limits are switched off."""
    seekers = [item for item in outgoing if item.sender == Message.Sender.SEEKER]
    if not seekers:
        return set()
    try:
        windows = limits.tally_many(
            "chat-message", [str(item.chat.id) for item in seekers], settings.RATE_LIMITS["chat_message"]
        )
    except CACHE_DOWN:  # Redis is down: a person's message matters more than the count
        return set()
    return {item for item, window in zip(seekers, windows, strict=True) if window.exceeded}


def _after_commit(batch: list[_Checked], written: list[Message | Exception]) -> None:
    """Remember each stored message's resend key, and that its seeker is still here (presence; a
    socket's seeker is checked in by its web process already)."""
    stored = [
        (checked, answer)
        for checked, answer in zip(batch, written, strict=True)
        if isinstance(answer, Message)
    ]
    remembered = {checked.ref_key: answer.seq for checked, answer in stored if checked.ref_key}
    seekers_here = {
        checked.outgoing.chat.id
        for checked, _ in stored
        if checked.outgoing.sender == Message.Sender.SEEKER and not checked.outgoing.over_socket
    }
    with contextlib.suppress(*CACHE_DOWN):  # the messages are stored; only the memory is lost
        if remembered:
            cache.set_many(remembered, timeout=RESENT_MESSAGE_MEMORY_SECONDS)
        if seekers_here:
            presence.touch_seekers(seekers_here, timezone.now().timestamp())


def _write_together(batch: list[_Checked]) -> list[Message | Exception]:
    """Lock the chats, number the messages in the order they came, store them: three statements and
    one commit however many there are."""
    if len(batch) == 1:
        return [_write_one(batch[0])]
    answers: list[Message | Exception] = []
    stored: list[Message] = []
    with transaction.atomic(durable=True):
        rows = statements.lock_chats(sorted({checked.outgoing.chat.pk for checked in batch}))
        last_seq: dict[int, int] = {}
        by_ref: dict[str, Message] = {}
        for checked in batch:
            item = checked.outgoing
            if checked.ref_key is not None and checked.ref_key in by_ref:
                answers.append(by_ref[checked.ref_key])  # sent twice in one batch: stored once
                continue
            row = rows.get(item.chat.pk)
            with _speaking(item.language):
                refusal = _refusal_for(row, item)
            if refusal is not None:
                answers.append(refusal)
                continue
            assert row is not None  # a chat that is gone is refused above
            chat_id = item.chat.pk
            seq = last_seq[chat_id] = last_seq.get(chat_id, row.last_seq) + 1
            item.chat.last_seq = seq
            message = Message(
                session=item.chat, seq=seq, sender=item.sender, staff=item.staff, body=checked.text
            )
            answers.append(message)
            stored.append(message)
            if checked.ref_key is not None:
                by_ref[checked.ref_key] = message
        if stored:
            statements.number_chats(last_seq)
            Message.objects.bulk_create(stored)
            for message in stored:
                _publish(message)
    return answers


def _write_one(checked: _Checked) -> Message | Exception:
    """A message that came alone, as a quiet chat's do: one statement (on PostgreSQL) checks that the
    chat is live (and the sender's), numbers the message and stores it, and commits."""
    item = checked.outgoing
    owner = item.staff.id if item.sender == Message.Sender.STAFF and item.staff is not None else None
    stored = statements.number_and_store(item.chat, item.sender, checked.text, item.staff, owner)
    if stored is None:
        with _speaking(item.language):
            refusal = _refusal_for(ChatSession.objects.filter(pk=item.chat.pk).first(), item)
        assert refusal is not None  # the same conditions as the statement's
        return refusal
    _publish(stored)
    return stored


def _refusal_for(row: ChatSession | statements.ChatRow | None, item: Outgoing) -> Refusal | None:
    """Why this message cannot go into the chat as it stands now (locked), or None."""
    status = row.status if row is not None else Status.ENDED
    if status != Status.ACTIVE:
        return Refusal("chat_not_active", _not_active_reason(status, item.sender))
    if item.sender == Message.Sender.STAFF:
        # The chat's own staff member, or a supervisor who joined it (helpline.chat.actions.notes).
        owner = item.staff.id if item.staff is not None else None
        if row is None or owner is None or owner not in (row.staff_id, row.joined_by_id):
            return Refusal("not_your_chat", gettext("This chat is no longer with you."))
    return None


def _speaking(language: str | None) -> contextlib.AbstractContextManager[object]:
    return translation.override(language) if language else contextlib.nullcontext()


def _not_active_reason(status: str, sender: str) -> str:
    if status == Status.ENDED:
        return gettext("This chat has ended, so the message was not sent.")
    if sender == Message.Sender.SEEKER:
        return gettext(
            "Nobody has joined the chat yet, so your message was not sent. "
            "Please keep it and send it when someone joins."
        )
    return gettext("This chat is not active.")


def append_message(
    chat: ChatSession, sender: str, text: str | Promise, staff: StaffProfile | None = None
) -> Message:
    """Add a message to a chat whose row the caller has locked, and publish it on commit. The service's
    own words (marked, lazy) are stored as the chat's language says them, whoever posts them: a request
    in another language, a staff page, a Celery task or the housekeeping sweep."""
    if isinstance(text, Promise):
        text = texts.in_language(chat.language, text)
    seq = statements.next_seq(chat.pk)
    assert seq is not None  # the caller holds the row
    chat.last_seq = seq
    return _store_message(chat, seq, sender, text, staff)


def _store_message(
    chat: ChatSession, seq: int, sender: str, text: str, staff: StaffProfile | None
) -> Message:
    message = Message.objects.create(session=chat, seq=seq, sender=sender, staff=staff, body=text)
    _publish(message)
    return message


def _publish(message: Message) -> None:
    chat = message.session
    events.publish(chat.group_name, "chat.message", chat=chat.public_id.hex, message=message.as_event())


def do_typing(chat: ChatSession, sender: str) -> None:
    """Typing indicators are fleeting: published at once, never stored."""
    events.send_now(chat.group_name, {"type": "chat.typing", "chat": chat.public_id.hex, "sender": sender})


# --- event helpers --------------------------------------------------------------------------


def announce_state(chat: ChatSession) -> None:
    events.publish(
        chat.group_name, "chat.state", chat=chat.public_id.hex, status=chat.status, staff=staff_name(chat)
    )


def staff_name(chat: ChatSession) -> str:
    """The name the seeker sees of who is with them now: blank unless the chat is live."""
    if chat.status != Status.ACTIVE or not chat.staff_id:
        return ""
    return display_name_of(StaffProfile.objects.only("display_name").get(pk=chat.staff_id))
