"""Cross-checking: within one document, and across the documents of an event.

Within a document (`check_document`):
- parts_total: parts of one count ("about 1,700 ... and about 2,500 to ...") summed and held
  against a stated total of the same category ("Over 4,000");
- headline_body: each headline figure against the body's figures of its category;
- comment_article: each reader comment's figure against the article's.

Across documents (`group_events`): figures of the same category, compatible places (the
same place, or one within the other: neighbourhood in city in governorate) and dates
within a window form an event. Near-duplicate articles (one wire copy on many sites)
count as one independent report. For each event: min / median / max over reports, the
range a careful analyst would give (the middle half of the independent reports when
there are four or more, else their full span), and contradictions: pairs of figures from
different reports whose bounds cannot both hold.

A figure's interval: exact X is [X, X] (hedged ones ±10 %, others ±2 %), "at least X" is
[X, inf), "up to X" is [0, X]; vague amounts read as analysts read them: "dozens" 24-99,
"hundreds" 200-1,999, "thousands" 2,000-99,999 (tens of thousands are still "thousands" in
news copy) and so on. Hypothetical and denied figures are not held against others.
"""
from __future__ import annotations

import math
import re
import statistics
from collections import defaultdict, deque
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from .extract.places import KIND_RANK
from .model import Analysis, Figure
from .registry import language
from .settings import DEFAULT, Settings
from .store import CheckRecord

VagueRanges = tuple[tuple[re.Pattern, float, float], ...]

_WORD = re.compile(r"\w+")
EXACT_TOLERANCE, HEDGED_TOLERANCE = 0.02, 0.10


def interval(low: float | None, high: float | None, vague: bool, approx: bool, text: str,
             vague_ranges: VagueRanges) -> tuple[float, float] | None:
    """The values a figure allows, as a closed interval; None when nothing is known.
    `vague_ranges`: the language's reading of vague amounts (checks.vague_ranges)."""
    if vague:
        for pattern, lo, hi in vague_ranges:
            if pattern.search(text):
                return float(lo), float(hi)
        return None
    if low is None and high is None:
        return None
    tolerance = HEDGED_TOLERANCE if approx else EXACT_TOLERANCE
    lo = low * (1 - tolerance) if low is not None else 0.0
    hi = high * (1 + tolerance) if high is not None else math.inf
    return lo, hi


def point(low: float | None, high: float | None) -> float | None:
    """One number for a figure, for medians: the stated value, or the bound that is given."""
    if low is not None and high is not None:
        return (low + high) / 2
    return low if low is not None else high


def _overlap(a: tuple[float, float], b: tuple[float, float]) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


def _describe(figure: Figure) -> str:
    source = f" ({figure.source.name})" if figure.source else ""
    return f"'{figure.text}'{source}"


