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


def recovered(values, status, groups, threshold: int = 5) -> dict:
    """What a reader could pin down: for every sum, each hidden term's range given what is known of
    the others (a small count is 1 to 4, a withheld one at least 5), again and again; a range of one
    value is a cell found. Returns {cell: value} for every hidden cell found."""
    fates = {"small": SMALL, "complementary": WITHHELD}
    known: dict[Any, Any] = {
        cell: (value if status[cell] == SHOWN else status[cell]) for cell, value in values.items()
    }

    def what_is_known(cell):
        if isinstance(known[cell], int):
            return known[cell], known[cell]
        return (
            (1, threshold - 1) if fates.get(known[cell], known[cell]) == SMALL else (threshold, float("inf"))
        )

    found = {}
    changed = True
    while changed:
        changed = False
        for total, parts in groups:
            for cell in (total, *parts):
                if isinstance(known[cell], int):
                    continue
                others = [what_is_known(other) for other in parts if other != cell]
                if cell == total:
                    low, high = sum(lo for lo, _ in others), sum(hi for _, hi in others)
                else:
                    whole = what_is_known(total)
                    low, high = whole[0] - sum(hi for _, hi in others), whole[1] - sum(lo for lo, _ in others)
                own = what_is_known(cell)
                if max(low, own[0]) == min(high, own[1]):
                    known[cell] = found[cell] = int(max(low, own[0]))
                    changed = True
    return found


def test_what_a_reader_knows_of_hidden_cells_must_not_pin_them_either():
    # 6 = a small count + a withheld one: the withheld one is at least 5, so the small one is 1. The
    # total must go too.
    values = {"missed": 6, "abandoned": 1, "turned_away": 5}
    groups = [("missed", ("abandoned", "turned_away"))]
    status = suppress(values, groups, 5)
    assert status == {"missed": WITHHELD, "abandoned": SMALL, "turned_away": WITHHELD}
    assert recovered(values, status, groups) == {}
    # Two small counts adding up to 2 can only be 1 and 1: a third cell goes.
    values = {"total": 10, "a": 1, "b": 1, "c": 8}
    status = suppress(values, [("total", ("a", "b", "c"))], 5)
    assert status == {"total": SHOWN, "a": SMALL, "b": SMALL, "c": WITHHELD}
    # The rule of one hidden cell alone would have left both sums giving their small counts away.
    one_hidden_only = {"missed": SHOWN, "abandoned": SMALL, "turned_away": WITHHELD}
    assert recovered({"missed": 6, "abandoned": 1, "turned_away": 5}, one_hidden_only, groups) == {
        "abandoned": 1,
        "turned_away": 5,
    }


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
