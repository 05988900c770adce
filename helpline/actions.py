"""Every change to the chat service's state. Views, sockets and tasks call these and nothing else.

Each action writes inside a transaction and publishes its events on commit (helpline.events).
Claims use a conditional update that must change exactly one row, so two workers or two clicks
can never both take the same chat.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from helpline import events, limits, selectors
from helpline.chat import presence, routing, texts
from helpline.hours import schedules
from helpline.inbox import passphrases, queries
from helpline.models import (
    Availability,
    CannedResponse,
    ChatSession,
    Escalation,
    Message,
    SecureMessage,
    SecureThread,
    StaffProfile,
    WrapUp,
    hash_token,
)
from helpline.stats import tallies

logger = logging.getLogger(__name__)
Status = ChatSession.Status
ROUTING_PENDING_KEY = "helpline:routing-pending"
ROUTING_LOCK_ID = 0x68656C70  # pg_advisory_xact_lock key shared by every routing run
RESENT_MESSAGE_MEMORY_SECONDS = 10 * 60


class ChatError(Exception):
    """A request the service refuses, with words to show the person. Nothing was changed."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


# --- seekers --------------------------------------------------------------------------------


def start_session(language: str, about: str) -> tuple[ChatSession, str]:
    """A new waiting chat and the token that finds it again (only its hash is stored)."""
    languages = {code for code, _ in settings.LANGUAGES}
    if language not in languages:
        raise ChatError("bad_language", "Please choose a language from the list.")
    if about not in ChatSession.About.values:
        raise ChatError("bad_choice", "Please choose one of the options, or leave it blank.")
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        chat = ChatSession.objects.create(token_hash=hash_token(token), language=language, about=about)
        tallies.tally_chat(chat.id)
        _queue_changed()
    presence.touch_seeker(chat.id, timezone.now().timestamp())
    return chat, token


def leave_queue(chat: ChatSession) -> bool:
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
            _chat_state_changed(chat)
            _queue_changed()
    presence.forget_seeker(chat.id)
    return left


def check_in_seeker(chat: ChatSession) -> None:
    """The seeker's page or socket is still there (no database write)."""
    presence.touch_seeker(chat.id, timezone.now().timestamp())


def seeker_departed(chat_id: int) -> None:
    """The seeker's page closed its socket: if no new one opens soon, staff see them as gone and an
    offer of their chat is withdrawn (withdraw_offers_to_departed)."""
    presence.seeker_departed(chat_id, timezone.now().timestamp())


def check_in_seekers(chat_ids: list[int]) -> None:
    """Seekers whose sockets are open in a web process are still there (one batched cache write)."""
    presence.touch_seekers(chat_ids, timezone.now().timestamp())


# --- messages -------------------------------------------------------------------------------


def clean_message_body(body: object) -> str:
    if not isinstance(body, str):
        raise ChatError("bad_message", "A message must be text.")
    text = body.replace("\r\n", "\n").strip()
    if not text:
        raise ChatError("empty_message", "Please type a message before sending.")
    limit = settings.HELPLINE["MESSAGE_MAX_LENGTH"]
    if len(text) > limit:
        raise ChatError(
            "message_too_long",
            f"That message is {len(text)} characters long; the limit is {limit}. Please split it into two.",
        )
    if any(unicodedata.category(ch) == "Cc" and ch not in "\n\t" for ch in text):
        raise ChatError(
            "bad_characters", "That message contains control characters we cannot show. Please retype it."
        )
    return text


