"""Corpus runs into a real DuckDB file: resume after kill -9, reruns, bad input, events,
checks and exports read back."""
import json
import os
import re
import signal
import subprocess
import sys
import time
from datetime import date

import duckdb
import pyarrow.parquet as pq
import pytest

from crosscount import Corpus, analyze
from crosscount.engines.workers import Crew
from crosscount.ingest import iter_documents, read_file
from crosscount.model import Problem
from crosscount.reconcile import check_document, group_events, interval
from crosscount.registry import language
from crosscount.settings import DEFAULT, Settings

from .conftest import FAKES, needs_shared


def write_jsonl(path, rows):
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def fakes_sample(path, lines: int):
    with open(FAKES, encoding="utf-8") as source:
        path.write_text("".join(source.readline() for _ in range(lines)), encoding="utf-8")
    return path


def processes_naming(marker: str) -> list[int]:
    """Live processes whose command line holds `marker` (forked workers share their
    parent's command line)."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/cmdline", "rb") as handle:
                    if marker.encode() in handle.read():
                        found.append(int(entry))
            except OSError:
                continue
    return found


@needs_shared(FAKES)
@pytest.mark.parametrize("workers, stop", [(1, signal.SIGKILL), (2, signal.SIGKILL), (2, signal.SIGINT)],
                         ids=["kill-9", "kill-9-two-workers", "ctrl-c-two-workers"])
def test_resume_after_a_stopped_run(tmp_path, workers, stop):
    corpus = fakes_sample(tmp_path / "corpus.jsonl", 400)
    db = tmp_path / "run.duckdb"
    command = [sys.executable, "-m", "crosscount.cli", "run", str(corpus), "--db", str(db),
               "--batch-size", "20", "--workers", str(workers)]
    # A session of its own, so that Ctrl-C can reach the whole group as a terminal sends it.
    child = subprocess.Popen(command, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL,
                             start_new_session=True)
    seen, deadline = b"", time.monotonic() + 120
    while time.monotonic() < deadline:
        seen += os.read(child.stderr.fileno(), 4096)
        done = [int(n) for n in re.findall(rb"\| *(\d+)/400", seen)]
        if done and max(done) >= 120:
            break
    if stop == signal.SIGINT:
        os.killpg(child.pid, signal.SIGINT)
        try:
            _, error = child.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(child.pid, signal.SIGKILL)
            pytest.fail("the run did not end on Ctrl-C")
        assert child.returncode == 130 and b"run the same command again" in error
    else:
        child.send_signal(stop)
        child.wait()
    if os.path.isdir("/proc"):
        # No worker lingers: they notice that their parent is gone, or are stopped by it.
        deadline = time.monotonic() + 10
        while processes_naming(str(db)) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert processes_naming(str(db)) == []
    with duckdb.connect(str(db), read_only=True) as con:
        partial = con.execute("SELECT count(*) FROM documents").fetchone()[0]
    assert 0 < partial < 396, "the kill must land mid-run for this test to mean anything"

    rerun = subprocess.run(command + ["--quiet"], capture_output=True, text=True, check=True)
    assert "already in the database" in rerun.stdout
    expected = {}
    for document in iter_documents([corpus]):
        if not isinstance(document, Problem):
            expected.setdefault(document.id, len(analyze(document).figures))
    with duckdb.connect(str(db), read_only=True) as con:
        keys = [k for (k,) in con.execute("SELECT key FROM documents").fetchall()]
        figures = dict(con.execute("SELECT document_key, count(*) FROM figures GROUP BY 1").fetchall())
    assert sorted(keys) == sorted(expected)          # every document exactly once
    assert figures == {k: n for k, n in expected.items() if n}

    again = subprocess.run(command + ["--quiet"], capture_output=True, text=True, check=True)
    assert "nothing to do" in again.stdout


def table_rows(db, table: str) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return sorted(map(repr, con.execute(f"SELECT * EXCLUDE (seen_at) FROM {table}" if table == "problems"
                                            else f"SELECT * FROM {table}").fetchall()))


@needs_shared(FAKES)
def test_two_workers_store_what_one_worker_stores(tmp_path):
    """The workers without the parser hand their sentences to the one that holds it: the
    database must come out exactly as one process makes it, bad lines included."""
    corpus = fakes_sample(tmp_path / "corpus.jsonl", 150)
    with open(corpus, "a", encoding="utf-8") as handle:
        handle.write('{"id": "broken", "text": \n')
        handle.write(json.dumps({"id": "empty", "text": " "}) + "\n")
    one = Corpus(tmp_path / "one.duckdb").run([corpus], workers=1)
    two = Corpus(tmp_path / "two.duckdb").run([corpus], workers=2)
    assert (one.documents, one.figures, len(one.problems)) == (two.documents, two.figures, len(two.problems))
    assert one.figures > 500 and len(one.problems) == 2
    assert len(two.worker_peak_mb) == 2 and all(mb > 0 for mb in two.worker_peak_mb)
    assert "workers: 2 (1 holding the parser)" in "\n".join(two.lines())
    for table in ("documents", "comments", "figures", "checks", "signals", "actor_labels", "stances",
                  "problems", "events", "event_members", "contradictions"):
        assert table_rows(tmp_path / "one.duckdb", table) == table_rows(tmp_path / "two.duckdb", table), table


def test_a_missing_parser_model_stops_the_run_with_its_name(tmp_path):
    corpus = write_jsonl(tmp_path / "corpus.jsonl", [
        {"id": f"d{i}", "text": f"The ministry said {10 + i} civilians were killed in Douma."}
        for i in range(20)])
    settings = Settings(model="no_such_spacy_model")
    for workers in (1, 2):
        with pytest.raises(RuntimeError, match="no_such_spacy_model"):
            Corpus(tmp_path / f"run-{workers}.duckdb", settings).run([corpus], workers=workers)


def test_a_worker_that_dies_ends_the_run_instead_of_hanging(tmp_path):
    documents = list(iter_documents([write_jsonl(tmp_path / "corpus.jsonl", [
        {"id": f"d{i}", "text": f"Activists said {10 + i} civilians were killed in Douma."}
        for i in range(50)])]))
    with pytest.raises(RuntimeError, match="exit code -9"), Crew(2, DEFAULT) as crew:
        os.kill(crew.processes[1].pid, signal.SIGKILL)
        crew.processes[1].join()
        crew.analyse(documents, lambda batch: None)
    assert not any(process.is_alive() for process in crew.processes)


def test_a_database_from_before_a_new_column_still_takes_runs(tmp_path):
    db = tmp_path / "old.duckdb"
    rows = [{"id": "a", "text": "Activists said 12 civilians were killed in Idlib on Monday.",
             "date": "2017-04-03"}]
    Corpus(db).run([write_jsonl(tmp_path / "a.jsonl", rows)])
    with duckdb.connect(str(db)) as con:     # as the first release made it
        con.execute("ALTER TABLE figures DROP COLUMN place_may_mean")
    rows = [{"id": "b", "text": "The Observatory said 14 civilians were killed in Idlib on Monday.",
             "date": "2017-04-03"}]
    summary = Corpus(db).run([write_jsonl(tmp_path / "b.jsonl", rows)])
    assert summary.documents == 1 and summary.events == 1
    with duckdb.connect(str(db), read_only=True) as con:
        may_mean = dict(con.execute("SELECT document_key, place_may_mean FROM figures").fetchall())
    assert may_mean == {"a": None, "b": "Idlib Governorate"}


def test_rerun_is_idempotent_and_bad_input_is_recorded(tmp_path):
    good = [{"id": f"d{i}", "title": "Shelling", "date": "2016-10-01", "outlet": "wire",
             "text": f"At least {10 + i} civilians were killed in Douma on Saturday, activists said."}
            for i in range(5)]
    corpus = write_jsonl(tmp_path / "corpus.jsonl", good + [{"id": "empty", "text": "  "}])
    with open(corpus, "a", encoding="utf-8") as handle:
        handle.write('{"id": "broken", "text": \n')
        handle.write(json.dumps({"id": "huge", "text": "killed " * (50 * 1024 * 1024 // 7)}) + "\n")
    (tmp_path / "blob.bin").write_bytes(os.urandom(4096))
    db = tmp_path / "store.duckdb"
    store = Corpus(db)
    first = store.run([corpus, tmp_path / "blob.bin"])
    assert first.documents == 5 and first.new_problems == 4
    second = store.run([corpus, tmp_path / "blob.bin"])
    assert second.documents == 0 and second.new_problems == 0 and "nothing to do" in "\n".join(second.lines())
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM documents").fetchone()[0] == 5
        assert con.execute("SELECT count(*) FROM figures").fetchone()[0] == 5
        reasons = sorted(r for (r,) in con.execute("SELECT reason FROM problems").fetchall())
    assert reasons == ["binary", "empty", "malformed_row", "too_large"]


def _event_corpus(tmp_path):
    wire = ("At least 25 civilians were killed in air strikes on Douma on Saturday, the Syrian "
            "Observatory for Human Rights said. Rescue workers searched the rubble of two "
            "buildings in the town centre for survivors through the night.")
    rows = [
        {"id": "a", "date": "2018-02-10", "outlet": "wire-a", "title": "Strikes on Douma", "text": wire},
        {"id": "b", "date": "2018-02-10", "outlet": "site-b", "title": "Douma strikes", "text": wire + " More soon."},
        {"id": "c", "date": "2018-02-11", "outlet": "state-c", "title": "Terrorists shell Damascus",
         "text": "State news agency SANA said 12 civilians were killed in Douma on Saturday."},
        {"id": "d", "date": "2018-02-10", "outlet": "site-d", "title": "Aleppo",
         "text": "Five people were killed in shelling on Aleppo on Saturday, activists said."},
        {"id": "e", "date": "2018-02-10", "outlet": "site-e", "title": "Aleppo shelling",
         "text": "Seven people were killed in shelling on Aleppo on Saturday, medical sources said."},
    ]
    return write_jsonl(tmp_path / "events.jsonl", rows)


def test_events_group_copies_and_name_contradictions(tmp_path):
    store = Corpus(tmp_path / "events.duckdb")
    store.run([_event_corpus(tmp_path)])
    events = {e.place: e for e in store.events(category="killed")}
    douma = events["Douma"]
    assert (douma.n_documents, douma.n_reports) == (3, 2)    # a and b are one wire copy
    assert (douma.minimum, douma.maximum) == (12, 25)
    [clash] = [c for c in douma.contradictions if {c["first_key"], c["second_key"]} == {"a", "c"}]
    assert "Syrian Observatory for Human Rights" in clash["explanation"]
    assert "Syrian Arab News Agency" in clash["explanation"]
    aleppo = events["Aleppo"]
    assert aleppo.n_documents == 2 and aleppo.n_contradictions == 1
    assert store.events(place="Douma", since=date(2018, 3, 1)) == []


def place_row(key, place, kind, within, may_mean=None, low=58, published=date(2017, 4, 4),
              category="killed"):
    """A figure row as the store's figures_for_events gives it, for hand-made event cases."""
    return {"document_key": key, "figure_no": 0, "low": low, "high": low, "vague": False,
            "category": category, "who": "person", "certainty": "reported", "section": "body",
            "source_name": key, "place_canonical": place, "place_kind": kind,
            "place_country": "SY", "place_within": within, "place_may_mean": may_mean,
            "lat": 1.0, "lon": 2.0, "time_earliest": None, "time_latest": None, "relation": None,
            "scope": "incident", "text": str(low), "published": published, "outlet": key,
            "content_hash": key}


