"""Every change to a live chat. Views, sockets and tasks call these and nothing else.

Each `do_*` writes inside a transaction and publishes its events on commit (helpline.events). Claims
use a conditional update that must change exactly one row, so two workers or two clicks can never both
take the same chat. One module per stage of a chat's life; this package gathers their entry points."""

from helpline.chat.actions.housekeeping import (
    do_abandon_vanished_seekers,
    do_close_queue_after_hours,
    do_requeue_for_dropped_staff,
    do_withdraw_offers_to_departed,
    sweep,
)
from helpline.chat.actions.messages import (
    announce_state,
    append_message,
    do_send_message,
    do_typing,
    staff_name,
)
from helpline.chat.actions.offers import (
    confidentiality_statement,
    do_accept_offer,
    do_decline_offer,
    do_expire_offers,
    do_return_to_queue,
    do_route_waiting_seekers,
    do_transfer_chat,
    gone_seekers,
)
from helpline.chat.actions.seeker import (
    check_in_seeker,
    check_in_seekers,
    do_leave_queue,
    do_start_chat,
    do_start_chat_if_open,
    note_closed_visit,
    seeker_departed,
)
from helpline.chat.actions.wrap_up import (
    LEFT_BEFORE_ANSWERING,
    ClosedAfterLeaving,
    WrapUpAnswers,
    do_close_chat_seeker_left,
    do_decide_escalation,
    do_end_chat,
    do_escalate,
    do_record_seeker_feedback,
    do_record_wrap_up,
    finish_chat,
)

__all__ = [
    "LEFT_BEFORE_ANSWERING",
    "ClosedAfterLeaving",
    "WrapUpAnswers",
    "announce_state",
    "append_message",
    "check_in_seeker",
    "check_in_seekers",
    "confidentiality_statement",
    "do_abandon_vanished_seekers",
    "do_accept_offer",
    "do_close_chat_seeker_left",
    "do_close_queue_after_hours",
    "do_decide_escalation",
    "do_decline_offer",
    "do_end_chat",
    "do_escalate",
    "do_expire_offers",
    "do_leave_queue",
    "do_record_seeker_feedback",
    "do_record_wrap_up",
    "do_requeue_for_dropped_staff",
    "do_return_to_queue",
    "do_route_waiting_seekers",
    "do_send_message",
    "do_start_chat",
    "do_start_chat_if_open",
    "do_transfer_chat",
    "do_typing",
    "do_withdraw_offers_to_departed",
    "finish_chat",
    "gone_seekers",
    "note_closed_visit",
    "seeker_departed",
    "staff_name",
    "sweep",
]
