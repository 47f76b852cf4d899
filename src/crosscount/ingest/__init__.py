"""Readers: files, folders and corpora in, Documents (or Problems) out.

Readers never raise on a bad item: `iter_documents` yields a Problem with a reason
(empty, binary, too_large, malformed_row, bad_html, no_article, unreadable) and goes on.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from ..model import Document, Problem
from ..settings import DEFAULT, Settings
from .corpus import content_key, document_from_row, iter_csv, iter_jsonl
from .decode import UnreadableInput, check_size, clean_text, decode_bytes
from .html import looks_like_html, read_html
from .text import read_text
from .warc import WARC_SUFFIXES, iter_warc

__all__ = [
    "UnreadableInput", "content_key", "document_from_row", "iter_documents", "path_id",
    "read_bytes", "read_file", "read_html", "read_string", "read_text",
]

CORPUS_SUFFIXES = {".jsonl": iter_jsonl, ".ndjson": iter_jsonl, ".csv": iter_csv}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
SKIPPED_NAMES = {".DS_Store"}


def read_string(text: str, doc_id: str | None = None, settings: Settings = DEFAULT,
                **fields) -> Document:
    """A Document from a string: HTML if it looks like a page, plain text otherwise."""
    check_size(len(text.encode("utf-8", "surrogatepass")), settings)
    text = clean_text(text)
    if not text.strip():
        raise UnreadableInput("empty", "no text in the input")
    doc_id = doc_id or content_key(text)
    if looks_like_html(text):
        return read_html(text, doc_id, settings=settings, **fields)
    return read_text(text, doc_id, settings=settings, **fields)


def read_bytes(data: bytes, doc_id: str, settings: Settings = DEFAULT, *, html: bool | None = None,
               **fields) -> Document:
    text = decode_bytes(data, settings)
    if html if html is not None else looks_like_html(text):
        return read_html(text, doc_id, settings=settings, **fields)
    return read_text(text, doc_id, settings=settings, **fields)


def path_id(path: Path, root: Path | None = None) -> str:
    """A file's document id: its path under the folder it was found in, without the suffix
    ("2016/aleppo" for 2016/aleppo.html), so that files of one name in two folders stay two
    documents; a file given by itself, or at the top of its folder, is its name ("aleppo")."""
    path = Path(path)
    if root is None or not path.is_relative_to(root) or root == path:
        return path.stem
    relative = path.relative_to(root)
    return relative.with_suffix("").as_posix() if relative.suffix else relative.as_posix()


def read_file(path: Path, settings: Settings = DEFAULT, doc_id: str | None = None, **fields) -> Document:
    """One page from a file (plain text or HTML); raises UnreadableInput. The id is
    `doc_id`, else the file's name without its suffix."""
    path = Path(path)
    try:
        check_size(path.stat().st_size, settings)
        data = path.read_bytes()
    except OSError as error:
        raise UnreadableInput("unreadable", f"{path}: {error.strerror or error}") from error
    html = True if path.suffix.lower() in HTML_SUFFIXES else None
    return read_bytes(data, doc_id or path.stem, settings, html=html, **fields)


def _files_under(path: Path) -> Iterator[Path]:
    if path.is_dir():
        for child in sorted(path.rglob("*")):
            if child.is_file() and child.name not in SKIPPED_NAMES and not child.name.startswith("."):
                yield child
    else:
        yield path


def iter_documents(paths: Iterable[str | Path], settings: Settings = DEFAULT
                   ) -> Iterator[Document | Problem]:
    """Every document in files, folders and corpora, in order; bad items as Problems."""
    for given in paths:
        given = Path(given)
        if not given.exists():
            yield Problem(str(given), "missing", "no such file or folder")
            continue
        for path in _files_under(given):
            if path.name.lower().endswith(WARC_SUFFIXES):
                try:
                    check_size(path.stat().st_size, Settings(max_document_bytes=settings.max_archive_bytes))
                    with open(path, "rb") as archive:
                        yield from iter_warc(archive, str(path), settings)
                except (OSError, UnreadableInput) as error:
                    yield Problem(str(path), getattr(error, "reason", "unreadable"), str(error))
                continue
            corpus_reader = CORPUS_SUFFIXES.get(path.suffix.lower())
            if corpus_reader:
                try:
                    for item in corpus_reader(path, settings):
                        if isinstance(item, Document):
                            item.meta["input"] = str(path)
                        yield item
                except OSError as error:
                    yield Problem(str(path), "unreadable", str(error))
                continue
            try:
                document = read_file(path, settings, path_id(path, given if given.is_dir() else None))
                document.meta["input"] = str(path)
                yield document
            except UnreadableInput as error:
                yield Problem(str(path), error.reason, error.detail)
