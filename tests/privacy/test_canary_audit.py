"""The anonymity promise as a test: every seeker flow, on a live server with real PostgreSQL, Redis and
a Celery worker, from a distinctive address and browser. Afterwards every store is searched for them.

The requests really come from 127.0.0.77 (a loopback address of this machine) and also claim it in
X-Forwarded-For and X-Real-IP. We then search a pg_dump of the database, every Redis key and value,
every command Redis received while the flows ran (Celery messages, channel-layer events, cache writes),
the server's and the worker's logs, and the error mails, for the address and the user agent: raw, and
as hex, base64 and SHA-256.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import socket
import subprocess
import sys
import time
from http.cookies import SimpleCookie
from pathlib import Path

import pytest
import redis
from django.db import connection
from websockets.sync.client import connect as ws_connect
from websockets.typing import Origin

from tests.privacy_audit import canary_forms
from tests.processes import free_port

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parents[2]
SOURCE = "127.0.0.77"
AGENT = "CanaryBrowser/7.7 (live-audit; x77)"
CANARIES = (SOURCE, AGENT)
# Where the seeker came from: a partner's page whose address holds what they searched for.
REFERRER = "https://partner.example/search?q=canary-referrer-5521"


class CanaryBrowser:
    """A tiny HTTP client whose connections leave from 127.0.0.77 and announce the canary identity."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}
        self.referrer: str | None = None

    def request(self, method: str, path: str, form: dict[str, str] | None = None) -> tuple[int, str]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=20, source_address=(SOURCE, 0))
        headers = {
            "User-Agent": AGENT,
            "X-Forwarded-For": SOURCE,
            "X-Real-IP": SOURCE,
            "Host": f"127.0.0.1:{self.port}",
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if self.referrer:
            headers["Referer"] = self.referrer
        body = None
        if form is not None:
            from urllib.parse import urlencode

            token = self.cookies.get("csrftoken")
            if token and "csrfmiddlewaretoken" not in form:
                form = {**form, "csrfmiddlewaretoken": token}
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = f"http://127.0.0.1:{self.port}"
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        text = response.read().decode("utf-8", "replace")
        for header in response.headers.get_all("Set-Cookie") or []:
            jar: SimpleCookie = SimpleCookie()
            jar.load(header)
            for name, morsel in jar.items():
                if morsel.value:
                    self.cookies[name] = morsel.value
                else:
                    self.cookies.pop(name, None)
        conn.close()
        return response.status, text

    def get(self, path: str) -> tuple[int, str]:
        return self.request("GET", path)

    def post(self, path: str, form: dict[str, str]) -> tuple[int, str]:
        return self.request("POST", path, form)

    def socket(self, path: str):
        raw = socket.create_connection(("127.0.0.1", self.port), timeout=10, source_address=(SOURCE, 0))
        return ws_connect(
            f"ws://127.0.0.1:{self.port}{path}",
            sock=raw,
            user_agent_header=AGENT,
            origin=Origin(f"http://127.0.0.1:{self.port}"),
            additional_headers={
                "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
                "X-Forwarded-For": SOURCE,
                "X-Real-IP": SOURCE,
            },
        )


@pytest.fixture
def live_stack(settings, tmp_path):
    db = connection.settings_dict
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.canary_settings",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "REDIS_URL": settings.REDIS_URL,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "DEBUG": "0",
        "DB_CONN_MAX_AGE": "0",
        "CANARY_MAIL_DIR": str(mail_dir),
        "RATE_LIMIT_SEARCH": "5/m",
        "VAR_DIR": str(tmp_path),
        "LOG_LEVEL": "DEBUG",
        "ENCRYPTION_KEYS": ",".join(settings.ENCRYPTION_KEYS),
        "PASSPHRASE_SECRET": settings.PASSPHRASE_SECRET,
    }
    client = redis.Redis.from_url(settings.REDIS_URL)
    monitor_log = tmp_path / "redis-monitor.log"
    processes = []

    def spawn(name: str, args: list[str]) -> Path:
        log = tmp_path / f"{name}.log"
        handle = open(log, "w")  # noqa: SIM115 (closed with the process)
        processes.append(
            (subprocess.Popen(args, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT), handle)
        )
        return log

    redis_port = str(client.connection_pool.connection_kwargs.get("port", 6379))
    spawn("redis-monitor", ["redis-cli", "-h", "127.0.0.1", "-p", redis_port, "monitor"])
    (tmp_path / "redis-monitor.log").touch()
    server_log = spawn(
        "uvicorn",
        [
            sys.executable,
            "-m",
            "uvicorn",
            "config.asgi:application",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--no-access-log",
            "--log-level",
            "debug",
        ],
    )
    worker_log = spawn(
        "worker",
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--loglevel=DEBUG",
            "--pool=solo",
            "--without-gossip",
            "--without-mingle",
        ],
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if "ready" in worker_log.read_text() and "Application startup complete" in server_log.read_text():
            break
        time.sleep(0.3)
    else:
        pytest.fail("the live stack did not start:\n" + server_log.read_text() + worker_log.read_text())
    yield {
        "browser": CanaryBrowser(port),
        "logs": [server_log, worker_log],
        "monitor": tmp_path / "redis-monitor.log",
        "mail": mail_dir,
        "redis": client,
        "db": db,
    }
    for process, handle in processes:
        process.terminate()
        process.wait(timeout=30)
        handle.close()
    assert monitor_log.exists()


