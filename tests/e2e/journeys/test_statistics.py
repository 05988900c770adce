"""Statistics in a real browser: a supervisor with scripts off chooses "By month" and then Dutch by plain
links, reads a table where small counts say "fewer than 5" and the cells that would give them away say
"not shown", downloads the same cells as a spreadsheet, and on a 320-pixel phone the wide table
scrolls inside its box while the page itself does not. axe-core finds nothing on the page."""

from __future__ import annotations

import csv
import io
import random
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from helpline.models import DailyCount
from helpline.stats import figures, tallies

from .helpers import make_staff_member, screenshot, sign_in
from .stack import ROOT
from .test_accessibility import AXE, audit

pytestmark = pytest.mark.e2e


def seed_a_year_in_languages() -> None:
    """A small service's year: English busy, Dutch quiet enough for small counts."""
    dice = random.Random(16)
    today = tallies.service_date(timezone.now())
    counts: dict = {}
    for back in range(370):
        day = today - timedelta(days=back)
        for code, scale in (("en", 6), ("nl", 1), ("ar", 0)):
            answered = dice.randint(0, 2) * scale
            values = {
                tallies.CHATS_ANSWERED: answered,
                tallies.CHATS_ABANDONED: dice.choice((0, 0, 0, 1)) * max(scale, 1),
                tallies.TURNED_AWAY_CLOSED: dice.choice((0, 1, 2)) * max(scale, 1),
                tallies.wait_answered("0-1m"): answered,
            }
            values[tallies.CHATS_STARTED] = answered + values[tallies.CHATS_ABANDONED]
            for name, value in values.items():
                for counted in (name, tallies.language_name(code, name)):
                    counts[(day, counted)] = counts.get((day, counted), 0) + value
    DailyCount.objects.bulk_create(
        [DailyCount(day=day, name=name, value=value) for (day, name), value in counts.items() if value]
    )


def test_a_supervisor_reads_the_months_in_dutch_without_scripts_and_downloads_them(site, browse):
    seed_a_year_in_languages()
    alex = make_staff_member("alex", "Alex", supervisor=True)
    page = browse.page(javascript=False)
    sign_in(page, site.url, alex, then="/staff/stats/")
    expect(page.locator("h1")).to_have_text("Who we answered, and who we missed")

    page.click("nav.stats-period a:has-text('By month')")
    expect(page.locator("#periods-title")).to_have_text("By month")
    page.click("nav.stats-period a:has-text('Dutch')")
    assert "by=month" in page.url and "language=nl" in page.url
    expect(page.locator("#summary-title")).to_contain_text("chats in Dutch")
    table = page.locator("section[aria-labelledby=periods-title] table")
    expect(table.locator("tbody tr")).to_have_count(12 + 1)  # twelve months and all of them
    expect(table.locator("tbody tr").first).to_contain_text("(so far)")
    cells = table.locator("tbody td")
    shown = [cells.nth(n).inner_text() for n in range(cells.count())]
    assert "fewer than 5" in shown

    # The spreadsheet has the same cells, oldest month first, the total last.
    with page.expect_download() as download:
        page.click("a:has-text('as a spreadsheet (CSV)')")
    path = download.value.path()
    assert path is not None
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    assert rows[0][:4] == ["row", "first", "last", "complete"] and len(rows) == 1 + 12 + 1
    measures = len(figures.MEASURE_KEYS)
    on_page = [
        [table.locator("tbody tr").nth(r).locator("td").nth(c).inner_text() for c in range(measures)]
        for r in range(13)
    ]
    as_page = {"<5": "fewer than 5", "x": "not shown"}
    in_file = [
        [as_page[cell] if cell in as_page else f"{int(cell):,}" for cell in row[4:]] for row in rows[1:]
    ]
    assert on_page == [*reversed(in_file[:-1]), in_file[-1]]

    # On a phone the wide table scrolls inside its box; the page does not scroll sideways.
    phone = browse.page(javascript=False, width=320, height=640)
    sign_in(phone, site.url, make_staff_member("kim", "Kim", supervisor=True), then="/staff/stats/")
    box = phone.locator("section[aria-labelledby=periods-title] .table-scroll")
    assert box.evaluate("el => el.scrollWidth > el.clientWidth")
    assert phone.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(phone, "stats-phone")
    browse.assert_only_own_origin()


def test_the_statistics_page_passes_axe(site, browse):
    if not AXE.exists():
        pytest.skip(f"axe-core is not installed under {ROOT / 'var'}: run `bash .ci/axe.sh`")
    seed_a_year_in_languages()
    alex = make_staff_member("alex", "Alex", supervisor=True)
    page = browse.page(bypass_csp=True)
    sign_in(page, site.url, alex, then="/staff/stats/")
    for query in ("?by=day", "?by=week&language=nl", "?by=month"):
        page.goto(site.url + "/staff/stats/" + query)
        assert audit(page) == [], query
