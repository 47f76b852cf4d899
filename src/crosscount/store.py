"""The DuckDB store: the schema, bulk writes, and the queries the CLI and API read.

The database file is the product: open it with the `duckdb` CLI, pandas or polars.
This is the only module that writes SQL. Tables (one row each):

documents      a document analysed: key, id, title, published, outlet, url, author, input,
               content_hash, n_comments, n_figures, n_words (of the article), text
comments       a reader comment: document_key, comment_no, start, end, author, text
signals        framing signals: type, SemEval-2020 technique, span, trigger words, section
actor_labels   how the text names armed actors: label, words, actor meant (if clear), span
stances        the article's and each comment's stance toward a source: target, stance, cue
outlet_profiles per outlet: actor labels and signal types per 1,000 words, sources cited
               (kind label / signal / source, per 1,000 words), and the share of its
               event figures outside the careful range (kind outside_range)
figures        a figure: document_key, figure_no, span, bounds, category, who, certainty,
               section, source_* (name, kind, country, mention, cue, registered, carried,
               person, role, organisation),
               place_* / origin / destination (canonical names and coordinates;
               place_may_mean: the province a city's name may also mean), time_*,
               relation and related (subgroup / sibling of figure_no), scope (incident /
               cumulative), published, outlet
checks         a check within one document: document_key, check_no, kind (parts_total,
               headline_body, comment_article), verdict (consistent / inconsistent),
               figures (figure_no list), explanation
problems       an input that could not be analysed: item, reason, detail, seen_at
descriptors    what tells a document's incident from others: kind (name, age, place,
               title), value, and a hash of the line it stands on
implicit_counts people an article counts without a numeral ("a man was shot and killed"):
               category, count, span, pattern, whether the perpetrator is counted, and the
               place the article is about
incidents      reports joined as one incident (reconcile/incidents.py): dates, place,
               number of documents, categories reported
incident_members which documents an incident holds
events         a group of figures about one event across documents, with its spread and
               the incident it belongs to
event_members  which figures (document_key, figure_no) an event holds; `implicit` members
               are implicit counts (mention_no), evidence that a report tells of the event
               without a figure of its own, kept out of the event's values
claims         an event's figures grouped into values that can hold together: bounds,
               sources, first and last date, sections and certainties
revisions      a source's figures for one event in order of date, where they change
contradictions pairs of claims made at the same time by different sources that cannot
               both hold, each with one figure of each
sources        each source cited, with its kind, country and number of figures
places         each place figures resolve to, with its coordinates

Writes are bulk: each batch of documents goes in as Arrow tables in one transaction,
so a killed run leaves whole documents only and a rerun finishes the rest.
"""
from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Iterable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from .model import Analysis, Event, Figure, Place, Problem

SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    key VARCHAR PRIMARY KEY, id VARCHAR, title VARCHAR, published DATE, outlet VARCHAR,
    url VARCHAR, author VARCHAR, input VARCHAR, content_hash VARCHAR, n_comments INTEGER,
    n_figures INTEGER, n_words INTEGER, text VARCHAR
);
CREATE TABLE IF NOT EXISTS comments (
    document_key VARCHAR, comment_no INTEGER, start INTEGER, "end" INTEGER, author VARCHAR,
    text VARCHAR
);
CREATE TABLE IF NOT EXISTS figures (
    document_key VARCHAR, figure_no INTEGER, start INTEGER, "end" INTEGER, text VARCHAR,
    low DOUBLE, high DOUBLE, vague BOOLEAN, approx BOOLEAN, category VARCHAR, what VARCHAR,
    who VARCHAR, certainty VARCHAR, section VARCHAR, comment_no INTEGER,
    source_name VARCHAR, source_kind VARCHAR, source_country VARCHAR, source_mention VARCHAR,
    source_cue VARCHAR, source_registered BOOLEAN, source_carried BOOLEAN,
    source_person VARCHAR, source_role VARCHAR, source_organisation VARCHAR,
    place_name VARCHAR, place_canonical VARCHAR, place_kind VARCHAR, place_country VARCHAR,
    place_within VARCHAR, place_may_mean VARCHAR, lat DOUBLE, lon DOUBLE, origin VARCHAR,
    destination VARCHAR,
    time_text VARCHAR, time_earliest DATE, time_latest DATE, sentence_start INTEGER,
    sentence_end INTEGER, relation VARCHAR, related INTEGER, scope VARCHAR, rule VARCHAR, published DATE,
    outlet VARCHAR
);
CREATE TABLE IF NOT EXISTS checks (
    document_key VARCHAR, check_no INTEGER, kind VARCHAR, verdict VARCHAR, figures INTEGER[],
    explanation VARCHAR
);
CREATE TABLE IF NOT EXISTS signals (
    document_key VARCHAR, signal_no INTEGER, type VARCHAR, technique VARCHAR, start INTEGER,
    "end" INTEGER, trigger VARCHAR, section VARCHAR, comment_no INTEGER
);
CREATE TABLE IF NOT EXISTS actor_labels (
    document_key VARCHAR, label_no INTEGER, label VARCHAR, words VARCHAR, actor VARCHAR,
    start INTEGER, "end" INTEGER, section VARCHAR, comment_no INTEGER
);
CREATE TABLE IF NOT EXISTS stances (
    document_key VARCHAR, target VARCHAR, stance VARCHAR, cue VARCHAR, start INTEGER,
    "end" INTEGER, section VARCHAR, comment_no INTEGER
);
CREATE TABLE IF NOT EXISTS outlet_profiles (
    outlet VARCHAR, documents INTEGER, words BIGINT, figures INTEGER, label VARCHAR,
    per_1000_words DOUBLE, kind VARCHAR
);
CREATE TABLE IF NOT EXISTS problems (
    item VARCHAR, reason VARCHAR, detail VARCHAR, seen_at TIMESTAMP DEFAULT current_timestamp
);
CREATE TABLE IF NOT EXISTS descriptors (
    document_key VARCHAR, kind VARCHAR, value VARCHAR, line BIGINT
);
CREATE TABLE IF NOT EXISTS implicit_counts (
    document_key VARCHAR, mention_no INTEGER, category VARCHAR, count INTEGER, start INTEGER,
    "end" INTEGER, text VARCHAR, pattern VARCHAR, perpetrator BOOLEAN, place_canonical VARCHAR,
    place_kind VARCHAR, place_country VARCHAR, place_within VARCHAR, place_may_mean VARCHAR,
    lat DOUBLE, lon DOUBLE
);
CREATE TABLE IF NOT EXISTS incidents (
    incident_id INTEGER, first_date DATE, last_date DATE, place VARCHAR, n_documents INTEGER,
    categories VARCHAR[], summary VARCHAR
);
CREATE TABLE IF NOT EXISTS incident_members (
    incident_id INTEGER, document_key VARCHAR
);
CREATE TABLE IF NOT EXISTS events (
    event_id INTEGER, category VARCHAR, place VARCHAR, place_country VARCHAR, lat DOUBLE,
    lon DOUBLE, first_date DATE, last_date DATE, n_figures INTEGER, n_documents INTEGER,
    n_reports INTEGER, n_sources INTEGER, minimum DOUBLE, median DOUBLE, maximum DOUBLE,
    careful_low DOUBLE, careful_high DOUBLE, n_contradictions INTEGER, summary VARCHAR
);
CREATE TABLE IF NOT EXISTS event_members (
    event_id INTEGER, document_key VARCHAR, figure_no INTEGER, report INTEGER, in_range BOOLEAN,
    implicit BOOLEAN
);
CREATE TABLE IF NOT EXISTS contradictions (
    event_id INTEGER, first_key VARCHAR, first_no INTEGER, first_source VARCHAR,
    second_key VARCHAR, second_no INTEGER, second_source VARCHAR, explanation VARCHAR,
    first_claim INTEGER, second_claim INTEGER
);
CREATE TABLE IF NOT EXISTS claims (
    event_id INTEGER, claim_no INTEGER, low DOUBLE, high DOUBLE, value DOUBLE, n_figures INTEGER,
    sources VARCHAR[], first_date DATE, last_date DATE, sections VARCHAR[], certainties VARCHAR[],
    statements VARCHAR
);
CREATE TABLE IF NOT EXISTS revisions (
    event_id INTEGER, source VARCHAR, n_figures INTEGER, sequence VARCHAR
);
CREATE TABLE IF NOT EXISTS sources (
    name VARCHAR, kind VARCHAR, country VARCHAR, registered BOOLEAN, n_figures INTEGER,
    n_documents INTEGER
);
CREATE TABLE IF NOT EXISTS places (
    canonical VARCHAR, kind VARCHAR, country VARCHAR, within VARCHAR, lat DOUBLE, lon DOUBLE,
    n_figures INTEGER
);
-- Columns added since the first release, for database files made before them.
ALTER TABLE figures ADD COLUMN IF NOT EXISTS place_may_mean VARCHAR;
ALTER TABLE events ADD COLUMN IF NOT EXISTS incident_id INTEGER;
ALTER TABLE contradictions ADD COLUMN IF NOT EXISTS first_claim INTEGER;
ALTER TABLE contradictions ADD COLUMN IF NOT EXISTS second_claim INTEGER;
ALTER TABLE figures ADD COLUMN IF NOT EXISTS source_person VARCHAR;
ALTER TABLE figures ADD COLUMN IF NOT EXISTS source_role VARCHAR;
ALTER TABLE figures ADD COLUMN IF NOT EXISTS source_organisation VARCHAR;
ALTER TABLE event_members ADD COLUMN IF NOT EXISTS implicit BOOLEAN;
"""
TABLES = ("documents", "comments", "figures", "checks", "signals", "actor_labels", "stances",
          "problems", "descriptors", "implicit_counts", "incidents", "incident_members", "events", "event_members",
          "claims", "revisions", "contradictions", "sources", "places", "outlet_profiles")
WRITTEN_PER_DOCUMENT = ("documents", "comments", "figures", "checks", "signals", "actor_labels",
                        "stances", "problems", "descriptors", "implicit_counts")


@lru_cache(maxsize=1)
def column_types() -> dict[str, tuple[tuple[str, str], ...]]:
    """Each table's (column, DuckDB type), in order, as SCHEMA makes them: the one
    description of the tables, from which Spark's explicit schemas are made too. Columns
    the database fills itself (a default, like problems.seen_at) are left out."""
    with duckdb.connect(config=OFFLINE) as connection:
        connection.execute(SCHEMA)
        found: dict[str, list[tuple[str, str]]] = {}
        for table, column, kind in connection.execute(
                "SELECT table_name, column_name, data_type FROM information_schema.columns "
                "WHERE column_default IS NULL ORDER BY table_name, ordinal_position").fetchall():
            found.setdefault(table, []).append((column, kind))
    return {table: tuple(columns) for table, columns in found.items()}


def content_hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()


def document_key(analysis: Analysis) -> str:
    """A document's stable key: its id (the corpus's or the file's), which reruns reuse."""
    return analysis.document.id


