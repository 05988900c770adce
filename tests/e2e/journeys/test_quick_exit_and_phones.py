"""Leaving in a hurry, phones and error pages, in a real browser on the live stack (issue 12, points 4
and 7).

- Quick exit: after it, Back never shows a page of ours, and nothing this site kept in the browser's
  storage is left (module answers, a chat draft).
- The passphrase, shown once, is whole on a 320-pixel phone.
- A form with an error says so at its top, and the focus is taken there, with or without JavaScript.
- The header is one row on screens from 1024 pixels wide.
- /favicon.ico answers; the 404 and 500 pages carry the quick exit and break no Content Security Policy.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from resources.demo import load_demo_content
from resources.models import Exercise
from tests.e2e.chromium import CHROMIUM, CHROMIUM_ARGS

from .helpers import screenshot
from .stack import CANARY_USER_AGENT, NEUTRAL_URL
from .test_reading import press_quickly

pytestmark = pytest.mark.e2e

ANSWER = "Evenings on my own are the hardest zq12-bluebell"
ARTICLE = "/en/self-help/thoughts-are-not-actions/"
MODULE = "/en/modules/making-a-plan/"
# What chat.js keeps of an unsent message, under the prefix every key of this site shares.
DRAFT_KEY = "helpline.chat-draft"

STORED_KEYS = "() => ({session: Object.keys(sessionStorage), local: Object.keys(localStorage)})"


def back_lands_on_the_neutral_site(page: Page) -> None:
    """Press Back; whatever entry of ours it reaches must hand over to the neutral site at once."""
    page.go_back(wait_until="commit")
    page.wait_for_url(NEUTRAL_URL, timeout=5_000)
    expect(page.locator("body")).to_have_text("Weather")


# --- point 4: quick exit --------------------------------------------------------------------------


def test_after_quick_exit_back_shows_no_page_of_ours_and_nothing_stored_is_left(site, browse):
    load_demo_content()
    reflection = Exercise.objects.filter(step__module__slug="making-a-plan", kind=Exercise.Kind.REFLECTION)[0]
    reader = browse.page()

    reader.goto(site.url + ARTICLE)
    expect(reader.locator("h1")).to_contain_text("Thoughts are not actions")
    reader.click("nav[aria-label=Main] >> text=Guided modules")
    reader.click("text=Making a plan for difficult moments")
    reader.wait_for_url(site.url + MODULE)
    box = reader.locator(f"#{reflection.answer_key}-answer")
    box.fill(ANSWER)
    # A chat draft, as the chat page keeps one, in both stores (a control: the exit must clear it).
    reader.evaluate(
        "(key) => { sessionStorage.setItem(key, 'half a sentence');"
        " localStorage.setItem(key + '.kept', 'x'); }",
        DRAFT_KEY,
    )
    stored = reader.evaluate(STORED_KEYS)
    assert "helpline.module-answers.making-a-plan" in stored["session"], "the answer was kept in the tab"

    reader.click("[data-quick-exit-link]")
    reader.wait_for_url(NEUTRAL_URL)

    # Back: neither the module list nor the article comes back; each hands over to the neutral site.
    back_lands_on_the_neutral_site(reader)
    back_lands_on_the_neutral_site(reader)

    # A fresh visit to the site in the same tab: nothing of ours is stored, the answer box is empty.
    reader.goto(site.url + MODULE)
    expect(reader.locator("h1")).to_contain_text("Making a plan")
    assert reader.evaluate(STORED_KEYS) == {"session": [], "local": []}
    expect(box).to_have_value("")
    # And the site works as usual again: Back within it is ordinary navigation.
    reader.click("nav[aria-label=Main] >> text=Self-help")
    # Arrived first: Back pressed while the page is still being swapped can find no page to act on.
    reader.wait_for_url(site.url + "/en/self-help/")
    reader.go_back()
    expect(reader).to_have_url(site.url + MODULE)

    assert browse.network.containing("zq12") == []
    browse.assert_only_own_origin()


def test_with_the_back_forward_cache_on_a_page_kept_whole_is_not_shown_either(site, browser):
    """Browsers keep recent pages whole for Back (the back/forward cache), and restore them without
    loading any script again. Playwright turns that cache off; this test turns it back on."""
    load_demo_content()
    with_cache = browser.browser_type.launch(
        executable_path=str(CHROMIUM),
        args=CHROMIUM_ARGS,
        ignore_default_args=["--disable-back-forward-cache"],
    )
    try:
        context = with_cache.new_context(user_agent=CANARY_USER_AGENT)
        context.route(
            NEUTRAL_URL + "**",
            lambda route: route.fulfill(status=200, content_type="text/html", body="<p>Weather</p>"),
        )
        reader = context.new_page()
        reader.goto(site.url + ARTICLE)
        reader.evaluate("window.keptWhole = true")
        reader.click("nav[aria-label=Main] >> text=Guided modules")
        # The control: Back within the site brings the article back whole, from that cache.
        reader.go_back(wait_until="commit")
        expect(reader).to_have_url(site.url + ARTICLE)
        expect(reader.locator("h1")).to_be_visible()
        assert reader.evaluate("window.keptWhole === true"), "the back/forward cache is on"

        reader.click("nav[aria-label=Main] >> text=Guided modules")
        reader.wait_for_url(site.url + "/en/modules/")
        reader.click("[data-quick-exit-link]")
        reader.wait_for_url(NEUTRAL_URL)
        back_lands_on_the_neutral_site(reader)
    finally:
        with_cache.close()


def test_quick_exit_by_keyboard_also_clears_and_leaves_no_way_back(site, browse):
    load_demo_content()
    reader = browse.page()
    reader.goto(site.url + "/en/self-help/")
    reader.click("text=Thoughts are not actions: making choices that keep children safe")
    expect(reader.locator("h1")).to_contain_text("Thoughts are not actions")
    reader.evaluate("(key) => sessionStorage.setItem(key, 'half a sentence')", DRAFT_KEY)
    press_quickly(reader, "Escape", 2)
    back_lands_on_the_neutral_site(reader)
    reader.goto(site.url + "/en/")
    assert reader.evaluate(STORED_KEYS) == {"session": [], "local": []}


# --- point 7: phones and errors -------------------------------------------------------------------

FITS = """(selector) => {
    const el = document.querySelector(selector);
    const box = el.getBoundingClientRect();
    return {left: box.left, right: box.right, viewport: innerWidth,
            clipped: el.scrollHeight > el.clientHeight + 1 || el.scrollWidth > el.clientWidth + 1,
            pageWidth: document.scrollingElement.scrollWidth};
}"""


def test_the_passphrase_is_whole_on_a_320_pixel_phone(site, browse):
    seeker = browse.page(width=320, height=640)
    seeker.goto(site.url + "/en/messages/")
    seeker.fill("#secure-body", "I would rather write than chat.")
    seeker.click("button:has-text('Send message')")
    expect(seeker.locator("h1")).to_have_text("Your message has been sent")

    passphrase = seeker.locator("#passphrase").input_value().strip()
    assert len(passphrase.split()) == 6
    fit = seeker.evaluate(FITS, "#passphrase")
    assert fit["left"] >= 0 and fit["right"] <= fit["viewport"] == 320, fit
    assert not fit["clipped"], f"part of the passphrase is hidden in its box: {fit}"
    assert fit["pageWidth"] <= 320, "the page scrolls sideways"

    seeker.locator("#passphrase-heading").scroll_into_view_if_needed()
    seeker.evaluate("document.getElementById('passphrase-heading').scrollIntoView()")
    screenshot(seeker, "secure-passphrase-phone", top=False)


FOCUS_AND_PLACE = """(fieldSelector) => {
    const focused = document.activeElement;
    const field = document.querySelector(fieldSelector);
    const form = field.form;
    const box = focused.getBoundingClientRect();
    const links = Array.from(focused.querySelectorAll("a[href]")).map(a => a.getAttribute("href"));
    const firstControl = form.querySelector("input:not([type=hidden]), select, textarea, button");
    return {
        tag: focused.tagName.toLowerCase(),
        text: (focused.innerText || "").trim(),
        inForm: form.contains(focused),
        beforeFields: Boolean(firstControl && (focused.compareDocumentPosition(firstControl)
                                               & Node.DOCUMENT_POSITION_FOLLOWING)),
        inViewport: box.top >= 0 && box.bottom <= innerHeight && box.height > 0,
        links: links,
    };
}"""


def assert_error_summary_focused(page: Page, error: str, field: str, says: str) -> dict[str, Any]:
    """`error`: the element with the error's words (on the starting commit too), to know the page is in."""
    expect(page.locator(error)).to_be_visible()
    # The focus moves as the page is first drawn: allow it a moment. (Not wait_for_function: under the
    # pages' Content Security Policy its polling cannot evaluate code.)
    for _ in range(30):
        if page.evaluate("() => document.activeElement !== document.body"):
            break
        page.wait_for_timeout(100)
    state = page.evaluate(FOCUS_AND_PLACE, field)
    assert state["tag"] != "body", "nothing was focused: the error may be out of sight"
    assert says in state["text"], state
    assert state["inForm"] and state["beforeFields"], f"the error is not at the top of its form: {state}"
    assert state["inViewport"], f"the focused error is not on the screen: {state}"
    assert field in state["links"], f"the error does not link to its field: {state}"
    return state


