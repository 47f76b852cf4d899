"""Implicit counts: people killed or injured that a report counts without a numeral.

A layer of its own beside the figures (which stay as the annotation guidelines define
them): "a man was shot and killed" (1 killed), "a woman and her two children were
wounded" (3 injured), "killed his wife and their two children before turning the gun on
himself" (4 killed, the perpetrator included), "five people were shot, one fatally",
"one of the injured later died" (a revision: 1 moves from injured to killed), and people
named with their age ("John Smith, 24, was shot"). Each mention keeps its span and the
pattern that found it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .numbers import parse_number

PERSON = (r"(?:man|woman|boy|girl|teen|teenager|child|person|victim|student|resident|driver|"
          r"passenger|officer|deputy|trooper|clerk|employee|customer|bystander|toddler|baby|infant|"
          r"youth|juvenile|male|female|suspect|gunman|shooter|husband|wife|mother|father|son|"
          r"daughter|brother|sister|girlfriend|boyfriend|friend|neighbor|neighbour|cousin|uncle|aunt|"
          r"grandmother|grandfather|roommate|homeowner|security guard|guard|worker)")
PEOPLE = (r"(?:men|women|boys|girls|teens|teenagers|children|kids|people|persons|victims|students|"
          r"residents|officers|others|adults|males|females|relatives|family members|sons|daughters|"
          r"brothers|sisters|friends|bystanders)")
AGE = r"(?:\d{1,2}-year-old|\d{1,2}\s+year\s+old)"
NUMBER = (r"(?:\d{1,3}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|"
          r"fourteen|fifteen|twenty)")

DEATH = (r"(?:shot\s+(?:and\s+)?killed|shot\s+to\s+death|fatally\s+(?:shot|wounded|injured|struck)|"
         r"killed|died|dead|slain|murdered|pronounced\s+dead|succumbed|lost\s+(?:his|her|their)\s+li(?:fe|ves)|"
         r"gunned\s+down|shot\s+dead)")
HARM = (r"(?:shot|wounded|injured|hurt|hit|struck|grazed|hospitali[sz]ed|in\s+(?:critical|serious|stable|"
        r"fair|good)\s+condition|treated\s+for)")

SINGULAR_SUBJECT = re.compile(
    rf"\b(?:an?|one|another|the)\s+(?:(?:young|unidentified|unnamed|elderly|local|pregnant|teenage)\s+)*"
    rf"(?:{AGE}(?:\s+(?:{PERSON}))?|(?:{PERSON}))\b(?:\s*,\s*{AGE}\s*,)?"
    r"(?P<between>[^.;:!?]{0,60}?)\b(?:was|were|is|has\s+been|had\s+been|got|being)\s+(?:(?!fatally)\w+ly\s+)?"
    rf"(?P<event>{DEATH}|{HARM})",
    re.IGNORECASE,
)
NAMED_VICTIM = re.compile(
    rf"\b(?P<name>(?-i:[A-Z])[a-z]+(?:[\s-]+(?-i:[A-Z])[a-z.]+){{1,3}})\s*,\s*(?:\d{{1,2}}|{AGE})\s*,"
    r"(?:\s*(?:of|from)\s+[A-Z][\w ]+,)?\s+(?:(?:was|is|had\s+been|has\s+been)\s+)?(?:(?!fatally)\w+ly\s+)?"
    rf"(?P<event>{DEATH}|{HARM})",
)
COUNTED_PEOPLE = re.compile(
    rf"\b(?P<number>{NUMBER})\s+(?:(?:other|more|young|adult|teenage|\w+-year-old)\s+)?(?:{PEOPLE})\b"
    r"(?P<between>[^.;:!?]{0,40}?)\b(?:were|was|have\s+been|had\s+been|are)\s+(?:(?!fatally)\w+ly\s+)?"
    rf"(?P<event>{DEATH}|{HARM})",
    re.IGNORECASE,
)
KILLED_OBJECTS = re.compile(
    r"\b(?:shot\s+and\s+killed|fatally\s+shot|killed|murdered|shot\s+to\s+death|gunned\s+down)\s+"
    r"(?P<objects>(?:(?:his|her|their|a|an|two|three|four|five|the)\s+[\w-]+"
    r"(?:\s+(?!and\b|or\b|before\b|after\b|then\b|with\b|in\b|at\b|on\b)[\w-]+)?"
    r"(?:\s*,\s*|\s+and\s+)?){1,4})",
    re.IGNORECASE,
)
SELF_INFLICTED = re.compile(
    r"\b(?:(?:fatally\s+shot|shot\s+and\s+killed|killed)\s+(?:himself|herself)|"
    r"turn(?:ed|ing)\s+the\s+gun\s+on\s+(?:himself|herself)|took\s+(?:his|her)\s+own\s+life|"
    r"apparent\s+suicide|self-inflicted\s+gunshot\s+wound\s+to\s+the\s+head|murder-suicide|"
    r"committed\s+suicide|shot\s+(?:himself|herself)\s+(?:dead|to\s+death|in\s+the\s+head))\b",
    re.IGNORECASE,
)
# "accidentally shot himself in the hand": hurt by his own gun, not dead.
SELF_WOUNDED = re.compile(r"\b(?:shot|shoots|shooting)\s+(?:himself|herself)\b"
                          r"(?!\s+(?:dead|to\s+death|in\s+the\s+head))", re.IGNORECASE)
# A headline count without its auxiliary: "Two teens shot on the east side".
BARE_COUNT = re.compile(
    rf"(?:^|\n)\s*(?P<number>{NUMBER})\s+(?:\w+\s+)?(?:{PEOPLE})\s+(?:(?:critically|seriously)\s+)?"
    rf"(?P<event>{DEATH}|{HARM})\b", re.IGNORECASE)
# Headline style, without an article: "15-year-old boy critically injured", "Man killed".
BARE_SUBJECT = re.compile(
    rf"(?:^|\n|[-–—:|]\s)(?:(?-i:[A-Z])[\w.'’-]*\s+){{0,3}}?(?:{AGE}\s+)?(?:{PERSON})\s+(?:is\s+|was\s+)?"
    rf"(?:(?:critically|seriously|badly|accidentally)\s+)?(?P<event>dies|{DEATH}|{HARM})\b"
    # "Man killed" is a victim; "the man killed his wife" is not.
    r"(?!\s+(?:his|her|their|a|an|the|two|three|four|\d))",
    re.IGNORECASE,
)
# The victim as an object: "the suspect who shot a child", "shot and killed a man".
SHOT_OBJECT = re.compile(
    rf"\b(?P<event>shot\s+and\s+killed|shot\s+and\s+wounded|fatally\s+shot|shot|wounded|killed)\s+"
    rf"(?:a|an|one|another)\s+(?:(?:{AGE}|young|teenage|pregnant)\s+)*(?:{PERSON})\b",
    re.IGNORECASE,
)
LATER_DIED = re.compile(
    r"\b(?:later\s+died|died\s+(?:later|at\s+(?:the|a)\s+hospital|in\s+(?:the\s+)?hospital|from\s+(?:his|her|their)\s+"
    r"(?:injuries|wounds))|succumbed\s+to\s+(?:his|her|their)\s+(?:injuries|wounds)|has\s+(?:since\s+)?died)\b",
    re.IGNORECASE,
)
ONE_FATALLY = re.compile(rf"\b(?P<number>{NUMBER})\s+(?:of\s+them\s+)?fatally\b", re.IGNORECASE)
NOBODY_HURT = re.compile(r"\bno\s+one\s+(?:was|were)\s+(?:hurt|injured|wounded|killed|struck|hit)\b|"
                         r"\bno\s+(?:injuries|one\s+was\s+hurt)\b", re.IGNORECASE)
NEGATED = re.compile(r"\b(?:not|no|never|nobody|neither)\b[^.;]{0,25}$", re.IGNORECASE)
RELATIVES = re.compile(r"\b(?:his|her|their)\s+(?:wife|husband|son|daughter|mother|father|girlfriend|"
                       r"boyfriend|brother|sister|child|grandmother|grandfather|stepson|stepdaughter|"
                       r"fiancee|fiance|ex-wife|ex-husband|mother-in-law|father-in-law)\b|"
                       r"\b(?:a|an)\s+(?:man|woman|boy|girl|child|person)\b", re.IGNORECASE)
NUMBERED = re.compile(rf"\b(?P<number>{NUMBER})\s+(?:\w+\s+)?(?:{PEOPLE})\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class ImplicitCount:
    category: str      # killed, injured, shot (hit, outcome not said), revision (injured -> killed)
    count: int
    start: int
    end: int
    pattern: str       # singular, named, counted, objects, self-inflicted, later-died, fatally
    perpetrator: bool = False


def _number(text: str) -> int:
    value = parse_number(text)
    return int(value) if value else 1


def _outcome(event: str) -> str:
    event = event.lower()
    if event == "dies" or re.fullmatch(DEATH, event, re.IGNORECASE):
        return "killed"
    if event.startswith("shot") or event in ("hit", "struck", "grazed"):
        return "shot"
    return "injured"


def find_implicit(text: str) -> list[ImplicitCount]:
    found: list[ImplicitCount] = []

    def add(category: str, count: int, match: re.Match, pattern: str, perpetrator: bool = False) -> None:
        if NEGATED.search(text, max(0, match.start() - 30), match.start()):
            return
        found.append(ImplicitCount(category, count, match.start(), match.end(), pattern, perpetrator))

    for match in SINGULAR_SUBJECT.finditer(text):
        subject = match.group().lower()
        perpetrator = bool(re.search(r"\b(?:suspect|gunman|shooter)\b", subject))
        add(_outcome(match["event"]), 1, match, "singular", perpetrator)
    for match in NAMED_VICTIM.finditer(text):
        add(_outcome(match["event"]), 1, match, "named")
    for match in COUNTED_PEOPLE.finditer(text):
        add(_outcome(match["event"]), _number(match["number"]), match, "counted")
    for match in KILLED_OBJECTS.finditer(text):
        objects = match["objects"]
        count = len(RELATIVES.findall(objects)) + sum(_number(m["number"]) for m in NUMBERED.finditer(objects))
        if count:
            add("killed", count, match, "objects")
    for match in SELF_INFLICTED.finditer(text):
        add("killed", 1, match, "self-inflicted", perpetrator=True)
    fatal_self = [(m.start(), m.end()) for m in SELF_INFLICTED.finditer(text)]
    for match in SELF_WOUNDED.finditer(text):
        if not any(a <= match.start() < b for a, b in fatal_self):
            add("injured", 1, match, "self-wounded")
    for match in BARE_COUNT.finditer(text):
        add(_outcome(match["event"]), _number(match["number"]), match, "headline-count")
    for match in BARE_SUBJECT.finditer(text):
        add(_outcome(match["event"]), 1, match, "headline-subject")
    for match in SHOT_OBJECT.finditer(text):
        add(_outcome(match["event"]), 1, match, "object")
    for match in LATER_DIED.finditer(text):
        add("revision", 1, match, "later-died")
    for match in ONE_FATALLY.finditer(text):
        add("killed", _number(match["number"]), match, "fatally")
    # Two patterns reading the same words ("A man was shot and killed" is both a singular
    # subject and a headline subject) are one mention.
    kept: list[ImplicitCount] = []
    for mention in sorted(found, key=lambda c: (c.start, -(c.end - c.start))):
        if not any(k.category == mention.category and k.start < mention.end and mention.start < k.end
                   for k in kept):
            kept.append(mention)
    return kept


def says_nobody_hurt(text: str) -> bool:
    return bool(NOBODY_HURT.search(text))