def place_columns(place: Place | None) -> dict[str, Any]:
    """The columns a resolved place fills, in the figures and implicit_counts tables."""
    return {"place_canonical": place.canonical if place else None, "place_kind": place.kind if place else None,
            "place_country": place.country if place else None, "place_within": place.within if place else None,
            "place_may_mean": place.may_mean if place else None, "lat": place.lat if place else None,
            "lon": place.lon if place else None}


def figure_row(key: str, number: int, figure: Figure, analysis: Analysis) -> dict[str, Any]:
    source, place, time = figure.source, figure.place, figure.time
    doc = analysis.document
    return {
        "document_key": key, "figure_no": number, "start": figure.start, "end": figure.end,
        "text": figure.text, "low": figure.low, "high": figure.high, "vague": figure.vague,
        "approx": figure.approx, "category": figure.category, "what": figure.what,
        "who": figure.who, "certainty": figure.certainty, "section": figure.section,
        "comment_no": figure.comment,
        "source_name": source.name if source else None, "source_kind": source.kind if source else None,
        "source_country": source.country if source else None,
        "source_mention": source.mention if source else None,
        "source_cue": source.cue if source else None,
        "source_registered": source.registered if source else None,
        "source_carried": source.carried if source else None,
        "source_person": source.person if source else None,
        "source_role": source.role if source else None,
        "source_organisation": source.organisation if source else None,
        "place_name": place.name if place else None, **place_columns(place),
        "origin": figure.origin.canonical if figure.origin else None,
        "destination": figure.destination.canonical if figure.destination else None,
        "time_text": time.text if time else None, "time_earliest": time.earliest if time else None,
        "time_latest": time.latest if time else None,
        "sentence_start": figure.sentence.start if figure.sentence else None,
        "sentence_end": figure.sentence.end if figure.sentence else None,
        "relation": figure.relation, "related": figure.related, "scope": figure.scope,
        "rule": figure.rule,
        "published": doc.published, "outlet": doc.outlet,
    }


