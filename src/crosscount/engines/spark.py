"""The same pipeline on Apache Spark, for corpora that outgrow one machine.

`run_spark` reads JSONL, CSV, Parquet, plain-text/HTML folders and WARC files into one
DataFrame of input records, and analyses them with `crosscount.analyze_all` in
`mapInArrow`: each Python worker loads the spaCy parser and the gazetteer once (the
pipeline's per-process caches) and keeps them for every batch it is given. The analysis
comes back as Arrow record batches with an explicit schema (made from the store's own
table definitions, never inferred): one row per store row, a `table` column and one
struct column per table. That result is cached once, and every table (documents,
comments, figures, checks, signals, actor_labels, stances, problems, descriptors) is
written from it as Parquet under OUT, documents and figures partitioned by outlet. A bad
record never fails the job: it becomes a row of the problems table with its reason; the
same failure on many records stops the job, as it stops a local run.

Events are then grouped from the Parquet tables by the local engine's own rules
(`reconcile.cross_check`), with DuckDB reading the Parquet on the driver: the same code,
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
                Settings, UnreadableInput, analyze_all, column_types, cross_check, document_from_row,
                iter_warc, path_id, read_bytes, read_json_line)
from .workers import FailureWatch, add_outcome, failure

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


# ---------------------------------------------------------------- the tables' schemas
def _arrow_type(duckdb_type: str):
    import pyarrow as pa

    if duckdb_type.endswith("[]"):
        return pa.list_(_arrow_type(duckdb_type[:-2]))
    return {"VARCHAR": pa.string(), "INTEGER": pa.int32(), "BIGINT": pa.int64(), "DOUBLE": pa.float64(),
            "BOOLEAN": pa.bool_(), "DATE": pa.date32()}[duckdb_type]


def analysis_schema():
    """The Arrow schema of the analysis: `table`, then one struct per table written per
    document, its fields the store's columns with their types."""
    import pyarrow as pa

    types = column_types()
    return pa.schema([pa.field("table", pa.string())] + [
        pa.field(table, pa.struct([pa.field(column, _arrow_type(kind)) for column, kind in types[table]]))
        for table in WRITTEN_PER_DOCUMENT])


# Input records, one DataFrame for every kind of input.
RECORD_FIELDS = (("kind", "string"), ("path", "string"), ("number", "long"), ("root", "string"),
                 ("text", "string"), ("data", "binary"))
# Rows per Arrow batch the analysis returns.
ROWS_PER_BATCH = 2048


# ---------------------------------------------------------------- per record, on executors
def _analyse_batches(settings: Settings):
    """A mapInArrow function: input record batches in, the analysis's batches out. The
    records' documents are analysed as a local run analyses them (parses batched)."""
    def analyse(batches: Iterable[Any]) -> Iterator[Any]:
        import pyarrow as pa

        schema = analysis_schema()
        fields = {table: [f.name for f in schema.field(table).type] for table in WRITTEN_PER_DOCUMENT}
        problems: list[Problem] = []
        pending: list[tuple[str, dict[str, Any]]] = []

        def documents() -> Iterator[Document]:
            for batch in batches:
                for record in batch.to_pylist():
                    for item in _documents_from(record, settings):
                        if isinstance(item, Problem):
                            problems.append(item)
                        else:
                            yield item

        def add(batch: Batch) -> None:
            for problem in problems:
                batch.add_problem(problem)
            problems.clear()
            for table in WRITTEN_PER_DOCUMENT:
                pending.extend((table, row) for row in getattr(batch, table))

        def arrow_batch():
            columns = [pa.array([table for table, _ in pending], pa.string())]
            for table in WRITTEN_PER_DOCUMENT:
                names = fields[table]
                columns.append(pa.array([{name: row.get(name) for name in names} if kind == table else None
                                         for kind, row in pending], schema.field(table).type))
            pending.clear()
            return pa.RecordBatch.from_arrays(columns, schema=schema)

        for document, outcome in analyze_all(documents(), settings):
            batch = Batch.empty()
            add_outcome(batch, document, outcome)
            add(batch)
            if len(pending) >= ROWS_PER_BATCH:
                yield arrow_batch()
        add(Batch.empty())
        if pending:
            yield arrow_batch()
    return analyse


def _where(record: dict[str, Any]) -> str:
    """A record as problems name it: a file, or a row of one ("corpus.jsonl:12")."""
    return record["path"] if record["number"] is None else f"{record['path']}:{record['number']}"


def _documents_from(record: dict[str, Any], settings: Settings) -> Iterator[Document | Problem]:
    try:
        yield from _read_record(record, settings)
    except Exception as error:  # crosscount's error, not the record's: the watch decides
        yield failure(_where(record), error)


