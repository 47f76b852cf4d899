"""Events across documents: figures of the same category, compatible places (the same
place, or one within the other: neighbourhood in city in governorate) and dates within a
window. Near-duplicate articles count as one independent report. For each event: min /
median / max over reports, the range a careful analyst would give (the middle half of the
independent reports when there are four or more, else their full span), and
contradictions: pairs of figures from different reports whose bounds cannot both hold.
"""
from __future__ import annotations

import statistics
from collections import Counter, defaultdict, deque
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from ..extract.places import KIND_RANK
from ..model import Event
from ..registry import language
from ..settings import DEFAULT, Settings
from .claims import claim_rows, claims_of, contradiction_rows, revision_rows, statements_of
from .copies import near_duplicates, shingles
from .intervals import VagueRanges, interval, overlap, point


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
    incident: int | None = None
    # Implicit counts of reports that tell of the event without a figure: evidence only.
    evidence: list[dict[str, Any]] = field(default_factory=list)


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
EVENTS_PER_TEXT_READ = 256


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


@dataclass
class EventResult:
    events: list[Event]
    members: list[dict[str, Any]]
    contradictions: list[dict[str, Any]]
    claims: list[dict[str, Any]] = field(default_factory=list)
    revisions: list[dict[str, Any]] = field(default_factory=list)


def group_events(rows: list[dict[str, Any]], texts_for, window_days: int = 2,
                 settings: Settings = DEFAULT, incident_of: dict[str, int] | None = None) -> EventResult:
    """Events from figure rows (as the store's `figures_for_events` gives them).

    `texts_for(keys)` returns document texts, read once for the documents that share an
    event with another document, to find near-duplicate copies. `incident_of` (reports
    joined by reconcile/incidents.py) puts the figures of a report into
    its incident's event of their category, whatever their dates and places say; a
    report in no shared incident (a roundup of many places never joins one) is read
    figure by figure.
    """
    window = timedelta(days=window_days)
    lang = language(settings)
    ranges = lang.checks.vague_ranges
    usable = [r for r in rows if r["section"] != "comment" and r["certainty"] == "reported"
              and r["relation"] != "subgroup" and r["who"] not in lang.figures.subgroup_who
              and r.get("scope", "incident") == "incident"
              and interval(r["low"], r["high"], r["vague"], False, r["text"], ranges) is not None]
    # Implicit counts ("a man was shot and killed") join the events figures make, never
    # make one: they say that a report tells of the event, not how many it counts.
    evidence = [r for r in usable if r.get("implicit")]
    usable = [r for r in usable if not r.get("implicit")]
    # Specific places first, so that a country-level figure, or a city named like its
    # province ("Idlib"), finds the event it belongs to.
    usable.sort(key=lambda r: (r["category"], _when(r) or date.min,
                               r["place_kind"] in COARSE or len(_names(r)) > 1,
                               r["document_key"], r["figure_no"]))
    drafts: list[EventDraft] = []
    open_by_category: dict[str, deque[EventDraft]] = defaultdict(deque)
    incident_of = incident_of or {}
    # Reports another report joins (a roundup of many places never is: incidents.py).
    size = Counter(incident_of.values())
    joined = {key: incident for key, incident in incident_of.items() if size[incident] > 1}
    by_incident: dict[tuple[str, int], EventDraft] = {}
    for row in usable:
        when = _when(row)
        chosen = None
        value = _value(row, ranges)
        incident = joined.get(row["document_key"])
        if incident is not None:
            chosen = by_incident.get((row["category"], incident))
            if chosen is None:
                chosen = by_incident[(row["category"], incident)] = EventDraft(
                    row["category"], row["place_canonical"], _chain(row) | _names(row), when, when,
                    row["place_country"], names={row["place_canonical"]}, incident=incident)
                drafts.append(chosen)
            _add_member(chosen, row, value, when)
            continue
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
        _add_member(chosen, row, value, when)

    _attach_evidence(evidence, drafts, by_incident, joined, window)

    events, members, contradictions, claims, revisions = [], [], [], [], []
    # Figures kept out of the event's values (a comment's, a possibility) are still claims.
    aside: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    in_values = {(r["document_key"], r["figure_no"]) for r in usable}
    for row in rows:
        if row.get("implicit"):
            continue
        if (row["document_key"], row["figure_no"]) not in in_values and row["relation"] != "subgroup" \
                and (row["section"] == "comment" or row["certainty"] != "reported"):
            aside[(row["document_key"], row["category"])].append(row)
    shared = [d for d in drafts if len({m["document_key"] for m in d.members + d.evidence}) > 1]
    shingles_of: dict[str, frozenset[int]] = {}
    for number, draft in enumerate(shared):
        event_id = number + 1
        keys = {m["document_key"] for m in draft.members + draft.evidence}
        if number % EVENTS_PER_TEXT_READ == 0:
            # The texts of a few hundred events at a time: a corpus's texts and their
            # shingles never sit in memory all at once.
            chunk = shared[number:number + EVENTS_PER_TEXT_READ]
            shingles_of = {key: shingles(text) for key, text in
                           texts_for({m["document_key"] for d in chunk for m in d.members + d.evidence}).items()}
        copies = near_duplicates({k: shingles_of.get(k, frozenset()) for k in keys})
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
        context = [r for k in sorted(keys) for r in aside.get((k, draft.category), [])]
        statements = statements_of(draft.members + context, ranges)
        event_claims = claims_of(statements)
        claims += claim_rows(event_id, event_claims)
        revisions += revision_rows(event_id, statements)
        event_contradictions = contradiction_rows(event_id, event_claims, report_of)
        contradictions += event_contradictions
        place_row = _naming_member(draft.members)
        draft.place = place_row["place_canonical"]
        sources = {m["source_name"] or f"{m['outlet'] or 'unknown outlet'} (own voice)" for m in draft.members}
        # The incident most of its documents are in; of equals the lowest, so that every
        # run gives the same answer (`keys` is a set).
        held = Counter(incident_of[k] for k in keys if k in incident_of)
        events.append(Event(
            event_id=event_id, category=draft.category, place=draft.place,
            incident_id=draft.incident if draft.incident is not None else (
                min(held, key=lambda incident: (-held[incident], incident)) if held else None),
            place_country=place_row["place_country"], lat=place_row["lat"], lon=place_row["lon"],
            first_date=draft.first, last_date=draft.last, n_figures=len(draft.members),
            n_documents=len(keys), n_reports=len(report_ids), n_sources=len(sources),
            minimum=values[0], median=statistics.median(values), maximum=values[-1],
            careful_low=careful[0], careful_high=careful[1],
            n_contradictions=len(event_contradictions),
            summary=f"{draft.category} in {draft.place or 'unplaced'}: {len(report_ids)} independent "
                    f"report(s), {len(sources)} source(s), {values[0]:,.0f}-{values[-1]:,.0f}, "
                    f"careful range {careful[0]:,.0f}-{careful[1]:,.0f}",
        ))
        for m in draft.members:
            bounds = interval(m["low"], m["high"], m["vague"], False, m["text"], ranges)
            members.append({"event_id": event_id, "document_key": m["document_key"],
                            "figure_no": m["figure_no"], "report": report_ids[report_of[m["document_key"]]],
                            "in_range": bool(bounds and overlap(bounds, careful)), "implicit": False})
        for m in draft.evidence:
            members.append({"event_id": event_id, "document_key": m["document_key"],
                            "figure_no": m["figure_no"], "report": report_ids[report_of[m["document_key"]]],
                            "in_range": None, "implicit": True})
    return EventResult(events, members, contradictions, claims, revisions)