@dataclass
class Batch:
    """Rows for one transaction, built in worker processes and written by the store."""
    documents: list[dict[str, Any]]
    comments: list[dict[str, Any]]
    figures: list[dict[str, Any]]
    checks: list[dict[str, Any]]
    signals: list[dict[str, Any]]
    actor_labels: list[dict[str, Any]]
    stances: list[dict[str, Any]]
    problems: list[dict[str, Any]]
    descriptors: list[dict[str, Any]]
    implicit_counts: list[dict[str, Any]]

    @classmethod
    def empty(cls) -> "Batch":
        return cls(*([] for _ in WRITTEN_PER_DOCUMENT))

    def add_analysis(self, analysis: Analysis, input_name: str) -> None:
        doc = analysis.document
        key = document_key(analysis)
        self.documents.append({
            "key": key, "id": doc.id, "title": doc.title, "published": doc.published,
            "outlet": doc.outlet, "url": doc.url, "author": doc.author, "input": input_name,
            "content_hash": content_hash(doc.text), "n_comments": len(doc.comments),
            "n_figures": len(analysis.figures), "n_words": len(doc.text[:doc.body_end].split()),
            "text": doc.text,
        })
        for number, comment in enumerate(doc.comments):
            self.comments.append({"document_key": key, "comment_no": number, "start": comment.start,
                                  "end": comment.end, "author": comment.author,
                                  "text": doc.text[comment.start:comment.end]})
        for number, figure in enumerate(analysis.figures):
            self.figures.append(figure_row(key, number, figure, analysis))
        for number, check in enumerate(analysis.checks):
            self.checks.append({"document_key": key, "check_no": number, "kind": check.kind,
                                "verdict": check.verdict, "figures": list(check.figures),
                                "explanation": check.explanation})
        for number, signal in enumerate(analysis.signals):
            self.signals.append({"document_key": key, "signal_no": number, "type": signal.type,
                                 "technique": signal.technique, "start": signal.start, "end": signal.end,
                                 "trigger": signal.trigger, "section": signal.section,
                                 "comment_no": signal.comment})
        for number, label in enumerate(analysis.actor_labels):
            self.actor_labels.append({"document_key": key, "label_no": number, "label": label.label,
                                      "words": label.words, "actor": label.actor, "start": label.start,
                                      "end": label.end, "section": label.section,
                                      "comment_no": label.comment})
        for descriptor in analysis.descriptors:
            self.descriptors.append({"document_key": key, "kind": descriptor.kind, "value": descriptor.value,
                                     "line": descriptor.line})
        for number, count in enumerate(analysis.implicit):
            self.implicit_counts.append({
                "document_key": key, "mention_no": number, "category": count.category, "count": count.count,
                "start": count.start, "end": count.end, "text": doc.text[count.start:count.end],
                "pattern": count.pattern, "perpetrator": count.perpetrator, **place_columns(count.place)})
        for problem in analysis.problems:
            self.add_problem(problem)
        for stance in analysis.stances:
            self.stances.append({"document_key": key, "target": stance.target, "stance": stance.stance,
                                 "cue": stance.cue, "start": stance.start, "end": stance.end,
                                 "section": stance.section, "comment_no": stance.comment})

    def add_problem(self, problem: Problem) -> None:
        self.problems.append({"item": problem.item, "reason": problem.reason, "detail": problem.detail})

    def __len__(self) -> int:
        return len(self.documents) + len(self.problems)

    def items(self) -> int:
        """Input items it accounts for: documents, and problems of items not stored (a
        stored document's own problem, such as too many figures, is no other item)."""
        stored = {row["id"] for row in self.documents}
        return len(self.documents) + sum(1 for p in self.problems if p["item"] not in stored)


class StoreError(Exception):
    """The database cannot be used as it is: in use by another process, damaged or no
    DuckDB file at all. The message says which, and what to do; the file is left as it was."""


class DatabaseInUse(StoreError):
    pass


# Every DuckDB file holds these bytes at offset 8 (its header's magic).
DUCKDB_MAGIC = (8, b"DUCK")
# No extension is ever installed or loaded behind the user's back: that would reach the
# network (DuckDB fetches a reader for a SQLite file given as a database, for one).
OFFLINE = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}


def _check_database_file(path: Path) -> None:
    if not path.exists():
        return
    with open(path, "rb") as handle:
        head = handle.read(16)
    at, magic = DUCKDB_MAGIC
    if head[at:at + len(magic)] != magic:
        what = "is empty" if not head else "is not a DuckDB database"
        raise StoreError(f"{path} {what}: it was left as it is; give --db a new path "
                         "(it is created) or a crosscount database")


# A writer waits this long for the file: `crosscount serve` holds it only while it answers
# a request, so a run started while the server is busy gets it a moment later.
LOCK_WAIT_SECONDS = 10.0


def connect(path: Path, read_only: bool) -> duckdb.DuckDBPyConnection:
    """A connection to a crosscount database file, or a StoreError that says what is wrong.
    A writer waits up to LOCK_WAIT_SECONDS for another process to let the file go."""
    _check_database_file(path)
    deadline = time.monotonic() + (0 if read_only else LOCK_WAIT_SECONDS)
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only, config=OFFLINE)
        except duckdb.IOException as error:
            if "lock" not in str(error).lower() or time.monotonic() > deadline:
                _raise_unusable(path, error)
            time.sleep(0.05)
        except duckdb.Error as error:
            raise StoreError(f"{path} cannot be opened as a crosscount database "
                             f"({str(error).splitlines()[0]}); it was left as it is") from error


def _raise_unusable(path: Path, error: duckdb.IOException):
    message = str(error)
    if "lock" in message.lower():
        holder = re.search(r"held in (\S+) \(PID (\d+)\)", message)
        who = f"process {holder[2]} ({holder[1]})" if holder else "another process"
        raise DatabaseInUse(
            f"{path} is in use by {who}: a `crosscount run` writing it, or another command "
            "holding it open. Wait for it to end (or stop it) and run this again; "
            "`crosscount serve` opens the file only while it answers a request.") from error
    raise StoreError(f"{path} cannot be opened as a crosscount database ({message.splitlines()[0]}); "
                     "it may be damaged: it was left as it is") from error


