from django.urls import include, path

from helpline.views import seeker

urlpatterns = [
    path("chat/", seeker.chat, name="chat"),
    path("chat/start/", seeker.chat_start, name="chat-start"),
    path("chat/session/", seeker.chat_session, name="chat-session"),
    path("chat/session/live/", seeker.chat_live, name="chat-live"),
    path("chat/session/poll/", seeker.chat_poll, name="chat-poll"),
    path("chat/session/send/", seeker.chat_send, name="chat-send"),
    path("chat/session/end/", seeker.chat_end, name="chat-end"),
    path("chat/ended/", seeker.chat_ended, name="chat-ended"),
    path("staff/", include("helpline.urls_staff")),
]
