"""Settings for benchmark runs: the production settings (config.settings) with bench-only changes.

1. The channel layer gets its own prefix, because Redis pub/sub channels are shared by every Redis
   database: a test suite running on the same Redis must not hear the benchmark's events, nor the other
   way round. BENCH_CHANNEL_LAYER=core swaps in channels_redis.core.RedisChannelLayer for comparison,
   and BENCH_CHANNEL_LAYER=stock-pubsub channels_redis's pub/sub layer as it comes (config/channel_layer.py
   says what ours changes).
2. BENCH_BARE_VIEW=1 serves bench.urls, which adds one constant view beside the real site (P4's
   baseline). Only this module reads that variable, so it can never reach production.
3. BENCH_CONN_HEALTH_CHECKS=0 and BENCH_PROPOSED=... switch on proposed changes, to measure them
   (bench/proposed.py).
"""

import os

from config.settings import *  # noqa: F403
from config.settings import CHANNEL_LAYERS, DATABASES, REDIS_URL

BENCH_CHANNEL_LAYER = os.environ.get("BENCH_CHANNEL_LAYER", "pubsub")
_LAYER_BACKENDS = {
    "pubsub": "config.channel_layer.PubSubChannelLayer",
    "stock-pubsub": "channels_redis.pubsub.RedisPubSubChannelLayer",
    "core": "channels_redis.core.RedisChannelLayer",
}
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": _LAYER_BACKENDS[BENCH_CHANNEL_LAYER],
            "CONFIG": {"hosts": [REDIS_URL], "prefix": "helpline-bench"},
        }
    }
# BENCH_CONN_HEALTH_CHECKS=0 measures a proposed change (a ping before each socket frame's queries).
if os.environ.get("BENCH_CONN_HEALTH_CHECKS") == "0":
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = False
# Proposed changes under measurement (bench/proposed.py, docs/performance.md "Proposed changes").
BENCH_PROPOSED = {name for name in os.environ.get("BENCH_PROPOSED", "").split(",") if name}
if os.environ.get("BENCH_BARE_VIEW") == "1":
    ROOT_URLCONF = "bench.urls"
