"""Speakers read as noun phrases: people with their role and body, generic names resolved
by what the text says, and words that name no one."""
import pytest

from crosscount import analyze
from crosscount.ingest import read_text

from .conftest import figure_at


def source_of(text: str, number: str):
    return figure_at(analyze(read_text(text, "t", find_thread=False)), number).source


def test_a_named_person_keeps_role_and_organisation():
    source = source_of("Ahmed Karim, a spokesman for the Syrian Civil Defence, said 14 people were killed.", "14")
    assert (source.person, source.organisation) == ("Ahmed Karim", "Syrian Civil Defence")


def test_a_person_named_after_role_and_place():
    source = source_of("A police official in Kandahar Nasir Ahmadi said 9 civilians were killed.", "9")
    assert (source.person, source.role) == ("Nasir Ahmadi", "police official")


@pytest.mark.parametrize("speaker", ["The Liwa al-Quds Brigade", "Mohammed al-Rahman"])
def test_a_name_article_joined_to_a_name_belongs_to_it(speaker):
    source = source_of(f"{speaker} said six fighters were killed.", "six")
    assert source is not None and source.name == speaker.removeprefix("The ")


@pytest.mark.parametrize("unit", ["militia", "brigade", "battalion"])
def test_a_military_unit_speaks(unit):
    assert source_of(f"The {unit} said six fighters were killed.", "six").name == unit


def test_a_place_beginning_with_an_article_is_no_person():
    source = source_of("Shells hit al-Kalaseh Bustan al-Qasr and residents said 13 people were killed.", "13")
    assert source is None or "Qasr" not in source.name


def test_an_unqualified_ministry_is_that_of_the_country_the_text_is_about():
    text = ("Floods hit the Turkish province of Hatay on Monday. "
            "The health ministry said 31 people were killed in Antakya.")
    source = source_of(text, "31")
    assert (source.name, source.country) == ("Turkish Health Ministry", "TR")


def test_a_qualified_ministry_keeps_its_country():
    text = "Shelling hit Idlib. Turkey's health ministry said 12 wounded people crossed the border."
    assert source_of(text, "12").name == "Turkish Health Ministry"


@pytest.mark.parametrize("sentence", [
    "Officials denied the report, which said 40 people were killed.",
    "Information handed to reporters said 40 people were killed.",
])
def test_relative_words_and_fragments_name_no_one(sentence):
    source = source_of(sentence, "40")
    assert source is None or source.name.lower() not in ("which", "information handed")


def test_an_acronym_in_capitals_is_a_name_not_the_relative_word():
    assert source_of("The WHO reported 217 suspected cases of cholera.", "217").name == "World Health Organization"
    assert source_of("Doctors who treated them said 30 people were injured.", "30").name == "doctors"


def test_a_place_alone_is_no_speaker_and_a_country_is_its_government():
    assert source_of("Kandahar said 8 people were killed.", "8") is None
    assert source_of("Turkey said 8 soldiers were killed.", "8").name == "Turkish government"
