"""Every helpline route, gathered from the rooms: seekers' pages at the top, staff pages under /staff/."""

from django.urls import include, path

from helpline.chat import urls as chat
from helpline.inbox import urls as inbox
from helpline.staff import urls as staff
from helpline.stats import urls as stats

urlpatterns = [
    *chat.seeker_urlpatterns,
    *inbox.seeker_urlpatterns,
    path(
        "staff/",
        include(
            [
                *staff.staff_urlpatterns,
                *inbox.staff_urlpatterns,
                *stats.staff_urlpatterns,
                *chat.staff_urlpatterns,
            ]
        ),
    ),
]
