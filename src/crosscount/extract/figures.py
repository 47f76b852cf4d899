"""Which quantities count affected people, and what happened to them.

A quantity is a figure when it heads a noun phrase about people ("1,700 civilians",
"dozens of terrorists", "13 of whom", "20 others") that an event word governs, or when
an event word takes it directly ("killed 19", "the death of eight", "22 killed").
The event word decides the category; its position decides which one applies:

1. a word that takes the number directly before it: "killing four", "wounded 22";
2. a verb the noun phrase is subject of: "... civilians have fled", "24 dead";
3. a word before it across linking words: "the death toll at six", "killed were 105";
4. a joined figure inherits: "including five children", "13 of whom", "and 76 women";
5. failing these, the nearest event word in the sentence for a person noun phrase.

Word lists live in the language's figures.toml; nothing here names a word.
"""
from __future__ import annotations

import math
import re
from bisect import bisect_left
from dataclasses import dataclass, replace

from ..dates import find_dates
from ..model import Quantity
from ..registry.language import FigureWords, Language, singular_form
from .segment import Token
from .spans import inside_any, merged

# What `_after` answers when the people counted came through: no figure at all.
NO_EVENT = ""
# How far back a list of ages ("ages 25, 26, 31 and 33") may reach from one of its numbers.
AGE_LIST_TOKENS = 24
# Punctuation that ends the reach of an event word.
CLAUSE_BREAKS = frozenset({";", ":", "(", ")", "?", "!", "“", "”", '"'})


@dataclass(frozen=True, slots=True)
class FigureDraft:
    quantity: Quantity
    category: str
    what: str | None
    who: str | None
    certainty: str
    rule: str                             # which reading settled the category
    relation: str | None = None           # "subgroup" ("including five children") or "sibling"
    related: "FigureDraft | None" = None  # the figure it is a subgroup or sibling of


@dataclass(slots=True)
class _NounPhrase:
    who: str | None = None
    reference: bool = False   # "others", "more", "of whom": people named elsewhere
    thing: bool = False       # the number counts things, not people
    end: int = 0              # index of the first token after the phrase
    cue_head: int | None = None   # the phrase's head is itself an event noun ("casualties")
    # The head is a plural the lists do not name ("households", "commandos"): people only
    # if an event word that takes people says so.
    guessed: bool = False
    # The phrase stops at a content word the lists do not name ("460,000 yaba tablets",
    # "58 transportation hubs"): what is counted is unknown.
    unknown: bool = False
    # An event word inside the phrase: "12 newly displaced households", "80 affected
    # families", "COVID-19-affected people"; or a case noun's event: "cases of deportation".
    modifier: tuple[str, str] | None = None


def _token_index(token_starts: list[int], offset: int) -> int:
    """The first token at or after `offset` (`token_starts` are the tokens' starts)."""
    return bisect_left(token_starts, offset)


def singular(word: str, lex: FigureWords) -> str:
    """The singular of a plural the lists do not name: "households" -> "household"."""
    return singular_form(word, lex.plural_endings)


def _event_adjective(word: str, lex: FigureWords) -> tuple[str, str] | None:
    """An event word used as an adjective: "displaced", "conflict-affected"."""
    last = word.rsplit("-", 1)[-1]
    category = lex.category_cues.get(word) or lex.category_cues.get(last)
    if category and last.endswith(lex.participle_suffix):
        return category, last
    return None


def _guessable_noun(word: str, lang: Language) -> bool:
    """A plural common noun the lists do not name ("households", "commandos"), not a word
    the rules read otherwise (verbs, function words, event words)."""
    lex = lang.figures
    plural = lex.plural_endings[-1][0]    # the regular ending, "s": not "ss" ("witness")
    endings = tuple(ending for ending, replacement in lex.plural_endings[:-1] if ending != replacement)
    return (word.isalpha() and word.islower() and len(word) > 3
            and (word.endswith(endings) or (word.endswith(plural) and not word.endswith(lex.not_plural_endings)))
            and word not in lex.category_cues and not lang.numbers.quantity.fullmatch(word)
            and word not in lex.function_words and word not in lang.sources.attribution_verbs)


