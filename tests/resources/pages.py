"""Small helpers for reading pages the way a browser would."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass(eq=False)
class Element:
    tag: str
    attrs: dict[str, str | None]
    parents: list[Element] = field(default_factory=list, repr=False)
    text: str = ""

    @property
    def ancestors(self) -> list[str]:
        return [parent.tag for parent in self.parents]


class _Collector(HTMLParser):
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self.stack: list[Element] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, dict(attrs), list(self.stack))
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
    assert not response.cookies, response.cookies
    assert "Set-Cookie" not in response.headers


def form_fields(html: str | bytes, form_id: str) -> dict[str, list[str]]:
    """What a browser would submit from the form with this id, before anyone types anything."""
    data: dict[str, list[str]] = {}
    select: str | None = None
    for element in elements(html):
        if not any(p.tag == "form" and p.attrs.get("id") == form_id for p in element.parents):
            continue
        name = element.attrs.get("name")
        if element.tag == "input" and name:
            kind = element.attrs.get("type") or "text"
            if kind in ("submit", "button", "file", "image"):
                continue
            if kind in ("checkbox", "radio") and "checked" not in element.attrs:
                continue
            data.setdefault(name, []).append(
                element.attrs.get("value") or ("on" if kind == "checkbox" else "")
            )
        elif element.tag == "textarea" and name:
            data.setdefault(name, []).append(element.text.removeprefix("\n"))
        elif element.tag == "select" and name:
            select = name
            data.setdefault(name, [])
        elif element.tag == "option" and select and "selected" in element.attrs:
            data[select].append(element.attrs.get("value") or "")
    return data