# ---------------------------------------------------------------- within a document
def check_document(analysis: Analysis, settings: Settings = DEFAULT) -> list[CheckRecord]:
    lang = language(settings)
    subgroup_who = lang.figures.subgroup_who

    def _figure_interval(figure: Figure) -> tuple[float, float] | None:
        return interval(figure.low, figure.high, figure.vague, figure.approx, figure.text,
                        lang.checks.vague_ranges)

    def _is_main(figure: Figure) -> bool:
        """A count of everyone affected, not a subgroup of it ("including five children")."""
        return figure.relation != "subgroup" and figure.who not in subgroup_who

    def _bounds_of(indices: tuple[int, ...], figures: list[Figure], sums) -> tuple[float, float]:
        for group, total in sums:
            if tuple(group) == indices:
                return total
        return _figure_interval(figures[indices[0]]) or (0.0, math.inf)

    def _most_specific_first(candidates, figures, sums):
        """Sums of parts and exact counts before open-ended and vague ones."""
        def width(candidate) -> float:
            low, high = _bounds_of(candidate, figures, sums)
            vague = len(candidate) == 1 and figures[candidate[0]].vague
            return (math.inf if vague else 0) + (high - low if math.isfinite(high) else 1e18)
        return sorted(candidates, key=lambda c: (-(len(c) > 1), width(c)))

    figures = list(analysis.figures)
    checks: list[CheckRecord] = []
    article = [i for i, f in enumerate(figures)
               if f.section != "comment" and _is_main(f) and f.certainty == "reported"]

    # Parts: a figure and its siblings ("1,700 to X and 2,500 to Y").
    parts_of: dict[int, list[int]] = defaultdict(list)
    for i, figure in enumerate(figures):
        if figure.relation == "sibling" and figure.related is not None:
            root = figure.related
            while figures[root].relation == "sibling" and figures[root].related is not None:
                root = figures[root].related
            parts_of[root].append(i)
    sums: list[tuple[list[int], tuple[float, float]]] = []
    for root, siblings in parts_of.items():
        group = [root, *siblings]
        intervals = [_figure_interval(figures[i]) for i in group]
        if any(v is None for v in intervals):
            continue
        total = (sum(v[0] for v in intervals), sum(v[1] for v in intervals))
        sums.append((group, total))
        stated = [i for i in article if i not in group and figures[i].category == figures[root].category
                  and (figures[i].section == "headline" or figures[i].sentence != figures[root].sentence)]
        for i in stated:
            bounds = _figure_interval(figures[i])
            if bounds is None:
                continue
            verdict = "consistent" if _overlap(bounds, total) else "inconsistent"
            parts = " + ".join(f"'{figures[j].text}'" for j in group)
            exact = sum(point(figures[j].low, figures[j].high) or 0 for j in group)
            checks.append(CheckRecord(
                "parts_total", verdict, (i, *group),
                f"{parts} = {exact:,.0f} {'fits' if verdict == 'consistent' else 'does not fit'} "
                f"{_describe(figures[i])} ({figures[i].category})"))

    # Headline against body.
    body = [i for i in article if figures[i].section == "body"]
    for h in (i for i in article if figures[i].section == "headline"):
        headline_bounds = _figure_interval(figures[h])
        if headline_bounds is None:
            continue
        same = [i for i in body if figures[i].category == figures[h].category]
        candidates = _most_specific_first([(i,) for i in same] + [tuple(g) for g, _ in sums if g[0] in same],
                                          figures, sums)
        if not candidates:
            checks.append(CheckRecord("headline_body", "unverified", (h,),
                                      f"headline {_describe(figures[h])}: the body gives no "
                                      f"{figures[h].category} figure"))
            continue
        matching = [c for c in candidates if _overlap(headline_bounds, _bounds_of(c, figures, sums))]
        chosen = matching[0] if matching else candidates[0]
        verdict = "consistent" if matching else "inconsistent"
        checks.append(CheckRecord(
            "headline_body", verdict, (h, *chosen),
            f"headline {_describe(figures[h])} {'agrees with' if matching else 'disagrees with'} "
            f"body {' + '.join(_describe(figures[i]) for i in chosen)}"))

    # Reader comments against the article.
    for c, figure in enumerate(figures):
        if figure.section != "comment" or not _is_main(figure) or figure.certainty != "reported":
            continue
        claimed = _figure_interval(figure)
        same = [i for i in article if figures[i].category == figure.category]
        if claimed is None or not same:
            continue
        candidates = _most_specific_first([(i,) for i in same] + [tuple(g) for g, _ in sums if g[0] in same],
                                          figures, sums)
        # A claim is judged against the article's most specific counts: an open "over
        # 4,000" admits any larger number, a sum of parts does not.
        specific = [x for x in candidates if math.isfinite(_bounds_of(x, figures, sums)[1])
                    and not (len(x) == 1 and figures[x[0]].vague)]
        candidates = specific or candidates
        matching = [x for x in candidates if _overlap(claimed, _bounds_of(x, figures, sums))]
        verdict = "consistent" if matching else "inconsistent"
        shown = matching[0] if matching else candidates[0]
        who = f"comment {figure.comment + 1}" if figure.comment is not None else "a comment"
        checks.append(CheckRecord(
            "comment_article", verdict, (c, *shown),
            f"{who} claims {_describe(figure)}; the article says "
            f"{' + '.join(_describe(figures[i]) for i in shown)}"
            f"{'' if matching else ': they cannot both hold'}"))
    return checks


