"""Calendar dates as news pages write them: "Sun 10 Jul 2016", "April 15 2017",
"16.05.2017", "2016-11-27" (the patterns are the language's `times.dates`). Shared by
ingest (datelines) and extract (time references).
"""
from __future__ import annotations

import re
from datetime import date

from .registry.language import TimeWords

_YEAR_HINT = re.compile(r"(?:19|20)\d\d")


def month_number(value: str, times: TimeWords) -> int:
    return int(value) if value.isdigit() else times.months[value.lower().rstrip(".")]


def parse_date(match: re.Match, times: TimeWords) -> date | None:
    try:
        return date(int(match["year"]), month_number(match["month"], times), int(match["day"]))
    except (ValueError, KeyError):
        return None


def find_dates(text: str, times: TimeWords) -> list[tuple[int, int, date]]:
    """Every calendar date in `text` with its span, earliest-starting first."""
    if not _YEAR_HINT.search(text):
        return []    # every pattern needs a four-digit year
    found: dict[int, tuple[int, int, date]] = {}
    for pattern in times.dates.values():
        for match in pattern.finditer(text):
            value = parse_date(match, times)
            if value and match.start() not in found:
                found[match.start()] = (match.start(), match.end(), value)
    return sorted(found.values())


def find_dateline(head: str, times: TimeWords) -> date | None:
    """The publication date a page states near its top, if any."""
    dates = find_dates(head, times)
    return dates[0][2] if dates else None
