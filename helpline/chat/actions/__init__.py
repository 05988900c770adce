"""Every change to a live chat. Views, sockets and tasks call these and nothing else.

Each `do_*` writes inside a transaction and publishes its events on commit (helpline.events). Claims
use a conditional update that must change exactly one row, so two workers or two clicks can never both
take the same chat. One module per stage of a chat's life; this package gathers the entry points
views, sockets and tasks call (helpers such as append_message stay in their module)."""

from helpline.chat.actions.housekeeping import (
    do_abandon_vanished_seekers,
    do_close_queue_after_hours,
    do_requeue_for_dropped_staff,
    do_withdraw_offers_to_departed,
    sweep,
)
from helpline.chat.actions.messages import (
    do_send_message,
    do_send_messages,
    do_typing,
)
from helpline.chat.actions.notes import (
    do_join_chat,
    do_leave_chat,
    do_whisper,
)
from helpline.chat.actions.offers import (
    do_accept_offer,
    do_decline_offer,
    do_expire_offers,
    do_return_to_queue,
    do_route_waiting_seekers,
    do_transfer_chat,
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
    WrapUpAnswers,
    do_close_chat_seeker_left,
    do_decide_escalation,
    do_end_chat,
    do_escalate,
    do_record_seeker_feedback,
    do_record_wrap_up,
)

__all__ = [
    "WrapUpAnswers",
    "check_in_seeker",
    "check_in_seekers",
    "do_abandon_vanished_seekers",
    "do_accept_offer",
    "do_close_chat_seeker_left",
    "do_close_queue_after_hours",
    "do_decide_escalation",
    "do_decline_offer",
    "do_end_chat",
    "do_escalate",
    "do_expire_offers",
    "do_join_chat",
    "do_leave_chat",
    "do_leave_queue",
    "do_record_seeker_feedback",
    "do_record_wrap_up",
    "do_requeue_for_dropped_staff",
    "do_return_to_queue",
    "do_route_waiting_seekers",
    "do_send_message",
    "do_send_messages",
    "do_start_chat",
    "do_start_chat_if_open",
    "do_transfer_chat",
    "do_typing",
    "do_whisper",
    "do_withdraw_offers_to_departed",
    "note_closed_visit",
    "seeker_departed",
    "sweep",
]
