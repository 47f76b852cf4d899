"""Registries: word lists, sources and places as data files, loaded once per process.

Each loader reads the shipped file and then any user files named in Settings, so users
extend crosscount without touching its code. Results are cached per settings value.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
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
    cumulative: re.Pattern


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
        cumulative=re.compile("|".join(data["cumulative_patterns"]), re.IGNORECASE),
    )


# ---------------------------------------------------------------- sources
@dataclass(frozen=True)
class SourceEntry:
    name: str
    kind: str
    country: str | None
    aliases: tuple[str, ...] = ()
    descriptors: tuple[str, ...] = ()      # generic words that can mean this source in context


# Words of a name: apostrophes, quotes and commas separate them; "U.S." keeps its dots.
_NAME_WORD = re.compile(r"[^\s'’,;:()\[\]“”\"!?]+")


def name_words(text: str) -> list[tuple[str, int, int]]:
    """(word, start, end) for each word of `text`; a lone trailing full stop is dropped."""
    words = []
    for match in _NAME_WORD.finditer(text):
        word, end = match.group(), match.end()
        if word[-1] == "." and len(word) > 1 and word.count(".") == 1:
            word, end = word[:-1], end - 1
        words.append((word, match.start(), end))
    return words


@dataclass(frozen=True)
class Words:
    """A text's words once, for every phrase index to read: as written and folded."""
    spans: list[tuple[str, int, int]]
    exact: tuple[str, ...]
    folded: tuple[str, ...]

    @classmethod
    def of(cls, text: str) -> "Words":
        spans = name_words(text)
        exact = tuple(w for w, _, _ in spans)
        return cls(spans, exact, tuple(w.lower() for w in exact))


@dataclass(frozen=True)
class NameMatch:
    start: int
    end: int
    entry: SourceEntry


@dataclass(frozen=True)
class PhraseMatch:
    start: int
    end: int
    value: Any


class PhraseIndex:
    """Phrases matched word by word from an index of their first words: one dictionary
    look-up per word of a text, however many phrases there are. Short all-capital phrases
    ("IS", "UN", "WHO", "SANA") match only as written, so "who" and "is" do not."""

    def __init__(self, phrases: Iterable[tuple[str, Any]]) -> None:
        self._folded: dict[str, list[tuple[tuple[str, ...], Any]]] = {}
        self._exact: dict[str, list[tuple[tuple[str, ...], Any]]] = {}
        for phrase, value in phrases:
            words = tuple(w for w, _, _ in name_words(phrase))
            # "the Observatory" is found as "Observatory"; a leading article would make
            # "the" the first word of many phrases and slow every look-up.
            if len(words) > 1 and words[0].lower() == "the":
                words = words[1:]
            if not words:
                continue
            if phrase.isupper() and len(phrase) <= 4:
                self._exact.setdefault(words[0], []).append((words, value))
                if len(phrase) == 4 and len(words) == 1:
                    # "Sohr", "Nato": four-letter acronyms are often written title-case.
                    self._exact.setdefault(phrase.title(), []).append(((phrase.title(),), value))
            else:
                folded = tuple(w.lower() for w in words)
                self._folded.setdefault(folded[0], []).append((folded, value))
        for table in (self._folded, self._exact):
            for entries in table.values():
                # Longest first; of equal phrases the first given wins.
                entries.sort(key=lambda item: -len(item[0]))

    def find(self, text: "str | Words", offset: int = 0) -> list[PhraseMatch]:
        """Every phrase in `text` (or its words), leftmost-longest, without overlaps."""
        tokens = text if isinstance(text, Words) else Words.of(text)
        words, exact, folded = tokens.spans, tokens.exact, tokens.folded
        folded_firsts, exact_firsts = self._folded, self._exact
        # Most words begin no phrase: find the few that may, in one pass at C speed.
        candidates = [i for i, (f, e) in enumerate(zip(folded, exact))
                      if f in folded_firsts or e in exact_firsts]
        found: list[PhraseMatch] = []
        taken = 0          # words before this index belong to a match already
        for index in candidates:
            if index < taken:
                continue
            best = None
            for table, written in ((folded_firsts, folded), (exact_firsts, exact)):
                for phrase, value in table.get(written[index], ()):
                    size = len(phrase)
                    if best is not None and size <= best[0]:
                        break
                    if written[index:index + size] == phrase:
                        best = (size, value)
                        break
            if best is None:
                continue
            size, value = best
            found.append(PhraseMatch(words[index][1] + offset, words[index + size - 1][2] + offset, value))
            taken = index + size
        return found


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
    return SourceRegistry(tuple(merged.values()))


# ---------------------------------------------------------------- signals
def _phrases(words) -> re.Pattern:
    ordered = sorted({w.lower() for w in words}, key=len, reverse=True)
    body = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in ordered)
    return re.compile(r"(?<![\w-])(?:" + body + r")(?![\w-])", re.IGNORECASE)


@dataclass(frozen=True)
class SignalLexicon:
    signals: PhraseIndex                    # phrase -> (type, technique)
    scare_quote_max_words: int
    labels: PhraseIndex                     # words -> (label, default actor)
    disputes: re.Pattern
    endorses: re.Pattern


@lru_cache(maxsize=4)
def signal_lexicon(settings: Settings) -> SignalLexicon:
    """The shipped signal lists merged with the user's files (same shape)."""
    data = json.loads(_shipped("signals.json").read_text(encoding="utf-8"))
    for path in map(Path, settings.extra_signals):
        extra = json.loads(Path(path).read_text(encoding="utf-8"))
        for name, entry in extra.get("signals", {}).items():
            merged = data["signals"].setdefault(name, {"technique": entry.get("technique", name), "phrases": []})
            merged["phrases"] = [*merged["phrases"], *entry.get("phrases", [])]
        for name, entry in extra.get("actor_labels", {}).items():
            data["actor_labels"].setdefault(name, {"words": [], "actor": entry.get("actor")})
            data["actor_labels"][name]["words"] += entry.get("words", [])
        for stance, words in extra.get("stance", {}).items():
            data["stance"][stance] = [*data["stance"].get(stance, []), *words]
    return SignalLexicon(
        signals=PhraseIndex((phrase.lower(), (name, entry["technique"]))
                            for name, entry in data["signals"].items() for phrase in entry["phrases"]),
        scare_quote_max_words=data.get("scare_quote_max_words", 4),
        labels=PhraseIndex((word.lower(), (label, entry.get("actor")))
                           for label, entry in data["actor_labels"].items() for word in entry["words"]),
        disputes=_phrases(data["stance"]["disputes"]),
        endorses=_phrases(data["stance"]["endorses"]),
    )
