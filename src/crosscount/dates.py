"""Calendar dates as news pages write them: "Sun 10 Jul 2016", "April 15 2017",
"16.05.2017", "2016-11-27". Shared by ingest (datelines) and extract (time references).
"""
from __future__ import annotations

import re
from datetime import date

MONTHS = {
    name: number
    for number, names in enumerate(
        [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
         ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
         ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
         ("december", "dec")],
        start=1,
    )
    for name in names
}
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
# Some corpora lose the space between day and year ("Aug 012016"): allow it.
_YEAR = r"(?P<year>(?:19|20)\d\d)"
DATE_PATTERNS = [
    re.compile(rf"\b{_DAY}\s+{_MONTH},?\s*{_YEAR}\b", re.IGNORECASE),
    re.compile(rf"\b{_MONTH}\s+{_DAY},?\s*{_YEAR}\b", re.IGNORECASE),
    re.compile(rf"\b{_MONTH}\s*(?P<day>[0-3]\d){_YEAR}\b", re.IGNORECASE),
    re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<month>[01]\d)-(?P<day>[0-3]\d)\b"),
    re.compile(r"\b(?P<day>[0-3]\d)[.-](?P<month>[01]\d)[.-](?P<year>(?:19|20)\d\d)\b"),
]


def _month_number(value: str) -> int:
    return int(value) if value.isdigit() else MONTHS[value.lower().rstrip(".")]


def parse_date(match: re.Match) -> date | None:
    try:
        return date(int(match["year"]), _month_number(match["month"]), int(match["day"]))
    except (ValueError, KeyError):
        return None


_YEAR_HINT = re.compile(r"(?:19|20)\d\d")


def find_dates(text: str) -> list[tuple[int, int, date]]:
    """Every calendar date in `text` with its span, earliest-starting first."""
    if not _YEAR_HINT.search(text):
        return []    # every pattern needs a four-digit year
    found: dict[int, tuple[int, int, date]] = {}
    for pattern in DATE_PATTERNS:
        for match in pattern.finditer(text):
            value = parse_date(match)
            if value and match.start() not in found:
                found[match.start()] = (match.start(), match.end(), value)
    return sorted(found.values())


def find_dateline(head: str) -> date | None:
    """The publication date a page states near its top, if any."""
    dates = find_dates(head)
    return dates[0][2] if dates else None
