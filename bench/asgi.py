"""Bench-only ASGI entry: config.asgi's application, with proposed changes under measurement installed.

Served instead of config.asgi:application only when a benchmark runs with --proposed.
"""

from bench.proposed import apply_runtime_patches
from config.asgi import application

apply_runtime_patches()

__all__ = ["application"]