def send_message(
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
    text = clean_message_body(body)
    ref_key = None
    if isinstance(client_ref, str) and 0 < len(client_ref) <= 64:
        # Hashed: a browser's ref is any short text, and a cache key must be plain characters.
        ref_key = (
            f"helpline:sent:{chat.id}:{hashlib.sha256(client_ref.encode(errors='replace')).hexdigest()[:32]}"
        )
        try:
            already = cache.get(ref_key)
        except presence.CACHE_DOWN:  # Redis is down: store the message; a resend may show twice
            already = None
        if already is not None:
            return chat.messages.get(seq=already)
    if sender == Message.Sender.SEEKER and _over_message_limit(chat):
        raise ChatError(
            "slow_down", "You are sending messages very quickly. Please wait a few seconds and try again."
        )
    owner = None
    if sender == Message.Sender.STAFF:
        if staff is None:
            raise ChatError("not_your_chat", "This chat is no longer with you.")
        owner = staff.id
    with transaction.atomic():
        # One statement checks the chat is live (and the sender's), locks its row and numbers the
        # message: this is the hottest path in the service.
        seq = _next_seq(chat.pk, active=True, staff_id=owner)
        if seq is None:
            current = ChatSession.objects.get(pk=chat.pk)
            if current.status != Status.ACTIVE:
                raise ChatError("chat_not_active", _not_active_reason(current, sender))
            raise ChatError("not_your_chat", "This chat is no longer with you.")
        chat.last_seq = seq
        message = _store_message(chat, seq, sender, text, staff)
        if ref_key is not None:
            key = ref_key
            transaction.on_commit(lambda: _remember_sent(key, seq))
    if sender == Message.Sender.SEEKER:
        check_in_seeker(chat)
    return message


def _remember_sent(key: str, seq: int) -> None:
    with contextlib.suppress(*presence.CACHE_DOWN):  # the message is stored; only the memory is lost
        cache.set(key, seq, timeout=RESENT_MESSAGE_MEMORY_SECONDS)


def _over_message_limit(chat: ChatSession) -> bool:
    """A fixed-window count per chat (not per person): protects staff from floods."""
    count, period = parse_rate(settings.RATE_LIMITS["chat_message"])
    window = int(timezone.now().timestamp() // period)
    key = f"helpline:msg-rate:{chat.id}:{window}"
    try:
        cache.add(key, 0, timeout=period + 1)
        try:
            used = cache.incr(key)
        except ValueError:  # the key expired between add and incr
            cache.set(key, 1, timeout=period + 1)
            used = 1
    except presence.CACHE_DOWN:  # Redis is down: a person's message matters more than the count
        return False
    return used > count


def parse_rate(rate: str) -> tuple[int, int]:
    """'30/m' -> (30, 60): the same notation django-ratelimit uses."""
    count, _, unit = rate.partition("/")
    periods = {"s": 1, "m": 60, "h": 3600, "d": 86400}
    return int(count), periods[unit[-1]] * int(unit[:-1] or 1)


def _not_active_reason(chat: ChatSession, sender: str) -> str:
    if chat.status == Status.ENDED:
        return "This chat has ended, so the message was not sent."
    if sender == Message.Sender.SEEKER:
        return (
            "Nobody has joined the chat yet, so your message was not sent. "
            "Please keep it and send it when someone joins."
        )
    return "This chat is not active."


def _append(chat: ChatSession, sender: str, text: str, staff: StaffProfile | None = None) -> Message:
    """Add a message to a chat whose row the caller has locked, and publish it on commit."""
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
        sql += " AND staff_id = %s"
        params.append(staff_id)
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


def post_system_message(chat: ChatSession, text: str) -> Message:
    with transaction.atomic():
        locked = ChatSession.objects.select_for_update().get(pk=chat.pk)
        return _append(locked, Message.Sender.SYSTEM, text)


def typing(chat: ChatSession, sender: str) -> None:
    """Typing indicators are fleeting: published at once, never stored."""
    events.send_now(chat.group_name, {"type": "chat.typing", "chat": chat.public_id.hex, "sender": sender})


# --- routing --------------------------------------------------------------------------------


def request_routing() -> None:
    """Ask for a routing run soon. A burst of requests within the window becomes one run."""
    from helpline.tasks import route_waiting_seekers

    _request_coalesced(ROUTING_PENDING_KEY, route_waiting_seekers)


def _request_coalesced(pending_key: str, task: Any) -> None:
    """After commit, queue `task` unless a run is already pending; the run deletes `pending_key` when
    it starts, so requests that arrive while it works lead to exactly one more run."""

    def enqueue() -> None:
        if cache.add(pending_key, 1, timeout=5):
            task.delay()

    transaction.on_commit(enqueue)


def route_waiting_seekers(now: datetime | None = None) -> list[int]:
    """Offer waiting chats to staff with free slots. Returns the ids of chats offered.

    Staff rows and waiting chats are locked with SKIP LOCKED, so a second worker running at the
    same moment takes none of the same people and plans only with what is left.
    """
    cache.delete(ROUTING_PENDING_KEY)
    now = now or timezone.now()
    offered: list[int] = []
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # One routing run at a time: side by side, each would lock part of the staff and of the
            # queue (SKIP LOCKED), so one could serve seekers from further back while the other left
            # earlier ones waiting, and a slot freed under the first run's lock was missed by the second.
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ROUTING_LOCK_ID])
        profiles = list(
            StaffProfile.objects.filter(availability=Availability.AVAILABLE)
            .select_for_update(skip_locked=True)
            .order_by("id")
        )
        if profiles:
            ids = [p.id for p in profiles]
            loads = selectors.staff_loads(ids)
            wrap_up_due = selectors.staff_with_wrap_up_due(ids)
            slots = [
                routing.StaffSlot(
                    staff_id=p.id,
                    languages=frozenset(p.languages),
                    max_chats=p.max_chats,
                    open_chats=loads.get(p.id, 0),
                    idle_since=p.idle_since,
                    wrap_up_due=p.id in wrap_up_due,
                )
                for p in profiles
            ]
            free = sum(max(0, s.max_chats - s.open_chats) for s in slots if s.has_free_slot)
            waiting = []
            if free:
                waiting = list(
                    ChatSession.objects.waiting()
                    .in_queue_order()
                    .select_for_update(skip_locked=True)
                    .only("id", "priority", "queued_at", "language")[: max(free * 20, 200)]
                )
            # Nobody is offered a seeker who has left the page: the offer would only tie up a person
            # for its whole timeout. If they come back in time, the next run offers them in their place.
            gone = _gone_seekers([c.id for c in waiting], now)
            plan = routing.plan_assignments(
                [
                    routing.WaitingSeeker(c.id, c.priority, c.queued_at, c.language)
                    for c in waiting
                    if c.id not in gone
                ],
                slots,
                now,
            )
            by_id = {p.id: p for p in profiles}
            for assignment in plan:
                if _offer(assignment.session_id, by_id[assignment.staff_id], now):
                    offered.append(assignment.session_id)
        transaction.on_commit(request_queue_news)
    return offered


def _gone_seekers(chat_ids: list[int], now: datetime) -> set[int]:
    if not chat_ids:
        return set()
    found = presence.seeker_presence(chat_ids, now.timestamp())
    return {i for i, seen in found.items() if seen.state is presence.SeekerState.GONE}


def _offer(chat_id: int, profile: StaffProfile, now: datetime) -> bool:
    expires = now + timedelta(seconds=settings.HELPLINE["OFFER_TIMEOUT_SECONDS"])
    claimed = ChatSession.objects.filter(pk=chat_id, status=Status.WAITING).update(
        status=Status.OFFERED, offered_to=profile, offer_expires_at=expires
    )
    if claimed != 1:
        return False
    StaffProfile.objects.filter(pk=profile.pk).update(idle_since=now)
    chat = ChatSession.objects.get(pk=chat_id)
    events.publish(
        events.staff_group(profile.id),
        "offer.made",
        chat=chat.public_id.hex,
        language=chat.language,
        about=chat.about,
        expires_at=expires.isoformat(),
    )
    _chat_state_changed(chat)
    return True


def accept_offer(chat: ChatSession, profile: StaffProfile) -> ChatSession:
    now = timezone.now()
    with transaction.atomic():
        first_answer = chat.answered_at is None
        claimed = ChatSession.objects.filter(pk=chat.pk, status=Status.OFFERED, offered_to=profile).update(
            status=Status.ACTIVE,
            staff=profile,
            offered_to=None,
            offer_expires_at=None,
            answered_at=F("answered_at") if not first_answer else now,
        )
        if claimed != 1:
            raise ChatError(
                "offer_gone",
                "This chat is no longer offered to you (it may have timed out or the person left).",
            )
        chat.refresh_from_db()
        # Both sides hear of the change before the first messages arrive.
        events.publish(events.staff_group(profile.id), "chat.assigned", chat=chat.public_id.hex)
        _chat_state_changed(chat)
        locked = ChatSession.objects.select_for_update().get(pk=chat.pk)
        if first_answer:
            _append(locked, Message.Sender.SYSTEM, confidentiality_statement())
        _append(locked, Message.Sender.SYSTEM, texts.STAFF_JOINED.format(name=profile.display_name))
        _queue_changed()
        # Last: the day's counters are one row for everyone, locked until this transaction commits.
        tallies.tally_chat(chat.id)
    return chat


