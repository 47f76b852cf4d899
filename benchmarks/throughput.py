"""Documents per second and peak memory of `analyze` on one core, over a JSONL corpus.

Reading the corpus is timed with the analysis. Ours parses only the sentences that hold a
figure and a speech verb whose speaker word order does not settle. Two baselines run in
the same sitting over the same documents: the same pipeline parsing every sentence, and
spaCy's full pipeline (every component of the model crosscount ships with: tagger,
parser, lemmatizer, NER) over each text. Each runs in its own process so that peak RSS
is its own. Printed beside the rates: the share of sentences parsed, the time of each
stage (read, prepare, parse, finish), and a profile of where the stages
spend it.

usage: python benchmarks/throughput.py [CORPUS.jsonl] [--limit N]
"""
from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import resource
import subprocess
import sys
import time
from pathlib import Path

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "fa-kes.jsonl"
ONE_CORE = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
# Where the time goes, by the functions that make up each step (cumulative, profiled).
PROFILED_STEPS = {
    "registry phrases": ("mentions", "of"), "places": ("find_places",),
    "segmenting": ("sentences",), "numbers": ("find_quantities",), "tokens": ("tokens",),
    "figure cues": ("find_figures",), "times": ("find_times",), "credits": ("_credited",),
    "signals": ("find_signals",), "actor labels": ("find_actor_labels",), "stances": ("find_stances",),
    "descriptors": ("find_descriptors",), "checks": ("check_document",), "spaCy parse": ("parse_many",),
}


def _documents(corpus: Path, limit: int | None, settings):
    from crosscount import Problem, iter_documents

    count = 0
    for item in iter_documents([corpus], settings):   # reading is part of the work
        if isinstance(item, Problem):
            continue
        yield item
        count += 1
        if limit and count == limit:
            return


