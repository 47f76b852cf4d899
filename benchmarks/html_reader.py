"""Article text from real news pages against the text Readability's maintainers accept.

For each page in shared/corpora/html/readability: token F1 of crosscount's article text
(headline and comments left out) against expected.html, whether the title and byline
match expected-metadata.json, and the comments found. The baseline, in the same run, is
all the text of the page's <body>.

usage: python benchmarks/html_reader.py [PAGES_DIR]
"""
from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path

from lxml import html

from crosscount.ingest import read_file

DEFAULT_PAGES = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "html" / "readability"
_TOKEN = re.compile(r"\w+")


def token_f1(found: str, expected: str) -> float:
    a, b = Counter(_TOKEN.findall(found.lower())), Counter(_TOKEN.findall(expected.lower()))
    overlap = sum((a & b).values())
    if not overlap:
        return 0.0
    precision, recall = overlap / sum(a.values()), overlap / sum(b.values())
    return 2 * precision * recall / (precision + recall)


def _norm(value: str | None) -> str:
    return " ".join(_TOKEN.findall((value or "").lower()))


def main() -> None:
    pages = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_PAGES
    rows = []
    for folder in sorted(p for p in pages.iterdir() if (p / "source.html").exists()):
        meta = json.loads((folder / "expected-metadata.json").read_text(encoding="utf-8"))
        expected = " ".join(html.fromstring((folder / "expected.html").read_text(encoding="utf-8")).itertext())
        source = (folder / "source.html").read_bytes()
        doc = read_file(folder / "source.html")
        article = doc.text[doc.headline.end if doc.headline else 0:doc.body_end]
        body = html.fromstring(source).find("body")
        whole = " ".join(body.itertext()) if body is not None else ""
        byline = meta.get("byline")
        rows.append({
            "page": folder.name, "f1": token_f1(article, expected), "baseline": token_f1(whole, expected),
            "title": _norm(doc.title) == _norm(meta.get("title")) or _norm(meta.get("title")) in _norm(doc.title),
            "byline": None if not byline else bool(doc.author) and (
                _norm(doc.author) in _norm(byline) or _norm(byline) in _norm(doc.author)),
            "comments": len(doc.comments),
        })
    print(f"{'page':32}{'F1':>7}{'body F1':>9}{'title':>7}{'byline':>8}{'comments':>10}")
    for row in rows:
        byline = "-" if row["byline"] is None else ("yes" if row["byline"] else "no")
        print(f"{row['page']:32}{row['f1']:>7.3f}{row['baseline']:>9.3f}"
              f"{'yes' if row['title'] else 'no':>7}{byline:>8}{row['comments']:>10}")
    mean = sum(r["f1"] for r in rows) / len(rows)
    baseline = sum(r["baseline"] for r in rows) / len(rows)
    titles = sum(r["title"] for r in rows)
    bylines = [r["byline"] for r in rows if r["byline"] is not None]
    print(f"{'mean':32}{mean:>7.3f}{baseline:>9.3f}{f'{titles}/{len(rows)}':>7}"
          f"{f'{sum(bylines)}/{len(bylines)}':>8}")


if __name__ == "__main__":
    main()
