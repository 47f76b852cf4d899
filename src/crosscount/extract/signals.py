"""Slant at span level: framing signals, actor labels, and stance toward sources.

- Signals: each type is one compiled pattern over the document (lists in
  the language's signals.toml), plus scare quotes: a quoted run of one to four words that is not a
  quotation introduced by a speech verb or a colon (“facts”, ‘non-government’).
- Actor labels: how the text names an armed actor (terrorist, rebel, regime, government
  forces, ...) and who it means: a registered armed group or military named right beside
  the label ("Jabhat al-Nusra terrorists"), else the label's usual referent in the lists
  ("regime" is the Syrian government), else unknown.
- Stance: for the article and for each reader comment, its stance toward each source it
  names (disputes / endorses / neutral), from cues in the sentence that names the source
  and the next one if it refers back ("he", "they"): "so-called", scare quotes around the
  name, "propaganda", "should never be quoted" dispute; "confirmed by", "reliable" endorse.

Every word list and cue is the language's `signals` rules.
"""
from __future__ import annotations

import re
from bisect import bisect_right

from ..model import ActorLabel, Document, Signal, Stance
from ..registry import NameMatch, PhraseIndex, SignalLexicon, Words
from ..registry.language import Language, SignalWords
from .segment import sentences
from .spans import ByStart

QUOTED = re.compile(r"“([^”\n]{1,60})”|\"([^\"\n]{1,60})\"|‘([^’\n]{1,40})’(?![a-z])|(?<![\w])'([^'\n]{1,40})'(?![\w])")
ARMED_KINDS = frozenset({"armed_group", "military"})


def _segments(document: Document) -> list[tuple[int, int, str, int | None]]:
    """(start, end, section, comment index): the article, then each comment."""
    segments = [(0, document.body_end, "body", None)]
    segments += [(c.start, c.end, "comment", i) for i, c in enumerate(document.comments)]
    return segments


def find_signals(document: Document, lexicon: SignalLexicon, rules: SignalWords,
                 words: Words | None = None) -> list[Signal]:
    text = document.text
    found: list[Signal] = []
    for match in lexicon.signals.find(words or text):
        kind, technique = match.value
        if kind == "doubt" and (rules.responsibility.match(text, match.end) or rules.not_doubt.match(text, match.end)):
            continue    # "IS claimed the attack", "which lies in the north": not doubt
        section, comment = document.section_at(match.start)
        found.append(Signal(kind, technique, match.start, match.end, text[match.start:match.end],
                            section, comment))
    for match in QUOTED.finditer(text):
        inner = next(g for g in match.groups() if g is not None)
        words = inner.split()
        # A name in quotes ("the so-called “Syrian Observatory of Human Rights”") may be longer.
        is_name = all(w[:1].isupper() or w.lower() in rules.name_joiners for w in words)
        limit = 8 if is_name else rules.scare_quote_max_words
        if not words or len(words) > limit or inner != inner.strip() \
                or re.search(r"[.,;:!?]\s", inner):
            continue    # the gap between two quotations (" he said. "), or a sentence
        if rules.introduced.search(text, max(0, match.start() - 25), match.start()) or \
                rules.attributed.match(text, match.end()):
            continue    # a quotation: "...," he said / she said: "..."
        # In a sentence that reports speech, a quoted phrase is most often the speaker's own
        # words ("said Aleppo had become “a kill zone”"); only a quoted single word or name
        # there is a scare quote ("outlets say that the “opposition” is ...").
        if len(words) > 1 and not is_name and rules.speech.search(_sentence_around(text, match.start())):
            continue
        section, comment = document.section_at(match.start())
        found.append(Signal("scare_quotes", "Doubt", match.start(), match.end(), match.group(), section, comment))
    return sorted(found, key=lambda s: (s.start, s.end))


def _sentence_around(text: str, offset: int) -> str:
    start = max(text.rfind(". ", 0, offset), text.rfind("\n", 0, offset), 0)
    end = text.find(". ", offset)
    return text[start:end if end != -1 else len(text)]


def find_actor_labels(document: Document, lexicon: SignalLexicon, mentions: list[NameMatch],
                      words: Words | None = None) -> list[ActorLabel]:
    text = document.text
    armed = [m for m in mentions if m.entry.kind in ARMED_KINDS]
    labels: list[ActorLabel] = []
    for match in lexicon.labels.find(words or text):
        label, default_actor = match.value
        # A named group right beside the label says who is meant ("Nusra Front terrorists",
        # "terrorists of Jabhat al-Nusra").
        named = next((m.entry.name for m in armed
                      if 0 <= match.start - m.end <= 2 or 0 <= m.start - match.end <= 5), None)
        section, comment = document.section_at(match.start)
        labels.append(ActorLabel(label, text[match.start:match.end], match.start, match.end,
                                 named or default_actor, section, comment))
    return labels


