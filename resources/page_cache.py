"""Public content pages answered before Django: an ASGI layer, one Redis round trip per hit.

A cached self-help page used to cost a full trip through Django (a thread per request, every
middleware, four Redis round trips and an unpickle). This layer answers it from Redis instead:

- It asks Redis only for GET and HEAD requests to routes whose view is marked `public_page` by
  resources.caching.cache_public_page. Every other request passes through untouched.
- One MGET reads the content generation, the next scheduled publishing time and the stored page. The
  page is replayed only if it was rendered under the current generation and no scheduled item is
  due; otherwise the request goes to Django, which bumps the generation as it always did.
- On a miss the request goes to Django unchanged, and the layer records the response exactly as the
  whole middleware stack sent it (status, headers with the security headers and CSP, body). It stores
  it only if the view wrapper marked it with the generation it was rendered under, the status is 200,
  it sets no cookie, does not vary, is not private/no-store/no-cache, and its body is bounded. The
  mark is removed from every response before it is sent.

Nothing from the request is stored: the key is a hash of what the page can depend on (scheme, path,
the query parameters the page declares it reads, Host), and the value is Django's response. Any other
parameter (?utm_source=..., junk) is left out of the key, and the view never sees it either, so it
cannot make a new entry. Stores count against the byte budget resources.caching keeps per window, and
a page larger than PUBLIC_PAGE_CACHE_MAX_PAGE_BYTES is never stored (see that module's docstring).
The layer sits inside config.privacy.StripClientIdentityASGI, so it never sees the client's address or
user agent, and it logs nothing.

Embedded mode (no REDIS_URL, local-memory cache): the layer is left off (`enabled()` is False) and
the per-view cache in resources.caching serves the pages as before. That cache is already in-process
there, so there is no round trip to save, and one process would gain little from a second layer.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import hashlib
import re
import time
import weakref
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache, RedisSerializer
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.http import parse_http_date_safe
from redis.exceptions import RedisError

from config.cache import async_client
from resources import caching

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[..., Awaitable[None]]  # Django's handler declares narrower argument types

PAGE_KEY_PREFIX = "public-page:"
HIT_HEADER = (b"X-Public-Page-Cache", b"hit")  # only with PUBLIC_PAGE_CACHE_HIT_HEADER (benchmarks)

_MARK = caching.STORE_HEADER.lower().encode("latin-1")
_NOT_STORED = (b"private", b"no-store", b"no-cache")
_MAX_AGE = re.compile(rb"max-age=(\d+)")
_loads = RedisSerializer().loads  # how Django's RedisCache reads its values: ints raw, the rest pickled


def enabled() -> bool:
    """On when the cache is Redis (production) and not switched off with PUBLIC_PAGE_CACHE=0."""
    return bool(settings.PUBLIC_PAGE_CACHE) and isinstance(caches["default"], RedisCache)


@functools.lru_cache(maxsize=4096)
def _public_page_query(urlconf: str, path_info: str) -> tuple[str, ...] | None:
    """The query parameters the page at this path reads, or None if it is not a public page."""
    try:
        match = resolve(path_info, urlconf)
    except Resolver404:
        return None
    if not getattr(match.func, caching.PUBLIC_PAGE_ATTRIBUTE, False):
        return None
    return tuple(getattr(match.func, caching.PUBLIC_PAGE_QUERY_ATTRIBUTE, ()))


@dataclass(frozen=True)
class _Page:
    generation: int
    expires: int  # -1: none
    max_age: int  # -1: none
    headers: list[tuple[bytes, bytes]]
    body: bytes

    # Stored as text-like bytes, not pickled: "generation expires max_age", one "Name: value" line per
    # header (response headers cannot hold CR or LF), a blank line, then the body.
    def encode(self) -> bytes:
        lines = [b"%d %d %d" % (self.generation, self.expires, self.max_age)]
        lines += [name + b": " + value for name, value in self.headers]
        return b"\r\n".join(lines) + b"\r\n\r\n" + self.body

    @classmethod
    def decode(cls, record: bytes) -> _Page:
        head, _, body = record.partition(b"\r\n\r\n")
        first, *lines = head.split(b"\r\n")
        generation, expires, max_age = (int(n) for n in first.split())
        headers = [(name, value) for name, _, value in (line.partition(b": ") for line in lines)]
        return cls(generation, expires, max_age, headers, body)


def _forbids_storing(name: bytes, value: bytes) -> bool:
    """Whether this response header (`name` in lower case) means the page must not be stored."""
    if name in (b"set-cookie", b"vary"):
        # Vary: the key holds no request header but Host, so a page that varies is not stored.
        return True
    if name != b"cache-control":
        return False
    value = value.lower()
    if any(word in value for word in _NOT_STORED):
        return True
    max_age = _MAX_AGE.search(value)
    return max_age is not None and int(max_age.group(1)) == 0


def _storable_length(status: int, headers: list[tuple[bytes, bytes]], max_bytes: int) -> int | None:
    """The body length of a response that may be stored, or None if it must not be.

    Only a complete 200 that sets no cookie, does not vary, may be kept by shared caches, and says
    how long it is: Django gives every plain response a Content-Length (CommonMiddleware) and never a
    streaming one, so a stream is never stored, and a body is kept only if it all arrived.
    """
    if status != 200:
        return None
    if any(_forbids_storing(name.lower(), value) for name, value in headers):
        return None
    lengths = [value for name, value in headers if name.lower() == b"content-length"]
    if len(lengths) != 1 or not lengths[0].isdigit():
        return None  # none, two, or not a number
    length = int(lengths[0])
    return length if length <= max_bytes else None


def _page_to_store(generation: int, headers: list[tuple[bytes, bytes]], body: bytes) -> _Page:
    """The page as it will be replayed, with the expiry time and max-age its headers state."""
    expires = max_age = -1
    kept = []
    for name, value in headers:
        lower = name.lower()
        if lower == b"age":
            continue  # a page Django took from its own cache says how old it was then
        if lower == b"expires":
            expires = parse_http_date_safe(value.decode("latin-1")) or -1
        elif lower == b"cache-control" and (found := _MAX_AGE.search(value.lower())):
            max_age = int(found.group(1))
        kept.append((name, value))
    return _Page(generation, expires, max_age, kept, body)


def _current_generation(generation: bytes | None, due: bytes | None) -> int | None:
    """The generation a stored page must have to be served, or None if Django must answer:
    no generation yet, or scheduled content is due (Django bumps the generation then)."""
    if generation is None:
        return None
    try:
        current = int(generation)
        if due is not None and _loads(due) <= timezone.now().timestamp():
            return None
    except Exception:  # not what Django's cache writes there: let Django deal with it
        return None
    return current


def _servable_page(generation: bytes | None, due: bytes | None, record: bytes | None) -> _Page | None:
    """The stored page if it may be replayed: rendered under the current generation, none due."""
    current = _current_generation(generation, due)
    if current is None or record is None:
        return None
    try:
        page = _Page.decode(record)
    except ValueError:
        return None
    return page if page.generation == current else None


def _forwarded_key_headers() -> frozenset[bytes]:
    """The proxy headers Django reads for the host (when told to trust them), so part of the key."""
    names = set()
    if settings.USE_X_FORWARDED_HOST:
        names.add(b"x-forwarded-host")
    if settings.USE_X_FORWARDED_PORT:
        names.add(b"x-forwarded-port")
    return frozenset(names)


def _proxy_ssl_header() -> tuple[bytes, bytes] | None:
    """The proxy's scheme header as it arrives over ASGI (name, value meaning https), if one is set."""
    if not settings.SECURE_PROXY_SSL_HEADER:
        return None
    meta_name, secure_value = settings.SECURE_PROXY_SSL_HEADER
    header = meta_name.removeprefix("HTTP_").lower().replace("_", "-").encode("latin-1")
    return header, secure_value.encode("latin-1")


