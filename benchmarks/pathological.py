"""Seconds and peak memory of `analyze` on hostile inputs at 10 KB, 100 KB and 1 MB.

Each input is generated here and analysed in a fresh process (so that its peak RSS is its
own), with no per-document time budget. The issue's bounds: time within 1.5x of linear
from 100 KB to 1 MB, no input over 2 s per 100 KB, peak RSS under 400 MB.

usage: python benchmarks/pathological.py [--sizes 10000,100000,1000000] [--only NAME]
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "fa-kes.jsonl"
LINEAR_SLACK = 1.5
SECONDS_PER_100KB = 2.0
RSS_LIMIT_MB = 400


def _repeat(unit: str, size: int) -> str:
    return (unit * (size // len(unit) + 1))[:size]


def _real_text(size: int, one_paragraph: bool = False) -> str:
    texts = []
    total = 0
    with open(DEFAULT_CORPUS, encoding="utf-8") as handle:
        for line in handle:
            text = json.loads(line).get("article_content") or json.loads(line).get("text") or ""
            texts.append(" ".join(text.split()) if one_paragraph else text)
            total += len(text)
            if total > size:
                break
    joined = (" " if one_paragraph else "\n\n").join(texts)
    while len(joined) < size:    # a small corpus: go round again
        joined += joined
    return joined[:size]


GENERATORS = {
    "figure_run": lambda n: _repeat("12 killed ", n),
    "number_list": lambda n: _repeat("1 ", n - 6) + "killed",
    "repeated_sentence": lambda n: _repeat(
        "At least 12 civilians were killed in Aleppo on Monday, the Syrian Observatory for "
        "Human Rights said, while 300 families fled to Idlib. ", n),
    "places_and_figures": lambda n: _repeat("12 killed in Aleppo and 5 fled to Homs, ", n),
    "dates_and_numbers": lambda n: _repeat("On 12 June 2016 4 were killed, 3 June 2016 ", n),
    "quoted_denials": lambda n: _repeat('"12 people were killed," they said, denying that 40 died. ', n),
    "one_long_word": lambda n: "x" * n + " 12 killed",
    "one_huge_paragraph": lambda n: _real_text(n, one_paragraph=True),
    "real_text": lambda n: _real_text(n),
    "nested_html": lambda n: "<html><body>" + "<div>" * (n // 11) + "5 killed" + "</div>" * (n // 11),
    "many_comments": lambda n: "<html><body><article><p>12 killed in Aleppo.</p></article>"
                               + _repeat('<div class="comment"><p>SOHR lies, 40000 died</p></div>', n),
}


def measure(name: str, size: int) -> dict:
    from crosscount import Settings, analyze
    from crosscount.ingest import UnreadableInput, read_string

    from crosscount.extract.sources import load_parser

    settings = Settings(max_document_bytes=1 << 30, seconds_per_document=None)
    load_parser(settings.model)
    analyze("Officials said 12 people were killed in Aleppo.", settings)    # the gazetteer
    text = GENERATORS[name](size)
    started = time.perf_counter()
    try:
        figures = len(analyze(read_string(text, "input", settings), settings).figures)
    except UnreadableInput as error:    # refused with a reason: an answer too
        figures = error.reason
    return {"input": name, "bytes": len(text.encode("utf-8")),
            "seconds": round(time.perf_counter() - started, 3), "figures": figures,
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--only", choices=sorted(GENERATORS))
    parser.add_argument("--child", nargs=2, metavar=("NAME", "SIZE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.child[0], int(args.child[1]))))
        return
    sizes = [int(s) for s in args.sizes.split(",")]
    failures = []
    print(f"{'input':20} {'bytes':>9} {'seconds':>8} {'figures':>8} {'peak MB':>8}")
    for name in [args.only] if args.only else GENERATORS:
        rows = []
        for size in sizes:
            output = subprocess.run([sys.executable, __file__, "--child", name, str(size)],
                                    capture_output=True, text=True, check=True).stdout
            row = json.loads(output.strip().splitlines()[-1])
            rows.append(row)
            print(f"{name:20} {row['bytes']:>9,} {row['seconds']:>8.2f} {row['figures']:>8} "
                  f"{row['peak_rss_mb']:>8.0f}")
            if row["seconds"] > SECONDS_PER_100KB * max(1.0, row["bytes"] / 100_000):
                failures.append(f"{name} at {row['bytes']:,} bytes: {row['seconds']:.2f} s")
            if row["peak_rss_mb"] > RSS_LIMIT_MB:
                failures.append(f"{name} at {row['bytes']:,} bytes: {row['peak_rss_mb']:.0f} MB")
        if 100_000 in sizes and 1_000_000 in sizes:
            small = next(r for r in rows if r["bytes"] >= 100_000)
            large = rows[-1]
            growth = (large["seconds"] / max(small["seconds"], 0.01)) / (large["bytes"] / small["bytes"])
            print(f"{'':20} time growth 100 KB -> 1 MB: {growth:.2f}x linear")
            if growth > LINEAR_SLACK and large["seconds"] > 0.5:
                failures.append(f"{name}: {growth:.2f}x linear from 100 KB to 1 MB")
    print("\nall within bounds" if not failures else "\nout of bounds:\n  " + "\n  ".join(failures))


if __name__ == "__main__":
    main()
