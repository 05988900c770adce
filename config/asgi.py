"""ASGI entry point: HTTP and WebSockets, both behind the privacy wrapper.

With the Redis cache, cached public content pages are answered before Django by resources.page_cache,
inside the privacy wrapper so it never sees who is asking either.
"""

import gc
import os

import django

from config.database_budget import BudgetedASGIHandler, SocketThreadPool

# Thousands of long-lived sockets make a large heap (each consumer with its tasks, queues and buffers),
# and with Python's default thresholds a full collection ran every few seconds and stopped a web process
# for 0.35-0.45 s (measured by the P2 benchmark with 5,000 sockets: the slow chat messages bunched at
# exactly those moments). Young generations keep the default small, quick collections; the full one
# waits for 1,000 young-generation rounds instead of 10. Reference counting frees nearly everything.
gc.set_threshold(700, 10, 1000)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup(set_prefix=False)  # as get_asgi_application() does, before importing consumers
# Django's handler, with a bounded number of requests (and database connections) at once.
django_asgi_app = BudgetedASGIHandler()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from config.privacy import StripClientIdentityASGI  # noqa: E402
from helpline.chat.websocket_urls import websocket_urlpatterns  # noqa: E402
from helpline.embedded import EmbeddedSweep  # noqa: E402
from resources import page_cache  # noqa: E402

# None in embedded mode (no Redis): Django's per-view cache serves the pages there.
public_page_cache = page_cache.PublicPageCache(django_asgi_app) if page_cache.enabled() else None

application = SocketThreadPool(
    EmbeddedSweep(
        StripClientIdentityASGI(
            ProtocolTypeRouter(
                {
                    "http": public_page_cache or django_asgi_app,
                    # Sessions and auth are added per route (helpline.chat.websocket_urls): staff only.
                    "websocket": AllowedHostsOriginValidator(URLRouter(websocket_urlpatterns)),
                }
            )
        )
    )
)
