"""Phrase matching on words: a text's words once, and an index of phrases by first word.

Every phrase list of the registry (source names, signals, actor labels) is matched this
way: one dictionary look-up per word of a text, however many phrases there are.
"""
from __future__ import annotations

import re
from array import array
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any


# Words of a name: apostrophes, quotes and commas separate them; "U.S." keeps its dots.
_NAME_WORD = re.compile(r"[^\s'’,;:()\[\]“”\"!?]+")


def name_words(text: str) -> list[tuple[str, int, int]]:
    """(word, start, end) for each word of `text`; a lone trailing full stop is dropped."""
    words = []
    for match in _NAME_WORD.finditer(text):
        word, end = match.group(), match.end()
        if word[-1] == "." and len(word) > 1 and word.count(".") == 1:
            word, end = word[:-1], end - 1
        words.append((word, match.start(), end))
    return words


@dataclass(frozen=True)
class Words:
    """A text's words once, for every phrase index to read: as written and folded, with
    their offsets in arrays (a long document has hundreds of thousands of words)."""
    exact: tuple[str, ...]
    folded: tuple[str, ...]
    starts: array
    ends: array

    @classmethod
    def of(cls, text: str) -> "Words":
        spans = name_words(text)
        exact = tuple(w for w, _, _ in spans)
        return cls(exact, tuple(w.lower() for w in exact), array("q", (start for _, start, _ in spans)),
                   array("q", (end for _, _, end in spans)))


@dataclass(frozen=True)
class PhraseMatch:
    start: int
    end: int
    value: Any


class PhraseIndex:
    """Phrases matched word by word from an index of their first words: one dictionary
    look-up per word of a text, however many phrases there are. Short all-capital phrases
    ("IS", "UN", "WHO", "SANA") match only as written, so "who" and "is" do not."""

    def __init__(self, phrases: Iterable[tuple[str, Any]]) -> None:
        # first word -> (the phrase lengths it begins, longest first; phrase -> value)
        self._folded: dict[str, tuple[list[int], dict[tuple[str, ...], Any]]] = {}
        self._exact: dict[str, tuple[list[int], dict[tuple[str, ...], Any]]] = {}
        for phrase, value in phrases:
            words = tuple(w for w, _, _ in name_words(phrase))
            # "the Observatory" is found as "Observatory"; a leading article would make
            # "the" the first word of many phrases and slow every look-up.
            if len(words) > 1 and words[0].lower() == "the":
                words = words[1:]
            if not words:
                continue
            if phrase.isupper() and len(phrase) <= 4:
                _add(self._exact, words, value)
                if len(phrase) == 4 and len(words) == 1:
                    # "Sohr", "Nato": four-letter acronyms are often written title-case.
                    _add(self._exact, (phrase.title(),), value)
            else:
                _add(self._folded, tuple(w.lower() for w in words), value)
        for table in (self._folded, self._exact):
            for sizes, _ in table.values():
                sizes.sort(reverse=True)

    def find(self, text: "str | Words", offset: int = 0) -> list[PhraseMatch]:
        """Every phrase in `text` (or its words), leftmost-longest, without overlaps."""
        tokens = text if isinstance(text, Words) else Words.of(text)
        starts, ends, exact, folded = tokens.starts, tokens.ends, tokens.exact, tokens.folded
        folded_firsts, exact_firsts = self._folded, self._exact
        # Most words begin no phrase: find the few that may, in one pass at C speed.
        candidates = [i for i, (f, e) in enumerate(zip(folded, exact))
                      if f in folded_firsts or e in exact_firsts]
        found: list[PhraseMatch] = []
        taken = 0          # words before this index belong to a match already
        for index in candidates:
            if index < taken:
                continue
            best = None
            for table, written in ((folded_firsts, folded), (exact_firsts, exact)):
                entry = table.get(written[index])
                if entry is None:
                    continue
                for size in entry[0]:
                    if best is not None and size <= best[0]:
                        break
                    value = entry[1].get(written[index:index + size])
                    if value is not None and index + size <= len(written):
                        best = (size, value)
                        break
            if best is None:
                continue
            size, value = best
            found.append(PhraseMatch(starts[index] + offset, ends[index + size - 1] + offset, value))
            taken = index + size
        return found


def _add(table: dict[str, tuple[list[int], dict[tuple[str, ...], Any]]], words: tuple[str, ...],
         value: Any) -> None:
    """Index a phrase under its first word; of equal phrases the first given wins."""
    sizes, phrases = table.setdefault(words[0], ([], {}))
    if words not in phrases:
        phrases[words] = value
        if len(words) not in sizes:
            sizes.append(len(words))
