"""Small helpers for reading pages the way a browser would."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Element:
    tag: str
    attrs: dict[str, str | None]
    ancestors: list[str] = field(default_factory=list)
    text: str = ""


class _Collector(HTMLParser):
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self.stack: list[Element] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, dict(attrs), [e.tag for e in self.stack])
        self.elements.append(element)
        if tag not in self.VOID:
            self.stack.append(element)

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index].tag == tag:
                del self.stack[index:]
                return

    def handle_data(self, data: str) -> None:
        for element in self.stack:
            element.text += data


def elements(html: str | bytes, tag: str | None = None) -> list[Element]:
    collector = _Collector()
    collector.feed(html.decode() if isinstance(html, bytes) else html)
    collector.close()
    return [e for e in collector.elements if tag is None or e.tag == tag]


def text(html: str | bytes) -> str:
    """The visible text of a page, whitespace collapsed."""
    parts = [e.text for e in elements(html, "body")]
    return " ".join(" ".join(parts).split())


def assert_sets_no_cookies(response) -> None:
    assert response.cookies == {} or not response.cookies, response.cookies
    assert "Set-Cookie" not in response.headers
