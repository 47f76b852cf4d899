"""analyze(document) -> Analysis: the one place that orders the stages.

1. sentences, never crossing a section (headline, body, each comment);
2. quantities by pattern in every sentence, figures among them by the lexicon rules;
3. places and times for the sentences that hold figures;
4. attribution: "according to" by pattern; speech verbs through a spaCy parse of just the
   sentences that hold a figure and a speech verb, the costly step kept to where it pays
   (`prepare` reads up to the parse, `parse_speakers` parses, `finish` does the rest: a
   corpus run parses in the one worker process that holds the model);
5. figures assembled with section, source, place, time;
6. slant: framing signals, actor labels, and each segment's stance toward its sources.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field, replace

from .budget import Budget
from .reconcile.checks import check_document
from .extract.figures import FigureDraft, denies, find_figures
from .extract.numbers import find_quantities
from .extract.places import find_places, most_specific
from .extract.segment import sentences
from .extract.segment import tokens as tokenize
from .extract.descriptors import find_descriptors
from .extract.implicit import find_implicit
from .extract.signals import find_actor_labels, find_signals, find_stances
from .extract.sources import (
    Attribution,
    SourceResolver,
    according_to,
    bracket_credit,
    claim_of,
    passive_by,
    load_parser,
    speech_verb_windows,
    speech_verbs,
)
from .extract.spans import ByStart
from .extract.times import find_times
from .ingest import read_string
from .model import Analysis, Citation, Document, Figure, Place, Problem, Span
from .registry import Language, Words, gazetteer, language, signal_lexicon
from .registry import sources as source_registry
from .settings import DEFAULT, Settings

MOVEMENT_CATEGORIES = frozenset({"displaced", "evacuated", "returned"})
MOVEMENT_PLACES = 8
_WORDS = re.compile(r"[\w’'-]+")


@dataclass(slots=True)
class _Sentence:
    start: int
    end: int
    drafts: list[FigureDraft]
    needs_parse: bool
    words: list | None = None
    previous: tuple[int, int] | None = None    # the sentences around it in the same section
    following: tuple[int, int] | None = None
    # The figure of the sentence before whose count this one goes on with ("They included ...").
    continues: FigureDraft | None = None


def section_spans(document: Document) -> list[tuple[int, int]]:
    """Headline, body and each comment as separate regions of the text."""
    regions = []
    body_start = 0
    if document.headline:
        regions.append((0, document.headline.start))    # a dateline before the title
        regions.append((document.headline.start, document.headline.end))
        body_start = document.headline.end
    regions.append((body_start, document.body_end))
    regions.extend((c.start, c.end) for c in document.comments)
    return [(s, e) for s, e in regions if e > s]


@dataclass(slots=True)
class Prepared:
    """A document read up to the parse: what `finish` needs besides the parse's speakers."""
    document: Document
    found: list[_Sentence]
    document_words: Words
    mentions: list
    places: list[Place]
    resolver: SourceResolver
    to_parse: list[tuple[int, int]]    # sentence spans the parse must read
    seconds: float = 0.0               # of the document's time budget, spent preparing
    problems: list[Problem] = field(default_factory=list)    # what reading left out
    n_sentences: int = 0               # of the whole document, for the share parsed

    @property
    def needs_parse(self) -> bool:
        return bool(self.to_parse)

    def parse_request(self) -> list[tuple[int, str]]:
        """The sentences to parse, as (offset, text): all a parser needs to know."""
        text = self.document.text
        return [(start, text[start:end]) for start, end in self.to_parse]


def analyze(document: Document | str, settings: Settings = DEFAULT) -> Analysis:
    """Figures with who, what, where, when, source and certainty for one document."""
    prepared = prepare(document, settings)
    budget = Budget(settings.seconds_per_document, prepared.seconds)
    speakers = parse_speakers(prepared.parse_request(), settings, budget) if prepared.needs_parse else {}
    return finish(prepared, speakers, settings, budget.spent())


def load_models(settings: Settings = DEFAULT, with_parser: bool = True) -> None:
    """Load the expensive parts once per process: the parser (unless this process hands
    its parses to another), the gazetteer, the language rules and the registries."""
    if with_parser:
        load_parser(settings.model)
    gazetteer(settings)
    language(settings)
    source_registry(settings)
    signal_lexicon(settings)


