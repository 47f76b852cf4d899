"""Places named in the text, resolved to coordinates through the gazetteer
(registry/gazetteer.py: GeoNames, the project's places.jsonl and the user's files).

A run of capitalised words is looked up longest first; words that spell a town but name
something else (acronyms, first names inside a longer name) are not places. Places the
gazetteer lacks count when the text says what they are ("the town of Urum al-Joz", "the
Zubdiya neighbourhood"), within the nearest known place of the sentence.
"""
from __future__ import annotations

from bisect import bisect_right

from ..model import Place
from ..registry import GazetteerEntry, common_words, gazetteer, language, place_key
from ..registry.gazetteer import MAJOR_CITY
from ..registry.language import PlaceWords
from ..settings import Settings

# Short words in capitals are acronyms ("SANA", "NGO"), not towns, unless a country or one
# of the project's own entries.
ACRONYM_LENGTH = 5
# How specific a kind of place is: a figure takes the most specific place of its clause.
KIND_RANK = {"neighbourhood": 0, "road": 0, "camp": 0, "site": 0, "district": 1, "town": 2, "city": 2,
             "region": 3, "province": 4, "country": 5}
NEAR_ENOUGH = 150    # characters within which a named place encloses an unlisted one
LONGEST_NAME = 80


def find_places(text: str, start: int, end: int, settings: Settings,
                exclude: list[tuple[int, int]] = ()) -> list[Place]:
    """Places named in text[start:end], each with the words as written; none inside the
    `exclude` spans (the names of sources, say). Those the gazetteer lacks count when the
    text says what they are ("the town of Urum al-Joz", "the Zubdiya neighbourhood")."""
    words = language(settings).places
    listed = _listed_places(text, start, end, settings, words, exclude)
    unlisted = _unlisted_places(text, start, end, settings, words, listed, exclude)
    return sorted(listed + unlisted, key=lambda p: p.start)


def _listed_places(text: str, start: int, end: int, settings: Settings, words_of: PlaceWords,
                   exclude: list[tuple[int, int]]) -> list[Place]:
    index = gazetteer(settings)
    exclude = sorted(exclude)
    excluded_starts = [a for a, _ in exclude]
    places = []
    for match in words_of.candidate.finditer(text, start, end):
        # The last excluded span starting before the candidate's end is the only one that
        # can overlap it, since excluded spans do not overlap each other.
        nearest = bisect_right(excluded_starts, match.end() - 1) - 1
        if nearest >= 0 and exclude[nearest][1] > match.start():
            continue
        words = match.group().split()
        found = None
        # Longest run of words that names a place, from the left.
        for size in range(len(words), 0, -1):
            for first in range(0, len(words) - size + 1):
                name = " ".join(words[first:first + size])
                named = index.entry(place_key(name))
                if named is not None and not _not_this_place(name, named, len(words), settings):
                    found = (first, size, named)
                    break
            if found:
                break
        if not found:
            continue
        first, size, place = found
        if words[first + size - 1].lower() in words_of.capital_words:
            # "the group's de facto Syrian capital Raqa": the name after "capital" says
            # which place is meant.
            apposition = None
            for tail in range(len(words), first + size, -1):
                named = index.entry(place_key(" ".join(words[first + size:tail])))
                if named is not None:
                    apposition = (first + size, tail - first - size, named)
                    break
            if apposition is None and first + size < len(words):
                continue    # a capital the index does not know by that name
            first, size, place = apposition or (first, size, place)
        offset = match.start() + len(" ".join(words[:first])) + (1 if first else 0)
        place_start = text.index(words[first], offset)
        place_end = text.index(words[first + size - 1], place_start) + len(words[first + size - 1])
        # "western Aleppo", "rural Idlib": the direction word belongs to the name as written.
        direction = words_of.direction_before.search(text, max(start, place_start - 16), place_start)
        if direction and first == 0:
            place = index.entry(place_key(text[direction.start():place_end])) or place
            place_start = direction.start()
        places.append(Place(text[place_start:place_end], place_start, place_end, place.canonical,
                            place.kind, place.country, place.lat, place.lon, place.geonames_id,
                            place.within, _province_it_may_mean(place)))
    return places


def _province_it_may_mean(place: GazetteerEntry) -> str | None:
    """"Idlib" is often the province; "Aleppo", a city of millions, is the city."""
    named_alike = place.within is not None and place.within.startswith(place.canonical + " ")
    return place.within if named_alike and place.population < MAJOR_CITY else None


