"""ASGI entry point: HTTP and WebSockets, both behind the privacy wrapper."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django_asgi_app = get_asgi_application()  # set up Django before importing consumers

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from config.privacy import StripClientIdentityASGI  # noqa: E402
from helpline.embedded import EmbeddedSweep  # noqa: E402
from helpline.websocket_urls import websocket_urlpatterns  # noqa: E402

application = EmbeddedSweep(
    StripClientIdentityASGI(
        ProtocolTypeRouter(
            {
                "http": django_asgi_app,
                "websocket": AllowedHostsOriginValidator(
                    AuthMiddlewareStack(URLRouter(websocket_urlpatterns))
                ),
            }
        )
    )
)
