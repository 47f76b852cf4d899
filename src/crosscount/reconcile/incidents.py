"""Incidents: the reports of one incident found across a corpus, whatever they count.

A report is described by what tells its incident from others (extract/descriptors.py):
the words of the people it names, their ages, its places and its title's words. Two
reports are joined when the descriptors they share are rare enough to outweigh chance:

- a descriptor counts only from lines the corpus does not repeat on many pages (a site's
  template: captions, credits, "Privacy Policy"), and only when few reports share it (a
  name in dozens of reports is a public figure or a reporter, not a victim);
- its weight is its rarity, log(reports / reports sharing it), a small corpus counted as
  a thousand reports;
- reports published within a few days need less shared weight than reports weeks apart:
  a follow-up (an arrest, a trial, a funeral) joins its incident by the names it repeats;
- reports published within a day that name the same town or city get a little more.

Joined reports form incidents (union-find); every report is in exactly one, most of them
alone. Events (reconcile/events.py) then take their figures per category and incident.
Pairs are found through an index of descriptors, never by comparing every pair.
"""
from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from itertools import combinations

from ..extract.descriptors import SPECIFIC_PLACES
from .groups import DisjointSets

# A line repeated on this many pages is the site's, not the report's; so is a descriptor
# on this many pages of one outlet spread over more than a month.
TEMPLATE_LINE_PAGES = 3
TEMPLATE_SPAN_DAYS = 30
# Rarity is counted as in a corpus of at least this many reports.
REFERENCE_REPORTS = 1000
# A descriptor shared by more reports than this tells no incident apart.
MOST_REPORTS_PER_DESCRIPTOR = 15
# Reports this many days apart or fewer are "near": less shared weight joins them.
NEAR_DAYS = 3
NEAR_WEIGHT = 10.0
FAR_WEIGHT = 22.0
# Of that, reports weeks apart need this much from people's names.
FAR_NAMES_WEIGHT = 10.0
# Reports a day apart naming the same town or city: this much weight more.
SAME_PLACE_SAME_DAY = 5.0
# Reports that each name towns, none the same, are joined only on this much.
OTHER_PLACES_WEIGHT = 33.0
# Near reports join an incident only while its reports stay within this many days.
NEAR_SPAN_DAYS = 7
# A report whose figures are in more towns, cities or districts than this is a roundup
# (or a story of one incident that names many places): it joins one incident at most, by
# its strongest link, and only on this much shared weight.
ROUNDUP_PLACES = 3
ROUNDUP_WEIGHT = 30.0


@dataclass(frozen=True, slots=True)
class ReportDescriptor:
    report: str      # the document's key
    kind: str        # name, age, place, title
    value: str
    line: int


