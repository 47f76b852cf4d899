"""The same pipeline on Apache Spark, for corpora that outgrow one machine.

`run_spark` reads JSONL, CSV, Parquet, plain-text/HTML folders and WARC files into
partitions, and runs `crosscount.analyze` in `mapPartitions`: each Python worker loads
the spaCy parser and the gazetteer once (the pipeline's per-process caches) and keeps
them for every partition it is given. Results are the store's rows (documents, comments,
figures, checks, signals, actor_labels, stances, problems), written as Parquet tables
under OUT, documents and figures partitioned by outlet. A bad record never fails the job:
it becomes a row of the problems table with its reason.

Events are then grouped from the Parquet tables by the local engine's own rules
(`reconcile.group_events`), with DuckDB reading the Parquet on the driver: the same code,
so the same results.
"""
from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from .. import (DEFAULT, WARC_SUFFIXES, WRITTEN_PER_DOCUMENT, Batch, Document, ParquetTables, Problem,
                Settings, UnreadableInput, analyze, cross_check, document_from_row, iter_warc, jsonable,
                path_id, read_bytes, read_json_line)
from .workers import FailureWatch, failure

INSTALL_HINT = ("the Spark engine needs PySpark: pip install 'crosscount[spark]' "
                "(and a Java runtime, e.g. Debian's default-jre-headless)")


def _pyspark():
    try:
        import pyspark  # noqa: F401
        from pyspark.sql import SparkSession
    except ImportError as error:
        raise RuntimeError(INSTALL_HINT) from error
    return SparkSession


def session(master: str | None = "local[2]", app: str = "crosscount"):
    """A Spark session; `master=None` keeps the one spark-submit configured."""
    SparkSession = _pyspark()
    builder = SparkSession.builder
    if master is not None:
        # Python workers run this interpreter (with crosscount installed), not the system one.
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
        builder = builder.master(master)
    return (builder.appName(app)
            .config("spark.python.worker.reuse", "true")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.session.timeZone", "UTC")
            .getOrCreate())


# ---------------------------------------------------------------- per record, on executors
def _rows_for(item: Document | Problem, settings: Settings) -> Iterator[tuple[str, str]]:
    """(table, JSON row) for one document or problem."""
    batch = Batch.empty()
    if isinstance(item, Problem):
        batch.add_problem(item)
    else:
        try:
            analysis = analyze(item, settings)
            batch.add_analysis(analysis, item.meta.get("input", ""))
        except Exception as error:  # a bad record never fails the job
            batch.add_problem(failure(item.id, error))
    for table in WRITTEN_PER_DOCUMENT:
        for row in getattr(batch, table):
            yield table, json.dumps(jsonable(row))


def _analyse_rows(kind: str, settings: Settings):
    """A mapPartitions function for one kind of input record."""
    def analyse_partition(records: Iterable[Any]) -> Iterator[tuple[str, str]]:
        for item in _documents_from(kind, records, settings):
            yield from _rows_for(item, settings)
    return analyse_partition


def _documents_from(kind: str, records: Iterable[Any], settings: Settings) -> Iterator[Document | Problem]:
    for record in records:
        try:
            yield from _read_record(kind, record, settings)
        except Exception as error:  # crosscount's error, not the record's: the watch decides
            yield failure(_where(kind, record), error)


def _where(kind: str, record: Any) -> str:
    if kind in ("jsonl", "rows"):
        return f"{record[0]}:{record[1]}"
    return record[1][0] if kind == "files" else record[0]


def _read_record(kind: str, record: Any, settings: Settings) -> Iterator[Document | Problem]:
    if kind in ("jsonl", "rows"):
        path, number, row = record
        where = f"{path}:{number}"
        if kind == "jsonl":
            item = read_json_line(row, where, settings)
        else:
            try:
                item = document_from_row(row, where, settings)
            except UnreadableInput as error:
                item = Problem(where, error.reason, error.detail)
        if isinstance(item, Document):
            item.meta["input"] = path
        yield item
    elif kind == "files":
        root, (path, data) = record
        try:
            html = True if path.lower().endswith((".html", ".htm")) else None
            local = Path(path.removeprefix("file:"))
            document = read_bytes(bytes(data), path_id(local, Path(root).resolve() if root else None),
                                  settings, html=html)
            document.meta["input"] = path
            yield document
        except UnreadableInput as error:
            yield Problem(path, error.reason, error.detail)
    elif kind == "warc":
        path, data = record
        yield from iter_warc(bytes(data), path, settings)