def measure(corpus: Path, limit: int | None, naive: bool, signals: bool = True) -> dict:
    """`analyze_all`'s work (parses batched over PARSE_BATCH_DOCUMENTS documents), stage by
    stage with a clock between them."""
    from crosscount import (PARSE_BATCH_DOCUMENTS, Settings, analyze, finish, load_models, parse_many,
                            prepare)

    settings = Settings(parse_all_sentences=naive, signals=signals)
    started = time.perf_counter()
    load_models(settings)
    analyze("Officials said 12 people were killed in Aleppo.", settings)
    startup = time.perf_counter() - started
    stages = dict.fromkeys(("read", "prepare", "parse", "finish"), 0.0)
    documents = figures = sentences = parsed = 0
    started = clock = time.perf_counter()

    def lap(stage: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        stages[stage] += now - clock
        clock = now

    stream = _documents(corpus, limit, settings)
    while True:
        batch = []
        for document in stream:
            lap("read")
            batch.append(prepare(document, settings))
            lap("prepare")
            if len(batch) == PARSE_BATCH_DOCUMENTS:
                break
        if not batch:
            break
        parses = parse_many([p.parse_request() for p in batch], settings)
        lap("parse")
        for prepared, speakers in zip(batch, parses):
            figures += len(finish(prepared, speakers, settings).figures)
            documents += 1
            sentences += prepared.n_sentences
            parsed += len(prepared.to_parse)
        lap("finish")
    elapsed = time.perf_counter() - started
    return {"documents": documents, "figures": figures, "seconds": elapsed,
            "docs_per_second": documents / elapsed, "startup_seconds": startup,
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "share_parsed": parsed / max(sentences, 1), "stages": stages}


def measure_spacy(corpus: Path, limit: int | None) -> dict:
    """spaCy's full pipeline over the same texts, read the same way."""
    import spacy

    from crosscount import Settings

    settings = Settings()
    started = time.perf_counter()
    nlp = spacy.load(settings.model)
    startup = time.perf_counter() - started
    started = time.perf_counter()
    documents = entities = 0
    texts = (document.text for document in _documents(corpus, limit, settings))
    for doc in nlp.pipe(texts, batch_size=16):
        documents += 1
        entities += len(doc.ents)
    elapsed = time.perf_counter() - started
    return {"documents": documents, "figures": entities, "seconds": elapsed,
            "docs_per_second": documents / elapsed, "startup_seconds": startup,
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "components": nlp.pipe_names}


def profile(corpus: Path, limit: int | None) -> dict:
    """Cumulative seconds of each step under cProfile (which slows everything alike)."""
    from crosscount import Settings, analyze, analyze_all, load_models

    settings = Settings()
    load_models(settings)
    analyze("Officials said 12 people were killed in Aleppo.", settings)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in analyze_all(_documents(corpus, limit, settings), settings):
        pass
    profiler.disable()
    stats = pstats.Stats(profiler).stats
    by_name: dict[str, float] = {}
    for (filename, _, name), (_, _, _, cumulative, _) in stats.items():
        if "crosscount" in filename:
            by_name[name] = max(by_name.get(name, 0.0), cumulative)
    whole = sum(cumulative for (filename, _, name), (_, _, _, cumulative, _) in stats.items()
                if name == "analyze_all" and "crosscount" in filename)
    return {"whole": whole, "steps": {step: sum(by_name.get(n, 0.0) for n in names)
                                      for step, names in PROFILED_STEPS.items()}}


def run_child(corpus: Path, limit: int | None, mode: str) -> dict:
    command = [sys.executable, __file__, str(corpus), "--child", mode]
    if limit:
        command += ["--limit", str(limit)]
    env = {**os.environ, **ONE_CORE}
    # taskset pins the child to one core where the machine has it.
    if os.path.exists("/usr/bin/taskset"):
        command = ["taskset", "-c", "0"] + command
    output = subprocess.run(command, capture_output=True, text=True, env=env, check=True).stdout
    return json.loads(output.strip().splitlines()[-1])


CHILDREN = {
    "ours": lambda corpus, limit: measure(corpus, limit, naive=False),
    "plain": lambda corpus, limit: measure(corpus, limit, naive=False, signals=False),
    "naive": lambda corpus, limit: measure(corpus, limit, naive=True),
    "spacy": measure_spacy,
    "profile": profile,
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--limit", type=int)
    parser.add_argument("--child", choices=sorted(CHILDREN), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(CHILDREN[args.child](args.corpus, args.limit)))
        return
    results = {mode: run_child(args.corpus, args.limit, mode) for mode in ("ours", "plain", "naive", "spacy")}
    ours, plain, naive, full = (results[m] for m in ("ours", "plain", "naive", "spacy"))
    print(f"corpus: {args.corpus.name}, {ours['documents']} documents, one core")
    print(f"{'':34}{'docs/s':>10}{'seconds':>10}{'peak RSS MB':>13}{'start-up s':>12}")
    for name, result in (("crosscount (figure sentences)", ours), ("  without slant signals", plain),
                         ("baseline: every sentence parsed", naive),
                         ("baseline: spaCy full pipeline", full)):
        print(f"{name:34}{result['docs_per_second']:>10.1f}{result['seconds']:>10.2f}"
              f"{result['peak_rss_mb']:>13.0f}{result['startup_seconds']:>12.2f}")
    print(f"spaCy's components: {', '.join(full['components'])}")
    print(f"speed-up over spaCy's full pipeline: {ours['docs_per_second'] / full['docs_per_second']:.1f}x")
    print(f"speed-up over every sentence parsed: {ours['docs_per_second'] / naive['docs_per_second']:.1f}x")
    print(f"time the slant signals add: {ours['seconds'] / plain['seconds'] - 1:+.0%}")
    print(f"sentences parsed: {ours['share_parsed']:.1%} (every-sentence baseline: "
          f"{naive['share_parsed']:.0%})")
    stages = ours["stages"]
    print("time per stage: " + ", ".join(f"{name} {seconds / ours['seconds']:.0%}"
                                         for name, seconds in stages.items()))
    profiled = run_child(args.corpus, args.limit, "profile")
    steps = sorted(profiled["steps"].items(), key=lambda kv: -kv[1])
    print("profiled steps (share of analyze + reading): " + ", ".join(
        f"{step} {seconds / profiled['whole']:.0%}" for step, seconds in steps))


if __name__ == "__main__":
    main()
