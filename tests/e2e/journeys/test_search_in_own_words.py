"""A seeker searches the library in their own words, on a small phone with JavaScript off (issue 12,
point 6): a sentence finds the pages it needs, "my husband" also looks for the library's own word
("partner") and says so, and a search of only very common words asks, kindly, for other words. The
results page passes axe-core. tests/resources/test_search_sentences.py checks the searches in detail,
on PostgreSQL and on SQLite."""

from __future__ import annotations

import importlib

import pytest
from playwright.sync_api import Page, expect

from resources.demo import load_demo_content
from resources.search_synonyms import SearchSynonym

from .helpers import screenshot
from .stack import ROOT

pytestmark = pytest.mark.e2e

AXE = ROOT / "var" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
RUN_AXE = """async (tags) => {
    const result = await axe.run(document, {runOnly: {type: "tag", values: tags}});
    return result.violations.map(v => `${v.id} (${v.impact}): ${v.nodes.map(n => n.target.join(" "))}`);
}"""
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


def _starter_synonyms() -> None:
    """The migration's starter list: each journey starts from an emptied database."""
    migration = importlib.import_module("resources.migrations.0005_starter_search_synonyms")
    if not SearchSynonym.objects.exists():
        SearchSynonym.objects.bulk_create(
            SearchSynonym(terms=terms, also_means=also) for terms, also in migration.STARTER_SYNONYMS
        )


def _search(page: Page, words: str) -> None:
    page.fill("#search-q", words)
    page.click("form.search-form button[type=submit]")
    page.wait_for_load_state("load")


def _fits(page: Page, selector: str, width: int) -> None:
    for index in range(page.locator(selector).count()):
        box = page.locator(selector).nth(index).bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width, (selector, box)


def test_a_seeker_on_a_phone_without_javascript_searches_in_their_own_words(site, browse):
    load_demo_content()
    _starter_synonyms()
    seeker = browse.page(javascript=False, width=320, height=640)

    seeker.goto(site.url + "/en/")
    seeker.fill("#site-search-q", "I'm worried about my thoughts")
    seeker.press("#site-search-q", "Enter")
    seeker.wait_for_url("**/search/?q=*")
    reading = seeker.locator("[aria-labelledby=results-reading] .results")
    expect(reading).to_contain_text("You are not alone: unwanted thoughts and what they mean")
    expect(reading).to_contain_text("Thoughts are not actions")

    _search(seeker, "my husband")
    expect(seeker.locator("[role=status]")).to_contain_text(
        "Also showing results for: partner, someone you love, someone close to you."
    )
    expect(reading.locator("h3").first).to_have_text("When someone you love is worrying you")
    expect(seeker.locator("#search-q")).to_have_value("my husband")
    _fits(seeker, "[role=status] p, .results .card", 320)
    screenshot(seeker, "search-own-words-phone", full_page=True)

    _search(seeker, "I am not")
    expect(seeker.locator("[role=status]")).to_contain_text("Try other words")

    browse.assert_only_own_origin()


def test_the_results_page_with_added_words_passes_axe(site, browse):
    if not AXE.exists():
        pytest.skip("axe-core is not installed: run `bash .ci/axe.sh`")
    load_demo_content()
    _starter_synonyms()
    page = browse.page(bypass_csp=True, width=320, height=640)  # bypass only so axe can be injected
    problems = {}
    for query in ("paedophile", "I am not", "zzzz"):
        page.goto(site.url + "/en/search/?q=" + query)
        page.wait_for_load_state("load")
        page.add_script_tag(path=str(AXE))
        violations = page.evaluate(RUN_AXE, AXE_TAGS)
        if violations:
            problems[query] = violations
    assert problems == {}
