"""crosscount: attributed, cross-checked figures from conflict and crisis reports.

The names below are the public API, and the only part of crosscount that its faces (the
CLI, the HTTP API, the local and Spark engines) call: one way to read, analyse, check
and store a document, whichever face asks. Everything else is internal and may change.

    import crosscount
    analysis = crosscount.analyze("Over 4,000 civilians fled ...")
    corpus = crosscount.Corpus("reports.duckdb"); corpus.run(["fa-kes.jsonl"])
"""
__version__ = "0.1.0"

# The order matters: the engines that `Corpus` loads import the names bound above it.
from .model import (Analysis, CheckRecord, Citation, Comment, Document, Event, Figure, Place, Problem,
                    TimeRef, jsonable)
from .settings import DEFAULT, Settings
from .budget import TimeBudgetExceeded
# Reading: every reader gives Documents, or raises / yields a Problem with a reason.
from .ingest import (UnreadableInput, document_from_row, iter_documents, path_id, read_bytes, read_html,
                     read_string, read_text)
from .ingest.corpus import read_json_line
from .ingest.decode import decode_unlabelled
from .ingest.warc import WARC_SUFFIXES, iter_warc
# Analysing: one document (`analyze`), a stream of them with their parses batched
# (`analyze_all`), or the three stages for an engine that parses in another process
# (prepare; parse_speakers or parse_many where the parser is; finish).
from .pipeline import (PARSE_BATCH_DOCUMENTS, Prepared, analyze, analyze_all, finish, finished, load_models,
                       parse_each, parse_many, parse_speakers, prepare)
# Cross-checking: a document's claims; a corpus's incidents, events and contradictions.
from .reconcile import CrossCheck, cross_check, document_claims
# Storing: the DuckDB store, a batch of rows for it, Spark's Parquet tables.
from .store import (WRITTEN_PER_DOCUMENT, Batch, DatabaseInUse, ParquetTables, Store, StoreError, column_types,
                    content_hash)
from .corpus import Corpus, RunSummary
from .engines.workers import SystematicFailure
from .engines.spark import run_spark
# Measuring: the scorer against gold annotations, and per-incident counts.
from .evaluate import evaluate
from .count import Conventions, count_incidents

__all__ = [
    "Analysis", "Batch", "CheckRecord", "Conventions", "SystematicFailure", "count_incidents", "evaluate",
    "run_spark", "Citation", "Comment", "Corpus", "CrossCheck", "DEFAULT",
    "DatabaseInUse", "Document", "Event", "Figure", "ParquetTables", "Place", "Prepared", "Problem",
    "RunSummary", "Settings", "Store", "StoreError", "TimeBudgetExceeded", "TimeRef", "UnreadableInput",
    "WARC_SUFFIXES", "WRITTEN_PER_DOCUMENT", "analyze", "column_types", "content_hash", "cross_check", "decode_unlabelled",
    "document_claims", "document_from_row", "finish", "iter_documents", "iter_warc", "jsonable",
    "analyze_all", "PARSE_BATCH_DOCUMENTS", "finished", "load_models", "parse_each", "parse_many", "parse_speakers", "path_id", "prepare", "read_bytes", "read_html", "read_json_line",
    "read_string", "read_text", "__version__",
]
