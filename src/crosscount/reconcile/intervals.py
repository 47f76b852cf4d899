"""The values a figure allows, for holding figures against each other.

A figure's interval: exact X is [X, X] (hedged ones ±10 %, others ±2 %), "at least X" is
[X, inf), "up to X" is [0, X]; vague amounts read as analysts read them: "dozens" 24-99,
"hundreds" 200-1,999, "thousands" 2,000-99,999 (tens of thousands are still "thousands" in
news copy) and so on (the language's checks.vague_ranges).
"""
from __future__ import annotations

import math
from bisect import bisect_right
import re

VagueRanges = tuple[tuple[re.Pattern, float, float], ...]

EXACT_TOLERANCE, HEDGED_TOLERANCE = 0.02, 0.10


def interval(low: float | None, high: float | None, vague: bool, approx: bool, text: str,
             vague_ranges: VagueRanges) -> tuple[float, float] | None:
    """The values a figure allows, as a closed interval; None when nothing is known.
    `vague_ranges`: the language's reading of vague amounts (checks.vague_ranges)."""
    if vague:
        for pattern, lo, hi in vague_ranges:
            if pattern.search(text):
                return float(lo), float(hi)
        return None
    if low is None and high is None:
        return None
    tolerance = HEDGED_TOLERANCE if approx else EXACT_TOLERANCE
    lo = low * (1 - tolerance) if low is not None else 0.0
    hi = high * (1 + tolerance) if high is not None else math.inf
    return lo, hi


def point(low: float | None, high: float | None) -> float | None:
    """One number for a figure, for medians: the stated value, or the bound that is given."""
    if low is not None and high is not None:
        return (low + high) / 2
    return low if low is not None else high


def overlap(a: tuple[float, float], b: tuple[float, float]) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


def any_overlap(left: list[tuple[float, float]], right: list[tuple[float, float]]) -> bool:
    """Whether some interval of `left` overlaps some interval of `right`, in
    O((L + R) log R) rather than by every pair: among the right intervals that start at or
    before a left one's end, the one reaching furthest decides."""
    if not left or not right:
        return False
    ordered = sorted(right)
    starts = [low for low, _ in ordered]
    furthest, reach = [], -math.inf
    for _, high in ordered:
        reach = max(reach, high)
        furthest.append(reach)
    for low, high in left:
        index = bisect_right(starts, high) - 1
        if index >= 0 and furthest[index] >= low:
            return True
    return False

