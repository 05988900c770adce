"""Editors write Markdown; readers get a small, safe subset of HTML.

Raw HTML in the Markdown is never interpreted (it shows as text), the rendered HTML is sanitised
again with nh3, and images are kept only when they come from this site: an external image would be
a request to a third party from a seeker's browser.

Editors link to the site's pages without a language (/chat/, /self-help/coping-with-shame/): those
links get the language prefix (/nl/chat/) as the Markdown is rendered, in the text's own language,
and `localise_links` points them at the reader's language again when a page is shown, so a text
shown as the fallback on a Dutch page still leads to the Dutch chat.
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as etree
from urllib.parse import urlsplit

import markdown
import nh3
from django.conf import settings
from django.urls import Resolver404, resolve
from django.utils import translation
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

ALLOWED_TAGS = {
    "p",
    "br",
    "hr",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "strong",
    "em",
    "a",
    "ul",
    "ol",
    "li",
    "blockquote",
    "code",
    "pre",
    "img",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "dl",
    "dt",
    "dd",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "th": {"align"},
    "td": {"align"},
}
LINK_SCHEMES = {"http", "https", "mailto"}
WORDS_PER_MINUTE = 200
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}


def is_site_relative(url: str) -> bool:
    """True for a path on this site ("/static/x.png"), false for anything that names a host or scheme."""
    url = url.strip()
    if not url.startswith("/") or url.startswith("//") or "\\" in url:
        return False
    parts = urlsplit(url)
    return not parts.scheme and not parts.netloc


class _ReaderSafeTree(Treeprocessor):
    def __init__(self, md: markdown.Markdown, first_heading: int) -> None:
        super().__init__(md)
        self.first_heading = first_heading

    def run(self, root: etree.Element) -> None:
        # The body's top heading level sits just below the page's own (the title is the only h1),
        # whether the editor wrote "#" or "##", so headings keep their order for screen readers.
        levels = [int(e.tag[1]) for e in root.iter() if e.tag in _HEADINGS]
        if levels:
            shift = self.first_heading - min(levels)
            for heading in [e for e in root.iter() if e.tag in _HEADINGS]:
                heading.tag = f"h{max(1, min(6, int(heading.tag[1]) + shift))}"
        for parent in list(root.iter()):
            for child in list(parent):
                if child.tag == "img" and not is_site_relative(child.get("src", "")):
                    parent.remove(child)


class _ReaderSafeExtension(Extension):
    def __init__(self, first_heading: int) -> None:
        super().__init__()
        self.first_heading = first_heading

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        # Raw HTML is escaped instead of passed through: editors cannot inject markup at all.
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.treeprocessors.register(_ReaderSafeTree(md, self.first_heading), "reader_safe", 0)


def _keep_safe_attribute(tag: str, attribute: str, value: str) -> str | None:
    if tag == "img" and attribute == "src" and not is_site_relative(value):
        return None
    return value


def render_markdown(text: str, *, first_heading: int = 2, language: str | None = None) -> str:
    """Markdown to sanitised HTML for the public pages; `# Heading` becomes <h{first_heading}>.

    Links to the site's own pages lead to them in `language` (by default the active language)."""
    html = markdown.markdown(
        text or "",
        extensions=["tables", "sane_lists", "def_list", _ReaderSafeExtension(first_heading)],
        output_format="html",
    )
    html = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_keep_safe_attribute,
        url_schemes=LINK_SCHEMES,
        link_rel="noopener noreferrer",
    )
    return localise_links(html, language or translation.get_language() or settings.LANGUAGE_CODE)


_WORD = re.compile(r"\w+")


def reading_minutes(*texts: str) -> int:
    words = sum(len(_WORD.findall(text or "")) for text in texts)
    return max(1, math.ceil(words / WORDS_PER_MINUTE))


_SITE_LINK = re.compile(r'href="(/[^"]*)"')


def _resolves(path: str, language: str) -> bool:
    with translation.override(language):
        try:
            resolve(path)
        except Resolver404:
            return False
    return True


def _prefixed(path: str, language: str) -> str | None:
    """The path under /<language>/ if it is a page of this site that lives in every language,
    written without a prefix or with another language's; else None (leave the link alone)."""
    if not is_site_relative(path):
        return None
    bare = urlsplit(path).path
    if _resolves(bare, language):
        return None  # a page without a language prefix (/chat/session/…), or already this language's
    first, _slash, rest = bare[1:].partition("/")
    if first in dict(settings.LANGUAGES) and _slash:
        # Another language's page (/en/chat/ in a text shown on a Dutch page): the same page in ours.
        if _resolves(f"/{language}/{rest}", language):
            return f"/{language}/{path[len(first) + 2 :]}"
        return None
    if _resolves(f"/{language}{bare}", language):
        return f"/{language}{path}"
    return None  # not a page at all (/static/…)


def localise_links(html: str, language: str) -> str:
    """Links in rendered Markdown to this site's pages, pointed at those pages in `language`."""

    def replace(match: re.Match[str]) -> str:
        prefixed = _prefixed(match.group(1).replace("&amp;", "&"), language)
        return match.group(0) if prefixed is None else f'href="{prefixed.replace("&", "&amp;")}"'

    return _SITE_LINK.sub(replace, html)
