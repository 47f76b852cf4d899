"""Bytes to text, with a clear reason whenever the bytes are not a readable page."""
from __future__ import annotations

import re
import unicodedata

from ..settings import Settings


class UnreadableInput(ValueError):
    """The item cannot become a document; `reason` is a short machine-readable word."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


# Control characters other than tab, newline, carriage return and form feed: a text
# page has almost none of them, a binary file has many.
_CONTROL = {c for c in range(32) if c not in (9, 10, 12, 13)} | {127}


REPLACEMENT = "\ufffd"
_SURROGATE = re.compile("[\ud800-\udfff]")


def check_size(size: int, settings: Settings) -> None:
    if size > settings.max_document_bytes:
        raise UnreadableInput(
            "too_large",
            f"{size:,} bytes is over the limit of {settings.max_document_bytes:,} "
            "(Settings.max_document_bytes)",
        )


def decode_bytes(data: bytes, settings: Settings) -> str:
    """Decode a page: UTF-8 (with or without BOM), UTF-16 by BOM, else cp1252.

    Raises UnreadableInput for empty, oversized and binary input.
    """
    check_size(len(data), settings)
    if not data.strip():
        raise UnreadableInput("empty", "no text in the input")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16", errors="replace")
    else:
        sample = data[:4096]
        if b"\x00" in sample or sum(b in _CONTROL for b in sample) > len(sample) * 0.05:
            raise UnreadableInput("binary", "the input looks like binary data, not text")
        text = decode_unlabelled(data)
    return clean_text(text)


def guess_encoding(data: bytes) -> str:
    """The encoding of bytes that name none: UTF-8 when they are UTF-8 but for a few
    broken sequences (a page cut mid-character, one stray byte); Windows-1252, the usual
    mislabelled news page, when they hold fewer valid multi-byte characters than broken
    ones. Decoded with errors="replace", one bad byte never garbles a whole file."""
    try:
        data.decode("utf-8")
        return "utf-8-sig"
    except UnicodeDecodeError:
        pass
    as_utf8 = data.decode("utf-8", errors="replace")
    broken = as_utf8.count(REPLACEMENT) - data.count(REPLACEMENT.encode("utf-8"))
    valid = sum(1 for c in as_utf8 if ord(c) > 127) - as_utf8.count(REPLACEMENT)
    return "utf-8-sig" if valid >= broken else "cp1252"


def decode_unlabelled(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")    # most pages: decoded once
    except UnicodeDecodeError:
        return data.decode(guess_encoding(data), errors="replace")


def clean_text(text: str) -> str:
    """Normalise to NFC, drop NUL and other stray control characters, and replace lone
    surrogates (from a JSON escape such as "\\ud800": no character, and no encoder takes
    them) with U+FFFD."""
    if not text.isascii():
        text = _SURROGATE.sub(REPLACEMENT, text)
    text = unicodedata.normalize("NFC", text)
    if any(ord(c) in _CONTROL for c in text):
        text = "".join(c for c in text if ord(c) not in _CONTROL)
    return text.replace("\r\n", "\n").replace("\r", "\n")