def _case_reading(tokens: list[Token], index: int, position: int, lex: FigureWords,
                  disease_context: bool = False) -> tuple[bool, tuple[str, str] | None]:
    """Whether a case noun counts people ("1,262 confirmed cases", "cholera cases", "cases
    of measles"), and the event its "of" names ("129 cases of deportation")."""
    words_before = {t.lower for t in tokens[index:position]}
    after = tokens[position + 1].lower if position + 1 < len(tokens) else ""
    of_what = tokens[position + 2].lower if after in lex.partitive and position + 2 < len(tokens) else ""
    if of_what in lex.category_cues:
        return True, (lex.category_cues[of_what], of_what)
    counted = disease_context or bool(words_before & (lex.case_qualifiers | lex.disease_words)) \
        or of_what in lex.disease_words
    return counted, None


def _title_case(tokens: list[Token]) -> bool:
    """A headline in title case: most words capitalised."""
    words = [t for t in tokens if t.text[:1].isalpha()]
    return len(words) >= 4 and sum(t.text[:1].isupper() for t in words) >= 0.7 * len(words)


def _noun_follows(tokens: list[Token], index: int, lang: Language) -> bool:
    """Whether a noun starts at `index`, after modifiers ("government-held towns")."""
    lex = lang.figures
    for position in range(index, min(index + 4, len(tokens))):
        word = tokens[position].lower
        if word in lex.thing_nouns or word in lex.person_nouns or _guessable_noun(word, lang):
            return True
        if not ("-" in word or word in lex.noun_modifiers):
            return False
    return False


