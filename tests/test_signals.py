"""Slant on short hand-made texts: framing signals, actor labels, stances toward sources."""
import json

import pytest

from crosscount import Settings, analyze
from crosscount.ingest import read_text

PAGE = """Hundreds Flee Fighting in Northern Town

About 900 civilians fled the town on Sunday, according to the so-called "Syrian Observatory for Human Rights", a ‘non-government’ group.

State media said the "opposition" fighters had withdrawn.

Comments

Ana Ruiz

The Observatory is propaganda, nothing it says can be checked.

Tom Berg

I read the same on Sputnik. Sputnik is reliable on this.

Sam Lee

If the Observatory is right, Sputnik will confirm it.
"""


@pytest.fixture(scope="module")
def page():
    return analyze(read_text(PAGE, "page"))


def test_distancing_marks_and_scare_quotes(page):
    marks = [(s.type, s.trigger, s.section) for s in page.signals if s.type in ("distancing", "scare_quotes")]
    assert marks == [
        ("distancing", "so-called", "body"),
        ("scare_quotes", '"Syrian Observatory for Human Rights"', "body"),
        ("scare_quotes", "‘non-government’", "body"),
        ("scare_quotes", '"opposition"', "body"),
    ]
    assert all(s.technique for s in page.signals)


def test_stances_of_the_article_and_each_comment(page):
    stance = {(s.comment, s.target): s.stance for s in page.stances}
    sohr, sputnik = "Syrian Observatory for Human Rights", "Sputnik"
    assert stance[(None, sohr)] == "disputes"          # the article's "so-called"
    assert stance[(0, sohr)] == "disputes"             # "is propaganda"
    assert stance[(1, sputnik)] == "endorses"          # "is reliable"
    assert stance[(2, sohr)] == "neutral" and stance[(2, sputnik)] == "neutral"
    evidence = next(s for s in page.stances if s.comment == 0 and s.target == sohr)
    assert page.document.text[evidence.start:evidence.end] == "propaganda"


def test_actor_labels_and_who_they_mean():
    analysis = analyze("Government forces shelled the rebel-held district, and militants answered. "
                       "The regime denied it.")
    labels = {(l.words.lower(), l.actor) for l in analysis.actor_labels}
    assert ("government forces", "Syrian government") in labels
    assert ("militants", None) in labels
    assert ("regime", "Syrian government") in labels


def test_labels_take_the_group_named_beside_them():
    [label] = [l for l in analyze("Army units killed dozens of Jabhat al-Nusra terrorists.").actor_labels
               if l.label == "terrorist"]
    assert label.actor == "Jabhat al-Nusra"


@pytest.mark.parametrize("text, kind, trigger", [
    ("The regime carried out a brutal massacre in the town.", "loaded_language", "massacre"),
    ("The figures could not be independently verified.", "doubt", "could not be independently verified"),
    ("The strikes caused unprecedented destruction.", "exaggeration", "unprecedented"),
    ("Residents fear an imminent threat of new strikes.", "appeal_to_fear", "imminent threat"),
])
def test_signal_types(text, kind, trigger):
    signals = analyze(text).signals
    assert (kind, trigger) in {(s.type, s.trigger) for s in signals}


def test_quotations_are_not_scare_quotes():
    text = 'He said: "We will stay." "Civilians are dying," the doctor said.'
    assert not [s for s in analyze(text).signals if s.type == "scare_quotes"]


def test_signals_in_json_and_user_lexicon(tmp_path):
    extra = tmp_path / "signals.json"
    extra.write_text(json.dumps({"signals": {"signals": {"loaded_language": {"phrases": ["bloodletting"]}}}}))
    analysis = analyze(read_text("The bloodletting went on.", "t"), Settings(extra_lexicons=(extra,)))
    result = analysis.to_dict()
    assert [s["trigger"] for s in result["signals"]] == ["bloodletting"]
    assert {"signals", "actor_labels", "stances"} <= result.keys()
