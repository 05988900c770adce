"""The fuzz suite (issue 13): every form, every query parameter the views read and every socket frame
type, fed odd values, and the answer checked each time. A bad input must get a clear answer (a 4xx page,
a form error, an "error" frame), never a 500, a traceback in the logs or a socket the server drops.

A seeded generator, so a failure found once is found again with the same FUZZ_SEED. `make test` runs a
short run (FUZZ_INPUTS=300, under a minute); `make fuzz` the full one (10,000 inputs), and prints the
counts. What is fed:

- HTTP: seeker chat start/send/end/close/feedback, secure message create/open/reply, staff
  availability/accept/decline/send/end/close-left/transfer/escalate/wrap-up, supervisor decide, inbox
  take/release/reply, sign-in and second factor; and the query parameters (search q/page, stats
  until, console chat/canned, staff messages after, seeker poll after, next) and public and staff pages
  with stray ones. Values: plausible ones, Unicode odd cases (², NUL, controls, bidi, astral), huge,
  repeated fields, forms in UTF-16 or other charsets, broken multipart bodies, invalid UTF-8.
- Sockets: every frame type of SeekerConsumer (hello, message, typing, ping, leave) and StaffConsumer
  (ping, availability, accept, decline, message, typing, history, end, transfer, escalate), as the
  chat's staff member and as a supervisor reading in, plus unknown types, wrong JSON types, nesting,
  lone surrogates, non-JSON and binary frames. After each frame a ping must be answered.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import random
import time
import uuid
from collections import Counter, deque
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.test import Client
from django.utils import timezone

from config.asgi import application
from config.celery import app as celery_app
from helpline.chat import actions as chat_actions
from helpline.chat import socket_frames
from helpline.chat.forms import WrapUpForm
from helpline.chat.views.seeker import FeedbackForm
from helpline.chat.views.start import StartChatForm
from helpline.inbox import actions as inbox_actions
from helpline.models import (
    STAFF_GROUP,
    SUPERVISOR_GROUP,
    Availability,
    ChatSession,
    Escalation,
    SecureThread,
    StaffProfile,
)

pytestmark = pytest.mark.django_db(transaction=True)

INPUTS = int(os.environ.get("FUZZ_INPUTS", "300"))
SEED = int(os.environ.get("FUZZ_SEED", "13"))
HTTP_SHARE = 0.6  # of the inputs; the rest are socket frames
PASSWORD = "a-long-fuzz-password"
ORIGIN = (b"origin", b"http://testserver")
TIMEOUT = 10
TIDY_EVERY = 100  # inputs between clearing what the run piled up (a console with 500 chats is slow)
Status = ChatSession.Status

# --- values ----------------------------------------------------------------------------------

# fmt: off
ODD = [
    "", " ", "\t", "0", "1", "-1", "007", "+5", "1_000", "0x10", "²", "1²", "٣", "١٢", "\uff11\uff12", "⑦",
    "9" * 19, "9" * 25, "9223372036854775808", "-9223372036854775809", "1e309", "1.5", "NaN", "Infinity",
    "null", "None", "true", "false", "[]", "{}", "\x00", "a\x00b", "\x00" * 20, "\x1b[2J", "\x07\x08\x7f",
    "\x85\x9f", "\r\n\r\n", "\r", "\u2028\u2029", "\u202e\u2066evil", "\ufeff", "\u200b", "\ufffd", "\uffff",
    "💬🧒", "👩\u200d👩\u200d👧", "e\u0301\u0301\u0301", "\U0001d49c\U0001d4b7", "ﷺ", "Ⅻ", "ß", "İ", "ﬃ",
    "<script>alert(1)</script>", "</textarea><b>x</b>", "' OR '1'='1", "1; DROP TABLE helpline_chatsession",
    "%s%s%n%x", "{0}{1}", "{{ request }}", "{% debug %}", "${jndi:x}", "../../../../etc/passwd", "\\", '"',
    "'", "`", "%", "%00", "%ff", "&", "=", "?", "#", "queue", "available", "away", "offline", "yes", "no",
    "not_sure", "en", "de", "xx", "self", "someone_else", "leave", "ping", "2026-02-30", "0001-01-01",
    "9999-12-31", "2026-11-23", "-2026-01-01", "20261123", "2026-11-23T10:00", "http://evil.example/",
    "//evil.example", "/staff/", "/staff/../admin/", "/\\evil.example", "javascript:alert(1)",
    "/chat/session/",
]
# fmt: on
LONG = [
    lambda: "x" * 2001,
    lambda: "x" * 5001,
    lambda: "word " * 1200,
    lambda: "\n" * 3000,
    lambda: "ä" * 3000,
    lambda: "😀" * 1500,
    lambda: "a\x00" * 1000,
    lambda: "9" * 5000,
]
SURROGATES = ["\ud800", "a\udfffb", "\udc80\udc80"]
NUMBERS: list[Any] = [0, 1, -1, 2, 7, 2**31, 2**63, -(2**63) - 1, 10**30, -(10**30), 0.5, -0.0, 1e308]
NUMBERS += [float("inf"), float("-inf"), float("nan"), True, False]


class Values:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def pick(self, options: Sequence[Any]) -> Any:
        return options[self.rng.randrange(len(options))]

    def unicode(self, *, surrogates: bool = False) -> str:
        """Random characters from everywhere: ASCII, controls, Latin-1, the BMP, astral planes."""
        chars = []
        for _ in range(self.rng.randrange(0, 40)):
            plane = self.rng.random()
            if plane < 0.4:
                code = self.rng.randrange(0x20, 0x7F)
            elif plane < 0.55:
                code = self.rng.randrange(0, 0x20)
            elif plane < 0.7:
                code = self.rng.randrange(0x80, 0x100)
            elif plane < 0.9:
                code = self.rng.randrange(0x100, 0x10000)
            else:
                code = self.rng.randrange(0x10000, 0x110000)
            if 0xD800 <= code <= 0xDFFF and not surrogates:
                code = 0xFFFD
            chars.append(chr(code))
        return "".join(chars)

    def text(self, *, surrogates: bool = False) -> str:
        roll = self.rng.random()
        if roll < 0.45:
            return str(self.pick(ODD))
        if roll < 0.8:
            return self.unicode(surrogates=surrogates)
        if roll < 0.9:
            return self.pick(ODD) + self.unicode() + self.pick(ODD)
        if surrogates and roll < 0.93:
            return str(self.pick(SURROGATES))
        return str(self.pick(LONG)())

    def form_value(self, plausible: Sequence[str]) -> str | list[str]:
        if self.chance(0.08):  # the field repeated, or present with no value at all
            return [self.one_form_value(plausible) for _ in range(self.rng.randrange(0, 4))]
        return self.one_form_value(plausible)

    def one_form_value(self, plausible: Sequence[str]) -> str:
        if plausible and self.chance(0.4):
            return str(self.pick(plausible))
        return self.text()

    def json_value(self, plausible: Sequence[Any] = (), depth: int = 0) -> Any:
        roll = self.rng.random()
        if plausible and roll < 0.4:
            return self.pick(plausible)
        if roll < 0.7:
            return self.text(surrogates=True)
        if roll < 0.82:
            return self.pick(NUMBERS)
        if roll < 0.86:
            return None
        if depth > 3:
            return self.pick(ODD)
        if roll < 0.93:
            return [self.json_value(plausible, depth + 1) for _ in range(self.rng.randrange(0, 4))]
        return {self.text(): self.json_value(plausible, depth + 1) for _ in range(self.rng.randrange(0, 4))}


def utf8(value: Any) -> Any:
    """What a browser could send in a form: no lone surrogates."""
    if isinstance(value, list):
        return [utf8(v) for v in value]
    return value.encode("utf-8", "replace").decode("utf-8")


# --- the logs --------------------------------------------------------------------------------


class LogWatch(logging.Handler):
    """Every record logged at ERROR or above, or carrying a traceback, by any logger."""

    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.bad: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info or record.levelno >= logging.ERROR:
            self.bad.append(record)

    def summary(self) -> list[str]:
        return [
            f"{r.levelname} {r.name}: {r.getMessage()[:200]} {r.exc_info and r.exc_info[1]!r}"
            for r in self.bad
        ]


@contextmanager
def watched_logs() -> Iterator[LogWatch]:
    watch = LogWatch()
    # The root, and every logger that keeps its records to itself (settings.LOGGING: "django", ...).
    loggers = [logging.getLogger()] + [
        logger
        for logger in logging.root.manager.loggerDict.values()
        if isinstance(logger, logging.Logger) and not logger.propagate
    ]
    for logger in loggers:
        logger.addHandler(watch)
    try:
        yield watch
    finally:
        for logger in loggers:
            logger.removeHandler(watch)


@pytest.fixture(autouse=True)
def _eager_celery():
    """Routing and other tasks run inline, as in the unit tests: no worker is needed."""
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


# --- the world the inputs act on ----------------------------------------------------------------


def make_staff(username: str, *, supervisor: bool = False, available: bool = True) -> StaffProfile:
    user = User.objects.create_user(username, password=PASSWORD)
    user.groups.add(Group.objects.get_or_create(name=STAFF_GROUP)[0])
    if supervisor:
        user.groups.add(Group.objects.get_or_create(name=SUPERVISOR_GROUP)[0])
    return StaffProfile.objects.create(
        user=user,
        display_name=username.title(),
        languages=["en"],
        max_chats=3,
        availability=Availability.AVAILABLE if available else Availability.OFFLINE,
    )


@dataclass
class World:
    """Two staff members (Sam, Kim), a supervisor (Alex), and chats, threads and escalations in every
    state the forms and frames act on, made again whenever an input has moved one on (an accepted
    offer, an ended chat)."""

    sam: StaffProfile
    kim: StaffProfile
    alex: StaffProfile
    pool: dict[str, Any] = field(default_factory=dict)
    tokens: dict[int, str] = field(default_factory=dict)

    @classmethod
    def build(cls) -> World:
        return cls(
            sam=make_staff("sam"),
            kim=make_staff("kim"),
            alex=make_staff("alex", supervisor=True, available=False),
        )

    # chats
    def _new_chat(self, **state: Any) -> ChatSession:
        chat, token = chat_actions.do_start_chat("en", "")
        if state:
            ChatSession.objects.filter(pk=chat.pk).update(**state)
        chat.refresh_from_db()
        self.tokens[chat.pk] = token
        return chat

    def _kept(
        self, name: str, still: Callable[[ChatSession], bool], make: Callable[[], ChatSession]
    ) -> ChatSession:
        chat = self.pool.get(name)
        if chat is not None:
            chat = ChatSession.objects.filter(pk=chat.pk).first()
        if chat is None or not still(chat):
            chat = make()
            self.pool[name] = chat
        return chat

    def live_chat(self, staff: StaffProfile | None = None) -> ChatSession:
        staff = staff or self.sam
        return self._kept(
            f"live-{staff.pk}",
            lambda c: c.status == Status.ACTIVE and c.staff_id == staff.pk,
            lambda: self._new_chat(
                status=Status.ACTIVE,
                staff=staff,
                offered_to=None,
                offer_expires_at=None,
                answered_at=timezone.now(),
            ),
        )

    def offered_chat(self) -> ChatSession:
        return self._kept(
            "offered",
            lambda c: c.status == Status.OFFERED and c.offered_to_id == self.sam.pk,
            lambda: self._new_chat(
                status=Status.OFFERED,
                offered_to=self.sam,
                staff=None,
                offer_expires_at=timezone.now() + timedelta(minutes=10),
            ),
        )

    def wrap_up_chat(self) -> ChatSession:
        return self._kept(
            "wrap-up",
            lambda c: c.status == Status.ENDED and not hasattr(c, "wrap_up"),
            lambda: self._new_chat(
                status=Status.ENDED,
                staff=self.sam,
                offered_to=None,
                answered_at=timezone.now() - timedelta(minutes=5),
                ended_at=timezone.now(),
                end_reason=ChatSession.EndReason.STAFF_ENDED,
            ),
        )

    def seeker_chat(self, state: str) -> tuple[ChatSession, str]:
        if state == "live":
            chat = self.live_chat()
        elif state == "ended":
            chat = self._kept(
                "seeker-ended",
                lambda c: c.status == Status.ENDED,
                lambda: self._new_chat(
                    status=Status.ENDED,
                    ended_at=timezone.now(),
                    end_reason=ChatSession.EndReason.SEEKER_ENDED,
                ),
            )
        else:
            chat = self._kept("seeker-open", lambda c: c.is_open, self._new_chat)
        return chat, self.tokens[chat.pk]

    def chat_for_staff(self, values: Values) -> uuid.UUID:
        """A chat id as staff pages and frames name it: one of theirs in some state, a colleague's,
        or one that does not exist."""
        roll = values.rng.random()
        if roll < 0.45:
            return self.live_chat().public_id
        if roll < 0.6:
            return self.offered_chat().public_id
        if roll < 0.7:
            return self.wrap_up_chat().public_id
        if roll < 0.85:
            return self.live_chat(self.kim).public_id
        if roll < 0.9:
            return self.escalation().session.public_id
        return uuid.UUID(int=values.rng.getrandbits(128))

    def escalation(self) -> Escalation:
        found = self.pool.get("escalation")
        if found is not None:
            found = Escalation.objects.filter(pk=found.pk, decision="").select_related("session").first()
        if found is None:
            chat = self.live_chat(self.kim)
            found = chat_actions.do_escalate(chat, self.kim, Escalation.Reason.OTHER)
            found = Escalation.objects.select_related("session").get(pk=found.pk)
            self.pool["escalation"] = found
        return found

    # secure messages
    def secure_thread(self) -> tuple[SecureThread, str]:
        kept = self.pool.get("thread")
        if kept is not None and SecureThread.objects.filter(pk=kept[0].pk).exists():
            return kept
        new = inbox_actions.do_start_secure_thread(
            "en", "I have been worried about something for a long time."
        )
        self.pool["thread"] = (new.thread, new.passphrase)
        return self.pool["thread"]

    def tidy(self) -> None:
        """Clear what the run piled up (chats started by the chat form, offers accepted, ended chats),
        keeping what the pool holds."""
        kept_chats = [c.pk for c in self.pool.values() if isinstance(c, ChatSession)]
        escalation = self.pool.get("escalation")
        if escalation is not None:
            kept_chats.append(escalation.session_id)
        ChatSession.objects.exclude(pk__in=kept_chats).delete()
        self.tokens = {pk: token for pk, token in self.tokens.items() if pk in kept_chats}
        thread = self.pool.get("thread")
        SecureThread.objects.exclude(pk__in=[thread[0].pk] if thread else []).delete()
        StaffProfile.objects.filter(pk__in=[self.sam.pk, self.kim.pk]).update(
            availability=Availability.AVAILABLE
        )


# --- HTTP -------------------------------------------------------------------------------------


@dataclass
class Clients:
    anonymous: Client
    seeker: Client
    sam: Client
    alex: Client
    half_signed_in: Client  # password given, second factor not yet
    checked: dict[str, Client]  # the same people, with the CSRF check a browser meets


def signed_in(profile: StaffProfile, **kwargs: Any) -> Client:
    client = Client(raise_request_exception=False, **kwargs)
    client.force_login(profile.user)  # tests/conftest.py: as if the second factor was passed
    return client


def make_clients(world: World) -> Clients:
    half = Client(raise_request_exception=False)
    half.post("/staff/login/", {"username": "kim", "password": PASSWORD})
    checked = {
        "anonymous": Client(enforce_csrf_checks=True, raise_request_exception=False),
        "seeker": Client(enforce_csrf_checks=True, raise_request_exception=False),
        "sam": signed_in(world.sam, enforce_csrf_checks=True),
        "alex": signed_in(world.alex, enforce_csrf_checks=True),
    }
    for client in checked.values():
        client.get("/en/messages/")  # a page with a form: sets the CSRF cookie
    return Clients(
        anonymous=Client(raise_request_exception=False),
        seeker=Client(raise_request_exception=False),
        sam=signed_in(world.sam),
        alex=signed_in(world.alex),
        half_signed_in=half,
        checked=checked,
    )


def choices(form: Any, name: str) -> list[str]:
    return [str(value) for value, _label in form.fields[name].choices]


@dataclass
class Endpoint:
    name: str
    who: str  # anonymous, seeker, sam, alex, half_signed_in
    path: Callable[[World, Values], str]
    fields: Callable[[World], dict[str, list[str]]]
    method: str = "POST"
    seeker_state: str = ""  # for who="seeker": the chat the browser holds (open, live, ended, none)


def fixed(path: str) -> Callable[[World, Values], str]:
    return lambda world, values: path


def staff_chat(action: str) -> Callable[[World, Values], str]:
    return lambda world, values: f"/staff/chats/{world.chat_for_staff(values)}/{action}"


def inbox(action: str) -> Callable[[World, Values], str]:
    def path(world: World, values: Values) -> str:
        thread = world.secure_thread()[0] if values.chance(0.85) else None
        public_id = thread.public_id if thread else uuid.UUID(int=values.rng.getrandbits(128))
        return f"/staff/inbox/{public_id}/{action}"

    return path


def escalation_path(world: World, values: Values) -> str:
    number = world.escalation().pk if values.chance(0.8) else values.pick([0, 2**31, 2**63, 10**30])
    return f"/staff/escalations/{number}/decide/"


def no_fields(world: World) -> dict[str, list[str]]:
    return {}


FORMS = [
    Endpoint(
        "chat start",
        "anonymous",
        fixed("/chat/start/"),
        lambda w: {
            "language": choices(StartChatForm(), "language"),
            "about": choices(StartChatForm(), "about"),
        },
    ),
    *[
        Endpoint(
            f"chat send ({state})",
            "seeker",
            fixed("/chat/session/send/"),
            lambda w: {"body": ["Hello."], "ref": ["r1"]},
            seeker_state=state,
        )
        for state in ("open", "live", "ended", "none")
    ],
    Endpoint(
        "chat end",
        "seeker",
        fixed("/chat/session/end/"),
        lambda w: {"step": ["yes", "no"], "body": ["Bye."]},
        seeker_state="live",
    ),
    Endpoint(
        "chat end (waiting)",
        "seeker",
        fixed("/chat/session/end/"),
        lambda w: {"step": ["yes", "no"]},
        seeker_state="open",
    ),
    Endpoint("chat close", "seeker", fixed("/chat/session/close/"), no_fields, seeker_state="ended"),
    Endpoint(
        "chat feedback",
        "seeker",
        fixed("/chat/session/feedback/"),
        lambda w: (
            {name: choices(FeedbackForm(), name) for name in FeedbackForm().fields} | {"draft": ["Thanks."]}
        ),
        seeker_state="ended",
    ),
    Endpoint(
        "secure create",
        "anonymous",
        fixed("/en/messages/new/"),
        lambda w: {"body": ["I need to talk to someone."], "language": ["en"], "draft": [uuid.uuid4().hex]},
    ),
    Endpoint(
        "secure open",
        "anonymous",
        fixed("/en/messages/open/"),
        lambda w: {"passphrase": [w.secure_thread()[1]]},
    ),
    Endpoint(
        "secure reply",
        "anonymous",
        fixed("/en/messages/reply/"),
        lambda w: {"passphrase": [w.secure_thread()[1]], "body": ["Thank you."], "draft": [uuid.uuid4().hex]},
    ),
    Endpoint(
        "staff availability",
        "sam",
        fixed("/staff/availability/"),
        lambda w: {"availability": list(Availability.values), "next": ["/staff/", "/staff/inbox/"]},
    ),
    Endpoint("staff accept", "sam", staff_chat("accept/"), no_fields),
    Endpoint("staff decline", "sam", staff_chat("decline/"), no_fields),
    Endpoint("staff send", "sam", staff_chat("send/"), lambda w: {"body": ["How are you feeling now?"]}),
    Endpoint("staff end", "sam", staff_chat("end/"), no_fields),
    Endpoint("staff close-left", "sam", staff_chat("close-left/"), no_fields),
    Endpoint(
        "staff transfer", "sam", staff_chat("transfer/"), lambda w: {"to": [str(w.kim.pk), "queue", ""]}
    ),
    Endpoint(
        "staff escalate", "sam", staff_chat("escalate/"), lambda w: {"reason": list(Escalation.Reason.values)}
    ),
    Endpoint(
        "staff wrap-up",
        "sam",
        staff_chat("wrap-up/"),
        lambda w: {name: choices(WrapUpForm(), name) for name in WrapUpForm().fields},
    ),
    Endpoint(
        "supervisor decide", "alex", escalation_path, lambda w: {"decision": list(Escalation.Decision.values)}
    ),
    Endpoint("inbox take", "sam", inbox("take/"), no_fields),
    Endpoint("inbox release", "sam", inbox("release/"), no_fields),
    Endpoint(
        "inbox reply",
        "sam",
        inbox("reply/"),
        lambda w: {"body": ["Thank you for writing."], "canned": ["1"], "insert": ["1"]},
    ),
    Endpoint(
        "sign in",
        "anonymous",
        fixed("/staff/login/"),
        lambda w: {"username": ["nobody", "someone"], "password": [PASSWORD], "next": ["/staff/"]},
    ),
    Endpoint(
        "second factor",
        "half_signed_in",
        fixed("/staff/two-factor/"),
        lambda w: {"token": ["123456"], "next": ["/staff/"]},
    ),
]

QUERIES = [
    Endpoint(
        "search",
        "anonymous",
        fixed("/en/search/"),
        lambda w: {"q": ["help", "worried thoughts"], "page": ["1", "2"]},
        "GET",
    ),
    Endpoint(
        "stats",
        "alex",
        fixed("/staff/stats/"),
        lambda w: {"until": ["2026-11-23", "0001-01-01", "9999-12-31"]},
        "GET",
    ),
    Endpoint(
        "console",
        "sam",
        fixed("/staff/"),
        lambda w: {"chat": [w.live_chat().public_id.hex], "canned": ["1"]},
        "GET",
    ),
    Endpoint("staff messages", "sam", staff_chat("messages/"), lambda w: {"after": ["0", "1", "3"]}, "GET"),
    Endpoint("supervisor messages", "alex", staff_chat("messages/"), lambda w: {"after": ["0", "2"]}, "GET"),
    Endpoint(
        "seeker poll", "seeker", fixed("/chat/session/poll/"), lambda w: {"after": ["0", "1"]}, "GET", "live"
    ),
    Endpoint(
        "sign-in page",
        "anonymous",
        fixed("/staff/login/"),
        lambda w: {"next": ["/staff/", "/staff/inbox/"]},
        "GET",
    ),
    Endpoint(
        "second factor page",
        "half_signed_in",
        fixed("/staff/two-factor/"),
        lambda w: {"next": ["/staff/"]},
        "GET",
    ),
    *[
        Endpoint(f"page {path}", "anonymous", fixed(path), no_fields, "GET")
        for path in (
            "/",
            "/en/self-help/",
            "/en/modules/",
            "/en/browse-safely/",
            "/en/chat/",
            "/en/messages/",
            "/chat/ended/",
        )
    ],
    *[
        Endpoint(f"seeker page {path}", "seeker", fixed(path), no_fields, "GET", state)
        for path in (
            "/chat/session/",
            "/chat/session/live/",
            "/chat/session/notice/",
            "/chat/session/transcript.txt",
        )
        for state in ("open", "live")
    ],
    *[
        Endpoint(f"staff page {path}", who, fixed(path), no_fields, "GET")
        for path, who in [
            ("/staff/state/", "sam"),
            ("/staff/pulse/", "sam"),
            ("/staff/pulse/frame/", "sam"),
            ("/staff/inbox/", "sam"),
            ("/staff/supervisor/", "alex"),
            ("/staff/supervisor/state/", "alex"),
        ]
    ],
    Endpoint("transcript", "alex", staff_chat(""), no_fields, "GET"),
]

EVERY_ENDPOINT = FORMS + QUERIES
CHARSETS = ["utf-16", "utf-16-le", "utf-32", "latin-1", "ascii", "cp1252", "nonsense", "", "utf-8;x=y"]


def query_string(values: Values, fields: dict[str, list[str]]) -> str:
    """A query string as a browser, a script or a broken proxy might send it."""
    roll = values.rng.random()
    if roll < 0.08:
        return str(values.pick(["%", "%zz", "%ff%fe", "&&&", "=", "==&=", "a=%00", "%c0%af", "\x00=1", ";;"]))
    pairs: list[tuple[str, str]] = []
    names = list(fields) + ([values.text()] if values.chance(0.2) else [])
    for name in names:
        if not values.chance(0.85):
            continue
        value = utf8(values.form_value(fields.get(name, [])))
        for one in value if isinstance(value, list) else [value]:
            pairs.append((name, one))
    text = urlencode(pairs)
    if values.chance(0.05):
        text += "&" + values.pick(["q=%ff", "after=%b2", "until=%00", "canned=\xb2"])
    return text


def encoded_post(
    values: Values, client: Client, path: str, data: dict[str, Any], extra: dict[str, Any]
) -> Any:
    """The same form, encoded one of the ways a browser, a script or an attacker might send it."""
    roll = values.rng.random()
    if roll < 0.45:
        return client.post(path, data, **extra)  # multipart, as the test client sends by default
    if roll < 0.8:
        body = urlencode(data, doseq=True)
        return client.post(path, body, content_type="application/x-www-form-urlencoded", **extra)
    if roll < 0.88:
        charset = values.pick(CHARSETS)
        body = urlencode(data, doseq=True)
        try:
            encoded = body.encode(charset.split(";")[0] or "utf-8")
        except LookupError:
            encoded = body.encode()
        content_type = f"application/x-www-form-urlencoded; charset={charset}"
        return client.generic("POST", path, encoded, content_type=content_type, **extra)
    if roll < 0.93:
        raw = bytes(values.rng.randrange(256) for _ in range(values.rng.randrange(0, 200)))
        body = values.pick([raw, b"body=%ff%fe%00", b"a=\xff\xfe&body=\xc0\xaf", b"=&=&" * 50, raw + b"&x=1"])
        return client.generic("POST", path, body, content_type="application/x-www-form-urlencoded", **extra)
    if roll < 0.97:
        boundary = values.pick(["", "x", "\x00", "a" * 200, "--", "b;c", "é"])
        body = values.pick(
            [b"", b"--x\r\n", b"--x\r\nContent-Disposition: form-data\r\n\r\nhi\r\n--x--", b"\xff" * 50]
        )
        return client.generic(
            "POST", path, body, content_type=f"multipart/form-data; boundary={boundary}", **extra
        )
    content_type = values.pick(["application/json", "text/plain", "application/xml", ""])
    return client.generic(
        "POST", path, json.dumps(utf8(values.text())).encode(), content_type=content_type, **extra
    )


@dataclass
class HttpTally:
    statuses: Counter[int] = field(default_factory=Counter)
    server_errors: list[str] = field(default_factory=list)
    forms: int = 0
    queries: int = 0


def fire_one(world: World, clients: Clients, values: Values, endpoint: Endpoint, tally: HttpTally) -> None:
    checked = endpoint.who in clients.checked and values.chance(0.15)
    client = clients.checked[endpoint.who] if checked else getattr(clients, endpoint.who)
    if endpoint.who == "seeker":
        state = endpoint.seeker_state
        if state == "none":
            client.cookies.pop(settings.SEEKER_COOKIE_NAME, None)
        else:
            _chat, token = world.seeker_chat(state)
            # A cookie arrives as bytes, which the server reads as Latin-1: what odd UTF-8 becomes.
            odd = utf8(values.text()).encode("utf-8").decode("latin-1")
            client.cookies[settings.SEEKER_COOKIE_NAME] = token if values.chance(0.9) else odd
    path = endpoint.path(world, values)
    fields = endpoint.fields(world)
    # Many people share addresses; here each request comes from one of a few, so limits are met too.
    extra: dict[str, Any] = {"REMOTE_ADDR": f"198.51.100.{values.rng.randrange(1, 20)}"}
    if values.chance(0.3):
        extra["HTTP_ACCEPT"] = "application/json"
    response: Any
    if endpoint.method == "GET":
        response = client.get(f"{path}?{query_string(values, fields)}", **extra)
        tally.queries += 1
    else:
        data: dict[str, Any] = {}
        for name in list(fields) + ([values.text()] if values.chance(0.15) else []):
            if values.chance(0.85):
                data[utf8(name)] = utf8(values.form_value(fields.get(name, [])))
        if checked:
            token = client.cookies["csrftoken"].value
            data["csrfmiddlewaretoken"] = token if values.chance(0.9) else utf8(values.text())
        method = "POST" if values.chance(0.95) else values.pick(["GET", "PUT", "DELETE", "HEAD", "OPTIONS"])
        if method == "POST":
            response = encoded_post(values, client, path, data, extra)
        else:
            response = client.generic(method, path, **extra)
        tally.forms += 1
    tally.statuses[response.status_code] += 1
    if response.status_code >= 500:
        error = response.exc_info[1] if getattr(response, "exc_info", None) else None
        tally.server_errors.append(f"{response.status_code} {endpoint.name} {path}: {error!r:.300}")


def test_http_inputs_never_reach_a_500_or_a_traceback(capsys):
    count = round(INPUTS * HTTP_SHARE)
    values = Values(random.Random(SEED))
    world = World.build()
    clients = make_clients(world)
    tally = HttpTally()
    started = time.monotonic()
    with watched_logs() as logs:
        for number in range(count):
            # Each endpoint once first, so even the short run reaches every one; then at random.
            if number < len(EVERY_ENDPOINT):
                endpoint = EVERY_ENDPOINT[number]
            else:
                endpoint = values.pick(FORMS) if values.chance(0.65) else values.pick(QUERIES)
            fire_one(world, clients, values, endpoint, tally)
            if number % TIDY_EVERY == TIDY_EVERY - 1:
                world.tidy()
    seconds = time.monotonic() - started
    with capsys.disabled():
        print(
            f"\nfuzz http: {count} inputs ({tally.forms} form posts, {tally.queries} pages with query "
            f"parameters), seed {SEED}, {seconds:.0f} s: {len(tally.server_errors)} responses 500, "
            f"{len(logs.bad)} tracebacks or errors logged; statuses {dict(sorted(tally.statuses.items()))}"
        )
    assert not tally.server_errors, sorted(set(tally.server_errors))[:40]
    assert not logs.bad, logs.summary()[:20]


# --- sockets ----------------------------------------------------------------------------------

RAW_FRAMES = [
    "",
    " ",
    "not json",
    "{",
    '{"type":',
    "[]",
    "null",
    "1",
    '"ping"',
    "NaN",
    "-Infinity",
    '{"type":"ping"}{"type":"ping"}',
    "\x00",
    '{"type":"ping","type":"message"}',
    '{"type": "\\ud800"}',
    '{"type": "message", "body": "' + "\\u0000" * 100 + '"}',
    "1" * 5000,
    '{"type": "history", "after": ' + "9" * 4400 + "}",
    '{"type":"' + "x" * 20000 + '"}',
    "[" * 5000,
    '{"a":' * 3000,
    '{"type": "message", "ref": ' + "[" * 900 + "]" * 900 + "}",
    '{"type": "ping", "ref": ' + "[" * 17 + "]" * 17 + "}",
]
SEEKER_FRAMES: dict[str, dict[str, list[Any]]] = {
    "hello": {"after": [0, 1, 3]},
    "message": {"body": ["I don't know where to start.", "Are you there?"], "ref": ["a1", 7]},
    "typing": {},
    "ping": {},
    "leave": {},
}


def staff_frames(world: World, chat_ids: list[str]) -> dict[str, dict[str, list[Any]]]:
    return {
        "ping": {},
        "availability": {"value": list(Availability.values)},
        "accept": {"chat": chat_ids},
        "decline": {"chat": chat_ids},
        "message": {"chat": chat_ids, "body": ["Take your time.", "I'm here."], "ref": ["s1", 3]},
        "typing": {"chat": chat_ids},
        "history": {"chat": chat_ids, "after": [0, 2]},
        "end": {"chat": chat_ids},
        "transfer": {"chat": chat_ids, "to": [world.kim.pk, str(world.kim.pk), "queue", "", None]},
        "escalate": {"chat": chat_ids, "reason": list(Escalation.Reason.values)},
    }


def frame(values: Values, kinds: dict[str, dict[str, list[Any]]], kind: str | None = None) -> str | bytes:
    """A frame of one of `kinds` with odd values, or of no kind at all; `kind` chooses the type."""
    roll = values.rng.random()
    if kind is None and roll < 0.06:
        return str(values.pick(RAW_FRAMES))
    if kind is None and roll < 0.08:
        return bytes(values.rng.randrange(256) for _ in range(values.rng.randrange(0, 64)))
    content: dict[str, Any] = {}
    roll = values.rng.random()
    if kind is not None or roll < 0.8:
        kind = kind or values.pick(list(kinds))
        content["type"] = kind
    else:
        kind = values.pick(list(kinds))  # its fields, under an odd type or none
        if roll < 0.95:
            content["type"] = values.json_value()
    for name, plausible in kinds.get(kind, {}).items():
        if values.chance(0.85):
            content[name] = values.json_value(plausible)
    if values.chance(0.15):
        content["ref"] = values.json_value()
    if values.chance(0.1):
        content[values.text()] = values.json_value()
    text = json.dumps(content, ensure_ascii=values.chance(0.7))
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a browser cannot send a lone surrogate unescaped
        text = json.dumps(content)
    return text


@dataclass
class SocketTally:
    frames: Counter[str] = field(default_factory=Counter)
    dropped: list[str] = field(default_factory=list)  # closed by the server without a reason the frame gave
    unanswered: list[str] = field(default_factory=list)  # no answer to the ping that followed
    ended: int = 0  # chats the frames ended (a "leave"): the server closes those sockets, as it should
    errors: Counter[str] = field(default_factory=Counter)
    recent: deque[str] = field(default_factory=lambda: deque(maxlen=8))  # shown with a failure

    def failed(self, into: list[str], what: str) -> None:
        into.append(f"{what} (after: {' | '.join(self.recent)})")


class Line:
    """One socket, opened again whenever its chat has ended. After each frame a ping must be
    answered; a close is fine only after the chat ended (state "ended", then a normal close)."""

    def __init__(self, name: str, opener: Callable[[], Any], tally: SocketTally) -> None:
        self.name, self.opener, self.tally = name, opener, tally
        self.socket: WebsocketCommunicator | None = None
        self.saw_end = False

    async def open(self) -> WebsocketCommunicator:
        if self.socket is None:
            self.socket = await self.opener()
            self.saw_end = False
        return self.socket

    async def closed(self) -> None:
        if self.socket is not None:
            with contextlib.suppress(Exception):  # the application may have ended already
                await self.socket.disconnect()
        self.socket = None

    async def send(self, sent: str | bytes, label: str) -> None:
        socket = await self.open()
        self.tally.frames[f"{self.name} {label}"] += 1
        self.tally.recent.append(f"{self.name}: {str(sent)[:100]!r}")
        # Not send_to: it refuses empty frames, which a client can send.
        await socket.send_input(
            {"type": "websocket.receive", "bytes" if isinstance(sent, bytes) else "text": sent}
        )
        await socket.send_to(text_data=json.dumps({"type": "ping", "ref": "check"}))
        # A pong has no ref: if the frame was itself a ping, two pongs are due. Stopping at the first
        # would leave one behind, and the next frame would seem answered before it was carried out.
        pongs_due = 2 if is_a_ping(sent) else 1
        while True:
            try:
                output = await socket.receive_output(timeout=TIMEOUT)
            except TimeoutError:
                self.tally.failed(self.tally.unanswered, f"{self.name} {label}")
                self.socket = None  # the communicator has cancelled the application
                return
            except Exception as error:  # the application raised: the socket died with it
                self.tally.failed(self.tally.dropped, f"{self.name} {label}: {type(error).__name__}")
                self.socket = None
                return
            if output["type"] == "websocket.close":
                if self.saw_end and output.get("code", 1000) == 1000:
                    self.tally.ended += 1
                else:
                    self.tally.failed(self.tally.dropped, f"{self.name} {label} closed {output}")
                await self.closed()
                return
            answer = json.loads(output["text"])
            if answer["type"] == "state" and answer.get("status") == Status.ENDED:
                self.saw_end = True
            if answer["type"] == "error":
                self.tally.errors[answer["code"]] += 1
            if answer["type"] == "pong":
                pongs_due -= 1
                if pongs_due > 0 or self.saw_end:
                    # Ended (a "leave"): the close follows; read it now so the next frame starts fresh.
                    continue
                return


def is_a_ping(sent: str | bytes) -> bool:
    """Whether the server answers this frame with a pong (as JsonFrames.receive reads it)."""
    if (
        not isinstance(sent, str)
        or len(sent) > socket_frames.MAX_FRAME_BYTES
        or socket_frames.too_deeply_nested(sent)
    ):
        return False
    try:
        content = json.loads(sent)
    except ValueError:
        return False
    return isinstance(content, dict) and content.get("type") == "ping"


def frame_label(sent: str | bytes, kinds: dict[str, Any]) -> str:
    """How the counts name a frame: its type if it is one of the consumer's, else "odd"."""
    try:
        kind = json.loads(sent).get("type")
    except (ValueError, AttributeError, RecursionError):
        return "odd"
    return kind if isinstance(kind, str) and kind in kinds else "odd"


