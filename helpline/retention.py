"""Retention: what people wrote is deleted when its period ends, after its figures are in the daily counts."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from helpline.models import (
    ChatSession,
    DecisionRecord,
    Escalation,
    SecureThread,
)
from helpline.staff import wellbeing
from helpline.staff.models import display_name_of
from helpline.stats import tallies

Status = ChatSession.Status

# --- retention -------------------------------------------------------------------------------

PURGE_BATCH = 200


def purge_expired(now: datetime | None = None) -> dict[str, int]:
    """Delete what people wrote once its retention period is over; only the daily counts stay.

    Ended chats go CHAT_RETENTION_HOURS after they ended, with their messages, wrap-up and escalations;
    a chat with an escalation still awaiting a supervisor's decision is kept until decided, and each
    decision stays as a DecisionRecord (no words, no person) for DECISION_RECORD_DAYS.
    Secure threads go once their deletion date (a retention period after the last message) is past.
    Staff wellbeing records (helpline.staff.wellbeing) go after the chats' period too.
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
            list(ChatSession.objects.select_for_update().filter(id__in=ids).values_list("id", flat=True))
            going = list(purgeable.filter(id__in=ids).values_list("id", flat=True))
            keep_decisions(going, now)
            # Re-checked inside the delete: an escalation raised in the meantime keeps its chat (its
            # decided ones would then be recorded again when it goes: a repeat, never a loss).
            deleted = purgeable.filter(id__in=going).delete()[1].get(ChatSession._meta.label, 0)
        result["chats"] += deleted
        if deleted == 0:
            break
    result["decision_records"] = DecisionRecord.objects.filter(kept_until__lte=now).delete()[0]
    # Staff wellbeing records (time on shift, extensions, debrief requests) live no longer than chats.
    result["wellbeing_records"] = wellbeing.forget_before(chat_cutoff)
    for thread_id in SecureThread.objects.filter(delete_after__lte=now).values_list("id", flat=True):
        with transaction.atomic():
            locked = (
                SecureThread.objects.select_for_update().filter(pk=thread_id, delete_after__lte=now).first()
            )
            if locked is None:
                continue  # the seeker wrote again just now: the thread lives on
            if locked.awaiting_since is not None:
                tallies.secure_event(tallies.SECURE_EXPIRED_UNANSWERED, now, locked.language)
            locked.delete()
            result["threads"] += 1
    return result


def keep_decisions(chat_ids: list[int], now: datetime) -> None:
    """Before the chats go: each decided escalation as a record without the chat (DecisionRecord)."""
    kept_until = now + timedelta(days=settings.HELPLINE["DECISION_RECORD_DAYS"])
    decided = Escalation.objects.filter(session_id__in=chat_ids).exclude(decision="")
    DecisionRecord.objects.bulk_create(
        DecisionRecord(
            reason=escalation.reason,
            decision=escalation.decision,
            raised_at=escalation.raised_at,
            decided_at=escalation.decided_at,
            decided_by=display_name_of(escalation.decided_by),
            chat_language=escalation.session.language,
            campaign_id=escalation.campaign_id,
            kept_until=kept_until,
        )
        for escalation in decided.select_related("decided_by", "session")
    )
