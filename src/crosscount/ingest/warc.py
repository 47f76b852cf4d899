"""WARC archives (web crawls): each HTML or text response becomes a document.

warcio is needed (it comes with the `spark` extra); without it a WARC input is reported
as a problem with the install command, and the batch goes on.
"""
from __future__ import annotations

import io
import zlib
from collections.abc import Iterator
from typing import BinaryIO

from ..model import Document, Problem
from ..settings import Settings
from .decode import UnreadableInput

WARC_SUFFIXES = (".warc", ".warc.gz", ".arc", ".arc.gz")


def iter_warc(stream: BinaryIO | bytes, path: str, settings: Settings) -> Iterator[Document | Problem]:
    """The pages of an archive as it streams (a file object; bytes are wrapped): an
    archive of gigabytes is never held whole, nor a page past Settings.max_document_bytes."""
    from . import read_bytes

    try:
        from warcio.archiveiterator import ArchiveIterator
        from warcio.exceptions import ArchiveLoadFailed
    except ImportError:
        yield Problem(path, "unsupported", "WARC input needs warcio: pip install 'crosscount[spark]'")
        return
    if isinstance(stream, (bytes, bytearray)):
        stream = io.BytesIO(stream)
    try:
        for number, record in enumerate(ArchiveIterator(stream)):
            if record.rec_type != "response" or record.http_headers is None:
                continue
            content_type = record.http_headers.get_header("Content-Type", "") or ""
            if "html" not in content_type and "text" not in content_type:
                continue
            url = record.rec_headers.get_header("WARC-Target-URI")
            where = f"{path}#{number}"
            try:
                content = record.content_stream().read(settings.max_document_bytes + 1)
                document = read_bytes(content, url or where, settings, html="html" in content_type, url=url)
                document.meta["input"] = path
                yield document
            except UnreadableInput as error:
                yield Problem(where, error.reason, error.detail)
    except (ArchiveLoadFailed, OSError, EOFError, ValueError, zlib.error) as error:    # truncated or corrupt
        yield Problem(path, "bad_warc", repr(error))
