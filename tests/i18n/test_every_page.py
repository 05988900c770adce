"""Every public and staff page, drawn in every language, speaks that language: <html lang dir> say so,
and no word a person sees or hears is left in English.

The list of pages is complete by construction: every named route of config.urls is either visited
below (VISITS) or skipped with its reason (SKIPPED); a new page fails
test_every_named_route_is_visited_or_skipped until it is one or the other.

A page in language L fails on
- a text that is an English msgid of locale/L/LC_MESSAGES/django.po shown as it is, unless its L
  translation is those very words;
- an "unmarked" text: two or more words that the English page shows identically and that the
  catalogue does not hold (nobody marked them for translation);
- a script text (<script id="js-texts">) left as it is in English;
- a wrong <html lang> or dir ("rtl" for Arabic).
Left out: text in an element whose nearest `lang` is another language (shown in that language on
purpose), the service's name, numbers, times and punctuation, and user or demo content. Content is
recognised by where it comes from: anything the world's database holds as written by people
(titles, summaries, articles, prompts, names, messages) or that the test itself typed into a form,
wherever a template shows it. System messages in a chat are the service's words, so they count.

Pages come in three kinds, each one test per language: public pages under /<L>/, the pages of a chat
under way (/chat/…: a chat started from /<L>/chat/ speaks L, whatever the browser asks for), and
staff pages (/staff/…: a staff member whose interface language is L)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from babel.messages.catalog import Catalog as BabelCatalog
from babel.messages.pofile import write_po
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation

from helpline.models import CannedResponse, Message, SecureMessage, StaffNote, StaffProfile
from resources.models import Category, Exercise, GuidedModule, ModuleStep, Resource
from tests.i18n.conftest import (
    ENGLISH,
    LANGUAGES,
    SEARCH_WORDS,
    SECURE_AGAIN,
    SECURE_FIRST,
    Cast,
    World,
    seeker_holding,
    set_interface_language,
    signed_in,
)
from tests.i18n.pages import (
    Catalogue,
    Page,
    Words,
    has_words,
    markup_text,
    normalise,
    script_texts_of,
    word_count,
    words_on,
)

TRANSLATED = [code for code in LANGUAGES if code != ENGLISH]
RIGHT_TO_LEFT = {"ar"}
# The browser asks for English throughout: a page's language must come from its prefix, its chat or
# its staff member, never from the browser (the staff sign-in page alone, knowing nobody yet, may
# follow it, and is asked in the page's language).
BROWSER = {"Accept-Language": "en"}


# A test client's answer (django-stubs calls it _MonkeyPatchedWSGIResponse).
Response = Any

# --- what is visited ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Visit:
    name: str  # the URL name
    kind: str  # "public", "chat" or "staff"
    label: str
    go: Callable[[World, Cast, str], Response]
    fragment: bool = False  # a piece of a page a script swaps in: no <html> of its own
    # For JSON that carries pieces of page for a script to put in: the keys that hold them.
    html_in_json: tuple[str, ...] = ()


def _in(language: str, name: str, **kwargs: Any) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


def public(name: str, label: str = "", query: str = "", **kwargs: Callable[[World], Any]) -> Visit:
    def go(world: World, cast: Cast, language: str) -> Response:
        path = _in(language, name, **{k: make(world) for k, make in kwargs.items()})
        response = Client(headers=BROWSER).get(path + query)
        # A text with a version in this language sends the reader to it: the page drawn is that one.
        if response.status_code == 302 and response["Location"].startswith(f"/{language}/"):
            response = Client(headers=BROWSER).get(response["Location"])
        return response

    return Visit(name, "public", label or name, go)


def as_editor(name: str, pk: Callable[[World], int]) -> Visit:
    def go(world: World, cast: Cast, language: str) -> Response:
        return signed_in(world.editor).get(_in(language, name, pk=pk(world)), headers=BROWSER)

    return Visit(name, "public", f"{name} (an editor)", go)


def secure_post(name: str, label: str, data: Callable[[Cast, str], dict[str, str]]) -> Visit:
    def go(world: World, cast: Cast, language: str) -> Response:
        seeker = Client(headers=BROWSER, REMOTE_ADDR=cast.seeker_address)
        return seeker.post(_in(language, name), data(cast, language))

    return Visit(name, "public", label, go)


def in_chat(
    name: str, which: str, *, post: dict[str, str] | None = None, html_in_json: tuple[str, ...] = ()
) -> Visit:
    """A page of the chat this seeker's browser holds (`which`: waiting, offered, live or ended)."""

    def go(world: World, cast: Cast, language: str) -> Response:
        seeker = seeker_holding(getattr(cast, f"{which}_token"), cast.seeker_address)
        if post is not None:
            return seeker.post(reverse(name), post, headers=BROWSER)
        return seeker.get(reverse(name), headers=BROWSER)

    return Visit(name, "chat", f"{name} ({which} chat)", go, bool(html_in_json), html_in_json)


