"""When a figure's event happened, resolved against the publication date.

"on Monday" is the last Monday on or before publication, "yesterday" the day before,
"over the past 24 hours" the day up to publication; calendar dates are taken as written
(the year from publication when the text omits it).
"""
from __future__ import annotations

import re
from datetime import date, timedelta

from ..dates import MONTHS, WEEKDAYS, find_dates
from ..model import TimeRef

RELATIVE = re.compile(
    r"\b(?:(?P<weekday>(?:on\s+)?(?:" + "|".join(WEEKDAYS) + r"))(?:\s+(?:morning|afternoon|evening|night))?"
    r"|(?P<yesterday>yesterday|last\s+night)"
    r"|(?P<today>today|this\s+morning|this\s+afternoon|earlier\s+today|overnight|tonight)"
    r"|(?P<past>(?:over\s+|in\s+|during\s+)?the\s+(?:past|last)\s+(?P<count>\d+|two|three|few)\s+"
    r"(?P<unit>hours|days|weeks))"
    r"|(?P<lastweek>last\s+week|this\s+week|earlier\s+this\s+week)"
    r"|(?P<monthday>(?:on\s+)?(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) +
    r")\.?\s+(?P<day>[0-3]?\d)(?!\d|,?\s*(?:19|20)\d\d))"
    r")\b",
    re.IGNORECASE,
)
SMALL = {"two": 2, "three": 3, "few": 3}


def _resolve(match: re.Match, published: date | None) -> tuple[date | None, date | None]:
    if published is None:
        return None, None
    if match["weekday"]:
        name = match["weekday"].lower().split()[-1]
        back = (published.weekday() - WEEKDAYS.index(name)) % 7
        day = published - timedelta(days=back)
        return day, day
    if match["yesterday"]:
        day = published - timedelta(days=1)
        return day, day
    if match["today"]:
        return published - timedelta(days=1) if "overnight" in match["today"].lower() else published, published
    if match["past"]:
        count = match["count"]
        amount = int(count) if count.isdigit() else SMALL[count.lower()]
        unit = match["unit"].lower()
        span = {"hours": timedelta(hours=amount), "days": timedelta(days=amount),
                "weeks": timedelta(weeks=amount)}[unit]
        return (published - span) if span >= timedelta(days=1) else published - timedelta(days=1), published
    if match["lastweek"]:
        return published - timedelta(days=7), published
    if match["monthday"]:
        try:
            day = date(published.year, MONTHS[match["month"].lower().rstrip(".")], int(match["day"]))
        except ValueError:
            return None, None
        if day > published:     # "on December 30" in a January report is last year's
            day = day.replace(year=day.year - 1)
        return day, day
    return None, None


def find_times(text: str, start: int, end: int, published: date | None) -> list[TimeRef]:
    """Time references in text[start:end], resolved where a publication date is known."""
    found = []
    for match in RELATIVE.finditer(text, start, end):
        earliest, latest = _resolve(match, published)
        found.append(TimeRef(match.group(), match.start(), match.end(), earliest, latest))
    for date_start, date_end, value in find_dates(text[start:end]):
        found.append(TimeRef(text[start + date_start:start + date_end], start + date_start,
                             start + date_end, value, value))
    return sorted(found, key=lambda t: t.start)
