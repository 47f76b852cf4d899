"""A corpus cross-checked: incidents, then events with their claims, revisions and
contradictions, from the tables analysed documents were stored in. The one step the
local engine (from its DuckDB store) and Spark (from its Parquet tables) both run, so
the two give the same events.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

from ..model import Event
from .copies import find_copies
from .events import group_events
from .incidents import find_incidents


class AnalysedTables(Protocol):
    """What the cross-check reads: the store's figures and what tells reports apart."""

    def figures_for_events(self) -> list[dict[str, Any]]: ...
    def descriptor_rows(self) -> list[tuple[str, str, str, int]]: ...
    def document_dates(self) -> dict[str, date | None]: ...
    def document_outlets(self) -> dict[str, str | None]: ...
    def document_texts(self, keys: Iterable[str]) -> dict[str, str]: ...
    def document_titles(self) -> dict[str, str | None]: ...


@dataclass
class CrossCheck:
    incidents: list[dict[str, Any]]
    incident_members: list[dict[str, Any]]
    events: list[Event]
    event_members: list[dict[str, Any]]
    claims: list[dict[str, Any]]
    revisions: list[dict[str, Any]]
    contradictions: list[dict[str, Any]]

    TABLES = ("incidents", "incident_members", "events", "event_members", "claims", "revisions",
              "contradictions")

    def tables(self) -> Iterator[tuple[str, list[dict[str, Any]]]]:
        """(table, rows) for every derived table, events as their columns."""
        for table in self.TABLES:
            rows = getattr(self, table)
            yield table, [row.row() if isinstance(row, Event) else row for row in rows]


def cross_check(tables: AnalysedTables, window_days: int = 2) -> CrossCheck:
    rows = tables.figures_for_events()
    published = tables.document_dates()
    copies = find_copies(published, tables.document_texts, published, tables.document_titles())
    incident_of, incidents, incident_members = find_incidents(
        tables.descriptor_rows(), published, rows, tables.document_outlets(), copies)
    result = group_events(rows, tables.document_texts, window_days, incident_of=incident_of)
    return CrossCheck(incidents, incident_members, result.events, result.members, result.claims,
                      result.revisions, result.contradictions)
