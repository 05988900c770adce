"""Messages in a live chat: each takes the chat's next sequence number under its row lock, is stored
encrypted and published to the chat's group on commit. Also what a chat's group hears when its state
changes."""

from __future__ import annotations

import contextlib
import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext

from config.cache import CACHE_DOWN
from helpline import events, limits
from helpline.chat import presence, texts
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
    text = clean_typed_text(
        body,
        limit=settings.HELPLINE["MESSAGE_MAX_LENGTH"],
        empty=gettext("Please type a message before sending."),
        too_long_hint=gettext("Please split it into two."),
    )
    ref_key = None
    if isinstance(client_ref, str) and 0 < len(client_ref) <= 64:
        # Hashed: a browser's ref is any short text, and a cache key must be plain characters.
        ref_key = (
            f"helpline:sent:{chat.id}:{hashlib.sha256(client_ref.encode(errors='replace')).hexdigest()[:32]}"
        )
        try:
            already = cache.get(ref_key)
        except CACHE_DOWN:  # Redis is down: store the message; a resend may show twice
            already = None
        if already is not None:
            return chat.messages.get(seq=already)
    if sender == Message.Sender.SEEKER and _over_message_limit(chat):
        raise Refusal(
            "slow_down",
            gettext("You are sending messages very quickly. Please wait a few seconds and try again."),
        )
    owner = None
    if sender == Message.Sender.STAFF:
        if staff is None:
            raise Refusal("not_your_chat", gettext("This chat is no longer with you."))
        owner = staff.id
    with transaction.atomic(durable=True):
        # One statement checks the chat is live (and the sender's), locks its row and numbers the
        # message: this is the hottest path in the service.
        seq = _next_seq(chat.pk, active=True, staff_id=owner)
        if seq is None:
            current = ChatSession.objects.get(pk=chat.pk)
            if current.status != Status.ACTIVE:
                raise Refusal("chat_not_active", _not_active_reason(current, sender))
            raise Refusal("not_your_chat", gettext("This chat is no longer with you."))
        chat.last_seq = seq
        message = _store_message(chat, seq, sender, text, staff)
        if ref_key is not None:
            key = ref_key
            transaction.on_commit(lambda: _remember_sent(key, seq))
    if sender == Message.Sender.SEEKER:
        presence.touch_seeker(chat.id, timezone.now().timestamp())  # the seeker is still here
    return message


def _remember_sent(key: str, seq: int) -> None:
    with contextlib.suppress(*CACHE_DOWN):  # the message is stored; only the memory is lost
        cache.set(key, seq, timeout=RESENT_MESSAGE_MEMORY_SECONDS)


def _over_message_limit(chat: ChatSession) -> bool:
    """A fixed-window count per chat (not per person): protects staff from floods, so it counts even
    when the per-network limits are switched off."""
    try:
        return limits.tally("chat-message", str(chat.id), settings.RATE_LIMITS["chat_message"]).exceeded
    except CACHE_DOWN:  # Redis is down: a person's message matters more than the count
        return False


def _not_active_reason(chat: ChatSession, sender: str) -> str:
    if chat.status == Status.ENDED:
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
    seq = _next_seq(chat.pk)
    assert seq is not None  # the caller holds the row
    chat.last_seq = seq
    return _store_message(chat, seq, sender, text, staff)


def _next_seq(chat_id: int, *, active: bool = False, staff_id: int | None = None) -> int | None:
    """Take the chat's next message number, locking its row until the transaction ends; None if the
    chat is not there (or, when asked, not active, or not with that staff member)."""
    table = connection.ops.quote_name(ChatSession._meta.db_table)  # a model constant, never input
    sql = f"UPDATE {table} SET last_seq = last_seq + 1 WHERE id = %s"  # noqa: S608
    params: list[int | str] = [chat_id]
    if active:
        sql += " AND status = %s"
        params.append(Status.ACTIVE)
    if staff_id is not None:
        # The chat's own staff member, or a supervisor who joined it (helpline.chat.actions.notes).
        sql += " AND (staff_id = %s OR joined_by_id = %s)"
        params += [staff_id, staff_id]
    with connection.cursor() as cursor:
        cursor.execute(sql + " RETURNING last_seq", params)
        row = cursor.fetchone()
    return row[0] if row else None


def _store_message(
    chat: ChatSession, seq: int, sender: str, text: str, staff: StaffProfile | None
) -> Message:
    message = Message.objects.create(session=chat, seq=seq, sender=sender, staff=staff, body=text)
    events.publish(chat.group_name, "chat.message", chat=chat.public_id.hex, message=message.as_event())
    return message


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