def run_every_seeker_flow(browser: CanaryBrowser, make_staff) -> dict[str, int]:
    from helpline.chat import actions as chat_actions
    from helpline.models import Campaign, ChatSession, Message
    from helpline.staff import actions as staff_actions

    seen: dict[str, int] = {}
    # The visit starts at a partner's link (helpline.campaigns), from the partner's page.
    campaign = Campaign.objects.create(partner="Search warning", channel=Campaign.Channel.SEARCH_WARNING)
    browser.referrer = REFERRER
    seen["partner's link"], _ = browser.get(f"/r/{campaign.code}/")
    browser.referrer = None
    assert browser.cookies.get("campaign") == campaign.code
    seen["home"], _ = browser.get("/en/")
    seen["resources"], _listing = browser.get("/en/self-help/")
    seen["browse safely (quick exit help)"], _ = browser.get("/en/browse-safely/")
    seen["modules"], _ = browser.get("/en/modules/")
    for i in range(7):  # the limit is 5 a minute: the last ones are refused
        seen["search"], _ = browser.get(f"/en/search/?q=worried+{i}")
    seen["rate-limited search"] = seen.pop("search")
    seen["not found"], _ = browser.get("/no-such-page/")
    seen["server error"], _ = browser.get("/test-broken/")
    seen["csrf failure"], _ = CanaryBrowser(browser.port).post("/chat/start/", {"language": "en"})

    # A whole chat, with a staff member answering from the test process.
    sam = make_staff("sam")
    staff_actions.check_in_staff(sam)
    browser.get("/en/chat/")
    seen["chat start"], _ = browser.post("/chat/start/", {"language": "en", "about": "self"})
    deadline = time.monotonic() + 20
    while not ChatSession.objects.filter(status=ChatSession.Status.OFFERED).exists():
        assert time.monotonic() < deadline, "the Celery worker did not route the chat"
        time.sleep(0.2)
    chat = ChatSession.objects.get()
    chat_actions.do_accept_offer(chat, sam)
    with browser.socket("/chat/ws/") as ws:
        ws.send(json.dumps({"type": "hello", "after": 0}))
        ws.send(json.dumps({"type": "message", "body": "hello over the socket", "ref": 1}))
        frames = [json.loads(ws.recv(timeout=5)) for _ in range(3)]
        seen["chat socket"] = 101 if any(f["type"] in ("sent", "history") for f in frames) else 0
    seen["chat send"], _ = browser.post("/chat/session/send/", {"body": "hello without JavaScript"})
    seen["chat live frame"], _ = browser.get("/chat/session/live/")
    chat_actions.do_send_message(chat, Message.Sender.STAFF, "Thank you for reaching out.", sam)
    seen["chat poll"], _ = browser.get("/chat/session/poll/?after=0")
    seen["chat end"], _ = browser.post("/chat/session/end/", {"step": "yes"})

    # Secure message: write, come back with the passphrase, and a wrong passphrase.
    _status, page = browser.get("/en/messages/")
    draft = re.search(r'name="draft" value="([^"]+)"', page)
    seen["secure message"], created = browser.post(
        "/en/messages/new/",
        {"body": "A message while you are closed.", "language": "en", "draft": draft[1] if draft else ""},
    )
    phrase = re.search(r"data-passphrase[^>]*>([^<]+)<", created)
    assert phrase, "the passphrase was not shown"
    seen["secure return"], thread = browser.post("/en/messages/open/", {"passphrase": phrase[1].strip()})
    assert "A message while you are closed." in thread
    seen["wrong passphrase"], _ = browser.post(
        "/en/messages/open/", {"passphrase": "not the right words at all"}
    )

    # Staff lockout: repeated wrong passwords from the same address.
    staff_browser = CanaryBrowser(browser.port)
    staff_browser.get("/staff/login/")
    for _ in range(7):
        seen["staff lockout"], _ = staff_browser.post(
            "/staff/login/", {"username": "sam", "password": "wrong"}
        )
    return seen