@pytest.mark.parametrize("javascript", [True, False], ids=["with JavaScript", "without JavaScript"])
def test_a_wrong_passphrase_is_said_at_the_top_of_its_form_and_focused(site, browse, javascript):
    seeker = browse.page(javascript=javascript, width=390, height=740)
    seeker.goto(site.url + "/en/messages/")
    seeker.fill("#return-passphrase", "not the right words at all")
    seeker.click("button:has-text('Open my conversation')")
    assert_error_summary_focused(seeker, "#open-error", "#return-passphrase", "did not open a conversation")

    # The link in the summary takes the person to the field, ready to type again.
    seeker.click("[data-error-summary] a[href='#return-passphrase']")
    expect(seeker.locator("#return-passphrase")).to_be_focused()


@pytest.mark.parametrize("javascript", [True, False], ids=["with JavaScript", "without JavaScript"])
def test_an_empty_message_is_said_at_the_top_of_its_form_and_focused(site, browse, javascript):
    seeker = browse.page(javascript=javascript, width=390, height=740)
    seeker.goto(site.url + "/en/messages/")
    seeker.click("button:has-text('Send message')")
    assert_error_summary_focused(seeker, "#new-error", "#secure-body", "")


HEADER_ROW = """() => {
    const top = (sel) => { const r = document.querySelector(sel).getBoundingClientRect();
                           return {top: r.top, bottom: r.bottom, left: r.left, right: r.right}; };
    return {
        header: top(".site-header > .wrap"), languages: top(".language-switch"),
        exit: top("[data-quick-exit-link]"), name: top(".site-name"),
        nav: top(".site-nav"), search: top(".site-search"),
        pageWidth: document.scrollingElement.scrollWidth,
    };
}"""


