"""The periodic sweep: staff whose pages fell silent, seekers who vanished, offers to people who left,
and chats still waiting when the service closes."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from helpline import events
from helpline.chat import presence, texts
from helpline.chat.actions.messages import append_message
from helpline.chat.actions.offers import (
    do_expire_offers,
    do_return_to_queue,
    do_route_waiting_seekers,
    gone_seekers,
)
from helpline.chat.actions.wrap_up import finish_chat
from helpline.hours import schedules
from helpline.inbox.actions import do_release_threads_of_offline_staff, do_route_secure_threads
from helpline.models import (
    Availability,
    ChatSession,
    Message,
    StaffProfile,
)
from helpline.staff import wellbeing

Status = ChatSession.Status

# --- housekeeping ---------------------------------------------------------------------------


def do_requeue_for_dropped_staff(now: datetime | None = None) -> int:
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
            wellbeing.note_availability(profile.pk, Availability.OFFLINE, now)
            for chat in ChatSession.objects.live_with(profile):
                moved += do_return_to_queue(chat, texts.REQUEUED_AFTER_DROP)
            for chat in ChatSession.objects.filter(offered_to=profile, status=Status.OFFERED):
                moved += do_return_to_queue(chat, texts.REQUEUED_BY_TRANSFER)
    return moved


def do_abandon_vanished_seekers(now: datetime | None = None) -> int:
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
                append_message(locked, Message.Sender.SYSTEM, texts.SEEKER_VANISHED)
            finish_chat(locked, ChatSession.EndReason.ABANDONED)
            if locked.offered_to_id:
                events.publish(
                    events.staff_group(locked.offered_to_id), "offer.withdrawn", chat=locked.public_id.hex
                )
                ChatSession.objects.filter(pk=locked.pk).update(offered_to=None, offer_expires_at=None)
            ended += 1
    return ended


def do_withdraw_offers_to_departed(now: datetime | None = None) -> int:
    """An offer whose seeker has left the page goes back to the queue at once, without setting the
    staff member away (they did nothing wrong): nobody accepts a ghost. The chat keeps its place until
    the queue's grace period ends it, in case the seeker comes back."""
    now = now or timezone.now()
    offered = list(ChatSession.objects.filter(status=Status.OFFERED).only("id", "offered_to_id"))
    gone = gone_seekers([c.id for c in offered], now)
    withdrawn = 0
    for chat in offered:
        if chat.id in gone and do_return_to_queue(chat, texts.REQUEUED_BY_TRANSFER):
            withdrawn += 1
    return withdrawn


def sweep(now: datetime | None = None) -> dict[str, int]:
    """The periodic safety net: expired offers, dropped staff, vanished seekers, then routing."""
    now = now or timezone.now()
    result = {
        "offers_expired": do_expire_offers(now),
        "offers_withdrawn": do_withdraw_offers_to_departed(now),
        "requeued_for_dropped_staff": do_requeue_for_dropped_staff(now),
        "abandoned": do_abandon_vanished_seekers(now),
        "closed_after_hours": do_close_queue_after_hours(now),
    }
    result["offered"] = len(do_route_waiting_seekers(now))
    result["threads_released"] = do_release_threads_of_offline_staff(now)
    result["threads_routed"] = len(do_route_secure_threads(now))
    return result


def do_close_queue_after_hours(now: datetime | None = None) -> int:
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
                finish_chat(locked, ChatSession.EndReason.CLOSED)
            presence.forget_seeker(chat_id)
            ended += 1
    return ended
