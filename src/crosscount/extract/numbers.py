"""Quantity expressions and their bounds, as the annotation guidelines define them.

"at least / more than / over X" -> low X, high open; "about / nearly / some X" and plain X
-> low = high = X (approx for the hedged ones); "up to / fewer than X" -> high X, low open;
"X to Y", "X-Y", "between X and Y" -> X..Y; "2.5 million" -> 2,500,000; "dozens",
"hundreds", "thousands", "several" -> vague, no value.

`find_quantities` is one compiled regular expression over the whole text: cheap enough
to run on every sentence of every document before any parse.
"""
from __future__ import annotations

import re

from ..model import Quantity

UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
        "eighty": 80, "ninety": 90}
SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000,
          "dozen": 12}

# Bounds words, longest first inside each alternation so "more than" wins over "more".
LOW_ONLY = ["at least", "more than", "over", "upwards of", "in excess of", "no fewer than",
            "no less than", "not less than", "a minimum of", "just over", "above", "exceeding",
            "well over", "some more than"]
HIGH_ONLY = ["up to", "fewer than", "less than", "at most", "as many as", "no more than",
             "a maximum of", "just under", "under", "below", "nearly up to"]
APPROX = ["about", "around", "nearly", "almost", "some", "roughly", "approximately",
          "an estimated", "estimated", "close to", "approx.", "circa", "almost all",
          "a reported", "an approximate", "perhaps", "maybe", "possibly"]

VAGUE_WORDS = ["tens of thousands", "hundreds of thousands", "tens of millions",
               "several thousand", "several hundred", "several dozen", "a few thousand",
               "a few hundred", "a few dozen", "many thousands", "many hundreds",
               "millions", "thousands", "hundreds", "dozens", "scores", "tens", "several",
               "a few", "a handful"]


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_WORD_NUMBER = (
    r"(?:(?:" + _alternation(list(TENS)) + r")(?:[- ](?:" + _alternation(list(UNITS)) + r"))?"
    r"|" + _alternation(list(UNITS)) + r"|half\s+an?|a|an)"
    r"(?:\s+(?:hundred|thousand|million|billion|dozen)(?:\s+and\s+(?:"
    + _alternation(list(TENS) + list(UNITS)) + r"))?)*"
)
_DIGITS = r"\d{1,3}(?:,\d{3})+(?!\d)|\d{1,3}(?:\s\d{3})+(?![\d,.])|\d+(?:\.\d+)?"
_SCALE = r"(?:\s*(?:hundred|thousand|million|billion|mn|bn|m\b|k\b))?"
_NUMBER = rf"(?:(?:{_DIGITS}){_SCALE}|{_WORD_NUMBER}(?!\w))"
_MODIFIER = rf"(?:{_alternation(LOW_ONLY + HIGH_ONLY + APPROX)})"

QUANTITY = re.compile(
    rf"""
    (?<![\w$£€.:/#+-])                      # not inside a word, a price, a decimal or a code
    (?:(?P<mod>{_MODIFIER})\s+)?
    (?:
      (?P<vague>{_alternation(VAGUE_WORDS)})(?!\s+(?:of\s+)?(?:years|days|times|percent))
    | (?:between\s+)?(?P<n1>{_NUMBER})
      (?:\s*(?:-|–|—|to|and|or)\s*(?:(?P<mod2>{_alternation(LOW_ONLY + HIGH_ONLY)})\s+)?(?P<n2>{_NUMBER}))?
    )
    (?![\w%]|[.:,]\d|[-–][a-z]|\s*(?:%|percent|per\s+cent|-year|-month|-day|-week|-hour|years?\s+old))
    """,
    re.IGNORECASE | re.VERBOSE,
)


NOT_ONE = re.compile(r"\b(?:no|any|every|some|no\s+other)\s+$", re.IGNORECASE)


def parse_number(text: str) -> float | None:
    """The value of one number as written: "1,700", "2.5 million", "twenty-five", "a dozen"."""
    words = text.lower().replace(",", "").replace("-", " ").split()
    if not words:
        return None
    if re.fullmatch(r"\d+(?:\.\d+)?", words[0]) or re.fullmatch(r"\d+", "".join(words)):
        joined = "".join(w for w in words if re.fullmatch(r"\d+(?:\.\d+)?", w))
        value = float(joined if len(words) > 1 and all(w.isdigit() for w in words) else words[0])
        for word in words[1:]:
            value *= {"hundred": 100, "thousand": 1e3, "million": 1e6, "billion": 1e9,
                      "mn": 1e6, "bn": 1e9, "m": 1e6, "k": 1e3}.get(word, 1)
        return value
    total = current = 0.0
    seen = False
    half = words[0] == "half"
    if half:
        words = words[1:]
    for word in words:
        if word in ("a", "an"):
            current = current or 1
            seen = True
        elif word == "and":
            continue
        elif word in UNITS:
            current += UNITS[word]
            seen = True
        elif word in TENS:
            current += TENS[word]
            seen = True
        elif word in SCALES:
            scale = SCALES[word]
            current = (current or 1) * scale
            if scale >= 1000:
                total += current
                current = 0
            seen = True
        else:
            return None
    value = total + current
    return (value / 2 if half else value) if seen else None


def _bounds(modifier: str | None, value: float) -> tuple[float | None, float | None, bool]:
    mod = (modifier or "").lower()
    if mod in LOW_ONLY:
        return value, None, False
    if mod in HIGH_ONLY:
        return None, value, False
    return value, value, bool(mod)


def quantity_from_match(match: re.Match, offset: int = 0) -> Quantity | None:
    start, end = match.start() + offset, match.end() + offset
    if match["vague"]:
        return Quantity(start, end, None, None, vague=True, approx=True)
    first = parse_number(match["n1"])
    if first is None:
        return None
    if match["n2"]:
        second = parse_number(match["n2"])
        if second is None or second <= first:
            return None
        low = first if (match["mod"] or "").lower() not in HIGH_ONLY else None
        high = None if (match["mod2"] or "").lower() in LOW_ONLY else second
        return Quantity(start, end, low, high, approx=bool(match["mod"]))
    low, high, approx = _bounds(match["mod"], first)
    return Quantity(start, end, low, high, approx=approx)


def find_quantities(text: str, offset: int = 0) -> list[Quantity]:
    """Every quantity expression in `text`; offsets shifted by `offset`."""
    found = []
    for match in QUANTITY.finditer(text):
        # "a" and "an" alone are articles, not numbers ("a nurse was killed").
        number = (match["n1"] or "").lower()
        if number in ("a", "an") and not match["n2"]:
            continue
        # "no one", "any one", "every one": pronouns, not counts.
        if number == "one" and not match["mod"] and NOT_ONE.search(text, max(0, match.start() - 6), match.start()):
            continue
        quantity = quantity_from_match(match, offset)
        if quantity is not None:
            found.append(quantity)
    return found