def staff(
    name: str,
    who: str,
    *,
    label: str = "",
    fragment: bool = False,
    second_factor: bool = True,
    query: str = "",
    **kwargs: Callable[[Cast], Any],
) -> Visit:
    def go(world: World, cast: Cast, language: str) -> Response:
        person = getattr(cast, who)
        browser = signed_in(person.user, second_factor=second_factor)
        path = reverse(name, kwargs={k: make(cast) for k, make in kwargs.items()} or None) + query
        return browser.get(path, headers={**BROWSER, "Accept": "text/html" if fragment else "*/*"})

    return Visit(name, "staff", label or f"{name} ({who})", go, fragment)


def chat_closed(world: World, cast: Cast, language: str) -> Response:
    """/chat/ended/ after the person closed their conversation: no chat is left to ask, so the address
    carries the language (?lang=, from the site's own redirect)."""
    return Client(headers=BROWSER).get(reverse("chat-ended") + f"?lang={language}")


def staff_sign_in(world: World, cast: Cast, language: str) -> Response:
    return Client(headers={"Accept-Language": language}).get(reverse("staff-login"))


def _draft() -> str:
    return uuid.uuid4().hex


VISITS = [
    # Public pages, under /<language>/.
    public("home"),
    public("browse-safely"),
    public("resource-list"),
    public("category", slug=lambda w: w.category_slug),
    public("resource-detail", slug=lambda w: w.resource.slug),
    public("resource-detail", "resource-detail (hard to read)", slug=lambda w: w.hard_resource.slug),
    public("module-list"),
    public("module-detail", slug=lambda w: w.module.slug),
    public("exercise-print", slug=lambda w: w.module.slug, pk=lambda w: w.exercise.pk),
    public("search", "search (results)", query=f"?q={SEARCH_WORDS}"),
    public("search", "search (nothing asked yet)"),
    as_editor("resource-preview", lambda w: w.resource.pk),
    as_editor("module-preview", lambda w: w.module.pk),
    public("chat", "chat (the start page)"),
    public("secure-home"),
    secure_post(
        "secure-create",
        "secure-create (a first message sent)",
        lambda cast, language: {"body": SECURE_FIRST, "language": language, "draft": _draft()},
    ),
    secure_post(
        "secure-open", "secure-open (a thread opened)", lambda cast, language: {"passphrase": cast.passphrase}
    ),
    secure_post(
        "secure-reply",
        "secure-reply (the seeker writes again)",
        lambda cast, language: {"passphrase": cast.passphrase, "body": SECURE_AGAIN, "draft": _draft()},
    ),
    # A chat under way: unprefixed, in the chat's language.
    in_chat("chat-session", "waiting"),
    in_chat("chat-session", "offered"),
    in_chat("chat-session", "live"),
    in_chat("chat-session", "ended"),
    in_chat("chat-live", "waiting"),
    in_chat("chat-live", "live"),
    in_chat("chat-live", "ended"),
    in_chat("chat-ended", "ended"),
    Visit("chat-ended", "chat", "chat-ended (closed: no chat left, ?lang=)", chat_closed),
    in_chat("chat-end", "live", post={"body": ""}),  # "End chat" without JavaScript asks first
    # The script's last look at an ended chat: the end of the page, drawn by the server.
    in_chat("chat-poll", "ended", html_in_json=("status_html", "after_html")),
    # Staff pages, in the staff member's interface language.
    staff("staff-console", "staffer"),
    staff("staff-state", "staffer", fragment=True),
    staff("staff-pulse-frame", "staffer"),
    staff("staff-console", "colleague", label="staff-console (a chat offered)"),
    staff("staff-pulse-frame", "colleague", label="staff-pulse-frame (a chat offered)"),
    staff("staff-transcript", "supervisor", public_id=lambda c: c.live_chat.public_id),
    staff("staff-wrap-up", "staffer", public_id=lambda c: c.ended_chat.public_id),
    staff("staff-supervisor", "supervisor"),
    staff("staff-supervisor-state", "supervisor", fragment=True),
    staff("staff-inbox", "staffer"),
    staff("staff-inbox-thread", "staffer", public_id=lambda c: c.thread.public_id),
    staff("staff-stats", "supervisor"),
    staff(
        "staff-stats",
        "supervisor",
        label="staff-stats (by month, Dutch chats)",
        query="?by=month&language=nl",
    ),
    Visit("staff-login", "staff", "staff-login (nobody signed in yet)", staff_sign_in),
    staff("two-factor", "staffer", label="two-factor (the code)", second_factor=False),
    staff("two-factor", "newcomer", label="two-factor (setting it up)", second_factor=False),
]

