"""The self-help library in the reader's language.

A seeker on /nl/ reads the Dutch version of a text where there is one; where there is none, the
English one, told so in Dutch, with the English marked lang="en" so a screen reader reads it in an
English voice. An address for another language's version leads to the reader's version; each page
links to its other versions; search speaks the page's language; the demo has every language.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone, translation

from resources.demo import load_demo_content
from resources.demo.translations import TRANSLATIONS
from resources.markup import localise_links, render_markdown
from resources.models import Category, CategoryName, GuidedModule, ModuleStep, Resource, Status
from resources.search_synonyms import SearchSynonym

pytestmark = pytest.mark.django_db

LANGUAGES = [code for code, _name in settings.LANGUAGES]


def _category() -> Category:
    return Category.objects.get_or_create(slug="thoughts", defaults={"name": "Thoughts"})[0]


def _resource(slug: str, language: str = "en", original: Resource | None = None, **fields) -> Resource:
    defaults = {
        "title": f"Title of {slug}",
        "summary": f"Summary of {slug}.",
        "body": f"Body of {slug}.",
        "category": _category(),
        "language": language,
        "translation_of": original,
        "status": Status.PUBLISHED,
        "publish_at": timezone.now() - datetime.timedelta(minutes=1),
    }
    defaults.update(fields)
    return Resource.objects.create(slug=slug, **defaults)


def _module(slug: str, language: str = "en", original: GuidedModule | None = None, **fields) -> GuidedModule:
    module = GuidedModule.objects.create(
        slug=slug,
        title=fields.get("title", f"Module {slug}"),
        summary=f"Summary of {slug}.",
        objectives="Objectives.",
        language=language,
        translation_of=original,
        status=Status.PUBLISHED,
        publish_at=timezone.now() - datetime.timedelta(minutes=1),
    )
    ModuleStep.objects.create(module=module, order=1, title="Step", body="Reading.")
    return module


def _html(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return response.content.decode()


def _notice(html: str) -> str:
    match = re.search(r'<p class="notice notice--language" role="note">(.*?)</p>', html, re.S)
    return " ".join(match.group(1).split()) if match else ""


# --- one text in several languages --------------------------------------------------------------


def test_a_page_shows_the_version_in_its_language_and_links_the_others(client):
    english = _resource("talking-helps", title="Talking helps")
    _resource("praten-helpt", "nl", english, title="Praten helpt")
    _resource("reden-hilft", "de", english, title="Reden hilft")

    html = _html(client, "/nl/self-help/praten-helpt/")
    assert '<html lang="nl" dir="ltr">' in html
    assert '<article class="resource" lang="nl" dir="ltr">' in html
    assert "Praten helpt" in html
    assert not _notice(html)
    assert '<a href="/en/self-help/talking-helps/" lang="en" hreflang="en">English</a>' in html
    assert '<a href="/de/self-help/reden-hilft/" lang="de" hreflang="de">Deutsch</a>' in html
    assert (
        'href="/nl/self-help/praten-helpt/" lang="nl" hreflang="nl">' not in html.split("other-versions")[1]
    )


def test_another_languages_address_leads_to_the_version_in_the_address_language(client):
    english = _resource("talking-helps")
    _resource("praten-helpt", "nl", english)
    german = _resource("reden-hilft", "de", english)

    response = client.get("/nl/self-help/talking-helps/")
    assert response.status_code == 302
    assert response["Location"] == "/nl/self-help/praten-helpt/"
    # From a translation to its sibling, and back to the original.
    assert client.get("/nl/self-help/reden-hilft/")["Location"] == "/nl/self-help/praten-helpt/"
    assert client.get("/en/self-help/reden-hilft/")["Location"] == "/en/self-help/talking-helps/"
    # No French version: a French reader of the German address gets the English one, with the notice.
    assert client.get("/fr/self-help/reden-hilft/")["Location"] == "/fr/self-help/talking-helps/"
    assert german.published_versions()[0].language == "en"


def test_a_missing_version_falls_back_to_english_with_a_notice_in_the_readers_language(client):
    _resource("talking-helps", title="Talking helps")
    html = _html(client, "/nl/self-help/talking-helps/")
    assert '<html lang="nl" dir="ltr">' in html
    assert '<article class="resource" lang="en" dir="ltr">' in html
    with translation.override("nl"):
        expected = translation.gettext(
            "This page is not yet available in %(language)s. Here it is in %(content)s."
        )
    assert _notice(html) == expected % {"language": "Nederlands", "content": "English"}
    assert "Nederlands" in _notice(html) and "English" in _notice(html)


def test_arabic_pages_are_right_to_left_and_english_content_in_them_left_to_right(client):
    english = _resource("talking-helps")
    html = _html(client, "/ar/self-help/talking-helps/")
    assert '<html lang="ar" dir="rtl">' in html
    assert '<article class="resource" lang="en" dir="ltr">' in html

    _resource("arabic-only", "ar")
    html = _html(client, "/en/self-help/arabic-only/")
    assert '<html lang="en" dir="ltr">' in html
    assert '<article class="resource" lang="ar" dir="rtl">' in html
    assert english.pk


def test_lists_show_each_text_once_in_the_page_language_or_marked_in_english(client):
    english = _resource("talking-helps", title="Talking helps")
    _resource("praten-helpt", "nl", english, title="Praten helpt")
    _resource("only-english", title="Only in English")

    html = _html(client, "/nl/self-help/")
    assert "Praten helpt" in html and "Talking helps" not in html
    assert re.search(
        r'<h3 lang="en" dir="ltr"><a href="/nl/self-help/only-english/">Only in English</a></h3>', html
    )
    assert '<h3><a href="/nl/self-help/praten-helpt/">Praten helpt</a></h3>' in html
    assert "notice--language" in html  # says some pieces are in another language

    html = _html(client, "/en/self-help/")
    assert "Talking helps" in html and "Praten helpt" not in html
    assert "notice--language" not in html

    html = _html(client, "/nl/self-help/topics/thoughts/")
    assert "Praten helpt" in html and "Talking helps" not in html


def test_the_home_page_features_the_versions_in_its_language(client):
    english = _resource("talking-helps", title="Talking helps", featured=True)
    _resource("praten-helpt", "nl", english, title="Praten helpt")
    assert "Praten helpt" in _html(client, "/nl/")
    assert "Talking helps" not in _html(client, "/nl/")
    assert "Talking helps" in _html(client, "/de/")


def test_topic_names_are_shown_in_the_page_language_where_written(client):
    _resource("talking-helps")
    CategoryName.objects.create(
        category=_category(), language="nl", name="Gedachten", description="Over gedachten."
    )
    assert "<h1>Gedachten</h1>" in _html(client, "/nl/self-help/topics/thoughts/")
    html = _html(client, "/de/self-help/topics/thoughts/")
    assert '<div lang="en" dir="ltr">\n<h1>Thoughts</h1>' in html


def test_guided_modules_follow_the_same_rules(client):
    english = _module("making-a-plan", title="Making a plan")
    _module("een-plan", "nl", english, title="Een plan")
    assert client.get("/nl/modules/making-a-plan/")["Location"] == "/nl/modules/een-plan/"
    html = _html(client, "/nl/modules/een-plan/")
    assert 'href="/en/modules/making-a-plan/" lang="en" hreflang="en"' in html
    html = _html(client, "/fr/modules/making-a-plan/")
    assert _notice(html)
    assert '<div lang="en" dir="ltr">\n  <h1>Making a plan</h1>' in html
    listing = _html(client, "/nl/modules/")
    assert "Een plan" in listing and "Making a plan" not in listing


def test_a_translation_must_point_at_an_original_in_another_language():
    english = _resource("talking-helps")
    dutch = _resource("praten-helpt", "nl", english)
    with pytest.raises(ValidationError):
        Resource(
            slug="x",
            title="x",
            summary="x",
            body="x",
            category=_category(),
            language="en",
            translation_of=english,
        ).full_clean()
    with pytest.raises(ValidationError):
        Resource(
            slug="y",
            title="y",
            summary="y",
            body="y",
            category=_category(),
            language="de",
            translation_of=dutch,
        ).full_clean()
    with pytest.raises(ValidationError):  # a second Dutch version
        Resource(
            slug="z",
            title="z",
            summary="z",
            body="z",
            category=_category(),
            language="nl",
            translation_of=english,
        ).full_clean()


def test_the_editor_says_which_text_this_translates_in_the_admin(admin_client):
    english = _resource("talking-helps", title="Talking helps", status=Status.DRAFT)
    response = admin_client.get("/admin/resources/resource/add/")
    # The admin needs a verified second factor; what matters here is that the field is offered.
    if response.status_code == 200:
        assert 'name="translation_of"' in response.content.decode()
    assert english.translations.count() == 0


# --- links in the text --------------------------------------------------------------------------


def test_internal_markdown_links_lead_to_the_readers_language(client):
    assert 'href="/nl/chat/"' in render_markdown("[praat met ons](/chat/)", language="nl")
    assert 'href="/ar/self-help/x/"' in render_markdown("[x](/self-help/x/)", language="ar")
    html = render_markdown("[a](/static/x.css) [b](https://example.org/) [c](/staff/)", language="nl")
    assert 'href="/static/x.css"' in html and 'href="https://example.org/"' in html
    assert 'href="/staff/"' in html or 'href="/nl/staff/"' not in html
    # Stored in the text's language, shown in the reader's.
    assert localise_links('<a href="/en/chat/?a=1&amp;b=2#top">x</a>', "de") == (
        '<a href="/de/chat/?a=1&amp;b=2#top">x</a>'
    )

    _resource("talking-helps", body="You can [talk to us](/chat/) or read [more](/self-help/other/).")
    html = _html(client, "/nl/self-help/talking-helps/")  # English text on a Dutch page
    assert 'href="/nl/chat/"' in html and 'href="/nl/self-help/other/"' in html
    assert 'href="/en/chat/"' not in html.split("<article")[1].split("</article>")[0]


# --- search -------------------------------------------------------------------------------------


def _search(client, language: str, query: str) -> list[str]:
    html = _html(client, f"/{language}/search/?q={query}")
    return re.findall(rf'<a href="/{language}/(?:self-help|modules)/([^/"]+)/">', html)


def _with_each_database(monkeypatch, fallback: bool) -> None:
    if fallback:
        monkeypatch.setattr("resources.search.connection.vendor", "sqlite")


@pytest.mark.parametrize("fallback", [False, True], ids=["database", "embedded"])
def test_a_dutch_search_finds_dutch_content_with_dutch_stemming(client, monkeypatch, fallback):
    _with_each_database(monkeypatch, fallback)
    english = _resource("your-thoughts", title="Your thoughts", body="Thoughts are not actions.")
    _resource(
        "je-gedachten",
        "nl",
        english,
        title="Je gedachten",
        body="Gedachten zijn geen daden. Je maakt je zorgen.",
    )
    _resource("alleen-engels", title="Worries", body="When you worry a lot.")
    # "gedachte" finds "gedachten", "zorg" finds "zorgen": Dutch stems.
    assert _search(client, "nl", "gedachte") == ["je-gedachten"]
    assert _search(client, "nl", "ik maak me zorg") == ["je-gedachten"]
    # The English page shows the English version of the same text, not the Dutch one.
    assert _search(client, "en", "thoughts") == ["your-thoughts"]
    # A Dutch word on the English page matches only the Dutch version of a text that has an English
    # one: the English page shows English versions, so it is not listed there.
    assert _search(client, "en", "gedachte") == []
    # English-only content still turns up on the Dutch page (in English) when it matches.
    assert _search(client, "nl", "worry") == ["alleen-engels"]


@pytest.mark.parametrize("fallback", [False, True], ids=["database", "embedded"])
def test_each_language_has_its_own_synonyms(client, monkeypatch, fallback):
    _with_each_database(monkeypatch, fallback)
    _resource("zorgen", "nl", title="Als je je zorgen maakt", body="Zorgen horen erbij.")
    _resource("worries", title="When you are worried", body="Worries.")
    SearchSynonym.objects.all().delete()
    SearchSynonym.objects.create(language="nl", terms="piekeren", also_means="zorgen")
    SearchSynonym.objects.create(language="en", terms="fretting", also_means="worried")
    assert _search(client, "nl", "piekeren") == ["zorgen"]
    assert _search(client, "en", "piekeren") == []
    assert _search(client, "en", "fretting") == ["worries"]
    assert _search(client, "nl", "fretting") == []


def test_every_language_has_a_search_configuration_postgresql_knows():
    from resources.fulltext import config_for

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SELECT cfgname FROM pg_ts_config")
        known = {row[0] for row in cursor.fetchall()}
    expected = {
        "en": "english",
        "nl": "dutch",
        "de": "german",
        "fr": "french",
        "es": "spanish",
        "ro": "romanian",
        "ar": "arabic",
    }
    for code in LANGUAGES:
        assert config_for(code) == expected[code] and expected[code] in known


def test_the_starter_synonyms_cover_every_language():
    languages = set(SearchSynonym.objects.values_list("language", flat=True))
    assert set(LANGUAGES) <= languages


# --- the demo -----------------------------------------------------------------------------------


def test_the_demo_has_its_key_pieces_in_every_language(client):
    load_demo_content()
    featured = Resource.objects.filter(language="en", featured=True)
    module = GuidedModule.objects.get(language="en")
    support = Category.objects.get(slug="getting-support")
    for code in LANGUAGES:
        if code == "en":
            continue
        assert code in TRANSLATIONS
        for original in featured:
            version = Resource.objects.published().get(translation_of=original, language=code)
            assert version.title != original.title
        assert GuidedModule.objects.published().get(translation_of=module, language=code).steps.exists()
        assert CategoryName.objects.filter(category=support, language=code).exists()
        home = _html(client, f"/{code}/")
        for original in featured:
            title = Resource.objects.get(translation_of=original, language=code).title
            assert title.replace("'", "&#x27;") in home, (code, title)
    # Loading twice keeps one version per language.
    load_demo_content()
    assert Resource.objects.filter(translation_of__isnull=False).count() == featured.count() * (
        len(LANGUAGES) - 1
    )


def test_a_translation_offers_its_originals_further_reading_in_the_page_language(client):
    english = _resource("talking-helps", title="Talking helps")
    next_steps = _resource("next-steps", title="Next steps")
    _resource("volgende-stappen", "nl", next_steps, title="Volgende stappen")
    only_english = _resource("only-english", title="Only in English")
    english.related.set([next_steps, only_english])
    _resource("praten-helpt", "nl", english, title="Praten helpt")

    html = _html(client, "/nl/self-help/praten-helpt/")
    related = html.split('id="related-heading"')[1]
    assert "Volgende stappen" in related and "Next steps" not in related
    assert '<h3 lang="en" dir="ltr"><a href="/nl/self-help/only-english/">Only in English</a></h3>' in related
