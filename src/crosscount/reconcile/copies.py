"""Near-duplicate reports: one wire copy published on many sites counts as one report."""
from __future__ import annotations

import re

from .groups import DisjointSets

_WORD = re.compile(r"\w+")


def shingles(text: str, size: int = 5) -> frozenset[int]:
    """The text's runs of five words, each kept as its hash: the sets are only compared
    with each other within one run (zip builds the runs without a Python loop)."""
    words = _WORD.findall(text.lower())
    return frozenset(map(hash, zip(*(words[i:] for i in range(size)))))


def near_duplicates(shingles: dict[str, frozenset[int]], threshold: float = 0.6) -> dict[str, str]:
    """Each document key mapped to its copy group's first key (5-word shingles, Jaccard)."""
    keys = sorted(shingles)
    groups = DisjointSets(keys)
    for i, a in enumerate(keys):
        sa = shingles[a]
        for b in keys[i + 1:]:
            sb = shingles[b]
            # Jaccard is at most the smaller set's share of the larger: most pairs stop here.
            if not sa or not sb or min(len(sa), len(sb)) < threshold * max(len(sa), len(sb)):
                continue
            shared = len(sa & sb)
            if shared >= threshold * (len(sa) + len(sb) - shared):
                groups.union(b, a)
    return {k: groups.find(k) for k in keys}