# Named routes that are not pages to read, each with why. Everything a person reads is above.
SKIPPED = {
    # / only redirects to /<language>/, chosen from Accept-Language.
    "choose-language": "redirect",
    # A partner's link only counts the landing and redirects to the campaign's page (listed above) in the
    # visitor's language; its printable QR page is in the admin (namespace skipped below).
    "campaign-link": "redirect",
    # Forms' targets: they answer with a redirect to a page listed above (chat-session, the console,
    # the transcript, the inbox thread), or with JSON for the scripts.
    "chat-start": "POST only; redirects to chat-session",
    "chat-send": "POST only; redirects to chat-session",
    "chat-close": "POST only; redirects to chat-ended",
    "chat-feedback": "POST only; redirects to chat-session#feedback",
    "staff-availability": "POST only; redirects back",
    "staff-accept": "POST only; redirects to the console",
    "staff-decline": "POST only; redirects to the console",
    "staff-send": "POST only; redirects to the console",
    "staff-end": "POST only; redirects to the console",
    "staff-close-left": "POST only; redirects to the console",
    "staff-transfer": "POST only; redirects to the console",
    "staff-escalate": "POST only; redirects to the console",
    "staff-decide": "POST only; redirects to the transcript",
    "staff-whisper": "POST only; redirects back to the board or the transcript (both visited, with a note)",
    "staff-join": "POST only; redirects to the transcript (visited with the supervisor joined)",
    "staff-leave": "POST only; redirects to the transcript",
    "staff-write": "POST only; redirects to the transcript",
    "staff-inbox-take": "POST only; redirects to the thread",
    "staff-inbox-release": "POST only; redirects to the inbox",
    "staff-inbox-reply": "POST only; redirects to the thread",
    "staff-logout": "POST only; redirects to the sign-in page",
    # JSON for scripts (their words come from the page and its js-texts, checked on every page).
    "chat-notice": "JSON",
    "staff-pulse": "JSON",
    "staff-messages": "JSON",
    # Files people download.
    "chat-copy": "a text file",
    "staff-stats-csv": "a spreadsheet: stable column keys, dates and numbers, no words",
    "staff-stats-json": "the pooling format (docs/pooling.md): stable keys, dates and numbers, no words",
    # The words scripts show, one script per language: checked through every page that loads it.
    "script-texts": "a script of words, checked on every page that loads it",
    "staff-interface-language": "POST only; the staff header's language chooser, redirects back",
    # Staff wellbeing: the header's and the board's forms, each redirecting back to a page above.
    "staff-end-break": "POST only; the header's break notice, redirects back",
    "staff-request-debrief": "POST only; the header's debrief request, redirects back",
    "staff-arrange-debrief": "POST only; redirects to the supervisor board",
    "staff-extend-shift": "POST only; redirects to the supervisor board",
}
# Whole namespaces: Django's admin speaks Django's own catalogues and is not a staff page (/staff/).
SKIPPED_NAMESPACES = {"admin": "Django's admin"}
# Routes without a name, by route.
SKIPPED_UNNAMED = {
    "favicon.ico": "a file",
    "admin/login/": "redirect to staff-login",
}


