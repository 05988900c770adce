"""A seeker reads the public pages in their own language, right to left in Arabic, without JavaScript.

- The bare address sends each browser to its language (Accept-Language), and says so to caches (Vary).
- Every page says its language and direction (<html lang dir>); the switch on every page offers the same
  page, with its query, in each language, as plain links.
- The quick exit and its help, the pause page (429), the missing page (404), the failure page (500) and
  the secure-message pages speak the page's language.
- The stylesheets mirror by themselves: no left or right in them, only logical properties.

The words checked are the translations in locale/<lang>/LC_MESSAGES/django.po."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.utils import translation

from tests.resources.pages import elements, text

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _back_to_english_afterwards():
    """A request under /nl/ leaves Dutch active in this thread (LocaleMiddleware does not undo it): put
    the default back, so later tests that call gettext directly read English."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


def html_tag(response) -> dict[str, str | None]:
    return elements(response.content, "html")[0].attrs


def switch_links(response) -> list[dict[str, str | None]]:
    return [
        a.attrs
        for a in elements(response.content, "a")
        if any(p.tag == "nav" and "language-switch" in (p.attrs.get("class") or "") for p in a.parents)
    ]


# --- / picks a language ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("accept", "target"),
    [
        ("nl", "/nl/"),
        ("nl-BE,nl;q=0.9,en;q=0.5", "/nl/"),
        ("ar", "/ar/"),
        ("ar-EG", "/ar/"),
        ("xx-unknown", "/en/"),
        ("", "/en/"),
    ],
)
def test_the_bare_address_sends_each_browser_to_its_language(client, accept, target):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=accept)
    assert response.status_code == 302
    assert response["Location"] == target
    assert "accept-language" in response["Vary"].lower()
    assert not response.cookies, "choosing a language sets no cookie"


# --- <html lang dir> ---------------------------------------------------------------------------


@pytest.mark.parametrize("page", ["", "search/?q=sleep", "messages/", "browse-safely/"])
@pytest.mark.parametrize(("language", "direction"), [("en", "ltr"), ("ar", "rtl"), ("nl", "ltr")])
def test_every_page_says_its_language_and_direction(client, page, language, direction):
    response = client.get(f"/{language}/{page}")
    assert response.status_code == 200
    assert html_tag(response) == {"lang": language, "dir": direction}


# --- the language switch -----------------------------------------------------------------------


def test_the_switch_offers_the_same_page_in_every_language_with_its_query(client):
    query = "q=" + quote("slaap hulp") + "&page=1"
    response = client.get(f"/nl/search/?{query}")
    links = switch_links(response)
    assert [link["href"] for link in links] == [f"/{code}/search/?{query}" for code, _ in settings.LANGUAGES]
    # Each name in its own language, marked so, and the page's own language marked as current.
    for link, (code, _name) in zip(links, settings.LANGUAGES, strict=True):
        assert link["lang"] == code and link["hreflang"] == code
        assert ("aria-current" in link) == (code == "nl")
    names = [a.text.strip() for a in elements(response.content, "a") if a.attrs in links]
    assert names == [name for _code, name in settings.LANGUAGES]


def test_the_switch_works_as_plain_links_without_javascript(client):
    english = client.get("/en/browse-safely/")
    nav = [n for n in elements(english.content, "nav") if "language-switch" in (n.attrs.get("class") or "")]
    assert len(nav) == 1 and nav[0].attrs.get("aria-label") == "Language"
    arabic_href = next(link["href"] for link in switch_links(english) if link["lang"] == "ar")
    # No form, no script: following the link is all a browser without JavaScript needs to do.
    assert not any(
        e.tag in ("form", "select", "button") for e in elements(english.content) if nav[0] in e.parents
    )
    arabic = client.get(arabic_href)
    assert arabic.status_code == 200
    assert html_tag(arabic) == {"lang": "ar", "dir": "rtl"}
    assert "كيف تتصفح بأمان" in text(arabic.content)
    # The switch names itself in the page's language.
    arabic_nav = [
        n for n in elements(arabic.content, "nav") if "language-switch" in (n.attrs.get("class") or "")
    ]
    assert arabic_nav[0].attrs.get("aria-label") == "اللغة"