class Store:
    """A DuckDB file with crosscount's schema; created on first use."""

    def __init__(self, path: str | Path, read_only: bool = False) -> None:
        self.path = Path(path)
        if read_only and not self.path.exists():
            raise FileNotFoundError(f"no crosscount database at {self.path}")
        self.connection = connect(self.path, read_only)
        if not read_only:
            try:
                self.connection.execute(SCHEMA)
            except duckdb.Error as error:
                self.connection.close()
                raise StoreError(f"{self.path} does not take crosscount's tables "
                                 f"({str(error).splitlines()[0]}); it was left as it is") from error
        self._columns: dict[str, list[str]] = {}    # read when first written: a reader never needs them

    def close(self) -> None:
        self.connection.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ------------------------------------------------------------ writing
    def known_keys(self) -> dict[str, str]:
        """Each stored document's key with the hash of its text."""
        return dict(self.connection.execute("SELECT key, content_hash FROM documents").fetchall())

    def known_problems(self) -> set[str]:
        return {row[0] for row in self.connection.execute("SELECT item FROM problems").fetchall()}

    @contextmanager
    def transaction(self):
        """All of the block's writes, or none of them."""
        self.connection.execute("BEGIN TRANSACTION")
        try:
            yield self.connection
        except BaseException:
            self.connection.execute("ROLLBACK")
            raise
        self.connection.execute("COMMIT")

    def write(self, batch: Batch) -> None:
        """One transaction: every row of the batch or none."""
        with self.transaction():
            for table in WRITTEN_PER_DOCUMENT:
                rows = getattr(batch, table)
                if rows:
                    self._insert(table, rows)

    def _insert(self, table: str, rows: list[dict[str, Any]]) -> None:
        if table not in self._columns:
            self._columns[table] = [row[0] for row in self.connection.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = ? "
                "ORDER BY ordinal_position", [table]).fetchall()]
        columns = [c for c in self._columns[table] if c in rows[0]]
        arrow = pa.Table.from_pylist(rows, schema=None).select(columns)
        self.connection.register("incoming", arrow)
        quoted = ", ".join(f'"{c}"' for c in columns)
        self.connection.execute(f"INSERT INTO {table} ({quoted}) SELECT {quoted} FROM incoming")
        self.connection.unregister("incoming")

    def replace_table(self, table: str, rows: list[dict[str, Any]]) -> None:
        """Derived tables (events, sources, places) are rebuilt whole after each run."""
        with self.transaction() as con:
            con.execute(f"DELETE FROM {table}")
            if rows:
                self._insert(table, rows)

    def refresh_summaries(self) -> None:
        """The sources and places tables, from the figures."""
        with self.transaction() as con:
            con.execute("DELETE FROM sources")
            con.execute("""
                INSERT INTO sources
                SELECT source_name, any_value(source_kind), any_value(source_country),
                       bool_or(source_registered), count(*), count(DISTINCT document_key)
                FROM figures WHERE source_name IS NOT NULL GROUP BY source_name""")
            con.execute("DELETE FROM places")
            con.execute("""
                INSERT INTO places
                SELECT place_canonical, any_value(place_kind), any_value(place_country),
                       any_value(place_within), any_value(lat), any_value(lon), count(*)
                FROM figures WHERE place_canonical IS NOT NULL GROUP BY place_canonical""")

    def refresh_profiles(self) -> None:
        """Per outlet: each actor label and signal type per 1,000 words of its articles,
        the sources it cites, and how often its figures fall outside the events' ranges."""
        with self.transaction() as con:
            con.execute("DELETE FROM outlet_profiles")
            con.execute("""
                INSERT INTO outlet_profiles
                WITH words AS (
                    SELECT coalesce(outlet, '(unknown)') AS outlet, count(*) AS documents,
                           sum(n_words) AS words, sum(n_figures) AS figures
                    FROM documents GROUP BY 1),
                labels AS (
                    SELECT coalesce(d.outlet, '(unknown)') AS outlet, 'label' AS kind, l.label AS name, count(*) AS n
                    FROM actor_labels l JOIN documents d ON d.key = l.document_key
                    WHERE l.section != 'comment' GROUP BY ALL),
                signal_types AS (
                    SELECT coalesce(d.outlet, '(unknown)') AS outlet, 'signal' AS kind, s.type AS name, count(*) AS n
                    FROM signals s JOIN documents d ON d.key = s.document_key
                    WHERE s.section != 'comment' GROUP BY ALL),
                cited AS (
                    SELECT coalesce(outlet, '(unknown)') AS outlet, 'source' AS kind, source_name AS name, count(*) AS n
                    FROM figures WHERE source_name IS NOT NULL AND section != 'comment' GROUP BY ALL),
                counted AS (SELECT * FROM labels UNION ALL SELECT * FROM signal_types UNION ALL SELECT * FROM cited)
                SELECT w.outlet, w.documents, w.words, w.figures, c.name,
                       1000.0 * c.n / nullif(w.words, 0), c.kind
                FROM counted c JOIN words w USING (outlet)
                UNION ALL
                SELECT coalesce(d.outlet, '(unknown)'), any_value(w.documents), any_value(w.words),
                       any_value(w.figures), 'share of event figures outside the careful range',
                       avg(CASE WHEN m.in_range THEN 0.0 ELSE 1.0 END), 'outside_range'
                FROM event_members m JOIN documents d ON d.key = m.document_key
                JOIN words w ON w.outlet = coalesce(d.outlet, '(unknown)')
                WHERE NOT m.implicit
                GROUP BY 1""")

    def profiles(self) -> list[dict[str, Any]]:
        return self.rows("SELECT * FROM outlet_profiles ORDER BY outlet, kind, per_1000_words DESC")

    # ------------------------------------------------------------ reading
    def rows(self, sql: str, parameters: Sequence[Any] = ()) -> list[dict[str, Any]]:
        return _dict_rows(self.connection, sql, parameters)

    def count(self, table: str) -> int:
        if table not in TABLES:
            raise ValueError(f"no table {table!r}")
        return self.connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]

    def figures_for_events(self) -> list[dict[str, Any]]:
        return (self.rows(FIGURES_FOR_EVENTS.format(figures="figures", documents="documents"))
                + self.rows(IMPLICIT_FOR_EVENTS.format(implicit="implicit_counts", documents="documents")))

    def descriptor_rows(self) -> list[tuple[str, str, str, int]]:
        """(document_key, kind, value, line) of every document, for incident linking."""
        return self.connection.execute(
            "SELECT document_key, kind, value, line FROM descriptors ORDER BY document_key").fetchall()

    def document_dates(self) -> dict[str, date | None]:
        return dict(self.connection.execute("SELECT key, published FROM documents").fetchall())

    def document_outlets(self) -> dict[str, str | None]:
        return dict(self.connection.execute("SELECT key, outlet FROM documents").fetchall())

    def document_titles(self) -> dict[str, str | None]:
        return dict(self.connection.execute("SELECT key, title FROM documents").fetchall())

    def document_texts(self, keys: Iterable[str]) -> dict[str, str]:
        keys = list(keys)
        if not keys:
            return {}
        placeholders = ", ".join("?" for _ in keys)
        return {row[0]: row[1] for row in self.connection.execute(
            f"SELECT key, text FROM documents WHERE key IN ({placeholders})", keys).fetchall()}

    def events(self, category: str | None = None, place: str | None = None,
               since: date | None = None, limit: int | None = None) -> list[Event]:
        """Events, most independent sources first; `place` matches the event's place or any
        member figure's place (so "Aleppo" finds East Aleppo's events too)."""
        where, parameters = [], []
        if category:
            where.append("e.category = ?")
            parameters.append(category)
        if place:
            where.append("""(lower(e.place) = lower(?) OR e.event_id IN (
                SELECT m.event_id FROM event_members m JOIN figures f
                  ON f.document_key = m.document_key AND f.figure_no = m.figure_no AND NOT m.implicit
                WHERE lower(f.place_canonical) = lower(?) OR lower(f.place_within) = lower(?)))""")
            parameters += [place, place, place]
        if since:
            where.append("e.last_date >= ?")
            parameters.append(since)
        sql = "SELECT * FROM events e" + (" WHERE " + " AND ".join(where) if where else "")
        sql += " ORDER BY n_sources DESC, n_reports DESC, event_id"
        if limit:
            sql += f" LIMIT {int(limit)}"
        return [Event.from_row(row) for row in self.rows(sql, parameters)]

    def event_figures(self, event_id: int) -> list[dict[str, Any]]:
        """An event's figures, and the implicit counts of the reports that tell of it
        without one (`implicit`, their count as `low`)."""
        return self.rows("""
            SELECT m.report, m.in_range, m.implicit, f.document_key, f.figure_no, f.text, f.low, f.high,
                   f.vague, f.who, f.source_name, f.source_kind, f.place_canonical,
                   coalesce(f.outlet, d.outlet) AS outlet, coalesce(f.published, d.published) AS published,
                   d.title
            FROM event_members m
            JOIN figures f ON f.document_key = m.document_key AND f.figure_no = m.figure_no
            JOIN documents d ON d.key = f.document_key
            WHERE m.event_id = ? AND NOT m.implicit
            UNION ALL
            SELECT m.report, m.in_range, m.implicit, i.document_key, i.mention_no, i.text,
                   CAST(i.count AS DOUBLE), NULL, false, NULL, NULL, NULL, i.place_canonical,
                   d.outlet, d.published, d.title
            FROM event_members m
            JOIN implicit_counts i ON i.document_key = m.document_key AND i.mention_no = m.figure_no
            JOIN documents d ON d.key = i.document_key
            WHERE m.event_id = ? AND m.implicit
            ORDER BY published, report, document_key, figure_no""", [event_id, event_id])

    def event_contradictions(self, event_id: int) -> list[dict[str, Any]]:
        return self.rows("SELECT * FROM contradictions WHERE event_id = ?", [event_id])

    # ------------------------------------------------------------ pages for the HTTP API
    def page(self, sql: str, parameters: Sequence[Any], limit: int, offset: int) -> dict[str, Any]:
        total = self.connection.execute(f"SELECT count(*) FROM ({sql})", list(parameters)).fetchone()[0]
        items = self.rows(f"{sql} LIMIT {int(limit)} OFFSET {int(offset)}", parameters)
        return {"items": items, "total": total, "limit": limit, "offset": offset}

    def documents_page(self, limit: int, offset: int, outlet: str | None = None) -> dict[str, Any]:
        where, parameters = ("WHERE outlet = ?", [outlet]) if outlet else ("", [])
        return self.page(f"""SELECT key, id, title, published, outlet, url, author, n_comments, n_figures
                             FROM documents {where} ORDER BY published DESC NULLS LAST, key""",
                         parameters, limit, offset)

    def first(self, sql: str, parameters: Sequence[Any] = ()) -> dict[str, Any] | None:
        found = self.rows(sql, parameters)
        return found[0] if found else None

    def document(self, key: str) -> dict[str, Any] | None:
        document = self.first("SELECT * FROM documents WHERE key = ?", [key])
        if document is None:
            return None
        for table, order in (("figures", "figure_no"), ("comments", "comment_no"), ("checks", "check_no"),
                             ("signals", "signal_no"), ("actor_labels", "label_no"), ("stances", "start")):
            document[table] = self.rows(f"SELECT * EXCLUDE (document_key) FROM {table} "
                                        f"WHERE document_key = ? ORDER BY {order}", [key])
        return document

    def figures_page(self, limit: int, offset: int, category: str | None = None, source: str | None = None,
                     place: str | None = None, outlet: str | None = None, since: date | None = None,
                     until: date | None = None) -> dict[str, Any]:
        where, parameters = [], []
        for column, value in (("category", category), ("source_name", source), ("outlet", outlet)):
            if value:
                where.append(f"lower({column}) = lower(?)")
                parameters.append(value)
        if place:
            where.append("(lower(place_canonical) = lower(?) OR lower(place_within) = lower(?) "
                         "OR lower(place_name) = lower(?))")
            parameters += [place, place, place]
        if since:
            where.append("coalesce(time_earliest, published) >= ?")
            parameters.append(since)
        if until:
            where.append("coalesce(time_earliest, published) <= ?")
            parameters.append(until)
        sql = "SELECT * FROM figures" + (" WHERE " + " AND ".join(where) if where else "")
        return self.page(sql + " ORDER BY published DESC NULLS LAST, document_key, figure_no",
                         parameters, limit, offset)

    def event(self, event_id: int) -> Event | None:
        """An event with its figures, claims, revisions and contradictions."""
        row = self.first("SELECT * FROM events WHERE event_id = ?", [event_id])
        if row is None:
            return None
        return Event.from_row(
            row, figures=self.event_figures(event_id),
            claims=self.rows("SELECT * FROM claims WHERE event_id = ? ORDER BY claim_no", [event_id]),
            revisions=self.rows("SELECT * FROM revisions WHERE event_id = ? ORDER BY source", [event_id]),
            contradictions=self.event_contradictions(event_id))

    def sources_page(self, limit: int, offset: int) -> dict[str, Any]:
        """Each source with its figures and how often they sit inside the events' ranges."""
        return self.page("""
            SELECT s.name, s.kind, s.country, s.registered, s.n_figures, s.n_documents,
                   count(m.event_id) AS in_events,
                   avg(CASE WHEN m.in_range THEN 1.0 WHEN m.event_id IS NOT NULL THEN 0.0 END) AS share_in_range
            FROM sources s
            LEFT JOIN figures f ON f.source_name = s.name
            LEFT JOIN event_members m ON m.document_key = f.document_key AND m.figure_no = f.figure_no
                 AND NOT m.implicit
            GROUP BY ALL ORDER BY s.n_figures DESC, s.name""", [], limit, offset)

    def table(self, name: str) -> pa.Table:
        if name not in TABLES:
            raise ValueError(f"no table {name!r}; tables: {', '.join(TABLES)}")
        relation = self.connection.sql(f"SELECT * FROM {name}")
        # DuckDB 2 names it to_arrow_table; earlier releases arrow().
        to_arrow = getattr(relation, "to_arrow_table", None) or relation.arrow
        return to_arrow()