class _ResponseRecorder:
    """The `send` Django is given on a miss: passes the response on without the store mark, and
    keeps a copy of it for as long as it may still be stored."""

    def __init__(self, send: Send) -> None:
        self.send = send
        self.generation: int | None = None  # from the mark: what the page was rendered under
        self.headers: list[tuple[bytes, bytes]] = []
        self.body: list[bytes] = []
        self.length: int | None = None  # None: not to be stored
        self.received = 0
        self.complete = False

    async def __call__(self, message: Message) -> None:
        kind = message["type"]
        if kind == "http.response.start":
            message = self._start(message)
        elif kind == "http.response.body" and self.length is not None:
            self._keep(message.get("body", b""), self.length)
        else:
            self.length = None
        await self.send(message)
        if kind == "http.response.body" and not message.get("more_body", False):
            self.complete = True

    def _start(self, message: Message) -> Message:
        """The response start without the mark; decides whether the page may be stored."""
        self.headers = []
        for name, value in message.get("headers", ()):
            if name.lower() == _MARK:
                self.generation = int(value) if value.isdigit() else None
            else:
                self.headers.append((name, value))
        if self.generation is not None and not message.get("trailers", False):
            max_bytes = int(settings.PUBLIC_PAGE_CACHE_MAX_PAGE_BYTES)
            self.length = _storable_length(message["status"], self.headers, max_bytes)
        return {**message, "headers": self.headers}

    def _keep(self, chunk: bytes, length: int) -> None:
        """Keep a body chunk, or stop keeping the page once the body outgrows what it said."""
        self.received += len(chunk)
        if self.received > length:
            self.length = None
            self.body.clear()
        else:
            self.body.append(chunk)

    def page(self) -> _Page | None:
        """The page to store, or None if it must not be stored or did not all arrive."""
        if self.generation is None or self.length is None:
            return None
        if not self.complete or self.received != self.length:
            return None
        return _page_to_store(self.generation, self.headers, b"".join(self.body))


