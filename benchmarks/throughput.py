"""Documents per second and peak memory of `analyze` on one core, over a JSONL corpus.

Reading the corpus is timed with the analysis. Ours parses only the sentences that hold a
figure and a speech verb whose speaker word order does not settle; the baseline, in the
same run, is the same pipeline parsing every sentence with spaCy. Each runs in its own
process so that peak RSS is its own.

usage: python benchmarks/throughput.py [CORPUS.jsonl] [--limit N]
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "fa-kes.jsonl"
ONE_CORE = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def measure(corpus: Path, limit: int | None, naive: bool, signals: bool = True) -> dict:
    from crosscount import Settings, analyze
    from crosscount.extract.sources import load_parser
    from crosscount.ingest import iter_documents
    from crosscount.model import Problem

    settings = Settings(parse_all_sentences=naive, signals=signals)
    started = time.perf_counter()
    load_parser(settings.model)
    analyze("Officials said 12 people were killed in Aleppo.", settings)   # the gazetteer
    startup = time.perf_counter() - started
    started = time.perf_counter()
    documents = figures = 0
    for item in iter_documents([corpus], settings):   # reading is part of the work
        if isinstance(item, Problem):
            continue
        figures += len(analyze(item, settings).figures)
        documents += 1
        if limit and documents == limit:
            break
    elapsed = time.perf_counter() - started
    return {"documents": documents, "figures": figures, "seconds": elapsed,
            "docs_per_second": documents / elapsed, "startup_seconds": startup,
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def run_child(corpus: Path, limit: int | None, naive: bool, signals: bool = True) -> dict:
    command = [sys.executable, __file__, str(corpus), "--child"] + (["--naive"] if naive else []) + (
        [] if signals else ["--no-signals"])
    if limit:
        command += ["--limit", str(limit)]
    env = {**os.environ, **ONE_CORE}
    # taskset pins the child to one core where the machine has it.
    if os.path.exists("/usr/bin/taskset"):
        command = ["taskset", "-c", "0"] + command
    output = subprocess.run(command, capture_output=True, text=True, env=env, check=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--limit", type=int)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--naive", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--no-signals", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.corpus, args.limit, args.naive, not args.no_signals)))
        return
    ours = run_child(args.corpus, args.limit, naive=False)
    plain = run_child(args.corpus, args.limit, naive=False, signals=False)
    naive = run_child(args.corpus, args.limit, naive=True)
    print(f"corpus: {args.corpus.name}, {ours['documents']} documents, one core")
    print(f"{'':30}{'docs/s':>10}{'seconds':>10}{'peak RSS MB':>13}{'start-up s':>12}{'figures':>9}")
    for name, result in (("crosscount (figure sentences)", ours), ("  without slant signals", plain),
                         ("baseline (every sentence)", naive)):
        print(f"{name:30}{result['docs_per_second']:>10.1f}{result['seconds']:>10.2f}"
              f"{result['peak_rss_mb']:>13.0f}{result['startup_seconds']:>12.2f}{result['figures']:>9}")
    print(f"speed-up over the baseline: {ours['docs_per_second'] / naive['docs_per_second']:.1f}x")
    print(f"time the slant signals add: {ours['seconds'] / plain['seconds'] - 1:+.0%}")


if __name__ == "__main__":
    main()
