"""Sentences and word tokens with character offsets, by regular expression.

Cheap enough for every sentence of every document; spaCy is kept for the few sentences
that need a parse. Abbreviations common in news copy ("U.S.", "Gen.", "Aug. 1": the
language's list) do not end a sentence; paragraph breaks always do.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..registry.language import SegmentWords
# Flattened copy runs sentences together ("ten wounded.The Taliban"): a full stop between
# a lower-case word and a capitalised one ends a sentence even without a space.
# A blank line ends a sentence, unless a flattened page broke one across it ("has affected
# \n\n over 311,000 people": a lower-case word or comma before, a lower-case word after;
# or a word that cannot end a sentence before, "a total of \n\n 98,330").
_BREAK = re.compile(r"(?<![a-z,])\n\s*\n|\n\s*\n(?![a-z0-9(])|(?<=[.!?])[\"”’)]*\s+(?=[\"“‘(]?[A-Z0-9])|(?<=[.!?]{2})\s+|\n(?=[A-Z0-9\"“])"
                    r"|(?<=[a-z]{2}[.!?])(?=[A-Z][a-z]|[\"“][A-Z])")
# No sentence of prose runs this long (the longest in the shared corpora is under 2,000
# characters); a longer run of text (a list, a flattened table, hostile input) is cut at
# white space into pieces of at most this, which bounds the work and memory per sentence.
MAX_SENTENCE_CHARS = 3000
# The last word before a break is read from this much text before it.
LAST_WORD_CHARS = 64
_WORD = re.compile(r"\w+(?:[-'’]\w+|\.(?![A-Z][a-z])\w+)*|[^\w\s]")


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    lower: str
    start: int
    end: int


def sentences(text: str, start: int, end: int | None, words: SegmentWords) -> list[tuple[int, int]]:
    """Sentence spans of text[start:end], trimmed of surrounding white space."""
    end = len(text) if end is None else end
    spans = []
    cursor = start
    for match in _BREAK.finditer(text, start, end):
        before = text[max(cursor, match.start() - LAST_WORD_CHARS):match.start()].rsplit(None, 1)
        written = before[-1] if before else ""    # the last word before the break
        line_break = "\n" in match.group()
        if not line_break and match.group().strip() == "" and written.rstrip(".").lower() in words.abbreviations:
            continue
        if line_break and written in words.open_words:
            continue    # a line broken after "of" or "than" goes on
        _append_trimmed(text, cursor, match.start(), spans)
        cursor = match.end()
    _append_trimmed(text, cursor, end, spans)
    return spans


def _append_trimmed(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    while end - start > MAX_SENTENCE_CHARS:
        cut = max(text.rfind(" ", start + 1, start + MAX_SENTENCE_CHARS),
                  text.rfind("\n", start + 1, start + MAX_SENTENCE_CHARS))
        cut = cut if cut > start else start + MAX_SENTENCE_CHARS
        _append_trimmed(text, start, cut, spans)
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if end > start:
        spans.append((start, end))


QUOTE_MARKS = frozenset("\"“”‘’'«»")


def tokens(text: str, start: int, end: int) -> list[Token]:
    """Word and punctuation tokens; quotation marks are left out, since rules read
    through them ("hundreds" more were wounded)."""
    return [Token(m.group(), m.group().lower(), m.start(), m.end())
            for m in _WORD.finditer(text, start, end) if m.group() not in QUOTE_MARKS]
