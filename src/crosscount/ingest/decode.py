"""Bytes to text, with a clear reason whenever the bytes are not a readable page."""
from __future__ import annotations

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
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            # Most mislabelled news pages are Windows-1252; latin-1 cannot fail.
            try:
                text = data.decode("cp1252")
            except UnicodeDecodeError:
                text = data.decode("latin-1")
    return clean_text(text)


def clean_text(text: str) -> str:
    """Normalise to NFC and drop NUL and other stray control characters."""
    text = unicodedata.normalize("NFC", text)
    if any(ord(c) in _CONTROL for c in text):
        text = "".join(c for c in text if ord(c) not in _CONTROL)
    return text.replace("\r\n", "\n").replace("\r", "\n")
