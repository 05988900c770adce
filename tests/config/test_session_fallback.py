"""Staff stay signed in, and can sign in, while Redis is down (issue 13, point 5).

Staff sessions were kept by Django's cached_db store, which raised when Redis could not be reached:
every staff page answered 500 during a Redis restart, and nobody could sign in. Sessions now fall
back to the database (config/sessions.py). Here the cache points at a port nothing listens on.
"""

from __future__ import annotations

import logging
import socket

import pytest
from django.contrib.auth.models import Group, User
from django.contrib.sessions.backends.cached_db import KEY_PREFIX
from django.core.cache import caches
from django.test import Client
from redis.exceptions import RedisError

from config import sessions
from helpline.models import STAFF_GROUP, Availability, StaffProfile
from helpline.staff.two_factor import demo_backup_codes

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-test-password"


def dead_redis_url() -> str:
    """A Redis address nothing listens on: a port the system just handed out, then closed."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"redis://127.0.0.1:{port}/0"


@pytest.fixture
def staffer() -> StaffProfile:
    user = User.objects.create_user("sam", password=PASSWORD)
    user.groups.add(Group.objects.get_or_create(name=STAFF_GROUP)[0])
    return StaffProfile.objects.create(
        user=user, display_name="Sam", languages=["en"], max_chats=3, availability=Availability.AWAY
    )


@pytest.fixture
def redis_down(settings):
    """cut(): from then on the cache (the sessions' included) is a Redis that cannot be reached."""
    working = settings.CACHES
    sessions.reset()

    def cut() -> None:
        settings.CACHES = {
            "default": {"BACKEND": "config.cache.SharedPoolRedisCache", "LOCATION": dead_redis_url()}
        }
        with pytest.raises(RedisError):
            caches["default"].get("anything")

    def restore() -> None:
        settings.CACHES = working

    cut.restore = restore  # type: ignore[attr-defined]
    yield cut
    restore()  # before the shared fixtures clear the cache on the way out
    sessions.reset()


def sign_in(client: Client, code: str) -> None:
    response = client.post("/staff/login/", {"username": "sam", "password": PASSWORD, "next": "/staff/"})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"].startswith("/staff/two-factor/")
    response = client.post("/staff/two-factor/", {"token": code, "next": "/staff/"})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == "/staff/"


def test_a_signed_in_staff_member_keeps_working_while_redis_is_down(client, staffer, redis_down):
    codes = demo_backup_codes(staffer.user)
    sign_in(client, codes[0])
    assert client.get("/staff/").status_code == 200

    redis_down()

    for page in ("/staff/", "/staff/inbox/", "/staff/pulse/"):
        response = client.get(page)
        assert response.status_code == 200, (page, response.status_code)
    # Still the same person, still signed in: the page is the console, not the sign-in form.
    assert "Sam" in client.get("/staff/").content.decode()


def test_staff_can_sign_in_and_out_while_redis_is_down(client, staffer, redis_down):
    codes = demo_backup_codes(staffer.user)
    redis_down()

    sign_in(client, codes[0])
    assert client.get("/staff/").status_code == 200

    client.post("/staff/logout/")
    response = client.get("/staff/")
    assert response.status_code == 302
    assert response["Location"].startswith("/staff/login/")


def test_the_fallback_is_logged_without_the_session_or_the_client(client, staffer, redis_down, caplog):
    codes = demo_backup_codes(staffer.user)
    redis_down()
    with caplog.at_level(logging.WARNING):
        sign_in(client, codes[0])
        client.get("/staff/")
    session_key = client.cookies["sessionid"].value
    warnings = [r for r in caplog.records if r.name == "config.sessions"]
    assert warnings, "the fallback to the database must be visible in the log"
    for record in warnings:
        text = record.getMessage()
        assert session_key not in text
        assert "127.0.0.1" not in text and "sam" not in text


def test_a_sign_out_while_redis_was_unreachable_stays_signed_out_when_it_is_back(client, staffer, redis_down):
    """Redis unreachable but not restarted (a network split): the sign-out ends the session in the
    database, but cannot remove the copy in Redis. When Redis is reachable again, that copy must not
    sign the session back in, even for someone who kept the old cookie."""
    codes = demo_backup_codes(staffer.user)
    sign_in(client, codes[0])
    assert client.get("/staff/").status_code == 200
    session_key = client.cookies["sessionid"].value
    assert caches["default"].get(KEY_PREFIX + session_key) is not None  # the copy in Redis

    redis_down()
    client.post("/staff/logout/")
    redis_down.restore()
    assert caches["default"].get(KEY_PREFIX + session_key) is not None  # still there: it could not go

    kept_cookie = Client()
    kept_cookie.cookies["sessionid"] = session_key
    response = kept_cookie.get("/staff/")
    assert response.status_code == 302
    assert response["Location"].startswith("/staff/login/")
    assert caches["default"].get(KEY_PREFIX + session_key) is None  # and the stale copy is gone now
