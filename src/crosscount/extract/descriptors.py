"""What tells one incident's reports from another's: the people a report names, their
ages, its places and the words of its title (the language's incidents rules).

Each comes with a hash of the line it stands on. A crawled page carries its site's
template (navigation, captions, "Privacy Policy", a photographer's credit) on every page;
across a corpus those lines repeat on many pages, and reconcile/incidents.py reads a
descriptor only from lines that do not.
"""
from __future__ import annotations

import zlib

from ..model import Descriptor, Document, Place
from ..registry.language import Language

# The places that can say where an incident happened; a country or a province cannot.
SPECIFIC_PLACES = frozenset({"city", "town", "district", "neighbourhood", "camp", "site", "road"})


def find_descriptors(document: Document, places: tuple[Place, ...] | list[Place], lang: Language
                     ) -> list[Descriptor]:
    text = document.text[:document.body_end]
    rules = lang.incidents
    found: set[Descriptor] = set()
    line_of = _LineHashes(text)
    taken = [(p.start, p.end) for p in places]
    # Titles, roles and bodies name no one ("Special Envoy", "Health Ministry").
    words_of = lang.sources
    not_names = rules.not_name_words | words_of.titles | words_of.role_nouns | words_of.org_words | words_of.speaker_heads
    for match in rules.person_name.finditer(text):
        words = match.group().split()
        if any(w.lower().rstrip(".") in not_names for w in words):
            continue
        if any(a <= match.start() and match.end() <= b for a, b in taken):
            continue    # a place's whole name ("Little Rock", "Santa Monica")
        line = line_of(match.start())
        for word in words:
            if len(word) > 2 and not word.endswith("."):
                found.add(Descriptor("name", word.lower(), line))
    for match in rules.age.finditer(text):
        found.add(Descriptor("age", match["age"] or match["listed"], line_of(match.start())))
    for place in places:
        if place.kind in SPECIFIC_PLACES and place.start < document.body_end:
            found.add(Descriptor("place", place.canonical, line_of(place.start)))
    if document.title:
        title_line = line_hash(document.title)
        place_words = {w.lower() for p in places for w in p.name.split()}
        for word in lang.incidents.title_word.findall(document.title):
            lowered = word.lower()
            if lowered not in rules.title_skip_words and lowered not in place_words \
                    and lowered not in lang.figures.function_words:
                found.add(Descriptor("title", lowered, title_line))
    return sorted(found, key=lambda d: (d.kind, d.value, d.line))


class _LineHashes:
    """The hash of the line holding a character offset, each line hashed once."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.cache: dict[int, int] = {}

    def __call__(self, at: int) -> int:
        start = self.text.rfind("\n", 0, at) + 1
        if start not in self.cache:
            end = self.text.find("\n", at)
            self.cache[start] = line_hash(self.text[start:end if end >= 0 else len(self.text)])
        return self.cache[start]


def line_hash(line: str) -> int:
    return zlib.crc32(line.strip().encode("utf-8", "surrogatepass"))
