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
