"""Hostile and heavy input: every bad item a problem with a reason, never the end of a
batch and never lost in silence; clear errors (exit 2, no traceback) for a database that
cannot be used; a time budget and a cap per document."""
import json
import signal
import subprocess
import sys
import time

import duckdb
import pytest

from crosscount import Problem, Settings, analyze
from crosscount.budget import TimeBudgetExceeded
from crosscount.cli import main
from crosscount.ingest import iter_documents, read_bytes


def run_cli(*args, timeout=120):
    return subprocess.run([sys.executable, "-m", "crosscount.cli", *map(str, args)],
                          capture_output=True, text=True, timeout=timeout)


def rows_of(db, sql):
    with duckdb.connect(str(db), read_only=True) as connection:
        return connection.execute(sql).fetchall()


def test_a_lone_surrogate_and_deep_nesting_do_not_end_the_batch(tmp_path):
    corpus = tmp_path / "rows.jsonl"
    corpus.write_text(
        '{"id": "surrogate", "text": "Five people were killed \\ud800 in the town."}\n'
        '{"id": "deep", "text": ' + "[" * 100_000 + "]" * 100_000 + '}\n'
        '{"id": "after", "text": "Nine people were injured in the blast."}\n', encoding="utf-8")
    assert main(["run", str(corpus), "--db", str(tmp_path / "run.duckdb"), "--quiet"]) == 0
    stored = dict(rows_of(tmp_path / "run.duckdb", "SELECT id, text FROM documents"))
    assert set(stored) == {"surrogate", "after"}
    assert "\ufffd" in stored["surrogate"]
    assert rows_of(tmp_path / "run.duckdb", "SELECT item, reason FROM problems") == \
        [(f"{corpus}:2", "malformed_row")]


def test_files_of_one_name_in_two_folders_stay_two_documents(tmp_path):
    for folder, text in (("north", "Five people were killed."), ("south", "Nine people fled.")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "report.txt").write_text(text, encoding="utf-8")
    (tmp_path / "top.txt").write_text("Two people were injured.", encoding="utf-8")
    ids = sorted(d.id for d in iter_documents([tmp_path]))
    assert ids == ["north/report", "south/report", "top"]


def test_repeated_ids_are_reported_not_dropped_in_silence(tmp_path):
    corpus = tmp_path / "rows.jsonl"
    corpus.write_text(
        '{"id": "a", "text": "Two people were killed."}\n'
        '{"id": "a", "text": "Two people were killed."}\n'
        '{"id": "a", "text": "Seven people were killed."}\n', encoding="utf-8")
    db = tmp_path / "run.duckdb"
    first = run_cli("run", corpus, "--db", db, "--quiet")
    assert first.returncode == 0, first.stderr
    assert "already in the database" not in first.stdout
    assert rows_of(db, "SELECT id, text FROM documents") == [("a", "Two people were killed.")]
    assert sorted(r for (r,) in rows_of(db, "SELECT reason FROM problems")) == ["repeated", "repeated_id"]
    other = tmp_path / "other.jsonl"
    other.write_text('{"id": "a", "text": "Eleven people were killed."}\n', encoding="utf-8")
    second = run_cli("run", other, "--db", db, "--quiet")
    assert second.returncode == 0 and "repeated_id: 1" in second.stdout


@pytest.mark.parametrize("content, detail", [(b"", "the file is empty"), (b"id,text\n", "the file holds no rows")])
def test_an_empty_csv_is_a_problem(tmp_path, content, detail):
    path = tmp_path / "rows.csv"
    path.write_bytes(content)
    assert list(iter_documents([path])) == [Problem(str(path), "empty", detail)]


def test_one_bad_byte_does_not_garble_a_utf8_file(tmp_path):
    page = "Caf\u00e9 owners in Bogot\u00e1 said 12 people were wounded \u2013 \u201cat least\u201d."
    document = read_bytes(page.encode("utf-8") + b"\xff", "x")
    assert document.text.startswith(page)
    rows = tmp_path / "rows.csv"
    rows.write_bytes(b"id,text\n1,\"" + page.encode("utf-8") + b"\xfe\"\n2,Ten people fled.\n")
    assert [d.text for d in iter_documents([rows])] == [page + "\ufffd", "Ten people fled."]
    latin = tmp_path / "latin.csv"
    latin.write_bytes("id,text\n1,Caf\u00e9 owners said 3 people died.\n".encode("cp1252"))
    assert [d.text for d in iter_documents([latin])] == ["Caf\u00e9 owners said 3 people died."]


def test_a_document_over_its_time_budget_is_a_problem_not_a_hang(tmp_path):
    with pytest.raises(TimeBudgetExceeded):
        analyze("Twelve people were killed in the town. " * 50, Settings(seconds_per_document=0.0))
    corpus = tmp_path / "rows.jsonl"
    corpus.write_text(json.dumps({"id": "slow", "text": "Four people were killed."}) + "\n", encoding="utf-8")
    db = tmp_path / "run.duckdb"
    from crosscount import Corpus
    Corpus(db, Settings(seconds_per_document=0.0)).run([corpus])
    assert rows_of(db, "SELECT item, reason FROM problems") == [("slow", "time_budget")]


