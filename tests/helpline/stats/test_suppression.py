"""Suppression: 0 is "0", 1..4 is "fewer than 5", 5 is "5"; a total with exactly one hidden part gets a
second part withheld ("not shown", never "fewer than 5"), again and again until no sum gives a hidden
cell away; charts draw zero flat, small counts hatched to the threshold line, withheld ones as an empty
frame that says nothing about their size."""

import re
from typing import Any

from helpline.stats import charts, figures
from helpline.stats.figures import SHOWN, SMALL, WITHHELD, Figure, suppress


def test_zero_is_zero_small_is_fewer_than_five_and_five_is_five():
    assert Figure(0, 5).text == "0" and not Figure(0, 5).hidden
    assert Figure(3, 5).text == "fewer than 5" and Figure(3, 5).small
    assert Figure(5, 5).text == "5" and not Figure(5, 5).hidden
    assert Figure(1234, 5).text == "1,234"
    assert Figure(40, 5, withheld=True).text == "not shown" and not Figure(40, 5, withheld=True).small
    assert [Figure(v, 5, w).mark for v, w in ((0, False), (3, False), (5, False), (40, True))] == [
        "0",
        "<5",
        "5",
        "x",
    ]


def test_a_shown_total_with_one_hidden_part_gets_its_smallest_other_part_withheld():
    values = {"missed": 60, "abandoned": 3, "closed": 0, "turned_away": 40, "full": 17}
    status = suppress(values, [("missed", ("abandoned", "closed", "turned_away", "full"))], 5)
    assert status == {
        "missed": SHOWN,
        "abandoned": SMALL,
        "closed": SHOWN,  # zero is never hidden: it gives nothing away
        "turned_away": SHOWN,
        "full": WITHHELD,  # the smallest other non-zero part
    }


def test_two_hidden_parts_need_nothing_more():
    values = {"total": 10, "a": 3, "b": 2, "c": 5}
    assert suppress(values, [("total", ("a", "b", "c"))], 5) == {
        "total": SHOWN,
        "a": SMALL,
        "b": SMALL,
        "c": SHOWN,
    }


def test_a_cell_withheld_for_one_sum_is_protected_in_the_others_too():
    # Rows: a day's missed = its parts. Columns: the range's figure for each part = the days'.
    values = {
        ("mon", "missed"): 20,
        ("mon", "a"): 2,
        ("mon", "b"): 18,
        ("tue", "missed"): 30,
        ("tue", "a"): 0,
        ("tue", "b"): 30,
        ("range", "a"): 2,
        ("range", "b"): 48,
    }
    groups = [
        (("mon", "missed"), (("mon", "a"), ("mon", "b"))),
        (("tue", "missed"), (("tue", "a"), ("tue", "b"))),
        (("range", "a"), (("mon", "a"), ("tue", "a"))),
        (("range", "b"), (("mon", "b"), ("tue", "b"))),
    ]
    status = suppress(values, groups, 5)
    # mon.b goes for Monday's row; then the column "b" has one hidden cell, so tue.b goes; then
    # Tuesday's row has one hidden cell, and its total goes too (no other part is left).
    assert status[("mon", "b")] == WITHHELD
    assert status[("tue", "b")] == WITHHELD
    assert status[("tue", "missed")] == WITHHELD
    assert recovered(values, status, groups) == {}


def test_a_hidden_total_with_every_part_shown_gets_a_part_withheld():
    # "all" is withheld for the first sum (the range = all + a small other); then the languages
    # would add up to it, so one of them is withheld too.
    values = {"range": 45, "all": 42, "other": 3, "nl": 30, "en": 12}
    groups = [("range", ("all", "other")), ("all", ("nl", "en"))]
    status = suppress(values, groups, 5)
    assert status == {"range": SHOWN, "all": WITHHELD, "other": SMALL, "nl": SHOWN, "en": WITHHELD}
    assert recovered(values, status, groups) == {}