def link_reports(descriptors: Iterable[ReportDescriptor], published: dict[str, date | None],
                 roundups: frozenset[str] = frozenset(), outlets: dict[str, str | None] | None = None
                 ) -> dict[str, int]:
    """Each report's incident number (1, 2, ...), reports with no descriptor included.
    `roundups`, reports whose figures lie in many places, join one incident at most."""
    descriptors = list(descriptors)
    pages_of_line: dict[int, set[str]] = defaultdict(set)
    for d in descriptors:
        pages_of_line[d.line].add(d.report)
    template = {line for line, pages in pages_of_line.items() if len(pages) >= TEMPLATE_LINE_PAGES}
    kept: dict[tuple[str, str], set[str]] = defaultdict(set)
    for d in descriptors:
        if d.line not in template:
            kept[(d.kind, d.value)].add(d.report)
    if outlets:
        for holders in kept.values():
            holders -= _outlet_template(holders, published, outlets)
    reports = sorted(published)
    # Rarity as in a stream of news at least this large: in a small corpus a name two
    # reports share is as rare as it is in the world.
    total = max(len(reports), REFERENCE_REPORTS)
    weight: Counter[tuple[str, str]] = Counter()
    by_names: Counter[tuple[str, str]] = Counter()    # the part of it that people's names give
    for key, holders in kept.items():
        if 2 <= len(holders) <= MOST_REPORTS_PER_DESCRIPTOR:
            rarity = math.log(total / len(holders))
            for a, b in combinations(sorted(holders), 2):
                weight[(a, b)] += rarity
                if key[0] == "name":
                    by_names[(a, b)] += rarity
    # Reports a day apart in the same town: any town, however many reports name it.
    places: dict[str, set[str]] = defaultdict(set)
    for (kind, value), holders in kept.items():
        if kind == "place":
            for report in holders:
                places[report].add(value)
    by_place: dict[str, list[str]] = defaultdict(list)
    for report, names in places.items():
        for name in names:
            by_place[name].append(report)
    for holders in by_place.values():
        holders.sort(key=lambda r: (published.get(r) or date.min, r))
        for index, a in enumerate(holders):
            day = published.get(a)
            if day is None:
                continue
            for b in holders[index + 1:]:
                other = published.get(b)
                if other is None or (other - day).days > 1:
                    break
                weight[(min(a, b), max(a, b))] += SAME_PLACE_SAME_DAY
    groups = DisjointSets(reports)
    span = {r: (published.get(r), published.get(r)) for r in reports}
    roundup_joined: set[str] = set()

    # Strongest links first; a link through near dates never stretches an incident over
    # more than a week, so that a place's daily reports do not chain into one incident.
    for (a, b), shared in sorted(weight.items(), key=lambda item: (-item[1], item[0])):
        if a not in groups or b not in groups:
            continue
        in_roundup = [r for r in (a, b) if r in roundups]
        if in_roundup and (shared < ROUNDUP_WEIGHT or any(r in roundup_joined for r in in_roundup)):
            continue    # a roundup joins only its strongest link: it never chains incidents
        first, second = published.get(a), published.get(b)
        near = first is not None and second is not None and abs((first - second).days) <= NEAR_DAYS
        needed = NEAR_WEIGHT if near else FAR_WEIGHT
        if not near and by_names[(a, b)] < FAR_NAMES_WEIGHT:
            continue    # weeks apart, only the people named say it is the same incident
        if places.get(a) and places.get(b) and not places[a] & places[b]:
            needed = OTHER_PLACES_WEIGHT    # "Little Rock" and "Hayward": two incidents, unless much says one
        if shared < needed:
            continue
        root_a, root_b = groups.find(a), groups.find(b)
        if root_a == root_b:
            continue
        joined = _union_span(span[root_a], span[root_b])
        if shared < FAR_WEIGHT and joined[0] and joined[1] and (joined[1] - joined[0]).days > NEAR_SPAN_DAYS:
            continue
        span[groups.union(a, b)] = joined
        roundup_joined.update(in_roundup)
    numbers: dict[str, int] = {}
    incident_of = {}
    for report in reports:
        root = groups.find(report)
        numbers.setdefault(root, len(numbers) + 1)
        incident_of[report] = numbers[root]
    return incident_of


def _outlet_template(holders: set[str], published: dict[str, date | None],
                     outlets: dict[str, str | None]) -> set[str]:
    """The reports of an outlet that carry a descriptor on pages months apart: its site's
    sidebar or template in a text flattened to one line, not one incident's words."""
    by_outlet: dict[str, list[date]] = defaultdict(list)
    for report in holders:
        if outlets.get(report) and published.get(report):
            by_outlet[outlets[report]].append(published[report])
    spread = {outlet for outlet, days in by_outlet.items()
              if len(days) >= TEMPLATE_LINE_PAGES and (max(days) - min(days)).days > TEMPLATE_SPAN_DAYS}
    return {r for r in holders if outlets.get(r) in spread}


