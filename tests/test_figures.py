"""Figures from hand-written reports: categories, who, certainty, sources, carry-over."""
from datetime import date

import pytest

from crosscount import Settings, analyze
from crosscount.ingest import read_text

from .conftest import figure_at


def analyse(text: str, **fields):
    return analyze(read_text(text, "t", find_thread=False, **fields))


@pytest.mark.parametrize("sentence, number, category, who", [
    ("At least 29 Syrian rebels were killed in clashes.", "At least 29", "killed", "rebel"),
    ("Air strikes killed 47 people in the town.", "47", "killed", "person"),
    ("The attack killed 19 and wounded 22.", "22", "injured", None),
    ("About 1,700 civilians had fled to the west.", "About 1,700", "displaced", "civilian"),
    ("The army evacuated 2,500 people from the district.", "2,500", "evacuated", "person"),
    ("Police arrested 40 protesters in the square.", "40", "detained", "protester"),
    ("Rescuers pulled 11 survivors from the rubble and rescued 3 children.", "3", "rescued", "child"),
    ("More than 300 families have returned to the village.", "More than 300", "returned", "family"),
    ("Dozens of people were trapped in the basement.", "Dozens", "besieged", "person"),
    ("The blast left 12 people dead and dozens injured.", "dozens", "injured", "person"),
    ("The death toll rose to 23 on Friday.", "23", "killed", None),
    ("It put the toll at six dead.", "six", "killed", None),
    ("Eight people were killed and 80 sustained injuries.", "80", "injured", "person"),
    ("Several people were killed and injured in twin attacks.", "Several", "other", "person"),
])
def test_category_and_who(sentence, number, category, who):
    figure = figure_at(analyse(sentence), number)
    assert (figure.category, figure.who) == (category, who)


@pytest.mark.parametrize("sentence", [
    "The convoy of 30 trucks reached the city.",
    "Inspectors visited 12 sites in 2016.",
    "The 200 inspectors arrived on Monday.",
    "A 10-year-old boy was killed.",
    "Two residents said the shelling continued.",
])
def test_counts_that_are_not_figures(sentence):
    assert analyse(sentence).figures == ()


def test_joined_figures_inherit_the_event():
    analysis = analyse("Air strikes killed at least 18 people including five children.")
    child = figure_at(analysis, "five")
    assert (child.category, child.who) == ("killed", "child")


@pytest.mark.parametrize("sentence, certainty", [
    ("Up to 50,000 people could be displaced if fighting continues.", "hypothetical"),
    ("Officials fear that hundreds of people may have been killed.", "hypothetical"),
    ("The ministry denied that 30 civilians were killed in the raid.", "denied"),
    ("Twelve civilians were killed on Monday.", "reported"),
])
def test_certainty(sentence, certainty):
    [figure] = analyse(sentence).figures
    assert figure.certainty == certainty


def test_according_to_resolves_through_the_registry():
    [figure] = analyse("About 2,500 civilians fled, according to the so-called "
                       "“Syrian Observatory of Human Rights”, a pro-militant group.").figures
    assert figure.source.name == "Syrian Observatory for Human Rights"
    assert figure.source.kind == "monitor" and figure.source.registered


def test_speech_verb_subject_and_inverted_order():
    analysis = analyse("Syrian state TV says 22 killed in car bomb. "
                       "Five children were among the dead, said the Observatory.")
    assert figure_at(analysis, "22").source.name == "Syrian state television"
    assert figure_at(analysis, "Five").source.name == "Syrian Observatory for Human Rights"


def test_attribution_carries_only_through_an_explicit_anaphor():
    analysis = analyse(
        "The Syrian Observatory for Human Rights said 31 civilians were killed in the town. "
        "It added that 16 others were wounded. "
        "Another 4 people were killed in a nearby village.")
    assert figure_at(analysis, "31").source.name == "Syrian Observatory for Human Rights"
    carried = figure_at(analysis, "16").source
    assert carried.name == "Syrian Observatory for Human Rights" and carried.carried
    assert figure_at(analysis, "4 people").source is None


def test_descriptor_resolves_to_the_named_source():
    analysis = analyse("The Syrian Observatory for Human Rights reported heavy shelling. "
                       "At least 12 civilians were killed, a Britain-based monitor said.")
    assert figure_at(analysis, "At least 12").source.name == "Syrian Observatory for Human Rights"


def test_original_speaker_outranks_the_relay():
    [figure] = analyse("SANA quoted a military source as saying 40 terrorists were killed.").figures
    assert figure.source.name == "military source"


def test_unnamed_sources_keep_the_words_of_the_text():
    analysis = analyse("Two residents said 4 civilians were killed. "
                       "A senior opposition official said 20 fighters were killed.")
    assert figure_at(analysis, "4 civilians").source.name == "residents"
    assert figure_at(analysis, "20").source.name == "senior opposition official"


def test_unattributed_figures_say_so():
    [figure] = analyse("Seven people were killed in the blast.").figures
    assert figure.source is None


def test_user_registry_extends_sources(tmp_path):
    extra = tmp_path / "mine.jsonl"
    extra.write_text('{"name": "Aleppo Media Centre", "kind": "outlet", "country": "SY", '
                     '"aliases": ["AMC"]}\n', encoding="utf-8")
    settings = Settings(extra_sources=(extra,))
    analysis = analyze(read_text("AMC said 9 people were killed.", "t"), settings)
    assert analysis.figures[0].source.name == "Aleppo Media Centre"
    assert analysis.figures[0].source.kind == "outlet"


