"""Bench-only Celery entry: config.celery's app, with proposed changes installed in each worker process.

Used instead of `-A config` only when a benchmark runs with --proposed.
"""

from typing import Any

from celery.signals import beat_init, worker_process_init

from config.celery import app


@worker_process_init.connect
@beat_init.connect
def install_proposed(**kwargs: Any) -> None:
    from bench.proposed import apply_runtime_patches

    apply_runtime_patches()


__all__ = ["app"]