def _union_span(a: tuple[date | None, date | None], b: tuple[date | None, date | None]
                ) -> tuple[date | None, date | None]:
    firsts = [d for d in (a[0], b[0]) if d]
    lasts = [d for d in (a[1], b[1]) if d]
    return (min(firsts) if firsts else None, max(lasts) if lasts else None)


def incident_rows(incident_of: dict[str, int], published: dict[str, date | None],
                  places: dict[str, str | None], categories: dict[str, set[str]]
                  ) -> tuple[list[dict], list[dict]]:
    """The incidents table (one row an incident) and its members (one row a report)."""
    members: dict[int, list[str]] = defaultdict(list)
    for report, number in incident_of.items():
        members[number].append(report)
    incidents, rows = [], []
    for number, reports in sorted(members.items()):
        days = [published[r] for r in reports if published.get(r)]
        named = Counter(places[r] for r in reports if places.get(r))
        place = named.most_common(1)[0][0] if named else None
        reported = sorted(set().union(*(categories.get(r, set()) for r in reports)))
        first, last = (min(days), max(days)) if days else (None, None)
        incidents.append({
            "incident_id": number, "first_date": first, "last_date": last, "place": place,
            "n_documents": len(reports), "categories": reported,
            "summary": f"{len(reports)} report(s)" + (f" in {place}" if place else "")
                       + (f", {first}" + (f" to {last}" if last != first else "") if first else "")
                       + (f": {', '.join(reported)}" if reported else ""),
        })
        rows += [{"incident_id": number, "document_key": r} for r in sorted(reports)]
    return incidents, rows


def find_incidents(descriptor_rows: Iterable[tuple[str, str, str, int]], published: dict[str, date | None],
                   figure_rows: Iterable[dict], outlets: dict[str, str | None] | None = None,
                   copies: dict[str, str] | None = None
                   ) -> tuple[dict[str, int], list[dict], list[dict]]:
    """Incidents from the store's rows: each report's incident, the incidents table and its
    members. A report's place is the town or city its descriptors name most. `copies`
    (reconcile/copies.py) maps each copy of a report to its group's representative: a copy
    group is read as one report, so that a wire story on three sites is not taken for a
    site's template, and its copies are one incident."""
    copies = copies or {}
    descriptors = [ReportDescriptor(*row) for row in descriptor_rows]
    figure_rows = list(figure_rows)
    figure_places: dict[str, set[str]] = defaultdict(set)
    for row in figure_rows:
        if row["place_canonical"] and row["place_kind"] in SPECIFIC_PLACES:
            figure_places[row["document_key"]].add(row["place_canonical"])
    roundups = frozenset(copies.get(k, k) for k, names in figure_places.items() if len(names) > ROUNDUP_PLACES)
    # A copy group is dated by its first copy and named by its first outlet.
    group_published: dict[str, date | None] = {}
    group_outlet: dict[str, str | None] = {}
    for report in sorted(published):
        group = copies.get(report, report)
        days = [d for d in (group_published.get(group), published[report]) if d]
        group_published[group] = min(days) if days else None
        group_outlet[group] = group_outlet.get(group) or (outlets or {}).get(report)
    group_descriptors = {ReportDescriptor(copies.get(d.report, d.report), d.kind, d.value, d.line)
                         for d in descriptors}
    incident_of_group = link_reports(sorted(group_descriptors, key=lambda d: (d.report, d.kind, d.value, d.line)),
                                     group_published, roundups, group_outlet)
    incident_of = {report: incident_of_group[copies.get(report, report)] for report in published}
    named: dict[str, Counter[str]] = defaultdict(Counter)
    for d in descriptors:
        if d.kind == "place":
            named[d.report][d.value] += 1
    places = {report: counts.most_common(1)[0][0] for report, counts in named.items()}
    categories: dict[str, set[str]] = defaultdict(set)
    for row in figure_rows:
        if row["section"] != "comment":
            categories[row["document_key"]].add(row["category"])
    incidents, members = incident_rows(incident_of, published, places, categories)
    return incident_of, incidents, members