def test_no_store_keeps_a_seekers_address_or_browser(live_stack, make_staff):
    seen = run_every_seeker_flow(live_stack["browser"], make_staff)
    # The flows really ran and reached the outcomes we meant to audit.
    assert seen["home"] == 200
    assert seen["partner's link"] == 302
    assert seen["rate-limited search"] == 429
    assert seen["not found"] == 404
    assert seen["server error"] == 500
    assert seen["csrf failure"] == 403
    assert seen["chat start"] == 302
    assert seen["chat socket"] == 101
    assert seen["secure message"] in (200, 302)
    assert seen["secure return"] == 200
    assert seen["staff lockout"] in (403, 429)
    from helpline.models import DailyCount

    # The partner's link counted the visit's steps, as totals only.
    counted = {
        name.rsplit(".", 1)[1]: n
        for name, n in DailyCount.objects.filter(name__startswith="campaign.").values_list("name", "value")
    }
    assert counted == {"landings": 1, "chats_started": 1, "chats_answered": 1, "secure_messages": 1}
    time.sleep(1)  # let the worker and the server finish writing

    forms = {**canary_forms(CANARIES), "the partner's page (referrer)": "canary-referrer-5521"}
    db = live_stack["db"]
    dump = subprocess.run(
        ["pg_dump", "-h", db["HOST"], "-p", str(db["PORT"]), "-U", db["USER"], "--data-only", db["NAME"]],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "helpline_chatsession" in dump
    stores = {"pg_dump": dump}

    client = live_stack["redis"]
    redis_text = []
    for key in client.scan_iter("*"):
        redis_text.append(repr(key))
        kind = client.type(key)
        if kind == b"string":
            redis_text.append(repr(client.get(key)))
        elif kind == b"list":
            redis_text.extend(repr(v) for v in client.lrange(key, 0, -1))
        elif kind == b"hash":
            redis_text.append(repr(client.hgetall(key)))
        elif kind == b"set":
            redis_text.append(repr(client.smembers(key)))
        elif kind == b"zset":
            redis_text.append(repr(client.zrange(key, 0, -1)))
    stores["redis keys and values"] = "\n".join(redis_text)
    monitor = live_stack["monitor"].read_text(errors="replace")
    assert "PUBLISH" in monitor.upper() or "LPUSH" in monitor.upper()  # traffic really was recorded
    stores["every Redis command (Celery messages, events, cache)"] = monitor
    for log in live_stack["logs"]:
        stores[log.name] = log.read_text(errors="replace")
    mails = "".join(p.read_text(errors="replace") for p in live_stack["mail"].iterdir())
    assert "deliberate failure" in mails  # the 500 was mailed, so the mail check means something
    stores["error mails"] = mails

    leaks = {
        store: [label for label, form in forms.items() if form.lower() in text.lower()]
        for store, text in stores.items()
    }
    for store, text in stores.items():  # name the offending lines in the failure output
        for line in text.splitlines():
            if SOURCE in line or AGENT in line or "canary-referrer" in line:
                print("leak in", store, ":", line[:300])
    assert {store: found for store, found in leaks.items() if found} == {}
