"""An event's figures read as claims, toll revisions and contradictions.

- A statement is one figure, or the parts of one count summed ("about 1,700 to the west
  and about 2,500 to Sheikh Maksoud" is one statement of 4,200).
- A claim is a set of statements whose values can all hold together (their intervals
  share a value), with its sources, first and last date, sections (article, headline,
  comment) and certainties. Statements are taken in order of their lowest value and each
  joins the claim it fits, so a claim's values are the ones all of its statements allow.
- A revision is a source's figure replaced by a later one of its own ("SOHR: 58 → 72 →
  86"): each source's largest figure per report, in order of date; and the event's
  largest figure per day.
- A contradiction is between two claims made within a day of each other by different
  sources, reported in the article (not a comment, not a possibility), that no value can
  satisfy together: listed once per pair of claims.
"""
from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..model import Analysis
from ..registry import language
from ..settings import DEFAULT, Settings
from ..store import figure_row
from .intervals import VagueRanges, any_overlap, interval, overlap, point


@dataclass
class Statement:
    low: float                   # the values it allows (reconcile/intervals.py)
    high: float
    value: float | None          # the number it states (the sum, for parts)
    rows: list[dict[str, Any]]
    source: str
    when: date | None
    section: str
    certainty: str

    @property
    def asserted(self) -> bool:
        """Said in the report's own text as a fact, so able to contradict another."""
        return self.section != "comment" and self.certainty == "reported"

    @property
    def text(self) -> str:
        return " + ".join(f"'{r['text']}'" for r in self.rows)


@dataclass
class Claim:
    low: float
    high: float
    statements: list[Statement] = field(default_factory=list)

    @property
    def sources(self) -> list[str]:
        return sorted({s.source for s in self.statements})

    def dates(self) -> list[date]:
        return sorted(s.when for s in self.statements if s.when)


def source_of(row: dict[str, Any]) -> str:
    return row["source_name"] or f"{row['outlet'] or 'the report'} (own voice)"


