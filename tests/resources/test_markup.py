"""Markdown is rendered to a small safe subset of HTML: nothing an editor writes can run or phone out."""

import pytest

from resources.markup import is_site_relative, reading_minutes, render_markdown
from tests.resources.pages import elements


def _tags(html: str) -> set[str]:
    return {e.tag for e in elements(html)}


def _attributes(html: str) -> set[str]:
    return {name for e in elements(html) for name in e.attrs}


def test_script_tags_are_not_markup():
    html = render_markdown("Hello <script>alert('x')</script> there")
    assert "script" not in _tags(html)
    assert "<script" not in html


def test_raw_html_blocks_are_shown_as_text_not_markup():
    html = render_markdown('<div class="x"><iframe src="https://example.org"></iframe></div>\n\nAfter.')
    assert _tags(html) <= {"p"}
    assert "&lt;iframe" in html


def test_event_handler_attributes_never_reach_the_page():
    html = render_markdown('<img src="/static/a.png" onerror="alert(1)">\n\n<a href="/" onclick="x()">a</a>')
    assert not {a for a in _attributes(html) if a.startswith("on")}


def test_javascript_links_lose_their_target():
    html = render_markdown("[click](javascript:alert(1))")
    assert [e.attrs.get("href") for e in elements(html, "a")] == [None]


def test_ordinary_links_are_kept_and_leak_no_referrer():
    html = render_markdown("[talk to us](/chat/) and [a guide](https://example.org/guide)")
    links = elements(html, "a")
    assert [a.attrs["href"] for a in links] == ["/en/chat/", "https://example.org/guide"]
    assert all(a.attrs["rel"] == "noopener noreferrer" for a in links)


def test_images_from_this_site_are_kept():
    html = render_markdown("![A calm lake](/static/img/lake.jpg)")
    assert [(e.attrs["src"], e.attrs["alt"]) for e in elements(html, "img")] == [
        ("/static/img/lake.jpg", "A calm lake")
    ]


@pytest.mark.parametrize(
    "src",
    [
        "https://tracker.example/pixel.gif",
        "http://tracker.example/pixel.gif",
        "//tracker.example/pixel.gif",
        "/\\tracker.example/pixel.gif",
        "data:image/png;base64,AAAA",
        "javascript:alert(1)",
        "img/relative.png",
    ],
)
def test_images_from_anywhere_else_are_removed(src):
    html = render_markdown(f"Before ![pixel]({src}) after")
    assert elements(html, "img") == []
    assert "tracker.example" not in html


def test_reference_style_external_images_are_removed_too():
    html = render_markdown("![pixel][p]\n\n[p]: https://tracker.example/p.gif")
    assert elements(html, "img") == []


def test_headings_start_below_the_page_title_and_keep_their_order():
    html = render_markdown("# Top\n\n## Next\n\n#### Deeper")
    assert [e.tag for e in elements(html) if e.tag.startswith("h")] == ["h2", "h3", "h5"]
    nested = render_markdown("## Top\n\n### Next", first_heading=3)
    assert [e.tag for e in elements(nested) if e.tag.startswith("h")] == ["h3", "h4"]


def test_lists_emphasis_and_quotes_survive():
    html = render_markdown("- one\n- **two**\n\n> a quote\n\n1. first")
    assert {"ul", "li", "strong", "blockquote", "ol"} <= _tags(html)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/static/a.png", True),
        ("/a b.png", True),
        ("//x.example/a.png", False),
        ("https://x/a", False),
        ("a.png", False),
    ],
)
def test_is_site_relative(url, expected):
    assert is_site_relative(url) is expected


def test_reading_time_is_at_least_a_minute_and_rounds_up():
    assert reading_minutes("") == 1
    assert reading_minutes("word " * 200) == 1
    assert reading_minutes("word " * 201) == 2


@pytest.mark.django_db
def test_saving_a_resource_renders_and_sanitises_its_body(make_resource):
    resource = make_resource(
        body="Hi <script>alert(1)</script> ![x](https://tracker.example/p.gif) **there**"
    )
    assert "<strong>there</strong>" in resource.body_html
    assert "<script" not in resource.body_html
    assert "tracker.example" not in resource.body_html
    resource.body = "Changed"
    resource.save(update_fields=["body"])
    resource.refresh_from_db()
    assert resource.body_html == "<p>Changed</p>"
