"""The public API for corpora: a DuckDB store of analysed documents and their events.

    corpus = crosscount.Corpus("reports.duckdb")
    summary = corpus.run(["fa-kes.jsonl"], workers=2)
    for event in corpus.events(category="killed", place="Aleppo"):
        print(event.summary)
    corpus.export("figures", "geojson", "figures.geojson")
"""
from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any, IO

from . import export as exporting
from .engines.local import RunSummary, rebuild_events, run
from .model import Event
from .settings import DEFAULT, Settings
from .store import Store


class Corpus:
    def __init__(self, db: str | Path = "crosscount.duckdb", settings: Settings = DEFAULT) -> None:
        self.db = Path(db)
        self.settings = settings

    def run(self, inputs, workers: int = 1, progress: bool = False, window_days: int = 2,
            batch_size: int = 200) -> RunSummary:
        """Analyse the inputs into the store (resuming where a run stopped), then events.
        Each batch of `batch_size` documents is one transaction."""
        return run(inputs, self.db, workers=workers, settings=self.settings, progress=progress,
                   window_days=window_days, batch_size=batch_size)

    def rebuild_events(self, window_days: int = 2) -> int:
        with Store(self.db) as store:
            return rebuild_events(store, window_days)

    def events(self, category: str | None = None, place: str | None = None, since: date | None = None,
               limit: int | None = None, with_figures: bool = True) -> list[Event]:
        """Events with their spread; each with its figures and contradictions if asked."""
        with Store(self.db, read_only=True) as store:
            events = store.events(category, place, since, limit)
            if with_figures:
                events = [store.event(event.event_id) for event in events]
        return events

    def profiles(self) -> list[dict[str, Any]]:
        """Per outlet: actor labels, signal types and sources per 1,000 words, and the share
        of its event figures outside the careful range."""
        with Store(self.db, read_only=True) as store:
            return store.profiles()

    def count(self, table: str) -> int:
        with Store(self.db, read_only=True) as store:
            return store.count(table)

    def export(self, table: str, fmt: str, out: str | Path | IO[bytes]) -> None:
        with Store(self.db, read_only=True) as store:
            exporting.write(store.table(table), fmt, out)
