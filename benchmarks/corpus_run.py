"""A full corpus run into DuckDB with 1 and with 2 workers, side by side in one run.

Prints wall time, documents/s, the speed-up, peak RSS of the parent and of the largest
worker, and the database size. Each run goes into a fresh database file, in its own
process, so that peak memory is its own.

usage: python benchmarks/corpus_run.py [CORPUS.jsonl] [--workers 1 2] [--repeat N]

--repeat N runs the corpus N times over (each copy with its own ids), to show how the
fixed start-up weighs less as a corpus grows.
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "fa-kes.jsonl"


def child(corpus: Path, db: Path, workers: int) -> dict:
    from crosscount import Corpus
    from crosscount.extract.places import gazetteer
    from crosscount.settings import DEFAULT

    gazetteer(DEFAULT)   # built once into the on-disk cache, as on any machine after first use
    started = time.perf_counter()
    summary = Corpus(db).run([corpus], workers=workers)
    wall = time.perf_counter() - started
    analysis = summary.seconds - summary.startup_seconds
    return {"workers": workers, "documents": summary.documents, "figures": summary.figures,
            "events": summary.events, "wall": wall, "docs_per_second": summary.documents / wall,
            "startup": summary.startup_seconds, "analysis": analysis, "events_seconds": summary.events_seconds,
            "parent_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "worker_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
            "db_mb": db.stat().st_size / 1e6}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.corpus, Path(args.child[0]), int(args.child[1]))))
        return
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
        for workers in args.workers:
            db = Path(folder) / f"run-{workers}.duckdb"
            output = subprocess.run([sys.executable, __file__, str(args.corpus), "--child", str(db),
                                     str(workers)], capture_output=True, text=True, check=True).stdout
            results.append(json.loads(output.strip().splitlines()[-1]))
    base = results[0]
    print(f"corpus: {args.corpus.name}, {base['documents']} documents, {base['figures']} figures, "
          f"{base['events']} events")
    print(f"{'workers':>8}{'wall s':>9}{'docs/s':>9}{'speed-up':>10}{'start-up s':>12}{'analysis s':>12}"
          f"{'speed-up':>10}{'events s':>10}{'parent MB':>11}{'worker MB':>11}{'db MB':>8}")
    for r in results:
        worker = "-" if r["workers"] <= 1 else f"{r['worker_rss_mb']:.0f}"
        print(f"{r['workers']:>8}{r['wall']:>9.2f}{r['docs_per_second']:>9.1f}"
              f"{base['wall'] / r['wall']:>9.2f}x{r['startup']:>12.2f}{r['analysis']:>12.2f}"
              f"{base['analysis'] / r['analysis']:>9.2f}x{r['events_seconds']:>10.2f}"
              f"{r['parent_rss_mb']:>11.0f}{worker:>11}{r['db_mb']:>8.1f}")
    print("start-up: loading spaCy and the gazetteer, once per process; analysis: from the first "
          "document back to the last written")


if __name__ == "__main__":
    main()