def _dict_rows(connection: duckdb.DuckDBPyConnection, sql: str, parameters: Sequence[Any] = ()
               ) -> list[dict[str, Any]]:
    cursor = connection.execute(sql, list(parameters))
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


# The figures events are grouped from, with their documents' dates, outlets and hashes; the
# same query over the store's tables and over a Spark run's Parquet tables (whose columns
# come back untyped, and whose outlet partitions name a missing outlet "(unknown)").
FIGURES_FOR_EVENTS = """
    SELECT f.document_key, CAST(f.figure_no AS INTEGER) AS figure_no, f.low, f.high, f.vague,
           f.category, f.who, f.certainty, f.section, f.source_name, f.place_canonical,
           f.place_kind, f.place_country, f.place_within, f.place_may_mean, f.lat, f.lon,
           CAST(f.time_earliest AS DATE) AS time_earliest, CAST(f.time_latest AS DATE) AS time_latest,
           f.relation, CAST(f.related AS INTEGER) AS related, coalesce(f.scope, 'incident') AS scope, f.text,
           CAST(coalesce(f.published, d.published) AS DATE) AS published,
           coalesce(nullif(f.outlet, '(unknown)'), nullif(d.outlet, '(unknown)')) AS outlet,
           d.content_hash, false AS implicit
    FROM {figures} f JOIN {documents} d ON d.key = f.document_key
    ORDER BY f.document_key, figure_no"""
