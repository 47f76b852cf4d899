import json
import subprocess
import sys

from crosscount.cli import main

from .conftest import EXAMPLE

FIELDS = {"start", "end", "low", "high", "vague", "category", "who", "source", "certainty",
          "place", "section"}


def test_analyze_json_carries_the_documented_fields(capsys):
    assert main(["analyze", str(EXAMPLE), "--format", "json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["id"] == "maarat-shelling" and result["published"] == "2020-03-14"
    assert result["figures"] and all(FIELDS <= figure.keys() for figure in result["figures"])
    sohr = [f for f in result["figures"] if f["source"] and f["source"]["kind"] == "monitor"]
    assert sohr and sohr[0]["source"]["name"] == "Syrian Observatory for Human Rights"


def test_analyze_table_and_skipped_items(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    run = subprocess.run([sys.executable, "-m", "crosscount.cli", "analyze", str(EXAMPLE), str(empty)],
                         capture_output=True, text=True)
    assert run.returncode == 0
    assert "At least 23" in run.stdout and "Syrian Observatory for Human Rights" in run.stdout
    assert "skipped" in run.stderr and "empty" in run.stderr


def test_analyze_jsonl_one_line_per_document(capsys, tmp_path):
    other = tmp_path / "other.txt"
    other.write_text("Nine people were killed in the town, police said.", encoding="utf-8")
    assert main(["analyze", str(EXAMPLE), str(other), "--format", "jsonl"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [json.loads(line)["id"] for line in lines] == ["maarat-shelling", "other"]


def test_ctrl_c_during_a_database_write_reads_as_an_interruption(tmp_path, monkeypatch, capsys):
    """DuckDB reports a Ctrl-C that lands inside a statement as its own error; the run
    must still say it was interrupted and how to finish (exit 130), not fail."""
    from crosscount.store import Store

    def interrupted(self, batch):
        raise RuntimeError("Query interrupted")    # what DuckDB raises on SIGINT mid-query

    monkeypatch.setattr(Store, "write", interrupted)
    code = main(["run", str(EXAMPLE), "--db", str(tmp_path / "run.duckdb"), "--quiet"])
    assert code == 130 and "run the same command again" in capsys.readouterr().err
    monkeypatch.undo()
    assert main(["run", str(EXAMPLE), "--db", str(tmp_path / "run.duckdb"), "--quiet"]) == 0
