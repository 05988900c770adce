"""Settings of P1's peer: a minimal Django project on the bench database and Redis.

BENCH_PEER_CONFIG picks what a Django team would deploy:
- "best": channels_redis's pub/sub layer and persistent database connections (CONN_MAX_AGE=60);
- "tutorial": the tutorial's channels_redis.core.RedisChannelLayer and Django's default CONN_MAX_AGE=0
  (a new PostgreSQL connection for every message).
The channel layer has a prefix of its own: Redis pub/sub channels are shared by every Redis database,
and the peer must never hear our stack's events, nor ours the peer's.
"""

import os
import secrets
from typing import Any

import dj_database_url

from bench.common import DB_NAME, REDIS_DB_URL

PEER_LAYERS = {
    "best": "channels_redis.pubsub.RedisPubSubChannelLayer",
    "tutorial": "channels_redis.core.RedisChannelLayer",
}
PEER_CONN_MAX_AGE = {"best": 60, "tutorial": 0}
PEER_CONFIG = os.environ.get("BENCH_PEER_CONFIG", "best")

# Nothing is signed that outlives the run; the benchmark passes its own.
SECRET_KEY = os.environ.get("SECRET_KEY") or secrets.token_urlsafe(48)
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = [
    # The tutorial's AuthMiddlewareStack reads sessions and users.
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "channels",
    "bench.peer",
]
MIDDLEWARE: list[str] = []  # HTTP only answers the benchmark's readiness check
ROOT_URLCONF = "bench.peer.urls"
ASGI_APPLICATION = "bench.peer.asgi.application"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"postgres://postgres@127.0.0.1:5432/{DB_NAME}"),
        conn_max_age=PEER_CONN_MAX_AGE[PEER_CONFIG],
    )
}
_redis_url = os.environ.get("REDIS_URL", REDIS_DB_URL)
# The core layer waits for messages with a 5 s blocking BZPOPMIN, and redis-py 8 gives connections a 5 s
# socket_timeout by default: an idle consumer then fails with "Timeout reading" and its socket is closed
# (seen here after 5-8 s idle; channels_redis issue #422). No timeout, as before redis-py 8 and as a team
# would set once bitten. The pub/sub layer is not affected and keeps the plain URL.
_HOSTS: dict[str, list[Any]] = {
    "best": [_redis_url],
    "tutorial": [{"address": _redis_url, "socket_timeout": None}],
}
CHANNEL_LAYERS = {
    "default": {
        "BACKEND": PEER_LAYERS[PEER_CONFIG],
        "CONFIG": {"hosts": _HOSTS[PEER_CONFIG], "prefix": "helpline-bench-peer"},
    }
}
USE_TZ = True
TIME_ZONE = "UTC"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