# The implicit counts as rows of the same shape: each a lower bound ("a man was killed":
# at least one), the perpetrator's own death left out, "shot" (outcome untold) and "later
# died" read as the injured and killed they tell of.
IMPLICIT_FOR_EVENTS = """
    SELECT i.document_key, CAST(i.mention_no AS INTEGER) AS figure_no, CAST(i.count AS DOUBLE) AS low,
           CAST(NULL AS DOUBLE) AS high, false AS vague,
           CASE i.category WHEN 'shot' THEN 'injured' WHEN 'revision' THEN 'killed' ELSE i.category END
               AS category,
           'person' AS who, 'reported' AS certainty, 'body' AS section, CAST(NULL AS VARCHAR) AS source_name,
           i.place_canonical, i.place_kind, i.place_country, i.place_within, i.place_may_mean, i.lat, i.lon,
           CAST(NULL AS DATE) AS time_earliest, CAST(NULL AS DATE) AS time_latest,
           CAST(NULL AS VARCHAR) AS relation, CAST(NULL AS INTEGER) AS related, 'incident' AS scope, i.text,
           CAST(d.published AS DATE) AS published, nullif(d.outlet, '(unknown)') AS outlet,
           d.content_hash, true AS implicit
    FROM {implicit} i JOIN {documents} d ON d.key = i.document_key
    WHERE NOT i.perpetrator
    ORDER BY i.document_key, figure_no"""
