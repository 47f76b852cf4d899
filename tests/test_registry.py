"""The registry files: every shipped file fits its schema, with no duplicates, and users
extend them with files of the same shape (a fault names its file and key)."""
import json

import pytest

from crosscount import Settings, analyze
from crosscount.ingest import read_text
from crosscount.registry import RegistryError, read_jsonl, shipped
from crosscount.registry.gazetteer import check_place_rows
from crosscount.registry.language import SECTIONS, load_language
from crosscount.registry.schema import check_section, read_file
from crosscount.registry.sources import check_source_rows


def test_every_shipped_rules_file_fits_its_schema():
    folder = shipped("en")
    for section in SECTIONS:
        path = folder / f"{section.name}.toml"
        check_section(section.schema, read_file(path), str(path))
    language = load_language(folder, "en")
    assert "killed" in language.figures.category_cues.values()


def test_shipped_sources_and_places_fit_their_schema():
    check_source_rows(read_jsonl(shipped("sources.jsonl")), shipped("sources.jsonl"))
    check_place_rows(read_jsonl(shipped("places.jsonl")), shipped("places.jsonl"))


def analyse(text: str, settings: Settings):
    return analyze(read_text(text, "t", find_thread=False, settings=settings), settings)


def test_a_user_lexicon_adds_event_words(tmp_path):
    extra = tmp_path / "mine.toml"
    extra.write_text('[figures.category_cues]\nkilled = ["liquidated"]\n')
    text = "The militia liquidated 14 villagers."
    assert analyse(text, Settings()).figures == ()
    [figure] = analyse(text, Settings(extra_lexicons=(extra,))).figures
    assert (figure.low, figure.category) == (14, "killed")


def test_a_user_word_moves_to_the_key_it_is_listed_under(tmp_path):
    extra = tmp_path / "mine.json"
    extra.write_text(json.dumps({"figures": {"category_cues": {"injured": ["hurt", "maimed"]}}}))
    [figure] = analyse("The blast maimed 12 people.", Settings(extra_lexicons=(extra,))).figures
    assert figure.category == "injured"


@pytest.mark.parametrize("content, fault", [
    ('[figures]\nno_such_key = ["x"]\n', "unknown key 'no_such_key'"),
    ('[nowhere]\nwords = ["x"]\n', "unknown section 'nowhere'"),
    ('[figures]\nlinkers = ["to", "to"]\n', "'to' is listed twice"),
    ('[figures]\nlinkers = "to"\n', "must be a list"),
    ('[figures]\nlinkers = ["To"]\n', "lower case"),
    ('[figures.category_cues]\nkilled = ["slain", "slain"]\n', "listed twice"),
    ("[numbers]\nnot_one = '''(unclosed'''\n", "not a regular expression"),
    ('not toml at all = = =', "not valid TOML"),
])
def test_a_faulty_user_lexicon_is_refused_with_its_file_and_key(tmp_path, content, fault):
    extra = tmp_path / "bad.toml"
    extra.write_text(content)
    with pytest.raises(RegistryError) as raised:
        load_language(shipped("en"), "en", (extra,))
    assert fault in str(raised.value) and "bad.toml" in str(raised.value)


def test_a_source_file_with_one_alias_for_two_sources_is_refused(tmp_path):
    extra = tmp_path / "sources.jsonl"
    extra.write_text('{"name": "Alpha Monitor", "kind": "monitor", "country": null, "aliases": ["AM"]}\n'
                     '{"name": "Beta Monitor", "kind": "monitor", "country": null, "aliases": ["am"]}\n')
    with pytest.raises(RegistryError, match="names both"):
        check_source_rows(read_jsonl(extra), extra)


def test_a_source_of_unknown_kind_is_refused(tmp_path):
    extra = tmp_path / "sources.jsonl"
    extra.write_text('{"name": "Gamma", "kind": "oracle", "country": null}\n')
    with pytest.raises(RegistryError, match="kind 'oracle'"):
        check_source_rows(read_jsonl(extra), extra)


def test_no_rules_for_an_unknown_language():
    with pytest.raises(RegistryError, match="no rules for language 'xx'"):
        analyze("Twelve people were killed.", Settings(language="xx"))


def test_the_gazetteer_cache_is_data_and_a_bad_one_is_rebuilt(tmp_path, monkeypatch):
    import importlib

    places = importlib.import_module("crosscount.registry.gazetteer")

    monkeypatch.setenv("CROSSCOUNT_CACHE", str(tmp_path))
    settings = Settings(min_town_population=1_000_000)    # a small index, its own cache
    places.gazetteer.cache_clear()
    built = places.gazetteer(settings)
    [cache] = tmp_path.glob("gazetteer-*")
    assert cache.read_bytes()[:6] == b"ARROW1"    # Arrow IPC: nothing in it runs when read
    for damaged in (b"garbage", cache.read_bytes()[:1000]):
        cache.write_bytes(damaged)
        places.gazetteer.cache_clear()
        assert places.gazetteer(settings) == built
    places.gazetteer.cache_clear()