# ---------------------------------------------------------------- across documents
@dataclass
class EventDraft:
    category: str
    place: str | None
    chain: set[str]
    first: date | None
    last: date | None
    country: str | None = None
    members: list[dict[str, Any]] = field(default_factory=list)
    documents: set[str] = field(default_factory=set)
    names: set[str] = field(default_factory=set)     # the members' places themselves
    values: list[float] = field(default_factory=list)


def _chain(row: dict[str, Any]) -> set[str]:
    """A place and what it lies within, below the country level."""
    names = {row["place_canonical"]}
    if row.get("place_within"):
        names.add(row["place_within"])
    return {n for n in names if n}


def _names(row: dict[str, Any]) -> set[str]:
    """What a place name may mean: itself, and for a town named like its governorate
    ("Idlib" within "Idlib Governorate") the governorate too."""
    names = {row["place_canonical"]}
    if row.get("place_may_mean"):
        names.add(row["place_may_mean"])
    return names


COARSE = frozenset({"country", "province", "region"})


def _compatible(row: dict[str, Any], event: EventDraft) -> bool:
    """Same place, or one within the other. A coarse place (a country, a governorate, a
    region) joins a more specific event only when its own document already reports that
    event ("Syria gas attack kills 58" over a body about Khan Shaykhun): otherwise any
    "Syria" figure would join whatever Syrian event is open that day."""
    if row["place_canonical"] is None:
        return event.place is None
    if event.place is None:
        return False
    if row["place_kind"] in COARSE:
        if row["place_canonical"] == event.place:
            return True
        if row["document_key"] not in event.documents:
            return False
        return (row["place_canonical"] in event.chain
                or (row["place_kind"] == "country" and row["place_country"] == event.country))
    # One place within the other, never two places that merely share a governorate.
    return bool(_names(row) & event.chain) or bool(_chain(row) & event.names)


MAGNITUDE = 10.0   # reports of one event rarely differ by more than tenfold


def _value(row: dict[str, Any], vague_ranges: VagueRanges) -> float:
    value = point(row["low"], row["high"])
    if value is None:
        bounds = interval(row["low"], row["high"], row["vague"], False, row["text"], vague_ranges)
        value = (bounds[0] + bounds[1]) / 2
    return max(value, 1.0)


def _same_magnitude(value: float, event: EventDraft) -> bool:
    middle = statistics.median(event.values)
    return middle / MAGNITUDE <= value <= middle * MAGNITUDE


def _when(row: dict[str, Any]) -> date | None:
    return row.get("time_earliest") or row.get("published")


def _shingles(text: str, size: int = 5) -> frozenset[int]:
    """The text's runs of five words, each kept as its hash: the sets are only compared
    with each other within one run (zip builds the runs without a Python loop)."""
    words = _WORD.findall(text.lower())
    return frozenset(map(hash, zip(*(words[i:] for i in range(size)))))


def near_duplicates(shingles: dict[str, frozenset[int]], threshold: float = 0.6) -> dict[str, str]:
    """Each document key mapped to its copy group's first key (5-word shingles, Jaccard)."""
    keys = sorted(shingles)
    parent = {k: k for k in keys}

    def find(k: str) -> str:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for i, a in enumerate(keys):
        sa = shingles[a]
        for b in keys[i + 1:]:
            sb = shingles[b]
            # Jaccard is at most the smaller set's share of the larger: most pairs stop here.
            if not sa or not sb or min(len(sa), len(sb)) < threshold * max(len(sa), len(sb)):
                continue
            shared = len(sa & sb)
            if shared >= threshold * (len(sa) + len(sb) - shared):
                parent[find(b)] = find(a)
    return {k: find(k) for k in keys}


@dataclass
class EventResult:
    events: list[dict[str, Any]]
    members: list[dict[str, Any]]
    contradictions: list[dict[str, Any]]