def statements_of(rows: list[dict[str, Any]], ranges: VagueRanges) -> list[Statement]:
    """One statement per figure, the parts of a count summed into one."""
    by_number = {(r["document_key"], r["figure_no"]): r for r in rows}
    parts: dict[tuple[str, int], list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        root = (row["document_key"], row["figure_no"])
        while by_number.get(root, {}).get("relation") == "sibling" and by_number[root].get("related") is not None:
            root = (root[0], by_number[root]["related"])
        parts[root if root in by_number else (row["document_key"], row["figure_no"])].append(row)
    found = []
    for group in parts.values():
        bounds = [interval(r["low"], r["high"], r["vague"], False, r["text"], ranges) for r in group]
        if any(b is None for b in bounds):
            continue
        first = group[0]
        stated = [point(r["low"], r["high"]) for r in group]
        value = sum(stated) if all(v is not None for v in stated) else None
        found.append(Statement(sum(b[0] for b in bounds), sum(b[1] for b in bounds), value, group,
                               source_of(first), first.get("published"), first["section"], first["certainty"]))
    return found


def claims_of(statements: list[Statement]) -> list[Claim]:
    claims: list[Claim] = []
    for statement in sorted(statements, key=lambda s: (s.low, s.high)):
        home = next((c for c in claims if overlap((c.low, c.high), (statement.low, statement.high))), None)
        if home is None:
            home = Claim(statement.low, statement.high)
            claims.append(home)
        home.low, home.high = max(home.low, statement.low), min(home.high, statement.high)
        home.statements.append(statement)
    return claims


def claim_rows(event_id: int, claims: list[Claim]) -> list[dict[str, Any]]:
    rows = []
    for number, claim in enumerate(claims):
        days = claim.dates()
        # The number the claim stands for: the smallest stated value all its statements
        # allow, else (tolerances narrow the shared values) the middle stated value.
        stated = sorted(s.value for s in claim.statements if s.value is not None)
        values = [v for v in stated if claim.low <= v <= claim.high] or stated[len(stated) // 2:][:1]
        rows.append({
            "event_id": event_id, "claim_no": number, "low": claim.low,
            "high": claim.high if math.isfinite(claim.high) else None,
            "value": min(values) if values else None,    # None: only vague amounts ("dozens") "n_figures": sum(len(s.rows) for s in claim.statements),
            "sources": claim.sources, "first_date": days[0] if days else None,
            "last_date": days[-1] if days else None,
            "sections": sorted({s.section for s in claim.statements}),
            "certainties": sorted({s.certainty for s in claim.statements}),
            "statements": " | ".join(f"{s.text} ({s.source}, {s.section}"
                                     + (f", {s.certainty}" if s.certainty != "reported" else "") + ")"
                                     for s in claim.statements),
        })
    return rows


def revision_rows(event_id: int, statements: list[Statement]) -> list[dict[str, Any]]:
    """Each source's reported figures in order of date, where they change; and the
    event's largest figure per day."""
    asserted = [s for s in statements if s.asserted and s.value is not None]
    # One figure per source and report, its largest: a report's parts are not revisions.
    per_report: dict[tuple[str, str], Statement] = {}
    for statement in asserted:
        key = (statement.source, statement.rows[0]["document_key"])
        if key not in per_report or statement.value > per_report[key].value:
            per_report[key] = statement
    by_source: dict[str, list[Statement]] = defaultdict(list)
    for (source, _), statement in per_report.items():
        by_source[source].append(statement)
    daily: dict[date, Statement] = {}
    for statement in asserted:
        if statement.when and statement.value is not None and (
                statement.when not in daily or statement.value > daily[statement.when].value):
            daily[statement.when] = statement
    rows = []
    for source, told in [*sorted(by_source.items()), ("(all reports, largest per day)", list(daily.values()))]:
        told = sorted((s for s in told if s.value is not None), key=lambda s: (s.when or date.min, s.value))
        steps = []
        for statement in told:
            shown = f"{statement.text.strip(chr(39))}" + (f" ({statement.when})" if statement.when else "")
            if not steps or steps[-1][0] != statement.value:
                steps.append((statement.value, shown))
        if len(steps) > 1:
            rows.append({"event_id": event_id, "source": source, "n_figures": len(told),
                         "sequence": " → ".join(text for _, text in steps)})
    return rows


# Claims of one event held against each other pairwise: an event of more claims (a
# roundup, or reports no place or date tells apart) compares its most-stated ones, so that
# its contradictions take bounded time.
MOST_CLAIMS_COMPARED = 200
STATEMENTS_SHOWN = 50


def contradiction_rows(event_id: int, claims: list[Claim], report_of: dict[str, str]) -> list[dict[str, Any]]:
    found = []
    compared = sorted(range(len(claims)), key=lambda n: -len(claims[n].statements))[:MOST_CLAIMS_COMPARED]
    compared.sort()
    for position, i in enumerate(compared):
        a = claims[i]
        for j in compared[position + 1:]:
            b = claims[j]
            pair = _clash(a, b, report_of)
            if pair is None:
                continue
            first, second = pair
            found.append({
                "event_id": event_id, "first_claim": i, "second_claim": j,
                "first_key": first.rows[0]["document_key"], "first_no": first.rows[0]["figure_no"],
                "first_source": first.source,
                "second_key": second.rows[0]["document_key"], "second_no": second.rows[0]["figure_no"],
                "second_source": second.source,
                "explanation": f"{first.source} says {first.text}, {second.source} says {second.text} "
                               f"at the same time: both cannot hold",
            })
    return found


def _clash(a: Claim, b: Claim, report_of: dict[str, str]) -> tuple[Statement, Statement] | None:
    """Two asserted statements, one of each claim, from different sources and reports,
    within a day of each other, whose values no single number satisfies; None when any
    statement of one claim fits one of the other (then they may both hold)."""
    left = [s for s in a.statements if s.asserted]
    right = [s for s in b.statements if s.asserted]
    if any_overlap([(x.low, x.high) for x in left], [(y.low, y.high) for y in right]):
        return None
    # The pair that shows the clash: looked for among the first statements of each claim.
    for x in left[:STATEMENTS_SHOWN]:
        for y in right[:STATEMENTS_SHOWN]:
            same_report = report_of.get(x.rows[0]["document_key"]) == report_of.get(y.rows[0]["document_key"])
            close = x.when is None or y.when is None or abs((x.when - y.when).days) <= 1
            if x.source != y.source and not same_report and close:
                return x, y
    return None


def document_claims(analysis: Analysis, settings: Settings = DEFAULT) -> list[dict[str, Any]]:
    """One report's claims per category (fighters' counts apart from everyone else's):
    its article's counts (the parts of a count summed), its possibilities and its readers'
    comments, each claim with its sources, sections and certainties. Subgroups
    ("including seven children") are left out."""
    lang = language(settings)
    doc = analysis.document
    rows = [figure_row(doc.id, number, figure, analysis) for number, figure in enumerate(analysis.figures)]
    by_count: dict[tuple[str, bool], list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        if row["relation"] != "subgroup" and row["who"] not in lang.figures.subgroup_who:
            by_count[(row["category"], row["who"] in lang.checks.combatant_who)].append(row)
    found = []
    for (category, combatants), members in sorted(by_count.items()):
        for row in claim_rows(0, claims_of(statements_of(members, lang.checks.vague_ranges))):
            del row["event_id"]
            found.append({"category": category, "combatants": combatants, **row})
    return found
