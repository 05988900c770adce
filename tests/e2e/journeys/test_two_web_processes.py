"""A seeker whose two tabs are served by different web processes (two hosts behind one address, or
two uvicorn workers) closes one of them and carries on in the other. Staff must go on seeing them as
here: "Seeker has left" would let staff close the chat as such, and a waiting seeker would be passed
over by routing, while the person is still on the page.

The second process is a web server of its own on another port of the same host: the browser sends
the seeker's cookie to both, so the second tab is the same chat, with its socket in the other
process."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from django.conf import settings
from django.db import connection
from playwright.sync_api import expect

from helpline.chat import presence
from helpline.models import ChatSession
from tests.processes import free_port

from .helpers import live_chat
from .stack import Stack, environment, start_web_process

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def second_web_process(stack: Stack, django_db_blocker, tmp_path_factory) -> Iterator[str]:
    with django_db_blocker.unblock():
        db = dict(connection.settings_dict)
    log_dir = tmp_path_factory.mktemp("second-web-process")
    env = environment(db, settings.REDIS_URL, settings, log_dir)
    other = Stack(url="")
    try:
        yield start_web_process(other, free_port(), env, log_dir)
        other.check_running()
        assert "Traceback" not in other.logs(), other.logs()[-6000:]
    finally:
        other.stop()


def test_closing_a_second_tab_in_another_web_process_leaves_the_seeker_here(site, browse, second_web_process):
    chat = live_chat(browse, site.url)
    second_tab = chat.seeker.context.new_page()
    second_tab.goto(second_web_process + "/chat/session/")
    expect(second_tab.locator("[data-chat-status]")).to_contain_text("You are chatting with Sam.")
    expect(chat.panel.locator("[data-seeker-presence]")).to_have_text("Seeker here")
    session = ChatSession.objects.get(status=ChatSession.Status.ACTIVE)

    second_tab.close()
    time.sleep(1)
    seen: set[str] = set()
    until = time.time() + presence.SEEKER_DEPARTURE_SECONDS + 2  # past the grace a reload gets
    while time.time() < until:
        seen.add(presence.seeker_presence([session.id], time.time())[session.id].state.value)
        time.sleep(0.25)
    assert seen == {"here"}

    # The console says so, and the first tab still works.
    expect(chat.panel.locator("[data-seeker-presence]")).to_have_text("Seeker here")
    box = chat.seeker.locator("#chat-body")
    box.fill("I am still here.")
    box.press("Enter")
    expect(chat.panel.get_by_text("I am still here.")).to_be_visible()
