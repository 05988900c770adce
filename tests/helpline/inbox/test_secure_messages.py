"""Secure messages with JavaScript off, through plain HTTP: write, keep the passphrase, come back, read
the reply, write again. The passphrase is never stored, wrong ones are slowed down, and losing it is
said plainly."""

import html
import math
import os
import re
import stat
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone

from config import localfiles
from helpline.inbox import actions as inbox_actions
from helpline.inbox import passphrases
from helpline.models import DailyCount, SecureMessage, SecureThread
from helpline.stats import tallies
from tests.conftest import CANARY_META
from tests.privacy_audit import cache_text, database_text, find_canary

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parents[3]
FIRST_WORDS = "I keep having thoughts that frighten me and I do not know who to tell."


@pytest.fixture
def seeker():
    return Client()


def write(client, body=FIRST_WORDS, **extra):
    return client.post(
        "/en/messages/new/", {"language": "en", "body": body, "draft": "d-" + os.urandom(6).hex(), **extra}
    )


def shown_passphrase(response) -> str:
    match = re.search(r"<textarea[^>]*data-passphrase[^>]*>([^<]+)</textarea>", response.content.decode())
    assert match, "the passphrase box is missing"
    return html.unescape(match.group(1)).strip()


def open_with(client, passphrase):
    return client.post("/en/messages/open/", {"passphrase": passphrase})


def page(response) -> str:
    return response.content.decode()


# --- the whole flow --------------------------------------------------------------------------


def test_the_home_page_explains_the_route_and_that_a_lost_passphrase_cannot_be_recovered(seeker):
    response = seeker.get("/en/messages/")
    assert response.status_code == 200
    text = page(response)
    assert "cannot be opened again" in text
    assert 'name="body"' in text and 'name="passphrase"' in text
    assert "no-store" in response["Cache-Control"]


def test_a_whole_secure_message_conversation_without_javascript(seeker, make_staff):
    created = write(seeker)
    assert created.status_code == 200
    text = page(created)
    passphrase = shown_passphrase(created)
    words = passphrase.split(" ")
    assert len(words) == 6 and all(word in passphrases.word_list() for word in words)
    assert "This is the only time we can show it" in text
    assert "cannot be recovered" in text
    assert "readonly" in text  # the no-JavaScript copy route: a box the person can select
    assert "data-copy-tools hidden" in text  # the copy button appears only with the script
    assert "deleted on" in text
    assert "no-store" in created["Cache-Control"]
    # No inline script anywhere: only our own files.
    assert not re.search(r"<script(?![^>]*\bsrc=)", text)

    thread = SecureThread.objects.get()
    assert thread.awaiting_since is not None and thread.reply_due_at is not None

    opened = open_with(seeker, passphrase)
    assert opened.status_code == 200
    assert FIRST_WORDS in page(opened)
    assert "We aim to reply by the end of" in page(opened)
    assert "will be deleted on" in page(opened)

    sam = make_staff("sam")
    inbox_actions.do_take_secure_thread(thread, sam)
    inbox_actions.do_reply_to_secure_thread(
        thread, sam, "Thank you for writing. It took courage. Can you tell me more?"
    )
    # The person types the words their own way: capitals, hyphens, extra spaces.
    retyped = "  " + "-".join(word.upper() for word in words) + " "
    again = open_with(Client(), retyped)
    assert again.status_code == 200
    assert "Can you tell me more?" in page(again)
    assert "Our latest reply is below" in page(again)

    follow_up = seeker.post(
        "/en/messages/reply/", {"passphrase": passphrase, "body": "Yes. It started last year.", "draft": "r1"}
    )
    assert follow_up.status_code == 200
    assert "Your message has been sent" in page(follow_up)
    assert [m.body for m in SecureMessage.objects.filter(thread=thread).order_by("created_at", "id")] == [
        FIRST_WORDS,
        "Thank you for writing. It took courage. Can you tell me more?",
        "Yes. It started last year.",
    ]
    thread.refresh_from_db()
    assert thread.awaiting_since is not None  # back in the inbox


