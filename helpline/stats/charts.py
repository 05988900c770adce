"""Bar charts as plain geometry for an inline <svg> in a template: no script, no third-party host, no
style attributes (colours come from classes in static/css/stats.css).

A count below the small-count threshold is never drawn at its true height: its bar reaches the
threshold line, hatched, and is labelled "fewer than N", so the picture says no more than the tables.
A count withheld so that a small one cannot be worked out (figures.suppress) is not drawn at any
height that could be read as a value: an empty dashed frame the height of the whole plot, labelled
"not shown".
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext

from helpline.stats.figures import Figure

WIDTH = 720
HEIGHT = 300
LEFT = 48  # room for the axis numbers
RIGHT = 8
TOP = 34  # room for labels above the tallest bar
BOTTOM = 60  # room for the group labels (up to three lines)


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    series: int  # index into the chart's series, for the colour class
    hidden: bool  # a small count: hatched to the threshold line
    withheld: bool  # complementary suppression: an empty frame, never at its value
    label_lines: tuple[str, ...]
    title: str

    @property
    def label_x(self) -> float:
        return self.x + self.width / 2

    @property
    def label_y(self) -> float:
        return self.y - 6 - 12 * (len(self.label_lines) - 1)


@dataclass(frozen=True)
class Tick:
    y: float
    text: str


@dataclass(frozen=True)
class GroupLabel:
    x: float
    lines: tuple[str, ...]


@dataclass(frozen=True)
class BarChart:
    title: str | Promise
    series: tuple[str | Promise, ...]
    bars: tuple[Bar, ...]
    ticks: tuple[Tick, ...]
    groups: tuple[GroupLabel, ...]
    threshold_y: float
    compact: bool = False  # bars too narrow for words above them: "<5" and "?" instead
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right_edge: int = WIDTH - RIGHT
    baseline: int = HEIGHT - BOTTOM

    @property
    def any_small(self) -> bool:
        return any(bar.hidden for bar in self.bars)

    @property
    def any_withheld(self) -> bool:
        return any(bar.withheld for bar in self.bars)

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width} {self.height}"


def nice_step(top: float, ticks: int = 4) -> int:
    """A round gridline step (1, 2, 5, 10, 20, 50...) giving about `ticks` lines up to `top`."""
    raw = max(1.0, top / ticks)
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if factor * magnitude >= raw:
            return int(factor * magnitude)
    return int(10 * magnitude)


def wrapped(label: str, width: int = 18) -> tuple[str, ...]:
    """A long group label as short lines under its bars (at most three; the bar's title has it whole)."""
    lines: list[str] = []
    for word in str(label).split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    if len(lines) > 3:
        lines = [*lines[:2], lines[2] + "…"]
    return tuple(lines)


def _hidden_label_lines(threshold: int) -> tuple[str, ...]:
    # Two short lines above a hatched bar; the translation says where the line breaks.
    words = gettext("fewer\nthan %(threshold)s") % {"threshold": threshold}
    return tuple(words.split("\n"))


def _withheld_label_lines() -> tuple[str, ...]:
    words = gettext("not\nshown")
    return tuple(words.split("\n"))


def bar_chart(
    title: str | Promise,
    series: Sequence[str | Promise],
    groups: Sequence[tuple[Sequence[str], Sequence[Figure]]],
) -> BarChart:
    """groups: (label lines, one Figure per series) in order along the x axis."""
    threshold = groups[0][1][0].threshold if groups and groups[0][1] else 5
    shown = [f.value for _, figures in groups for f in figures if not f.hidden]
    step = nice_step(max([threshold, *shown]))
    top = step * math.ceil(max([threshold, *shown]) / step)
    plot_height = HEIGHT - TOP - BOTTOM
    baseline = HEIGHT - BOTTOM

    def y_of(value: float) -> float:
        return baseline - plot_height * value / top

    group_width = (WIDTH - LEFT - RIGHT) / max(1, len(groups))
    bar_width = min(48.0, group_width * 0.8 / max(1, len(series)))
    # Two-line words would run into each other over narrow bars: there the label is the short sign and
    # the legend and the bar's title say it in words.
    narrow = bar_width < 30
    bars: list[Bar] = []
    labels: list[GroupLabel] = []
    for index, (label_lines, figures) in enumerate(groups):
        start = LEFT + index * group_width + (group_width - bar_width * len(figures)) / 2
        for n, fig in enumerate(figures):
            if fig.withheld:
                drawn: float = top
                lines = ("?",) if narrow else _withheld_label_lines()
            elif fig.small:
                drawn = threshold
                lines = (f"<{threshold}",) if narrow else _hidden_label_lines(threshold)
            else:
                drawn, lines = fig.value, (fig.text,)
            y = y_of(drawn)
            bars.append(
                Bar(
                    x=round(start + n * bar_width, 1),
                    y=round(y, 1),
                    width=round(bar_width - 2, 1),
                    height=round(baseline - y, 1),
                    series=n,
                    hidden=fig.small,
                    withheld=fig.withheld,
                    label_lines=lines,
                    title=gettext("%(group)s, %(series)s: %(value)s")
                    % {"group": " ".join(label_lines), "series": series[n], "value": fig.text},
                )
            )
        labels.append(GroupLabel(round(LEFT + (index + 0.5) * group_width, 1), tuple(label_lines)))
    ticks = tuple(Tick(round(y_of(v), 1), f"{v:,}") for v in range(0, top + 1, step))
    return BarChart(
        title=title,
        series=tuple(series),
        bars=tuple(bars),
        ticks=ticks,
        groups=tuple(labels),
        threshold_y=round(y_of(threshold), 1),
        compact=narrow,
    )
