"""Encryption at rest for what people write: chat messages and secure-message text.

A database dump or backup alone reveals nothing: the text is stored as Fernet tokens (AES with an
HMAC), and the keys live outside the database, in the environment (`ENCRYPTION_KEYS`, newest first).
Adding a key in front and running `manage.py rotate_encryption_keys` moves every row to the new key;
then the old key can be removed. The embedded site creates a local key file on first run.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

from config.localfiles import read_or_create_secret

PREFIX = "enc:"


def local_key_file(var_dir: Path) -> str:
    """The embedded site's key: created once, readable only by this user."""
    return read_or_create_secret(var_dir / "encryption.key", lambda: Fernet.generate_key().decode())


@functools.cache
def _fernet() -> MultiFernet:
    keys = settings.ENCRYPTION_KEYS
    if not keys:
        raise ImproperlyConfigured("ENCRYPTION_KEYS is empty: message text cannot be stored safely.")
    return MultiFernet([Fernet(key.encode()) for key in keys])


def reset_key_cache() -> None:
    _fernet.cache_clear()


def encrypt(text: str) -> str:
    return PREFIX + _fernet().encrypt(text.encode()).decode()


def decrypt(stored: str) -> str:
    if not stored.startswith(PREFIX):
        return stored  # written before encryption was turned on
    try:
        return _fernet().decrypt(stored[len(PREFIX) :].encode()).decode()
    except InvalidToken:
        raise ImproperlyConfigured(
            "Stored text cannot be decrypted with any key in ENCRYPTION_KEYS (was a key removed too early?)."
        ) from None


def rotate(stored: str) -> str:
    """The same text, encrypted with the newest key."""
    if not stored.startswith(PREFIX):
        return encrypt(stored)
    return PREFIX + _fernet().rotate(stored[len(PREFIX) :].encode()).decode()


class EncryptedTextField(models.TextField):
    """A TextField stored encrypted. It cannot be searched or filtered by its content, by design."""

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        return None if value is None else decrypt(value)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        return None if value is None else encrypt(str(value))
