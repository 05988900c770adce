"""Search every store a test can reach for a seeker's network identity, in several encodings."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterable

from django.core.cache import cache
from django.db import connection

from tests.conftest import CANARY_ADDRESS, CANARY_USER_AGENT


def canary_forms(values: Iterable[str] = (CANARY_ADDRESS, CANARY_USER_AGENT)) -> dict[str, str]:
    """Each canary as raw text, hex, base64 and SHA-256, keyed by a readable label."""
    forms: dict[str, str] = {}
    for value in values:
        raw = value.encode()
        forms[f"raw {value!r}"] = value
        forms[f"hex {value!r}"] = raw.hex()
        forms[f"base64 {value!r}"] = base64.b64encode(raw).decode()
        forms[f"sha256 {value!r}"] = hashlib.sha256(raw).hexdigest()
    return forms


def find_canary(text: str) -> list[str]:
    lowered = text.lower()
    return [label for label, form in canary_forms().items() if form.lower() in lowered]


def database_text() -> str:
    """Every row of every table, as text."""
    chunks = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for row in cursor.fetchall():
                chunks.append(f"{table}: " + " | ".join(_as_text(v) for v in row))
    return "\n".join(chunks)


def cache_text() -> str:
    """Every key and value in the Redis cache, or the local-memory cache's contents."""
    backend = cache._cache  # type: ignore[attr-defined]
    chunks: list[str] = []
    if hasattr(backend, "get_client"):
        client = backend.get_client(write=False)
        for key in client.scan_iter("*"):
            chunks.append(_as_text(key))
            kind = client.type(key)
            if kind == b"string":
                chunks.append(_as_text(client.get(key)))
            elif kind == b"hash":
                chunks.extend(_as_text(k) + _as_text(v) for k, v in client.hgetall(key).items())
            elif kind == b"list":
                chunks.extend(_as_text(v) for v in client.lrange(key, 0, -1))
            elif kind in (b"set",):
                chunks.extend(_as_text(v) for v in client.smembers(key))
            elif kind == b"zset":
                chunks.extend(_as_text(v) for v in client.zrange(key, 0, -1))
    else:
        chunks.extend(_as_text(k) + _as_text(v) for k, v in backend.items())
    return "\n".join(chunks)


def _as_text(value: object) -> str:
    if isinstance(value, bytes | bytearray | memoryview):
        data = bytes(value)
        return data.decode("utf-8", "replace") + " " + data.hex()
    return str(value)
