"""How many were killed and injured per incident, against the Gun Violence Archive.

For each incident of shared/corpora/gva (its news articles and the archive's counts),
crosscount's answer (`crosscount.count`) beside the naive answer computed in the same
run: the largest number next to a killed/injured word in the incident's articles, 0 if
none. Prints exact-match accuracy of killed, injured and both, and mean absolute errors.

Then the same without the archive's incident ids: the incidents crosscount finds itself
(`count_incidents` without a grouping field), each answer scored against the incident that
most of its articles belong to.

usage: python benchmarks/incident_counts.py [GVA_DIR] [--errors N]
"""
from __future__ import annotations

import argparse
import json
import re
from collections import Counter, defaultdict
from pathlib import Path

from crosscount import analyze
from crosscount.count import count_incidents
from crosscount.ingest import document_from_row
from crosscount.settings import DEFAULT

DEFAULT_DIR = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "gva"
NUMBER = (r"(\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)")
WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
         "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}
NAIVE = {
    "killed": re.compile(rf"\b{NUMBER}\s+(?:\w+\s+){{0,2}}(?:killed|dead|died)\b|\b(?:killed|dead)\s+{NUMBER}\b", re.I),
    "injured": re.compile(rf"\b{NUMBER}\s+(?:\w+\s+){{0,2}}(?:injured|wounded|hurt)\b|\b(?:injured|wounded)\s+{NUMBER}\b", re.I),
}


def naive_count(texts: list[str], category: str) -> int:
    best = 0
    for text in texts:
        for match in NAIVE[category].finditer(text):
            word = (match.group(1) or match.group(2)).lower()
            value = int(word) if word.isdigit() else WORDS[word]
            if value < 1000:
                best = max(best, value)
    return best


def score(answers: dict[str, tuple[int, int]], truth: dict[str, dict]) -> dict[str, float]:
    n = len(truth)
    killed = sum(answers[i][0] == t["killed"] for i, t in truth.items()) / n
    injured = sum(answers[i][1] == t["injured"] for i, t in truth.items()) / n
    both = sum(answers[i] == (t["killed"], t["injured"]) for i, t in truth.items()) / n
    mae_k = sum(abs(answers[i][0] - t["killed"]) for i, t in truth.items()) / n
    mae_i = sum(abs(answers[i][1] - t["injured"]) for i, t in truth.items()) / n
    return {"killed": killed, "injured": injured, "both": both, "mae_killed": mae_k, "mae_injured": mae_i}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--errors", type=int, default=0, help="print this many wrong incidents")
    args = parser.parse_args()
    truth = {t["incident"]: t for t in map(json.loads, open(args.folder / "truth.jsonl", encoding="utf-8"))}
    articles = [json.loads(line) for line in open(args.folder / "articles.jsonl", encoding="utf-8")]
    texts: dict[str, list[str]] = defaultdict(list)
    analyses = []
    for row in articles:
        texts[row["incident"]].append(row["text"])
        analyses.append(analyze(document_from_row(row, row["id"], DEFAULT)))
    ours = {c.value: (c.counts["killed"], c.counts["injured"]) for c in count_incidents(analyses, "incident")}
    naive = {i: (naive_count(texts[i], "killed"), naive_count(texts[i], "injured")) for i in truth}
    ours = {i: ours.get(i, (0, 0)) for i in truth}
    print(f"incidents: {len(truth)}, articles: {len(articles)}")
    print(f"{'':12}{'killed':>9}{'injured':>9}{'both':>8}{'MAE killed':>12}{'MAE injured':>13}")
    for name, answers in (("crosscount", ours), ("naive", naive)):
        s = score(answers, truth)
        print(f"{name:12}{s['killed']:>9.3f}{s['injured']:>9.3f}{s['both']:>8.3f}"
              f"{s['mae_killed']:>12.2f}{s['mae_injured']:>13.2f}")
    # Without a grouping field: the incidents crosscount finds, each scored against the
    # incident most of its articles belong to.
    gold_of = {str(row["id"]): row["incident"] for row in articles}
    found = count_incidents(analyses)
    answers, majority = [], Counter()
    for result in found:
        held = Counter(gold_of[key] for key in result.value.split("+"))
        incident = held.most_common(1)[0][0]
        answers.append((incident, result.counts["killed"], result.counts["injured"]))
        majority[incident] += 1
    n = len(answers)
    killed = sum(k == truth[i]["killed"] for i, k, _ in answers) / n
    injured = sum(j == truth[i]["injured"] for i, _, j in answers) / n
    both = sum(k == truth[i]["killed"] and j == truth[i]["injured"] for i, k, j in answers) / n
    print(f"incidents found by crosscount (no grouping field): {n} for {len(truth)} true incidents, "
          f"{sum(1 for v in majority.values() if v > 1)} true incidents split over several")
    print(f"{'found':12}{killed:>9.3f}{injured:>9.3f}{both:>8.3f}")
    shown = 0
    for incident, t in truth.items():
        if shown >= args.errors:
            break
        if ours[incident] != (t["killed"], t["injured"]):
            shown += 1
            print(f"WRONG {incident}: got {ours[incident]} want {(t['killed'], t['injured'])}")


if __name__ == "__main__":
    main()
