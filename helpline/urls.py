from django.urls import include, path

from helpline.views import seeker

urlpatterns = [
    path("chat/", seeker.chat, name="chat"),
    path("staff/", include("helpline.urls_staff")),
]