def test_events_keep_apart_places_dates_and_magnitudes():
    def row(key, low, place, kind, published, within=None, category="killed"):
        return place_row(key, place, kind, within, low=low, published=published, category=category)
    rows = [row("a", 20, "Sheikh Maksoud", "neighbourhood", date(2016, 11, 27), within="Aleppo"),
            row("b", 22, "Aleppo", "city", date(2016, 11, 27)),
            row("c", 21, "Aleppo", "city", date(2016, 12, 20)),              # weeks later
            row("d", 2000, "Aleppo", "city", date(2016, 11, 27)),           # another magnitude
            row("e", 20, "Homs", "city", date(2016, 11, 27)),               # elsewhere
            row("f", 20, "Aleppo", "city", date(2016, 11, 27), category="injured")]
    texts = {k: f"text of {k}" for k in "abcdef"}
    result = group_events(rows, lambda keys: {k: texts[k] for k in keys})
    [event] = result.events
    assert event.place == "Sheikh Maksoud" and event.n_documents == 2
    assert {(m["document_key"]) for m in result.members} == {"a", "b"}
    assert len(result.contradictions) == 1 and result.contradictions[0]["first_key"] in "ab"


def test_an_event_is_named_by_the_most_specific_place_several_reports_name():
    rows = [place_row("a", "Khan Shaykhun", "town", "Idlib Governorate"),
            place_row("b", "Khan Shaykhun", "town", "Idlib Governorate"),
            # "Syria's Idlib": the province, read as the city of that name, by more reports.
            *(place_row(key, "Idlib", "city", "Idlib Governorate", may_mean="Idlib Governorate")
              for key in "cde"),
            # One report's street is a side detail, not the event's name.
            place_row("f", "Market Street", "road", "Khan Shaykhun")]
    texts = {key: f"text of {key}" for key in "abcdef"}
    [event] = group_events(rows, lambda keys: {k: texts[k] for k in keys}).events
    assert event.n_documents == 6 and event.place == "Khan Shaykhun"


