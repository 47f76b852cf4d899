"""Checks within one document.

- parts_total: parts of one count ("about 1,700 ... and about 2,500 to ...") summed and held
  against a stated total of the same category ("Over 4,000");
- headline_body: each headline figure against the body's figures of its category;
- comment_article: each reader comment's figure against the article's.
Hypothetical and denied figures are not held against others.
"""
from __future__ import annotations

import math
from collections import defaultdict

from ..model import Analysis, CheckRecord, Figure
from ..registry import language
from ..settings import DEFAULT, Settings
from .intervals import interval, overlap, point


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
            verdict = "consistent" if overlap(bounds, total) else "inconsistent"
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
        matching = [c for c in candidates if overlap(headline_bounds, _bounds_of(c, figures, sums))]
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
        matching = [x for x in candidates if overlap(claimed, _bounds_of(x, figures, sums))]
        verdict = "consistent" if matching else "inconsistent"
        shown = matching[0] if matching else candidates[0]
        who = f"comment {figure.comment + 1}" if figure.comment is not None else "a comment"
        checks.append(CheckRecord(
            "comment_article", verdict, (c, *shown),
            f"{who} claims {_describe(figure)}; the article says "
            f"{' + '.join(_describe(figures[i]) for i in shown)}"
            f"{'' if matching else ': they cannot both hold'}"))
    return checks