def confidentiality_statement() -> str:
    canned = CannedResponse.objects.filter(kind=CannedResponse.Kind.CONFIDENTIALITY, active=True).first()
    return canned.body if canned else texts.CONFIDENTIALITY_STATEMENT


def return_to_queue(chat: ChatSession, notice: str, *, set_away: StaffProfile | None = None) -> bool:
    """Put an offered or active chat back at the front of its queue (it keeps its place in time)."""
    with transaction.atomic():
        locked = ChatSession.objects.select_for_update().get(pk=chat.pk)
        if locked.status not in (Status.OFFERED, Status.ACTIVE):
            return False
        previous_staff = locked.staff_id or locked.offered_to_id
        was_active = locked.status == Status.ACTIVE
        ChatSession.objects.filter(pk=chat.pk).update(
            status=Status.WAITING, staff=None, offered_to=None, offer_expires_at=None
        )
        if was_active:
            _append(locked, Message.Sender.SYSTEM, notice)
        if previous_staff:
            events.publish(events.staff_group(previous_staff), "chat.removed", chat=locked.public_id.hex)
        if set_away is not None:
            StaffProfile.objects.filter(pk=set_away.pk, availability=Availability.AVAILABLE).update(
                availability=Availability.AWAY, availability_changed_at=timezone.now()
            )
            events.publish(events.staff_group(set_away.id), "availability", availability=Availability.AWAY)
        locked.refresh_from_db()
        _chat_state_changed(locked)
        _queue_changed()
    return True


def decline_offer(chat: ChatSession, profile: StaffProfile) -> bool:
    if chat.status != Status.OFFERED or chat.offered_to_id != profile.id:
        return False
    return return_to_queue(chat, texts.REQUEUED_BY_TRANSFER)


def expire_offers(now: datetime | None = None) -> int:
    """Offers not accepted in time go back to the queue; the staff member is set to away."""
    now = now or timezone.now()
    expired = 0
    for chat in ChatSession.objects.filter(status=Status.OFFERED, offer_expires_at__lte=now).select_related(
        "offered_to"
    ):
        if return_to_queue(chat, texts.REQUEUED_BY_TRANSFER, set_away=chat.offered_to):
            expired += 1
    return expired


# --- staff ----------------------------------------------------------------------------------


def set_availability(profile: StaffProfile, availability: str) -> StaffProfile:
    if availability not in Availability.values:
        raise ChatError("bad_availability", "Choose available, away or offline.")
    now = timezone.now()
    with transaction.atomic():
        StaffProfile.objects.filter(pk=profile.pk).update(
            availability=availability, availability_changed_at=now
        )
        profile.refresh_from_db()
        if availability != Availability.AVAILABLE:
            # Offers waiting for this person go to someone else; their live chats stay with them.
            for chat in ChatSession.objects.filter(status=Status.OFFERED, offered_to=profile):
                return_to_queue(chat, texts.REQUEUED_BY_TRANSFER)
        events.publish(events.staff_group(profile.id), "availability", availability=availability)
        _queue_changed()
    presence.touch_staff(profile.id, now.timestamp())
    return profile


def check_in_staff(profile: StaffProfile) -> None:
    """Any open staff page, or the console's socket, says the person is still at work."""
    presence.touch_staff(profile.id, timezone.now().timestamp())
    # Back after a lost connection: the supervisor board stops listing them as lost. (A socket's copy
    # of the profile may be older than the flag, so the database decides; no row matches most times.)
    StaffProfile.objects.filter(pk=profile.pk, connection_lost_at__isnull=False).update(
        connection_lost_at=None
    )
    profile.connection_lost_at = None


def end_chat(chat: ChatSession, *, by_staff: StaffProfile | None = None) -> bool:
    """End a chat from either side. The staff member then owes a wrap-up before the next offer."""
    reason = ChatSession.EndReason.STAFF_ENDED if by_staff else ChatSession.EndReason.SEEKER_ENDED
    with transaction.atomic():
        locked = ChatSession.objects.select_for_update().get(pk=chat.pk)
        if by_staff is not None and locked.staff_id != by_staff.id:
            raise ChatError("not_your_chat", "This chat is no longer with you.")
        if locked.status == Status.ENDED:
            return False
        if locked.status != Status.ACTIVE:
            return leave_queue(locked)
        _append(locked, Message.Sender.SYSTEM, texts.STAFF_ENDED if by_staff else texts.SEEKER_ENDED)
        _finish(locked, reason)
    presence.forget_seeker(chat.id)
    return True


def _finish(locked: ChatSession, reason: str) -> None:
    ChatSession.objects.filter(pk=locked.pk).update(
        status=Status.ENDED, end_reason=reason, ended_at=timezone.now()
    )
    locked.refresh_from_db()
    tallies.tally_chat(locked.id)
    if locked.staff_id:
        events.publish(events.staff_group(locked.staff_id), "chat.ended", chat=locked.public_id.hex)
    _chat_state_changed(locked)
    _queue_changed()


