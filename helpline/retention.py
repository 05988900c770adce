"""Retention: what people wrote is deleted when its period ends, after its figures are in the daily counts."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from helpline.models import (
    ChatSession,
    SecureThread,
)
from helpline.stats import tallies

Status = ChatSession.Status

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