INFORMATION_KINDS = frozenset({"monitor", "ngo", "un", "state_media", "wire", "outlet", "unnamed"})


def find_stances(document: Document, lang: Language, mentions: list[NameMatch],
                 signals: list[Signal], cited: set[str] = frozenset(),
                 words: Words | None = None) -> list[Stance]:
    """Each segment's stance toward each source it names (descriptors included): sources
    of information, and any other party the document cites for a figure."""
    text = document.text
    mentions = [m for m in mentions if m.entry.kind in INFORMATION_KINDS or m.entry.name in cited]
    if not mentions:
        return []
    named = {m.entry.name: m.entry for m in mentions}
    descriptors = PhraseIndex((d, entry) for entry in named.values() for d in entry.descriptors)
    described = [NameMatch(m.start, m.end, m.value) for m in descriptors.find(words or text)]
    rules = lang.signals
    quotes = _Marks([s for s in signals if s.type in ("scare_quotes", "distancing")])
    references_by_start = ByStart([*mentions, *described])
    stances: list[Stance] = []
    for start, end, section, comment in _segments(document):
        # Sources named, and descriptors of a source the document names ("the guy in Coventry").
        ordered = references_by_start.between(start, end)
        if not ordered:
            continue
        spans = sentences(text, start, end, lang.segment)
        span_starts = [s for s, _ in spans]
        seen: dict[str, Stance] = {}
        cues: dict[tuple[int, int], tuple] = {}
        for number, reference in enumerate(ordered):
            if reference.entry.name in seen and seen[reference.entry.name].stance == "disputes":
                continue    # nothing outranks a dispute in this segment
            # A next sentence that refers back ("he is clearly not") speaks of the last
            # source named before it.
            index = bisect_right(span_starts, reference.start) - 1
            holding = index if index >= 0 and reference.start < spans[index][1] else None
            sentence_end = spans[holding][1] if holding is not None else end
            last_named = number + 1 == len(ordered) or ordered[number + 1].start >= sentence_end
            window = _window(text, spans, holding, reference.start, rules, extend=last_named)
            if window not in cues:
                cues[window] = (rules.stance_cues["disputes"].search(text, *window),
                                rules.stance_cues["endorses"].search(text, *window))
            stance = _judge(text, window, reference, quotes, section == "comment", rules, *cues[window])
            target = reference.entry.name
            previous = seen.get(target)
            # A segment disputes a source once any of its mentions does.
            if previous is None or (previous.stance == "neutral" and stance[0] != "neutral") or (
                    previous.stance == "endorses" and stance[0] == "disputes"):
                seen[target] = Stance(target, stance[0], stance[1], stance[2], stance[3], section, comment)
        stances.extend(seen.values())
    return stances


class _Marks:
    """Scare quotes and distancing marks, found by position without a scan of them all."""

    def __init__(self, marks: list[Signal]) -> None:
        self.by_start = ByStart(marks)
        self.longest = max((m.end - m.start for m in marks), default=0)

    def on(self, offset: int) -> list[Signal]:
        """The marks that could sit on a name at `offset`: over it, or ending just before."""
        return self.by_start.between(offset - self.longest - 4, offset + 1)

    def within(self, start: int, end: int) -> list[Signal]:
        return self.by_start.between(start, end)


def _window(text: str, spans: list[tuple[int, int]], index: int | None, offset: int,
            rules: SignalWords, extend: bool) -> tuple[int, int]:
    """The sentence `index` (that holds `offset`), and the next if it refers back to it."""
    if index is None:
        return offset, offset
    start, end = spans[index]
    if extend and index + 1 < len(spans) and \
            rules.refers_back.search(text[spans[index + 1][0]:spans[index + 1][1]]):
        end = spans[index + 1][1]
    return start, end


def _judge(text: str, window: tuple[int, int], reference: NameMatch, quotes: _Marks,
           in_comment: bool, rules: SignalWords, dispute, endorse) -> tuple[str, int, int, str]:
    """The stance the window takes toward the reference; `dispute` and `endorse` are the
    first cues of each kind in the window (searched once per window)."""
    start, end = window
    # Distance marks on the name itself: "so-called", or the name in scare quotes.
    for mark in quotes.on(reference.start):
        if mark.start <= reference.start < mark.end + 1 or 0 <= reference.start - mark.end <= 3:
            return "disputes", mark.start, mark.end, mark.trigger
    if dispute:
        return "disputes", dispute.start(), dispute.end(), dispute.group()
    if in_comment:
        # A commenter's scare quotes ("the “facts” served by the SOHR") mock what the
        # sources they name put out.
        for mark in quotes.within(start, end):
            if mark.type == "scare_quotes":
                return "disputes", mark.start, mark.end, mark.trigger
    if endorse:
        return "endorses", endorse.start(), endorse.end(), endorse.group()
    return "neutral", reference.start, reference.end, text[reference.start:reference.end]