def transfer_chat(chat: ChatSession, from_staff: StaffProfile, to_staff: StaffProfile | None) -> None:
    """Hand a live chat to a named colleague (who must accept it) or back to the front of the queue."""
    if chat.staff_id != from_staff.id or chat.status != Status.ACTIVE:
        raise ChatError("not_your_chat", "Only a live chat of your own can be transferred.")
    if to_staff is None:
        return_to_queue(chat, texts.REQUEUED_BY_TRANSFER)
        return
    if to_staff.id == from_staff.id:
        raise ChatError("bad_transfer", "Choose a colleague other than yourself.")
    now = timezone.now()
    with transaction.atomic():
        target = StaffProfile.objects.select_for_update().get(pk=to_staff.pk)
        load = selectors.staff_loads([target.id]).get(target.id, 0)
        owes_wrap_up = target.id in selectors.staff_with_wrap_up_due([target.id])
        if target.availability != Availability.AVAILABLE or load >= target.max_chats or owes_wrap_up:
            raise ChatError(
                "colleague_busy", f"{target.display_name} has no free slot just now. Choose someone else."
            )
        if chat.language not in target.languages:
            raise ChatError("wrong_language", f"{target.display_name} does not chat in this language.")
        locked = ChatSession.objects.select_for_update().get(pk=chat.pk)
        if locked.status != Status.ACTIVE or locked.staff_id != from_staff.id:
            raise ChatError("not_your_chat", "Only a live chat of your own can be transferred.")
        _append(locked, Message.Sender.SYSTEM, texts.TRANSFERRED_TO)
        expires = now + timedelta(seconds=settings.HELPLINE["OFFER_TIMEOUT_SECONDS"])
        ChatSession.objects.filter(pk=chat.pk).update(
            status=Status.OFFERED, staff=None, offered_to=target, offer_expires_at=expires
        )
        events.publish(events.staff_group(from_staff.id), "chat.removed", chat=locked.public_id.hex)
        events.publish(
            events.staff_group(target.id),
            "offer.made",
            chat=locked.public_id.hex,
            language=locked.language,
            about=locked.about,
            expires_at=expires.isoformat(),
            transfer=True,
        )
        locked.refresh_from_db()
        _chat_state_changed(locked)


def escalate(chat: ChatSession, profile: StaffProfile, reason: str) -> Escalation:
    if reason not in Escalation.Reason.values:
        raise ChatError("bad_reason", "Choose the kind of concern.")
    with transaction.atomic():
        escalation = Escalation.objects.create(session=chat, raised_by=profile, reason=reason)
        ChatSession.objects.filter(pk=chat.pk).update(escalated=True)
        tallies.escalation_raised(escalation, chat)
        events.publish(
            events.SUPERVISORS_GROUP,
            "escalation.raised",
            escalation=escalation.id,
            chat=chat.public_id.hex,
            reason=escalation.get_reason_display(),
            raised_by=profile.display_name,
        )
    return escalation


def decide_escalation(escalation: Escalation, supervisor: StaffProfile, decision: str) -> Escalation:
    if decision not in Escalation.Decision.values:
        raise ChatError("bad_decision", "Choose the decision taken.")
    with transaction.atomic():
        updated = Escalation.objects.filter(pk=escalation.pk, decision="").update(
            decision=decision, decided_by=supervisor, decided_at=timezone.now()
        )
        if updated != 1:
            raise ChatError("already_decided", "A decision has already been recorded for this escalation.")
        escalation.refresh_from_db()
        tallies.escalation_decided(escalation, escalation.session)
        events.publish(events.SUPERVISORS_GROUP, "escalation.decided", escalation=escalation.id)
    return escalation


@dataclass(frozen=True)
class WrapUpAnswers:
    about: str
    topics: list[str]
    protective_actions: list[str]
    heard_from: str
    outcome: str


# The short wrap-up of a chat whose seeker left without writing a word (close_chat_seeker_left).
LEFT_BEFORE_ANSWERING = WrapUpAnswers(
    about=WrapUp.About.OTHER,
    topics=[],
    protective_actions=[WrapUp.ProtectiveAction.NONE],
    heard_from=WrapUp.HeardFrom.OTHER,
    outcome=WrapUp.Outcome.LEFT_EARLY,
)


def record_wrap_up(chat: ChatSession, profile: StaffProfile, answers: WrapUpAnswers) -> WrapUp:
    with transaction.atomic():
        chat = ChatSession.objects.select_for_update().get(pk=chat.pk)  # the caller's copy may be stale
        if chat.staff_id != profile.id or chat.status != Status.ENDED:
            raise ChatError("not_your_chat", "Only a chat you ended can be wrapped up by you.")
        wrap_up, created = WrapUp.objects.get_or_create(
            session=chat,
            defaults={
                "staff": profile,
                "about": answers.about,
                "topics": answers.topics,
                "protective_actions": answers.protective_actions,
                "heard_from": answers.heard_from,
                "outcome": answers.outcome,
            },
        )
        if not created:
            raise ChatError("already_wrapped_up", "This chat has already been wrapped up.")
        tallies.tally_chat(chat.id)
        events.publish(events.staff_group(profile.id), "wrap_up.done", chat=chat.public_id.hex)
        request_routing()  # the person can take offers again
    return wrap_up


def record_seeker_feedback(chat: ChatSession, answers: dict[str, str]) -> None:
    """The seeker's optional answers at the end of an answered chat, added to the day's counts. Once per
    chat: the conditional update on `feedback_given` lets one form through, even for two tabs at once.
    The flag is all that is kept on the chat, and the retention purge deletes it with the chat."""
    given = {question: answer for question, answer in answers.items() if answer}
    if not given:
        raise ChatError("empty_feedback", texts.FEEDBACK_EMPTY)
    with transaction.atomic():
        claimed = ChatSession.objects.filter(
            pk=chat.pk, status=Status.ENDED, answered_at__isnull=False, feedback_given=False
        ).update(feedback_given=True)
        if claimed != 1:
            current = ChatSession.objects.filter(pk=chat.pk).first()
            if current is not None and current.feedback_given:
                raise ChatError("feedback_given", texts.FEEDBACK_ALREADY)
            raise ChatError("feedback_not_yet", texts.FEEDBACK_NOT_YET)
        tallies.seeker_feedback(chat, given)
    chat.feedback_given = True


# --- housekeeping ---------------------------------------------------------------------------