def test_a_big_city_does_not_stand_for_its_province():
    """"Aleppo" (no may_mean: a city of millions) is the city: shelling there is not the
    landmine blast in Manbij, elsewhere in the province, the same day."""
    rows = [place_row("a", "Manbij", "city", "Aleppo Governorate", low=69),
            place_row("b", "Manbij", "city", "Aleppo Governorate", low=69),
            place_row("c", "Aleppo", "city", "Aleppo Governorate", low=15),
            place_row("d", "al-Jamilia", "neighbourhood", "Aleppo", low=8),
            place_row("e", "Aleppo", "city", "Aleppo Governorate", low=11)]
    texts = {key: f"text of {key}" for key in "abcde"}
    result = group_events(rows, lambda keys: {k: texts[k] for k in keys})
    events = {e.place: e.n_documents for e in result.events}
    assert events == {"Manbij": 2, "Aleppo": 3}    # Aleppo: named by two reports


def test_checks_read_as_a_careful_reader_would(flight_page):
    checks = check_document(flight_page)
    parts = [c for c in checks if c.kind == "parts_total" and "Over 5,000" in c.explanation]
    assert parts and parts[0].verdict == "consistent" and "5,200" in parts[0].explanation
    headline = [c for c in checks if c.kind == "headline_body"]
    assert headline and headline[0].verdict == "consistent"
    comments = {c.explanation.split(" claims ")[1].split(";")[0]: c.verdict
                for c in checks if c.kind == "comment_article"}
    assert comments["'50000'"] == "inconsistent"
    assert comments["'5000' (Syrian Observatory for Human Rights)"] == "consistent"