def _unlisted_places(text: str, start: int, end: int, settings: Settings, words_of: PlaceWords,
                     listed: list[Place], exclude: list[tuple[int, int]]) -> list[Place]:
    """Places the gazetteer lacks, where the text says what kind of place they are. Each
    lies within the nearest place the gazetteer knows (the one after it first: "the town
    of Bayanoun north of Aleppo"), whose country and coordinates it takes, approximately."""
    index = gazetteer(settings)
    common = common_words(settings)
    taken = [(p.start, p.end) for p in listed] + list(exclude)
    found: list[Place] = []
    candidates = []
    for typed in words_of.type_word.finditer(text, start, end):
        kind_word = typed.group()
        named = words_of.of_name.match(text, typed.end(), end)
        if named and kind_word.islower():
            candidates.append((named.start(1), named.group(1), kind_word, None))
        window = max(start, typed.start() - LONGEST_NAME)
        named = words_of.name_before.search(text, window, typed.start())
        if named:
            candidates.append((named.start(1), named.group(1), kind_word, typed.end()))
        coded = words_of.code_after.match(text, typed.end(), end)
        kind = words_of.place_types[kind_word.lower()]
        if coded and kind in ("camp", "site"):
            # "camp 8W": the type word and its code are the name
            found_name = text[typed.start():coded.end()]
            if not any(a < coded.end() and typed.start() < b for a, b in taken):
                taken.append((typed.start(), coded.end()))
                found.append(_within(text, start, typed.start(), coded.end(), found_name, kind, listed))
    for at, name, kind_word, type_end in candidates:
        words = []
        for number, word in enumerate(name.split()):
            if number == 0 and word.lower() in words_of.name_articles and len(name.split()) > 1:
                words.append(word)    # "Al Jamey'a": the article begins the name
                continue
            # The name stops where another name begins ("the city of Ashara Syrian
            # Observatory ...", "the neighbourhood of Zubdiya Aleppo").
            plural = words_of.plural_suffix
            possessive = word.endswith(words_of.possessive_suffixes) or (
                word.endswith(plural) and place_key(word[:-len(plural)]) in index)
            if word.lower() in common or words_of.not_a_name.search(word) or place_key(word) in index or (
                    word.isupper() and len(word) > 1) or possessive:    # "Syria's", "Syrias"
                break
            words.append(word)
        if not words or (len(words) == 1 and place_key(words[0]) in words_of.name_prefixes):
            continue    # nothing, or only the first word of a name ("Sheikh" of Sheikh Said)
        kind = words_of.place_types[kind_word.lower()]
        # A street's, a road's or a camp's type word is part of its name ("Castello Road",
        # "Al Jamey'a refugee camp"), when the name runs up to it.
        whole = len(words) == len(name.split()) and type_end is not None
        written = " ".join(words)
        if kind in ("road", "camp", "site") and whole:
            written = text[at:type_end]
        place_end = at + len(written)
        if any(a < place_end and at < b for a, b in taken) or place_key(" ".join(words)) in index:
            continue
        taken.append((at, place_end))
        found.append(_within(text, start, at, place_end, written, kind, listed))
    return found


def _within(text: str, start: int, at: int, place_end: int, written: str, kind: str,
            listed: list[Place]) -> Place:
    """An unlisted place, within the nearest listed place of its sentence (the one after
    it first), whose country and coordinates it takes."""
    left = max(text.rfind(". ", max(start, at - NEAR_ENOUGH), at) + 1, at - NEAR_ENOUGH)
    right = text.find(". ", place_end, place_end + NEAR_ENOUGH)
    right = right if right >= 0 else place_end + NEAR_ENOUGH
    after = [p for p in listed if place_end <= p.start < right and p.kind != "country"]
    before = [p for p in listed if left <= p.start and p.end <= at and p.kind != "country"]
    within = after[0] if after else (before[-1] if before else None)
    return Place(written, at, place_end, written, kind,
                 within.country if within else None, within.lat if within else None,
                 within.lon if within else None, None, (within.canonical if within else None))


def _not_this_place(name: str, named: GazetteerEntry, run_words: int, settings: Settings) -> bool:
    """Words that spell a GeoNames town but name something else: an acronym ("SANA" is
    the news agency, not Sanaa; countries and curated entries such as "UAE" stay), or a
    first name inside a longer name ("Ashton Carter", "Amos Hochstein") when the town lies
    outside the countries named in detail."""
    if named.curated or named.kind == "country":
        return False
    if name.isupper() and len(name) <= ACRONYM_LENGTH:
        return True
    return (run_words > 1 and " " not in name and named.kind == "town"
            and named.country not in settings.detailed_countries)


def most_specific(places: list[Place]) -> Place | None:
    if not places:
        return None
    return min(places, key=lambda p: (KIND_RANK.get(p.kind or "", 3), -p.start))
