"""A full corpus run into DuckDB with 1 and with 2 workers, side by side in one run.

Prints wall time, documents/s, the speed-up, peak RSS of the parent and of the largest
worker, and the database size. Each run goes into a fresh database file, in its own
process, so that peak memory is its own.

usage: python benchmarks/corpus_run.py [CORPUS.jsonl] [--workers 1 2] [--rounds N] [--repeat N]

--rounds N runs each worker count N times, alternating, and adds the medians: a shared
2-core machine varies by several percent from one run to the next.
--repeat N runs the corpus N times over (each copy with its own ids), to show how the
fixed start-up weighs less as a corpus grows.
"""
from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "fa-kes.jsonl"


def child(corpus: Path, db: Path, workers: int) -> dict:
    from crosscount import Corpus

    started = time.perf_counter()
    summary = Corpus(db).run([corpus], workers=workers)
    wall = time.perf_counter() - started
    analysis = summary.seconds - summary.startup_seconds
    return {"workers": workers, "documents": summary.documents, "figures": summary.figures,
            "events": summary.events, "wall": wall, "docs_per_second": summary.documents / wall,
            "startup": summary.startup_seconds, "analysis": analysis, "events_seconds": summary.events_seconds,
            "parent_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "worker_rss_mb": summary.worker_peak_mb,
            "db_mb": db.stat().st_size / 1e6}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.corpus, Path(args.child[0]), int(args.child[1]))))
        return
    # The gazetteer's on-disk cache is built once, as on any machine after first use; each
    # timed run still loads it, in every process that needs it.
    subprocess.run([sys.executable, "-c", "from crosscount.registry import gazetteer; "
                    "from crosscount.settings import DEFAULT; gazetteer(DEFAULT)"], check=True)
    results = []
    with tempfile.TemporaryDirectory() as folder:
        if args.repeat > 1:
            repeated = Path(folder) / f"{args.corpus.stem}-x{args.repeat}.jsonl"
            with open(repeated, "w", encoding="utf-8") as out:
                for copy in range(args.repeat):
                    for line in open(args.corpus, encoding="utf-8"):
                        row = json.loads(line)
                        row["id"] = f"{row.get('id')}-{copy}"
                        out.write(json.dumps(row) + "\n")
            args.corpus = repeated
        for round_no in range(args.rounds):
            for workers in args.workers:
                db = Path(folder) / f"run-{workers}-{round_no}.duckdb"
                output = subprocess.run([sys.executable, __file__, str(args.corpus), "--child", str(db),
                                         str(workers)], capture_output=True, text=True, check=True).stdout
                results.append(json.loads(output.strip().splitlines()[-1]))
                db.unlink()
    base = results[0]
    print(f"corpus: {args.corpus.name}, {base['documents']} documents, {base['figures']} figures, "
          f"{base['events']} events")
    print(f"{'workers':>8}{'wall s':>9}{'docs/s':>9}{'speed-up':>10}{'start-up s':>12}{'analysis s':>12}"
          f"{'speed-up':>10}{'events s':>10}{'parent MB':>11}{'workers MB':>12}{'db MB':>8}")
    one_worker = [r for r in results if r["workers"] == args.workers[0]]
    base_wall = statistics.median(r["wall"] for r in one_worker)
    base_analysis = statistics.median(r["analysis"] for r in one_worker)

    def line(label: str, r: dict) -> str:
        worker = "/".join(f"{mb:.0f}" for mb in r["worker_rss_mb"] or []) or "-"
        return (f"{label:>8}{r['wall']:>9.2f}{r['docs_per_second']:>9.1f}"
                f"{base_wall / r['wall']:>9.2f}x{r['startup']:>12.2f}{r['analysis']:>12.2f}"
                f"{base_analysis / r['analysis']:>9.2f}x{r['events_seconds']:>10.2f}"
                f"{r['parent_rss_mb']:>11.0f}{worker:>12}{r['db_mb']:>8.1f}")

    for r in results:
        print(line(str(r["workers"]), r))
    if args.rounds > 1:
        print(f"medians of {args.rounds} rounds:")
        for workers in args.workers:
            runs = [r for r in results if r["workers"] == workers]
            middle = {key: statistics.median(r[key] for r in runs) if isinstance(runs[0][key], float)
                      else runs[0][key] for key in runs[0]}
            print(line(str(workers), middle))
    print("speed-up is against the median one-worker run; start-up: until the first document "
          "came back; analysis: from then to the last written; events: regrouping after; "
          "workers MB: each worker's peak RSS, the parser's holder first")

if __name__ == "__main__":
    main()
