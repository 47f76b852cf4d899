"""Registries: a language's rules, sources and places as data files, loaded once per process.

    language(settings)   the rules of Settings.language (registry/<code>/*.toml), extended
                         by Settings.extra_lexicons; checked against their schema
    sources(settings)    registry/sources.jsonl and Settings.extra_sources
    gazetteer(settings)  GeoNames, registry/places.jsonl and Settings.extra_places

Each loader reads the shipped files and then the user's, so users extend crosscount
without touching its code. Results are cached per settings value.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from ..settings import Settings
from .gazetteer import GazetteerEntry, PlaceIndex, common_words, folded, gazetteer, place_key
from .language import Language, SECTIONS, load_language
from .phrases import PhraseIndex, PhraseMatch, Words, name_words
from .schema import RegistryError
from .sources import NameMatch, SourceEntry, SourceRegistry, institution_entries, merge_entries, read_jsonl

__all__ = [
    "GazetteerEntry", "Language", "NameMatch", "PhraseIndex", "PhraseMatch", "RegistryError",
    "SignalLexicon", "SourceEntry", "SourceRegistry", "Words", "PlaceIndex", "common_words", "folded",
    "gazetteer", "language", "name_words", "place_key", "read_jsonl", "shipped", "signal_lexicon",
    "sources",
]


def shipped(name: str) -> Path:
    """A file shipped in the registry package."""
    return Path(str(resources.files(__package__) / name))


def language_folder(code: str) -> Path:
    folder = shipped(code)
    if not folder.is_dir():
        available = sorted(p.name for p in shipped(".").iterdir() if p.is_dir() and not p.name.startswith("_"))
        raise RegistryError(f"no rules for language {code!r} (available: {', '.join(available)})")
    return folder


def language_files(settings: Settings) -> list[Path]:
    """Every file that shapes the language's rules, shipped and the user's."""
    folder = language_folder(settings.language)
    return [folder / f"{section.name}.toml" for section in SECTIONS] + list(map(Path, settings.extra_lexicons))


@lru_cache(maxsize=4)
def language(settings: Settings) -> Language:
    return load_language(language_folder(settings.language), settings.language,
                         tuple(map(Path, settings.extra_lexicons)))


@lru_cache(maxsize=4)
def sources(settings: Settings) -> SourceRegistry:
    """Every country's institutions (from the language's country table), the shipped
    sources and the user's files; a listed entry with a generated name replaces it."""
    table = language(settings).countries
    generated = institution_entries(table.countries, table.institutions)
    return merge_entries(generated, [shipped("sources.jsonl"), *map(Path, settings.extra_sources)])


@dataclass(frozen=True)
class SignalLexicon:
    """The signal lists as phrase indexes, ready to run over a text's words."""
    signals: PhraseIndex                    # phrase -> (type, technique)
    labels: PhraseIndex                     # words -> (label, default actor)


@lru_cache(maxsize=4)
def signal_lexicon(settings: Settings) -> SignalLexicon:
    rules = language(settings).signals
    return SignalLexicon(
        signals=PhraseIndex((phrase.lower(), (name, entry["technique"]))
                            for name, entry in rules.signals.items() for phrase in entry["phrases"]),
        labels=PhraseIndex((word.lower(), (label, entry.get("actor")))
                           for label, entry in rules.actor_labels.items() for word in entry["words"]),
    )
