"""Routing: waiting chats are offered to free staff who speak the language (helpline.chat.routing's pure
rule), accepted or declined, put back in the queue, or transferred to a colleague."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext

from helpline import events, jobs
from helpline.chat import presence, queue, routing, texts, triage
from helpline.chat.actions import notes
from helpline.chat.actions.messages import announce_state, append_message
from helpline.errors import Refusal
from helpline.jobs import request_queue_news, request_routing
from helpline.models import (
    Availability,
    CannedResponse,
    ChatSession,
    Message,
    StaffNote,
    StaffProfile,
)
from helpline.staff import wellbeing
from helpline.stats import tallies

ROUTING_LOCK_ID = 0x68656C70  # pg_advisory_xact_lock key shared by every routing run

Status = ChatSession.Status


def do_route_waiting_seekers(now: datetime | None = None) -> list[int]:
    """Offer waiting chats to staff with free slots. Returns the ids of chats offered.

    Staff rows and waiting chats are locked with SKIP LOCKED, so a second worker running at the
    same moment takes none of the same people and plans only with what is left.
    """
    cache.delete(jobs.ROUTING_PENDING_KEY)
    now = now or timezone.now()
    offered: list[int] = []
    with transaction.atomic(durable=True):
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
            loads = queue.staff_loads(ids)
            wrap_up_due = queue.staff_with_wrap_up_due(ids)
            resting = wellbeing.resting_ids(profiles, now)
            slots = [
                routing.StaffSlot(
                    staff_id=p.id,
                    languages=frozenset(p.languages),
                    max_chats=p.max_chats,
                    open_chats=loads.get(p.id, 0),
                    idle_since=p.idle_since,
                    wrap_up_due=p.id in wrap_up_due,
                    skills=frozenset(p.skills),
                    resting=p.id in resting,
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
                    .only("id", "priority", "queued_at", "language", "topic", "about")[: max(free * 20, 200)]
                )
            # Nobody is offered a seeker who has left the page: the offer would only tie up a person
            # for its whole timeout. If they come back in time, the next run offers them in their place.
            gone = gone_seekers([c.id for c in waiting], now)
            plan = routing.plan_assignments(
                [
                    routing.WaitingSeeker(c.id, c.priority, c.queued_at, c.language, triage.skill_needed(c))
                    for c in waiting
                    if c.id not in gone
                ],
                slots,
                now,
                timedelta(seconds=settings.HELPLINE["SKILL_WAIT_SECONDS"]),
            )
            by_id = {p.id: p for p in profiles}
            for assignment in plan:
                if _offer(assignment.session_id, by_id[assignment.staff_id], now):
                    offered.append(assignment.session_id)
        transaction.on_commit(request_queue_news)
    return offered


def gone_seekers(chat_ids: list[int], now: datetime) -> set[int]:
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
    announce_offer(chat, profile, expires)
    announce_state(chat)
    return True


def do_accept_offer(chat: ChatSession, profile: StaffProfile) -> ChatSession:
    now = timezone.now()
    with transaction.atomic(durable=True):
        first_answer = chat.answered_at is None
        claimed = ChatSession.objects.filter(pk=chat.pk, status=Status.OFFERED, offered_to=profile).update(
            status=Status.ACTIVE,
            staff=profile,
            offered_to=None,
            offer_expires_at=None,
            answered_at=F("answered_at") if not first_answer else now,
        )
        if claimed != 1:
            raise Refusal(
                "offer_gone",
                gettext("This chat is no longer offered to you (it may have timed out or the person left)."),
            )
        chat.refresh_from_db()
        # Both sides hear of the change before the first messages arrive.
        events.publish(events.staff_group(profile.id), "chat.assigned", chat=chat.public_id.hex)
        announce_state(chat)
        locked = ChatSession.objects.select_for_update().get(pk=chat.pk)
        if first_answer:
            append_message(locked, Message.Sender.SYSTEM, confidentiality_statement(locked.language))
        append_message(
            locked,
            Message.Sender.SYSTEM,
            texts.in_language(locked.language, texts.STAFF_JOINED, name=profile.display_name),
        )
        request_routing()
        # Last: the day's counters are one row for everyone, locked until this transaction commits.
        tallies.tally_chat(chat.id)
    return chat


def confidentiality_statement(language: str) -> str | Promise:
    """The team's own wording (a canned response, written in the service's main language) for chats in
    that language; any other chat gets the translated statement rather than words it may not read."""
    if language == settings.LANGUAGE_CODE:
        canned = CannedResponse.objects.filter(kind=CannedResponse.Kind.CONFIDENTIALITY, active=True).first()
        if canned:
            return canned.body
    return texts.CONFIDENTIALITY_STATEMENT


def do_return_to_queue(
    chat: ChatSession, notice: str | Promise, *, set_away: StaffProfile | None = None
) -> bool:
    """Put an offered or active chat back at the front of its queue (it keeps its place in time)."""
    with transaction.atomic():
        locked = ChatSession.objects.select_for_update().get(pk=chat.pk)
        if locked.status not in (Status.OFFERED, Status.ACTIVE):
            return False
        previous_staff = locked.staff_id or locked.offered_to_id
        was_active = locked.status == Status.ACTIVE
        # A supervisor who had joined to help leaves with the staff member (the seeker is told they are
        # back in the queue); they can join again once someone has answered.
        ChatSession.objects.filter(pk=chat.pk).update(
            status=Status.WAITING, staff=None, offered_to=None, offer_expires_at=None, joined_by=None
        )
        if was_active:
            append_message(locked, Message.Sender.SYSTEM, notice)
        if previous_staff:
            events.publish(events.staff_group(previous_staff), "chat.removed", chat=locked.public_id.hex)
        if set_away is not None:
            set_away_at = timezone.now()
            if StaffProfile.objects.filter(pk=set_away.pk, availability=Availability.AVAILABLE).update(
                availability=Availability.AWAY, availability_changed_at=set_away_at
            ):
                wellbeing.note_availability(set_away.pk, Availability.AWAY, set_away_at)
            events.publish(events.staff_group(set_away.id), "availability", availability=Availability.AWAY)
        locked.refresh_from_db()
        announce_state(locked)
        request_routing()
    return True


def do_decline_offer(chat: ChatSession, profile: StaffProfile) -> bool:
    if chat.status != Status.OFFERED or chat.offered_to_id != profile.id:
        return False
    return do_return_to_queue(chat, texts.REQUEUED_BY_TRANSFER)


def do_expire_offers(now: datetime | None = None) -> int:
    """Offers not accepted in time go back to the queue; the staff member is set to away."""
    now = now or timezone.now()
    expired = 0
    for chat in ChatSession.objects.filter(status=Status.OFFERED, offer_expires_at__lte=now).select_related(
        "offered_to"
    ):
        if do_return_to_queue(chat, texts.REQUEUED_BY_TRANSFER, set_away=chat.offered_to):
            expired += 1
    return expired


def do_transfer_chat(
    chat: ChatSession, from_staff: StaffProfile, to_staff: StaffProfile | None, note: object = ""
) -> None:
    """Hand a live chat to a named colleague (who must accept it) or back to the front of the queue,
    with an optional handover note for whoever takes it over (a StaffNote: the seeker never sees it)."""
    if chat.staff_id != from_staff.id or chat.status != Status.ACTIVE:
        raise Refusal("not_your_chat", gettext("Only a live chat of your own can be transferred."))
    handover = notes.clean_note(note, optional=True)
    if to_staff is None:
        with transaction.atomic(durable=True):
            if do_return_to_queue(chat, texts.REQUEUED_BY_TRANSFER) and handover:
                notes.add_note(chat, from_staff, StaffNote.Kind.HANDOVER, handover)
        return
    if to_staff.id == from_staff.id:
        raise Refusal("bad_transfer", gettext("Choose a colleague other than yourself."))
    now = timezone.now()
    with transaction.atomic(durable=True):
        target = StaffProfile.objects.select_for_update().get(pk=to_staff.pk)
        load = queue.staff_loads([target.id]).get(target.id, 0)
        owes_wrap_up = target.id in queue.staff_with_wrap_up_due([target.id])
        if target.availability != Availability.AVAILABLE or load >= target.max_chats or owes_wrap_up:
            raise Refusal(
                "colleague_busy",
                gettext("%(name)s has no free slot just now. Choose someone else.")
                % {"name": target.display_name},
            )
        if target.id in wellbeing.resting_ids([target], now):
            # Past the longest shift or on a break after a heavy chat: no new chats, handed over or not.
            raise Refusal(
                "colleague_resting",
                gettext("%(name)s is not taking new chats just now. Choose someone else.")
                % {"name": target.display_name},
            )
        if chat.language not in target.languages:
            raise Refusal(
                "wrong_language",
                gettext("%(name)s does not chat in this language.") % {"name": target.display_name},
            )
        locked = ChatSession.objects.select_for_update().get(pk=chat.pk)
        if locked.status != Status.ACTIVE or locked.staff_id != from_staff.id:
            raise Refusal("not_your_chat", gettext("Only a live chat of your own can be transferred."))
        append_message(locked, Message.Sender.SYSTEM, texts.TRANSFERRED_TO)
        expires = now + timedelta(seconds=settings.HELPLINE["OFFER_TIMEOUT_SECONDS"])
        ChatSession.objects.filter(pk=chat.pk).update(
            status=Status.OFFERED, staff=None, offered_to=target, offer_expires_at=expires
        )
        events.publish(events.staff_group(from_staff.id), "chat.removed", chat=locked.public_id.hex)
        if handover:
            locked.staff_id, locked.offered_to_id = None, target.id
            notes.add_note(locked, from_staff, StaffNote.Kind.HANDOVER, handover)
        announce_offer(locked, target, expires, transfer=True)
        locked.refresh_from_db()
        announce_state(locked)


def announce_offer(chat: ChatSession, to: StaffProfile, expires: datetime, *, transfer: bool = False) -> None:
    """Tell a staff member's pages a chat is offered to them (on commit), with what the offer shows."""
    details = {"transfer": True} if transfer else {}
    events.publish(
        events.staff_group(to.id),
        "offer.made",
        chat=chat.public_id.hex,
        language=chat.language,
        about=chat.about,
        triage=chat.triage,
        expires_at=expires.isoformat(),
        **details,
    )