# A Parquet table by its glob, given as the query's parameter.
PARQUET = "read_parquet(?, hive_partitioning = true, union_by_name = true)"


class ParquetTables:
    """The tables a Spark run wrote as Parquet under one folder, read with DuckDB for the
    events step (the folder is a parameter, never part of the SQL text)."""

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)
        self.connection = duckdb.connect(config=OFFLINE)

    def _glob(self, table: str) -> str:
        return str(self.folder / table / "**" / "*.parquet")

    def figures_for_events(self) -> list[dict[str, Any]]:
        rows = _dict_rows(self.connection, FIGURES_FOR_EVENTS.format(figures=PARQUET, documents=PARQUET),
                          [self._glob("figures"), self._glob("documents")])
        if (self.folder / "implicit_counts").exists():
            rows += _dict_rows(self.connection, IMPLICIT_FOR_EVENTS.format(implicit=PARQUET, documents=PARQUET),
                               [self._glob("implicit_counts"), self._glob("documents")])
        return rows

    def document_texts(self, keys: Iterable[str]) -> dict[str, str]:
        keys = list(keys)
        if not keys:
            return {}
        return dict(self.connection.execute(
            f"SELECT key, text FROM {PARQUET} WHERE list_contains(?, key)",
            [self._glob("documents"), keys]).fetchall())

    def descriptor_rows(self) -> list[tuple]:
        if not (self.folder / "descriptors").exists():
            return []
        return self.connection.execute(
            "SELECT document_key, kind, value, CAST(line AS BIGINT) FROM read_parquet(?)",
            [self._glob("descriptors")]).fetchall()

    def document_dates(self) -> dict[str, date | None]:
        return dict(self.connection.execute(
            f"SELECT key, CAST(published AS DATE) FROM {PARQUET}", [self._glob("documents")]).fetchall())

    def document_outlets(self) -> dict[str, str | None]:
        return dict(self.connection.execute(
            f"SELECT key, nullif(outlet, '(unknown)') FROM {PARQUET}", [self._glob("documents")]).fetchall())

    def document_titles(self) -> dict[str, str | None]:
        return dict(self.connection.execute(
            f"SELECT key, title FROM {PARQUET}", [self._glob("documents")]).fetchall())
