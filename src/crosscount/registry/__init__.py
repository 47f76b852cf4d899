"""Registries: word lists, sources and places as data files, loaded once per process.

Each loader reads the shipped file and then any user files named in Settings, so users
extend crosscount without touching its code. Results are cached per settings value.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from ..settings import Settings


def _shipped(name: str) -> Path:
    return Path(str(resources.files(__package__) / name))


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    rows = []
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if line.strip() and not line.lstrip().startswith("//"):
                try:
                    rows.append(json.loads(line))
                except json.JSONDecodeError as error:
                    raise ValueError(f"{path}:{number}: not a JSON line: {error}") from error
    return rows


# ---------------------------------------------------------------- lexicon
@dataclass(frozen=True)
class Lexicon:
    cue_category: dict[str, str]
    phrase_category: list[tuple[re.Pattern, str]]
    person_noun: dict[str, str]            # written form -> singular "who"
    person_references: frozenset[str]
    noun_modifiers: frozenset[str]
    thing_nouns: frozenset[str]
    inherit_cues: frozenset[str]
    linkers: frozenset[str]
    hypothetical_cues: frozenset[str]
    denial: re.Pattern
    attribution_verbs: frozenset[str]
    non_agent_sources: frozenset[str]
    event_nouns: frozenset[str]
    speaker_nouns: frozenset[str]


@lru_cache(maxsize=4)
def lexicon(settings: Settings | None = None) -> Lexicon:
    data = json.loads(_shipped("lexicon.json").read_text(encoding="utf-8"))
    cue_category = {word: category for category, words in data["category_cues"].items()
                    for word in words}
    phrases = sorted(((phrase, category) for category, items in data["category_phrases"].items()
                      for phrase in items), key=lambda pc: -len(pc[0]))
    phrase_category = [(re.compile(r"\b" + re.escape(p).replace(r"\ ", r"\s+") + r"\b", re.I), c)
                       for p, c in phrases]
    person_noun = {form: who for who, forms in data["person_nouns"].items() for form in forms}
    return Lexicon(
        cue_category=cue_category,
        phrase_category=phrase_category,
        person_noun=person_noun,
        person_references=frozenset(data["person_references"]),
        noun_modifiers=frozenset(data["noun_modifiers"]),
        thing_nouns=frozenset(data["thing_nouns"]),
        inherit_cues=frozenset(data["inherit_cues"]),
        linkers=frozenset(data["linkers"]),
        hypothetical_cues=frozenset(data["hypothetical_cues"]),
        denial=re.compile(r"\b(?:" + "|".join(re.escape(p) for p in data["denial_phrases"]) + r")\b",
                          re.I),
        attribution_verbs=frozenset(data["attribution_verbs"]),
        non_agent_sources=frozenset(data["non_agent_sources"]),
        event_nouns=frozenset(data["event_nouns"]),
        speaker_nouns=frozenset(data["speaker_nouns"]),
    )


# ---------------------------------------------------------------- sources
@dataclass(frozen=True)
class SourceEntry:
    name: str
    kind: str
    country: str | None
    aliases: tuple[str, ...] = ()
    descriptors: tuple[str, ...] = ()      # generic words that can mean this source in context


@dataclass(frozen=True)
class SourceRegistry:
    entries: tuple[SourceEntry, ...]
    by_alias: dict[str, SourceEntry] = field(repr=False)
    by_descriptor: dict[str, tuple[SourceEntry, ...]] = field(repr=False)
    alias_pattern: re.Pattern = field(repr=False)
    longest_alias_words: int = 1

    def __len__(self) -> int:
        return len(self.entries)

    def find(self, phrase: str) -> SourceEntry | None:
        """The registered source named in `phrase` (the last named wins), if any."""
        found = self.find_match(phrase)
        return found[0] if found else None

    def find_match(self, phrase: str, head: str | None = None) -> tuple[SourceEntry, str] | None:
        """Like `find`, with the words of the phrase that named the source.

        The name holding the phrase's head word wins ("Palmyra Coordination Committee, a
        group against the Syrian government"); without one, the name nearest the end (in
        "a spokesman for the Syria Civil Defense" the speaker's own name comes last).
        """
        matches = list(self.alias_pattern.finditer(phrase))
        if not matches:
            return None
        best = matches[-1]
        if head:
            holding = [m for m in matches if head.lower() in m.group().lower().split()]
            if holding:
                best = holding[0]
        return self.by_alias[_alias_key(best.group())], best.group()

    def mentions(self, text: str) -> list[tuple[int, int, SourceEntry]]:
        return [(m.start(), m.end(), self.by_alias[_alias_key(m.group())])
                for m in self.alias_pattern.finditer(text)]


def _alias_key(alias: str) -> str:
    return re.sub(r"[\s’']+", " ", alias.lower()).strip()


def _entries_from(rows: list[dict[str, Any]], where: Path) -> list[SourceEntry]:
    entries = []
    for row in rows:
        if "name" not in row or "kind" not in row:
            raise ValueError(f"{where}: every source needs a name and a kind: {row}")
        entries.append(SourceEntry(
            name=row["name"], kind=row["kind"], country=row.get("country"),
            aliases=tuple(row.get("aliases", ())), descriptors=tuple(row.get("descriptors", ())),
        ))
    return entries


@lru_cache(maxsize=4)
def sources(settings: Settings) -> SourceRegistry:
    """The shipped sources plus the user's files; a user entry with a shipped name replaces it."""
    files = [_shipped("sources.jsonl"), *map(Path, settings.extra_sources)]
    merged: dict[str, SourceEntry] = {}
    for path in files:
        for entry in _entries_from(read_jsonl(path), path):
            merged[entry.name.lower()] = entry
    entries = tuple(merged.values())
    by_alias: dict[str, SourceEntry] = {}
    by_descriptor: dict[str, list[SourceEntry]] = {}
    for entry in entries:
        for alias in (entry.name, *entry.aliases):
            by_alias.setdefault(_alias_key(alias), entry)
        for descriptor in entry.descriptors:
            by_descriptor.setdefault(descriptor.lower(), []).append(entry)
    # Case matters for short all-caps aliases ("IS", "UN", "SANA" vs "is", "un", "sana").
    parts = []
    for alias in sorted(by_alias, key=len, reverse=True):
        original = next(a for e in [by_alias[alias]] for a in (e.name, *e.aliases) if _alias_key(a) == alias)
        body = re.escape(alias).replace(r"\ ", r"[\s’']+")
        parts.append(f"(?-i:{re.escape(original)})" if original.isupper() and len(original) <= 4 else body)
    pattern = re.compile(r"(?<![\w-])(?:" + "|".join(parts) + r")(?![\w-])", re.IGNORECASE)
    return SourceRegistry(entries, by_alias, {k: tuple(v) for k, v in by_descriptor.items()},
                          pattern)
