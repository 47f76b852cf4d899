"""Cross-checking at scale: incidents and events over 10k, 100k and 1M figures.

The figures are FA-KES's and GVA's as crosscount reads them, repeated: each copy with its
own document keys and its dates shifted by a whole number of windows, so that copies
never merge and every event stays as realistic as the original. Each size runs in its own
process; printed: the grouping's seconds (crosscount's `cross_check`: incidents, events,
claims, revisions, contradictions) and peak RSS, with the RSS the input rows alone hold.

usage: python benchmarks/events_scale.py [--sizes 10000 100000 1000000]
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

SHARED = Path(__file__).resolve().parents[2] / "shared" / "corpora"
CORPORA = [SHARED / "fa-kes.jsonl", SHARED / "gva" / "articles.jsonl"]
# Copies are this many days apart: beyond any window and any incident's span.
SHIFT_DAYS = 400


def rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


class RepeatedTables:
    """The AnalysedTables of a store, repeated `copies` times with shifted dates and keys."""

    def __init__(self, db: Path, figures: int) -> None:
        from crosscount import Store

        with Store(db, read_only=True) as store:
            self.rows = store.figures_for_events()
            self.descriptors = store.descriptor_rows()
            self.dates = store.document_dates()
            self.outlets = store.document_outlets()
            self.texts = store.document_texts(self.dates)
        self.copies = -(-figures // len(self.rows))
        self.figures = figures

    @staticmethod
    def _key(key: str, copy: int) -> str:
        return f"{key}~{copy}" if copy else key

    @staticmethod
    def _shift(day, copy: int):
        return day + timedelta(days=SHIFT_DAYS * copy) if day else day

    def figures_for_events(self) -> list[dict]:
        out = []
        for copy in range(self.copies):
            for row in self.rows:
                if len(out) == self.figures:
                    return out
                out.append({**row, "document_key": self._key(row["document_key"], copy),
                            "published": self._shift(row["published"], copy),
                            "time_earliest": self._shift(row["time_earliest"], copy),
                            "time_latest": self._shift(row["time_latest"], copy)})
        return out

    def descriptor_rows(self) -> list[tuple]:
        # Each copy names its own people and has its own page lines: otherwise every line
        # would look like a site's template, and a name would join copies years apart.
        return [(self._key(key, copy), kind, self._key(value, copy), hash((line, copy)) if copy else line)
                for copy in range(self.copies) for key, kind, value, line in self.descriptors]

    def document_dates(self) -> dict:
        return {self._key(key, copy): self._shift(day, copy) for copy in range(self.copies)
                for key, day in self.dates.items()}

    def document_outlets(self) -> dict:
        return {self._key(key, copy): outlet for copy in range(self.copies) for key, outlet in self.outlets.items()}

    def document_texts(self, keys) -> dict:
        return {key: self.texts[key.split("~")[0]] for key in keys}


def child(db: Path, figures: int) -> dict:
    from crosscount import cross_check

    tables = RepeatedTables(db, figures)
    rows = tables.figures_for_events()
    tables.figures_for_events = lambda: rows        # the input is read before the clock starts
    before = rss_mb()
    started = time.perf_counter()
    checked = cross_check(tables)
    seconds = time.perf_counter() - started
    return {"figures": len(rows), "seconds": seconds, "events": len(checked.events),
            "incidents": len(checked.incidents), "input_mb": before,
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--db", type=Path, help="a store of the corpora to reuse (made if missing)")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(Path(args.child[0]), int(args.child[1]))))
        return
    with tempfile.TemporaryDirectory() as folder:
        db = args.db or Path(folder) / "corpora.duckdb"
        if not db.exists():
            from crosscount import Corpus

            Corpus(db).run([c for c in CORPORA if c.exists()], workers=2)
        print(f"{'figures':>10}{'seconds':>10}{'s per 1k':>10}{'events':>9}{'incidents':>11}"
              f"{'input MB':>10}{'peak MB':>9}")
        previous = None
        for size in args.sizes:
            result = json.loads(subprocess.run([sys.executable, __file__, "--child", str(db), str(size)],
                                               capture_output=True, text=True, check=True).stdout.splitlines()[-1])
            growth = ""
            if previous:
                growth = (f"  time x{result['seconds'] / previous['seconds']:.1f} for "
                          f"x{result['figures'] / previous['figures']:.0f} figures")
            print(f"{result['figures']:>10,}{result['seconds']:>10.1f}{1000 * result['seconds'] / result['figures']:>10.3f}"
                  f"{result['events']:>9,}{result['incidents']:>11,}{result['input_mb']:>10.0f}"
                  f"{result['peak_mb']:>9.0f}{growth}")
            previous = result


if __name__ == "__main__":
    main()
