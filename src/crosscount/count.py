"""How many were killed and injured, per incident, from every report of it.

Each article gives an estimate from two layers: its explicit figures (as the core
extracts them) and its implicit counts (extract/implicit.py: "a man was shot and
killed", "killed his wife and two children, then himself"). An incident's answer then
follows documented rules:

- killed: the largest estimate of any report (tolls are revised upward, and a later
  report that one victim "later died" moves them from injured to killed);
- injured: the injured count of the reports that give the final toll of killed, else the
  largest injured estimate less those since counted as killed;
- every other category with figures (displaced, detained, ...): the largest figure.

Conventions (Settings-free arguments of `Conventions`): perpetrators who die count as
killed, as the Gun Violence Archive and ACLED count them; "casualties" count neither as
killed nor as injured unless split; people "shot" with no outcome said count as injured.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from .extract.implicit import says_nobody_hurt
from .model import Analysis, Figure
from .registry import Language, language
from .settings import DEFAULT, Settings


@dataclass(frozen=True)
class Conventions:
    perpetrators_count: bool = True      # a gunman who dies is among the killed
    shot_counts_as_injured: bool = True  # "shot" with no outcome said: injured


@dataclass
class Evidence:
    document: str
    start: int
    end: int
    text: str
    layer: str                  # "figure" or "implicit"
    rule: str                   # the figure's category rule or the implicit pattern
    source: str | None = None
    published: date | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"document": self.document, "start": self.start, "end": self.end, "text": self.text,
                "layer": self.layer, "rule": self.rule, "source": self.source,
                "published": self.published.isoformat() if self.published else None}


@dataclass
class ArticleEstimate:
    document: str
    published: date | None
    killed: int = 0
    injured: int = 0
    other: dict[str, float] = field(default_factory=dict)
    other_rules: dict[str, str] = field(default_factory=dict)
    evidence: dict[str, list[Evidence]] = field(default_factory=lambda: defaultdict(list))
    # What reader comments claim, kept apart from the report's own counts.
    comment_claims: list[Evidence] = field(default_factory=list)


def _value(figure: Figure) -> float | None:
    if figure.low is not None:
        return figure.low
    return figure.high


def _usable(figure: Figure, lang: Language) -> bool:
    """A figure fit to count from: reported in the article about this incident, read
    grammatically (not from the nearest event word alone), and not a subgroup; "victims"
    and "casualties" may be the dead, the wounded or both."""
    return (figure.section != "comment" and figure.certainty == "reported"
            and figure.relation != "subgroup" and figure.scope == "incident" and not figure.vague
            and figure.rule != "nearest" and figure.what not in lang.checks.ambiguous_event_words)


def estimate_article(analysis: Analysis, conventions: Conventions = Conventions(),
                     settings: Settings = DEFAULT) -> ArticleEstimate:
    """What one report says: killed and injured, from its figures and implicit counts."""
    doc = analysis.document
    text = doc.text[:doc.body_end]
    lang = language(settings)
    estimate = ArticleEstimate(doc.id, doc.published)

    def evidence(category: str, start: int, end: int, layer: str, rule: str, source=None) -> None:
        estimate.evidence[category].append(Evidence(doc.id, start, end, doc.text[start:end], layer, rule,
                                                    source, doc.published))

    explicit: dict[str, list[float]] = defaultdict(list)
    for figure in analysis.figures:
        value = _value(figure)
        if _usable(figure, lang) and value is not None and value < 10_000:
            explicit[figure.category].append(value)
            evidence(figure.category, figure.start, figure.end, "figure", figure.category,
                     figure.source.name if figure.source else None)

    implicit = analysis.implicit
    killed_mentions = [c for c in implicit if c.category == "killed"
                       and (conventions.perpetrators_count or not c.perpetrator)]
    victims = [c.count for c in killed_mentions if not c.perpetrator]
    killed_implicit = max(victims, default=0)
    if any(c.perpetrator for c in killed_mentions):
        killed_implicit += 1
    if any(c.category == "revision" for c in implicit):
        killed_implicit = max(killed_implicit, 1)
    for c in implicit:
        evidence({"revision": "killed", "shot": "injured"}.get(c.category, c.category), c.start, c.end,
                 "implicit", c.pattern)

    killed = max([int(v) for v in explicit.get("killed", [])] + [killed_implicit])
    hit = max([c.count for c in implicit if c.category in ("shot", "injured")
               and not c.perpetrator] + [0])
    explicit_injured = max([int(v) for v in explicit.get("injured", [])], default=None)
    if explicit_injured is not None:
        injured = explicit_injured
    elif conventions.shot_counts_as_injured:
        # "Four teens were shot" and no death: four injured; "a man was shot ... he died":
        # the one shot is the one killed.
        singular_only = all(c.count == 1 for c in implicit if c.category in ("shot", "injured"))
        injured = 0 if (singular_only and killed >= hit) else max(hit - killed, 0) if hit > 1 else (
            hit if killed == 0 else 0)
    else:
        injured = max([c.count for c in implicit if c.category == "injured"] + [0])
    if says_nobody_hurt(text, lang) and not explicit.get("injured"):
        injured = 0 if killed == 0 else injured
    estimate.killed, estimate.injured = killed, injured
    for category, values in explicit.items():
        if category not in ("killed", "injured"):
            estimate.other[category], estimate.other_rules[category] = _largest_or_parts(
                analysis, category, max(values), lang)
    for figure in analysis.figures:
        if figure.section == "comment":
            estimate.comment_claims.append(Evidence(
                doc.id, figure.start, figure.end, figure.text, "figure",
                f"comment {figure.comment + 1 if figure.comment is not None else ''}: {figure.category}, "
                f"{figure.certainty}", figure.source.name if figure.source else None, doc.published))
    return estimate


def _largest_or_parts(analysis: Analysis, category: str, largest: float, lang: Language) -> tuple[float, str]:
    """The largest figure, or the sum of a count's parts where that is larger and fits the
    stated total ("about 1,700 ... and about 2,500" against "over 4,000")."""
    figures = analysis.figures
    groups: dict[int, list[int]] = defaultdict(list)
    for index, figure in enumerate(figures):
        if figure.relation == "sibling" and figure.related is not None and _usable(figure, lang):
            groups[figure.related].append(index)
    best, rule = largest, "largest figure"
    for root, siblings in groups.items():
        parts = [figures[i] for i in (root, *siblings)]
        if figures[root].category != category or any(_value(p) is None for p in parts):
            continue
        total = sum(_value(p) for p in parts)
        stated = [f for f in figures if f.category == category and _usable(f, lang) and f not in parts]
        described = " + ".join(p.text for p in parts)
        sources = {p.source.name for p in parts if p.source}
        fits = [f for f in stated if (f.low is None or f.low <= total) and (f.high is None or total <= f.high)]
        if total >= best:
            best = total
            rule = (f"sum of parts {described} = {total:,.0f}"
                    + (f" ({', '.join(sorted(sources))})" if sources else "")
                    + (f", within the stated total '{fits[0].text}'" if fits else ""))
    return best, rule


@dataclass
class IncidentCount:
    group: str
    value: str
    counts: dict[str, int]
    rules: dict[str, str]
    confidence: dict[str, float]
    evidence: dict[str, list[Evidence]]
    documents: int
    comment_claims: list[Evidence] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {self.group: self.value, "documents": self.documents, **self.counts,
                "rules": self.rules, "confidence": self.confidence,
                "evidence": {k: [e.as_dict() for e in v] for k, v in self.evidence.items()},
                "comment_claims": [c.as_dict() for c in self.comment_claims]}


def count_group(group: str, value: str, estimates: list[ArticleEstimate]) -> IncidentCount:
    killed = max((e.killed for e in estimates), default=0)
    final = [e for e in estimates if e.killed == killed]
    injured = max((e.injured for e in final), default=0)
    rules = {"killed": "largest report (tolls are revised upward)" if len(estimates) > 1 else "the report",
             "injured": "reports giving the final toll of killed"}
    if not any(e.injured for e in final):
        earlier = [e for e in estimates if e.killed < killed and e.injured]
        if earlier:
            best = max(earlier, key=lambda e: e.injured)
            injured = max(best.injured - (killed - best.killed), 0)
            rules["injured"] = "earlier report's injured less those since counted as killed"
    counts = {"killed": killed, "injured": injured}
    confidence = {
        "killed": sum(e.killed == killed for e in estimates) / len(estimates) if estimates else 0.0,
        "injured": sum(e.injured == injured for e in estimates) / len(estimates) if estimates else 0.0,
    }
    for category in sorted({c for e in estimates for c in e.other}):
        best = max((e for e in estimates if category in e.other), key=lambda e: e.other[category])
        counts[category] = int(best.other[category])
        rules[category] = best.other_rules[category]
        confidence[category] = sum(e.other.get(category) == counts[category] for e in estimates) / len(estimates)
    evidence: dict[str, list[Evidence]] = defaultdict(list)
    for estimate in estimates:
        for category, items in estimate.evidence.items():
            evidence[category] += items
    claims = [claim for estimate in estimates for claim in estimate.comment_claims]
    return IncidentCount(group, value, counts, rules, confidence, dict(evidence), len(estimates), claims)


def count_incidents(analyses: Iterable[Analysis], group_by: str | None = None,
                    conventions: Conventions = Conventions(), settings: Settings = DEFAULT
                    ) -> list[IncidentCount]:
    """One answer per value of the documents' `group_by` field (as the corpus gives it),
    or, without a field, per incident that crosscount finds."""
    analyses = list(analyses)
    if group_by is None:
        return _count_by_incidents(analyses, conventions, settings)
    groups: dict[str, list[ArticleEstimate]] = defaultdict(list)
    for analysis in analyses:
        value = analysis.document.meta.get(group_by)
        if value is None:
            value = getattr(analysis.document, group_by, None)
        groups[str(value)].append(estimate_article(analysis, conventions, settings))
    return [count_group(group_by, value, estimates) for value, estimates in groups.items()]


def _count_by_incidents(analyses: list[Analysis], conventions: Conventions, settings: Settings
                        ) -> list[IncidentCount]:
    """The incidents crosscount finds (reconcile/incidents.py): reports joined by the
    people, places and words they share, each counted as one incident."""
    from .reconcile import find_copies, find_incidents
    from .store import figure_row

    descriptors, published, outlets, titles, rows = [], {}, {}, {}, []
    for analysis in analyses:
        doc = analysis.document
        published[doc.id], outlets[doc.id], titles[doc.id] = doc.published, doc.outlet, doc.title
        descriptors += [(doc.id, d.kind, d.value, d.line) for d in analysis.descriptors]
        rows += [figure_row(doc.id, number, figure, analysis) for number, figure in enumerate(analysis.figures)]
    texts = {a.document.id: a.document.text[:a.document.body_end] for a in analyses}
    copies = find_copies(texts, lambda keys: {k: texts[k] for k in keys}, published, titles)
    incident_of, _, _ = find_incidents(descriptors, published, rows, outlets, copies)
    groups: dict[int, list[Analysis]] = defaultdict(list)
    for analysis in analyses:
        groups[incident_of[analysis.document.id]].append(analysis)
    return [count_group("incident", "+".join(sorted(a.document.id for a in members)),
                        [estimate_article(a, conventions, settings) for a in members])
            for members in groups.values()]