def parse_speakers(sentences: list[tuple[int, str]], settings: Settings = DEFAULT,
                   budget: Budget | None = None) -> dict[int, list[Attribution]]:
    """The speakers of the speech verbs in each (offset, text) sentence, by spaCy's parse:
    the one step that needs the parser, kept apart so that a corpus run can do it in the
    process that holds the model."""
    return parse_many([sentences], settings, budget)[0]


def parse_many(requests: list[list[tuple[int, str]]], settings: Settings = DEFAULT,
               budget: Budget | None = None) -> list[dict[int, list[Attribution]]]:
    """`parse_speakers` for several documents' sentences in one pass of the parser. A
    document has few sentences to parse (6% of FA-KES's), and spaCy's batches run far
    faster full: parsed together, the sentences of eight documents take about 60% of the
    time they take document by document."""
    speakers: list[dict[int, list[Attribution]]] = [{} for _ in requests]
    flat = [(number, start, text) for number, request in enumerate(requests) for start, text in request]
    if not flat:
        return speakers
    nlp = load_parser(settings.model)
    words = language(settings).sources
    for (number, start, _), doc in zip(flat, nlp.pipe((text for _, _, text in flat), batch_size=64)):
        speakers[number][start] = speech_verbs(doc, start, words)
        if budget is not None:
            budget.check("the parse")
    return speakers


def parse_each(requests: list[list[tuple[int, str]]], settings: Settings = DEFAULT
               ) -> list[dict[int, list[Attribution]] | Exception]:
    """`parse_many`, where a failure is each request's own: when the batch fails, every
    request is parsed alone and the one that fails gets its error."""
    try:
        return parse_many(requests, settings)
    except Exception:
        outcomes: list[dict[int, list[Attribution]] | Exception] = []
        for request in requests:
            try:
                outcomes.append(parse_speakers(request, settings))
            except Exception as error:
                outcomes.append(error)
        return outcomes


# Documents prepared before their sentences are parsed together (see parse_many).
PARSE_BATCH_DOCUMENTS = 8


def analyze_all(documents: Iterable[Document], settings: Settings = DEFAULT,
                batch: int = PARSE_BATCH_DOCUMENTS) -> Iterator[tuple[Document, Analysis | Exception]]:
    """`analyze` for a stream of documents, their parses batched: each document with its
    analysis, or the error that stopped it (one document's error never stops the rest)."""
    prepared: list[tuple[Document, Prepared | Exception]] = []

    def finish_batch() -> Iterator[tuple[Document, Analysis | Exception]]:
        ready = [p for _, p in prepared if isinstance(p, Prepared)]
        parses = iter(parse_each([p.parse_request() for p in ready], settings))
        for document, outcome in prepared:
            if isinstance(outcome, Prepared):
                outcome = finished(outcome, next(parses), settings)
            yield document, outcome
        prepared.clear()

    for document in documents:
        try:
            prepared.append((document, prepare(document, settings)))
        except Exception as error:
            prepared.append((document, error))
        if len(prepared) >= batch:
            yield from finish_batch()
    yield from finish_batch()


def finished(prepared: Prepared, speakers: dict[int, list[Attribution]] | Exception,
             settings: Settings = DEFAULT) -> Analysis | Exception:
    """`finish`, or the error that stopped the document (its parse's, or finishing's)."""
    if isinstance(speakers, Exception):
        return speakers
    try:
        return finish(prepared, speakers, settings)
    except Exception as error:
        return error


