"""Implicit counts: people killed or injured that a report counts without a numeral.

A layer of its own beside the figures (which stay as the annotation guidelines define
them): "a man was shot and killed" (1 killed), "a woman and her two children were
wounded" (3 injured), "killed his wife and their two children before turning the gun on
himself" (4 killed, the perpetrator included), "five people were shot, one fatally",
"one of the injured later died" (a revision: 1 moves from injured to killed), and people
named with their age ("John Smith, 24, was shot"). Each mention keeps its span and the
pattern that found it; the patterns are the language's `implicit` rules.
"""
from __future__ import annotations

import re

from ..model import ImplicitCount
from ..registry.language import Language
from .numbers import parse_number


def _number(text: str, lang: Language) -> int:
    value = parse_number(text, lang.numbers)
    return int(value) if value else 1


def _outcome(event: str, lang: Language) -> str:
    event = event.lower()
    if lang.implicit.death_event.fullmatch(event):
        return "killed"
    if event.split()[0] in lang.implicit.hit_events:
        return "shot"
    return "injured"


def find_implicit(text: str, lang: Language) -> list[ImplicitCount]:
    rules = lang.implicit
    patterns = rules.patterns
    found: list[ImplicitCount] = []

    def add(category: str, count: int, match: re.Match, pattern: str, perpetrator: bool = False) -> None:
        if rules.negated.search(text, max(0, match.start() - 30), match.start()):
            return
        found.append(ImplicitCount(category, count, match.start(), match.end(), pattern, perpetrator))

    fatal_self = [(m.start(), m.end()) for m in patterns["self-inflicted"].finditer(text)]
    for name, pattern in patterns.items():
        for match in pattern.finditer(text):
            groups = match.groupdict()
            event = groups.get("event")
            if name == "singular":
                perpetrator = bool(rules.perpetrator.search(match.group()))
                add(_outcome(event, lang), 1, match, name, perpetrator)
            elif name == "objects":
                objects = match["objects"]
                count = len(rules.relatives.findall(objects)) + sum(
                    _number(m["number"], lang) for m in rules.numbered.finditer(objects))
                if count:
                    add("killed", count, match, name)
            elif name == "self-inflicted":
                add("killed", 1, match, name, perpetrator=True)
            elif name == "self-wounded":
                if not any(a <= match.start() < b for a, b in fatal_self):
                    add("injured", 1, match, name)
            elif name == "later-died":
                add("revision", 1, match, name)
            elif name == "fatally":
                add("killed", _number(match["number"], lang), match, name)
            else:    # a count of people and what happened to them
                count = _number(groups["number"], lang) if groups.get("number") else 1
                add(_outcome(event, lang), count, match, name)
    # Two patterns reading the same words ("A man was shot and killed" is both a singular
    # subject and a headline subject) are one mention.
    kept: list[ImplicitCount] = []
    # In order of start, a mention overlaps a kept one of its category exactly when the
    # furthest end kept for that category lies past its start.
    furthest: dict[str, int] = {}
    for mention in sorted(found, key=lambda c: (c.start, -(c.end - c.start))):
        if furthest.get(mention.category, -1) <= mention.start:
            kept.append(mention)
            furthest[mention.category] = max(furthest.get(mention.category, -1), mention.end)
    return kept


def says_nobody_hurt(text: str, lang: Language) -> bool:
    return bool(lang.implicit.nobody_hurt.search(text))
