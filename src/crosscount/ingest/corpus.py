"""Corpora: JSONL and CSV files with one document a row.

Columns are matched by name: id, title, text (or content/body/article), date
(or published), outlet (or source/site), url. A bad row becomes a Problem and the
reader goes on with the next one.
"""
from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ..model import Document, Problem
from ..settings import Settings
from .decode import UnreadableInput, check_size, clean_text, decode_unlabelled, guess_encoding
from .html import looks_like_html, read_html
from .text import read_text

TEXT_FIELDS = ("text", "content", "body", "article", "article_content")
DATE_FIELDS = ("date", "published", "publish_date", "pub_date")
OUTLET_FIELDS = ("outlet", "source", "site", "sitename", "publisher")


def content_key(text: str) -> str:
    """A stable document id for rows that carry none: a hash of the text."""
    return "sha1-" + hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def _first_field(row: dict[str, Any], names: tuple[str, ...]) -> Any:
    for name in names:
        value = row.get(name)
        if value not in (None, ""):
            return value
    return None


def parse_date_field(value: Any) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, (int, float)):
        return None
    text = str(value).strip()
    for candidate in (text[:10], text):
        try:
            return date.fromisoformat(candidate)
        except ValueError:
            pass
    for fmt in ("%m/%d/%Y", "%d/%m/%Y", "%d %B %Y", "%B %d, %Y", "%Y/%m/%d"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            pass
    return None


def document_from_row(row: dict[str, Any], where: str, settings: Settings) -> Document:
    """One corpus row as a Document; raises UnreadableInput with the reason."""
    if not isinstance(row, dict):
        raise UnreadableInput("malformed_row", f"{where}: a row must be an object, not {type(row).__name__}")
    raw = _first_field(row, TEXT_FIELDS)
    if raw is None:
        raise UnreadableInput("empty", f"{where}: no text (looked for {', '.join(TEXT_FIELDS)})")
    if not isinstance(raw, str):
        raise UnreadableInput("malformed_row", f"{where}: text is {type(raw).__name__}, not a string")
    check_size(len(raw.encode("utf-8", "surrogatepass")), settings)
    text = clean_text(raw)
    if not text.strip():
        raise UnreadableInput("empty", f"{where}: the text is empty")
    doc_id = str(row["id"]) if row.get("id") not in (None, "") else content_key(text)
    title = row.get("title") if isinstance(row.get("title"), str) else None
    published = parse_date_field(_first_field(row, DATE_FIELDS))
    outlet = _first_field(row, OUTLET_FIELDS)
    outlet = str(outlet) if outlet is not None else None
    url = row.get("url") if isinstance(row.get("url"), str) else None
    meta = {k: v for k, v in row.items() if k not in ("text", "title", "id") and k not in TEXT_FIELDS
            and isinstance(v, (str, int, float, bool))}
    meta["where"] = where    # the row's place in its file, for problems that name it
    if looks_like_html(text):
        return read_html(text, doc_id, url=url, outlet=outlet, published=published, meta=meta,
                         settings=settings)
    return read_text(text, doc_id, title=title, published=published, outlet=outlet, url=url,
                     meta=meta, settings=settings)


def read_json_line(line: bytes | str, where: str, settings: Settings) -> Document | Problem:
    """One line of a JSONL corpus as a Document, or the Problem that stops it."""
    try:
        if isinstance(line, bytes):
            line = decode_unlabelled(line)
        row = json.loads(line)
    except UnreadableInput as error:
        return Problem(where, error.reason, error.detail)
    except ValueError as error:    # JSONDecodeError among them
        return Problem(where, "malformed_row", f"not a JSON line: {error}")
    except RecursionError:
        return Problem(where, "malformed_row", "not a JSON line: nested too deep")
    # What goes wrong past the JSON is the row's (a problem) or crosscount's (raised).
    try:
        return document_from_row(row, where, settings)
    except UnreadableInput as error:
        return Problem(where, error.reason, error.detail)


def iter_jsonl(path: Path, settings: Settings) -> Iterator[Document | Problem]:
    rows = 0
    with open(path, "rb") as handle:
        for number, line in enumerate(handle, start=1):
            if line.strip():
                rows += 1
                yield read_json_line(line, f"{path}:{number}", settings)
    if not rows:
        yield Problem(str(path), "empty", "the file holds no rows")


# Enough of a CSV file to decide its encoding: the rest is read as it streams.
ENCODING_SAMPLE_BYTES = 1 << 20


def iter_csv(path: Path, settings: Settings) -> Iterator[Document | Problem]:
    """The rows of a CSV file as they stream: the encoding is decided on its first
    megabyte, and a byte it cannot read becomes U+FFFD, not the end of the file."""
    with open(path, "rb") as handle:
        encoding = guess_encoding(handle.read(ENCODING_SAMPLE_BYTES))
    csv.field_size_limit(max(settings.max_document_bytes * 2, 1 << 20))
    with open(path, encoding=encoding, errors="replace", newline="") as handle:
        yield from _csv_rows(csv.DictReader(handle), path, settings)


def _csv_rows(reader: csv.DictReader, path: Path, settings: Settings) -> Iterator[Document | Problem]:
    number = 1
    while True:
        number += 1
        where = f"{path}:{number}"
        try:
            row = next(reader)
        except StopIteration:
            if number == 2:
                yield Problem(str(path), "empty",
                              "the file holds no rows" if reader.fieldnames else "the file is empty")
            return
        except csv.Error as error:
            yield Problem(where, "malformed_row", f"not a CSV row: {error}")
            continue
        if None in row:
            yield Problem(where, "malformed_row", "more fields than the header names")
            continue
        try:
            yield document_from_row(row, where, settings)
        except UnreadableInput as error:
            yield Problem(where, error.reason, error.detail)
