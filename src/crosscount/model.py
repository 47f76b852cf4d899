"""Typed data shared by every stage: documents in, figures out.

Every span is a pair of character offsets into `Document.text` (the one text a document
has: headline, body and comment thread laid end to end), never a copy of the words.
This module imports nothing of ours so that any stage can use it.
"""
from __future__ import annotations

import math
from bisect import bisect_right
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any, Literal

Section = Literal["headline", "body", "comment"]
Certainty = Literal["reported", "hypothetical", "denied"]

CATEGORIES = (
    "killed", "injured", "displaced", "evacuated", "returned", "detained",
    "missing", "besieged", "rescued", "affected", "other",
)


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Comment:
    """One reader comment: where it sits in the document text and who wrote it."""
    start: int
    end: int
    author: str | None = None


@dataclass(frozen=True, slots=True)
class Document:
    """What a reader hands to `extract`: one text and what is known about it.

    `headline` and `comments` are spans of `text`; whatever is neither is body.
    """
    id: str
    text: str
    title: str | None = None
    published: date | None = None
    outlet: str | None = None
    url: str | None = None
    author: str | None = None
    headline: Span | None = None
    comments: tuple[Comment, ...] = ()
    meta: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def body_end(self) -> int:
        """Where the article ends and the comment thread (if any) begins."""
        return self.comments[0].start if self.comments else len(self.text)

    def section_at(self, offset: int) -> tuple[Section, int | None]:
        """The section holding `offset`, with the comment's index for comments."""
        if self.headline and self.headline.start <= offset < self.headline.end:
            return "headline", None
        index = bisect_right(self.comments, offset, key=lambda comment: comment.start) - 1
        if index >= 0 and offset < self.comments[index].end:
            return "comment", index
        return "body", None


@dataclass(frozen=True, slots=True)
class CheckRecord:
    """A within-document check: parts against their total, headline against body,
    comments against the article. `figures` index the analysis's figures."""
    kind: str
    verdict: str
    figures: tuple[int, ...]
    explanation: str


@dataclass(frozen=True, slots=True)
class Problem:
    """An input that could not become a Document, and why. Batches record and go on."""
    item: str
    reason: str
    detail: str = ""


@dataclass(frozen=True, slots=True)
class Quantity:
    """A quantity expression: value bounds as the guidelines define them.

    low/high are None for an open bound ("at least 29": high None) and both None for
    vague amounts ("dozens"), where `vague` is set.
    """
    start: int
    end: int
    low: float | None
    high: float | None
    vague: bool = False
    approx: bool = False


@dataclass(frozen=True, slots=True)
class Place:
    name: str                    # as written in the text
    start: int
    end: int
    canonical: str | None = None
    kind: str | None = None      # country, governorate, city, district, neighbourhood, region
    country: str | None = None   # ISO 3166 alpha-2
    lat: float | None = None
    lon: float | None = None
    geonames_id: int | None = None
    within: str | None = None    # the canonical name of the enclosing place
    # The province a city's name may also mean ("Idlib": Idlib Governorate); never set for
    # a city of half a million or more, whose name means the city ("Aleppo").
    may_mean: str | None = None


@dataclass(frozen=True, slots=True)
class TimeRef:
    text: str
    start: int
    end: int
    earliest: date | None = None
    latest: date | None = None


@dataclass(frozen=True, slots=True)
class Citation:
    """Who the text says gives a figure, resolved through the source registry."""
    name: str                    # canonical name, or the mention itself when unregistered
    mention: str                 # as written
    start: int
    end: int
    cue: str                     # "according to", "said", "reported", "broadcast", ...
    kind: str | None = None      # monitor, un, ngo, government, military, armed_group, ...
    country: str | None = None
    registered: bool = False
    carried: bool = False        # attribution carried from an earlier sentence ("it added")
    # A named person who speaks, with the role and organisation the text gives them
    # ("Mounzer Khalil, head of Idlib's health authority"); kind and country are then
    # the organisation's.
    person: str | None = None
    role: str | None = None
    organisation: str | None = None


@dataclass(frozen=True, slots=True)
class Figure:
    start: int
    end: int
    text: str
    low: float | None
    high: float | None
    vague: bool
    approx: bool
    category: str
    what: str | None             # the word that says what happened ("fled", "killed")
    who: str | None
    certainty: Certainty
    section: Section
    comment: int | None = None   # index into Document.comments for comment figures
    source: Citation | None = None
    place: Place | None = None
    origin: Place | None = None
    destination: Place | None = None
    time: TimeRef | None = None
    sentence: Span | None = None
    # "subgroup": counted within the figure `related` indexes ("including five children");
    # "sibling": a further part of the same count ("1,700 to X and 2,500 to Y").
    relation: str | None = None
    related: int | None = None
    # "cumulative" for a whole war's or crisis's toll ("280,000 killed since 2011"),
    # "incident" otherwise: only incidents are grouped into events.
    scope: str = "incident"
    # How the category was read: takes-number ("killed 19"), subject-of ("19 were killed"),
    # linked ("the death toll at 19"), event-noun ("19 deaths"), joined ("including 5
    # children"), or nearest (the closest event word only: the weakest reading).
    rule: str | None = None


@dataclass(frozen=True, slots=True)
class Signal:
    """Framing or manipulation language: its type, the SemEval-2020 Task 11 technique it
    maps to, and the words that triggered it."""
    type: str          # distancing, scare_quotes, doubt, loaded_language, name_calling, ...
    technique: str
    start: int
    end: int
    trigger: str
    section: Section = "body"
    comment: int | None = None