def test_a_document_with_too_many_figures_keeps_the_first_and_says_so():
    analysis = analyze(" ".join(f"{n} people were killed." for n in range(2, 12)),
                       Settings(max_figures_per_document=4))
    assert [f.low for f in analysis.figures] == [2, 3, 4, 5]
    assert [p.reason for p in analysis.problems] == ["too_many_figures"]


@pytest.mark.parametrize("content", [b"\x00" * 4096, b"SQLite format 3\x00" + b"x" * 4096, b""],
                         ids=["zeroed", "foreign", "empty"])
def test_a_file_that_is_no_database_is_a_clear_error_and_stays_as_it_was(tmp_path, content):
    db = tmp_path / "reports.duckdb"
    db.write_bytes(content)
    page = tmp_path / "page.txt"
    page.write_text("Five people were killed.", encoding="utf-8")
    for command in (["run", page, "--db", db, "--quiet"], ["events", "--db", db]):
        result = run_cli(*command)
        assert result.returncode == 2 and "Traceback" not in result.stderr
        assert str(db) in result.stderr
    assert db.read_bytes() == content


def test_a_database_in_use_names_the_process_and_what_to_do(tmp_path):
    db = tmp_path / "reports.duckdb"
    holder = subprocess.Popen([sys.executable, "-c",
                               f"import duckdb, time; c = duckdb.connect({str(db)!r}); "
                               "print('open', flush=True); time.sleep(60)"],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "open"
        page = tmp_path / "page.txt"
        page.write_text("Five people were killed.", encoding="utf-8")
        for command in (["run", page, "--db", db, "--quiet"], ["events", "--db", db]):
            result = run_cli(*command)
            assert result.returncode == 2 and "Traceback" not in result.stderr
            assert f"in use by process {holder.pid}" in result.stderr and "run this again" in result.stderr
    finally:
        holder.kill()
        holder.wait()


def test_sigterm_stops_a_run_as_ctrl_c_does(tmp_path):
    corpus = tmp_path / "rows.jsonl"
    sentence = "{} people were killed in the town on Monday, police said. "
    corpus.write_text("".join(json.dumps({"id": f"d{n}", "text": sentence.format(n) * 30}) + "\n"
                              for n in range(20_000)), encoding="utf-8")
    db = tmp_path / "run.duckdb"
    run = subprocess.Popen([sys.executable, "-m", "crosscount.cli", "run", str(corpus), "--db", str(db),
                            "--workers", "2", "--quiet", "--batch-size", "20"],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(8)
    run.send_signal(signal.SIGTERM)
    _, err = run.communicate(timeout=60)
    assert run.returncode == 130 and "run the same command again" in err and "Traceback" not in err, err[-2000:]


def test_a_fuzz_run_stores_or_reports_every_input_exactly_once(tmp_path):
    """The benchmark's fuzz run (benchmarks/fuzz.py runs 10,000 inputs), smaller."""
    import importlib.util
    from pathlib import Path

    spec = importlib.util.spec_from_file_location("fuzz", Path(__file__).parents[1] / "benchmarks" / "fuzz.py")
    fuzz = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("fuzz", fuzz)    # its dataclasses look their module up
    spec.loader.exec_module(fuzz)
    plan = fuzz.generate(tmp_path / "in", 300, seed=7)
    result = run_cli("run", tmp_path / "in", "--db", tmp_path / "fuzz.duckdb", "--workers", "2", "--quiet",
                     timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    outcomes = fuzz.check(tmp_path / "fuzz.duckdb", plan)
    assert outcomes["stored"] >= len(plan.stored)
    assert {"binary", "empty", "malformed_row", "repeated_id", "too_large"} <= outcomes.keys()


def test_one_odd_failure_is_a_problem_the_same_failure_on_many_is_a_bug():
    from crosscount.engines.workers import FailureWatch, SystematicFailure

    def failed(line):
        return {"reason": "analysis_failed", "detail": f"KeyError: 'x' (at {line})\nTraceback ..."}
    watch = FailureWatch()
    watch.see(100, [failed("figures.py:10")] * 9)            # nine odd documents in a hundred
    watch.see(0, [failed(f"places.py:{n}") for n in range(20)])  # twenty different errors
    assert watch.documents == 129
    with pytest.raises(SystematicFailure, match="the same error on 10 of 10 documents"):
        FailureWatch().see(0, [failed("sources.py:7")] * 10)


def test_a_run_where_every_document_fails_the_same_way_stops_with_the_trace(tmp_path, monkeypatch, capsys):
    import crosscount.pipeline as pipeline

    def broken(prepared, speakers, settings):
        raise KeyError("a bug in every document")
    monkeypatch.setattr(pipeline, "finish", broken)
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text("".join(json.dumps({"id": f"d{n}", "text": f"{n + 2} people were killed in Homs."}) + "\n"
                              for n in range(12)), encoding="utf-8")
    assert main(["run", str(corpus), "--db", str(tmp_path / "c.duckdb"), "--quiet"]) == 1
    err = capsys.readouterr().err
    assert "the same error on 10 of 10 documents" in err and "a bug in every document" in err