def group_events(rows: list[dict[str, Any]], texts_for, window_days: int = 2,
                 settings: Settings = DEFAULT) -> EventResult:
    """Events from figure rows (as the store's `figures_for_events` gives them).

    `texts_for(keys)` returns document texts, read once for the documents that share an
    event with another document, to find near-duplicate copies.
    """
    window = timedelta(days=window_days)
    lang = language(settings)
    ranges = lang.checks.vague_ranges
    usable = [r for r in rows if r["section"] != "comment" and r["certainty"] == "reported"
              and r["relation"] != "subgroup" and r["who"] not in lang.figures.subgroup_who
              and r.get("scope", "incident") == "incident"
              and interval(r["low"], r["high"], r["vague"], False, r["text"], ranges) is not None]
    # Specific places first, so that a country-level figure, or a city named like its
    # province ("Idlib"), finds the event it belongs to.
    usable.sort(key=lambda r: (r["category"], _when(r) or date.min,
                               r["place_kind"] in COARSE or len(_names(r)) > 1,
                               r["document_key"], r["figure_no"]))
    drafts: list[EventDraft] = []
    open_by_category: dict[str, deque[EventDraft]] = defaultdict(deque)
    for row in usable:
        when = _when(row)
        chosen = None
        value = _value(row, ranges)
        active = open_by_category[row["category"]]
        # Rows come in date order, so events begun before the window can take no more.
        while when and active and active[0].first and when - active[0].first > window:
            active.popleft()
        for event in active:
            # The window is anchored on the event's first report, so that a long battle's
            # daily tolls do not chain into one event.
            if when and event.first and when - event.first > window:
                continue
            if (when is None) != (event.first is None):
                continue
            # Of several events a figure fits, the one most reports already describe.
            if _compatible(row, event) and _same_magnitude(value, event) and (
                    chosen is None or len(event.documents) >= len(chosen.documents)):
                chosen = event
        if chosen is None:
            chosen = EventDraft(row["category"], row["place_canonical"], _chain(row) | _names(row),
                                when, when, row["place_country"], names={row["place_canonical"]})
            drafts.append(chosen)
            open_by_category[row["category"]].append(chosen)
        chosen.members.append(row)
        chosen.values.append(value)
        chosen.documents.add(row["document_key"])
        if row["place_kind"] not in COARSE:
            # Its own name only: "Aleppo" read as the province must not let every town of
            # the province join an event in the city.
            chosen.names.add(row["place_canonical"])
        if when:
            chosen.first = min(chosen.first, when) if chosen.first else when
            chosen.last = max(chosen.last, when) if chosen.last else when
        # The event takes the most specific place its members name.
        if row["place_canonical"] and row["place_kind"] not in COARSE:
            chosen.chain |= _chain(row) | _names(row)

    events, members, contradictions = [], [], []
    shared = [d for d in drafts if len({m["document_key"] for m in d.members}) > 1]
    texts = texts_for({m["document_key"] for d in shared for m in d.members})
    shingles = {key: _shingles(text) for key, text in texts.items()}
    for number, draft in enumerate(shared):
        event_id = number + 1
        keys = {m["document_key"] for m in draft.members}
        copies = near_duplicates({k: shingles.get(k, frozenset()) for k in keys})
        report_of = {k: copies.get(k, k) for k in keys}
        report_ids = {r: i for i, r in enumerate(sorted(set(report_of.values())))}
        # One value per independent report and source: the report's highest figure.
        per_report: dict[tuple[str, str], float] = {}
        # Vague amounts ("dozens") count only where no report gives a number.
        numeric = [(m, v) for m, v in zip(draft.members, draft.values) if not m["vague"]]
        for m, value in numeric or list(zip(draft.members, draft.values)):
            key = (report_of[m["document_key"]], m["source_name"] or m["outlet"] or "")
            per_report[key] = max(per_report.get(key, value), value)
        values = sorted(per_report.values())
        if len(values) >= 4:
            quartiles = statistics.quantiles(values, n=4, method="inclusive")
            careful = (quartiles[0], quartiles[2])
        else:
            careful = (values[0], values[-1])
        event_contradictions = _contradictions(event_id, draft.members, report_of, ranges)
        contradictions += event_contradictions
        place_row = _naming_member(draft.members)
        draft.place = place_row["place_canonical"]
        sources = {m["source_name"] or f"{m['outlet'] or 'unknown outlet'} (own voice)" for m in draft.members}
        events.append({
            "event_id": event_id, "category": draft.category, "place": draft.place,
            "place_country": place_row["place_country"], "lat": place_row["lat"], "lon": place_row["lon"],
            "first_date": draft.first, "last_date": draft.last, "n_figures": len(draft.members),
            "n_documents": len(keys), "n_reports": len(report_ids), "n_sources": len(sources),
            "minimum": values[0], "median": statistics.median(values), "maximum": values[-1],
            "careful_low": careful[0], "careful_high": careful[1],
            "n_contradictions": len(event_contradictions),
            "summary": f"{draft.category} in {draft.place or 'unplaced'}: {len(report_ids)} independent "
                       f"report(s), {len(sources)} source(s), {values[0]:,.0f}-{values[-1]:,.0f}, "
                       f"careful range {careful[0]:,.0f}-{careful[1]:,.0f}",
        })
        for m in draft.members:
            bounds = interval(m["low"], m["high"], m["vague"], False, m["text"], ranges)
            members.append({"event_id": event_id, "document_key": m["document_key"],
                            "figure_no": m["figure_no"], "report": report_ids[report_of[m["document_key"]]],
                            "in_range": bool(bounds and _overlap(bounds, careful))})
    return EventResult(events, members, contradictions)


