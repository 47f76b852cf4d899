"""HTML pages: the article through trafilatura, the comment thread through our own XPaths.

trafilatura returns comments as one run of text; an analyst needs each comment with its
author, so comments are read from the common comment-system markup (WordPress, Disqus
exports, Kinja, generic `class="comment"` blocks). The XPaths are data, compiled once.
"""
from __future__ import annotations

import re
from datetime import date

import trafilatura
from lxml import etree, html as lxml_html

from ..dates import find_dateline
from ..registry import language
from ..settings import DEFAULT, Settings
from ..model import Comment, Document, Span
from .decode import UnreadableInput, clean_text

# A comment block is an element with a class word that names one ("comment",
# "comment-body", "epoch-single-comment"), not a form, counter, link or teaser list.
COMMENT_CANDIDATES = etree.XPath("//*[contains(@class, 'comment') or @itemprop='comment']")
COMMENT_CLASS = re.compile(r"(?:^|[-_])comment(?:[-_](?:body|item|entry|wrap|wrapper|container))?$")
NOT_COMMENT_CLASS = re.compile(r"form|reply|count|link|area|respond|notes|author|meta|content|text|"
                               r"subscri|title|list|section|avatar|date|action|login|policy")
COMMENT_AUTHOR = [etree.XPath(x) for x in (
    ".//*[contains(@class, 'comment-author')]//*[contains(@class, 'fn')]",
    ".//*[contains(@class, 'comment-author')]",
    ".//*[@itemprop='author']",
    ".//*[contains(@class, 'author')]",
    ".//*[contains(@class, 'username')]",
)]
COMMENT_TEXT = [etree.XPath(x) for x in (
    ".//*[contains(@class, 'comment-content')]",
    ".//*[contains(@class, 'comment-text')]",
    ".//*[@itemprop='text']",
    ".//*[contains(@class, 'comment-body')]",
)]
# Bylines where trafilatura finds none, most specific first.
BYLINE = [etree.XPath(x) for x in (
    "//meta[@property='og:article:author' or @name='author' or @property='article:author']/@content",
    "//*[contains(@class, 'byline')]//a[contains(@href, 'author') or @rel='author']",
    "//*[contains(@class, 'byline')]",
    "//*[@itemprop='author']//*[@itemprop='name']",
)]
_BY = re.compile(r"^\s*(?:by|par|von|por)\s+", re.IGNORECASE)
_SPACE = re.compile(r"[ \t\u00a0]+")
_COMMENT_UI = re.compile(r"^\W*(?:show|hide|view|load|post|leave|add|write)?\s*(?:comments?|discussion)\b",
                         re.IGNORECASE)
_AUTHOR_NOISE = re.compile(r"\s*(?:says|said|wrote)\s*:?\s*$", re.IGNORECASE)


def _text_of(node) -> str:
    return _SPACE.sub(" ", " ".join(node.itertext())).strip()


def _names_a_comment(node) -> bool:
    if node.get("itemprop") == "comment":
        return True
    return any(COMMENT_CLASS.search(word) and not NOT_COMMENT_CLASS.search(word)
               for word in (node.get("class") or "").split())


def _link_share(node) -> float:
    total = len(_text_of(node))
    linked = sum(len(_text_of(a)) for a in node.iter("a"))
    return linked / total if total else 1.0


def _first(node, xpaths):
    for xpath in xpaths:
        found = xpath(node)
        if found:
            return found[0]
    return None


def read_comments(tree) -> list[tuple[str | None, str]]:
    """(author, text) for each comment on the page, in page order."""
    blocks = [node for node in COMMENT_CANDIDATES(tree) if _names_a_comment(node)]
    # Where the page marks comment bodies, those are the comments; their wrappers repeat them.
    bodies = [node for node in blocks if "body" in (node.get("class") or "")]
    blocks = bodies or blocks
    comments = []
    for block in blocks:
        author_node = _first(block, COMMENT_AUTHOR)
        text_node = _first(block, COMMENT_TEXT)
        # Without a comment-text node, a block that is nearly all link text is a teaser
        # for an opinion piece (a "comment" section), not a reader's comment.
        if text_node is None and _link_share(block) > 0.8:
            continue
        text = _text_of(text_node if text_node is not None else block)
        author = _author_name(author_node) if author_node is not None else None
        if author and text.startswith(author):
            text = text[len(author):].lstrip(" :")
        # Labels and buttons ("Comment *", "Show Comments") are not comments.
        if len(text.split()) >= 4 and not _COMMENT_UI.match(text):
            comments.append((author or None, text))
    return comments


def _author_name(node) -> str | None:
    """The name on the first line of an author block, without "says:" or a date after it."""
    raw = "\n".join(t.strip() for t in node.itertext() if t.strip())
    name = _AUTHOR_NOISE.sub("", raw.split("\n")[0].split(" · ")[0]).strip()
    # A long "author" block is a profile box or a byline bar, not a commenter's name.
    return name if 0 < len(name) <= 60 else None


def read_byline(tree) -> str | None:
    """The page's byline from its metadata or byline markup, without "By"."""
    for xpath in BYLINE:
        for found in xpath(tree):
            value = found if isinstance(found, str) else _text_of(found)
            value = _BY.sub("", _SPACE.sub(" ", value)).strip(" |,")
            if value and "://" not in value and len(value) <= 80:
                return value
    return None


def read_html(page: str, doc_id: str, *, url: str | None = None, outlet: str | None = None,
              published: date | None = None, meta: dict | None = None,
              settings: Settings = DEFAULT) -> Document:
    """A Document from an HTML page: title, byline, date, site name, article, comments."""
    try:
        tree = lxml_html.fromstring(page)
    except (etree.ParserError, ValueError) as error:
        raise UnreadableInput("bad_html", str(error) or "no HTML elements") from error
    extracted = trafilatura.bare_extraction(
        tree, url=url, include_comments=False, include_tables=False, with_metadata=True,
        favor_recall=True,
    )
    # A few words ("Home") are a menu that fell through, not an article.
    if extracted is None or len((extracted.text or "").split()) < 3:
        raise UnreadableInput("no_article", "no article text found in the HTML page")
    title = (extracted.title or "").strip() or None
    body = clean_text(extracted.text).strip()
    comments = read_comments(tree)

    parts: list[str] = []
    headline = None
    if title and not body.startswith(title):
        headline = Span(0, len(title))
        parts.append(title)
    elif title:
        headline = Span(0, len(title))
    parts.append(body)
    text = "\n\n".join(parts)
    comment_spans = []
    for author, comment in comments:
        text += "\n\n"
        start = len(text)
        text += clean_text(comment)
        comment_spans.append(Comment(start, len(text), author))
    if published is None and extracted.date:
        published = _iso_date(extracted.date)
    if published is None:
        published = find_dateline(body[:300], language(settings).times)
    return Document(
        id=doc_id, text=text, title=title, published=published,
        outlet=outlet or extracted.sitename, url=url or extracted.url,
        author=_plausible_author(extracted.author) or read_byline(tree), headline=headline,
        comments=tuple(comment_spans),
        meta=meta or {},
    )


def _plausible_author(author: str | None) -> str | None:
    """trafilatura sometimes returns a form label ("Username") as the author."""
    if not author or author.strip().lower() in ("username", "admin", "author", "anonymous"):
        return None
    return author


def _iso_date(value: str) -> date | None:
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def looks_like_html(text: str) -> bool:
    head = text[:2048].lstrip().lower()
    return head.startswith(("<!doctype html", "<html", "<?xml")) or (
        "<body" in head or "<head" in head or "<div" in head or "<p>" in head)
