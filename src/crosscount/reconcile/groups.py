"""Disjoint sets (union-find): reports joined into copy groups, incidents or clusters."""
from __future__ import annotations

from collections.abc import Hashable, Iterable


class DisjointSets:
    def __init__(self, items: Iterable[Hashable]) -> None:
        self.parent = {item: item for item in items}

    def __contains__(self, item: Hashable) -> bool:
        return item in self.parent

    def find(self, item: Hashable) -> Hashable:
        """The representative of the item's set (paths halved on the way)."""
        parent = self.parent
        while parent[item] != item:
            parent[item] = parent[parent[item]]
            item = parent[item]
        return item

    def union(self, a: Hashable, b: Hashable) -> Hashable:
        """Join the sets of a and b; the new representative is b's."""
        root = self.find(b)
        self.parent[self.find(a)] = root
        return root
