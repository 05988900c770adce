from django.urls import path

from helpline.inbox.views import seeker, staff

# Secure messages: the passphrase travels only in POST bodies, never in a URL.
seeker_urlpatterns = [
    path("messages/", seeker.home, name="secure-home"),
    path("messages/new/", seeker.create, name="secure-create"),
    path("messages/open/", seeker.open_thread, name="secure-open"),
    path("messages/reply/", seeker.reply, name="secure-reply"),
]

# Under /staff/.
staff_urlpatterns = [
    path("inbox/", staff.inbox_list, name="staff-inbox"),
    path("inbox/<uuid:public_id>/", staff.thread, name="staff-inbox-thread"),
    path("inbox/<uuid:public_id>/take/", staff.take, name="staff-inbox-take"),
    path("inbox/<uuid:public_id>/release/", staff.release, name="staff-inbox-release"),
    path("inbox/<uuid:public_id>/reply/", staff.reply, name="staff-inbox-reply"),
]