def _naming_member(members: list[dict[str, Any]]) -> dict[str, Any]:
    """The member whose place names the event: the most specific place that two or more
    reports name (a single report's street or village may be a side detail), else the
    most specific of all; ties go to the place more reports name."""
    specific = [m for m in members if m["place_canonical"] and m["place_kind"] not in COARSE] or members
    reports: dict[str, set[str]] = defaultdict(set)
    for m in specific:
        if m["place_canonical"]:
            reports[m["place_canonical"]].add(m["document_key"])
    if not reports:
        return members[0]
    # A town named like its governorate ("Syria's Idlib") may mean the governorate: it
    # names an event only when nothing within it is named as often.
    rank = {m["place_canonical"]: KIND_RANK["province"] - 0.5 if len(_names(m)) > 1
            else KIND_RANK.get(m["place_kind"] or "", 3) for m in specific}
    shared = [p for p, keys in reports.items() if len(keys) > 1] or list(reports)
    best = min(shared, key=lambda p: (rank[p], -len(reports[p]), p))
    return next(m for m in specific if m["place_canonical"] == best)


def _contradictions(event_id: int, members: list[dict[str, Any]], report_of: dict[str, str],
                    ranges: VagueRanges) -> list[dict[str, Any]]:
    found = []
    for i, a in enumerate(members):
        for b in members[i + 1:]:
            if report_of[a["document_key"]] == report_of[b["document_key"]]:
                continue
            ia = interval(a["low"], a["high"], a["vague"], False, a["text"], ranges)
            ib = interval(b["low"], b["high"], b["vague"], False, b["text"], ranges)
            if ia is None or ib is None or _overlap(ia, ib):
                continue
            # Reports days apart are revisions of a toll, not claims that clash.
            if a["published"] and b["published"] and abs((a["published"] - b["published"]).days) > 1:
                continue
            name_a = a["source_name"] or f"{a['outlet']} (own voice)"
            name_b = b["source_name"] or f"{b['outlet']} (own voice)"
            found.append({
                "event_id": event_id, "first_key": a["document_key"], "first_no": a["figure_no"],
                "first_source": name_a, "second_key": b["document_key"], "second_no": b["figure_no"],
                "second_source": name_b,
                "explanation": f"{name_a} says '{a['text']}', {name_b} says '{b['text']}': both "
                               f"cannot hold",
            })
    return found