async def seeker_opener(world: World, tally: SocketTally) -> WebsocketCommunicator:
    chat, token = await database_sync_to_async(world.seeker_chat)("live")
    tally.recent.append(f"seeker opens chat {chat.pk} ({chat.status})")
    socket = WebsocketCommunicator(
        application, "/chat/ws/", headers=[ORIGIN, (b"cookie", f"chat_token={token}".encode())]
    )
    connected, _ = await socket.connect(timeout=TIMEOUT)
    assert connected
    return socket


async def staff_opener(profile: StaffProfile) -> WebsocketCommunicator:
    def session_cookie() -> str:
        client = Client()
        client.force_login(profile.user)
        return client.cookies["sessionid"].value

    cookie = await database_sync_to_async(session_cookie)()
    socket = WebsocketCommunicator(
        application, "/staff/ws/", headers=[ORIGIN, (b"cookie", f"sessionid={cookie}".encode())]
    )
    connected, _ = await socket.connect(timeout=TIMEOUT)
    assert connected
    return socket


def staff_chat_ids(world: World, values: Values) -> list[str]:
    return [world.chat_for_staff(values).hex for _ in range(4)] + [str(world.live_chat().public_id)]


async def test_socket_frames_never_drop_a_socket_or_log_a_traceback(capsys):
    count = INPUTS - round(INPUTS * HTTP_SHARE)
    values = Values(random.Random(SEED + 1))
    world = await database_sync_to_async(World.build)()
    tally = SocketTally()
    seeker = Line("seeker", lambda: seeker_opener(world, tally), tally)
    sam = Line("staff", lambda: staff_opener(world.sam), tally)
    alex = Line("supervisor", lambda: staff_opener(world.alex), tally)
    started = time.monotonic()
    with watched_logs() as logs:
        for number in range(count):
            if number % 2 == 0:
                line, kinds = seeker, SEEKER_FRAMES
            else:
                line = sam if values.chance(0.7) else alex
                chat_ids = await database_sync_to_async(staff_chat_ids)(world, values)
                kinds = staff_frames(world, chat_ids)
            # Each frame type once first, so even the short run sends every one; then at random.
            first = [kind for kind in kinds if f"{line.name} {kind}" not in tally.frames]
            sent = frame(values, kinds, first[0] if first else None)
            await line.send(sent, frame_label(sent, kinds))
            if number % TIDY_EVERY == TIDY_EVERY - 1:
                for each in (seeker, sam, alex):
                    await each.closed()  # its chat may be cleared away
                await database_sync_to_async(world.tidy)()
        for each in (seeker, sam, alex):
            await each.closed()
    seconds = time.monotonic() - started
    with capsys.disabled():
        print(
            f"\nfuzz sockets: {count} frames, seed {SEED + 1}, {seconds:.0f} s: {len(tally.dropped)} sockets "
            f"dropped by the server, {len(tally.unanswered)} left without an answer, {len(logs.bad)} "
            f"tracebacks or errors logged; {tally.ended} chats ended by a frame (socket closed normally); "
            f"error frames {dict(tally.errors.most_common())}"
        )
    assert not tally.dropped, tally.dropped[:20]
    assert not tally.unanswered, tally.unanswered[:20]
    assert not logs.bad, logs.summary()[:20]
