"""The one home of the anonymity promise: no seeker's network identity goes past this module.

Every request passes through here first. The ASGI and WSGI wrappers take the client address, the
user agent and every proxy header that may carry an address out of what the application sees; the
middleware does the same for any path that did not come through a wrapper (test client, management
commands). Before the address is dropped it is turned into an opaque rate-limit key: an HMAC of the
address *prefix* with a secret that changes every day and lives only in the cache with a time-to-live,
so yesterday's keys cannot be linked to anything once the secret is gone.

The log filter and the exception reporter make sure an address that slips into a message, or a
request attached to an error, is not written out.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import ipaddress
import logging
import re
import secrets
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.views.debug import ExceptionReporter

from config.cache import CACHE_DOWN

# HTTP headers (lower-case, as in ASGI) that identify the client or its network path.
IDENTIFYING_HEADERS = frozenset(
    {
        b"user-agent",
        b"x-forwarded-for",
        b"x-real-ip",
        b"forwarded",
        b"x-client-ip",
        b"x-cluster-client-ip",
        b"true-client-ip",
        b"cf-connecting-ip",
        b"fastly-client-ip",
        b"x-forwarded",
        b"forwarded-for",
        b"client-ip",
        b"via",
        b"sec-ch-ua",
        b"sec-ch-ua-platform",
        b"sec-ch-ua-mobile",
        b"sec-ch-ua-full-version-list",
        b"sec-ch-ua-model",
    }
)
# The same, as keys of a WSGI environ / Django request.META.
IDENTIFYING_META = frozenset(
    {"REMOTE_ADDR", "REMOTE_HOST", "REMOTE_PORT"}
    | {"HTTP_" + h.decode().upper().replace("-", "_") for h in IDENTIFYING_HEADERS}
)
# Where the opaque rate-limit key travels: the ASGI scope and request.META.
RATE_KEY_SCOPE = "helpline.rate_key"
RATE_KEY_META = "HELPLINE_RATE_KEY"
ANONYMOUS_RATE_KEY = "anonymous"

Scope = MutableMapping[str, Any]
ASGIApp = Callable[[Scope, Callable[[], Awaitable[Any]], Callable[[Any], Awaitable[None]]], Awaitable[None]]


# --- rate-limit key -------------------------------------------------------------------------


_secret_memo: dict[str, bytes] = {}
_outage_memo: dict[str, bytes] = {}


def _daily_secret(day: datetime.date | None = None) -> bytes:
    """Today's rate-limit secret, shared by every process through the cache and gone after a day."""
    day = day or datetime.datetime.now(datetime.UTC).date()
    cache_key = f"privacy:rate-secret:{day.isoformat()}"
    memo = _secret_memo.get(cache_key)
    if memo is not None:
        return memo
    candidate = secrets.token_hex(32)
    try:
        if cache.add(cache_key, candidate, timeout=settings.RATE_KEY_SECRET_TTL):
            value = candidate
        else:
            value = cache.get(cache_key) or candidate
    except CACHE_DOWN:
        # Redis cannot be reached (a restart, a failover), and every request passes here: this process
        # keys today's limits with a secret of its own meanwhile, in memory only and not taken as the
        # day's, so the first request after Redis returns adopts the one all processes share.
        if cache_key not in _outage_memo:
            _outage_memo.clear()
            _outage_memo[cache_key] = candidate.encode()
        return _outage_memo[cache_key]
    _secret_memo.clear()  # keep only today's secret in memory
    _secret_memo[cache_key] = value.encode()
    return _secret_memo[cache_key]


def address_prefix(address: str) -> str:
    """The network part we rate-limit on: /24 for IPv4, /56 for IPv6 (one household or phone)."""
    try:
        ip = ipaddress.ip_address(address.strip().strip("[]"))
    except ValueError:
        return "unparseable"
    prefix = 24 if ip.version == 4 else 56
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))


def rate_key_for_address(address: str | None) -> str:
    if not address:
        return ANONYMOUS_RATE_KEY
    digest = hmac.new(_daily_secret(), address_prefix(address).encode(), hashlib.sha256).hexdigest()
    return digest[:32]