def requeue_for_dropped_staff(now: datetime | None = None) -> int:
    """Staff none of whose pages has checked in for the grace period (every staff page keeps its
    person present, not only the console): their chats go back to the queue in the places the seekers
    first had, with an honest word to each, and supervisors see them listed as lost."""
    now = now or timezone.now()
    grace = settings.HELPLINE["STAFF_GRACE_SECONDS"]
    candidates = {
        p.id: p
        for p in StaffProfile.objects.filter(
            ~Q(availability=Availability.OFFLINE) | Q(chats__status=Status.ACTIVE)
        ).distinct()
    }
    # No record (Redis restarted) means "not known", never "gone": the grace starts when we notice.
    seen = presence.staff_last_seen_or_now(candidates, now.timestamp())
    dropped = [
        p
        for pid, p in candidates.items()
        if now.timestamp() - seen.get(pid, now.timestamp()) > grace
        and now - p.availability_changed_at > timedelta(seconds=grace)
    ]
    moved = 0
    for profile in dropped:
        with transaction.atomic():
            StaffProfile.objects.filter(pk=profile.pk).update(
                availability=Availability.OFFLINE, availability_changed_at=now, connection_lost_at=now
            )
            for chat in ChatSession.objects.filter(staff=profile, status=Status.ACTIVE):
                moved += return_to_queue(chat, texts.REQUEUED_AFTER_DROP)
            for chat in ChatSession.objects.filter(offered_to=profile, status=Status.OFFERED):
                moved += return_to_queue(chat, texts.REQUEUED_BY_TRANSFER)
    return moved


def abandon_vanished_seekers(now: datetime | None = None) -> int:
    """Seekers whose page has been silent past the grace period are counted as gone; slots free."""
    now = now or timezone.now()
    rules = settings.HELPLINE
    open_chats = list(ChatSession.objects.open().only("id", "status", "created_at", "staff_id"))
    # No record (Redis restarted) means "not known", never "gone": the grace starts when we notice.
    seen = presence.seekers_last_seen_or_now([c.id for c in open_chats], now.timestamp())
    ended = 0
    for chat in open_chats:
        grace = (
            rules["SEEKER_CHAT_GRACE_SECONDS"]
            if chat.status == Status.ACTIVE
            else rules["SEEKER_QUEUE_GRACE_SECONDS"]
        )
        last = seen.get(chat.id, now.timestamp())
        if now.timestamp() - last <= grace:
            continue
        with transaction.atomic():
            locked = ChatSession.objects.select_for_update().get(pk=chat.pk)
            if locked.status == Status.ENDED:
                continue
            if locked.status == Status.ACTIVE:
                _append(locked, Message.Sender.SYSTEM, texts.SEEKER_VANISHED)
            _finish(locked, ChatSession.EndReason.ABANDONED)
            if locked.offered_to_id:
                events.publish(
                    events.staff_group(locked.offered_to_id), "offer.withdrawn", chat=locked.public_id.hex
                )
                ChatSession.objects.filter(pk=locked.pk).update(offered_to=None, offer_expires_at=None)
            ended += 1
    return ended


def withdraw_offers_to_departed(now: datetime | None = None) -> int:
    """An offer whose seeker has left the page goes back to the queue at once, without setting the
    staff member away (they did nothing wrong): nobody accepts a ghost. The chat keeps its place until
    the queue's grace period ends it, in case the seeker comes back."""
    now = now or timezone.now()
    offered = list(ChatSession.objects.filter(status=Status.OFFERED).only("id", "offered_to_id"))
    gone = _gone_seekers([c.id for c in offered], now)
    withdrawn = 0
    for chat in offered:
        if chat.id in gone and return_to_queue(chat, texts.REQUEUED_BY_TRANSFER):
            withdrawn += 1
    return withdrawn


@dataclass(frozen=True)
class ClosedAfterLeaving:
    chat: ChatSession
    wrapped_up: bool  # the seeker never wrote, so the short wrap-up was recorded with the close


def close_chat_seeker_left(chat: ChatSession, profile: StaffProfile) -> ClosedAfterLeaving:
    """Staff close a live chat whose seeker has left the page, instead of waiting out the long grace
    period a live chat gets. If the seeker never wrote a word, the wrap-up is the short one ("left
    before answering") and is recorded here; otherwise the usual wrap-up follows."""
    now = timezone.now()
    seen = presence.seeker_presence([chat.id], now.timestamp())[chat.id]
    if seen.state is not presence.SeekerState.GONE:
        raise ChatError(
            "seeker_still_here",
            "The person may still be there, so the chat stays open. You can end it as usual if you need to.",
        )
    with transaction.atomic():
        locked = ChatSession.objects.select_for_update().get(pk=chat.pk)
        if locked.staff_id != profile.id or locked.status != Status.ACTIVE:
            raise ChatError("not_your_chat", "This chat is no longer with you.")
        seeker_wrote = locked.messages.filter(sender=Message.Sender.SEEKER).exists()
        _append(locked, Message.Sender.SYSTEM, texts.CLOSED_AFTER_SEEKER_LEFT)
        _finish(locked, ChatSession.EndReason.ABANDONED)
        if not seeker_wrote:
            record_wrap_up(locked, profile, LEFT_BEFORE_ANSWERING)
    presence.forget_seeker(chat.id)
    return ClosedAfterLeaving(locked, wrapped_up=not seeker_wrote)


def sweep(now: datetime | None = None) -> dict[str, int]:
    """The periodic safety net: expired offers, dropped staff, vanished seekers, then routing."""
    now = now or timezone.now()
    result = {
        "offers_expired": expire_offers(now),
        "offers_withdrawn": withdraw_offers_to_departed(now),
        "requeued_for_dropped_staff": requeue_for_dropped_staff(now),
        "abandoned": abandon_vanished_seekers(now),
        "closed_after_hours": close_queue_after_hours(now),
    }
    result["offered"] = len(route_waiting_seekers(now))
    result["threads_released"] = release_threads_of_offline_staff(now)
    result["threads_routed"] = len(route_secure_threads(now))
    return result


# --- event helpers --------------------------------------------------------------------------


def _chat_state_changed(chat: ChatSession) -> None:
    events.publish(
        chat.group_name, "chat.state", chat=chat.public_id.hex, status=chat.status, staff=_staff_name(chat)
    )


def _staff_name(chat: ChatSession) -> str:
    if chat.status == Status.ACTIVE and chat.staff_id:
        return StaffProfile.objects.only("display_name").get(pk=chat.staff_id).display_name
    return ""


