"""A language's rules: one dataclass per file of `registry/<language>/`, which is also the
file's schema (see schema.py for the kinds of field). Stages read these, never words of
their own: a second language is a folder of files of the same shape.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .schema import SectionFile, alternation, load_sections, rule

VERBOSE = re.IGNORECASE | re.VERBOSE
CASED = 0


@dataclass(frozen=True)
class SegmentWords:
    abbreviations: frozenset[str] = rule("words")
    open_words: frozenset[str] = rule("words")


@dataclass(frozen=True)
class NumberWords:
    units: dict[str, int] = rule("numbers")
    tens: dict[str, int] = rule("numbers")
    scales: dict[str, int] = rule("numbers")
    digit_scales: dict[str, int] = rule("numbers")
    article_numbers: frozenset[str] = rule("words")
    half_words: frozenset[str] = rule("words")
    number_joiners: frozenset[str] = rule("words")
    pronoun_numbers: frozenset[str] = rule("words")
    not_one: re.Pattern = rule("pattern")
    low_only: tuple[str, ...] = rule("ordered")
    high_only: tuple[str, ...] = rule("ordered")
    approx: tuple[str, ...] = rule("ordered")
    vague: tuple[str, ...] = rule("ordered")
    word_number: str = rule("fragment")
    digits: str = rule("fragment")
    digit_scale: str = rule("fragment")
    number: str = rule("fragment")
    quantity: re.Pattern = rule("pattern", flags=VERBOSE)


@dataclass(frozen=True)
class FigureWords:
    category_cues: dict[str, str] = rule("word_map")          # word -> category
    category_phrases: dict[str, str] = rule("word_map")       # phrase -> category
    person_nouns: dict[str, str] = rule("word_map")           # written form -> singular who
    person_references: frozenset[str] = rule("words")
    partitive_only: frozenset[str] = rule("words")
    noun_modifiers: frozenset[str] = rule("words")
    thing_nouns: frozenset[str] = rule("words")
    inherit_cues: frozenset[str] = rule("words")
    linkers: frozenset[str] = rule("words")
    hypothetical_cues: frozenset[str] = rule("words")
    hypothetical_after: frozenset[str] = rule("words")
    denial_phrases: tuple[str, ...] = rule("ordered")
    event_nouns: frozenset[str] = rule("words")
    speaker_nouns: frozenset[str] = rule("words")
    after_skips: frozenset[str] = rule("words")
    light_verbs: frozenset[str] = rule("words")
    clause_continuers: frozenset[str] = rule("words")
    determiners: frozenset[str] = rule("words")
    place_prepositions: frozenset[str] = rule("words")
    sentence_openers: frozenset[str] = rule("words")
    partitive: frozenset[str] = rule("words")
    definite_articles: frozenset[str] = rule("words")
    partitive_pronouns: frozenset[str] = rule("words")
    copulas: frozenset[str] = rule("words")
    auxiliaries: frozenset[str] = rule("words")
    sibling_joiners: frozenset[str] = rule("words")
    subgroup_who: frozenset[str] = rule("words")
    age_words: frozenset[str] = rule("words")
    list_joiners: frozenset[str] = rule("words")
    street_words: frozenset[str] = rule("words")
    block_words: frozenset[str] = rule("words")
    participle_suffix: str = rule("text")
    gerund_suffix: str = rule("text")
    people_who: str = rule("text")
    adverb_suffix: str = rule("text")
    not_plural_endings: tuple[str, ...] = rule("ordered")
    noun_only_cues: frozenset[str] = rule("words")
    plural_endings: tuple[tuple[str, str], ...] = rule("pairs")
    case_nouns: frozenset[str] = rule("words")
    case_qualifiers: frozenset[str] = rule("words")
    disease_words: frozenset[str] = rule("words")
    illness_joiners: frozenset[str] = rule("words")
    illness_category: str = rule("text")
    object_categories: frozenset[str] = rule("words")
    open_low_words: frozenset[str] = rule("words")
    also_things: frozenset[str] = rule("words")
    not_events: frozenset[str] = rule("words")
    label_words: frozenset[str] = rule("words")
    agent_markers: frozenset[str] = rule("words")
    partitive_opener: re.Pattern = rule("pattern")
    count_after: re.Pattern = rule("pattern")
    count_nouns: frozenset[str] = rule("words")
    plight_nouns: dict[str, str] = rule("word_map")         # who -> category
    toll_category: str = rule("text")
    toll_word: str = rule("text")
    toll_hint: re.Pattern = rule("pattern")
    toll_rise: re.Pattern = rule("pattern")
    running_total: re.Pattern = rule("pattern")
    continues_previous: re.Pattern = rule("pattern")
    cumulative_patterns: re.Pattern = rule("pattern_union")
    @property
    def toll_cue(self) -> tuple[str, str]:
        return self.toll_category, self.toll_word

    # Derived: the category phrases as patterns by their first word, longest first (a
    # token tries only the phrases it can begin); the denial phrases as one pattern.
    phrase_patterns: dict[str, tuple[tuple[re.Pattern, str], ...]] = field(init=False, repr=False)
    # ... and by their last word, as word tuples, for reading back from a number.
    phrases_ending: dict[str, tuple[tuple[tuple[str, ...], str], ...]] = field(init=False, repr=False)
    denial: re.Pattern = field(init=False, repr=False)
    # Derived: the words the rules read as grammar, never as a noun the lists lack; and
    # whether a text speaks of a disease.
    function_words: frozenset[str] = field(init=False, repr=False)
    disease_mention: re.Pattern = field(init=False, repr=False)

    def speaks_of_disease(self, folded_words: "tuple[str, ...]", text: str) -> bool:
        """Whether a text (with its lower-cased words) names a disease."""
        return not self.disease_words.isdisjoint(folded_words) or bool(self.disease_mention.search(text))

    def __post_init__(self) -> None:
        object.__setattr__(self, "function_words", frozenset().union(
            self.after_skips, self.linkers, self.clause_continuers, self.determiners, self.place_prepositions,
            self.copulas, self.person_references, self.partitive, self.sibling_joiners, self.inherit_cues,
            self.hypothetical_cues, self.hypothetical_after, self.thing_nouns, self.age_words, self.street_words))
        # One-word disease names are looked up among a text's words; the few of several
        # words ("yellow fever") by this pattern.
        several = [w for w in self.disease_words if " " in w]
        object.__setattr__(self, "disease_mention", re.compile(
            r"(?<![\w-])(?:" + alternation(several) + r")(?![\w-])" if several else r"(?!)", re.IGNORECASE))
        by_first_word: dict[str, list[tuple[re.Pattern, str]]] = {}
        for phrase, category in sorted(self.category_phrases.items(), key=lambda item: -len(item[0])):
            pattern = re.compile(r"\b" + re.escape(phrase).replace(r"\ ", r"\s+") + r"\b", re.I)
            by_first_word.setdefault(phrase.split()[0].lower(), []).append((pattern, category))
        object.__setattr__(self, "phrase_patterns", {w: tuple(p) for w, p in by_first_word.items()})
        by_last_word: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        for phrase, category in sorted(self.category_phrases.items(), key=lambda item: -len(item[0])):
            words = tuple(phrase.lower().split())
            by_last_word.setdefault(words[-1], []).append((words, category))
        object.__setattr__(self, "phrases_ending", {w: tuple(p) for w, p in by_last_word.items()})
        object.__setattr__(self, "denial", re.compile(
            r"\b(?:" + "|".join(re.escape(p) for p in self.denial_phrases) + r")\b", re.I))


@dataclass(frozen=True)
class SourceWords:
    attribution_verbs: frozenset[str] = rule("words")
    quote_verbs: frozenset[str] = rule("words")
    inverting_verbs: frozenset[str] = rule("words")
    passive_markers: frozenset[str] = rule("words")
    complementisers: frozenset[str] = rule("words")
    definite_articles: frozenset[str] = rule("words")
    non_agent_sources: frozenset[str] = rule("words")
    anaphors: frozenset[str] = rule("words")
    leading_noise: tuple[str, ...] = rule("ordered")
    conjunctions: tuple[str, ...] = rule("ordered")
    speaker_stops: frozenset[str] = rule("words")
    speaker_heads: frozenset[str] = rule("words")
    not_speaker_words: frozenset[str] = rule("words")
    clause_bounds: frozenset[str] = rule("words")
    according_to_stops: tuple[str, ...] = rule("ordered")
    quotation_closers: tuple[str, ...] = rule("ordered", lower=False)
    according_to_phrase: str = rule("text")
    role_nouns: frozenset[str] = rule("words")
    voices: frozenset[str] = rule("words")
    org_words: frozenset[str] = rule("words")
    common_noun_endings: tuple[str, ...] = rule("ordered")
    name_joiners: frozenset[str] = rule("words")
    titles: frozenset[str] = rule("words")
    speaker_prepositions: frozenset[str] = rule("words")
    publication_nouns: frozenset[str] = rule("words")
    not_speaker_heads: frozenset[str] = rule("words")
    loose_qualifiers: frozenset[str] = rule("words")
    articles: frozenset[str] = rule("words")
    speaker_joiners: frozenset[str] = rule("words")
    subordinators: frozenset[str] = rule("words")
    relative_words: frozenset[str] = rule("words")
    according_to: re.Pattern = rule("pattern")
    according_lead: re.Pattern = rule("pattern")
    publication_lead: re.Pattern = rule("pattern")
    claim_of: re.Pattern = rule("pattern")
    passive_by: re.Pattern = rule("pattern")
    bracket_credit: re.Pattern = rule("pattern")
    credit_joiners: tuple[str, ...] = rule("ordered")
    not_credit_words: frozenset[str] = rule("words")
    # Derived: mention clean-up patterns.
    leading_noise_pattern: re.Pattern = field(init=False, repr=False)
    conjunction_pattern: re.Pattern = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "leading_noise_pattern", re.compile(
            r"^(?:(?:" + "|".join(re.escape(w) for w in self.leading_noise) + r")\s+)+", re.I))
        object.__setattr__(self, "conjunction_pattern", re.compile(
            r"^(?:(?:" + "|".join(re.escape(w) for w in self.conjunctions) + r")\s+)+", re.I))


@dataclass(frozen=True)
class PlaceWords:
    not_places: frozenset[str] = rule("words")
    name_prefixes: frozenset[str] = rule("words")
    directions: tuple[str, ...] = rule("ordered")
    region_suffixes: tuple[str, ...] = rule("ordered")
    division_words: tuple[str, ...] = rule("ordered")
    country_parts: tuple[str, ...] = rule("ordered")
    not_bare_divisions: frozenset[str] = rule("words")
    capital_words: frozenset[str] = rule("words")
    origin_words: frozenset[str] = rule("words")
    destination_words: frozenset[str] = rule("words")
    other_place_prepositions: frozenset[str] = rule("words")
    candidate: re.Pattern = rule("pattern", flags=CASED)
    direction_before: re.Pattern = rule("pattern")
    unlisted_name: str = rule("fragment")
    site_qualifiers: tuple[str, ...] = rule("ordered")
    name_articles: frozenset[str] = rule("words")
    code_after: re.Pattern = rule("pattern", flags=CASED)
    of_name: re.Pattern = rule("pattern", flags=CASED)
    not_a_name: re.Pattern = rule("pattern")
    possessive_suffixes: tuple[str, ...] = rule("ordered")
    plural_suffix: str = rule("text")
    clause_turn: re.Pattern = rule("pattern")
    place_types: dict[str, str] = rule("word_map")     # type word -> kind
    # Derived: type words first ("the town of X"), names read around them.
    type_word: re.Pattern = field(init=False, repr=False)
    name_before: re.Pattern = field(init=False, repr=False)

    def __post_init__(self) -> None:
        types = "|".join(self.place_types)
        object.__setattr__(self, "type_word", re.compile(rf"\b(?i:{types})\b"))
        qualifiers = "|".join(re.escape(w) for w in self.site_qualifiers)
        object.__setattr__(self, "name_before", re.compile(
            rf"({self.unlisted_name})\s+(?:(?i:{qualifiers})\s+)?$"))

    @property
    def movement_prepositions(self) -> frozenset[str]:
        return self.origin_words | self.destination_words | self.other_place_prepositions


@dataclass(frozen=True)
class TimeWords:
    months: dict[str, int] = rule("numbers")
    weekdays: tuple[str, ...] = rule("ordered")
    small_counts: dict[str, int] = rule("numbers")
    overnight_words: frozenset[str] = rule("words")
    day_suffix: str = rule("fragment")
    unit_hours: dict[str, int] = rule("numbers")
    relative: re.Pattern = rule("pattern", flags=VERBOSE)
    dates: dict[str, re.Pattern] = rule("patterns")


@dataclass(frozen=True)
class ImplicitWords:
    person: str = rule("fragment")
    people: str = rule("fragment")
    age: str = rule("fragment")
    number: str = rule("fragment")
    death: str = rule("fragment")
    harm: str = rule("fragment")
    death_event: re.Pattern = rule("pattern")
    hit_events: frozenset[str] = rule("words")
    perpetrator: re.Pattern = rule("pattern")
    negated: re.Pattern = rule("pattern")
    nobody_hurt: re.Pattern = rule("pattern")
    relatives: re.Pattern = rule("pattern")
    numbered: re.Pattern = rule("pattern")
    patterns: dict[str, re.Pattern] = rule("patterns")


@dataclass(frozen=True)
class SignalWords:
    scare_quote_max_words: int = rule("integer")
    introduced: re.Pattern = rule("pattern")
    attributed: re.Pattern = rule("pattern", flags=CASED)
    speech: re.Pattern = rule("pattern")
    responsibility: re.Pattern = rule("pattern")
    not_doubt: re.Pattern = rule("pattern")
    refers_back: re.Pattern = rule("pattern")
    name_joiners: frozenset[str] = rule("words")
    stance: dict[str, tuple[str, ...]] = rule("groups")
    signals: dict[str, dict] = rule("records", record={"technique": "text", "phrases": "ordered"})
    actor_labels: dict[str, dict] = rule("records", record={"words": "ordered", "actor": "text?"})
    # Derived: each stance's cues as one pattern ("disputes", "endorses").
    stance_cues: dict[str, re.Pattern] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "stance_cues", {
            stance: re.compile(r"(?<![\w-])(?:" + alternation(w.lower() for w in words) + r")(?![\w-])",
                               re.IGNORECASE)
            for stance, words in self.stance.items()})


@dataclass(frozen=True)
class CheckWords:
    ambiguous_event_words: frozenset[str] = rule("words")
    combatant_who: frozenset[str] = rule("words")
    vague_ranges: tuple[tuple[re.Pattern, float, float], ...] = rule("ranges")


@dataclass(frozen=True)
class CountryWords:
    countries: dict[str, dict] = rule("records", record={"adjectives": "ordered", "people": "ordered",
                                                         "names": "ordered?"})
    institutions: dict[str, dict] = rule("records", record={"kind": "text", "name": "text",
                                                            "aliases": "ordered", "generic": "ordered?"})


@dataclass(frozen=True)
class IngestWords:
    thread_marker: re.Pattern = rule("pattern")
    conversational: re.Pattern = rule("pattern")
    first_person: re.Pattern = rule("pattern", flags=CASED)


@dataclass(frozen=True)
class IncidentWords:
    person_name: re.Pattern = rule("pattern", flags=0)    # capitals matter
    not_name_words: frozenset[str] = rule("words")
    age: re.Pattern = rule("pattern")
    title_skip_words: frozenset[str] = rule("words")
    title_word: re.Pattern = rule("pattern", flags=0)


SECTIONS = [
    SectionFile("segment", SegmentWords),
    SectionFile("numbers", NumberWords),
    SectionFile("figures", FigureWords),
    SectionFile("sources", SourceWords),
    SectionFile("places", PlaceWords),
    SectionFile("times", TimeWords),
    SectionFile("implicit", ImplicitWords),
    SectionFile("signals", SignalWords),
    SectionFile("checks", CheckWords),
    SectionFile("incidents", IncidentWords),
    SectionFile("countries", CountryWords),
    SectionFile("ingest", IngestWords),
]


@dataclass(frozen=True)
class Language:
    """Every rule of one language, by stage."""
    code: str
    segment: SegmentWords
    numbers: NumberWords
    figures: FigureWords
    sources: SourceWords
    places: PlaceWords
    times: TimeWords
    implicit: ImplicitWords
    signals: SignalWords
    checks: CheckWords
    incidents: IncidentWords
    countries: CountryWords
    ingest: IngestWords

    def __post_init__(self) -> None:
        # A country's people are people ("Yemenis"), its adjective modifies them ("Afghan
        # soldiers"): the country table joins the figure rules.
        people = {}
        for entry in self.countries.countries.values():
            for form in entry["people"]:
                people.setdefault(form.lower(), singular_form(form.lower(), self.figures.plural_endings))
        for form, who in people.items():
            self.figures.person_nouns.setdefault(form, who)
        adjectives = {a.lower() for entry in self.countries.countries.values() for a in entry["adjectives"]
                      if " " not in a}
        object.__setattr__(self.figures, "noun_modifiers", self.figures.noun_modifiers | adjectives)


def singular_form(word: str, endings: tuple[tuple[str, str], ...]) -> str:
    """The singular of an English plural by its ending ("households" -> "household")."""
    for ending, replacement in endings:
        if word.endswith(ending) and len(word) > len(ending) + 2:
            return word[:len(word) - len(ending)] + replacement
    return word


def load_language(folder: Path, code: str, extra_files: tuple[Path, ...] = ()) -> Language:
    return Language(code=code, **load_sections(folder, SECTIONS, extra_files))
