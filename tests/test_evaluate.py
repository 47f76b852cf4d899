"""`crosscount eval` reports what the shared scorer reports, on the same predictions."""
import json
import subprocess
import sys

from crosscount.cli import main
from crosscount.evaluate import evaluate, match

from .conftest import DEV_GOLD, SHARED, needs_shared


@needs_shared(DEV_GOLD)
def test_eval_equals_the_shared_scorer(tmp_path):
    predictions = tmp_path / "pred.jsonl"
    ours = evaluate(DEV_GOLD, predictions_path=predictions).as_dict()
    scored = subprocess.run([sys.executable, str(SHARED / "eval" / "score.py"), str(DEV_GOLD),
                             str(predictions), "--json"], capture_output=True, text=True, check=True)
    theirs = json.loads(scored.stdout)
    # Ours adds one measure the scorer leaves out: the place, which the guidelines annotate.
    assert set(ours) - set(theirs) == {"place_acc"} and set(theirs) <= set(ours)
    for key, value in theirs.items():
        assert ours[key] == value, key


@needs_shared(DEV_GOLD)
def test_dev_set_scores_stay_above_the_targets(capsys):
    assert main(["eval", str(DEV_GOLD), "--json"]) == 0
    scores = json.loads(capsys.readouterr().out)
    assert scores["f1"] >= 0.85 and scores["strict_f1"] >= 0.75


def test_matching_is_one_to_one_by_overlap():
    gold = [{"start": 0, "end": 5, "low": 10, "high": 10}, {"start": 10, "end": 12, "low": None,
                                                            "high": None, "vague": True}]
    preds = [{"start": 0, "end": 5, "low": 10, "high": 10}, {"start": 1, "end": 4, "low": 10,
                                                            "high": 10},
             {"start": 10, "end": 12, "low": 3, "high": 3}]
    pairs = match(preds, gold)
    assert len(pairs) == 2 and pairs[0][0] is preds[0]