def _queue_changed() -> None:
    """The queue changed: route again. A burst of changes becomes one run, and each run asks for
    queue news, which waiting seekers hear at most about once a second (request_queue_news)."""
    request_routing()


QUEUE_SNAPSHOT_KEY = "helpline:queue-snapshot:{}"
QUEUE_SNAPSHOT_SECONDS = 60
QUEUE_NEWS_RECENT_KEY = "helpline:queue-news-recent"
QUEUE_NEWS_PENDING_KEY = "helpline:queue-news-pending"


def request_queue_news() -> None:
    """The queue changed: tell everyone where it stands now if nobody was told in the last
    QUEUE_NEWS_SECONDS, otherwise once at the end of that window. In a surge each offer moves every
    waiting seeker up one place; a frame to each of thousands of sockets per offer froze the service,
    while a place that is a second old is still right for the person reading it."""
    from helpline.tasks import publish_queue_snapshot as publish_later

    interval = settings.HELPLINE["QUEUE_NEWS_SECONDS"]
    if cache.add(QUEUE_NEWS_RECENT_KEY, 1, timeout=interval):
        publish_queue_snapshot()
    elif cache.add(QUEUE_NEWS_PENDING_KEY, 1, timeout=interval + 60):
        publish_later.apply_async(countdown=interval)


def publish_queue_snapshot() -> None:
    """One query, one cache write and one small broadcast, however many people wait.

    The snapshot is stored once and only its version is broadcast: each web process fetches and parses
    a version once (helpline.chat.consumers), and each waiting socket bisects it for its own place. Carried
    to every socket, 5,000 waiting seekers each decoding 5,000 places was 25 million per queue change.
    """
    cache.delete(QUEUE_NEWS_PENDING_KEY)
    cache.set(QUEUE_NEWS_RECENT_KEY, 1, timeout=settings.HELPLINE["QUEUE_NEWS_SECONDS"])
    snapshot = selectors.queue_snapshot()
    version = secrets.token_hex(8)
    cache.set(QUEUE_SNAPSHOT_KEY.format(version), snapshot.to_bytes(), timeout=QUEUE_SNAPSHOT_SECONDS)
    events.send_now(events.QUEUE_GROUP, {"type": "queue.snapshot", "version": version})
    overview = selectors.queue_overview()
    events.send_now(
        events.STAFF_ALL_GROUP,
        {
            "type": "queue.overview",
            "waiting": overview.waiting,
            "oldest_wait_seconds": overview.oldest_wait_seconds,
        },
    )


# =============================================================================================
# Opening hours, secure messages, counting and retention
#
# New chats are refused outside opening hours (and turned away when the queue is full) with a
# secure message offered instead; those left waiting at closing keep their place until the team goes
# off duty. Secure messages are threads found again by a passphrase shown once. Every figure is
# counted in helpline.stats.tallies inside the same transaction as its change; the retention purge counts
# anything still uncounted, then deletes what people wrote.
# =============================================================================================

INBOX_GROUP = "inbox"  # staff sockets may join it to hear of inbox changes; events carry ids only
SECURE_ROUTING_PENDING_KEY = "helpline:secure-routing-pending"
SECURE_ROUTING_LOCK_KEY = "helpline:secure-routing-lock"
SECURE_RELEASE_AFTER_OFFLINE = timedelta(minutes=30)
SECURE_CLAIM_LONGEST = timedelta(hours=24)


def check_start_session(language: str, about: str, now: datetime | None = None) -> tuple[ChatSession, str]:
    """start_session, if live chat in that language is taking new chats and the queue has room.
    A refusal is counted (turned away: closed or full); the words offer the secure-message route."""
    now = now or timezone.now()
    if language in dict(settings.LANGUAGES) and about in ChatSession.About.values:
        state = schedules.opening_state(language, now)
        if not state.taking_new_chats:
            tallies.turned_away(tallies.TURNED_AWAY_CLOSED, now)
            raise ChatError("closed", schedules.closed_words(language, state))
        limit = settings.HELPLINE["QUEUE_LIMIT"]
        if limit and ChatSession.objects.waiting().count() >= limit:
            tallies.turned_away(tallies.TURNED_AWAY_FULL, now)
            raise ChatError(
                "full",
                "So many people are waiting right now that we cannot add anyone else to the queue. "
                "Please try again a little later, or write us a secure message instead.",
            )
        surge = limits.service_surge()
        if surge:
            tallies.turned_away(tallies.TURNED_AWAY_FULL, now)
            raise ChatError("full", surge)
    return start_session(language, about)


def note_closed_visit(now: datetime | None = None) -> None:
    """Someone opened the chat page while no live chat was taking new chats: one "turned away: closed".
    (Without any identity we cannot tell a reload from a new person; the stats page says so.)"""
    tallies.turned_away(tallies.TURNED_AWAY_CLOSED, now)


def close_queue_after_hours(now: datetime | None = None) -> int:
    """After closing, waiting seekers keep their place while anyone who speaks their language is still
    on duty (available or on a break). Once all of them have gone offline, nobody can answer: end those
    chats as "closed" so the seeker's page says so and offers a secure message instead of a silent wait."""
    now = now or timezone.now()
    if not schedules.hours_configured():
        return 0
    languages = set(ChatSession.objects.waiting().values_list("language", flat=True).distinct())
    if not languages:
        return 0
    on_duty = [
        p.languages or []
        for p in StaffProfile.objects.exclude(availability=Availability.OFFLINE).only("languages")
    ]
    ended = 0
    for language in sorted(languages):
        if schedules.opening_state(language, now).is_open or any(language in spoken for spoken in on_duty):
            continue
        for chat_id in ChatSession.objects.waiting().filter(language=language).values_list("id", flat=True):
            with transaction.atomic():
                locked = ChatSession.objects.select_for_update().get(pk=chat_id)
                if locked.status != Status.WAITING:
                    continue
                _finish(locked, ChatSession.EndReason.CLOSED)
            presence.forget_seeker(chat_id)
            ended += 1
    return ended


# --- secure messages: seekers ----------------------------------------------------------------