def test_the_passphrase_is_never_stored_anywhere(seeker):
    passphrase = shown_passphrase(write(seeker))
    open_with(seeker, passphrase)
    everything = (database_text() + "\n" + cache_text()).lower()
    for form in {
        passphrase,
        passphrases.normalise(passphrase),
        passphrase.replace(" ", "-"),
        passphrase.replace(" ", ""),
    }:
        assert form.lower() not in everything
    # Nor what the seeker wrote: message text is encrypted at rest.
    assert FIRST_WORDS.lower() not in everything
    thread = SecureThread.objects.get()
    assert len(thread.lookup) == 64 and thread.verifier.startswith("scrypt$")


def test_each_thread_gets_its_own_salt_and_lookup(seeker):
    write(seeker)
    write(Client())
    first, second = SecureThread.objects.order_by("id")
    assert first.lookup != second.lookup
    assert first.verifier.split("$")[2] != second.verifier.split("$")[2]


def test_a_canary_client_leaves_no_trace(canary_client):
    passphrase = shown_passphrase(write(canary_client))
    open_with(canary_client, passphrase)
    canary_client.post("/en/messages/open/", {"passphrase": "wrong words entirely here"})
    assert find_canary(database_text()) == []
    assert find_canary(cache_text()) == []


# --- mistakes lose nothing ---------------------------------------------------------------------


def test_an_empty_message_is_explained_and_nothing_is_created(seeker):
    response = write(seeker, body="   ")
    assert response.status_code == 400
    assert "Please write your message" in page(response)
    assert SecureThread.objects.count() == 0


def test_an_over_long_message_is_refused_and_kept(seeker, settings):
    settings.HELPLINE = {**settings.HELPLINE, "SECURE_MESSAGE_MAX_LENGTH": 30}
    words = "This message is longer than thirty characters."
    response = write(seeker, body=words)
    assert response.status_code == 400
    assert "the limit is 30" in page(response)
    assert words in page(response)
    assert SecureThread.objects.count() == 0


def test_sending_the_same_page_twice_sends_one_message(seeker):
    data = {"language": "en", "body": FIRST_WORDS, "draft": "same-page"}
    assert seeker.post("/en/messages/new/", data).status_code == 200
    again = seeker.post("/en/messages/new/", data)
    assert again.status_code == 409
    assert "already sent" in page(again)
    assert SecureThread.objects.count() == 1


def test_a_failed_reply_keeps_the_words(seeker):
    passphrase = shown_passphrase(write(seeker))
    response = seeker.post("/en/messages/reply/", {"passphrase": passphrase, "body": " ", "draft": "x"})
    assert response.status_code == 400
    assert "Please write your message" in page(response)
    assert SecureMessage.objects.count() == 1


def test_get_on_the_post_only_pages_goes_back_to_the_start(seeker):
    for path in ("/en/messages/new/", "/en/messages/open/", "/en/messages/reply/"):
        response = seeker.get(path)
        assert response.status_code == 302 and response["Location"] == "/en/messages/"


# --- wrong passphrases -------------------------------------------------------------------------


def test_a_wrong_passphrase_is_answered_calmly_without_echoing_it(seeker):
    write(seeker)
    typed = "penguin volcano armchair lantern thimble orchard"
    response = open_with(seeker, typed)
    assert response.status_code == 400
    text = page(response)
    assert "did not open a conversation" in text
    assert "penguin" not in text


def test_wrong_passphrases_are_limited_and_the_right_one_still_opens(seeker, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "passphrase": "3/h"}
    passphrase = shown_passphrase(write(seeker))
    for attempt in range(3):
        assert open_with(seeker, f"wrong guess number {attempt} here").status_code == 400
    limited = open_with(seeker, "one more wrong guess")
    assert limited.status_code == 429
    assert "Your own passphrase still opens your conversation" in page(limited)
    assert "guess" not in page(limited)
    # Others on the same address may have typed the wrong words: the right ones still open.
    # (More in tests/helpline/chat/test_shared_networks.py.)
    assert open_with(seeker, passphrase).status_code == 200


def test_right_passphrases_do_not_use_up_the_limit(seeker, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "passphrase": "2/h"}
    passphrase = shown_passphrase(write(seeker))
    for _ in range(5):
        assert open_with(seeker, passphrase).status_code == 200


def test_sending_too_many_messages_is_paused_with_the_words_kept(seeker, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "secure_message": "2/h"}
    write(seeker)
    write(seeker)
    response = write(seeker, body="My third message today.")
    assert response.status_code == 429
    assert "My third message today." in page(response)
    assert SecureThread.objects.count() == 2


# --- deletion dates ----------------------------------------------------------------------------


