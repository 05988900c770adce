"""Words for staff only in a live chat, and a supervisor joining one: a whisper from a supervisor, a
handover note on transfer, joining a chat as a second member of the team and leaving it again.

A note is a StaffNote, never a Message: it takes no number in the chat's sequence (which the seeker's
page catches up with) and is published only to the staff groups of the people working on the chat,
never to the chat's own group, which the seeker's socket is in."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext

from helpline import events
from helpline.chat import texts
from helpline.chat.actions.messages import append_message
from helpline.errors import Refusal
from helpline.models import ChatSession, Message, StaffNote, StaffProfile
from helpline.text_input import clean_typed_text

Status = ChatSession.Status


def clean_note(body: object, *, optional: bool = False) -> str:
    """A note's text as typed, or a Refusal saying what to change; blank is fine if the note is optional."""
    if optional and (body is None or (isinstance(body, str) and not body.strip())):
        return ""
    return clean_typed_text(
        body,
        limit=settings.HELPLINE["MESSAGE_MAX_LENGTH"],
        empty=gettext("Please type a note before sending."),
        too_long_hint=gettext("Please shorten it."),
    )


def do_whisper(chat: ChatSession, supervisor: StaffProfile, body: object) -> StaffNote:
    """A supervisor's private note into a live chat: the staff member sees it, the seeker never does.
    The caller has checked that `supervisor` supervises (the views stand behind supervisor_required)."""
    text = clean_note(body)
    with transaction.atomic(durable=True):
        locked = ChatSession.objects.select_for_update().get(pk=chat.pk)
        if locked.status != Status.ACTIVE:
            raise Refusal(
                "chat_not_active", gettext("This chat is no longer live, so the note was not sent.")
            )
        return add_note(locked, supervisor, StaffNote.Kind.WHISPER, text)


def add_note(locked: ChatSession, author: StaffProfile, kind: str, text: str) -> StaffNote:
    """Store a note on a chat whose row the caller holds, and tell the staff on it (on commit)."""
    note = StaffNote.objects.create(session=locked, author=author, kind=kind, body=text)
    announce_note(locked, note, also=(author.id,))
    return note


def announce_note(chat: ChatSession, note: StaffNote, also: tuple[int, ...] = ()) -> None:
    """Only to the staff groups of the people on the chat (and the note's author): never chat_group."""
    people = {chat.staff_id, chat.joined_by_id, chat.offered_to_id, *also} - {None}
    for profile_id in sorted(p for p in people if p is not None):
        events.publish(
            events.staff_group(profile_id), "chat.note", chat=chat.public_id.hex, note=note.as_event()
        )


def do_join_chat(chat: ChatSession, supervisor: StaffProfile) -> bool:
    """A supervisor joins a live chat as a second member of the team: the seeker is told, in the chat's
    language, and the supervisor may write in it. The chat stays its staff member's. False if they had
    joined already (nothing is said twice)."""
    with transaction.atomic(durable=True):
        locked = ChatSession.objects.select_for_update().get(pk=chat.pk)
        if locked.status != Status.ACTIVE:
            raise Refusal("chat_not_active", gettext("This chat is no longer live."))
        if locked.staff_id == supervisor.id:
            raise Refusal("own_chat", gettext("This is your own chat: you are in it already."))
        if locked.joined_by_id == supervisor.id:
            return False
        if locked.joined_by_id is not None:
            raise Refusal("already_joined", gettext("Another supervisor has joined this chat already."))
        ChatSession.objects.filter(pk=locked.pk).update(joined_by=supervisor)
        locked.joined_by = supervisor
        append_message(locked, Message.Sender.SYSTEM, texts.TEAM_MEMBER_JOINED)
    return True


def do_leave_chat(chat: ChatSession, supervisor: StaffProfile) -> bool:
    """The joined supervisor leaves; the seeker is told if the chat is still live. False if they were
    not in it (left already)."""
    with transaction.atomic(durable=True):
        locked = ChatSession.objects.select_for_update().get(pk=chat.pk)
        if locked.joined_by_id != supervisor.id:
            return False
        ChatSession.objects.filter(pk=locked.pk).update(joined_by=None)
        locked.joined_by = None
        if locked.status == Status.ACTIVE:
            append_message(locked, Message.Sender.SYSTEM, texts.TEAM_MEMBER_LEFT)
    return True


def notes_on(chat: ChatSession) -> list[StaffNote]:
    return list(chat.staff_notes.select_related("author").order_by("id"))