@dataclass(frozen=True)
class NewSecureThread:
    thread: SecureThread
    passphrase: str  # shown to the seeker once, in this response, and kept nowhere


def clean_secure_body(body: object) -> str:
    if not isinstance(body, str):
        raise ChatError("bad_message", "A message must be text.")
    text = body.replace("\r\n", "\n").strip()
    if not text:
        raise ChatError("empty_message", "Please write your message before sending it.")
    limit = settings.HELPLINE["SECURE_MESSAGE_MAX_LENGTH"]
    if len(text) > limit:
        raise ChatError(
            "message_too_long",
            f"That message is {len(text)} characters long; the limit is {limit}. "
            "Please shorten it, or send the rest in a second message once this one is sent.",
        )
    if any(unicodedata.category(ch) == "Cc" and ch not in "\n\t" for ch in text):
        raise ChatError(
            "bad_characters", "That message contains control characters we cannot show. Please retype it."
        )
    return text


def start_secure_thread(language: str, body: object, now: datetime | None = None) -> NewSecureThread:
    """A new thread with the seeker's first message, and the passphrase that opens it again."""
    if language not in dict(settings.LANGUAGES):
        raise ChatError("bad_language", "Please choose a language from the list.")
    text = clean_secure_body(body)
    now = now or timezone.now()
    passphrase = passphrases.new_passphrase()
    with transaction.atomic():
        thread = SecureThread.objects.create(
            lookup=passphrases.lookup_value(passphrase),
            verifier=passphrases.make_verifier(passphrase),
            language=language,
            created_at=now,
            last_message_at=now,
            awaiting_since=now,
            reply_due_at=queries.reply_due(now, language),
            delete_after=queries.delete_after(now),
        )
        SecureMessage.objects.create(
            thread=thread, sender=SecureMessage.Sender.SEEKER, body=text, created_at=now
        )
        tallies.bump(tallies.service_date(now), [tallies.SECURE_THREADS_STARTED, tallies.SECURE_RECEIVED])
        events.publish(INBOX_GROUP, "inbox.changed", thread=thread.public_id.hex)
        request_secure_routing()
    return NewSecureThread(thread, passphrase)


def add_seeker_secure_message(
    thread: SecureThread, body: object, now: datetime | None = None
) -> SecureMessage:
    """The seeker writes again. The thread waits for a reply (its first unanswered message sets the
    target), and its deletion date moves to a full retention period from now."""
    text = clean_secure_body(body)
    now = now or timezone.now()
    with transaction.atomic():
        locked = SecureThread.objects.select_for_update().get(pk=thread.pk)
        message = SecureMessage.objects.create(
            thread=locked, sender=SecureMessage.Sender.SEEKER, body=text, created_at=now
        )
        changes: dict[str, object] = {"last_message_at": now, "delete_after": queries.delete_after(now)}
        if locked.awaiting_since is None:
            changes.update(awaiting_since=now, reply_due_at=queries.reply_due(now, locked.language))
        SecureThread.objects.filter(pk=locked.pk).update(**changes)
        tallies.secure_event(tallies.SECURE_RECEIVED, now)
        events.publish(INBOX_GROUP, "inbox.changed", thread=locked.public_id.hex)
        request_secure_routing()
    thread.refresh_from_db()
    return message


# --- secure messages: staff ------------------------------------------------------------------

THREAD_TAKEN = ChatError(
    "thread_taken", "A colleague has already taken this message, so it is no longer in the inbox."
)
THREAD_ANSWERED = ChatError(
    "thread_answered",
    "This conversation has been answered and is not waiting for anyone. It comes back to the inbox "
    "if the person writes again.",
)


def take_secure_thread(
    thread: SecureThread, profile: StaffProfile, now: datetime | None = None
) -> SecureThread:
    """Claim a thread from the inbox. Two people clicking at once: exactly one gets it."""
    now = now or timezone.now()
    with transaction.atomic():
        claimed = SecureThread.objects.filter(
            pk=thread.pk, assigned_to__isnull=True, awaiting_since__isnull=False
        ).update(assigned_to=profile, assigned_at=now)
        if claimed != 1:
            thread.refresh_from_db()
            if thread.assigned_to_id == profile.id:
                return thread
            if thread.awaiting_since is None:
                raise THREAD_ANSWERED
            raise THREAD_TAKEN
        events.publish(INBOX_GROUP, "inbox.changed", thread=thread.public_id.hex)
    thread.refresh_from_db()
    return thread


def release_secure_thread(thread: SecureThread, profile: StaffProfile) -> bool:
    """Put a thread back in the inbox for someone else."""
    with transaction.atomic():
        released = (
            SecureThread.objects.filter(pk=thread.pk, assigned_to=profile).update(
                assigned_to=None, assigned_at=None
            )
            == 1
        )
        if released:
            events.publish(INBOX_GROUP, "inbox.changed", thread=thread.public_id.hex)
    thread.refresh_from_db()
    return released


def reply_to_secure_thread(
    thread: SecureThread, profile: StaffProfile, body: object, now: datetime | None = None
) -> SecureMessage:
    """A staff reply. Answers everything waiting, counted as within or past the reply target, and the
    thread leaves the inbox (a new message from the seeker brings it back)."""
    text = clean_secure_body(body)
    now = now or timezone.now()
    with transaction.atomic():
        locked = SecureThread.objects.select_for_update().get(pk=thread.pk)
        if locked.assigned_to_id not in (None, profile.id):
            raise THREAD_TAKEN
        message = SecureMessage.objects.create(
            thread=locked, sender=SecureMessage.Sender.STAFF, staff=profile, body=text, created_at=now
        )
        if locked.awaiting_since is not None:
            in_target = locked.reply_due_at is None or now < locked.reply_due_at
            tallies.secure_event(
                tallies.SECURE_ANSWERED_IN_TARGET if in_target else tallies.SECURE_ANSWERED_LATE, now
            )
        SecureThread.objects.filter(pk=locked.pk).update(
            awaiting_since=None,
            reply_due_at=None,
            assigned_to=None,
            assigned_at=None,
            last_message_at=now,
            delete_after=queries.delete_after(now),
        )
        events.publish(INBOX_GROUP, "inbox.changed", thread=locked.public_id.hex)
    thread.refresh_from_db()
    return message