def test_the_deletion_date_moves_with_each_message(seeker):
    passphrase = shown_passphrase(write(seeker))
    thread = SecureThread.objects.get()
    SecureThread.objects.filter(pk=thread.pk).update(
        last_message_at=timezone.now() - timedelta(days=10), delete_after=timezone.now() + timedelta(days=20)
    )
    seeker.post("/en/messages/reply/", {"passphrase": passphrase, "body": "Still here.", "draft": "y"})
    thread.refresh_from_db()
    assert thread.delete_after > timezone.now() + timedelta(days=29)


def test_an_expired_thread_cannot_be_opened_even_before_the_purge(seeker):
    passphrase = shown_passphrase(write(seeker))
    SecureThread.objects.update(delete_after=timezone.now() - timedelta(minutes=1))
    assert open_with(seeker, passphrase).status_code == 400


# --- counting ----------------------------------------------------------------------------------


def test_messages_are_counted_by_day_not_by_person(seeker):
    passphrase = shown_passphrase(write(seeker))
    seeker.post("/en/messages/reply/", {"passphrase": passphrase, "body": "And another thing.", "draft": "z"})
    today = tallies.service_date(timezone.now())
    counts = dict(DailyCount.objects.filter(day=today).values_list("name", "value"))
    assert counts[tallies.SECURE_THREADS_STARTED] == 1
    assert counts[tallies.SECURE_RECEIVED] == 2


# --- the passphrase itself ---------------------------------------------------------------------


def test_the_words_are_the_eff_long_list_less_unkind_ones_and_six_are_over_75_bits(settings):
    eff = passphrases.eff_long_list()
    assert len(eff) == len(set(eff)) == 7776
    assert eff[0] == "abacus" and eff[-1] == "zoom"
    words = passphrases.word_list()
    assert set(eff) >= passphrases.EXCLUDED_WORDS, "an excluded word is not in the list (a typo?)"
    assert not {"preschool", "groom", "secret", "police"} & set(words)
    assert len(words) == 7776 - len(passphrases.EXCLUDED_WORDS)
    bits = settings.HELPLINE["PASSPHRASE_WORDS"] * math.log2(len(words))
    assert bits >= 75
    assert passphrases.passphrase_bits(6) == pytest.approx(bits)


def test_normalising_forgives_case_spacing_and_punctuation():
    assert passphrases.normalise("  Acorn-LUMBER,  yo-yo.\tzebra ") == "acorn lumber yo yo zebra"


def test_verifier_checks_the_words_and_nothing_else():
    verifier = passphrases.make_verifier("acorn lumber zebra")
    assert passphrases.check_verifier("ACORN  lumber-zebra", verifier)
    assert not passphrases.check_verifier("acorn lumber zebras", verifier)
    assert not passphrases.check_verifier("acorn lumber zebra", "scrypt$16384$00$00")
    assert not passphrases.check_verifier("acorn lumber zebra", "nonsense")


def test_the_lookup_depends_on_the_server_secret(settings):
    before = passphrases.lookup_value("acorn lumber zebra")
    settings.PASSPHRASE_SECRET = "another-secret-entirely-for-this-test-0123456789"
    assert passphrases.lookup_value("acorn lumber zebra") != before


def test_the_embedded_secret_file_is_private_and_stable(tmp_path):
    first = localfiles.local_passphrase_secret(tmp_path)
    assert localfiles.local_passphrase_secret(tmp_path) == first and len(first) >= 48
    assert stat.S_IMODE((tmp_path / "passphrase.secret").stat().st_mode) == 0o600


def test_production_refuses_to_start_without_a_passphrase_secret():
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "PASSPHRASE_SECRET")}
    env.update(
        PRODUCTION="1",
        SECRET_KEY="k" * 50,
        ALLOWED_HOSTS="example.org",
        ENCRYPTION_KEYS="q1bH0mWlOh9d9m8Qm1n8n5w0mJb0v8GkqfP2b1yqS0s=",
    )
    result = subprocess.run(
        [sys.executable, "-c", "import config.settings"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    assert "PASSPHRASE_SECRET is missing" in result.stderr


def test_canary_meta_is_what_the_canary_client_sends():
    # Guards the canary test above: it must really send an address and a user agent.
    assert CANARY_META["REMOTE_ADDR"] and CANARY_META["HTTP_USER_AGENT"]
