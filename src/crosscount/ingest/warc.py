"""WARC archives (web crawls): each HTML or text response becomes a document.

warcio is needed (it comes with the `spark` extra); without it a WARC input is reported
as a problem with the install command, and the batch goes on.
"""
from __future__ import annotations

import io
from collections.abc import Iterator

from ..model import Document, Problem
from ..settings import Settings
from .decode import UnreadableInput

WARC_SUFFIXES = (".warc", ".warc.gz", ".arc", ".arc.gz")


def iter_warc(data: bytes, path: str, settings: Settings) -> Iterator[Document | Problem]:
    from . import read_bytes

    try:
        from warcio.archiveiterator import ArchiveIterator
    except ImportError:
        yield Problem(path, "unsupported", "WARC input needs warcio: pip install 'crosscount[spark]'")
        return
    try:
        for number, record in enumerate(ArchiveIterator(io.BytesIO(data))):
            if record.rec_type != "response" or record.http_headers is None:
                continue
            content_type = record.http_headers.get_header("Content-Type", "") or ""
            if "html" not in content_type and "text" not in content_type:
                continue
            url = record.rec_headers.get_header("WARC-Target-URI")
            where = f"{path}#{number}"
            try:
                document = read_bytes(record.content_stream().read(), url or where, settings,
                                      html="html" in content_type, url=url)
                document.meta["input"] = path
                yield document
            except UnreadableInput as error:
                yield Problem(where, error.reason, error.detail)
    except Exception as error:  # a truncated or corrupt archive
        yield Problem(path, "bad_warc", repr(error))
