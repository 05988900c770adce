"""Secrets the embedded site keeps in files of its own (production passes them in the environment)."""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from pathlib import Path


def read_or_create_secret(path: Path, make: Callable[[], str]) -> str:
    """The secret in `path`, made once by `make` and readable only by this user.

    Written whole under another name, then linked into place: processes starting together (a web
    server, a worker and beat) never read a half-written secret, and the first link wins for all."""
    if not path.exists():
        draft = path.with_name(f".{path.name}.{os.getpid()}")
        fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(make())
        try:
            os.link(draft, path)
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return path.read_text().strip()


def local_passphrase_secret(var_dir: Path) -> str:
    """The embedded site's PASSPHRASE_SECRET (helpline/inbox/passphrases.py): created once, readable only by
    this user. It lives here, not in helpline, so that config/settings.py imports nothing from the apps."""
    return read_or_create_secret(var_dir / "passphrase.secret", lambda: secrets.token_urlsafe(48))
