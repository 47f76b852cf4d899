"""The local engine and Spark local[2] side by side, on the corpus and on it repeated.

For each corpus size: wall time, documents/s, start-up cost (the run's fixed part: the
JVM and Spark session for Spark, process start and model loading until the first
document for the local engine), documents/s after start-up, and peak memory, local
engine (2 worker processes, DuckDB) beside Spark (local[2], Parquet), and Spark's rate
after start-up as a share of the local engine's. Each run is a fresh process and a fresh
output.

usage: python benchmarks/engines.py [CORPUS.jsonl] [--repeat 1 10]
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


def child(engine: str, corpus: Path, out: Path) -> dict:
    started = time.perf_counter()
    if engine == "spark":
        from crosscount.engines.spark import run_spark, session

        spark = session("local[2]", "crosscount-benchmark")
        startup = time.perf_counter() - started
        counts = run_spark([corpus], out, spark=spark)
        spark.stop()
        documents = counts.get("documents", 0)
    else:
        from crosscount import Corpus

        summary = Corpus(out / "run.duckdb").run([corpus], workers=2)
        startup = summary.startup_seconds
        documents = summary.documents
    wall = time.perf_counter() - started
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"engine": engine, "documents": documents, "wall": wall, "startup": startup,
            "docs_per_second": documents / wall,
            "peak_mb": max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, children)}


def repeated(corpus: Path, times: int, folder: Path) -> Path:
    if times == 1:
        return corpus
    target = folder / f"{corpus.stem}-x{times}.jsonl"
    with open(target, "w", encoding="utf-8") as out:
        for copy in range(times):
            for line in open(corpus, encoding="utf-8"):
                row = json.loads(line)
                row["id"] = f"{row.get('id')}-{copy}"
                out.write(json.dumps(row) + "\n")
    return target


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--repeat", type=int, nargs="+", default=[1, 10])
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        engine, corpus, out = args.child
        print(json.dumps(child(engine, Path(corpus), Path(out))))
        return
    print(f"{'corpus':>16}{'engine':>8}{'documents':>11}{'wall s':>9}{'docs/s':>9}{'start-up s':>12}"
          f"{'docs/s after':>14}{'peak MB':>9}")
    with tempfile.TemporaryDirectory() as folder:
        for times in args.repeat:
            corpus = repeated(args.corpus, times, Path(folder))
            rates = {}
            for engine in ("local", "spark"):
                out = Path(folder) / f"{engine}-{times}"
                out.mkdir()
                result = json.loads(subprocess.run(
                    [sys.executable, __file__, "--child", engine, str(corpus), str(out)],
                    capture_output=True, text=True, check=True).stdout.strip().splitlines()[-1])
                rates[engine] = result["documents"] / max(result["wall"] - result["startup"], 1e-9)
                print(f"{args.corpus.stem + ' x' + str(times):>16}{engine:>8}{result['documents']:>11}"
                      f"{result['wall']:>9.1f}{result['docs_per_second']:>9.1f}{result['startup']:>12.1f}"
                      f"{rates[engine]:>14.1f}{result['peak_mb']:>9.0f}")
            print(f"{'':>16}local's rate after start-up is {rates['local'] / rates['spark']:.2f}x Spark's")


if __name__ == "__main__":
    main()