@pytest.mark.parametrize("width", [1024, 1280, 1920])
def test_the_header_is_one_row_on_screens_from_1024_pixels(site, browse, width):
    page = browse.page(width=width)
    for path in ("/", "/en/browse-safely/"):  # the second marks its own link in bold
        page.goto(site.url + path)
        row = page.evaluate(HEADER_ROW)
        assert row["header"]["bottom"] < 80, (
            f"{path} at {width} px: the header ends at {row['header']['bottom']} px"
        )
        for part in ("exit", "name", "nav", "search"):
            assert row[part]["bottom"] <= row["header"]["bottom"] + 1, (path, width, part, row)
        # The language switch is one short row of its own just below, not a second row of the masthead.
        assert row["header"]["bottom"] - 1 <= row["languages"]["top"], (path, width, row)
        assert row["languages"]["bottom"] - row["languages"]["top"] < 40, (path, width, row)
        assert row["exit"]["right"] <= width and row["pageWidth"] <= width, (path, width, row)


def test_favicon_answers_and_every_page_names_its_icon(site, browse):
    page = browse.page()
    failed: list[str] = []
    page.on("response", lambda response: failed.append(response.url) if response.status >= 400 else None)
    for path in ("/", "/staff/login/"):
        page.goto(site.url + path)
        icon = page.locator("link[rel=icon]").first.get_attribute("href")
        assert icon and icon.startswith("/static/"), path
        answer = page.request.get(site.url + icon)
        assert answer.status == 200 and answer.headers["content-type"].startswith("image/"), icon
    favicon = page.request.get(site.url + "/favicon.ico")
    assert favicon.status == 200, favicon.status
    assert favicon.headers["content-type"].startswith("image/")
    assert failed == []


