"""Plain-text pages: headline, body and an appended reader-comment thread.

Saved news pages often carry the comment thread after the article with no markup. The
thread is found by an explicit marker ("Comments", "12 comments", "Leave a reply") or,
failing that, by where the paragraphs turn conversational (first and second person,
runs of question marks, lone author-name lines) and stay that way.
"""
from __future__ import annotations

import re
from datetime import date

from ..dates import find_dateline
from ..model import Comment, Document, Span
from ..registry import language
from ..registry.language import IngestWords
from ..settings import DEFAULT, Settings

_PARAGRAPH = re.compile(r"[^\n]+(?:\n(?!\s*\n)[^\n]+)*")
# A name alone on a line: two to four capitalised words, optional "Jr", no punctuation.
_AUTHOR_LINE = re.compile(r"^\s*[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){1,3}\s*$")
_TRAILING_URL = re.compile(r"https?://\S+$")


def paragraphs(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _PARAGRAPH.finditer(text)]


def _is_author_line(line: str) -> bool:
    return bool(_AUTHOR_LINE.match(line)) and len(line) < 40 and not line.rstrip().endswith(":")


def _is_conversational(paragraph: str, words: IngestWords) -> bool:
    if _is_author_line(paragraph):
        return True
    # "I" inside a quotation is a quoted speaker, not the writer of the paragraph.
    unquoted = re.sub(r"[\"“][^\"”]*[\"”]", "", paragraph)
    return bool(words.conversational.search(unquoted))


def find_thread_start(text: str, spans: list[tuple[int, int]], words: IngestWords) -> int | None:
    """Index into `spans` of the first comment paragraph, or None if there is no thread."""
    for i, (start, end) in enumerate(spans):
        if words.thread_marker.match(text[start:end]) and i > 0:
            return i
    # Without a marker: the first conversational paragraph after at least two article
    # paragraphs, from which most of the rest is conversational too.
    flags = [_is_conversational(text[s:e], words) for s, e in spans]
    for i in range(2, len(spans)):
        rest = flags[i:]
        if flags[i] and len(rest) >= 2 and sum(rest) >= 0.5 * len(rest):
            return i
    return None


def _ends_paragraph(paragraph: str) -> bool:
    last = paragraph.rstrip()
    return last.endswith((".", "!", "?", "”", '"', ")")) or bool(_TRAILING_URL.search(last))


def split_comments(text: str, spans: list[tuple[int, int]], first: int, words: IngestWords
                   ) -> tuple[Comment, ...]:
    """Comments from paragraph `first` on; a lone name line is the next comment's author."""
    comments: list[Comment] = []
    author: str | None = None
    index = first
    if words.thread_marker.match(text[spans[first][0]:spans[first][1]]):
        index += 1
    current: list[tuple[int, int]] = []

    def flush() -> None:
        nonlocal current, author
        if current:
            comments.append(Comment(current[0][0], current[-1][1], author))
            current, author = [], None

    for start, end in spans[index:]:
        paragraph = text[start:end]
        if _is_author_line(paragraph) and not words.first_person.search(paragraph):
            flush()
            author = paragraph.strip()
            continue
        # Each paragraph of a thread is its own comment unless the one before it stops
        # mid-sentence or introduces it with a colon.
        if current and not _ends_paragraph(text[current[-1][0]:current[-1][1]]):
            current.append((start, end))
            continue
        flush()
        current = [(start, end)]
    flush()
    return tuple(comments)


def headline_span(text: str, spans: list[tuple[int, int]]) -> Span | None:
    """The first line when it stands alone and is short enough to be a title."""
    if not spans:
        return None
    start, end = spans[0]
    first_line_end = text.find("\n", start)
    if first_line_end == -1 or first_line_end > end:
        first_line_end = end
    if first_line_end - start <= 200 and first_line_end < len(text.rstrip()):
        return Span(start, first_line_end)
    return None


def read_text(text: str, doc_id: str, *, title: str | None = None, published: date | None = None,
              outlet: str | None = None, url: str | None = None, find_thread: bool = True,
              meta: dict | None = None, settings: Settings = DEFAULT) -> Document:
    """A Document from plain text: headline from the first line or the given title."""
    headline = _title_span(text, title) if title else None
    if title and title.strip() and headline is None:
        # The row's title is not in its text: put it first, so that the headline's figures
        # are read and checked like any page's.
        title = title.strip()
        text = f"{title}\n\n{text}"
        headline = Span(0, len(title))
    spans = paragraphs(text)
    if headline is None:
        headline = headline_span(text, spans)
    comments: tuple[Comment, ...] = ()
    lang = language(settings)
    if find_thread and len(spans) > 3:
        first = find_thread_start(text, spans, lang.ingest)
        if first is not None:
            comments = split_comments(text, spans, first, lang.ingest)
    if published is None:
        published = find_dateline(text[:200], lang.times)
    if title is None and headline is not None:
        title = text[headline.start:headline.end].strip()
    return Document(id=doc_id, text=text, title=title, published=published, outlet=outlet,
                    url=url, headline=headline, comments=comments, meta=meta or {})


def _title_span(text: str, title: str) -> Span | None:
    """Where a known title sits near the top of the text (corpora often prepend a date)."""
    title = title.strip()
    if not title:
        return None
    at = text.find(title, 0, 80 + len(title))
    # Only a title that opens the text counts, after at most a dateline ("Sun 10 Jul 2016").
    if at == -1 or any(mark in text[:at] for mark in (". ", "\n\n", "? ", "! ")):
        return None
    return Span(at, at + len(title))
