"""Slant on the Aleppo page as a careful reader sees it, and on short hand-made texts."""
import json

import pytest

from crosscount import Settings, analyze
from crosscount.ingest import read_file, read_text

from .conftest import ALEPPO, needs_shared


@pytest.fixture(scope="module")
def aleppo():
    return analyze(read_file(ALEPPO))


@needs_shared(ALEPPO)
def test_every_distancing_mark_and_scare_quote(aleppo):
    marks = [(s.type, s.trigger, s.section) for s in aleppo.signals if s.type in ("distancing", "scare_quotes")]
    assert marks == [
        ("distancing", "so-called", "body"),
        ("scare_quotes", "“Syrian Observatory of Human Rights”", "body"),
        ("scare_quotes", "‘non-government’", "body"),
        ("scare_quotes", "“opposition”", "body"),
        ("scare_quotes", "“regime”", "comment"),
        ("distancing", "self-proclaimed", "comment"),
        ("scare_quotes", "“facts”", "comment"),
        ("scare_quotes", "“news”", "comment"),
        ("scare_quotes", "“news”", "comment"),
    ]
    assert all(s.technique for s in aleppo.signals)


@needs_shared(ALEPPO)
def test_stances_toward_sohr_and_sputnik(aleppo):
    stance = {(s.comment, s.target): s.stance for s in aleppo.stances}
    sohr, sputnik = "Syrian Observatory for Human Rights", "Sputnik"
    assert stance[(None, sohr)] == "disputes"          # the article's "so-called"
    commenters_on_sohr = [v for (c, t), v in stance.items() if t == sohr and c is not None]
    assert len(commenters_on_sohr) >= 6 and set(commenters_on_sohr) == {"disputes"}
    assert stance[(6, sputnik)] == "neutral"           # "If it is true ... an article on Sputnik"
    assert stance[(10, sputnik)] == "endorses"         # "Here is a link to an article on Sputnik"
    evidence = next(s for s in aleppo.stances if s.comment == 8 and s.target == sohr)
    assert aleppo.document.text[evidence.start:evidence.end] == "should never be"


@needs_shared(ALEPPO)
def test_actor_labels_and_who_they_mean(aleppo):
    labels = {(l.words.lower(), l.actor) for l in aleppo.actor_labels}
    assert ("government forces", "Syrian government") in labels
    assert ("militant-held", None) in labels
    assert ("regime", "Syrian government") in labels
    assert ("headchoppers", None) in labels


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