class PublicPageCache:
    """ASGI wrapper for the "http" app; see the module docstring."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        cache: Any = caches["default"]  # django-stubs does not declare RedisCache's attributes
        self.cache = cache
        self.url = cache._servers[0]  # writes go to the first server, as Django's RedisCache does
        self.sentinel = cache._options.get("sentinel")  # or the master Redis Sentinel names (config/cache.py)
        self.generation_key = self.cache.make_key(caching.GENERATION_KEY)
        self.scheduled_key = self.cache.make_key(caching.NEXT_SCHEDULED_KEY)
        self.session_cookie = settings.SESSION_COOKIE_NAME.encode("latin-1") + b"="
        self.campaign_cookie = settings.CAMPAIGN_COOKIE_NAME.encode("latin-1") + b"="
        # Request headers that Django reads to decide the host and scheme, and so what the page says
        # and whether the host is allowed: each goes into the key. Of the proxy's scheme header only
        # what Django makes of it counts (https or not), so its value cannot make new entries.
        self.key_headers = _forwarded_key_headers()
        self.ssl_header = _proxy_ssl_header()
        self.mark_hits = bool(settings.PUBLIC_PAGE_CACHE_HIT_HEADER)
        # One client (so one connection pool) per event loop: in production one per process; tests
        # run each on a loop of its own, and a connection cannot move between loops.
        self._clients: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Any] = weakref.WeakKeyDictionary()

    def _client(self) -> Any:
        loop = asyncio.get_running_loop()
        client = self._clients.get(loop)
        if client is None:
            client = self._clients[loop] = async_client(self.url, self.sentinel)
        return client

    async def aclose(self) -> None:
        """Close this event loop's connections (tests; a server process simply exits)."""
        client = self._clients.pop(asyncio.get_running_loop(), None)
        if client is not None:
            await client.aclose()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        key = self._request_key(scope)
        if key is None:
            return await self.app(scope, receive, send)
        try:
            generation, due, record = await self._client().mget(self.generation_key, self.scheduled_key, key)
        except (RedisError, OSError):
            return await self.app(scope, receive, send)  # Django's own cache and errors take over
        page = _servable_page(generation, due, record)
        if page is not None:
            return await self._replay(page, scope["method"] == "HEAD", send)
        if scope["method"] == "HEAD":
            return await self.app(scope, receive, send)  # the server drops a HEAD body: nothing to keep
        await self._pass_and_store(scope, receive, send, key)

    def _request_key(self, scope: Scope) -> str | None:
        """The key for a GET or HEAD of a public page, or None if the request goes straight to Django."""
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            return None
        root = scope.get("root_path") or ""
        query = _public_page_query(settings.ROOT_URLCONF, scope["path"].removeprefix(root))
        if query is None:
            return None
        return self._page_key(scope, query)

    def _page_key(self, scope: Scope, query: tuple[str, ...]) -> str | None:
        """The key for this request, or None if it must go to Django. `query`: the parameters the page
        reads; no other part of the query string is in the key.

        The Host header is part of the key, and only a response Django sent is stored. Django answers
        a host outside ALLOWED_HOSTS with a 400, which is never stored, so a request with a forged or
        unknown Host can neither be served from the cache nor put anything in it: a hit is only
        possible under a key that a request with an allowed host stored.
        """
        found = self._key_headers(scope["headers"])
        if found is None:
            return None
        host, extra = found
        read = caching.page_query((scope.get("query_string") or b"").decode("latin-1"), query)
        if read is None:
            return None  # a declared parameter too long to be worth a key: answered, never stored
        material = b"\n".join(
            [
                scope.get("scheme", "http").encode("latin-1"),
                (scope.get("root_path") or "").encode(),
                scope.get("raw_path") or scope["path"].encode(),
                read.encode("latin-1"),
                host,
                *sorted(extra),
            ]
        )
        return str(self.cache.make_key(PAGE_KEY_PREFIX + hashlib.sha256(material).hexdigest()))

    def _key_headers(self, headers: list[tuple[bytes, bytes]]) -> tuple[bytes, list[bytes]] | None:
        """The Host header and the other request headers that go into the key, or None if the
        request must go to Django. One pass: this runs on every cache hit."""
        hosts = []
        extra = []
        for name, value in headers:
            if name == b"host":
                hosts.append(value)
            elif name == b"cookie" and (self.session_cookie in value or self.campaign_cookie in value):
                # Staff sessions are idle-timed (SESSION_SAVE_EVERY_REQUEST): every page they see must
                # reach Django so their session is kept alive. Seekers have no session. A visit through a
                # partner's link (helpline.campaigns) must reach Django so its pages are counted.
                return None
            elif name == b"authorization":
                return None  # Django's cache middleware would make the response vary on it
            elif name in self.key_headers:
                extra.append(name + b"=" + value)
            elif self.ssl_header is not None and name == self.ssl_header[0]:
                extra.append(name + (b"=secure" if value == self.ssl_header[1] else b"=plain"))
        if len(hosts) != 1:
            return None  # no Host, or two Host headers: let Django refuse it
        return hosts[0], extra

    async def _replay(self, page: _Page, head_only: bool, send: Send) -> None:
        headers = list(page.headers)
        if page.expires >= 0 and page.max_age >= 0:
            # As Django's cache middleware does on a hit: how old the page already is.
            age = max(0, page.max_age - (page.expires - int(time.time())))
            headers.append((b"Age", str(age).encode("latin-1")))
        if self.mark_hits:
            headers.append(HIT_HEADER)
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": b"" if head_only else page.body})

    async def _pass_and_store(self, scope: Scope, receive: Receive, send: Send, key: str) -> None:
        recorder = _ResponseRecorder(send)
        await self.app({**scope, caching.STORE_SCOPE: True}, receive, recorder)
        page = recorder.page()
        if page is not None:
            await self._store(key, page)

    async def _store(self, key: str, page: _Page) -> None:
        timeout = int(settings.CONTENT_CACHE_SECONDS)
        if page.expires >= 0:
            timeout = min(timeout, page.expires - int(time.time()))  # never outlive what the page says
        if timeout <= 0:
            return
        record = page.encode()
        with contextlib.suppress(RedisError, OSError):  # the next request renders it again
            if await self._spend_budget(len(record)):
                await self._client().set(key, record, ex=timeout)

    async def _spend_budget(self, size: int) -> bool:
        """As resources.caching.spend_page_budget, in one round trip: count the bytes about to be
        stored in this window's key; True if they still fit the budget."""
        budget_key = self.cache.make_key(caching.budget_key())
        async with self._client().pipeline(transaction=True) as pipe:
            pipe.incrby(budget_key, size)
            pipe.expire(budget_key, caching.budget_seconds())
            spent, _ = await pipe.execute()
        return int(spent) <= settings.PUBLIC_PAGE_CACHE_BUDGET_BYTES
