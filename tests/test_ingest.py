"""Readers on real files, and every kind of bad input, each with its reason."""
import json
import os

import pytest

from crosscount import Problem
from crosscount.ingest import (UnreadableInput, iter_documents, read_bytes, read_file, read_text,
                               read_html, read_string)
from crosscount.settings import Settings

from .conftest import EXAMPLE, FAKES, FLIGHT_PAGE, READABILITY, needs_shared


def test_plain_text_with_a_marked_comment_thread():
    doc = read_file(EXAMPLE)
    assert doc.title.startswith("Thousands Flee Shelling")
    assert str(doc.published) == "2020-03-14"
    assert [c.author for c in doc.comments] == ["Rami K.", "Lena Haddad", "J. Morgan"]
    assert doc.text[doc.comments[0].start:].startswith("The Observatory is unreliable")
    assert "Comments" not in doc.text[doc.comments[0].start:doc.comments[-1].end]


def test_plain_text_thread_without_a_marker_is_found():
    doc = read_text(FLIGHT_PAGE, "flight")
    body = doc.text[:doc.body_end]
    assert body.rstrip().endswith("State television showed buses waiting at the crossing.")
    assert doc.text[doc.comments[0].start:].startswith("This is nonsense, I saw the crossing")
    authors = [c.author for c in doc.comments if c.author]
    assert authors == ["Dana Fields"]


@needs_shared(READABILITY)
@pytest.mark.parametrize("page", ["wapo-1", "telegraph", "nytimes-1", "bbc-1"])
def test_html_article_title_and_byline(page):
    folder = READABILITY / page
    meta = json.loads((folder / "expected-metadata.json").read_text(encoding="utf-8"))
    doc = read_file(folder / "source.html")
    assert doc.title and doc.title.split()[0] in meta["title"]
    assert len(doc.text[:doc.body_end]) > 1000


@needs_shared(READABILITY)
def test_html_comments_are_kept_apart_with_their_authors():
    doc = read_file(READABILITY / "wordpress" / "source.html")
    assert len(doc.comments) >= 10
    assert doc.comments[0].author == "Sallie Goetsch (rhymes with sketch)"
    first = doc.text[doc.comments[0].start:doc.comments[0].end]
    assert first and first not in doc.text[:doc.body_end]


def test_html_from_a_string_with_hostile_markup():
    page = ("<html><head><title>Twelve killed</title><script>alert(1)</script></head><body>"
            "<article><h1>Twelve killed</h1><p>" + "Twelve people were killed in the town. " * 8 +
            "</p><img src=x onerror=alert(2)></article></body></html>")
    doc = read_string(page)
    assert "alert" not in doc.text
    assert "Twelve people were killed" in doc.text


@needs_shared(FAKES)
def test_jsonl_corpus_rows_become_documents():
    with open(FAKES, encoding="utf-8") as handle:
        first = json.loads(handle.readline())
    docs = []
    for item in iter_documents([FAKES]):
        docs.append(item)
        if len(docs) == 5:
            break
    assert all(not isinstance(d, Problem) for d in docs)
    assert docs[0].id == first["id"] and docs[0].outlet == first["outlet"]
    assert docs[0].published is not None and docs[0].headline is not None


def test_csv_corpus_with_a_malformed_row(tmp_path):
    corpus = tmp_path / "corpus.csv"
    corpus.write_text(
        'id,title,text,date,outlet\n'
        'a,One,"Five people were killed in the town.",2016-07-10,reuters\n'
        'b,Two,"",2016-07-11,reuters\n'
        'c,Three,"Ten people fled.",2016-07-12,sana,unexpected\n'
        'd,Four,"Six people were injured.",2016-07-13,sana\n', encoding="utf-8")
    items = list(iter_documents([corpus]))
    assert [d.id for d in items if not isinstance(d, Problem)] == ["a", "d"]
    problems = {p.item.rsplit(":", 1)[1]: p.reason for p in items if isinstance(p, Problem)}
    assert problems == {"3": "empty", "4": "malformed_row"}


def test_batch_goes_on_past_every_kind_of_bad_input(tmp_path):
    (tmp_path / "good.txt").write_text("Seven people were killed in the blast.", encoding="utf-8")
    (tmp_path / "empty.txt").write_text("   \n", encoding="utf-8")
    (tmp_path / "blob.bin").write_bytes(os.urandom(2048) + b"\x00" * 64)
    (tmp_path / "latin.txt").write_bytes("Caf\xe9 owners said 12 people were wounded.".encode("cp1252"))
    (tmp_path / "huge.txt").write_bytes(b"killed " * (50 * 1024 * 1024 // 7))
    (tmp_path / "rows.jsonl").write_text(
        '{"id": "r1", "text": "Three civilians were killed."}\n'
        '{"id": "r2", "text": \n'
        '["not", "an", "object"]\n'
        '{"id": "r4", "text": 17}\n', encoding="utf-8")
    items = list(iter_documents([tmp_path, tmp_path / "missing.txt"]))
    documents = sorted(d.id for d in items if not isinstance(d, Problem))
    reasons = sorted((p.item.split("/")[-1], p.reason) for p in items if isinstance(p, Problem))
    assert documents == ["good", "latin", "r1"]
    assert reasons == [("blob.bin", "binary"), ("empty.txt", "empty"), ("huge.txt", "too_large"),
                       ("missing.txt", "missing"), ("rows.jsonl:2", "malformed_row"),
                       ("rows.jsonl:3", "malformed_row"), ("rows.jsonl:4", "malformed_row")]


def test_wrong_encoding_falls_back_to_cp1252():
    doc = read_bytes("“Twelve” killed in Café".encode("cp1252"), "x")
    assert doc.text == "“Twelve” killed in Café"


def test_utf16_with_bom():
    doc = read_bytes("Ten people fled.".encode("utf-16"), "x")
    assert doc.text == "Ten people fled."


@pytest.mark.parametrize("data, reason", [
    (b"", "empty"), (b"\n\n  \t", "empty"), (b"\x00\x01\x02binary\x00" * 50, "binary"),
])
def test_unreadable_bytes_say_why(data, reason):
    with pytest.raises(UnreadableInput) as error:
        read_bytes(data, "x")
    assert error.value.reason == reason


def test_size_limit_is_a_setting():
    with pytest.raises(UnreadableInput) as error:
        read_string("x" * 2000, settings=Settings(max_document_bytes=1000))
    assert error.value.reason == "too_large"


def test_html_without_an_article():
    with pytest.raises(UnreadableInput) as error:
        read_html("<html><body><nav><a href='/'>Home</a></nav></body></html>", "x")
    assert error.value.reason == "no_article"


def test_warc_responses_become_documents(tmp_path):
    pytest.importorskip("warcio")
    from io import BytesIO

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    path = tmp_path / "crawl.warc.gz"
    with open(path, "wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        page = ("<html><head><title>Strike on Idlib</title></head><body><article><p>"
                + "At least 12 civilians were killed in Idlib on Monday, activists said. " * 4
                + "</p></article></body></html>").encode()
        for url, body, kind in (("https://example.org/idlib", page, "text/html; charset=utf-8"),
                                ("https://example.org/logo.png", b"\x89PNG....", "image/png")):
            headers = StatusAndHeaders("200 OK", [("Content-Type", kind)], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url, "response", payload=BytesIO(body),
                                                          http_headers=headers))
    items = list(iter_documents([path]))
    [document] = [d for d in items if not isinstance(d, Problem)]
    assert document.url == "https://example.org/idlib" and "12 civilians" in document.text