# ---------------------------------------------------------------- the driver
def _inputs_by_kind(spark, inputs: Iterable[str | Path]):
    """One RDD of records per kind of input."""
    sc = spark.sparkContext
    rdds = []
    for given in map(str, inputs):
        path = Path(given)
        name = path.name.lower()
        if name.endswith((".jsonl", ".ndjson")):
            lines = sc.textFile(given).zipWithIndex().map(lambda pair, p=given: (p, pair[1] + 1, pair[0]))
            rdds.append(("jsonl", lines.filter(lambda r: r[2].strip())))
        elif name.endswith(".csv"):
            frame = spark.read.option("header", True).option("multiLine", True).option("escape", '"').csv(given)
            rows = frame.rdd.zipWithIndex().map(lambda pair, p=given: (p, pair[1] + 2, pair[0].asDict()))
            rdds.append(("rows", rows))
        elif name.endswith(".parquet") or (path.is_dir() and any(path.glob("*.parquet"))):
            rows = spark.read.parquet(given).rdd.zipWithIndex().map(
                lambda pair, p=given: (p, pair[1] + 1, pair[0].asDict()))
            rdds.append(("rows", rows))
        elif name.endswith(WARC_SUFFIXES):
            rdds.append(("warc", sc.binaryFiles(given)))
        else:
            # A folder (or file) of pages; WARC files inside it go the WARC way.
            files = sc.binaryFiles(given if path.is_file() else f"{given}/*")
            rdds.append(("warc", files.filter(lambda f: f[0].lower().endswith(WARC_SUFFIXES))))
            root = str(path) if path.is_dir() else None
            rdds.append(("files", files.filter(lambda f: not f[0].lower().endswith(WARC_SUFFIXES))
                         .map(lambda f, r=root: (r, f))))
    return rdds


PARTITIONED = {"documents": "outlet", "figures": "outlet"}
KEYS = {"documents": ["key"], "comments": ["document_key", "comment_no"],
        "figures": ["document_key", "figure_no"], "checks": ["document_key", "check_no"],
        "signals": ["document_key", "signal_no"], "actor_labels": ["document_key", "label_no"],
        "stances": ["document_key", "target", "section", "comment_no"]}


def run_spark(inputs: Iterable[str | Path], out: str | Path, master: str = "local[2]",
              settings: Settings = DEFAULT, partitions: int | None = None, spark=None,
              window_days: int = 2) -> dict[str, int]:
    """Analyse the inputs on Spark into Parquet tables under `out`; then events.

    Returns the number of rows written per table.
    """
    own_session = spark is None
    spark = spark or session(master)
    out = Path(out)
    try:
        results = None
        for kind, rdd in _inputs_by_kind(spark, inputs):
            if partitions:
                rdd = rdd.repartition(partitions)
            mapped = rdd.mapPartitions(_analyse_rows(kind, settings))
            results = mapped if results is None else results.union(mapped)
        counts: dict[str, int] = {}
        if results is None:
            return counts
        results = results.persist()
        present = results.countByKey()          # one job for every table's size
        _stop_on_systematic_failure(results, present)
        for table in WRITTEN_PER_DOCUMENT:
            if not present.get(table):
                counts[table] = 0
                continue
            lines = results.filter(lambda r, t=table: r[0] == t).map(lambda r: r[1])
            # Schema inference reads a sample of a large table, all of a small one.
            frame = spark.read.json(lines, samplingRatio=1.0 if present[table] < 5000 else 0.2)
            if table in KEYS:
                # A corpus may repeat an id: each document is stored once, as locally.
                frame = frame.dropDuplicates(KEYS[table])
            if table in PARTITIONED and PARTITIONED[table] in frame.columns:
                frame = frame.fillna({PARTITIONED[table]: "(unknown)"})
                frame.write.mode("overwrite").partitionBy(PARTITIONED[table]).parquet(str(out / table))
            else:
                frame.write.mode("overwrite").parquet(str(out / table))
            counts[table] = spark.read.parquet(str(out / table)).count()
        results.unpersist()
    finally:
        if own_session:
            spark.stop()
    counts["events"] = events_from_parquet(out, window_days)
    return counts


def _stop_on_systematic_failure(results, present: dict[str, int]) -> None:
    """A record's failure is a problem row; the same failure on many records is a bug, and
    the job stops before it writes tables of problem rows, as a local run would."""
    failed = (results.filter(lambda r: r[0] == "problems" and '"analysis_failed"' in r[1])
              .map(lambda r: json.loads(r[1])).collect()) if present.get("problems") else []
    FailureWatch().see(present.get("documents", 0), failed)


def events_from_parquet(out: str | Path, window_days: int = 2) -> int:
    """Events from the Parquet tables by the local engine's rules; written beside them."""
    import pyarrow as pa
    import pyarrow.parquet as pq


    out = Path(out)
    if not (out / "figures").exists():
        return 0
    checked = cross_check(ParquetTables(out), window_days)
    for table, records in checked.tables():
        (out / table).mkdir(parents=True, exist_ok=True)
        if records:
            pq.write_table(pa.Table.from_pylist(records), out / table / "part-0.parquet")
    return len(checked.events)