def prepare(document: Document | str, settings: Settings = DEFAULT) -> Prepared:
    """Sentences, quantities and figure drafts; which sentences need a parse."""
    if isinstance(document, str):
        document = read_string(document, settings=settings)
    budget = Budget(settings.seconds_per_document)
    text = document.text
    lang = language(settings)
    registry = source_registry(settings)

    document_words = Words.of(text)
    mentions = registry.mentions(document_words)
    # Words inside a source's name ("Human" in "Syrian Observatory of Human Rights") are
    # not places; but a government is named by its capital or country ("Damascus said"),
    # and that names the place too.
    places = find_places(text, 0, len(text), settings,
                         exclude=[(m.start, m.end) for m in mentions if m.entry.kind != "government"])
    place_names = {p.name.lower(): (p.kind, p.country) for p in places}
    resolver = SourceResolver(registry, lang, mentions, document_country(document, places), place_names)
    found: list[_Sentence] = []
    refused: list = []    # numbers too large to count anyone
    disease_context = lang.figures.speaks_of_disease(document_words.folded, text)
    n_sentences = 0
    for region_start, region_end in section_spans(document):
        spans = sentences(text, region_start, region_end, lang.segment)
        n_sentences += len(spans)
        before: list[FigureDraft] = []    # the figures of the sentence before
        for number, (start, end) in enumerate(spans):
            budget.check("reading figures")
            quantities = find_quantities(text[start:end], lang.numbers, start, refused)
            words = None
            drafts: list[FigureDraft] = []
            continued = None
            if quantities:
                words = tokenize(text, start, end)
                if before and lang.figures.continues_previous.match(text, start, end):
                    continued = before[-1]
                drafts = find_figures(text, words, quantities, lang, continued, disease_context)
            around = (spans[number - 1] if number else None,
                      spans[number + 1] if number + 1 < len(spans) else None)
            if drafts:
                needs_parse = settings.parse_all_sentences or _needs_parse(words, resolver, lang)
                found.append(_Sentence(start, end, drafts, needs_parse, words, *around, continues=continued))
            elif _mentions_attribution(text, start, end, lang):
                found.append(_Sentence(start, end, [], False, None, *around))
            before = drafts

    if settings.parse_all_sentences:    # the naive baseline of the throughput benchmark
        to_parse = [span for r in section_spans(document) for span in sentences(text, *r, lang.segment)]
    else:
        to_parse = [(s.start, s.end) for s in found if s.needs_parse]
    problems = []
    if len(to_parse) > settings.max_parsed_sentences and not settings.parse_all_sentences:
        problems.append(Problem(document.id, "parse_limit",
                                f"{len(to_parse):,} sentences needed a parse; the first "
                                f"{settings.max_parsed_sentences:,} had one, the others were read by "
                                "word order alone (Settings.max_parsed_sentences)"))
        to_parse = to_parse[:settings.max_parsed_sentences]
        parsed = set(to_parse)
        for sentence in found:
            sentence.needs_parse = sentence.needs_parse and (sentence.start, sentence.end) in parsed
    if refused:
        problems.append(Problem(document.id, "value_out_of_range",
                                f"{len(refused):,} number(s) too large for a count, first at "
                                f"{refused[0].start}: {text[refused[0].start:refused[0].start + 40]!r}"))
    return Prepared(document, found, document_words, mentions, places, resolver, to_parse,
                    budget.spent(), problems, n_sentences)


