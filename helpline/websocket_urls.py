from django.urls import path

from helpline import consumers

websocket_urlpatterns = [
    path("chat/ws/", consumers.SeekerConsumer.as_asgi()),
    path("staff/ws/", consumers.StaffConsumer.as_asgi()),
]
