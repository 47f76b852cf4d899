import pytest

from crosscount.extract import numbers
from crosscount.registry import language
from crosscount.settings import DEFAULT

WORDS = language(DEFAULT).numbers


def find_quantities(text, offset=0):
    return numbers.find_quantities(text, WORDS, offset)


def parse_number(text):
    return numbers.parse_number(text, WORDS)


@pytest.mark.parametrize("text, expression, low, high", [
    ("1,700 civilians", "1,700", 1700, 1700),
    ("40000 civilians", "40000", 40000, 40000),
    ("10 000 people", "10 000", 10000, 10000),
    ("six people", "six", 6, 6),
    ("twenty-five people", "twenty-five", 25, 25),
    ("one hundred and twenty people", "one hundred and twenty", 120, 120),
    ("a dozen people", "a dozen", 12, 12),
    ("half a million people", "half a million", 500000, 500000),
    ("2.5 million people", "2.5 million", 2500000, 2500000),
    ("at least 29 rebels", "at least 29", 29, None),
    ("more than 280000 people", "more than 280000", 280000, None),
    ("Over 4,000 Civilians", "Over 4,000", 4000, None),
    ("about 1,700 civilians", "about 1,700", 1700, 1700),
    ("nearly 70 others", "nearly 70", 70, 70),
    ("an estimated 250000 people", "an estimated 250000", 250000, 250000),
    ("up to 50,000 people", "up to 50,000", None, 50000),
    ("fewer than 10 people", "fewer than 10", None, 10),
    ("between 200 and 300 people", "between 200 and 300", 200, 300),
    ("12-15 people", "12-15", 12, 15),
    ("10000 to more than 30000 killed", "10000 to more than 30000", 10000, None),
    # a footnote mark glued to the scale word of a flattened report, before a comma or a space
    ("peaked at 3.4 million2, up from", "3.4 million", 3400000, 3400000),
    ("some 2 million1 people", "some 2 million", 2000000, 2000000),
])
def test_number_forms_and_bounds(text, expression, low, high):
    [quantity] = find_quantities(text)
    assert text[quantity.start:quantity.end] == expression
    assert (quantity.low, quantity.high, quantity.vague) == (low, high, False)


@pytest.mark.parametrize("text, expression", [
    ("dozens of people", "dozens"),
    ("Thousands of civilians", "Thousands"),
    ("hundreds of thousands of people", "hundreds of thousands"),
    ("several thousand refugees", "several thousand"),
    ("Scores of people died", "Scores"),
])
def test_vague_amounts_have_no_value(text, expression):
    [quantity] = find_quantities(text)
    assert text[quantity.start:quantity.end] == expression
    assert quantity.vague and quantity.low is None and quantity.high is None


@pytest.mark.parametrize("text", [
    "a 10-year-old boy", "50% of the town", "$50 million in aid", "at 21:09 local time",
    "on 16.05.2017", "a Mi-8 helicopter", "a nurse was killed", "UTC+3",
])
def test_not_quantities(text):
    assert find_quantities(text) == []


def test_offsets_shift_into_the_document():
    [quantity] = find_quantities("killed 12 people", offset=100)
    assert (quantity.start, quantity.end) == (107, 109)


def test_parse_number_rejects_words_that_are_not_numbers():
    assert parse_number("many") is None
    assert parse_number("forty-two") == 42


@pytest.mark.parametrize("text, expression, value", [
    ("\u0664\u066c\u0660\u0660\u0660 displaced", "\u0664\u066c\u0660\u0660\u0660", 4000),    # Arabic-Indic
    ("\u06f1\u06f2 people", "\u06f1\u06f2", 12),                                              # Persian
    ("\uff12\uff0c\uff10\uff10\uff10 people", "\uff12\uff0c\uff10\uff10\uff10", 2000),      # fullwidth
    ("\u0662\u066b\u0665 million people", "\u0662\u066b\u0665 million", 2_500_000),
])
def test_digits_of_other_scripts_keep_their_offsets(text, expression, value):
    found = find_quantities("x " + text, offset=10)
    assert len(found) == 1 and found[0].low == value
    assert ("x " + text)[found[0].start - 10:found[0].end - 10] == expression


def test_a_number_too_large_for_a_count_is_refused():
    refused = []
    assert numbers.find_quantities("1" + "0" * 400 + " people", WORDS, 0, refused) == []
    assert len(refused) == 1