@pytest.mark.parametrize("text, bounds", [
    ("dozens", (24, 199)), ("thousands", (2000, 99999)), ("hundreds of thousands", (200000, 1999999)),
])
def test_vague_amounts_read_as_ranges(text, bounds):
    assert interval(None, None, True, True, text, language(DEFAULT).checks.vague_ranges) == bounds


def test_exports_read_back(tmp_path):
    store = Corpus(tmp_path / "x.duckdb")
    store.run([_event_corpus(tmp_path)])
    figures = store.count("figures")
    store.export("figures", "parquet", tmp_path / "f.parquet")
    assert pq.read_table(tmp_path / "f.parquet").num_rows == figures
    store.export("figures", "geojson", tmp_path / "f.geojson")
    collection = json.loads((tmp_path / "f.geojson").read_text())
    assert collection["type"] == "FeatureCollection" and len(collection["features"]) == figures
    lon, lat = collection["features"][0]["geometry"]["coordinates"]
    assert 35 < lon < 38 and 32 < lat < 37
    store.export("events", "geojson", tmp_path / "e.geojson")
    assert len(json.loads((tmp_path / "e.geojson").read_text())["features"]) == store.count("events")
    store.export("checks", "csv", tmp_path / "c.csv")
    store.export("events", "jsonl", tmp_path / "e.jsonl")
    assert len((tmp_path / "e.jsonl").read_text().splitlines()) == store.count("events")
