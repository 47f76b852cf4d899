"""Figure scores on the shared gold files, whole and by fold, beside a keyword baseline.

Each gold file is split in two folds by a hash of the document id (fold = first eight hex
digits of sha1(id), modulo 2): rules are tuned while reading one fold's errors and checked
on the other's. The scores are the shared scorer's (crosscount eval reproduces them).

usage: python benchmarks/accuracy.py [GOLD.jsonl ...]
"""
from __future__ import annotations

import argparse
import hashlib
import re
import sys
from pathlib import Path

from crosscount.evaluate import analyze_gold, load_gold, prediction_record, score

SHARED = Path(__file__).resolve().parents[2] / "shared"
DEFAULT_GOLD = [SHARED / "eval" / "dev.jsonl", SHARED / "eval" / "dev-world.jsonl"]
COLUMNS = ("precision", "recall", "f1", "strict_f1", "category_acc", "source_acc", "who_acc", "certainty_acc")

# The floor: a number next to an event word, category by that word, no source.
KEYWORDS = {"killed": r"killed|dead|died|deaths?", "injured": r"injured|wounded|injuries",
            "displaced": r"displaced|fled|refugees|idps", "detained": r"arrested|detained"}
NUMBER = re.compile(r"\b\d[\d,]*(?:\.\d+)?(?:\s+(?:million|thousand))?\b")


def fold_of(document_id: str, folds: int = 2) -> int:
    return int(hashlib.sha1(str(document_id).encode()).hexdigest()[:8], 16) % folds


def keyword_baseline(text: str) -> list[dict]:
    found = []
    for match in NUMBER.finditer(text):
        window = text[match.end():match.end() + 40].lower()
        for category, words in KEYWORDS.items():
            if re.search(rf"\b(?:{words})\b", window):
                value = float(match.group().split()[0].replace(",", ""))
                found.append({"start": match.start(), "end": match.end(), "low": value, "high": value,
                              "category": category, "source": None})
                break
    return found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("gold", nargs="*", type=Path, default=DEFAULT_GOLD)
    args = parser.parse_args()
    print(f"{'file':22}{'part':10}{'docs':>5}{'figs':>6}" + "".join(f"{c.replace('_acc', ''):>10}" for c in COLUMNS))
    for gold_path in args.gold:
        gold = load_gold(gold_path)
        predictions, baseline = {}, {}
        for analysis in analyze_gold(gold_path):
            predictions[analysis.document.id] = [prediction_record(f) for f in analysis.figures]
            baseline[analysis.document.id] = keyword_baseline(analysis.document.text)
        parts = [("all", gold), *((f"fold {k}", [d for d in gold if fold_of(d["id"]) == k]) for k in (0, 1))]
        for name, documents in parts:
            result = score(documents, predictions).as_dict()
            print(f"{gold_path.name:22}{name:10}{len(documents):>5}{result['gold']:>6}"
                  + "".join(f"{result[c]:>10.3f}" for c in COLUMNS))
        floor = score(gold, baseline).as_dict()
        print(f"{gold_path.name:22}{'keywords':10}{len(gold):>5}{floor['gold']:>6}"
              + "".join(f"{floor[c]:>10.3f}" for c in COLUMNS))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