def test_places_resolve_to_coordinates_and_roles():
    analysis = analyse("About 1,700 civilians fled from Douma to Damascus on Monday.",
                       published=date(2018, 3, 14))
    figure = analysis.figures[0]
    assert figure.origin.canonical == "Douma" and figure.destination.canonical == "Damascus"
    assert figure.place.canonical == "Douma"
    assert 33 < figure.place.lat < 34 and 36 < figure.place.lon < 37
    # 14 March 2018 was a Wednesday: "on Monday" is the 12th.
    assert figure.time.earliest == date(2018, 3, 12)


@pytest.mark.parametrize("text, expected", [
    # Words that GeoNames lists as some town's other name, or as a small town far away.
    ("More than 280,000 people have been killed since the war began.", None),
    ("Since Monday 12 people were killed in the shelling.", None),
    ("SANA said 14 people were killed in the shelling.", None),
    ("NGO workers said 14 people were killed in the shelling.", None),
    ("Ashton Carter said 14 fighters were killed.", None),
    # Real places keep resolving, written with or without the transliteration's marks.
    ("Activists said 14 people were killed in Ariha.", "Arīḩā"),
    ("Activists said 14 people were killed in New York.", "New York City"),
    ("Damascus said 14 soldiers were killed in Hama.", "Ḩamāh"),
])
def test_place_names_are_not_common_words_acronyms_or_first_names(text, expected):
    figure = analyse(text).figures[0]
    assert (figure.place.canonical if figure.place else None) == expected, figure.place


def test_places_the_gazetteer_lacks_count_when_the_text_says_what_they_are():
    figure = analyse("Three civilians were killed when a barrel bomb hit the Zubdiya "
                     "neighbourhood in Aleppo.").figures[0]
    assert (figure.place.name, figure.place.kind, figure.place.within) == ("Zubdiya", "neighbourhood", "Aleppo")
    assert 36 < figure.place.lat < 37     # approximately: the coordinates of Aleppo
    figure = analyse("Air strikes killed 12 people in Syria's town of Kafr Battikh in Idlib "
                     "province.").figures[0]
    assert (figure.place.name, figure.place.kind, figure.place.within) == (
        "Kafr Battikh", "town", "Idlib Governorate")
    # Words that say who holds an area, or which group it is, are not its name.
    for text in ("Shelling killed 12 people in the Kurdish-held area.",
                 "Shelling killed 12 people in the Islamic State area."):
        figure = analyse(text).figures[0]
        assert figure.place is None, figure.place


def test_a_figure_without_a_place_of_its_own_takes_the_one_the_sentence_before_names():
    analysis = analyse("Air strikes struck the town of Urum al-Joz in Idlib province on Saturday. "
                       "The attack killed at least 18 people, the Observatory said.")
    assert analysis.figures[0].place.name == "Urum al-Joz"


def test_a_figure_takes_the_place_of_its_own_clause():
    analysis = analyse("At least 19 people were killed near the Syrian capital on Tuesday, hours "
                       "after a gas attack left dozens dead in Khan Sheikhun.")
    places = {f.text: f.place.canonical for f in analysis.figures}
    assert places == {"At least 19": "Damascus", "dozens": "Khan Shaykhun"}
    # What follows "when" is how the figure's own event happened.
    analysis = analyse("At least 57 civilians were killed in the province when the regime dropped "
                       "barrel bombs on Al Bab.")
    assert analysis.figures[0].place.canonical == "al-Bab"
    # "Capital" followed by a name: that name is the place.
    analysis = analyse("Air strikes on the Islamic State group's de facto Syrian capital Raqa "
                       "killed 25 civilians.")
    assert analysis.figures[0].place.canonical == "Ar Raqqah"


@pytest.mark.parametrize("text, scope", [
    ("More than 330,000 people have been killed in Syria since its conflict began.", "cumulative"),
    ("The ongoing war in Syria has left an estimated 220,000 dead.", "cumulative"),
    ("Hundreds of thousands of civilians have been killed in the war, monitors say.", "cumulative"),
    ("The five-year-old conflict has killed more than 280,000 people.", "cumulative"),
    # An incident, whatever war words stand near it.
    ("Air strikes by regime war planes on Aleppo on Sunday have killed 32 civilians.", "incident"),
    ("Five soldiers were killed in the war-torn province on Sunday.", "incident"),
])
def test_whole_war_tolls_are_not_an_incident(text, scope):
    assert analyse(text).figures[0].scope == scope


def test_sections_of_a_page_with_comments():
    text = ("Hundreds flee fighting in the city\n\nAt least 40 people were killed on Sunday, "
            "activists said.\n\nMore text about the fighting here.\n\nComments\n\nJane Doe\n\n"
            "I heard 400 people were killed, not 40. You are lying.\n")
    analysis = analyze(read_text(text, "t"))
    sections = [(f.text, f.section, f.comment) for f in analysis.figures]
    assert ("Hundreds", "headline", None) in sections
    assert ("At least 40", "body", None) in sections
    assert ("400", "comment", 0) in sections
    assert analysis.document.comments[0].author == "Jane Doe"


def test_a_line_broken_after_a_word_that_cannot_end_a_sentence_goes_on():
    page = "Storm report\n\nThe storm affected a total of\n\n5,200 people in the north.\n\nThe review ends in.\n\n12 roads closed"
    figure = figure_at(analyse(page), "5,200")
    assert figure.category == "affected"
