"""What the tests that start servers of their own (a production-like site, supervisord, Redis with
sentinels) share: a free port on 127.0.0.1, and children that cannot outlive pytest."""

from __future__ import annotations

import ctypes
import signal
import socket
import sys

PR_SET_PDEATHSIG = 1


def free_port() -> int:
    """A port the system has just handed out on 127.0.0.1 (and closed again) for a server to take."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def die_with_parent() -> None:
    """In the child, before it starts (`preexec_fn`): if pytest itself is killed, take this process
    down too, so no server or worker is left holding the test database or a port."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
