"""Secure messages: a seeker starts a thread and adds to it with the passphrase; staff take, release and
reply to threads; waiting threads are routed to staff on duty who write in their language."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext

from helpline import events, jobs
from helpline.campaigns import counts as campaign_counts
from helpline.campaigns import measures as campaign_measures
from helpline.chat import routing
from helpline.errors import Refusal
from helpline.inbox import passphrases, queries
from helpline.jobs import request_secure_routing
from helpline.models import (
    Availability,
    Campaign,
    SecureMessage,
    SecureThread,
    StaffProfile,
)
from helpline.stats import tallies
from helpline.text_input import clean_typed_text

SECURE_ROUTING_LOCK_KEY = "helpline:secure-routing-lock"
SECURE_RELEASE_AFTER_OFFLINE = timedelta(minutes=30)
SECURE_CLAIM_LONGEST = timedelta(hours=24)


# --- secure messages: seekers ----------------------------------------------------------------


@dataclass(frozen=True)
class NewSecureThread:
    thread: SecureThread
    passphrase: str  # shown to the seeker once, in this response, and kept nowhere


def clean_secure_body(body: object) -> str:
    return clean_typed_text(
        body,
        limit=settings.HELPLINE["SECURE_MESSAGE_MAX_LENGTH"],
        empty=gettext("Please write your message before sending it."),
        too_long_hint=gettext(
            "Please shorten it, or send the rest in a second message once this one is sent."
        ),
    )


def do_start_secure_thread(
    language: str, body: object, now: datetime | None = None, campaign: Campaign | None = None
) -> NewSecureThread:
    """A new thread with the seeker's first message, and the passphrase that opens it again. Written
    during a visit through a partner's link, it counts for the campaign; the thread keeps nothing of it."""
    if language not in dict(settings.LANGUAGES):
        raise Refusal("bad_language", gettext("Please choose a language from the list."))
    text = clean_secure_body(body)
    now = now or timezone.now()
    passphrase = passphrases.new_passphrase()
    with transaction.atomic(durable=True):
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
        tallies.bump(
            tallies.service_date(now),
            [tallies.SECURE_THREADS_STARTED, tallies.SECURE_RECEIVED],
            language=language,
        )
        campaign_counts.count(campaign, campaign_measures.SECURE_MESSAGES, now)
        events.publish(events.INBOX_GROUP, "inbox.changed", thread=thread.public_id.hex)
        request_secure_routing()
    return NewSecureThread(thread, passphrase)


def do_add_seeker_secure_message(
    thread: SecureThread, body: object, now: datetime | None = None, campaign: Campaign | None = None
) -> SecureMessage:
    """The seeker writes again. The thread waits for a reply (its first unanswered message sets the
    target), and its deletion date moves to a full retention period from now."""
    text = clean_secure_body(body)
    now = now or timezone.now()
    with transaction.atomic(durable=True):
        locked = SecureThread.objects.select_for_update().get(pk=thread.pk)
        message = SecureMessage.objects.create(
            thread=locked, sender=SecureMessage.Sender.SEEKER, body=text, created_at=now
        )
        changes: dict[str, object] = {"last_message_at": now, "delete_after": queries.delete_after(now)}
        if locked.awaiting_since is None:
            changes.update(awaiting_since=now, reply_due_at=queries.reply_due(now, locked.language))
        SecureThread.objects.filter(pk=locked.pk).update(**changes)
        tallies.secure_event(tallies.SECURE_RECEIVED, now, locked.language)
        campaign_counts.count(campaign, campaign_measures.SECURE_MESSAGES, now)
        events.publish(events.INBOX_GROUP, "inbox.changed", thread=locked.public_id.hex)
        request_secure_routing()
    thread.refresh_from_db()
    return message


# --- secure messages: staff ------------------------------------------------------------------


# Made when raised, so the words are in the language of the person who is refused.
def thread_taken() -> Refusal:
    return Refusal(
        "thread_taken",
        gettext("A colleague has already taken this message, so it is no longer in the inbox."),
    )