def _read_record(record: dict[str, Any], settings: Settings) -> Iterator[Document | Problem]:
    kind, path = record["kind"], record["path"]
    if kind in ("jsonl", "rows"):
        where = _where(record)
        if kind == "jsonl":
            item = read_json_line(record["text"], where, settings)
        else:
            try:
                item = document_from_row(json.loads(record["text"]), where, settings)
            except UnreadableInput as error:
                item = Problem(where, error.reason, error.detail)
        if isinstance(item, Document):
            item.meta["input"] = path
        yield item
    elif kind == "files":
        root = record["root"]
        try:
            html = True if path.lower().endswith((".html", ".htm")) else None
            local = Path(path.removeprefix("file:"))
            document = read_bytes(bytes(record["data"]), path_id(local, Path(root).resolve() if root else None),
                                  settings, html=html)
            document.meta["input"] = path
            yield document
        except UnreadableInput as error:
            yield Problem(path, error.reason, error.detail)
    elif kind == "warc":
        yield from iter_warc(bytes(record["data"]), path, settings)


# ---------------------------------------------------------------- the driver
def _records(spark, inputs: Iterable[str | Path]):
    """One DataFrame of input records (RECORD_FIELDS) for all the inputs."""
    from pyspark.sql.types import StructType

    sc = spark.sparkContext
    rdds = []
    for given in map(str, inputs):
        path = Path(given)
        name = path.name.lower()
        if name.endswith((".jsonl", ".ndjson")):
            lines = sc.textFile(given).zipWithIndex().filter(lambda pair: pair[0].strip())
            rdds.append(lines.map(lambda pair, p=given: ("jsonl", p, pair[1] + 1, None, pair[0], None)))
        elif name.endswith(".csv"):
            frame = spark.read.option("header", True).option("multiLine", True).option("escape", '"').csv(given)
            rdds.append(frame.rdd.zipWithIndex().map(lambda pair, p=given: (
                "rows", p, pair[1] + 2, None, json.dumps(pair[0].asDict(), default=str), None)))
        elif name.endswith(".parquet") or (path.is_dir() and any(path.glob("*.parquet"))):
            rdds.append(spark.read.parquet(given).rdd.zipWithIndex().map(lambda pair, p=given: (
                "rows", p, pair[1] + 1, None, json.dumps(pair[0].asDict(), default=str), None)))
        else:
            # A WARC file, or a folder (or file) of pages with any WARC files inside it.
            files = sc.binaryFiles(given if path.is_file() else f"{given}/*")
            root = str(path) if path.is_dir() else None
            rdds.append(files.map(lambda f, r=root: (
                "warc" if f[0].lower().endswith(WARC_SUFFIXES) else "files", f[0], None, r, None, f[1])))
    if not rdds:
        return None
    schema = StructType.fromDDL(", ".join(f"{name} {kind}" for name, kind in RECORD_FIELDS))
    return spark.createDataFrame(sc.union(rdds), schema, verifySchema=False)


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
    from pyspark.sql import functions as F
    from pyspark.sql.pandas.types import from_arrow_schema

    own_session = spark is None
    spark = spark or session(master)
    out = Path(out)
    counts: dict[str, int] = {}
    try:
        records = _records(spark, inputs)
        if records is None:
            return counts
        if partitions:
            records = records.repartition(partitions)
        analysis = records.mapInArrow(_analyse_batches(settings), from_arrow_schema(analysis_schema())).persist()
        present = {row["table"]: row["count"] for row in analysis.groupBy("table").count().collect()}
        _stop_on_systematic_failure(analysis, present)
        # A corpus may repeat an id: then each document is stored once, as locally. One
        # look at the documents' keys spares a shuffle per table when none repeats.
        repeated = bool(present.get("documents")) and bool(
            analysis.where(F.col("table") == "documents").groupBy("documents.key").count()
            .where(F.col("count") > 1).limit(1).collect())
        for table in WRITTEN_PER_DOCUMENT:
            if not present.get(table):
                counts[table] = 0
                continue
            frame = analysis.where(F.col("table") == table).select(f"{table}.*")
            if repeated and table in KEYS:
                frame = frame.dropDuplicates(KEYS[table])
            if table in PARTITIONED:
                frame = frame.fillna({PARTITIONED[table]: "(unknown)"})
                frame.write.mode("overwrite").partitionBy(PARTITIONED[table]).parquet(str(out / table))
            else:
                frame.write.mode("overwrite").parquet(str(out / table))
            # Without repeats the rows written are the rows analysed: no job to count them.
            counts[table] = spark.read.parquet(str(out / table)).count() if repeated else present[table]
        analysis.unpersist()
    finally:
        if own_session:
            spark.stop()
    counts["events"] = events_from_parquet(out, window_days)
    return counts


def _stop_on_systematic_failure(analysis, present: dict[str, int]) -> None:
    """A record's failure is a problem row; the same failure on many records is a bug, and
    the job stops before it writes tables of problem rows, as a local run would."""
    from pyspark.sql import functions as F

    failed = [row.asDict() for row in analysis.where(
        (F.col("table") == "problems") & (F.col("problems.reason") == "analysis_failed"))
        .select("problems.*").collect()] if present.get("problems") else []
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
