"""Redis Sentinel for the settings (README, "Redis high availability (Sentinel)"): from REDIS_SENTINELS
and REDIS_URL, the options each Redis client of the site needs to ask the sentinels where the master is
(and ask again after a failover): the cache (config/cache.py), the channel layer (channels_redis's own
Sentinel form of a host), the Celery broker (kombu's Sentinel transport, config/broker.py) and the
public page layer (resources/page_cache.py, through config.cache.async_client).

With REDIS_SENTINELS set, REDIS_URL gives only the database number and the master's password
(redis://:password@sentinel/0); its host and port are not used, and it may be left out (database 0, no
password). REDIS_SENTINEL_MASTER names the master (default "helpline"); REDIS_SENTINEL_PASSWORD is the
sentinels' own password, if they ask for one."""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured


def parse_sentinels(name: str, items: list[str]) -> list[tuple[str, int]]:
    """REDIS_SENTINELS: "host:port,host:port,..." ([::1]:26379 for an IPv6 address)."""
    sentinels = []
    for item in items:
        host, _, port = item.rpartition(":")
        if not host or not port.isdigit():
            raise ImproperlyConfigured(f"{name} must be host:port pairs separated by commas, got {item!r}")
        sentinels.append((host.removeprefix("[").removesuffix("]"), int(port)))
    return sentinels


def master_login(url: str) -> dict[str, Any]:
    """What REDIS_URL says that a Sentinel client still needs: the database number and the login."""
    parts = urlsplit(url)
    login: dict[str, Any] = {"db": int(parts.path.strip("/") or 0)}
    if parts.username:
        login["username"] = unquote(parts.username)
    if parts.password:
        login["password"] = unquote(parts.password)
    return login


def client_options(sentinels: list[tuple[str, int]], master: str, password: str = "") -> dict[str, Any]:
    """settings.REDIS_SENTINEL: the sentinels, the master's name, and how to talk to a sentinel."""
    options: dict[str, Any] = {
        "sentinels": sentinels,
        "master_name": master,
        # A sentinel that does not answer (its host down) is given up after a second; the next is asked.
        "sentinel_kwargs": {"socket_timeout": 1.0, "socket_connect_timeout": 1.0},
    }
    if password:
        options["sentinel_kwargs"]["password"] = password
    return options


def channel_layer_host(options: dict[str, Any], redis_url: str) -> dict[str, Any]:
    """channels_redis's own Sentinel form of a host."""
    return {**options, **master_login(redis_url)}


def broker_url(redis_url: str, sentinels: list[tuple[str, int]]) -> str:
    """kombu's Sentinel transport: one sentinel:// address per sentinel, each with the master's login and
    database number (the master's name is a transport option: broker_options)."""
    login, at, _ = urlsplit(redis_url).netloc.rpartition("@")
    database = master_login(redis_url)["db"]
    return ";".join(
        f"sentinel://{login}{at}{f'[{host}]' if ':' in host else host}:{port}/{database}"
        for host, port in sentinels
    )


def broker_options(options: dict[str, Any]) -> dict[str, Any]:
    return {"master_name": options["master_name"], "sentinel_kwargs": options["sentinel_kwargs"]}
