"""Error pages, form errors and the favicon, as a browser without JavaScript receives them (issue 12,
point 7). tests/e2e/journeys/test_quick_exit_and_phones.py checks the same in Chromium.

- The 404 and 500 pages carry the quick exit (its link and its script), break no Content Security
  Policy (no inline style or script) and name the favicon; the embedded site, with no variables set,
  serves our 404 page rather than Django's debugging page.
- A form with an error begins with a short summary of it, linked to the field, that takes the focus
  when the page loads (autofocus on a container that can be focused but is not in the Tab order).
- /favicon.ico answers with an image.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from tests.resources.pages import elements

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def assert_carries_the_quick_exit_and_keeps_the_policy(html: str) -> None:
    links = [a for a in elements(html, "a") if "data-quick-exit-link" in a.attrs]
    assert len(links) == 1 and links[0].attrs["href"] == settings.QUICK_EXIT_URL
    assert "/static/js/quick-exit.js" in [s.attrs.get("src") for s in elements(html, "script")]
    assert all(s.attrs.get("src") for s in elements(html, "script")), "inline script"
    assert not elements(html, "style"), "inline style"
    assert not [e for e in elements(html) if "style" in e.attrs], "style attribute"
    icons = [link for link in elements(html, "link") if link.attrs.get("rel") == "icon"]
    assert icons and (icons[0].attrs.get("href") or "").startswith("/static/"), "no favicon named"


# --- 404 and 500 ---------------------------------------------------------------------------------


def test_the_not_found_page_carries_the_quick_exit(client):
    for path in ("/no-such-page/", "/en/self-help/no-such-article/"):
        response = client.get(path)
        assert response.status_code == 404
        assert_carries_the_quick_exit_and_keeps_the_policy(response.content.decode())


def test_the_server_error_page_carries_the_quick_exit(client, settings):
    settings.ROOT_URLCONF = "tests.config.urls_for_errors"
    client.raise_request_exception = False
    response = client.get("/test-broken/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong on our side" in html
    assert "deliberate failure" not in html
    assert_carries_the_quick_exit_and_keeps_the_policy(html)


def test_the_embedded_site_serves_our_own_not_found_page(tmp_path):
    """`make run` sets no variables: the 404 is ours (quick exit, no inline style), not Django's
    debugging page, for a missing address and for a missing article alike."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DEBUG", "PRODUCTION", "DATABASE_URL", "REDIS_URL") and not k.startswith("PYTEST_")
    }
    script = (
        "import django; django.setup()\n"
        "from django.conf import settings\n"
        "from django.test import Client\n"
        "print('DEBUG', settings.DEBUG)\n"
        "print(Client().get('/no-such-page/').content.decode())\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "config.settings", "VAR_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "DEBUG False" in result.stdout
    assert "We could not find that page" in result.stdout
    assert_carries_the_quick_exit_and_keeps_the_policy(result.stdout)


# --- the favicon ---------------------------------------------------------------------------------


def test_favicon_ico_answers_with_an_image(client):
    response = client.get("/favicon.ico", follow=True)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/")
    assert "public" in response.get("Cache-Control", ""), "browsers need not ask on every page"


def test_every_page_names_its_icon(client):
    for path in ("/en/", "/en/messages/", "/staff/login/"):
        html = client.get(path).content.decode()
        icons = [link for link in elements(html, "link") if link.attrs.get("rel") == "icon"]
        assert icons, path
        assert client.get(icons[0].attrs["href"]).status_code == 200


# --- form errors at the top of the form, focused -------------------------------------------------


def assert_summary_leads_the_form_and_takes_focus(html: str, form_action: str, field_id: str) -> str:
    """The form posting to `form_action` begins with an error summary, before any field, that takes the
    focus and links to `field_id`; returns the text of the summary's links."""
    page = elements(html)
    forms = [e for e in page if e.tag == "form" and e.attrs.get("action") == form_action]
    assert len(forms) == 1, form_action
    inside = [e for e in page if forms[0] in e.parents]
    summaries = [e for e in inside if "data-error-summary" in e.attrs]
    assert len(summaries) == 1, f"no error summary in the form posting to {form_action}"
    summary = summaries[0]
    assert "autofocus" in summary.attrs and summary.attrs.get("tabindex") == "-1"
    assert summary.attrs.get("aria-labelledby"), "the summary is named by its title"
    fields = [
        e for e in inside if e.tag in ("input", "select", "textarea") and e.attrs.get("type") != "hidden"
    ]
    assert fields, form_action
    assert inside.index(summary) < inside.index(fields[0]), "the summary comes before every field"
    links = [e for e in page if e.tag == "a" and summary in e.parents]
    assert f"#{field_id}" in [a.attrs.get("href") for a in links], "the summary links to the field"
    assert [e.attrs.get("id") for e in fields].count(field_id) == 1
    assert [e for e in page if "autofocus" in e.attrs] == [summary], "only the summary takes the focus"
    return re.sub(r"\s+", " ", " ".join(a.text for a in links))


def test_a_wrong_passphrase_leads_its_form_and_takes_focus(client):
    for path in ("/en/messages/", "/en/chat/"):  # without an error, nothing takes the focus
        html = client.get(path).content.decode()
        assert not [e for e in elements(html) if "autofocus" in e.attrs], path
        assert not [e for e in elements(html) if "data-error-summary" in e.attrs], path
    response = client.post("/en/messages/open/", {"passphrase": "not the right words at all"})
    assert response.status_code == 400
    html = response.content.decode()
    linked = assert_summary_leads_the_form_and_takes_focus(html, "/en/messages/open/", "return-passphrase")
    assert "did not open" in linked


def test_an_empty_new_message_leads_its_form_and_takes_focus(client):
    response = client.post("/en/messages/new/", {"language": "en", "body": "", "draft": "d-empty"})
    assert response.status_code == 400
    assert_summary_leads_the_form_and_takes_focus(
        response.content.decode(), "/en/messages/new/", "secure-body"
    )


def test_an_empty_reply_leads_its_form_and_takes_focus(client):
    created = client.post(
        "/en/messages/new/", {"language": "en", "body": "A first message.", "draft": "d-first"}
    )
    passphrase = created.context["passphrase"]
    response = client.post("/en/messages/reply/", {"passphrase": passphrase, "body": "", "draft": "d-reply"})
    assert response.status_code == 400
    assert_summary_leads_the_form_and_takes_focus(
        response.content.decode(), "/en/messages/reply/", "write-body"
    )


def test_a_chat_start_error_leads_its_form_and_takes_focus(client):
    response = client.post("/chat/start/", {"language": "xx", "about": ""})
    assert response.status_code == 400
    assert_summary_leads_the_form_and_takes_focus(response.content.decode(), "/chat/start/", "id_language")