def routes() -> tuple[set[str], set[str]]:
    """Every named route of config.urls ("namespace:name") and every unnamed one (its route)."""
    names: set[str] = set()
    unnamed: set[str] = set()

    def walk(patterns: list[Any], namespace: str, prefix: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, inner, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                if pattern.name:
                    names.add(namespace + pattern.name)
                else:
                    unnamed.add(prefix + str(pattern.pattern))

    walk(get_resolver("config.urls").url_patterns, "", "")
    return names, unnamed


def _skipped_namespace(name_or_route: str) -> bool:
    return any(
        name_or_route.startswith(f"{namespace}:") or name_or_route.startswith(f"{namespace}/")
        for namespace in SKIPPED_NAMESPACES
    )


def test_every_named_route_is_visited_or_skipped():
    names, unnamed = routes()
    visited = {visit.name for visit in VISITS}
    forgotten = sorted(n for n in names - visited - SKIPPED.keys() if not _skipped_namespace(n))
    assert not forgotten, (
        f"Routes neither visited by VISITS nor in SKIPPED (with why): {forgotten}. A page a person "
        "reads belongs in VISITS, so its words are checked in every language."
    )
    unnamed_forgotten = sorted(
        r for r in unnamed - SKIPPED_UNNAMED.keys() if not _skipped_namespace(r.lstrip("^"))
    )
    assert not unnamed_forgotten, f"Unnamed routes not accounted for: {unnamed_forgotten}"


def test_the_lists_name_only_routes_that_exist():
    names, unnamed = routes()
    assert not {visit.name for visit in VISITS} - names
    assert not SKIPPED.keys() - names
    assert not SKIPPED_UNNAMED.keys() - unnamed
    assert not {visit.name for visit in VISITS} & SKIPPED.keys(), "a route is both visited and skipped"


# --- what counts as content ----------------------------------------------------------------------


@dataclass
class Content:
    fields: set[str]  # what people wrote, as the database holds it: titles, names, messages
    markup: set[str]  # the text of rendered Markdown: content only where the page shows Markdown
    pattern: re.Pattern[str]  # any field, or the service's name, inside a longer text

    def holds(self, words: Words) -> bool:
        return words.text in self.fields or (words.in_markup and words.text in self.markup)

    def strip(self, text: str) -> str:
        """The text without the content in it (a title inside "Back to “…”"), nor the service name."""
        return normalise(self.pattern.sub(" ", text))


def _content(world: World) -> Content:
    fields: set[str] = {SEARCH_WORDS, SECURE_FIRST, SECURE_AGAIN}
    markup: list[str] = []
    for category in Category.objects.all():
        fields |= {category.name, category.description}
    for resource in Resource.objects.all():
        fields |= {resource.title, resource.summary}
        markup += markup_text(resource.body_html)
    for module in GuidedModule.objects.all():
        fields |= {module.title, module.summary}
        markup += markup_text(module.objectives_html)
    for step in ModuleStep.objects.all():
        fields.add(step.title)
        markup += markup_text(step.body_html)
    for exercise in Exercise.objects.all():
        fields |= {exercise.prompt, exercise.help_text, exercise.min_label, exercise.max_label}
    # Stock replies: staff pick them by title (their text is sent as the staff member's own message).
    fields |= set(CannedResponse.objects.values_list("title", flat=True))
    # What people wrote. A chat's system messages are the service's words: not content.
    fields |= {m.body for m in Message.objects.exclude(sender=Message.Sender.SYSTEM)}
    fields |= {m.body for m in SecureMessage.objects.all()}
    fields |= {note.body for note in StaffNote.objects.all()}
    for profile in StaffProfile.objects.select_related("user"):
        fields |= {profile.display_name, profile.user.get_username()}
    texts = {normalise(t) for t in fields if t and normalise(t)}
    pieces = sorted(texts | {settings.SERVICE_NAME}, key=len, reverse=True)
    pattern = re.compile(
        "|".join(
            (r"\b" if p[0].isalnum() else "") + re.escape(p) + (r"\b" if p[-1].isalnum() else "")
            for p in pieces
        )
    )
    return Content(texts, set(markup), pattern)


def _key(text: str) -> str:
    """For comparing with the English page: numbers differ from page to page (positions, counts)."""
    return re.sub(r"\d+", "#", text)


# --- drawing and judging -------------------------------------------------------------------------


@dataclass
class Drawn:
    status: int
    location: str
    page: Page | None
    scripts: dict[str, str] | None = None  # the script texts the page gives its scripts
    scripts_from: str = ""  # the address they were loaded from, if not carried in the page


# Where a page loads the words its scripts show from (config/js_texts.py), if not from inside the page.
SCRIPT_TEXTS_PATH = re.compile(r"^/[\w-]+/script-texts\.js$")


def script_texts(world: World, page: Page) -> tuple[dict[str, str] | None, str]:
    """The script texts a page gives its scripts, inline or from its script-texts.js (fetched once)."""
    if page.js_texts is not None:
        return page.js_texts, ""
    source = next((s for s in page.scripts if SCRIPT_TEXTS_PATH.match(s.split("?")[0])), "")
    if not source:
        return None, ""
    memo_key = ("script-texts", source)
    if memo_key not in world.memo:
        served = Client().get(source)
        assert served.status_code == 200, (source, served.status_code)
        world.memo[memo_key] = script_texts_of(served.content.decode())
    return world.memo[memo_key], source


def draw(visit: Visit, world: World, cast: Cast, language: str) -> Drawn:
    response = visit.go(world, cast, language)
    location = response.headers.get("Location", "")
    if visit.html_in_json and response.status_code == 200:
        pieces = response.json()
        return Drawn(200, "", words_on("".join(pieces.get(key, "") for key in visit.html_in_json), language))
    if response.status_code != 200 or "html" not in response.headers.get("Content-Type", ""):
        return Drawn(response.status_code, location, None)
    page = words_on(response.content.decode(), language)
    scripts, scripts_from = script_texts(world, page)
    return Drawn(200, "", page, scripts, scripts_from)


@dataclass
class English:
    drawn: Drawn
    keys: set[str]  # the content-free words of the English page, to recognise unmarked ones

    @property
    def scripts(self) -> dict[str, str] | None:
        return self.drawn.scripts


def english(visit: Visit, world: World, content: Content) -> English:
    """The same page in English (the English cast's chat or staff member); worked out once."""
    memo_key = ("english", visit.label)
    if memo_key not in world.memo:
        drawn = draw(visit, world, world.casts[ENGLISH], ENGLISH)
        keys = {_key(content.strip(w.text)) for w in drawn.page.words} if drawn.page else set()
        world.memo[memo_key] = English(drawn, keys)
    return world.memo[memo_key]


def judge(
    visit: Visit,
    drawn: Drawn,
    language: str,
    catalogue: Catalogue,
    content: Content,
    in_english: English,
    script_problems: set[str],
) -> list[str]:
    """Everything wrong with one page in one language, as lines for the failure message."""
    if drawn.page is None:
        where = f" to {drawn.location}" if drawn.location else ""
        return [f"answered {drawn.status}{where} instead of a page"]
    page = drawn.page
    problems: list[str] = []
    if not visit.fragment:
        direction = "rtl" if language in RIGHT_TO_LEFT else "ltr"
        if page.html_lang != language or page.html_dir != direction:
            problems.append(
                f'<html lang="{page.html_lang}" dir="{page.html_dir}">, '
                f'expected lang="{language}" dir="{direction}"'
            )
    seen: set[str] = set()
    for words in page.words:
        text = words.text
        if content.holds(words) or text in seen:
            continue
        seen.add(text)
        rest = content.strip(text)
        if not has_words(rest):
            continue
        entries = catalogue.entries_for(text)
        if entries:
            if not catalogue.same_in_translation(text, entries):
                state = (
                    "in English, though the catalogue translates it"
                    if any(e.translated for e in entries)
                    else "not translated in the catalogue"
                )
                problems.append(f"{state}: {text!r} ({words.where})")
        elif word_count(rest) >= 2 and _key(rest) in in_english.keys:
            problems.append(f"not marked for translation: {text!r} ({words.where})")
    english_scripts = in_english.scripts
    if drawn.scripts is not None and english_scripts:
        for key, value in drawn.scripts.items():
            if value != english_scripts.get(key) or not has_words(value):
                continue
            entries = catalogue.entries_for(normalise(value))
            if not (entries and catalogue.same_in_translation(normalise(value), entries)):
                script_problems.add(f"{key}: {value!r}")
    if drawn.scripts_from and not drawn.scripts_from.startswith(f"/{language}/"):
        problems.append(f"loads its script texts from {drawn.scripts_from}")
    return problems


@cache
def catalogue_for(language: str) -> Catalogue:
    return Catalogue(language)


@pytest.fixture
def content(world: World, db: None) -> Content:
    # Worked out in each test: the database rows are those of the world, seen from inside the test.
    memo = world.memo.get("content")
    if memo is None:
        memo = world.memo["content"] = _content(world)
    return memo


def check_pages(kind: str, language: str, world: World, content: Content) -> None:
    catalogue = catalogue_for(language)
    cast = world.casts[language]
    report: list[str] = []
    script_problems: set[str] = set()
    visits = [v for v in VISITS if v.kind == kind]
    failing = 0
    for visit in visits:
        in_english = english(visit, world, content)
        drawn = draw(visit, world, cast, language)
        problems = judge(visit, drawn, language, catalogue, content, in_english, script_problems)
        if problems:
            failing += 1
            report.append(f"--- {visit.label} in {language}:")
            report.extend(f"    {line}" for line in problems)
    if script_problems:
        report.append(f'--- script texts (<script id="js-texts">) left in English on {kind} pages:')
        report.extend(f"    {line}" for line in sorted(script_problems))
    assert not report, (
        f"{failing} of {len(visits)} {kind} pages in {language} are not wholly in {language}:\n"
        + "\n".join(report)
    )


def _staff_of(cast: Cast) -> list[StaffProfile]:
    return [cast.staffer, cast.supervisor, cast.newcomer, cast.colleague]


def test_english_pages_draw(world: World, content: Content):
    """The world is sound: every visit draws a page in English (so failures elsewhere are about
    language, not about a page that could not be drawn)."""
    cast = world.casts[ENGLISH]
    set_interface_language(ENGLISH, *_staff_of(cast))
    broken = []
    for visit in VISITS:
        drawn = english(visit, world, content).drawn
        if drawn.page is None:
            broken.append(f"{visit.label}: {drawn.status} {drawn.location}")
        elif not visit.fragment and (drawn.page.html_lang, drawn.page.html_dir or "ltr") != (ENGLISH, "ltr"):
            broken.append(f"{visit.label}: lang={drawn.page.html_lang} dir={drawn.page.html_dir}")
    assert not broken, broken


@pytest.mark.parametrize("language", TRANSLATED)
def test_public_pages_speak_the_language_of_their_prefix(language: str, world: World, content: Content):
    check_pages("public", language, world, content)


@pytest.mark.parametrize("language", TRANSLATED)
def test_a_chat_under_way_speaks_the_language_it_started_in(language: str, world: World, content: Content):
    check_pages("chat", language, world, content)


@pytest.mark.parametrize("language", TRANSLATED)
def test_staff_pages_speak_the_staff_members_language(
    language: str, world: World, content: Content, staff_speaking: Callable[..., None]
):
    english_cast, cast = world.casts[ENGLISH], world.casts[language]
    staff_speaking(ENGLISH, *_staff_of(english_cast))
    staff_speaking(language, *_staff_of(cast))
    check_pages("staff", language, world, content)


# --- the judge itself, on a page made up here --------------------------------------------------------

MADE_UP = """<!doctype html><html lang="{lang}" dir="{dir}">
<head><title>{title} · Open Door</title></head><body>
<p>{search}</p>
<p lang="en">Read this in English</p>
<nav><a href="/de/" lang="de">Deutsch</a></nav>
<noscript>Please turn on scripts for live updates</noscript>
<script>var greeting = "Hello there friend";</script>
<textarea>words the person typed themselves</textarea>
<button aria-label="Close the menu">&times;</button>
<input type="submit" value="{send}">
<div class="prose"><p>Talk to us</p></div>
<p>{talk}</p>
<p>{okay}</p>
<p>{choice}</p>
<p>3 of 12 · 14:05</p>
<script id="js-texts" type="application/json">{{"chat.sent": "{sent}"}}</script>
</body></html>"""
ENGLISH_WORDS = {
    "title": "Your chat",
    "search": "Search",
    "send": "Send it now",
    "talk": "Talk to us",
    "okay": "OK",
    "choice": "Transfer or end",
    "sent": "Message sent",
}


def test_the_judge_finds_what_a_person_would_see_in_english(tmp_path: Path):
    """Each kind of failure is found, and nothing else: not a fallback marked lang="en", the
    language switch, a script, a typed draft, an editor's Markdown, a word that is the same in both
    languages, or numbers and times."""
    po = tmp_path / "django.po"
    catalogue = BabelCatalog(locale="nl")
    catalogue.add("Search", "")  # marked, not yet translated
    catalogue.add("Talk to us", "Praat met ons")  # translated, yet one template shows it in English
    catalogue.add("OK", "OK")  # the same word in both languages
    catalogue.add("Send it now", "Nu versturen")
    catalogue.add("Transfer or end", "Doorgeven of beëindigen")
    # Too few words of its own to recognise a sentence by: it must not claim "Doorgeven of beëindigen".
    catalogue.add("%(chats)s of %(max_chats)s", "", flags=["python-format"])
    with po.open("wb") as po_file:
        write_po(po_file, catalogue)
    english_page = words_on(MADE_UP.format(lang="en", dir="ltr", **ENGLISH_WORDS), ENGLISH)
    dutch = {**ENGLISH_WORDS, "send": "Nu versturen", "choice": "Doorgeven of beëindigen"}
    dutch_page = words_on(MADE_UP.format(lang="nl", dir="rtl", **dutch), "nl")
    content = Content(fields=set(), markup={"Talk to us"}, pattern=re.compile(re.escape("Open Door")))
    in_english = English(
        Drawn(200, "", english_page, english_page.js_texts),
        {_key(content.strip(w.text)) for w in english_page.words},
    )
    scripts: set[str] = set()
    visit = Visit("made-up", "public", "made-up", lambda world, cast, language: None)

    problems = judge(
        visit,
        Drawn(200, "", dutch_page, dutch_page.js_texts),
        "nl",
        Catalogue("nl", po),
        content,
        in_english,
        scripts,
    )

    assert problems == [
        '<html lang="nl" dir="rtl">, expected lang="nl" dir="ltr"',
        "not marked for translation: 'Your chat · Open Door' (text)",
        "not translated in the catalogue: 'Search' (text)",
        "not marked for translation: 'Please turn on scripts for live updates' (text)",
        "not marked for translation: 'Close the menu' (aria-label on <button>)",
        "in English, though the catalogue translates it: 'Talk to us' (text)",
    ]
    assert scripts == {"chat.sent: 'Message sent'"}
