"""Complementary (secondary) suppression, for any table of sums: which cells a reader may see.

A table that shows a total and its parts is a sum, and a sum with one hidden term gives that term away
by subtraction. `suppress` hides a second cell wherever a sum would pin a hidden one to a single value
(by subtraction, or by what a reader knows of hidden cells' sizes), until no sum does.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import TypeVar

SHOWN = "shown"
SMALL = "small"  # primary: 1 to threshold - 1
WITHHELD = "withheld"  # complementary: hidden so that a small count cannot be worked out
UNKNOWN = "unknown"  # not known to begin with (a pooled sum with a suppressed term)

K = TypeVar("K", bound=Hashable)


def suppress(
    values: Mapping[K, int],
    groups: Sequence[tuple[K, Sequence[K]]],
    threshold: int,
    unknown: Iterable[K] = (),
) -> dict[K, str]:
    """Each cell's fate: SHOWN, SMALL (1 to threshold - 1), WITHHELD, or UNKNOWN for the cells given
    as unknown from the start (their values are not read).

    groups: (total, parts), each saying "total = sum of parts" to anyone who can read them. Whenever a
    sum would pin a hidden cell to one value, the smallest other non-zero shown part is withheld too
    (the total itself only when no part is left to hide). That is the case whenever exactly one cell
    of the sum is hidden (subtraction gives it away), and also when what a reader knows of the hidden
    ones leaves no choice: a small count is 1 to threshold - 1 and a withheld one was shown-sized, at
    least the threshold, so "6 = small + withheld" can only be 1 + 5. Withholding a cell can pin
    another sum's, so this repeats until nothing changes. Ties go to the first cell in the keys' own
    order, so the same figures always give the same cells."""
    status = {cell: SMALL if 0 < value < threshold else SHOWN for cell, value in values.items()}
    status.update({cell: UNKNOWN for cell in unknown})
    changed = True
    while changed:
        changed = False
        for total, parts in groups:
            hidden = sum(1 for cell in (total, *parts) if status[cell] != SHOWN)
            # Most sums hide nothing; one hidden term is always pinned; only the rest need working out.
            if hidden == 0 or (hidden > 1 and not pinned(total, parts, status, values, threshold)):
                continue
            candidates = [cell for cell in parts if status[cell] == SHOWN and values[cell] > 0]
            if not candidates and status[total] == SHOWN and values[total] > 0:
                candidates = [total]
            if candidates:
                chosen = min(candidates, key=lambda cell: (values[cell], cell))
                status[chosen] = WITHHELD
                changed = True
    return status


INFINITY = float("inf")


def bounds(fate: str, value: int, threshold: int) -> tuple[float, float]:
    """What a reader of the figures knows of a cell: its value, or the range its fate allows."""
    if fate == SHOWN:
        return value, value
    if fate == SMALL:
        return 1, threshold - 1
    if fate == WITHHELD:
        return threshold, INFINITY
    return 0, INFINITY


def pinned(
    total: K, parts: Sequence[K], status: Mapping[K, str], values: Mapping[K, int], threshold: int
) -> bool:
    """Whether the sum "total = parts", read with what is known of each cell, leaves some hidden cell
    exactly one possible value."""
    known = {cell: bounds(status[cell], values[cell], threshold) for cell in (total, *parts)}
    # The parts' bounds added up once; each part's "others" are these less its own.
    low_sum = sum(known[part][0] for part in parts)
    finite_high_sum = sum(known[part][1] for part in parts if known[part][1] != INFINITY)
    unbounded = sum(1 for part in parts if known[part][1] == INFINITY)
    for cell in (total, *parts):
        if status[cell] == SHOWN:
            continue
        own_low, own_high = known[cell]
        if cell == total:
            low, high = low_sum, (INFINITY if unbounded else finite_high_sum)
        else:
            others_low = low_sum - own_low
            if own_high == INFINITY:
                others_high = INFINITY if unbounded > 1 else finite_high_sum
            else:
                others_high = INFINITY if unbounded else finite_high_sum - own_high
            low = known[total][0] - others_high
            high = known[total][1] - others_low
        if max(low, own_low) == min(high, own_high):  # (an empty range: counts that do not add up)
            return True
    return False
