"""Reading a page the way a person (or their screen reader) meets its words, for the language tests.

`words_on(html, language)` gives every piece of text a person may see or hear: text nodes, the
attributes read aloud or shown (aria-label, title, alt, placeholder, a button's value, an option's
label) and, separately, the script texts in <script id="js-texts">. Text inside an element whose
nearest `lang` says another language is left out: it is shown in that language on purpose (the
language switch, content that exists only in English and says so)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from babel.messages.pofile import read_po

VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "param",
    "source",
    "track",
    "wbr",
}
# Never shown as words: code, styles, inert templates. (noscript IS shown, to people without scripts.)
HIDDEN_CONTENT = {"script", "style", "template"}
# Whatever the person typed: a draft in a text box is theirs, not the site's.
TYPED_CONTENT = {"textarea"}
# Attributes a person sees or hears: read out by screen readers, shown as tooltips or in empty boxes.
SPOKEN_ATTRIBUTES = ("aria-label", "aria-description", "aria-roledescription", "title", "alt", "placeholder")
BUTTON_INPUTS = {"submit", "button", "reset"}


@dataclass(eq=False)
class Node:
    tag: str
    attrs: dict[str, str | None]
    parent: Node | None = None
    children: list[Node | str] = field(default_factory=list)

    def lang(self) -> str | None:
        """The nearest `lang` at or above this element, below <html>: the page's own language is
        checked on its own, and a page that says the wrong one still has every word read."""
        node: Node | None = self
        while node is not None and node.tag != "html":
            value = node.attrs.get("lang")
            if value is not None:
                return value
            node = node.parent
        return None

    def inside(self, tags: set[str]) -> bool:
        node: Node | None = self
        while node is not None:
            if node.tag in tags:
                return True
            node = node.parent
        return False


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.current = self.root
        self.elements: list[Node] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, dict(attrs), self.current)
        self.current.children.append(node)
        self.elements.append(node)
        if tag not in VOID:
            self.current = node

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, dict(attrs), self.current)
        self.current.children.append(node)
        self.elements.append(node)

    def handle_endtag(self, tag: str) -> None:
        node: Node | None = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data: str) -> None:
        self.current.children.append(data)


def parse(html: str) -> _TreeBuilder:
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder


def normalise(text: str) -> str:
    return " ".join(text.split())


# Where the site puts an editor's rendered Markdown (an article, a module's steps).
MARKUP_CLASSES = {"prose"}


@dataclass(frozen=True)
class Words:
    text: str  # whitespace-normalised
    where: str  # "text" or "aria-label on <button>", for the failure message
    in_markup: bool = False  # inside an element that holds rendered Markdown


@dataclass
class Page:
    html_lang: str | None
    html_dir: str | None
    words: list[Words]
    js_texts: dict[str, str] | None  # <script id="js-texts"> JSON, where a page carries its texts inline
    scripts: list[str]  # the src of every <script>: where a page loads its script texts instead


def _same_language(found: str | None, language: str) -> bool:
    if found is None:  # a fragment with no <html>: it takes the language of the page it lands in
        return True
    return found.split("-")[0].lower() == language.split("-")[0].lower()


def words_on(html: str, language: str) -> Page:
    tree = parse(html)
    words: list[Words] = []

    def walk(node: Node, in_markup: bool) -> None:
        if node.tag in HIDDEN_CONTENT or node.tag in TYPED_CONTENT:
            return
        if not _same_language(node.lang(), language):
            return
        in_markup = in_markup or bool(MARKUP_CLASSES & set((node.attrs.get("class") or "").split()))
        for name in SPOKEN_ATTRIBUTES:
            value = node.attrs.get(name)
            if value and normalise(value):
                words.append(Words(normalise(value), f"{name} on <{node.tag}>"))
        if node.tag == "input" and (node.attrs.get("type") or "").lower() in BUTTON_INPUTS:
            value = node.attrs.get("value")
            if value and normalise(value):
                words.append(Words(normalise(value), "value of a button"))
        if node.tag in ("option", "optgroup"):
            value = node.attrs.get("label")
            if value and normalise(value):
                words.append(Words(normalise(value), f"label on <{node.tag}>"))
        if node.tag == "meta" and (node.attrs.get("name") or "").lower() == "description":
            value = node.attrs.get("content")
            if value and normalise(value):
                words.append(Words(normalise(value), "page description"))
        for child in node.children:
            if isinstance(child, Node):
                walk(child, in_markup)
            elif normalise(child):
                words.append(Words(normalise(child), "text", in_markup))

    walk(tree.root, False)
    html_element = next((e for e in tree.elements if e.tag == "html"), None)
    js_texts = None
    script = next((e for e in tree.elements if e.tag == "script" and e.attrs.get("id") == "js-texts"), None)
    if script is not None:
        js_texts = json.loads("".join(c for c in script.children if isinstance(c, str)))
    return Page(
        html_lang=html_element.attrs.get("lang") if html_element else None,
        html_dir=html_element.attrs.get("dir") if html_element else None,
        words=words,
        js_texts=js_texts,
        scripts=[e.attrs.get("src") or "" for e in tree.elements if e.tag == "script" and e.attrs.get("src")],
    )


SCRIPT_TEXTS = re.compile(r"=\s*(\{.*\})\s*;?\s*$", re.DOTALL)


def script_texts_of(javascript: str) -> dict[str, str]:
    """The texts in a served script of words ("window.OPEN_DOOR_TEXTS = {...};")."""
    found = SCRIPT_TEXTS.search(javascript)
    assert found, f"no texts found in {javascript[:200]!r}"
    texts: dict[str, str] = json.loads(found.group(1))
    return texts


def markup_text(html: str) -> list[str]:
    """The text nodes of a piece of rendered Markdown (an editor's article), each normalised."""
    found: list[str] = []

    def walk(node: Node) -> None:
        for child in node.children:
            if isinstance(child, Node):
                walk(child)
            elif normalise(child):
                found.append(normalise(child))

    walk(parse(html).root)
    return found


HAS_LETTERS = re.compile(r"[^\W\d_]")
HAS_LETTERS_RUN = re.compile(r"[^\W\d_]+")


def has_words(text: str) -> bool:
    """False for numbers, times, numeric dates and punctuation: nothing there to translate."""
    return bool(HAS_LETTERS.search(text))


def word_count(text: str) -> int:
    """Words only: a token mixing letters and digits is a reference ("Message 9a3084", "Chat a96557"),
    the same in every language, not a word someone forgot to mark."""
    return len([w for w in text.split() if has_words(w) and not any(c.isdigit() for c in w)])


# --- the catalogues --------------------------------------------------------------------------------

LOCALE_DIR = Path(__file__).resolve().parents[2] / "locale"
# %(name)s, %(count)d, %s, %d: where a template or view puts a value into the sentence.
PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[sdifr]")


def _pattern(text: str) -> re.Pattern[str] | None:
    """The msgid as a pattern its filled-in sentences match, where it has enough words of its own:
    "%(chats)s of %(max_chats)s" would match any text with " of " in it."""
    if not PLACEHOLDER.search(text) or len(HAS_LETTERS_RUN.findall(PLACEHOLDER.sub(" ", text))) < 2:
        return None
    parts = PLACEHOLDER.split(text.replace("%%", "%"))
    return re.compile(".+?".join(re.escape(part) for part in parts), re.DOTALL)


@dataclass
class Entry:
    english: list[str]  # the msgid (and its plural), whitespace-normalised
    translated: list[str]  # the msgstr forms in use: empty when missing or fuzzy
    patterns: list[re.Pattern[str]]
    translated_patterns: list[re.Pattern[str]]


class Catalogue:
    """locale/<language>/LC_MESSAGES/django.po: which English words the site marks for translation
    (its msgids: the English catalogue) and what they are in `language`."""

    def __init__(self, language: str, path: Path | None = None) -> None:
        self.language = language
        self.path = path or LOCALE_DIR / language / "LC_MESSAGES" / "django.po"
        with self.path.open("rb") as po_file:
            catalogue = read_po(po_file, locale=language)
        self.exact: dict[str, list[Entry]] = {}
        self.with_placeholders: list[tuple[str, Entry]] = []
        for message in catalogue:
            if not message.id:
                continue
            ids = [message.id] if isinstance(message.id, str) else list(message.id)
            strings = [message.string] if isinstance(message.string, str) else list(message.string or ())
            english = [normalise(i) for i in ids]
            translated = [] if message.fuzzy else [normalise(s) for s in strings if s and normalise(s)]
            entry = Entry(
                english,
                translated,
                [p for p in map(_pattern, english) if p],
                [p for p in map(_pattern, translated) if p],
            )
            for text in english:
                self.exact.setdefault(text, []).append(entry)
                if entry.patterns:
                    # The literal start of the sentence: most texts are ruled out without a regex.
                    self.with_placeholders.append((PLACEHOLDER.split(text)[0], entry))

    def entries_for(self, text: str) -> list[Entry]:
        """The entries whose English this text is, word for word or with values filled in."""
        found = list(self.exact.get(text, []))
        for prefix, entry in self.with_placeholders:
            if text.startswith(prefix) and any(p.fullmatch(text) for p in entry.patterns):
                found.append(entry)
        return found

    @staticmethod
    def same_in_translation(text: str, entries: list[Entry]) -> bool:
        """The translation is these very words (a word that is the same in both languages)."""
        return any(
            text in entry.translated or any(p.fullmatch(text) for p in entry.translated_patterns)
            for entry in entries
        )
