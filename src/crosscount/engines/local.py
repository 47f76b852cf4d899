"""Corpus runs on one machine: worker processes analyse, the parent writes DuckDB.

Workers (`workers.Crew`) load the gazetteer once each and share one parser. The parent reads the inputs,
skips documents the database already holds (so a killed run resumes and a finished one
does nothing), sends documents to the workers in order, and writes their rows in batches,
each batch one transaction.
"""
from __future__ import annotations

import contextlib
import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .. import (DEFAULT, WRITTEN_PER_DOCUMENT, Batch, Document, Problem, Settings, Store, analyze_all,
                content_hash, cross_check, iter_documents, load_models)
from .workers import Crew, FailureWatch, SystematicFailure, add_outcome, parser_holders

BATCH_DOCUMENTS = 200


@dataclass
class RunSummary:
    documents: int = 0           # analysed in this run
    figures: int = 0
    skipped_known: int = 0       # already in the database
    problems: list[Problem] = field(default_factory=list)   # every bad item met in this run
    new_problems: int = 0        # of those, the ones not recorded by an earlier run
    events: int = 0
    seconds: float = 0.0          # reading and analysing, start-up included
    startup_seconds: float = 0.0  # until the first document came back (loading models)
    events_seconds: float = 0.0   # regrouping events after the documents
    # Peak memory of each worker process (with several workers); the first hold the parser.
    worker_peak_mb: list[float | None] = field(default_factory=list)

    def lines(self) -> list[str]:
        rate = self.documents / self.seconds if self.seconds else 0.0
        out = [f"documents analysed: {self.documents} ({rate:.1f}/s), figures: {self.figures}, "
               f"events: {self.events}"]
        if self.worker_peak_mb:
            peaks = " / ".join("?" if mb is None else f"{mb:.0f}" for mb in self.worker_peak_mb)
            out.append(f"workers: {len(self.worker_peak_mb)} ({parser_holders(len(self.worker_peak_mb))} "
                       f"holding the parser), peak memory MB: {peaks}")
        if self.skipped_known:
            out.append(f"already in the database: {self.skipped_known}")
        if not self.documents and not self.new_problems and self.skipped_known:
            out.append("nothing to do: every document is already in the database")
        if self.problems:
            out.append(f"problems (items skipped or cut short): {len(self.problems)}")
            by_reason: dict[str, int] = {}
            for problem in self.problems:
                by_reason[problem.reason] = by_reason.get(problem.reason, 0) + 1
            out += [f"  {reason}: {count}" for reason, count in sorted(by_reason.items())]
        return out


def _pending(inputs: Iterable[str | Path], settings: Settings, known: dict[str, str],
             known_problems: set[str], summary: RunSummary, pending_problems: list[Problem], bar_skip,
             texts: dict[str, str] | None = None) -> Iterator[Document]:
    """The documents to analyse. One the database holds with the same text is skipped
    (a rerun resumes); an id met again with another text, in the database or earlier in
    this run, is refused as a problem ("repeated_id"): the first text keeps the id. The
    same text again under its id in this run is a problem too ("repeated")."""
    seen: dict[str, str] = {}

    def problem(item: Problem) -> None:
        summary.problems.append(item)
        if item.item not in known_problems:
            known_problems.add(item.item)
            pending_problems.append(item)
            summary.new_problems += 1

    for item in iter_documents(inputs, settings):
        if isinstance(item, Problem):
            problem(item)
            continue
        where = f"{item.meta.get('where') or item.meta.get('input', '')} (id {item.id})"
        digest = content_hash(item.text)
        if item.id in known:
            if known[item.id] == digest:
                summary.skipped_known += 1
                bar_skip(1)
            else:
                problem(Problem(where, "repeated_id", "the database holds another text under this id"))
            continue
        if item.id in seen:
            same = seen[item.id] == digest
            problem(Problem(where, "repeated" if same else "repeated_id",
                            "the same text again under this id in this run" if same else
                            "an earlier item of this run has this id with another text"))
            continue
        seen[item.id] = digest
        if texts is not None:
            texts[item.id] = item.text
        yield item


