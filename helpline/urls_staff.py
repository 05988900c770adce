from django.contrib.auth import views as auth_views
from django.urls import path

from helpline.views import shell, staff, two_factor

urlpatterns = [
    path("login/", two_factor.StaffLoginView.as_view(), name="staff-login"),
    path("two-factor/", two_factor.two_factor, name="two-factor"),
    path("logout/", auth_views.LogoutView.as_view(), name="staff-logout"),
    path("", staff.console, name="staff-console"),
    path("state/", staff.state, name="staff-state"),
    path("pulse/", shell.pulse, name="staff-pulse"),
    path("pulse/frame/", shell.pulse_frame, name="staff-pulse-frame"),
    path("chats/<uuid:public_id>/close-left/", staff.close_left, name="staff-close-left"),
    path("availability/", staff.availability, name="staff-availability"),
    path("chats/<uuid:public_id>/", staff.transcript, name="staff-transcript"),
    path("chats/<uuid:public_id>/accept/", staff.accept, name="staff-accept"),
    path("chats/<uuid:public_id>/decline/", staff.decline, name="staff-decline"),
    path("chats/<uuid:public_id>/send/", staff.send, name="staff-send"),
    path("chats/<uuid:public_id>/end/", staff.end, name="staff-end"),
    path("chats/<uuid:public_id>/transfer/", staff.transfer, name="staff-transfer"),
    path("chats/<uuid:public_id>/escalate/", staff.escalate, name="staff-escalate"),
    path("chats/<uuid:public_id>/messages/", staff.chat_messages, name="staff-messages"),
    path("chats/<uuid:public_id>/wrap-up/", staff.wrap_up, name="staff-wrap-up"),
    path("supervisor/", staff.supervisor_board, name="staff-supervisor"),
    path("supervisor/state/", staff.supervisor_state, name="staff-supervisor-state"),
    path("escalations/<int:escalation_id>/decide/", staff.decide, name="staff-decide"),
]
