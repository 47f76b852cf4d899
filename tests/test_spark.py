"""A real local[2] Spark session: the same figures as the local engine, document by
document; bad records land in the problems table; events come from the Parquet."""
import json
import shutil

import duckdb
import pytest

from crosscount import analyze
from crosscount.ingest import iter_documents
from crosscount.model import Problem

from .conftest import FAKES, SHARED, needs_shared

GVA = SHARED / "corpora" / "gva" / "articles.jsonl"

pyspark = pytest.importorskip("pyspark", reason="the Spark engine is an optional extra")
if shutil.which("java") is None:
    pytest.skip("Spark needs a Java runtime", allow_module_level=True)

from crosscount.engines.spark import run_spark, session  # noqa: E402


@pytest.fixture(scope="module")
def spark():
    active = session("local[2]", "crosscount-tests")
    yield active
    active.stop()


def _parquet(path, table):
    return f"read_parquet('{path / table}/**/*.parquet', hive_partitioning = true, union_by_name = true)"


@needs_shared(FAKES)
def test_spark_figures_equal_the_local_engine(tmp_path, spark):
    corpus = tmp_path / "hundred.jsonl"
    with open(FAKES, encoding="utf-8") as source:
        corpus.write_text("".join(source.readline() for _ in range(100)), encoding="utf-8")
    out = tmp_path / "out"
    counts = run_spark([corpus], out, spark=spark)
    local = {}
    for document in iter_documents([corpus]):
        if not isinstance(document, Problem):
            local.setdefault(document.id, sorted(
                (f.start, f.end, f.low, f.high, f.category, f.who, f.source.name if f.source else None)
                for f in analyze(document).figures))
    con = duckdb.connect()
    rows = con.execute(f"""SELECT document_key, start, "end", low, high, category, who, source_name
                           FROM {_parquet(out, 'figures')}""").fetchall()
    spark_figures = {}
    for key, *figure in rows:
        spark_figures.setdefault(key, []).append(tuple(figure))
    assert counts["documents"] == len({json.loads(l)["id"] for l in corpus.read_text().splitlines()})
    for key, figures in local.items():
        assert sorted(spark_figures.get(key, [])) == figures, key
    outlets = {row[0] for row in con.execute(f"SELECT DISTINCT outlet FROM {_parquet(out, 'documents')}").fetchall()}
    assert outlets and (out / "documents" / f"outlet={sorted(outlets)[0]}").is_dir()
    assert counts["events"] > 0 and (out / "events").is_dir()


@needs_shared(GVA)
def test_spark_events_equal_the_local_engine(tmp_path, spark):
    """The same incidents, events, claims and contradictions from Spark's Parquet as from
    the local store, over 200 news reports of shootings."""
    from crosscount import Corpus

    corpus = tmp_path / "gva-200.jsonl"
    with open(GVA, encoding="utf-8") as source:
        corpus.write_text("".join(source.readline() for _ in range(200)), encoding="utf-8")
    db = tmp_path / "local.duckdb"
    Corpus(db).run([corpus])
    out = tmp_path / "out"
    run_spark([corpus], out, spark=spark)
    local, parquet = duckdb.connect(str(db), read_only=True), duckdb.connect()
    columns = ("category, place, incident_id IS NULL, first_date, last_date, n_figures, n_documents, "
               "n_reports, n_sources, minimum, maximum, careful_low, careful_high, n_contradictions")
    local_events = sorted(local.execute(f"SELECT {columns} FROM events").fetchall(), key=repr)
    spark_events = sorted(parquet.execute(f"SELECT {columns} FROM {_parquet(out, 'events')}").fetchall(), key=repr)
    assert local_events and spark_events == local_events
    for table in ("incidents", "claims", "contradictions", "revisions"):
        assert (parquet.execute(f"SELECT count(*) FROM {_parquet(out, table)}").fetchone()
                == local.execute(f"SELECT count(*) FROM {table}").fetchone()), table


def test_bad_records_land_in_problems(tmp_path, spark):
    corpus = tmp_path / "bad.jsonl"
    corpus.write_text('{"id": "ok", "text": "Seven people were killed in Homs, activists said."}\n'
                      '{"id": "broken", "text": \n'
                      '{"id": "empty", "text": ""}\n', encoding="utf-8")
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "page.html").write_text("<html><body><article><p>" + "Twelve civilians were killed in "
                                     "Idlib on Monday, the Observatory said. " * 5 + "</p></article></body></html>")
    (pages / "blob.txt").write_bytes(b"\x00\x01binary" * 100)
    out = tmp_path / "out"
    counts = run_spark([corpus, pages], out, spark=spark)
    assert counts["documents"] == 2 and counts["problems"] == 3
    reasons = sorted(r for (r,) in duckdb.connect().execute(
        f"SELECT reason FROM {_parquet(out, 'problems')}").fetchall())
    assert reasons == ["binary", "empty", "malformed_row"]


def test_the_same_failure_on_every_record_stops_the_job_before_it_writes(tmp_path, spark):
    from crosscount import Settings, SystematicFailure

    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text("".join(json.dumps({"id": f"d{n}", "text": f"{n + 2} people were killed in Homs."}) + "\n"
                              for n in range(12)), encoding="utf-8")
    # Rules for a language that has none: every record fails in the same place.
    with pytest.raises(SystematicFailure, match="the same error on 10 of 10 documents"):
        run_spark([corpus], tmp_path / "out", spark=spark, settings=Settings(language="xx"))
    assert not (tmp_path / "out" / "figures").exists()


def test_a_repeated_row_is_stored_once(tmp_path, spark):
    corpus = tmp_path / "twice.jsonl"
    row = json.dumps({"id": "same", "text": "Seven people were killed in Homs, activists said."})
    other = json.dumps({"id": "other", "text": "Nine people were wounded in Hama, medics said."})
    corpus.write_text(f"{row}\n{other}\n{row}\n", encoding="utf-8")
    out = tmp_path / "out"
    counts = run_spark([corpus], out, spark=spark)
    assert counts["documents"] == 2 and counts["figures"] == 2


def test_without_pyspark_the_error_says_how_to_install(monkeypatch):
    import builtins

    from crosscount.engines import spark as engine

    real_import = builtins.__import__

    def no_pyspark(name, *args, **kwargs):
        if name.startswith("pyspark"):
            raise ImportError("no pyspark")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pyspark)
    with pytest.raises(RuntimeError, match=r"pip install 'crosscount\[spark\]'"):
        engine._pyspark()
