"""Items ordered by their start offset, looked up by position in logarithmic time.

A long document holds thousands of figures, places and sentences; a linear scan of one
kind for each of another makes its analysis quadratic. Stages index what they look up.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from typing import Generic, Protocol, TypeVar


class _Positioned(Protocol):
    @property
    def start(self) -> int: ...


Item = TypeVar("Item", bound=_Positioned)


class ByStart(Generic[Item]):
    """Items sorted by `start`; `between(a, b)` lists those starting in [a, b)."""

    __slots__ = ("items", "starts")

    def __init__(self, items: Sequence[Item]) -> None:
        self.items = sorted(items, key=lambda item: item.start)
        self.starts = [item.start for item in self.items]

    def between(self, start: int, end: int) -> list[Item]:
        return self.items[bisect_left(self.starts, start):bisect_left(self.starts, end)]


def inside_any(spans: Sequence[tuple[int, int]], starts: Sequence[int], offset: int) -> bool:
    """Whether `offset` lies in one of `spans`: sorted, not overlapping (`starts` are theirs)."""
    index = bisect_right(starts, offset) - 1
    return index >= 0 and offset < spans[index][1]


def merged(spans: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted spans with the overlapping ones joined: what `inside_any` reads."""
    joined: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if joined and start < joined[-1][1]:
            joined[-1] = (joined[-1][0], max(end, joined[-1][1]))
        else:
            joined.append((start, end))
    return joined
