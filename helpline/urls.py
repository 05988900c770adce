"""Every helpline route, gathered from the rooms. Seekers' pages that anyone may link to live under a
language prefix (localized_urlpatterns, mounted by config.urls through i18n_patterns); a chat under way
and the staff pages (under /staff/) have none."""

from django.urls import include, path

from helpline.chat import urls as chat
from helpline.inbox import urls as inbox
from helpline.staff import urls as staff
from helpline.stats import urls as stats

localized_urlpatterns = [
    *chat.seeker_entry_urlpatterns,
    *inbox.seeker_urlpatterns,
]

urlpatterns = [
    *chat.seeker_urlpatterns,
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
