"""When a figure's event happened, resolved against the publication date.

"on Monday" is the last Monday on or before publication, "yesterday" the day before,
"over the past 24 hours" the day up to publication; calendar dates are taken as written
(the year from publication when the text omits it). The words are the language's
`times` rules.
"""
from __future__ import annotations

import re
from datetime import date, timedelta

from ..dates import find_dates
from ..model import TimeRef
from ..registry.language import TimeWords


def _resolve(match: re.Match, published: date | None, words: TimeWords) -> tuple[date | None, date | None]:
    if published is None:
        return None, None
    if match["weekday"]:
        name = match["weekday"].lower().split()[-1]
        back = (published.weekday() - words.weekdays.index(name)) % 7
        day = published - timedelta(days=back)
        return day, day
    if match["yesterday"]:
        day = published - timedelta(days=1)
        return day, day
    if match["today"]:
        overnight = match["today"].lower() in words.overnight_words
        return published - timedelta(days=1) if overnight else published, published
    if match["past"]:
        count = match["count"]
        amount = int(count) if count.isdigit() else words.small_counts[count.lower()]
        span = timedelta(hours=amount * words.unit_hours[match["unit"].lower()])
        return (published - span) if span >= timedelta(days=1) else published - timedelta(days=1), published
    if match["lastweek"]:
        return published - timedelta(days=7), published
    if match["monthday"]:
        try:
            day = date(published.year, words.months[match["month"].lower().rstrip(".")], int(match["day"]))
        except ValueError:
            return None, None
        if day > published:     # "on December 30" in a January report is last year's
            day = day.replace(year=day.year - 1)
        return day, day
    return None, None


def find_times(text: str, start: int, end: int, published: date | None, words: TimeWords) -> list[TimeRef]:
    """Time references in text[start:end], resolved where a publication date is known."""
    found = []
    for match in words.relative.finditer(text, start, end):
        earliest, latest = _resolve(match, published, words)
        found.append(TimeRef(match.group(), match.start(), match.end(), earliest, latest))
    for date_start, date_end, value in find_dates(text[start:end], words):
        found.append(TimeRef(text[start + date_start:start + date_end], start + date_start,
                             start + date_end, value, value))
    return sorted(found, key=lambda t: t.start)