def _noun_phrase(tokens: list[Token], start: int, lang: Language, text: str = "",
                 disease_context: bool = False) -> _NounPhrase:
    """The people (or things) the number counts: the head noun after it."""
    lex = lang.figures
    phrase = _NounPhrase(end=start)
    index = start
    if index < len(tokens) and tokens[index].lower in lex.partitive:
        index += 1
        # "15 of the wounded": the people are named by the event word itself.
        if index + 1 < len(tokens) and tokens[index].lower in lex.definite_articles and \
                tokens[index + 1].lower in lex.category_cues:
            phrase.reference = True
            phrase.end = index + 1
            return phrase
        if index < len(tokens) and tokens[index].lower in lex.partitive_pronouns:
            phrase.reference = True
            phrase.end = index + 1
            # "13 of whom were women": the people are named after the copula.
            if index + 2 < len(tokens) and tokens[index + 1].lower in lex.copulas:
                head = tokens[index + 2].lower
                if head in lex.person_nouns:
                    phrase.who = lex.person_nouns[head]
            return phrase
        if index < len(tokens) and tokens[index].lower in lex.definite_articles:
            index += 1
    if index < len(tokens) and tokens[index].text == "(":
        # "233,966 (109 per cent) children": a bracket after the number is read past
        close = next((i for i in range(index + 1, min(index + 7, len(tokens))) if tokens[i].text == ")"), None)
        if close is not None:
            index = close + 1
            phrase.end = index
    for position in range(index, min(index + 5, len(tokens))):
        token = tokens[position]
        word = token.lower
        following = tokens[position + 1].lower if position + 1 < len(tokens) else ""
        pair = f"{word} {following}"
        if text and phrase.modifier is None and following and " " not in word:
            for pattern, category in lex.phrase_patterns.get(word, ()):
                if pattern.match(text, token.start) and " " in pattern.pattern.replace(r"\s+", " "):
                    phrase.modifier = (category, word)    # "2,000 new arrivals", "the injured people"
                    break
        if pair in lex.person_nouns:      # "asylum seekers"
            phrase.who, phrase.end, phrase.guessed = lex.person_nouns[pair], position + 2, False
            return phrase
        if word in lex.category_cues and following in lex.thing_nouns:
            phrase.thing = True    # "18 displacement sites", "two besieged towns"
            return phrase
        if word in lex.case_qualifiers or word in lex.disease_words:
            continue    # "1,262 reported cases", "36 new cholera cases"
        if word in lex.case_nouns and phrase.who is None:
            counted, event = _case_reading(tokens, index, position, lex, disease_context)
            if not counted:
                phrase.thing = True
                return phrase
            phrase.who, phrase.end = lex.person_nouns.get(word, word), position + 1
            phrase.modifier = event or phrase.modifier
            return phrase
        if word in lex.person_nouns:
            if following in lex.thing_nouns and phrase.who is None:
                phrase.thing = True    # "157 IDP sites"
                return phrase
            phrase.who = phrase.who if phrase.who and following in lex.person_nouns else lex.person_nouns[word]
            phrase.end = position + 1
            phrase.guessed = False
            after_next = tokens[position + 2].lower if position + 2 < len(tokens) else ""
            if following in lex.list_joiners and following != "," and after_next in lex.person_nouns:
                # "refugees and migrants", "women and children": one group, the first names it
                phrase.end = position + 3
                return phrase
            if following not in lex.person_nouns or following in lex.speaker_nouns:
                return phrase
            continue
        if phrase.who is not None and not phrase.guessed:
            return phrase
        if position == index and word in lex.person_references and word not in lex.partitive_only \
                and following not in lex.person_nouns and following not in lex.noun_modifiers \
                and following not in lex.thing_nouns and not _guessable_noun(following, lang):
            phrase.reference = True
            phrase.end = position + 1
            return phrase
        adjective = _event_adjective(word, lex)
        if adjective and (following in lex.person_nouns or _guessable_noun(following, lang)
                          or _noun_follows(tokens, position + 1, lang)):
            phrase.modifier = adjective
            continue
        if (word in lex.event_nouns or word in lex.noun_only_cues) and word in lex.category_cues:
            if following in lex.thing_nouns or _guessable_noun(following, lang):
                continue    # "18 displacement sites": the event word describes the head
            phrase.cue_head = position    # "hundreds of conflict-related deaths"
            phrase.end = position + 1
            return phrase
        if word in lex.thing_nouns:
            phrase.thing = True
            return phrase
        if word in lex.noun_modifiers or "-" in word:
            continue
        if word.endswith(lex.adverb_suffix) and word.isalpha() and len(word) > 4 \
                and word not in lex.category_cues:
            continue    # "newly", "internally", "mostly"
        if word in lex.function_words:
            return phrase    # "53 Wounded In Weekend Shootings": a headline's "In" ends it too
        if _guessable_noun(word, lang) and (token.text[:1].islower() or _title_case(tokens)):
            # a plural the lists lack, also in a headline's capitals ("20 Daesh Operatives")
            phrase.who, phrase.end, phrase.guessed = singular(word, lex), position + 1, True
            if _guessable_noun(following, lang) or following in lex.person_nouns:
                continue    # "host community households"
            return phrase
        if token.text[:1].isupper() and word not in lex.category_cues:
            continue    # a name before the head ("Syrian Observatory", "Daesh")
        if word.isalpha() and word.islower() and word not in lex.function_words \
                and word not in lex.category_cues and word not in lang.sources.attribution_verbs:
            if following in lex.person_nouns or _guessable_noun(following, lang):
                continue    # "eight special commandos"
            phrase.unknown = phrase.who is None
        return phrase
    return phrase


def _cue(tokens: list[Token], index: int, text: str, lex: FigureWords) -> tuple[str, str] | None:
    """(category, word) when the token at `index` (or a phrase starting there) names an event."""
    token = tokens[index]
    for pattern, category in lex.phrase_patterns.get(token.lower, ()):
        if pattern.match(text, token.start):
            return category, token.lower
    if token.lower in lex.illness_joiners:
        # "50 persons identified with Covid-19", "children with severe acute malnutrition"
        if any(t.lower in lex.disease_words for t in tokens[index + 1:index + 4]):
            return lex.illness_category, token.lower
        return None
    category = lex.category_cues.get(token.lower)
    if category and index + 1 < len(tokens) and tokens[index + 1].lower in lex.thing_nouns \
            and not token.lower.endswith(lex.participle_suffix):
        return None    # "arrest warrants", "displacement sites": the event noun describes a thing
    return (category, token.lower) if category else None


# How far before a number a toll pattern looks ("the death toll ... rose to 23").
TOLL_REACH = 200


class _Offsets:
    __slots__ = ("offsets",)

    def __init__(self, offsets: list[int]) -> None:
        self.offsets = offsets

    def between(self, start: int, end: int) -> bool:
        """Whether an offset lies in [start, end)."""
        index = bisect_left(self.offsets, start)
        return index < len(self.offsets) and self.offsets[index] < end