def _attach_evidence(evidence: list[dict[str, Any]], drafts: list[EventDraft],
                     by_incident: dict[tuple[str, int], EventDraft], joined: dict[str, int],
                     window: timedelta) -> None:
    """Each report's first implicit count of a category joins the event of its incident
    (when the report is joined to others), else the event in its place (or within it)
    that most reports describe, begun within the window before or after it."""
    at_place: dict[tuple[str, str], list[EventDraft]] = defaultdict(list)
    for draft in drafts:
        if draft.incident is None:
            for name in draft.chain | draft.names:
                if name:
                    at_place[(draft.category, name)].append(draft)
    order = {id(draft): number for number, draft in enumerate(drafts)}
    taken: set[tuple[str, str]] = set()
    for row in evidence:
        key = (row["document_key"], row["category"])
        if key in taken:
            continue
        incident = joined.get(row["document_key"])
        if incident is not None:
            chosen = by_incident.get((row["category"], incident))
        else:
            when = _when(row)
            candidates = [d for name in _chain(row) | _names(row) if name
                          for d in at_place.get((row["category"], name), ())
                          if when and d.first and abs(when - d.first) <= window and _compatible(row, d)]
            chosen = max(candidates, key=lambda d: (len(d.documents), -order[id(d)]), default=None)
        if chosen is not None and row["document_key"] not in chosen.documents:
            chosen.evidence.append(row)
            taken.add(key)


def _add_member(event: EventDraft, row: dict[str, Any], value: float, when: date | None) -> None:
    event.members.append(row)
    event.values.append(value)
    event.documents.add(row["document_key"])
    if row["place_kind"] not in COARSE:
        # Its own name only: "Aleppo" read as the province must not let every town of
        # the province join an event in the city.
        event.names.add(row["place_canonical"])
    if when:
        event.first = min(event.first, when) if event.first else when
        event.last = max(event.last, when) if event.last else when
    # The event takes the most specific place its members name.
    if row["place_canonical"] and row["place_kind"] not in COARSE:
        event.chain |= _chain(row) | _names(row)


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
