"""The end of a chat: ending it, escalations to a supervisor, the wrap-up staff record and the seeker's
optional feedback."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from helpline import events
from helpline.campaigns import counts as campaign_counts
from helpline.campaigns import measures as campaign_measures
from helpline.chat import presence, texts
from helpline.chat.actions.messages import announce_state, append_message
from helpline.chat.actions.seeker import do_leave_queue
from helpline.errors import Refusal
from helpline.jobs import request_routing
from helpline.models import (
    Campaign,
    ChatSession,
    Escalation,
    Message,
    StaffProfile,
    WrapUp,
)
from helpline.staff import wellbeing
from helpline.stats import tallies

Status = ChatSession.Status


def do_end_chat(chat: ChatSession, *, by_staff: StaffProfile | None = None) -> bool:
    """End a chat from either side. The staff member then owes a wrap-up before the next offer."""
    reason = ChatSession.EndReason.STAFF_ENDED if by_staff else ChatSession.EndReason.SEEKER_ENDED
    with transaction.atomic(durable=True):
        locked = ChatSession.objects.select_for_update().get(pk=chat.pk)
        if by_staff is not None and locked.staff_id != by_staff.id:
            raise Refusal("not_your_chat", gettext("This chat is no longer with you."))
        if locked.status == Status.ENDED:
            return False
        if locked.status != Status.ACTIVE:
            return do_leave_queue(locked)
        append_message(locked, Message.Sender.SYSTEM, texts.STAFF_ENDED if by_staff else texts.SEEKER_ENDED)
        finish_chat(locked, reason)
    presence.forget_seeker(chat.id)
    return True


def finish_chat(locked: ChatSession, reason: str) -> None:
    ChatSession.objects.filter(pk=locked.pk).update(
        status=Status.ENDED, end_reason=reason, ended_at=timezone.now()
    )
    locked.refresh_from_db()
    tallies.tally_chat(locked.id)
    # A heavy chat (escalated, or long) is followed by a short pause in offers to its member of staff.
    wellbeing.start_break_after_chat(locked.staff_id, locked.answered_at, locked.ended_at, locked.escalated)
    if locked.staff_id:
        events.publish(events.staff_group(locked.staff_id), "chat.ended", chat=locked.public_id.hex)
    announce_state(locked)
    request_routing()


def do_escalate(chat: ChatSession, profile: StaffProfile, reason: str) -> Escalation:
    if reason not in Escalation.Reason.values:
        raise Refusal("bad_reason", gettext("Choose the kind of concern."))
    with transaction.atomic(durable=True):
        # The chat's campaign as it is now (the caller's copy may be stale), so the decision record can
        # keep it after the chat is gone.
        campaign_id = ChatSession.objects.filter(pk=chat.pk).values_list("campaign_id", flat=True).first()
        escalation = Escalation.objects.create(
            session=chat, raised_by=profile, reason=reason, campaign_id=campaign_id
        )
        ChatSession.objects.filter(pk=chat.pk).update(escalated=True)
        tallies.escalation_raised(escalation, chat)
        events.publish(
            events.SUPERVISORS_GROUP,
            "escalation.raised",
            escalation=escalation.id,
            chat=chat.public_id.hex,
            reason=str(escalation.get_reason_display()),
            # Each supervisor's console says the reason in their own language (StaffConsumer).
            reason_code=escalation.reason,
            raised_by=profile.display_name,
        )
    return escalation


def do_decide_escalation(escalation: Escalation, supervisor: StaffProfile, decision: str) -> Escalation:
    if decision not in Escalation.Decision.values:
        raise Refusal("bad_decision", gettext("Choose the decision taken."))
    with transaction.atomic(durable=True):
        updated = Escalation.objects.filter(pk=escalation.pk, decision="").update(
            decision=decision, decided_by=supervisor, decided_at=timezone.now()
        )
        if updated != 1:
            raise Refusal(
                "already_decided", gettext("A decision has already been recorded for this escalation.")
            )
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


# The short wrap-up of a chat whose seeker left without writing a word (do_close_chat_seeker_left).
LEFT_BEFORE_ANSWERING = WrapUpAnswers(
    about=WrapUp.About.OTHER,
    topics=[],
    protective_actions=[WrapUp.ProtectiveAction.NONE],
    heard_from=WrapUp.HeardFrom.OTHER,
    outcome=WrapUp.Outcome.LEFT_EARLY,
)


def do_record_wrap_up(chat: ChatSession, profile: StaffProfile, answers: WrapUpAnswers) -> WrapUp:
    with transaction.atomic():
        chat = ChatSession.objects.select_for_update().get(pk=chat.pk)  # the caller's copy may be stale
        if chat.staff_id != profile.id or chat.status != Status.ENDED:
            raise Refusal("not_your_chat", gettext("Only a chat you ended can be wrapped up by you."))
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
            raise Refusal("already_wrapped_up", gettext("This chat has already been wrapped up."))
        tallies.tally_chat(chat.id)
        events.publish(events.staff_group(profile.id), "wrap_up.done", chat=chat.public_id.hex)
        request_routing()  # the person can take offers again
    return wrap_up


def do_record_seeker_feedback(
    chat: ChatSession, answers: dict[str, str], campaign: Campaign | None = None
) -> None:
    """The seeker's optional answers at the end of an answered chat, added to the day's counts. Once per
    chat: the conditional update on `feedback_given` lets one form through, even for two tabs at once.
    The flag is all that is kept on the chat, and the retention purge deletes it with the chat."""
    given = {question: answer for question, answer in answers.items() if answer}
    if not given:
        raise Refusal("empty_feedback", str(texts.FEEDBACK_EMPTY))
    with transaction.atomic(durable=True):
        claimed = ChatSession.objects.filter(
            pk=chat.pk, status=Status.ENDED, answered_at__isnull=False, feedback_given=False
        ).update(feedback_given=True)
        if claimed != 1:
            current = ChatSession.objects.filter(pk=chat.pk).first()
            if current is not None and current.feedback_given:
                raise Refusal("feedback_given", str(texts.FEEDBACK_ALREADY))
            raise Refusal("feedback_not_yet", str(texts.FEEDBACK_NOT_YET))
        tallies.seeker_feedback(chat, given)
        campaign_counts.count(campaign, campaign_measures.FEEDBACK)
    chat.feedback_given = True


@dataclass(frozen=True)
class ClosedAfterLeaving:
    chat: ChatSession
    wrapped_up: bool  # the seeker never wrote, so the short wrap-up was recorded with the close


def do_close_chat_seeker_left(chat: ChatSession, profile: StaffProfile) -> ClosedAfterLeaving:
    """Staff close a live chat whose seeker has left the page, instead of waiting out the long grace
    period a live chat gets. If the seeker never wrote a word, the wrap-up is the short one ("left
    before answering") and is recorded here; otherwise the usual wrap-up follows."""
    now = timezone.now()
    seen = presence.seeker_presence([chat.id], now.timestamp())[chat.id]
    if seen.state is not presence.SeekerState.GONE:
        raise Refusal(
            "seeker_still_here",
            gettext(
                "The person may still be there, so the chat stays open. "
                "You can end it as usual if you need to."
            ),
        )
    with transaction.atomic(durable=True):
        locked = ChatSession.objects.select_for_update().get(pk=chat.pk)
        if locked.staff_id != profile.id or locked.status != Status.ACTIVE:
            raise Refusal("not_your_chat", gettext("This chat is no longer with you."))
        seeker_wrote = locked.messages.filter(sender=Message.Sender.SEEKER).exists()
        append_message(locked, Message.Sender.SYSTEM, texts.CLOSED_AFTER_SEEKER_LEFT)
        finish_chat(locked, ChatSession.EndReason.ABANDONED)
        if not seeker_wrote:
            do_record_wrap_up(locked, profile, LEFT_BEFORE_ANSWERING)
    presence.forget_seeker(chat.id)
    return ClosedAfterLeaving(locked, wrapped_up=not seeker_wrote)
