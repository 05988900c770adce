"""Secure messages, the read side: finding a thread by its passphrase, due dates, the staff inbox.
Changes go through helpline.inbox.actions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.dateformat import format as date_format

from helpline.hours import rules, schedules
from helpline.inbox import passphrases
from helpline.languages import language_name
from helpline.models import SecureMessage, SecureThread, StaffProfile


def reply_due(received_at: datetime, language: str) -> datetime:
    days = settings.HELPLINE["SECURE_REPLY_TARGET_WORKING_DAYS"]
    return rules.working_days_after(
        received_at, days, schedules.service_tz(), schedules.holidays_for(language, received_at)
    )


def delete_after(last_message_at: datetime) -> datetime:
    return last_message_at + timedelta(days=settings.HELPLINE["SECURE_THREAD_RETENTION_DAYS"])


def access_secure_thread(typed: str) -> SecureThread | None:
    """The thread a passphrase opens, or None. Expired threads are gone even before the purge runs."""
    if not passphrases.looks_like_a_passphrase(typed):
        return None
    thread = SecureThread.objects.filter(
        lookup=passphrases.lookup_value(typed), delete_after__gt=timezone.now()
    ).first()
    if thread is None or not passphrases.check_verifier(typed, thread.verifier):
        return None
    return thread


def thread_messages(thread: SecureThread) -> list[SecureMessage]:
    return list(thread.messages.select_related("staff").order_by("created_at", "id"))


def date_words(moment: datetime) -> str:
    local = timezone.localtime(moment)
    # Day and month names in the reader's language ("Monday 23 November 2026", "maandag 23 november 2026").
    return date_format(local, "l j F Y")


def due_words(thread: SecureThread) -> str:
    return rules.due_words(thread.reply_due_at, schedules.service_tz()) if thread.reply_due_at else ""


# --- staff ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class InboxRow:
    thread: SecureThread
    overdue: bool
    due: str
    mine: bool

    @property
    def language_name(self) -> str:
        return language_name(self.thread.language)


def inbox(profile: StaffProfile, now: datetime | None = None) -> list[InboxRow]:
    """Threads awaiting a reply, the longest-waiting first."""
    now = now or timezone.now()
    threads = SecureThread.objects.awaiting_reply().in_inbox_order().select_related("assigned_to")
    return [
        InboxRow(thread, thread.is_overdue(now), due_words(thread), thread.assigned_to_id == profile.id)
        for thread in threads
    ]


def access_staff_thread(
    profile: StaffProfile, public_id: str | UUID, *, supervisor: bool = False, to_act: bool = False
) -> SecureThread:
    """A thread this person may open: unclaimed, theirs, or any for a supervisor; others are a 404.
    With to_act (taking, replying), any thread is returned: the action itself refuses one a colleague
    holds, with words the person can act on, and nothing of its content is shown."""
    try:
        thread = SecureThread.objects.select_related("assigned_to").get(public_id=public_id)
    except (SecureThread.DoesNotExist, ValidationError, ValueError, TypeError):
        raise Http404 from None
    if to_act or supervisor or thread.assigned_to_id in (None, profile.id):
        return thread
    raise Http404


def may_read(thread: SecureThread, profile: StaffProfile, *, supervisor: bool = False) -> bool:
    """Words are shown to the person who took the thread (and supervisors), not to the whole team."""
    return supervisor or thread.assigned_to_id == profile.id
