"""What a seeker does with a chat: start one (within opening hours and the queue's room), leave the queue,
and check in while the page is open."""

from __future__ import annotations

import secrets
from collections.abc import Collection
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from helpline import events, limits
from helpline.chat import presence, triage
from helpline.chat.actions.messages import announce_state
from helpline.errors import Refusal
from helpline.hours import schedules
from helpline.jobs import request_routing
from helpline.models import (
    Campaign,
    ChatSession,
    hash_token,
)
from helpline.stats import tallies

Status = ChatSession.Status


def do_start_chat(
    language: str,
    about: str,
    campaign: Campaign | None = None,
    *,
    triage_answers: Collection[str] = (),
    topic: str = "",
) -> tuple[ChatSession, str]:
    """A new waiting chat and the token that finds it again (only its hash is stored). A chat started
    during a visit through a partner's link carries the campaign until its figures are counted. A triage
    answer ("not safe right now", "a child may be in danger now") raises its priority
    (helpline.chat.triage)."""
    languages = {code for code, _ in settings.LANGUAGES}
    if language not in languages:
        raise Refusal("bad_language", gettext("Please choose a language from the list."))
    if about not in ChatSession.About.values:
        raise Refusal("bad_choice", gettext("Please choose one of the options, or leave it blank."))
    triage.check_answers(triage_answers, topic)
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        chat = ChatSession.objects.create(
            token_hash=hash_token(token),
            language=language,
            about=about,
            campaign=campaign,
            **triage.start_fields(triage_answers, topic),
        )
        tallies.tally_chat(chat.id)
        request_routing()
    presence.touch_seeker(chat.id, timezone.now().timestamp())
    return chat, token


def do_leave_queue(chat: ChatSession) -> bool:
    """The seeker leaves before anyone joined. True if they were still waiting."""
    with transaction.atomic():
        offered_to = chat.offered_to_id
        left = (
            ChatSession.objects.filter(pk=chat.pk, status__in=[Status.WAITING, Status.OFFERED]).update(
                status=Status.ENDED,
                end_reason=ChatSession.EndReason.SEEKER_LEFT_QUEUE,
                ended_at=timezone.now(),
                offered_to=None,
                offer_expires_at=None,
            )
            == 1
        )
        if left:
            chat.refresh_from_db()
            tallies.tally_chat(chat.id)
            if offered_to:
                events.publish(events.staff_group(offered_to), "offer.withdrawn", chat=chat.public_id.hex)
            announce_state(chat)
            request_routing()
    presence.forget_seeker(chat.id)
    return left


def check_in_seeker(chat: ChatSession) -> None:
    """The seeker's page or socket is still there (no database write)."""
    presence.touch_seeker(chat.id, timezone.now().timestamp())


def seeker_departed(chat_id: int) -> None:
    """A web process's last socket for this chat closed: if no new one opens soon, staff see the seeker
    as gone and an offer of their chat is withdrawn (do_withdraw_offers_to_departed).

    Another process may still hold a socket of theirs (a second tab, or a reload that reconnected there
    first), and it checks them in only every PRESENCE_SECONDS: long enough for staff to see "Seeker has
    left", and close the chat as such, while the person is still typing. So the chat's group hears of it,
    with the moment noted, and each socket still open for the chat checks its seeker in at once, at a
    moment after that one: it wins even if the other host's clock is behind this one's."""
    left_at = timezone.now().timestamp()
    presence.seeker_departed(chat_id, left_at)
    chat = ChatSession.objects.only("public_id").filter(pk=chat_id).first()
    if chat is not None:
        events.send_now(chat.group_name, {"type": "seeker.departed", "at": left_at})


def check_in_seekers(chat_ids: list[int], not_before: float = 0.0) -> None:
    """Seekers whose sockets are open in a web process are still there (one batched cache write), as
    of now, or just after `not_before` if this host's clock is behind that."""
    presence.touch_seekers(chat_ids, max(timezone.now().timestamp(), not_before + 0.001))


def do_start_chat_if_open(
    language: str,
    about: str,
    now: datetime | None = None,
    campaign: Campaign | None = None,
    *,
    triage_answers: Collection[str] = (),
    topic: str = "",
) -> tuple[ChatSession, str]:
    """do_start_chat, if live chat in that language is taking new chats and the queue has room.
    A refusal is counted (turned away: closed or full); the words offer the secure-message route."""
    now = now or timezone.now()
    if language in dict(settings.LANGUAGES) and about in ChatSession.About.values:
        state = schedules.opening_state(language, now)
        if not state.taking_new_chats:
            tallies.turned_away(tallies.TURNED_AWAY_CLOSED, now, language)
            raise Refusal("closed", schedules.closed_words(language, state))
        limit = settings.HELPLINE["QUEUE_LIMIT"]
        if limit and ChatSession.objects.waiting().count() >= limit:
            tallies.turned_away(tallies.TURNED_AWAY_FULL, now, language)
            raise Refusal(
                "full",
                gettext(
                    "So many people are waiting right now that we cannot add anyone else to the queue. "
                    "Please try again a little later, or write us a secure message instead."
                ),
            )
        surge = limits.service_surge()
        if surge:
            tallies.turned_away(tallies.TURNED_AWAY_FULL, now, language)
            raise Refusal("full", surge)
    return do_start_chat(language, about, campaign, triage_answers=triage_answers, topic=topic)


def note_closed_visit(now: datetime | None = None, language: str | None = None) -> None:
    """Someone opened the chat page while no live chat was taking new chats: one "turned away: closed".
    (Without any identity we cannot tell a reload from a new person; the stats page says so.)"""
    tallies.turned_away(tallies.TURNED_AWAY_CLOSED, now, language)