@dataclass(frozen=True, slots=True)
class ActorLabel:
    """How the text names an armed actor, and who it means where the text makes it clear."""
    label: str         # terrorist, militant, rebel, opposition, regime, government forces, ...
    words: str         # as written
    start: int
    end: int
    actor: str | None = None
    section: Section = "body"
    comment: int | None = None


@dataclass(frozen=True, slots=True)
class Stance:
    """A segment's stance toward a source it names: the article's, or one comment's."""
    target: str        # the source's canonical name
    stance: str        # disputes, endorses, neutral
    start: int         # the evidence: the cue, or the mention when neutral
    end: int
    cue: str
    section: Section = "body"
    comment: int | None = None


@dataclass(frozen=True, slots=True)
class Descriptor:
    """A word that tells one incident's reports from another's: a person's name word, an
    age, a place, a word of the title. `line` is a hash of the line it stands on, so that
    a corpus can tell the lines a site repeats on every page from the report itself."""
    kind: str                    # name, age, place, title
    value: str
    line: int


@dataclass(frozen=True, slots=True)
class ImplicitCount:
    """People a report counts without a numeral (extract/implicit.py): "a man was shot and
    killed" (1 killed), "a woman and her two children were wounded" (3 injured). Beside the
    figures, which the annotation guidelines define; events take them as evidence.
    `place`: the place the report is about, where the count is taken to have happened."""
    category: str      # killed, injured, shot (hit, outcome not said), revision (injured -> killed)
    count: int
    start: int
    end: int
    pattern: str       # singular, named, counted, objects, self-inflicted, later-died, fatally, ...
    perpetrator: bool = False
    place: Place | None = None


@dataclass(frozen=True, slots=True)
class Analysis:
    """The container every stage enriches: a document and what was found in it."""
    document: Document
    figures: tuple[Figure, ...] = ()
    citations: tuple[Citation, ...] = ()
    places: tuple[Place, ...] = ()
    signals: tuple[Signal, ...] = ()
    actor_labels: tuple[ActorLabel, ...] = ()
    stances: tuple[Stance, ...] = ()
    descriptors: tuple[Descriptor, ...] = ()
    # What the analysis had to leave out of this document (too many figures), and why.
    problems: tuple[Problem, ...] = ()
    # The document's own checks (reconcile.check_document), made by `analyze`.
    checks: tuple[CheckRecord, ...] = ()
    # Counts without a numeral, in the article (not its comments).
    implicit: tuple[ImplicitCount, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        doc = self.document
        return {
            "id": doc.id,
            "title": doc.title,
            "published": doc.published.isoformat() if doc.published else None,
            "outlet": doc.outlet,
            "url": doc.url,
            "author": doc.author,
            "headline": jsonable(doc.headline),
            "comments": [jsonable(c) for c in doc.comments],
            "figures": [jsonable(f) for f in self.figures],
            "signals": [jsonable(x) for x in self.signals],
            "actor_labels": [jsonable(x) for x in self.actor_labels],
            "stances": [jsonable(x) for x in self.stances],
            "problems": [jsonable(x) for x in self.problems],
            "checks": [jsonable(x) for x in self.checks],
            "implicit": [jsonable(x) for x in self.implicit],
        }


@dataclass(frozen=True, slots=True)
class Event:
    """Figures of one category about one event across documents (reconcile/events.py):
    its place, dates, spread over independent reports and the range a careful analyst
    would give. The evidence (its figures, claims, revisions and contradictions, as the
    store's rows) is filled in when one event is read with it, and is never a column."""
    event_id: int
    category: str
    place: str | None
    incident_id: int | None
    place_country: str | None
    lat: float | None
    lon: float | None
    first_date: date | None
    last_date: date | None
    n_figures: int
    n_documents: int
    n_reports: int
    n_sources: int
    minimum: float
    median: float
    maximum: float
    careful_low: float
    careful_high: float
    n_contradictions: int
    summary: str
    figures: tuple[dict[str, Any], ...] = ()
    claims: tuple[dict[str, Any], ...] = ()
    revisions: tuple[dict[str, Any], ...] = ()
    contradictions: tuple[dict[str, Any], ...] = ()

    EVIDENCE = ("figures", "claims", "revisions", "contradictions")

    def row(self) -> dict[str, Any]:
        """The event's columns, as the events table holds them."""
        return {name: getattr(self, name) for name in self.__dataclass_fields__
                if name not in self.EVIDENCE}

    @classmethod
    def from_row(cls, row: dict[str, Any], **evidence: list[dict[str, Any]]) -> "Event":
        return cls(**{name: row[name] for name in cls.__dataclass_fields__ if name not in cls.EVIDENCE},
                   **{name: tuple(rows) for name, rows in evidence.items()})


def jsonable(value: Any) -> Any:
    """Any of crosscount's values as JSON-ready data: dataclasses as dicts, tuples as
    lists, dates as ISO strings, infinite or missing numbers as null. The one conversion
    that the JSON output, the CLI, the HTTP API, exports and the Spark rows share."""
    if value is None:
        return None
    if isinstance(value, date):     # datetime included
        return value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if hasattr(value, "__dataclass_fields__"):
        return {k: jsonable(v) for k, v in asdict(value).items()}
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    return value