def request_secure_routing() -> None:
    """Offer waiting threads to staff on duty soon; a burst of new messages becomes one run."""
    from helpline.tasks import route_secure_threads as route_task

    _request_coalesced(SECURE_ROUTING_PENDING_KEY, route_task)


def route_secure_threads(now: datetime | None = None) -> list[int]:
    """Give unclaimed threads awaiting a reply to available staff who write in their language, the
    longest-waiting first, up to SECURE_THREADS_PER_STAFF each. The same rule as chats
    (helpline.chat.routing): fewest held first, then longest idle. Returns the ids of threads assigned.

    Staff rows are not locked: chat routing locks them (SKIP LOCKED) and must never skip someone
    because a thread run held them. Runs are serialised by a short cache lock instead, and each thread
    is claimed with a conditional update, so none is given twice."""
    cache.delete(SECURE_ROUTING_PENDING_KEY)
    per_staff = settings.HELPLINE["SECURE_THREADS_PER_STAFF"]
    if per_staff <= 0 or not cache.add(SECURE_ROUTING_LOCK_KEY, 1, timeout=60):
        return []
    try:
        return _route_secure_threads(per_staff, now or timezone.now())
    finally:
        cache.delete(SECURE_ROUTING_LOCK_KEY)


def _route_secure_threads(per_staff: int, now: datetime) -> list[int]:
    profiles = list(StaffProfile.objects.filter(availability=Availability.AVAILABLE).order_by("id"))
    if not profiles:
        return []
    held: dict[int, int] = {}
    for owner in (
        SecureThread.objects.awaiting_reply()
        .filter(assigned_to__in=profiles)
        .values_list("assigned_to", flat=True)
    ):
        held[owner] = held.get(owner, 0) + 1
    slots = [
        routing.StaffSlot(
            staff_id=p.id,
            languages=frozenset(p.languages or []),
            max_chats=per_staff,
            open_chats=held.get(p.id, 0),
            idle_since=p.idle_since,
        )
        for p in profiles
    ]
    free = sum(max(0, per_staff - s.open_chats) for s in slots)
    if not free:
        return []
    waiting = list(
        SecureThread.objects.awaiting_reply()
        .filter(assigned_to__isnull=True)
        .in_inbox_order()
        .only("id", "awaiting_since", "language")[: free * 5]
    )
    plan = routing.plan_assignments(
        [routing.WaitingSeeker(t.id, 0, t.awaiting_since or now, t.language) for t in waiting], slots, now
    )
    assigned: list[int] = []
    with transaction.atomic():
        for assignment in plan:
            claimed = SecureThread.objects.filter(pk=assignment.session_id, assigned_to__isnull=True).update(
                assigned_to_id=assignment.staff_id, assigned_at=now
            )
            if claimed == 1:
                assigned.append(assignment.session_id)
        if assigned:
            events.publish(INBOX_GROUP, "inbox.changed", routed=len(assigned))
    return assigned


def release_threads_of_offline_staff(now: datetime | None = None) -> int:
    """Threads held by someone who is not there go back to the inbox: they went offline after taking
    the thread (end of shift, a dropped connection) and have stayed offline for a while, or they have
    held it a whole day while offline. Someone who works the inbox while offline for chats keeps
    what they took for the day."""
    now = now or timezone.now()
    went_offline = Q(
        assigned_to__availability_changed_at__gt=F("assigned_at"),
        assigned_to__availability_changed_at__lte=now - SECURE_RELEASE_AFTER_OFFLINE,
    )
    held_a_day = Q(assigned_at__lte=now - SECURE_CLAIM_LONGEST)
    with transaction.atomic():
        released = (
            SecureThread.objects.awaiting_reply()
            .filter(assigned_to__availability=Availability.OFFLINE)
            .filter(went_offline | held_a_day)
            .update(assigned_to=None, assigned_at=None)
        )
        if released:
            events.publish(INBOX_GROUP, "inbox.changed", released=released)
    return released


# --- retention -------------------------------------------------------------------------------

PURGE_BATCH = 200


def purge_expired(now: datetime | None = None) -> dict[str, int]:
    """Delete what people wrote once its retention period is over; only the daily counts stay.

    Ended chats go CHAT_RETENTION_HOURS after they ended, with their messages, wrap-up and escalation
    records; a chat with an escalation still awaiting a supervisor's decision is kept until decided.
    Secure threads go once their deletion date (a retention period after the last message) is past.
    Each is counted first (tallies.tally_chat is a no-op for figures already in), so nothing can be
    deleted uncounted."""
    now = now or timezone.now()
    chat_cutoff = now - timedelta(hours=settings.HELPLINE["CHAT_RETENTION_HOURS"])
    due = ChatSession.objects.filter(status=Status.ENDED, ended_at__lte=chat_cutoff)
    result = {
        "chats": 0,
        "threads": 0,
        "held_for_escalation": due.filter(escalations__decision="").distinct().count(),
    }
    purgeable = due.exclude(escalations__decision="").order_by("id")
    while ids := list(purgeable.values_list("id", flat=True)[:PURGE_BATCH]):
        # Normally every figure was counted when it happened; only the stragglers need a tally.
        for chat_id in tallies.uncounted(ids):
            with transaction.atomic():
                tallies.tally_chat(chat_id)
        with transaction.atomic():
            # Re-checked inside the delete: an escalation raised in the meantime keeps its chat.
            deleted = purgeable.filter(id__in=ids).delete()[1].get(ChatSession._meta.label, 0)
        result["chats"] += deleted
        if deleted == 0:
            break
    for thread_id in SecureThread.objects.filter(delete_after__lte=now).values_list("id", flat=True):
        with transaction.atomic():
            locked = (
                SecureThread.objects.select_for_update().filter(pk=thread_id, delete_after__lte=now).first()
            )
            if locked is None:
                continue  # the seeker wrote again just now: the thread lives on
            if locked.awaiting_since is not None:
                tallies.secure_event(tallies.SECURE_EXPIRED_UNANSWERED, now)
            locked.delete()
            result["threads"] += 1
    return result