# --- the quick exit ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "exit_words", "help_words", "help_heading"),
    [
        ("nl", "Snel weg", "Zo werkt Snel weg", "Zo surf je veilig"),
        ("ar", "خروج سريع", "كيف يعمل الخروج السريع", "كيف تتصفح بأمان"),
    ],
)
def test_the_quick_exit_and_its_help_speak_the_page_language(
    client, language, exit_words, help_words, help_heading
):
    page = client.get(f"/{language}/")
    exits = [a for a in elements(page.content, "a") if "data-quick-exit-link" in a.attrs]
    assert len(exits) == 1
    assert exits[0].attrs["href"] == settings.QUICK_EXIT_URL
    assert exits[0].text.strip() == exit_words
    quick_nav = next(n for n in elements(page.content, "nav") if "data-quick-exit" in n.attrs)
    assert quick_nav.attrs["aria-label"] == exit_words
    helps = [a for a in elements(page.content, "a") if a.attrs.get("class") == "quick-exit__help"]
    assert [(a.attrs["href"], a.text.strip()) for a in helps] == [(f"/{language}/browse-safely/", help_words)]
    # The help it leads to is in the same language, and its script is still the one that leaves.
    assert "/static/js/quick-exit.js" in [s.attrs.get("src") for s in elements(page.content, "script")]
    assert help_heading in text(client.get(helps[0].attrs["href"]).content)


# --- pause, missing and failure pages ------------------------------------------------------------


def test_the_pause_page_in_dutch_is_in_dutch(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "search": "1/m"}
    client.get("/nl/search/", {"q": "een"})
    paused = client.get("/nl/search/", {"q": "twee"})
    assert paused.status_code == 429
    assert html_tag(paused)["lang"] == "nl"
    words = text(paused.content)
    assert "Wacht even" in words or "Wacht een poosje" in words
    assert "Probeer het over minder dan een minuut opnieuw." in words
    assert "Je hoeft niet te wachten" in words
    assert "Please" not in words
    assert 'href="/nl/messages/"' in paused.content.decode()


def test_the_missing_page_in_dutch_is_in_dutch(client):
    missing = client.get("/nl/no-such-page/")
    assert missing.status_code == 404
    assert html_tag(missing)["lang"] == "nl"
    words = text(missing.content)
    assert "We konden die pagina niet vinden" in words
    assert "Ga naar de startpagina" in words
    assert "could not find" not in words


def test_the_failure_page_speaks_the_language_of_the_page_that_failed(client, settings):
    settings.ROOT_URLCONF = "tests.i18n.urls_broken"
    client.raise_request_exception = False
    failed = client.get("/ar/test-broken/")
    assert failed.status_code == 500
    assert html_tag(failed) == {"lang": "ar", "dir": "rtl"}
    words = text(failed.content)
    assert "حدث خطأ ما من جهتنا" in words
    assert "deliberate failure" not in failed.content.decode()
    exits = [a for a in elements(failed.content, "a") if "data-quick-exit-link" in a.attrs]
    assert [(a.attrs["href"], a.text.strip()) for a in exits] == [(settings.QUICK_EXIT_URL, "خروج سريع")]
    assert 'href="/ar/browse-safely/"' in failed.content.decode()


def test_the_failure_page_still_offers_the_quick_exit_if_it_cannot_be_drawn(client, settings, monkeypatch):
    from django.template import loader

    def broken_template(name, *args, **kwargs):
        raise RuntimeError("the template could not be loaded")

    settings.ROOT_URLCONF = "tests.i18n.urls_broken"
    client.raise_request_exception = False
    monkeypatch.setattr(loader, "get_template", broken_template)
    failed = client.get("/nl/test-broken/")
    assert failed.status_code == 500
    assert "Something went wrong on our side" in text(failed.content)
    exits = [a for a in elements(failed.content, "a") if "data-quick-exit-link" in a.attrs]
    assert [a.attrs["href"] for a in exits] == [settings.QUICK_EXIT_URL]