def _toll_before(text: str, at: int, lang: Language) -> tuple[str, str] | None:
    """"the death toll rose to 23": a toll's category; "the number of IDPs ... has risen
    to 900": the category of what is counted."""
    lex = lang.figures
    match = lex.toll_rise.search(text, max(0, at - TOLL_REACH), at)
    if match is None:
        counted = lex.count_after.search(text, max(0, at - 100), at)    # "the case count stands at"
        if counted is None:
            return None
        word = counted["what"].lower()
        if word in lex.category_cues:
            return lex.category_cues[word], word
        who = lex.person_nouns.get(word) or lex.person_nouns.get(word + "s")
        return (lex.plight_nouns[who], word) if who in lex.plight_nouns else None
    if match["toll"]:
        return lex.toll_cue
    # What is counted: the first event word or plight noun after the count noun ("the total
    # number of members of the Russian forces killed in Syria rose to").
    for word in re.findall(r"[\w-]+", text[match.start("what"):match.end()].lower()):
        if word in lex.category_cues:
            return lex.category_cues[word], word
        who = lex.person_nouns.get(word)
        if who in lex.plight_nouns:
            return lex.plight_nouns[who], word
    return None


def _phrase_ending(tokens: list[Token], index: int, lex: FigureWords) -> tuple[str, str] | None:
    """(category, phrase) of a verb phrase of several words ending at `index`."""
    for words, category in lex.phrases_ending.get(tokens[index].lower, ()):
        start = index - len(words) + 1
        # A verb's phrase ("shot dead"), not a preposition's ("in hospital 1 / 1") or a
        # noun's ("left two dead and injured seven").
        if len(words) > 1 and start >= 0 and words[0] not in lex.function_words \
                and words[0] not in lex.event_nouns and words[0] not in lex.noun_only_cues \
                and tuple(t.lower for t in tokens[start:index + 1]) == words:
            return category, " ".join(words)
    return None


def _before(tokens, first, text, lex) -> tuple[tuple[str, str] | None, bool]:
    """The event word before the number, and whether it takes the number directly."""
    skipped = 0
    index = first - 1
    while index >= 0 and skipped <= 3:
        token = tokens[index]
        if token.lower in CLAUSE_BREAKS or token.lower == ",":
            return None, False
        ending = _phrase_ending(tokens, index, lex)
        if ending:
            return ending, skipped == 0    # "gunmen shot dead eleven people", "gunned down four"
        found = _cue(tokens, index, text, lex)
        # An event noun takes a number only through a linking word ("the death of
        # eight", "toll at six"); right before it ("evacuees 13 of whom") it does not.
        if found and not (skipped == 0 and token.lower in lex.event_nouns):
            return found, skipped == 0
        if token.lower not in lex.linkers:
            return None, False
        skipped += 1
        index -= 1
    return None, False


