"""Which chat a request may open: a seeker's by the token their browser holds, a staff member's by its id."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext

from helpline.errors import Refusal
from helpline.models import (
    ChatSession,
    StaffProfile,
    hash_token,
)
from helpline.text_input import whole_number


def access_seeker_chat(token: str | None, *, ended_too: bool = False) -> ChatSession | None:
    """The chat a seeker's token opens, or None. Only an open chat, unless `ended_too`: then also one that
    has ended, so the person can read how it ended until they leave it (helpline.chat.views.seeker).

    This keeps the promise: the token is 256 random bits held only by the browser that started the
    chat, and only its hash is stored, so no other browser can open the chat; reading it again shows
    that browser what it was already shown, and stores nothing new. The retention purge deletes the
    chat on schedule as before, and after that the token opens nothing."""
    if not token or len(token) > 200:
        return None
    chats = ChatSession.objects.all() if ended_too else ChatSession.objects.open()
    return chats.filter(token_hash=hash_token(token)).first()


def access_staff_chat(profile: StaffProfile, public_id: str, *, supervisor: bool = False) -> ChatSession:
    """A chat this staff member may read: offered to them or theirs; supervisors also live and escalated
    chats. Anything else is a 404, so nobody can learn that a chat exists."""
    try:
        chat = ChatSession.objects.select_related("staff", "offered_to", "joined_by").get(public_id=public_id)
    except (ChatSession.DoesNotExist, ValidationError, ValueError, TypeError):
        raise Http404 from None
    mine = (
        chat.staff_id == profile.id
        or (chat.status == ChatSession.Status.OFFERED and chat.offered_to_id == profile.id)
        or joined_to_help(profile, chat)
    )
    if mine or (supervisor and (chat.escalated or chat.status == ChatSession.Status.ACTIVE)):
        return chat
    raise Http404


def joined_to_help(profile: StaffProfile, chat: ChatSession) -> bool:
    """A supervisor who joined this live chat as a second member of the team (actions.notes.do_join_chat)."""
    return chat.status == ChatSession.Status.ACTIVE and chat.joined_by_id == profile.id


def may_write_in(profile: StaffProfile, chat: ChatSession) -> bool:
    """Who may send messages the seeker reads: the chat's staff member and a supervisor who joined it.
    (do_send_message checks the same in the statement that numbers the message.)"""
    return chat.status == ChatSession.Status.ACTIVE and profile.id in (chat.staff_id, chat.joined_by_id)


def transfer_target(value: object) -> StaffProfile | None:
    """The colleague a chat is passed to, from a form field or a socket frame: None (or "queue") for the
    queue's next free colleague; anything that names nobody is a Refusal the person can act on."""
    if value in (None, "", "queue"):
        return None
    colleague_id = whole_number(str(value))
    colleague = StaffProfile.objects.filter(pk=colleague_id).first() if colleague_id is not None else None
    if colleague is None:
        raise Refusal("bad_transfer", gettext("That colleague could not be found. Please choose again."))
    return colleague


def seeker_chat_language(token: str | None) -> str | None:
    """The language of the chat a seeker's token opens (open or ended), or None: one small query, so
    the pages without a language prefix can speak the chat's own language before the view looks."""
    if not token or len(token) > 200:
        return None
    return ChatSession.objects.filter(token_hash=hash_token(token)).values_list("language", flat=True).first()
