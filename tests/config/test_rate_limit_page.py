"""The pause page (429) anywhere on the site says truthfully how long, and what can be done meanwhile."""

import html
import re
import time

import pytest

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return html.unescape(re.sub(r"\s+", " ", response.content.decode()))


@pytest.mark.parametrize(
    ("seconds", "words"),
    [
        (1, "less than a minute"),
        (59, "less than a minute"),
        (60, "1 minute"),
        (61, "2 minutes"),
        (599, "10 minutes"),
        (3540, "59 minutes"),
        (3600, "1 hour"),
        (5400, "2 hours"),
    ],
)
def test_a_wait_is_never_said_to_be_shorter_than_it_is(seconds, words):
    from config.views import wait_words

    assert wait_words(seconds) == words


def test_a_paused_search_says_how_long_its_own_window_has_left(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "search": "2/10s"}
    for word in ("one", "two"):
        assert client.get("/en/search/", {"q": word}).status_code == 200
    # The window is django-ratelimit's fixed 10 s: if it rolled over between these searches, the count
    # started again, and at most two more are let through before the pause.
    for word in ("three", "three again", "three once more"):
        started = time.time()
        paused = client.get("/en/search/", {"q": word})
        if paused.status_code == 429:
            break
    assert paused.status_code == 429
    retry_after = int(paused["Retry-After"])
    assert 1 <= retry_after <= 10
    words = text(paused)
    assert "Please try again in less than a minute." in words
    assert "Please wait a moment" in words
    # Waiting that long really does lift the pause (the window is django-ratelimit's own).
    time.sleep(max(0.0, retry_after - (time.time() - started)) + 1.1)
    assert client.get("/en/search/", {"q": "four"}).status_code == 200


def test_the_pause_page_offers_a_secure_message_and_self_help(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "search": "1/m"}
    client.get("/en/search/", {"q": "one"})
    paused = client.get("/en/search/", {"q": "two"})
    assert paused.status_code == 429
    page = paused.content.decode()
    assert 'href="/en/messages/"' in page
    assert 'href="/en/self-help/"' in page
    assert "may have nothing to do with you" in text(paused)
