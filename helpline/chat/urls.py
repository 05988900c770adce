from django.urls import path

from helpline.chat.views import seeker, shell, staff, start, supervisor

# Where a chat starts, under the page's language prefix (/nl/chat/), so partners can link to it.
seeker_entry_urlpatterns = [
    path("chat/", start.chat, name="chat"),
]

# A seeker's chat once started: one cookie (path /chat/) finds it, nothing in the URL, no language prefix;
# these pages speak the chat's own language.
seeker_urlpatterns = [
    path("chat/start/", start.chat_start, name="chat-start"),
    path("chat/session/", seeker.chat_session, name="chat-session"),
    path("chat/session/live/", seeker.chat_live, name="chat-live"),
    path("chat/session/poll/", seeker.chat_poll, name="chat-poll"),
    path("chat/session/notice/", seeker.chat_notice, name="chat-notice"),
    path("chat/session/send/", seeker.chat_send, name="chat-send"),
    path("chat/session/end/", seeker.chat_end, name="chat-end"),
    path("chat/session/close/", seeker.chat_close, name="chat-close"),
    path("chat/session/feedback/", seeker.chat_feedback, name="chat-feedback"),
    path("chat/session/transcript.txt", seeker.chat_copy, name="chat-copy"),
    path("chat/ended/", seeker.chat_ended, name="chat-ended"),
]

# Under /staff/: the console, the page shell's pulse and the supervisor board.
staff_urlpatterns = [
    path("", staff.console, name="staff-console"),
    path("state/", staff.state, name="staff-state"),
    path("pulse/", shell.pulse, name="staff-pulse"),
    path("pulse/frame/", shell.pulse_frame, name="staff-pulse-frame"),
    path("chats/<uuid:public_id>/close-left/", staff.close_left, name="staff-close-left"),
    path("availability/", staff.availability, name="staff-availability"),
    path("chats/<uuid:public_id>/", supervisor.transcript, name="staff-transcript"),
    path("chats/<uuid:public_id>/accept/", staff.accept, name="staff-accept"),
    path("chats/<uuid:public_id>/decline/", staff.decline, name="staff-decline"),
    path("chats/<uuid:public_id>/send/", staff.send, name="staff-send"),
    path("chats/<uuid:public_id>/end/", staff.end, name="staff-end"),
    path("chats/<uuid:public_id>/transfer/", staff.transfer, name="staff-transfer"),
    path("chats/<uuid:public_id>/escalate/", staff.escalate, name="staff-escalate"),
    path("chats/<uuid:public_id>/messages/", staff.chat_messages, name="staff-messages"),
    path("chats/<uuid:public_id>/wrap-up/", staff.wrap_up, name="staff-wrap-up"),
    path("supervisor/", supervisor.supervisor_board, name="staff-supervisor"),
    path("supervisor/state/", supervisor.supervisor_state, name="staff-supervisor-state"),
    path("escalations/<int:escalation_id>/decide/", supervisor.decide, name="staff-decide"),
    path("supervisor/whisper/", supervisor.whisper, name="staff-whisper"),
    path("supervisor/join/", supervisor.join, name="staff-join"),
    path("chats/<uuid:public_id>/leave/", supervisor.leave, name="staff-leave"),
    path("chats/<uuid:public_id>/write/", supervisor.write, name="staff-write"),
]
