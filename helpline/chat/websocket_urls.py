from channels.auth import AuthMiddlewareStack
from channels.sessions import CookieMiddleware
from django.urls import path

from helpline.chat import consumers

websocket_urlpatterns = [
    # Seekers have no account and no session: only their chat cookie is read. (Sessions and auth on
    # every seeker socket cost a wrapper on each of thousands of frames a second, for nothing.)
    path("chat/ws/", CookieMiddleware(consumers.SeekerConsumer.as_asgi())),
    # Staff: the Django session, with its second-factor mark, says who they are.
    path("staff/ws/", AuthMiddlewareStack(consumers.StaffConsumer.as_asgi())),
]
