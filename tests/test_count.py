"""Incident counts from hand-written short reports: each implicit pattern, revisions,
conventions, grouping, and the per-event answer on the Aleppo page."""
import json

import pytest

from crosscount import analyze
from crosscount.cli import main
from crosscount.count import Conventions, count_incidents, estimate_article
from crosscount.extract.implicit import find_implicit
from crosscount.registry import language
from crosscount.settings import DEFAULT
from crosscount.ingest import read_file, read_text



def estimate(text: str, conventions: Conventions = Conventions()):
    return estimate_article(analyze(read_text(text, "t", find_thread=False)), conventions)


@pytest.mark.parametrize("text, killed, injured", [
    ("A man was shot and killed outside a bar on Friday night.", 1, 0),
    ("A 17-year-old was shot Tuesday and is in critical condition.", 0, 1),
    ("A woman was fatally shot in her home.", 1, 0),
    ("Four teens were shot on the basketball court. All are expected to survive.", 0, 4),
    ("Five people were shot, one fatally, at a party early Sunday.", 1, 4),
    ("John Smith, 24, was shot in the leg.", 0, 1),
    ("Police said the man killed his wife and their two children before turning the gun on himself.", 4, 0),
    ("The boy accidentally shot himself in the hand.", 0, 1),
    ("Officers said the suspect shot a woman during the robbery.", 0, 1),
    ("15-year-old boy critically injured in shooting", 0, 1),
    ("Shots were fired at a house overnight. No one was hurt.", 0, 0),
])
def test_implicit_counts(text, killed, injured):
    result = estimate(text)
    assert (result.killed, result.injured) == (killed, injured)


def test_implicit_mentions_are_marked_as_such():
    [mention] = find_implicit("A man was shot and killed on Main Street.", language(DEFAULT))
    assert (mention.category, mention.count, mention.pattern) == ("killed", 1, "singular")
    result = estimate("A man was shot and killed on Main Street.")
    assert result.evidence["killed"][0].layer == "implicit"


def test_a_later_death_moves_one_from_injured_to_killed():
    first = "Two men were shot on Friday and taken to hospital in critical condition."
    later = "Two men were shot on Friday. One of them later died at the hospital, police said."
    assert (estimate(first).killed, estimate(first).injured) == (0, 2)
    assert (estimate(later).killed, estimate(later).injured) == (1, 1)


def test_revisions_across_reports_of_one_incident():
    reports = [read_text("Two men were shot on Friday and are in critical condition.", "a",
                         find_thread=False, meta={"incident": "7"}),
               read_text("One of the two men shot on Friday has died, police said.", "b",
                         find_thread=False, meta={"incident": "7"})]
    [answer] = count_incidents([analyze(r) for r in reports], "incident")
    assert (answer.counts["killed"], answer.counts["injured"]) == (1, 1)
    assert "since counted as killed" in answer.rules["injured"] or answer.rules["injured"]


def test_perpetrators_count_unless_told_otherwise():
    text = "The gunman shot and killed his girlfriend, then killed himself."
    assert estimate(text).killed == 2
    assert estimate(text, Conventions(perpetrators_count=False)).killed == 1


def test_figures_of_the_core_are_not_changed_by_the_layer():
    analysis = analyze("A man was shot and killed; 3 others were wounded.")
    assert [(f.text, f.category) for f in analysis.figures] == [("3", "injured")]


def test_displaced_answer_with_its_reasoning_and_comments_apart(flight_page):
    [answer] = count_incidents([flight_page], "id")
    assert answer.counts["displaced"] == 5200
    assert "2,000" in answer.rules["displaced"] and "Over 5,000" in answer.rules["displaced"]
    claims = {c.text for c in answer.comment_claims}
    assert {"50000", "5000"} <= claims


def test_count_cli_groups_by_a_field(tmp_path, capsys):
    corpus = tmp_path / "reports.jsonl"
    rows = [{"id": "a", "incident": "1", "text": "A woman was fatally shot in Dayton on Monday."},
            {"id": "b", "incident": "1", "text": "Police identified the woman who was shot and killed."},
            {"id": "c", "incident": "2", "text": "Three people were wounded in a drive-by shooting."}]
    corpus.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    assert main(["count", str(corpus), "--group-by", "incident", "--format", "jsonl"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    answers = {line["incident"]: (line["killed"], line["injured"], line["documents"]) for line in lines}
    assert answers == {"1": (1, 0, 2), "2": (0, 3, 1)}
