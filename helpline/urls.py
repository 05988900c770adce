from django.contrib.auth import views as auth_views
from django.urls import path

from helpline.views import seeker

urlpatterns = [
    path("chat/", seeker.chat, name="chat"),
    path("staff/login/", auth_views.LoginView.as_view(), name="staff-login"),
    path("staff/logout/", auth_views.LogoutView.as_view(), name="staff-logout"),
]
