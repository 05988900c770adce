"""Proposed changes, measurable before anyone adopts them (bench.settings applies them on request).

Each is named in BENCH_PROPOSED (comma-separated; the benchmarks' --proposed flag sets it) and is
described in docs/performance.md. Nothing here is used unless a benchmark asks for it, and
production never imports this module.

None is pending: the ones measured so far (shared-redis-pool, db-thread-pool, snapshot-by-reference,
serial-routing) are in the application now. A new one is a function here that installs its code
path at run time (in the web and Celery processes), registered in PROPOSALS.
"""

from __future__ import annotations

import os
from collections.abc import Callable

PROPOSALS: dict[str, Callable[[], None]] = {}


def apply_runtime_patches() -> None:
    """Install the proposed code paths named in BENCH_PROPOSED (web and Celery processes)."""
    names = [name for name in os.environ.get("BENCH_PROPOSED", "").split(",") if name]
    unknown = [name for name in names if name not in PROPOSALS]
    if unknown:
        raise SystemExit(f"unknown proposed change(s) {unknown}; known: {sorted(PROPOSALS) or 'none'}")
    for name in names:
        PROPOSALS[name]()