def recovered(values, status, groups) -> dict:
    """What a reader could work out by subtraction: solve every sum with exactly one unknown, again
    and again. Returns {cell: value} for every hidden cell found."""
    known: dict[Any, Any] = {
        cell: (value if status[cell] == SHOWN else None) for cell, value in values.items()
    }
    found = {}
    changed = True
    while changed:
        changed = False
        for total, parts in groups:
            unknown = [cell for cell in (total, *parts) if known[cell] is None]
            if len(unknown) != 1:
                continue
            cell = unknown[0]
            if cell == total:
                value = sum(known[p] for p in parts)
            else:
                value = known[total] - sum(known[p] for p in parts if p != cell)
            known[cell] = found[cell] = value
            changed = True
    return found


def test_without_complementary_suppression_the_checker_finds_the_small_count():
    # The checker must be able to fail: primary suppression alone gives the 3 away.
    values = {"missed": 60, "abandoned": 3, "closed": 0, "turned_away": 40, "full": 17}
    groups = [("missed", ("abandoned", "closed", "turned_away", "full"))]
    primary = {cell: SMALL if 0 < v < 5 else SHOWN for cell, v in values.items()}
    assert recovered(values, primary, groups) == {"abandoned": 3}
    assert recovered(values, suppress(values, groups, 5), groups) == {}


# --- charts ---------------------------------------------------------------------------------------


def test_chart_bars_zero_flat_small_hatched_at_the_threshold_withheld_as_an_empty_frame():
    chart = charts.bar_chart(
        "Missed",
        ["Missed"],
        [
            (("zero",), (Figure(0, 5),)),
            (("small",), (Figure(3, 5),)),
            (("five",), (Figure(5, 5),)),
            (("big",), (Figure(40, 5),)),
            (("withheld",), (Figure(7, 5, withheld=True),)),
        ],
    )
    zero, small, five, big, withheld = chart.bars
    assert zero.height == 0 and zero.label_lines == ("0",) and not zero.hidden
    assert small.hidden and small.y == chart.threshold_y and small.label_lines == ("fewer", "than 5")
    assert not five.hidden and five.y == chart.threshold_y  # 5 is drawn at 5, like "fewer than 5" is
    assert big.height > five.height
    # The withheld count is not drawn at 7, nor at the threshold: an empty frame the plot's height.
    assert withheld.withheld and not withheld.hidden
    assert withheld.y == charts.TOP and withheld.y != chart.threshold_y
    assert withheld.label_lines == ("not", "shown")
    assert "7" not in withheld.title and withheld.title.endswith("not shown")
    assert chart.any_withheld and chart.any_small


def test_a_chart_scale_is_never_set_by_a_hidden_count():
    chart = charts.bar_chart(
        "Volume", ["Started"], [(("a",), (Figure(900, 5, withheld=True),)), (("b",), (Figure(20, 5),))]
    )
    assert max(int(tick.text.replace(",", "")) for tick in chart.ticks) < 900


def test_the_page_draws_withheld_bars_in_their_own_style():
    from django.template.loader import render_to_string

    chart = charts.bar_chart("Missed", ["Missed"], [(("w",), (Figure(40, 5, withheld=True),))])
    html = render_to_string(
        "helpline/stats/_bar_chart.html", {"chart": chart, "chart_id": "t", "threshold": 5}
    )
    bar = re.search(r'<rect class="chart__bar[^"]*"[^>]*>', html)
    assert bar is not None and "chart__bar--withheld" in bar.group(0) and "hatch" not in bar.group(0)
    assert ">not</tspan>" in html and ">shown</tspan>" in html
    assert "hidden so that a small number cannot be worked out from the totals" in html


def test_shares_only_when_both_numbers_are_shown():
    assert figures.share(Figure(41, 5), Figure(50, 5)) == "82%"
    assert figures.share(Figure(3, 5), Figure(50, 5)) == ""
    assert figures.share(Figure(41, 5, withheld=True), Figure(50, 5)) == ""
    assert figures.share(Figure(0, 5), Figure(0, 5)) == ""