def finish(prepared: Prepared, speakers: dict[int, list[Attribution]],
           settings: Settings = DEFAULT, spent: float | None = None) -> Analysis:
    """Places, times, attribution and slant, given the parse's speakers per sentence.
    `spent`: seconds of the document's budget used so far (by default, in `prepare`).
    Finishing consumes `prepared`: each sentence's tokens are let go once read."""
    budget = Budget(settings.seconds_per_document, prepared.seconds if spent is None else spent)
    document, found, mentions, resolver = (prepared.document, prepared.found, prepared.mentions,
                                           prepared.resolver)
    document_words = prepared.document_words
    text = document.text
    lang = language(settings)
    registry = resolver.registry
    places = prepared.places
    places_by_start = ByStart(places)
    main_place = _main_place(document, places)
    figures: list[Figure] = []
    numbers: dict[int, int] = {}    # draft -> its figure's index, for related figures
    for sentence in found:
        budget.check("attributing figures")
        if not sentence.drafts:
            _remember_speaker(resolver, text, sentence, lang)
            continue
        attributions = according_to(text, sentence.start, sentence.end, registry, lang.sources,
                                    lang.segment.abbreviations) + claim_of(
            text, sentence.start, sentence.end, registry, lang.sources) + passive_by(
            text, sentence.start, sentence.end, lang.sources)
        attributions += speech_verb_windows(sentence.words, lang)
        if sentence.needs_parse:
            parsed = speakers[sentence.start]
            # A name read back from a verb across a relative clause is not its speaker when
            # the parse found the verb's subject.
            verbs = {a.cue_at for a in parsed}
            attributions = [a for a in attributions if not (a.clause_bound and a.cue_at in verbs)] + parsed
        citations = {a: resolver.resolve(a) for a in sorted(attributions, key=lambda a: a.cue_at)}
        if not any(citations.values()) and sentence.continues is not None:
            # "They included two soldiers": the count goes on, and so does its source.
            earlier = figures[numbers[id(sentence.continues)]].source if id(sentence.continues) in numbers else None
            if earlier is not None:
                attributions, citations = _carried(text, sentence, replace(earlier, carried=True))
        if not any(citations.values()):
            introduced = _introduced_by(text, sentence, resolver, registry, lang)
            if introduced is not None:
                attributions, citations = _carried(text, sentence, introduced)
        sentence_places = _SentencePlaces.read(
            text, sentence, places_by_start.between(sentence.start, sentence.end), lang)
        fallback_place = _place_before(places_by_start, sentence) or main_place
        times = find_times(text, sentence.start, sentence.end, document.published, lang.times)
        scope = "cumulative" if lang.figures.cumulative_patterns.search(
            text, sentence.start, sentence.end) else "incident"
        quoted = _quoted_figures(text, sentence, lang)
        for draft in sentence.drafts:
            numbers[id(draft)] = len(figures)
            related = numbers.get(id(draft.related)) if draft.related is not None else None
            if draft.certainty == "reported" and quoted(draft.quantity.start):
                draft = replace(draft, certainty="denied")
            figures.append(replace(_figure(document, sentence, draft, attributions, citations,
                                           sentence_places, fallback_place, times, lang),
                                   relation=draft.relation, related=related, scope=scope,
                                   rule=draft.rule))
        # Its figures are made: the sentence's tokens can go, so that a long document's
        # tokens and figures are never all held at once (`finish` consumes `prepared`).
        sentence.words = None
    figures = _credited(figures, text, document, resolver, lang)
    problems = list(prepared.problems)
    if len(figures) > settings.max_figures_per_document:
        problems.append(Problem(document.id, "too_many_figures",
                                f"{len(figures):,} figures; the first {settings.max_figures_per_document:,} "
                                "are kept (Settings.max_figures_per_document)"))
        figures = figures[:settings.max_figures_per_document]    # `related` points back: still valid
    signals, labels, stances = (), (), ()
    budget.check("reading slant")
    if settings.signals:
        slant = signal_lexicon(settings)
        signals = tuple(find_signals(document, slant, lang.signals, document_words))
        labels = tuple(find_actor_labels(document, slant, mentions, document_words))
        cited = {f.source.name for f in figures if f.source}
        stances = tuple(find_stances(document, lang, mentions, list(signals), cited,
                                     document_words))
    implicit = tuple(replace(count, place=main_place)
                     for count in find_implicit(text[:document.body_end], lang))
    analysis = Analysis(document=document, figures=tuple(figures),
                        citations=tuple(f.source for f in figures if f.source),
                        places=tuple(places), signals=signals, actor_labels=labels, stances=stances,
                        descriptors=tuple(find_descriptors(document, places, lang)),
                        problems=tuple(problems), implicit=implicit)
    return replace(analysis, checks=tuple(check_document(analysis, settings)))


def _carried(text: str, sentence: _Sentence, citation: Citation
             ) -> tuple[list[Attribution], dict[Attribution, Citation]]:
    """A source carried into a sentence from outside it, marked at its first character."""
    carried = Attribution(text[sentence.start:sentence.start + 1], sentence.start, sentence.start + 1,
                          citation.cue, sentence.start)
    return [carried], {carried: citation}


PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def _credited(figures: list[Figure], text: str, document: Document, resolver: SourceResolver,
              lang: Language) -> list[Figure]:
    """A credit in brackets that closes a paragraph ("... 35,109 as of 5 October. (WHO
    situation reports)") or a sentence names who gives the figures there that have no
    source of their own."""
    if not any(f.source is None for f in figures):
        return figures
    # Credits of paragraphs, then of sentences: each list in text order, none overlapping.
    paragraph_credits: list[tuple[int, int, Citation]] = []
    sentence_credits: list[tuple[int, int, Citation]] = []
    start = 0
    for boundary in [*PARAGRAPH_BREAK.finditer(text, 0, document.body_end), None]:
        end = boundary.start() if boundary else document.body_end
        last = _last_visible(text, start, end)
        if boundary is not None and last is not None and text[last] not in ".!?)\"”":
            continue    # a block cut mid-sentence (a flattened page) goes on in the next
        if last is not None and text[last] == ")":
            opening = text.rfind("(", start, last)
            credit = bracket_credit(text, opening, last + 1, lang.sources) if opening >= 0 else None
            citation = _credit_source(credit, resolver, lang)
            if citation is not None:
                paragraph_credits.append((start, last + 1, citation))
        start = boundary.end() if boundary else end
    closing: dict[Span, tuple[int, int] | None] = {}    # a sentence's closing brackets, read once
    for figure in figures:
        if figure.sentence is None or figure.source is not None:
            continue
        if figure.sentence not in closing:
            closing[figure.sentence] = _closing_brackets(text, figure.sentence)
        brackets = closing[figure.sentence]
        if brackets is not None and figure.end < brackets[0]:
            credit = bracket_credit(text, *brackets, lang.sources)
            citation = _credit_source(credit, resolver, lang)
            if citation is not None:
                sentence_credits.append((figure.sentence.start, figure.sentence.end, citation))
                closing[figure.sentence] = None    # credited once
    if not paragraph_credits and not sentence_credits:
        return figures
    lookups = [(credits, [a for a, _, _ in credits]) for credits in (paragraph_credits, sentence_credits)]

    def credit_at(offset: int) -> Citation | None:
        for credits, starts in lookups:
            index = bisect_right(starts, offset) - 1
            if index >= 0 and offset < credits[index][1]:
                return credits[index][2]
        return None

    credited = []
    for figure in figures:
        credit = credit_at(figure.start) if figure.source is None and figure.section != "comment" else None
        credited.append(figure if credit is None else replace(figure, source=credit))
    return credited


def _last_visible(text: str, start: int, end: int) -> int | None:
    """The offset of the last character in [start, end) that is not white space."""
    while end > start and text[end - 1].isspace():
        end -= 1
    return end - 1 if end > start else None


def _closing_brackets(text: str, sentence: Span) -> tuple[int, int] | None:
    """The span of the brackets that close a sentence ("... (WHO situation report)."), if any."""
    end = sentence.end
    while end > sentence.start and text[end - 1] in " .":
        end -= 1
    if end == sentence.start or text[end - 1] != ")":
        return None
    opening = text.rfind("(", sentence.start, end)
    return (opening, end) if opening >= 0 else None


def _credit_source(credit: Attribution | None, resolver: SourceResolver, lang: Language) -> Citation | None:
    """The source a bracketed credit names: a registered source that is no wire or outlet
    (a wire's or a photographer's credit is no source), a kind of source ("press"), an
    acronym ("ACAPS") or a body's name ("Syrian Coalition Media Department")."""
    if credit is None or any(w.lower().strip(":") in lang.sources.not_credit_words for w in credit.mention.split()):
        return None
    citation = resolver.resolve(credit)
    if citation is None or citation.kind in ("wire", "outlet"):
        return None
    words = citation.name.split()
    if citation.registered or (len(words) == 1 and words[0].isupper() and 2 <= len(words[0]) <= 8) \
            or words[-1].lower() in lang.sources.speaker_heads:
        return citation
    return None


def _introduced_by(text: str, sentence: _Sentence, resolver: SourceResolver,
                   registry, lang: Language) -> Citation | None:
    """The source that introduces a sentence explicitly: a quotation right after "X said.",
    or what follows a colon after a source that speaks ("the ministry said in a statement:")
    or publishes ("a report by X:", "an article on X:")."""
    if sentence.previous is None:
        return None
    previous = text[sentence.previous[0]:sentence.previous[1]].rstrip()
    if previous.endswith(":"):
        named = registry.mentions(previous)
        words = lang.sources
        if named and (words.publication_lead.search(previous, 0, named[-1].start)
                      or any(w in words.attribution_verbs for w in previous.lower().split())):
            start, end = named[-1].start, named[-1].end
            at = sentence.previous[0] + start
            return resolver.resolve(Attribution(previous[start:end], at, sentence.previous[0] + end,
                                                "introduced", at))
    if text[sentence.start] in "\"“" and previous.endswith(lang.sources.quotation_closers) \
            and resolver.last is not None:
        return replace(resolver.last, carried=True, cue="quotation")
    return None


