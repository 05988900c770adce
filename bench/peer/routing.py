from django.urls import re_path

from bench.peer import consumers

websocket_urlpatterns = [
    re_path(r"^ws/chat/(?P<room_name>\w+)/(?P<sender>\w+)/$", consumers.ChatConsumer.as_asgi()),
]
