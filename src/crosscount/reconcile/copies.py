"""Near-duplicate reports: one wire copy published on many sites counts as one report.

Two granularities, one measure (Jaccard similarity of the texts' runs of five words):

- `near_duplicates` compares every pair of a handful of texts (the reports of one event);
- `find_copies` finds the copies in a whole corpus without comparing every pair: each text
  gets a MinHash signature, signatures are cut into bands, and only texts that share a
  band's values are compared (locality-sensitive hashing). A copy is also published
  within a few days of its original and under a headline sharing its words: a site's
  template (a paywall notice, a sign-up box) can make two short pages of different
  stories look alike, but not under one headline in one week.
"""
from __future__ import annotations

import re
import zlib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from datetime import date

import numpy as np

from .groups import DisjointSets

_WORD = re.compile(r"\w+")
# Texts at least this similar are copies of one report.
COPY_SIMILARITY = 0.6
# Copies come out within this many days of each other, under headlines sharing this
# share of their words.
COPY_DAYS = 3
COPY_TITLE_SIMILARITY = 0.3
# A signature of 64 minimum hashes in 16 bands of 4: pairs at COPY_SIMILARITY share some
# band with probability 1 - (1 - 0.6**4)**16 > 0.88, and at 0.8 all but surely; pairs at
# 0.2 rarely meet (1 - (1 - 0.2**4)**16 < 0.03).
SIGNATURE_SIZE = 64
BANDS = 16
# Texts read from the store at a time, so a corpus's texts never sit in memory at once.
TEXTS_PER_READ = 2000
# Fixed multipliers: the same text gets the same signature in every run.
_MULTIPLIERS = np.random.default_rng(20161213).integers(1, 2**63, SIGNATURE_SIZE, dtype=np.uint64) | np.uint64(1)
_ADDENDS = np.random.default_rng(20170404).integers(0, 2**63, SIGNATURE_SIZE, dtype=np.uint64)
_SHINGLES_PER_STEP = 4096


def shingles(text: str, size: int = 5) -> frozenset[int]:
    """The text's runs of five words, each kept as a CRC-32 of its words: the same text
    gives the same set in every process and run (Python's own hash of a string does not)."""
    words = _WORD.findall(text.lower())
    return frozenset(zlib.crc32(" ".join(run).encode("utf-8", "surrogatepass"))
                     for run in zip(*(words[i:] for i in range(size))))


def jaccard(a: frozenset[int], b: frozenset[int]) -> float:
    if not a or not b:
        return 0.0
    shared = len(a & b)
    return shared / (len(a) + len(b) - shared)


def near_duplicates(shingles: dict[str, frozenset[int]], threshold: float = COPY_SIMILARITY) -> dict[str, str]:
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
            if jaccard(sa, sb) >= threshold:
                groups.union(b, a)
    return {k: groups.find(k) for k in keys}


def signature(runs: frozenset[int]) -> np.ndarray | None:
    """The MinHash signature of a set of shingle hashes (None for a text too short to have
    one): for each of SIGNATURE_SIZE hash functions (multiply-shift on 64 bits), the
    smallest value over the set. Two signatures agree at a position with probability
    equal to the sets' Jaccard similarity."""
    if not runs:
        return None
    values = np.fromiter(runs, dtype=np.uint64, count=len(runs))
    smallest = np.full(SIGNATURE_SIZE, np.iinfo(np.uint64).max, dtype=np.uint64)
    for at in range(0, len(values), _SHINGLES_PER_STEP):
        step = values[at:at + _SHINGLES_PER_STEP, None] * _MULTIPLIERS + _ADDENDS
        np.minimum(smallest, (step >> np.uint64(32)).min(axis=0), out=smallest)
    return smallest.astype(np.uint32)


def _title_words(title: str | None) -> frozenset[str]:
    return frozenset(w.lower() for w in _WORD.findall(title or ""))


def _copies(signature_a: np.ndarray, signature_b: np.ndarray, title_a: str | None, title_b: str | None) -> bool:
    """Texts alike (their signatures' share of equal values) under headlines sharing words."""
    if float(np.mean(signature_a == signature_b)) < COPY_SIMILARITY:
        return False
    words_a, words_b = _title_words(title_a), _title_words(title_b)
    return not (words_a and words_b) or len(words_a & words_b) >= COPY_TITLE_SIMILARITY * len(words_a | words_b)


def find_copies(keys: Iterable[str], texts_for: Callable[[list[str]], dict[str, str]],
                published: dict[str, date | None], titles: dict[str, str | None]) -> dict[str, str]:
    """Each report that has a copy mapped to its copy group's representative (reports
    with none are left out). Texts are read TEXTS_PER_READ at a time and kept only
    as signatures."""
    keys = sorted(keys)
    signatures: dict[str, np.ndarray] = {}
    for at in range(0, len(keys), TEXTS_PER_READ):
        for key, text in texts_for(keys[at:at + TEXTS_PER_READ]).items():
            found = signature(shingles(text or ""))
            if found is not None:
                signatures[key] = found
    rows = SIGNATURE_SIZE // BANDS
    buckets: dict[tuple[int, bytes], list[str]] = defaultdict(list)
    for key, values in signatures.items():
        for band in range(BANDS):
            buckets[(band, values[band * rows:(band + 1) * rows].tobytes())].append(key)
    groups = DisjointSets(keys)
    compared: set[tuple[str, str]] = set()
    for holders in buckets.values():
        if len(holders) < 2:
            continue
        # Within a bucket, by date (undated first): each report is compared with those of
        # the next few days only, so a site's template shared by a year of pages costs
        # pairs per week, not every pair.
        holders.sort(key=lambda k: (published.get(k) or date.min, k))
        for index, a in enumerate(holders):
            first = published.get(a)
            for b in holders[index + 1:]:
                second = published.get(b)
                if first and second and (second - first).days > COPY_DAYS:
                    break
                pair = (a, b) if a < b else (b, a)
                if pair not in compared:
                    compared.add(pair)
                    if _copies(signatures[a], signatures[b], titles.get(a), titles.get(b)):
                        groups.union(b, a)
    found = {k: groups.find(k) for k in signatures}
    members = Counter(found.values())
    return {k: root for k, root in found.items() if members[root] > 1}
