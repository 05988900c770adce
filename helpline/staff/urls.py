from django.contrib.auth import views as auth_views
from django.urls import path

from helpline.staff import two_factor, views

# Under /staff/: signing in and out, with the second factor.
staff_urlpatterns = [
    path("login/", two_factor.StaffLoginView.as_view(), name="staff-login"),
    path("two-factor/", two_factor.two_factor, name="two-factor"),
    path("logout/", auth_views.LogoutView.as_view(), name="staff-logout"),
    path("language/", views.interface_language, name="staff-interface-language"),
    path("break/end/", views.end_break, name="staff-end-break"),
    path("debrief/", views.request_debrief, name="staff-request-debrief"),
    path("debriefs/<int:debrief_id>/arranged/", views.arrange_debrief, name="staff-arrange-debrief"),
    path("team/<int:profile_id>/extend/", views.extend_shift, name="staff-extend-shift"),
]
