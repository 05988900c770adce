from django.urls import include, path

from helpline.views import inbox, secure_messages, seeker, stats

urlpatterns = [
    path("chat/", seeker.chat, name="chat"),
    path("chat/start/", seeker.chat_start, name="chat-start"),
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
    # Secure messages: the passphrase travels only in POST bodies, never in a URL.
    path("messages/", secure_messages.home, name="secure-home"),
    path("messages/new/", secure_messages.create, name="secure-create"),
    path("messages/open/", secure_messages.open_thread, name="secure-open"),
    path("messages/reply/", secure_messages.reply, name="secure-reply"),
    # Staff pages of this work live here (before the include, so these paths match first).
    path("staff/inbox/", inbox.inbox_list, name="staff-inbox"),
    path("staff/inbox/<uuid:public_id>/", inbox.thread, name="staff-inbox-thread"),
    path("staff/inbox/<uuid:public_id>/take/", inbox.take, name="staff-inbox-take"),
    path("staff/inbox/<uuid:public_id>/release/", inbox.release, name="staff-inbox-release"),
    path("staff/inbox/<uuid:public_id>/reply/", inbox.reply, name="staff-inbox-reply"),
    path("staff/stats/", stats.stats_page, name="staff-stats"),
    path("staff/", include("helpline.urls_staff")),
]