def test_the_not_found_page_carries_the_quick_exit_and_keeps_the_policy(site, browse):
    page = browse.page()
    for path in ("/no-such-page/", "/en/self-help/no-such-article/"):
        response = page.goto(site.url + path)
        assert response is not None and response.status == 404, path
        expect(page.locator("h1")).to_have_text("We could not find that page")
        expect(page.locator("[data-quick-exit-link]")).to_be_visible()
    page.keyboard.press("Escape")
    page.keyboard.press("Escape")  # the quick exit's script runs on this page too
    page.wait_for_url(NEUTRAL_URL)
    browse.assert_only_own_origin()  # no console line about the Content Security Policy


def test_the_server_error_page_carries_the_quick_exit_and_keeps_the_policy(site, browse, client, settings):
    # The stack has no failing view; the test process renders the real 500 (headers and all) through
    # Django, and the browser is given exactly that at an address of the site.
    settings.ROOT_URLCONF = "tests.config.urls_for_errors"
    settings.QUICK_EXIT_URL = NEUTRAL_URL  # as the stack is configured
    client.raise_request_exception = False
    failed = client.get("/test-broken/")
    assert failed.status_code == 500
    headers = {k: v for k, v in failed.headers.items() if k.lower() != "content-length"}
    page = browse.page()
    page.route(
        site.url + "/test-broken/",
        lambda route: route.fulfill(status=500, headers=headers, body=failed.content),
    )
    page.goto(site.url + "/test-broken/")
    expect(page.locator("h1")).to_have_text("Something went wrong on our side")
    page.click("[data-quick-exit-link]")
    page.wait_for_url(NEUTRAL_URL)
    browse.assert_only_own_origin()


CROWDED_HEADER = """() => {
    const exit = document.querySelector("[data-quick-exit-link]");
    const q = exit.getBoundingClientRect();
    const problems = [];
    if (exit.scrollWidth > exit.clientWidth + 1) problems.push("the quick exit's words spill out of it");
    for (const el of document.querySelectorAll(".site-header a, .site-header button, .site-header input")) {
        const r = el.getBoundingClientRect();
        if (!r.width || !r.height) continue;
        if (r.left < q.right && q.left < r.right && r.top < q.bottom && q.top < r.bottom) {
            problems.push("under the quick exit: " + (el.textContent.trim() || el.tagName));
        }
        if (el.scrollWidth > el.clientWidth + 1) problems.push("cut short: " + el.textContent.trim());
    }
    if (document.scrollingElement.scrollWidth > innerWidth) problems.push("the page scrolls sideways");
    return problems;
}"""


@pytest.mark.parametrize("width", [1024, 1280])
def test_in_every_language_the_header_keeps_clear_of_the_quick_exit(site, browse, width):
    """Longer words ("Sortie rapide", "Naviguer en sécurité") take more room than English: the search may
    move to a second row and the quick exit to two lines, but nothing is covered or cut short."""
    page = browse.page(width=width)
    found = {}
    for language, _name in settings.LANGUAGES:
        page.goto(f"{site.url}/{language}/chat/")
        problems = page.evaluate(CROWDED_HEADER)
        if problems:
            found[language] = problems
    assert found == {}