def _quoted_figures(text: str, sentence: _Sentence, lang: Language):
    """Whether a figure at an offset is inside quotation marks that the next sentence calls
    a lie or false: the next sentence and the quotation marks are read once per sentence."""
    if sentence.following is None or not denies(text[sentence.following[0]:sentence.following[1]], 0, lang):
        return lambda offset: False
    marks = {mark: [m.start() for m in re.finditer(re.escape(mark), text[sentence.start:sentence.end])]
             for mark in ("“", "”", '"')}

    def before(mark: str, offset: int) -> int:
        return bisect_left(marks[mark], offset - sentence.start)

    return lambda offset: before("“", offset) > before("”", offset) or before('"', offset) % 2 == 1


def _needs_parse(words, resolver: SourceResolver, lang: Language) -> bool:
    """Whether a speech verb in the sentence has no speaker that word order alone finds in
    the registry: only then is the sentence worth a parse."""
    verbs = {w.start for w in words if w.lower in lang.sources.attribution_verbs}
    if not verbs:
        return False
    read = {a.cue_at for a in speech_verb_windows(words, lang)
            if not a.clause_bound and resolver.resolves(a)}
    return bool(verbs - read)


def _mentions_attribution(text: str, start: int, end: int, lang: Language) -> bool:
    lowered = text[start:end].lower()
    words = lang.sources
    return words.according_to_phrase in lowered or any(
        word.strip(".,;:!?\"”’") in words.attribution_verbs for word in lowered.split())


def _remember_speaker(resolver: SourceResolver, text: str, sentence: _Sentence, lang: Language) -> None:
    """A sentence without figures can still be the one a later "it added" points back to:
    its speakers are read by word order alone, without a parse."""
    candidates = according_to(text, sentence.start, sentence.end, resolver.registry, lang.sources,
                              lang.segment.abbreviations) + \
        speech_verb_windows(tokenize(text, sentence.start, sentence.end), lang)
    for attribution in candidates:
        if resolver.resolves(attribution):
            resolver.resolve(attribution)


def _movement_role(text: str, sentence_start: int, place: Place, lang: Language) -> str | None:
    """"origin" or "destination" by the nearest place preposition before a place name
    ("fled to government-held parts of western Aleppo": destination)."""
    rules = lang.places
    words = _WORDS.findall(text[max(sentence_start, place.start - 60):place.start].lower())
    for word in reversed(words):
        if word in rules.origin_words:
            return "origin"
        if word in rules.destination_words:
            return "destination"
        if word in rules.movement_prepositions:
            return None
    return None


@dataclass(slots=True)
class _SentencePlaces:
    """A sentence's places, read once for all its figures: each place's movement role,
    where the sentence turns to another event, and the places that are no destination."""
    places: ByStart[Place]
    roles: dict[int, str | None]    # id(place) -> "origin", "destination" or None
    where: ByStart[Place]
    turn_starts: list[int]
    turn_ends: list[int]
    # The most specific place of each clause, by its bounds: read once for all its figures.
    clause_places: dict[tuple[int, int], Place | None] = field(default_factory=dict)

    @classmethod
    def read(cls, text: str, sentence: _Sentence, places: list[Place], lang: Language) -> "_SentencePlaces":
        roles = {id(p): _movement_role(text, sentence.start, p, lang) for p in places}
        turns = [(m.start(), m.end()) for m in lang.places.clause_turn.finditer(text, sentence.start, sentence.end)]
        where = ByStart([p for p in places if roles[id(p)] != "destination"])
        return cls(ByStart(places), roles, where, [a for a, _ in turns], [b for _, b in turns])

    def where_in_clause_of(self, sentence: _Sentence, quantity) -> Place | None:
        """The most specific place (no destination) in the figure's own clause of the
        sentence, else in the sentence: where a sentence turns to another event ("killed
        near the capital ... hours after a gas attack in Khan Sheikhun"), the places past
        the turn are that event's."""
        before = bisect_right(self.turn_ends, quantity.start) - 1
        after = bisect_left(self.turn_starts, quantity.end)
        start = self.turn_ends[before] if before >= 0 else sentence.start
        end = self.turn_starts[after] if after < len(self.turn_starts) else sentence.end
        if (start, end) not in self.clause_places:
            self.clause_places[start, end] = most_specific(
                self.where.between(start, end) or self.where.items)
        return self.clause_places[start, end]