def rate_limit_key(group: str, request: HttpRequest) -> str:
    """Key function for django-ratelimit: the opaque per-day key, never the address itself."""
    scope = getattr(request, "scope", None)
    if scope and RATE_KEY_SCOPE in scope:
        return str(scope[RATE_KEY_SCOPE])
    return str(request.META.get(RATE_KEY_META, ANONYMOUS_RATE_KEY))


def no_client_ip(request: HttpRequest) -> None:
    """django-axes asks for the client address; it gets nothing."""
    return None


# --- stripping ------------------------------------------------------------------------------


def _forwarded_address(headers: Iterable[tuple[bytes, bytes]]) -> str | None:
    for name, value in headers:
        if name == b"x-forwarded-for":
            # The right-most entry was added by our own proxy, so it is the one we can trust.
            return value.decode("latin-1").split(",")[-1].strip() or None
    return None


def strip_scope(scope: Scope) -> Scope:
    """A copy of an ASGI scope with the client's identity removed and an opaque rate key added."""
    headers = list(scope.get("headers") or [])
    address = None
    if settings.PRIVACY_TRUST_FORWARDED_FOR:
        address = _forwarded_address(headers)
    if address is None and scope.get("client"):
        address = scope["client"][0]
    stripped = dict(scope)
    stripped["client"] = None
    stripped["headers"] = [(k, v) for k, v in headers if k.lower() not in IDENTIFYING_HEADERS]
    stripped[RATE_KEY_SCOPE] = rate_key_for_address(address)
    return stripped


class StripClientIdentityASGI:
    """Outermost ASGI wrapper: the app (HTTP and Channels alike) never sees who is connecting."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] in ("http", "websocket"):
            # The daily secret is memoised, so this touches the cache once a day per process.
            scope = strip_scope(scope)
        await self.app(scope, receive, send)


def strip_environ(environ: MutableMapping[str, Any]) -> None:
    """Remove identifying values from a WSGI environ or request.META in place, keeping a rate key."""
    if RATE_KEY_META not in environ:
        address = None
        if settings.PRIVACY_TRUST_FORWARDED_FOR and environ.get("HTTP_X_FORWARDED_FOR"):
            address = str(environ["HTTP_X_FORWARDED_FOR"]).split(",")[-1].strip()
        address = address or environ.get("REMOTE_ADDR")
        environ[RATE_KEY_META] = rate_key_for_address(address)
    for key in IDENTIFYING_META:
        environ.pop(key, None)


class StripClientIdentityWSGI:
    def __init__(self, app: Callable[..., Any]) -> None:
        self.app = app

    def __call__(self, environ: MutableMapping[str, Any], start_response: Callable[..., Any]) -> Any:
        strip_environ(environ)
        return self.app(environ, start_response)


class StripClientIdentityMiddleware:
    """First middleware: whatever route a request took, the views never see its identity."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        scope = getattr(request, "scope", None)
        if scope is not None and RATE_KEY_SCOPE in scope:
            request.META[RATE_KEY_META] = scope[RATE_KEY_SCOPE]
        strip_environ(request.META)
        return self.get_response(request)


# --- logs and error reports -----------------------------------------------------------------

_IPV4 = re.compile(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])")
_IPV6 = re.compile(r"(?<![\w:])(?:[0-9a-fA-F]{0,4}:){2,7}[0-9a-fA-F]{0,4}(?![\w:])")
REDACTED = "[address removed]"


def redact_addresses(text: str) -> str:
    return _IPV6.sub(REDACTED, _IPV4.sub(REDACTED, text))


class ClientIdentityLogFilter(logging.Filter):
    """Drops the request object from log records and removes anything shaped like an address."""

    def filter(self, record: logging.LogRecord) -> bool:
        if hasattr(record, "request"):
            record.request = None
        if hasattr(record, "scope"):
            record.scope = None
        message = record.getMessage()
        cleaned = redact_addresses(message)
        if cleaned != message or record.args:
            record.msg, record.args = cleaned, None
        return True


class ClientlessExceptionReporter(ExceptionReporter):
    """Error reports (pages and mails) without the request's headers, cookies or body."""

    def __init__(self, request: HttpRequest | None, *args: Any, **kwargs: Any) -> None:
        super().__init__(None, *args, **kwargs)
