"""Whether crosscount's events join the reports of one incident, against the Gun Violence
Archive's incidents.

Runs `crosscount run` over shared/corpora/gva/articles.jsonl into a fresh DuckDB file (or
reads an existing one with --db), then scores, over all pairs of articles, "some
incident holds both" and "some event holds both" against "both report the same
incident": pairwise precision, recall and F1; and B-cubed precision, recall and F1 over
the clusters they make (an article in no event is a cluster of its own). An incident
holds every report of it; an event only those with a figure of its category. Each half of the
incidents (by a fixed hash of the incident id) is scored apart as well, so that a change
tuned on one half can be checked on the other.

usage: python benchmarks/event_grouping.py [GVA_DIR] [--db FILE] [--errors N]
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
import time
from collections import defaultdict
from itertools import combinations
from pathlib import Path

import duckdb

from crosscount.reconcile.groups import DisjointSets

DEFAULT_DIR = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "gva"


def half(incident: str) -> int:
    return int(hashlib.sha1(incident.encode()).hexdigest()[:8], 16) % 2


def clusters_from_events(article_events: dict[str, set[int]], articles: list[str]) -> dict[str, str]:
    """Each article's cluster: articles joined through any shared event."""
    groups = DisjointSets(articles)
    holders: dict[int, list[str]] = defaultdict(list)
    for article, events in article_events.items():
        for event in events:
            holders[event].append(article)
    for members in holders.values():
        for other in members[1:]:
            groups.union(other, members[0])
    return {a: groups.find(a) for a in articles}


def pairwise(gold: dict[str, str], article_events: dict[str, set[int]], articles: list[str]
             ) -> tuple[float, float, float, int, int, int]:
    """Over all article pairs: predicted same = some event holds both."""
    true_pairs = predicted = hits = 0
    for a, b in combinations(articles, 2):
        same = gold[a] == gold[b]
        joined = bool(article_events.get(a, set()) & article_events.get(b, set()))
        true_pairs += same
        predicted += joined
        hits += same and joined
    precision = hits / predicted if predicted else 0.0
    recall = hits / true_pairs if true_pairs else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1, hits, predicted, true_pairs


def bcubed(gold: dict[str, str], predicted: dict[str, str], articles: list[str]) -> tuple[float, float, float]:
    gold_members: dict[str, set[str]] = defaultdict(set)
    predicted_members: dict[str, set[str]] = defaultdict(set)
    for a in articles:
        gold_members[gold[a]].add(a)
        predicted_members[predicted[a]].add(a)
    precision = recall = 0.0
    for a in articles:
        mine, truth = predicted_members[predicted[a]], gold_members[gold[a]]
        shared = len(mine & truth)
        precision += shared / len(mine)
        recall += shared / len(truth)
    precision, recall = precision / len(articles), recall / len(articles)
    return precision, recall, 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def groups_from(db: Path, unit: str) -> dict[str, set[int]]:
    """Each article's events (unit "event") or incidents (unit "incident")."""
    table, column = ("event_members", "event_id") if unit == "event" else ("incident_members", "incident_id")
    with duckdb.connect(str(db), read_only=True) as connection:
        rows = connection.execute(f"""
            SELECT DISTINCT d.id, m.{column} FROM {table} m
            JOIN documents d ON d.key = m.document_key""").fetchall()
    found: dict[str, set[int]] = defaultdict(set)
    for article, group in rows:
        found[str(article)].add(group)
    return found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--db", type=Path, help="score this store instead of running a fresh one")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--errors", type=int, default=0, help="print this many missed same-incident pairs")
    args = parser.parse_args()
    rows = [json.loads(line) for line in open(args.folder / "articles.jsonl", encoding="utf-8")]
    gold = {str(r["id"]): str(r["incident"]) for r in rows}
    articles = sorted(gold)

    if args.db is None:
        from crosscount import Corpus

        folder = Path(tempfile.mkdtemp())
        db = folder / "gva.duckdb"
        started = time.perf_counter()
        summary = Corpus(db).run([args.folder / "articles.jsonl"], workers=args.workers)
        print(f"run: {summary.documents} documents in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    else:
        db = args.db
    print(f"articles: {len(articles)}, incidents: {len(set(gold.values()))}")
    print(f"{'unit':<9} {'part':<7} {'articles':>8} {'P':>6} {'R':>6} {'F1':>6} {'pairs hit/pred/true':>20} "
          f"{'B3 P':>6} {'B3 R':>6} {'B3 F1':>6}")
    for unit in ("incident", "event"):
        article_groups = groups_from(db, unit)
        for part in ("all", 0, 1):
            chosen = [a for a in articles if part == "all" or half(gold[a]) == part]
            p, r, f, hits, predicted_pairs, true_pairs = pairwise(gold, article_groups, chosen)
            clusters = clusters_from_events({a: article_groups.get(a, set()) for a in chosen}, chosen)
            bp, br, bf = bcubed(gold, clusters, chosen)
            label = part if part == "all" else f"half {part}"
            print(f"{unit:<9} {label:<7} {len(chosen):>8} {p:>6.3f} {r:>6.3f} {f:>6.3f} "
                  f"{f'{hits}/{predicted_pairs}/{true_pairs}':>20} {bp:>6.3f} {br:>6.3f} {bf:>6.3f}")
    article_events = groups_from(db, "incident")
    if args.errors:
        titles = {str(r["id"]): (r.get("date"), r.get("title")) for r in rows}
        shown = 0
        for a, b in combinations(articles, 2):
            if gold[a] == gold[b] and not (article_events.get(a, set()) & article_events.get(b, set())):
                print(f"missed {gold[a]}: {titles[a]} | {titles[b]}")
                shown += 1
                if shown >= args.errors:
                    break


if __name__ == "__main__":
    main()