def _after(tokens, start, text, lang: Language, stop: int, has_noun: bool) -> tuple[str, str] | None:
    """The event word the noun phrase is subject of: "were killed", "fled", "24 dead".

    Capitalised words are read through only after a preposition ("in Kilis have been
    killed"): otherwise they start the next clause's subject ("185 The Kurdish-led
    forces killed"). A prepositional phrase is read through to its auxiliary ("98
    evacuees from the northern towns of Fuaa and Kafraya were killed"); an event word
    inside it describes the place, not the people ("from the besieged town")."""
    lex = lang.figures
    after_preposition = False
    in_phrase = False
    read = 0    # words read outside a prepositional phrase
    index = start - 1
    limit = min(start + 16, stop)
    while index + 1 < limit:
        index += 1
        token = tokens[index]
        if token.text == "(" and index == start:
            # "thirteen civilians (including three females) have been killed"
            close = next((i for i in range(index + 1, min(index + 14, len(tokens))) if tokens[i].text == ")"), None)
            if close is not None:
                # The numbers inside are its parts; the verb after it is this figure's.
                index = close
                limit = min(close + 17, len(tokens))
                start = close + 1
                continue
        if token.lower in CLAUSE_BREAKS or token.lower in (",", "."):
            return None
        if token.lower in lex.not_events and not in_phrase:
            return NO_EVENT, token.lower    # "49,844 persons recovered"
        if in_phrase:
            if token.lower in lex.copulas or token.lower in lex.auxiliaries:
                in_phrase = False
                continue
            if token.lower in lang.sources.attribution_verbs or token.lower in lang.sources.relative_words:
                return None    # "98,330 persons across the country among which 1,197 died"
            continue
        read += 1
        if read > 9:
            return None
        found = _cue(tokens, index, text, lex)
        if found and index > start and tokens[index - 1].lower not in lex.light_verbs and (
                found[1] in lex.noun_only_cues or tokens[index - 1].lower.endswith(tuple(lang.places.possessive_suffixes))):
            return None    # "Craig's arrest", "the deaths": a noun, not what the people underwent
        if found:
            following = tokens[index + 1] if index + 1 < len(tokens) else None
            if index == start and token.lower.endswith(lex.participle_suffix) and following is not None \
                    and _noun_follows(tokens, index + 1, lang):
                return None    # "two besieged towns": an adjective before a noun, not a verb
            if has_noun and following is not None and lang.numbers.quantity.match(text, following.start):
                return None    # "killed two patients injured eight": that verb takes its own number
            return found
        if token.lower in lex.place_prepositions:
            after_preposition = True
            following = tokens[index + 1] if index + 1 < len(tokens) else None
            in_phrase = following is not None and following.lower in lex.definite_articles
            continue
        if token.text[:1].isupper() and token.lower not in lex.determiners and after_preposition:
            continue
        if token.lower in lex.after_skips or token.lower in lex.linkers:
            continue
        return None
    return None


def _nearest(tokens, first, last, text, lex) -> tuple[str, str] | None:
    """The closest event word in the sentence, looking after the number first; a noun for
    people by their plight ("refugees") describes other people, not these."""
    for distance in range(1, 12):
        for index in (last + distance - 1, first - distance):
            if 0 <= index < len(tokens) and tokens[index].lower not in lex.person_nouns:
                found = _cue(tokens, index, text, lex)
                if found:
                    return found
    return None


def _certainty(tokens, first, end, denied_from: float, lang: Language) -> str:
    lex = lang.figures
    window = tokens[max(0, first - 8):first]
    if any(t.lower in lex.hypothetical_cues for t in window):
        return "hypothetical"
    after = tokens[end:end + 4]
    if any(t.lower in lex.hypothetical_after for t in after):
        return "hypothetical"
    return "denied" if tokens[first].start - tokens[0].start >= denied_from else "reported"


def denied_from(sentence_text: str, lang: Language) -> float:
    """Where in the sentence its figures begin to be called false: everywhere (0) after a
    dismissal of the reports ("dismissed the reports as lies"), after the first "denied
    that" otherwise, nowhere (infinity) without either. One pass, whatever the figures."""
    reach = math.inf
    for match in lang.figures.denial.finditer(sentence_text):
        if not match.group().lower().endswith(tuple(lang.sources.complementisers)):
            return 0
        reach = min(reach, match.end())
    return reach


def denies(sentence_text: str, figure_at: int, lang: Language) -> bool:
    """Whether the sentence says a figure at `figure_at` is false."""
    return figure_at >= denied_from(sentence_text, lang)


def _is_address(tokens: list[Token], after_number: int, lex: FigureWords) -> bool:
    """A house number or block: "2323 Spain St.", "1300 block of", "6800 Colgate Avenue"."""
    following = tokens[after_number:after_number + 4]
    if following and following[0].lower in lex.block_words:
        return True
    if not following or not following[0].text[:1].isupper():
        return False
    return any(t.lower.rstrip(".") in lex.street_words for t in following[1:])


def _in_age_list(tokens: list[Token], first: int, lex: FigureWords) -> bool:
    """Whether the number sits in a list of ages ("ages 25, 26 and 33", "aged 19"), or is
    a person's age after their name ("John Zawahri, 23 (shot by police)")."""
    if first >= 2 and tokens[first - 1].text == "," and tokens[first - 2].text[:1].isupper() \
            and first + 1 < len(tokens) and tokens[first + 1].text in (",", "(", ")", ";"):
        return True
    index = first - 1
    # A list of ages is short; a bounded look back keeps a long run of numbers linear.
    stop = max(-1, first - 1 - AGE_LIST_TOKENS)
    while index > stop and (tokens[index].lower in lex.list_joiners or tokens[index].lower.isdigit()):
        index -= 1
    return index > stop and tokens[index].lower in lex.age_words