def _place_before(places: ByStart[Place], sentence: _Sentence) -> Place | None:
    """The most specific place the sentence before (in the same section) names, not a country:
    a figure whose own sentence names none happened there ("Air strikes struck the town of
    Urum al-Joz on Saturday. The attack killed at least 18 people")."""
    if sentence.previous is None:
        return None
    named = [p for p in places.between(*sentence.previous) if p.kind != "country"]
    return most_specific(named)


def document_country(document: Document, places: list[Place]) -> str | None:
    """The country a report is about: its headline's, else the one its article names most."""
    article = [p for p in places if p.start < document.body_end and p.country]
    if document.headline:
        headline = [p for p in article if p.start < document.headline.end]
        if headline:
            return headline[0].country
    counts: dict[str, int] = {}
    for place in article:
        counts[place.country] = counts.get(place.country, 0) + 1
    return max(counts, key=counts.get) if counts else None


def _main_place(document: Document, places: list[Place]) -> Place | None:
    """The place a report is about: the first named in its headline, else in its body."""
    article = [p for p in places if p.start < document.body_end]
    if document.headline:
        in_headline = [p for p in article if p.start < document.headline.end]
        if in_headline:
            return most_specific(in_headline)
    return article[0] if article else None


def _choose_citation(draft: FigureDraft, attributions: list[Attribution],
                     citations: dict[Attribution, Citation | None], text: str, lang: Language) -> Citation | None:
    usable = [a for a in attributions if citations.get(a) is not None
              and not (a.start <= draft.quantity.start < a.end) and _reaches(a, draft, text, lang)]
    if not usable:
        return None
    # The nearest speech verb speaks for the figure ("quoting X" outranks its relay); of
    # two readings of the same verb, the one naming a registered source wins.
    best = max(usable, key=lambda a: (a.priority == 1, -abs(a.cue_at - draft.quantity.start),
                                      citations[a].registered, a.priority))
    return citations[best]


def _reaches(attribution: Attribution, draft: FigureDraft, text: str, lang: Language) -> bool:
    """A passive agent ("deaths documented by the UN") gives the figures of its own clause
    before it, not those across a semicolon; a speaker in a subordinate clause ("killed
    107 people ... after al-Qaida warned it would") does not speak for the main clause."""
    figure = draft.quantity.start
    if attribution.cue == "by":
        return figure < attribution.cue_at and ";" not in text[figure:attribution.cue_at]
    if figure < attribution.start:
        opener = text[max(figure, attribution.start - 30):attribution.start].split()
        if opener and opener[-1].lower().strip(",") in lang.sources.subordinators:
            return False
    return True


def _figure(document: Document, sentence: _Sentence, draft: FigureDraft,
            attributions: list[Attribution], citations: dict[Attribution, Citation | None],
            sentence_places: _SentencePlaces, fallback_place: Place | None, times, lang: Language) -> Figure:
    quantity = draft.quantity
    section, comment = document.section_at(quantity.start)
    text = document.text
    origin = destination = None
    if draft.category in MOVEMENT_CATEGORIES:
        # Where people went from and to is named near the count: a bounded look keeps a
        # sentence of many places and figures linear.
        named = sentence_places.places
        after_figure = named.between(quantity.end + 1, sentence.end) or named.items
        for place in after_figure[:MOVEMENT_PLACES]:
            role = sentence_places.roles[id(place)]
            if role == "origin" and origin is None:
                origin = place
            elif role == "destination" and destination is None:
                destination = place
    # Where it happened: for people on the move, where they left; never where they went.
    place = origin or sentence_places.where_in_clause_of(sentence, quantity) or (
        fallback_place if section != "comment" else None)
    if draft.category == "returned" and destination is not None:
        place = destination    # a return happens where people arrive
    time = times[0] if times else None
    return Figure(
        start=quantity.start, end=quantity.end, text=text[quantity.start:quantity.end],
        low=quantity.low, high=quantity.high, vague=quantity.vague, approx=quantity.approx,
        category=draft.category, what=draft.what, who=draft.who, certainty=draft.certainty,
        section=section, comment=comment,
        source=_choose_citation(draft, attributions, citations, text, lang),
        place=place, origin=origin, destination=destination, time=time,
        sentence=Span(sentence.start, sentence.end),
    )