# --- secure messages ---------------------------------------------------------------------------


def test_secure_messages_in_arabic_answer_in_arabic(client):
    home = client.get("/ar/messages/")
    assert html_tag(home) == {"lang": "ar", "dir": "rtl"}
    # A reply in the page's language is what is offered first.
    selected = [o.attrs["value"] for o in elements(home.content, "option") if "selected" in o.attrs]
    assert selected == ["ar"]
    assert "اكتب إلينا: رسائل آمنة" in text(home.content)

    empty = client.post("/ar/messages/new/", {"body": "  ", "language": "ar", "draft": "d1"})
    assert empty.status_code == 400
    words = text(empty.content)
    assert "هناك مشكلة" in words
    assert "يُرجى كتابة رسالتك قبل إرسالها." in words

    wrong = client.post("/ar/messages/open/", {"passphrase": "acorn lumber yodel"})
    assert wrong.status_code == 400
    assert "هذه الكلمات لم تفتح أي محادثة." in text(wrong.content)


def test_a_new_secure_message_in_dutch_gives_its_dates_in_dutch(client):
    created = client.post(
        "/nl/messages/new/", {"body": "Ik wil graag praten.", "language": "nl", "draft": "d2"}
    )
    assert created.status_code == 200
    words = text(created.content)
    assert "Je bericht is verstuurd" in words
    assert "Dit gesprek wordt verwijderd op" in words
    dutch_months = (
        "januari",
        "februari",
        "maart",
        "april",
        "mei",
        "juni",
        "juli",
        "augustus",
        "september",
        "oktober",
        "november",
        "december",
    )
    english_days = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
    assert any(month in words for month in dutch_months)
    assert not any(day in words for day in english_days)
    passphrase = next(t for t in elements(created.content, "textarea") if t.attrs.get("id") == "passphrase")
    # The words are English whatever the page: the box keeps them left to right.
    assert passphrase.attrs.get("dir") == "ltr"


# --- stylesheets mirror by themselves ------------------------------------------------------------


STYLESHEETS = sorted(
    path.name for path in (Path(__file__).resolve().parents[2] / "static" / "css").glob("*.css")
)


@pytest.mark.parametrize("sheet", STYLESHEETS)
def test_every_stylesheet_uses_logical_properties_only(sheet):
    css = re.sub(
        r"/\*.*?\*/", "", (Path(settings.BASE_DIR) / "static" / "css" / sheet).read_text(), flags=re.S
    )
    physical = re.findall(
        r"(?:margin|padding|border)-(?:left|right)[\w-]*\s*:|(?<![\w-])(?:left|right)\s*:|"
        r"text-align\s*:\s*(?:left|right)|float\s*:\s*(?:left|right)",
        css,
    )
    assert physical == [], f"{sheet} names a physical side; use inline-start/end so Arabic mirrors"


def test_scripts_read_their_words_in_the_page_language_from_a_served_file(client):
    """No inline script carries the words (the Content Security Policy allows none): each page loads
    /<language>/script-texts.js, cached per language, before the scripts that use it."""
    page = client.get("/ar/chat/").content.decode()
    assert '<script src="/ar/script-texts.js"></script>' in page
    assert not re.search(r"<script(?![^>]*\bsrc=)", page), "no inline script"
    english = client.get("/en/script-texts.js")
    arabic = client.get("/ar/script-texts.js")
    assert arabic["Content-Type"].startswith("text/javascript")
    assert "public" in arabic["Cache-Control"] and "Vary" not in arabic
    offered = "A member of the team is about to join you."
    with translation.override("ar"):
        in_arabic = translation.gettext(offered)
    assert in_arabic != offered
    assert f'"chat.offered": "{in_arabic}"' in arabic.content.decode()  # as itself, not \\u escapes
    assert f'"chat.offered": "{offered}"' in english.content.decode()