def _shared_who(phrase: _NounPhrase, previous: FigureDraft | None, lex: FigureWords) -> str | None:
    """Who a figure without a noun of its own counts: the people of the figure before it in
    the sentence ("10 civilians were killed and 50 wounded"), or people at large for
    "others", "more" and "of the wounded". "2 children ... 9 others" are not all children."""
    if previous is not None and previous.who is not None:
        if phrase.reference and previous.who in lex.subgroup_who:
            return lex.people_who
        return previous.who
    return lex.people_who if phrase.reference else None


def find_figures(text: str, tokens: list[Token], quantities: list[Quantity], lang: Language,
                 continued: FigureDraft | None = None, disease_context: bool = False) -> list[FigureDraft]:
    """Figures among the quantities of one sentence (`tokens` are that sentence's).
    `continued`: the last figure of the sentence before, when this one goes on with its
    count ("They included two soldiers", "This includes 4,000 ..."). `disease_context`: the
    document is about a disease, so its "cases" count people ("Yola North has 463 cases")."""
    lex = lang.figures
    drafts: list[FigureDraft] = []
    previous: FigureDraft | None = continued
    previous_end = -10
    sentence_text = text[tokens[0].start:tokens[-1].end] if tokens else ""
    token_starts = [t.start for t in tokens]
    starts = [_token_index(token_starts, q.start) for q in quantities]
    denial = denied_from(sentence_text, lang)
    # "Of the dead, 14 were tourists": the sentence names the people it goes on to count
    opener = lex.partitive_opener.match(text, tokens[0].start) if tokens else None
    opened = None
    if opener is not None and opener["cue"].lower() in lex.category_cues:
        opened = (lex.category_cues[opener["cue"].lower()], opener["cue"].lower())
    # Toll words ("toll", "number"), found once: most numbers have none within reach.
    tolls = _Offsets([m.start() for m in lex.toll_hint.finditer(
        text, max(0, tokens[0].start - TOLL_REACH) if tokens else 0, tokens[-1].end if tokens else 0)])
    date_spans = merged([(s + tokens[0].start, e + tokens[0].start)
                         for s, e, _ in find_dates(sentence_text, lang.times)])
    date_starts = [s for s, _ in date_spans]
    for number, quantity in enumerate(quantities):
        if inside_any(date_spans, date_starts, quantity.start):
            continue
        first = starts[number]
        after_number = _token_index(token_starts, quantity.end)
        next_quantity = starts[number + 1] if number + 1 < len(quantities) else len(tokens)
        if _in_age_list(tokens, first, lex):
            continue    # "three men, ages 25, 26 and 33": ages, not counts
        if quantity.low is not None and text[quantity.start].isdigit() and \
                after_number < len(tokens) and tokens[after_number].text[:1].isupper() and \
                tokens[after_number].lower in lex.sentence_openers:
            continue    # "1 The civilians were held ...", "Image 1 of 16 A man died": not counts
        if first > 0 and tokens[first - 1].lower.rstrip(".") in lang.times.months:
            continue    # "the June 30 death"
        if first > 0 and tokens[first - 1].text[:1].isupper() and tokens[first - 1].lower in lex.label_words:
            continue    # "Camp 4", "Round 25": a name, not a count
        if quantity.low == 0 and quantity.high == 0:
            continue    # "0 deaths": nobody
        if first > 0 and tokens[first - 1].lower in lex.agent_markers:
            continue    # "found by two volunteer fire fighters": those who act, not those who suffer
        if _is_address(tokens, after_number, lex):
            continue    # "at 2323 Spain St.", "the 1300 block of"
        if previous is not None and first > 1 and tokens[first - 1].text == "(" and \
                after_number < len(tokens) and tokens[after_number].text == ")" and \
                tokens[first - 2].text[:1].isupper():
            # "27,433 cases in three countries: Burkina Faso (12,673), Mali (9,773)": a part
            # of the count before, by place
            draft = FigureDraft(quantity, previous.category, previous.what, previous.who, previous.certainty,
                                "joined", "subgroup", previous)
            drafts.append(draft)
            continue
        phrase = _noun_phrase(tokens, after_number, lang, text, disease_context)
        if phrase.thing:
            continue
        if phrase.end < len(tokens) and phrase.end > after_number and \
                tokens[phrase.end - 1].lower in lex.speaker_nouns and \
                tokens[phrase.end].lower in lang.sources.attribution_verbs:
            continue    # "two residents said": the people speak, they are not counted
        value = quantity.low or quantity.high
        if value and 1900 <= value <= 2100 and value == int(value) and (
                ((phrase.who is None or phrase.guessed) and not phrase.reference)
                or (after_number < len(tokens) and tokens[after_number].text[:1].isupper())):
            continue    # a year, most likely ("2020 Civilian Casualty Timeline")
        end = max(phrase.end, after_number)
        preceding_word = tokens[first - 1].lower if first > 0 else ""
        if preceding_word in lex.open_low_words and quantity.low == quantity.high and not quantity.approx:
            quantity = replace(quantity, high=None)    # "has exceeded 730,000"

        toll_words = tolls.between(quantity.start - TOLL_REACH, quantity.start)
        toll = (_toll_before(text, quantity.start, lang) if toll_words else None) or (
            opened if number == 0 else None)
        if toll is None and previous is not None and toll_words and lex.running_total.search(
                text, max(0, quantity.start - 120), quantity.start):
            toll = (previous.category, previous.what)    # "..., bringing the total to 802"
        before, direct = (toll, True) if toll else _before(tokens, first, text, lex)
        after = _after(tokens, end, text, lang, next_quantity, phrase.end > after_number)
        if after is not None and after[0] == NO_EVENT:
            continue
        # "6 citizens killed 22 injured": a word right after the number is its own verb.
        adjacent_after = after is not None and end < len(tokens) and tokens[end].lower == after[1] \
            and not after[1].endswith(lex.gerund_suffix)
        subgroup = previous is not None and (
            preceding_word in lex.inherit_cues
            or (first >= 2 and tokens[first - 2].lower in lex.inherit_cues)
            or (phrase.reference and tokens[after_number:after_number + 2]
                and tokens[after_number].lower in lex.partitive)
        )
        # "N1 fled to X ... and N2 to Y": an elliptical second part shares the verb.
        sibling = previous is not None and not subgroup and preceding_word in lex.sibling_joiners and \
            after is None and (first - previous_end <= 3 or phrase.who is None)
        if adjacent_after:
            found, rule = after, "subject-of"
        elif direct and before:
            found, rule = before, "takes-number"
        elif after:
            found, rule = after, "subject-of"
        elif phrase.modifier:
            found, rule = phrase.modifier, "modifier"
        elif phrase.cue_head is not None:
            found, rule = _cue(tokens, phrase.cue_head, text, lex), "event-noun"
        elif subgroup:
            found, rule = (previous.category, previous.what), "joined"
        elif phrase.who in lex.plight_nouns and not phrase.guessed and not before:
            found, rule = (lex.plight_nouns[phrase.who], tokens[phrase.end - 1].lower), "plight"
        elif sibling:
            found, rule = (previous.category, previous.what), "joined"
        elif before:
            found, rule = before, "linked"
        elif (phrase.who and not phrase.guessed) or phrase.reference:
            found, rule = _nearest(tokens, first, end, text, lex), "nearest"
        else:
            found, rule = None, ""
        if found is None:
            continue
        if (phrase.guessed or phrase.unknown) and found[1] in lex.also_things:
            continue    # "seized 460,000 tablets": these events happen to things too
        if phrase.unknown and rule == "joined":
            continue    # "18 sites and 58 transportation hubs"
        category, what = found
        # A figure without a noun of its own counts the people of the one before it; one
        # whose noun is an event ("89 deaths") names none.
        who = phrase.who or (None if phrase.cue_head is not None else _shared_who(phrase, previous, lex))
        relation = "subgroup" if subgroup else "sibling" if sibling and rule == "joined" else None
        draft = FigureDraft(quantity, category, what, who,
                            _certainty(tokens, first, end, denial, lang), rule,
                            relation, previous if relation else None)
        drafts.append(draft)
        previous, previous_end = draft, end
    return drafts