def thread_answered() -> Refusal:
    return Refusal(
        "thread_answered",
        gettext(
            "This conversation has been answered and is not waiting for anyone. It comes back to the inbox "
            "if the person writes again."
        ),
    )


def do_take_secure_thread(
    thread: SecureThread, profile: StaffProfile, now: datetime | None = None
) -> SecureThread:
    """Claim a thread from the inbox. Two people clicking at once: exactly one gets it."""
    now = now or timezone.now()
    with transaction.atomic(durable=True):
        claimed = SecureThread.objects.filter(
            pk=thread.pk, assigned_to__isnull=True, awaiting_since__isnull=False
        ).update(assigned_to=profile, assigned_at=now)
        if claimed != 1:
            thread.refresh_from_db()
            if thread.assigned_to_id == profile.id:
                return thread
            if thread.awaiting_since is None:
                raise thread_answered()
            raise thread_taken()
        events.publish(events.INBOX_GROUP, "inbox.changed", thread=thread.public_id.hex)
    thread.refresh_from_db()
    return thread


def do_release_secure_thread(thread: SecureThread, profile: StaffProfile) -> bool:
    """Put a thread back in the inbox for someone else."""
    with transaction.atomic(durable=True):
        released = (
            SecureThread.objects.filter(pk=thread.pk, assigned_to=profile).update(
                assigned_to=None, assigned_at=None
            )
            == 1
        )
        if released:
            events.publish(events.INBOX_GROUP, "inbox.changed", thread=thread.public_id.hex)
    thread.refresh_from_db()
    return released


def do_reply_to_secure_thread(
    thread: SecureThread, profile: StaffProfile, body: object, now: datetime | None = None
) -> SecureMessage:
    """A staff reply. Answers everything waiting, counted as within or past the reply target, and the
    thread leaves the inbox (a new message from the seeker brings it back)."""
    text = clean_secure_body(body)
    now = now or timezone.now()
    with transaction.atomic(durable=True):
        locked = SecureThread.objects.select_for_update().get(pk=thread.pk)
        if locked.assigned_to_id not in (None, profile.id):
            raise thread_taken()
        message = SecureMessage.objects.create(
            thread=locked, sender=SecureMessage.Sender.STAFF, staff=profile, body=text, created_at=now
        )
        if locked.awaiting_since is not None:
            in_target = locked.reply_due_at is None or now < locked.reply_due_at
            tallies.secure_event(
                tallies.SECURE_ANSWERED_IN_TARGET if in_target else tallies.SECURE_ANSWERED_LATE,
                now,
                locked.language,
            )
        SecureThread.objects.filter(pk=locked.pk).update(
            awaiting_since=None,
            reply_due_at=None,
            assigned_to=None,
            assigned_at=None,
            last_message_at=now,
            delete_after=queries.delete_after(now),
        )
        events.publish(events.INBOX_GROUP, "inbox.changed", thread=locked.public_id.hex)
    thread.refresh_from_db()
    return message


def do_route_secure_threads(now: datetime | None = None) -> list[int]:
    """Give unclaimed threads awaiting a reply to available staff who write in their language, the
    longest-waiting first, up to SECURE_THREADS_PER_STAFF each. The same rule as chats
    (helpline.chat.routing): fewest held first, then longest idle. Returns the ids of threads assigned.

    Staff rows are not locked: chat routing locks them (SKIP LOCKED) and must never skip someone
    because a thread run held them. Runs are serialised by a short cache lock instead, and each thread
    is claimed with a conditional update, so none is given twice."""
    cache.delete(jobs.SECURE_ROUTING_PENDING_KEY)
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
            events.publish(events.INBOX_GROUP, "inbox.changed", routed=len(assigned))
    return assigned


def do_release_threads_of_offline_staff(now: datetime | None = None) -> int:
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
            events.publish(events.INBOX_GROUP, "inbox.changed", released=released)
    return released
