"""Complementary (secondary) suppression, for any table of sums: which cells a reader may see.

A table that shows a total and its parts is a sum, and a sum with one hidden term gives that term away
by subtraction. `suppress` hides a second cell wherever exactly one is hidden, until none is.
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

    groups: (total, parts), each saying "total = sum of parts" to anyone who can read them. Whenever
    exactly one cell of a group is hidden, the subtraction would give it away, so the smallest other
    non-zero shown part is withheld too (the total itself only when no part is left to hide). Withholding
    a cell can leave another group with exactly one hidden cell, so this repeats until nothing changes.
    Ties go to the first cell in the keys' own order, so the same figures always give the same cells."""
    status = {cell: SMALL if 0 < value < threshold else SHOWN for cell, value in values.items()}
    status.update({cell: UNKNOWN for cell in unknown})
    changed = True
    while changed:
        changed = False
        for total, parts in groups:
            hidden = [cell for cell in (total, *parts) if status[cell] != SHOWN]
            if len(hidden) != 1:
                continue
            candidates = [cell for cell in parts if status[cell] == SHOWN and values[cell] > 0]
            if not candidates and status[total] == SHOWN and values[total] > 0:
                candidates = [total]
            if candidates:
                chosen = min(candidates, key=lambda cell: (values[cell], cell))
                status[chosen] = WITHHELD
                changed = True
    return status