def estimate_total(inputs: Iterable[str | Path]) -> int:
    """How many items the inputs hold, for the progress bar's ETA: lines of JSONL and CSV
    files, other files one each. Cheap next to the analysis."""
    total = 0
    for given in map(Path, inputs):
        files = [p for p in given.rglob("*") if p.is_file()] if given.is_dir() else [given]
        for path in files:
            if path.suffix.lower() in (".jsonl", ".ndjson", ".csv"):
                with open(path, "rb") as handle:
                    lines = sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b""))
                total += max(0, lines - (path.suffix.lower() == ".csv"))
            elif path.exists():
                total += 1
    return total


def _progress(total: int | None, enabled: bool):
    from tqdm import tqdm

    return tqdm(total=total, unit="doc", disable=not enabled, dynamic_ncols=True,
                desc="analysing", file=sys.stderr, smoothing=0.1)


def run(inputs: Iterable[str | Path], db: str | Path, workers: int = 1, settings: Settings = DEFAULT,
        progress: bool = True, window_days: int = 2, batch_size: int = BATCH_DOCUMENTS) -> RunSummary:
    """Analyse every document of `inputs` into the DuckDB file `db`, then rebuild events."""
    inputs = [str(i) for i in inputs]
    started = time.perf_counter()
    summary = RunSummary()
    # Workers start loading their models first, so that opening the store and reading the
    # inputs overlap with it (and no worker is forked holding a DuckDB connection).
    crew = Crew(workers, settings) if workers > 1 else None
    with crew or contextlib.nullcontext(), Store(db) as store:
        known, known_problems = store.known_keys(), store.known_problems()
        pending_problems: list[Problem] = []
        bar = _progress(estimate_total(inputs) if progress else None, progress)
        # With worker processes, texts stay here and only the findings come back.
        texts: dict[str, str] | None = {} if workers > 1 else None
        documents = _pending(inputs, settings, known, known_problems, summary, pending_problems,
                             bar.update, texts)
        batch = Batch.empty()
        failures = FailureWatch()

        def flush() -> None:
            nonlocal batch
            for problem in pending_problems:
                batch.add_problem(problem)
            pending_problems.clear()
            if len(batch):
                store.write(batch)
            batch = Batch.empty()

        def take(result: Batch) -> None:
            if not summary.startup_seconds:
                summary.startup_seconds = time.perf_counter() - started
            failures.see(len(result.documents), result.problems)
            summary.documents += len(result.documents)
            summary.figures += len(result.figures)
            summary.problems += [Problem(p["item"], p["reason"], p["detail"]) for p in result.problems]
            summary.new_problems += len(result.problems)
            if texts is not None:
                for row in result.documents:
                    row["text"] = texts.pop(row["key"])
            for table in WRITTEN_PER_DOCUMENT:
                getattr(batch, table).extend(getattr(result, table))
            bar.update(result.items())
            if len(batch.documents) >= batch_size:
                flush()

        if crew is None:
            load_models(settings)
            for document, outcome in analyze_all(documents, settings):
                result = Batch.empty()
                add_outcome(result, document, outcome)
                take(result)
        else:
            crew.analyse(documents, take)
            summary.worker_peak_mb = list(crew.peak_rss_mb)
        flush()
        bar.close()
        summary.seconds = time.perf_counter() - started
        if summary.documents or not store.count("events"):
            summary.events = rebuild_events(store, window_days)
        else:
            summary.events = store.count("events")
        summary.events_seconds = time.perf_counter() - started - summary.seconds
    return summary


def rebuild_events(store: Store, window_days: int = 2) -> int:
    """Incidents, events, their members and contradictions, and the source and place
    summaries."""
    checked = cross_check(store, window_days)
    for table, rows in checked.tables():
        store.replace_table(table, rows)
    store.refresh_summaries()
    store.refresh_profiles()
    return len(checked.events)


__all__ = ["RunSummary", "SystematicFailure", "content_hash", "rebuild_events", "run"]
