"""Quantity expressions and their bounds, as the annotation guidelines define them.

"at least / more than / over X" -> low X, high open; "about / nearly / some X" and plain X
-> low = high = X (approx for the hedged ones); "up to / fewer than X" -> high X, low open;
"X to Y", "X-Y", "between X and Y" -> X..Y; "2.5 million" -> 2,500,000; "dozens",
"hundreds", "thousands", "several" -> vague, no value.

`find_quantities` runs one compiled regular expression (the language's
`numbers.quantity`) over the text: cheap enough for every sentence of every document
before any parse.
"""
from __future__ import annotations

import math
import re
import unicodedata

from ..model import Quantity
from ..registry.language import NumberWords

_DIGITS = re.compile(r"\d+(?:\.\d+)?")
# The largest count a figure may hold: more than the people on Earth is no count of
# people ("10^400" in a text is a number, not a figure).
LARGEST_COUNT = 1e11


class _DigitFold(dict):
    """str.translate table: every decimal digit (Arabic-Indic, Persian, fullwidth, ...)
    to its ASCII digit and their group and decimal separators to "," and ".", one
    character for one, so that offsets stay those of the text."""

    SEPARATORS = {"\u066c": ",", "\u066b": ".", "\uff0c": ",", "\uff0e": "."}

    def __missing__(self, code: int) -> str:
        char = chr(code)
        digit = unicodedata.decimal(char, None)
        folded = str(digit) if digit is not None else self.SEPARATORS.get(char, char)
        self[code] = folded
        return folded


_FOLD = _DigitFold()


def fold_digits(text: str) -> str:
    """The text with its digits and number separators in ASCII, offsets unchanged."""
    return text if text.isascii() else text.translate(_FOLD)


def parse_number(text: str, words: NumberWords) -> float | None:
    """The value of one number as written: "1,700", "2.5 million", "twenty-five", "a dozen"."""
    parts = text.lower().replace(",", "").replace("-", " ").split()
    if not parts:
        return None
    if _DIGITS.fullmatch(parts[0]) or re.fullmatch(r"\d+", "".join(parts)):
        joined = "".join(p for p in parts if _DIGITS.fullmatch(p))
        value = float(joined if len(parts) > 1 and all(p.isdigit() for p in parts) else parts[0])
        for part in parts[1:]:
            value *= words.digit_scales.get(part.rstrip("0123456789"), 1)    # "million1": a footnote
        return value
    total = current = 0.0
    seen = False
    half = parts[0] in words.half_words
    if half:
        parts = parts[1:]
    for part in parts:
        if part in words.article_numbers:
            current = current or 1
            seen = True
        elif part in words.number_joiners:
            continue
        elif part in words.units:
            current += words.units[part]
            seen = True
        elif part in words.tens:
            current += words.tens[part]
            seen = True
        elif part in words.scales:
            scale = words.scales[part]
            current = (current or 1) * scale
            if scale >= 1000:
                total += current
                current = 0
            seen = True
        else:
            return None
    value = total + current
    return (value / 2 if half else value) if seen else None


def _folded(modifier: str | None) -> str:
    """A bound word as the lists write it: "At  least" -> "at least"."""
    return " ".join((modifier or "").lower().split())


def _bounds(modifier: str | None, value: float, words: NumberWords) -> tuple[float | None, float | None, bool]:
    mod = _folded(modifier)
    if mod in words.low_only:
        return value, None, False
    if mod in words.high_only:
        return None, value, False
    return value, value, bool(mod)


_FOOTNOTE_MARK = re.compile(r"(?<=[^\W\d])\d{1,2}$")


def quantity_from_match(match: re.Match, words: NumberWords, offset: int = 0) -> Quantity | None:
    start, end = match.start() + offset, match.end() + offset
    footnote = _FOOTNOTE_MARK.search(match[0])    # "1.81 million1": the mark is no part of the span
    if footnote:
        end -= len(footnote[0])
    if match["vague"]:
        return Quantity(start, end, None, None, vague=True, approx=True)
    first = parse_number(match["n1"], words)
    if first is None:
        return None
    if match["n2"]:
        second = parse_number(match["n2"], words)
        if second is None or second <= first:
            return None
        low = first if _folded(match["mod"]) not in words.high_only else None
        high = None if _folded(match["mod2"]) in words.low_only else second
        return Quantity(start, end, low, high, approx=bool(match["mod"]))
    low, high, approx = _bounds(match["mod"], first, words)
    return Quantity(start, end, low, high, approx=approx)


def find_quantities(text: str, words: NumberWords, offset: int = 0,
                    refused: list[Quantity] | None = None) -> list[Quantity]:
    """Every quantity expression in `text`; offsets shifted by `offset`. Digits of any
    script count ("٤٬٠٠٠", "２，０００"); values past LARGEST_COUNT are no figures: they go
    to `refused` when it is given."""
    text = fold_digits(text)
    found = []
    position = 0
    while True:
        match = words.quantity.search(text, position)
        if match is None:
            return found
        position = match.end()
        number = (match["n1"] or "").lower()
        # "a" and "an" alone are articles, not numbers ("a nurse was killed").
        if number in words.article_numbers and not match["n2"]:
            continue
        # "no one", "any one", "every one": pronouns, not counts.
        if number in words.pronoun_numbers and not match["mod"] and \
                words.not_one.search(text, max(0, match.start() - 6), match.start()):
            continue
        quantity = quantity_from_match(match, words, offset)
        if quantity is None and match["n2"]:
            # "down from four to one": two numbers, not a range; read the first alone and
            # go on from the second.
            first = words.quantity.fullmatch(text, match.start(), match.end("n1"))
            quantity = quantity_from_match(first, words, offset) if first else None
            position = match.start("n2")
        if quantity is not None and _fits(quantity):
            found.append(quantity)
        elif quantity is not None and refused is not None:
            refused.append(quantity)


def _fits(quantity: Quantity) -> bool:
    return all(value is None or (math.isfinite(value) and value <= LARGEST_COUNT)
               for value in (quantity.low, quantity.high))
