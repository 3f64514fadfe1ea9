"""Saved web pages: the article via trafilatura, metadata from the page, comments as comments."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING

from app.domain.segments import Segment, SegmentKind
from app.ingest import budget, patterns
from app.ingest.model import (
    MIN_WORDS,
    ImportedText,
    IngestError,
    article,
    first_line_title,
    normalise,
)
from app.ingest.text import BOMS, decode

if TYPE_CHECKING:
    from lxml.html import HtmlElement

_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([\w:.-]{2,40})""", re.I)
# Anywhere in the prelude: a browser's "saved from" comment may come before it.
_XML_DECLARATION = re.compile(r"<\?xml[^>]{0,200}\?>")
_PRELUDE = 4096
_SPACE = re.compile(r"\s+")
# Class names comment systems give a comment's text, its author and its date (WordPress,
# wpDiscuz, Drupal, BEM-style themes); matched per class token.
_TEXT_CLASS = re.compile(
    r"(?:wpd-)?comments?[-_]?(?:content|text|message|body-text)"
    r"|comments?__(?:text|content|body)",
    re.I,
)
_AUTHOR_CLASSES = (
    "fn", "wpd-comment-author", "comment-author-name", "comment__author", "author-name",
    "username", "user-name", "nickname", "comment-author", "author",
)  # most specific first: WordPress's "comment-author" holds "Name says:", its "fn" just the name
_DATE_CLASS = re.compile(
    r"(?:wpd-)?comments?[-_]?(?:date|time)|comments?__(?:date|time)|date|time", re.I
)
_META_CLASS = re.compile(r"comments?[-_]?(?:metadata|meta)|comments?__meta", re.I)
MAX_COMMENT_CHILDREN = 40
MAX_COMMENTS = 3000  # reader comments kept from one page; the heading says when there were more
# Above this many tags trafilatura takes longer than the import budget (measured on 2 cores:
# about 15,000 elements a second, and worse on bigger pages); such a page is read in one pass.
MAX_TAGS = 60_000
_HEAD_CHARS = 256 * 1024
# Not counted as tags: trafilatura drops these first, and a modern page inlines many of them.
_NOT_CONTENT = re.compile(r"<(script|style|svg)\b.*?</\1\s*>", re.S | re.I)
_FEED = 256 * 1024
_BLOCKS = ("p", "li", "blockquote", "pre", "h1", "h2", "h3", "h4", "h5", "h6")


@dataclass(frozen=True)
class _Comment:
    author: str
    date: str
    paragraphs: tuple[str, ...]


def markup_of(data: bytes, name: str, charset: str | None = None) -> str:
    """The page as text: a BOM, valid UTF-8, the server's charset, the page's <meta>, detection.

    Valid UTF-8 wins over a declared legacy charset: legacy text with accents or Cyrillic is
    almost never valid UTF-8 by chance, while pages re-saved as UTF-8 often keep their old
    <meta charset="windows-1251">.
    """
    if data.startswith(tuple(bom for bom, _ in BOMS)):
        return decode(data, name)
    if b"\x00" not in data[:8192]:
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            pass
    for candidate in (charset, _meta_charset(data)):
        if candidate:
            try:
                return data.decode(codecs.lookup(candidate).name)
            except (LookupError, UnicodeDecodeError):
                continue  # a page that lies about its charset is common; detection decides then
    return decode(data, name)


def _meta_charset(data: bytes) -> str | None:
    m = _META_CHARSET.search(data[:4096])
    return m.group(1).decode("ascii", "replace") if m else None


def from_html(markup: str, name: str, *, url: str = "") -> ImportedText:
    """The article of an HTML page, its title on the first line and its reader comments after it."""
    # lxml refuses a str that declares its encoding; the bytes were decoded already.
    markup = _XML_DECLARATION.sub("", markup[:_PRELUDE], count=1) + markup[_PRELUDE:]
    if markup.count("<") > MAX_TAGS and _NOT_CONTENT.sub("", markup).count("<") > MAX_TAGS:
        return _plain_page(markup, name, url, metadata=True)
    import trafilatura  # heavy; only HTML needs it

    extracted = trafilatura.bare_extraction(
        markup, url=url or None, with_metadata=True, include_comments=True, favor_recall=True
    )
    assert not isinstance(extracted, dict)  # a Document unless as_dict=True is asked for
    budget.check("finding the article in the page")
    # Pages with no article still yield their menu words ("Home"); that is not an article.
    if extracted is None or len((extracted.text or "").split()) < MIN_WORDS:
        return _plain_page(markup, name, url, metadata=False)
    body = normalise(extracted.text or "")
    title = " ".join((extracted.title or first_line_title(body, Path(name).stem)).split())[:500]
    comments = _comments(markup) or _bare_comments(extracted.comments or "")
    return _assemble(
        body, title, comments,
        source_url=_http(extracted.url) or url,
        outlet=extracted.sitename or "",
        author=extracted.author or "",
        published=_date(extracted.date),
    )


_BREAKS = re.compile(r"[^\S\n]*\n\s*")


def _assemble(
    body: str,
    title: str,
    comments: list[_Comment],
    *,
    source_url: str,
    outlet: str = "",
    author: str = "",
    published: date | None = None,
) -> ImportedText:
    """Title, article and comments as one text, with its segments and their languages.

    The page's paragraphs are kept one blank line apart, as a text file's are: the window and
    the reports then space them the same as the sample's.
    """
    body = _BREAKS.sub("\n\n", body.strip())
    if not _starts_with(body, title):
        body = f"{title}\n\n{body}"  # the headline is part of what the fact-checker reads and checks

    from app.ingest.structure import analyse

    segments = list(analyse(body, title=title, lang=False))
    text = body
    if comments and comments[0].paragraphs[0] not in body:
        text, more = _append_comments(body, comments)
        segments.extend(more)

    from app.ingest.language import tag

    return article(
        text,
        title,
        source_url=source_url,
        outlet=outlet,
        author=author,
        published=published,
        segments=tag(text, tuple(segments)),
    )


def _plain_page(markup: str, name: str, url: str, *, metadata: bool) -> ImportedText:
    """The page's visible text, paragraph by paragraph, and its comments, without trafilatura.

    For what trafilatura cannot read or would take minutes over. libxml2, under it, gives up on
    what browsers show: elements nested deeper than 256 levels, a text node over 10 MB (one long
    <p>); and trafilatura's cost grows faster than the page (a page of 100,000 paragraphs took
    40 s). The standard library's parser has no such limits and reads a page in one pass; it
    keeps the text of the body and leaves out scripts, styles, menus, headers, footers, forms
    and, when they were found, the comments, which follow the article as comments.
    With `metadata`, the page's <head> (within its first 256 KB) gives the title, author, date
    and outlet.
    """
    root = _parse(markup, huge=True)
    comments = _comments(root) if root is not None else []
    body = normalise("\n".join(_paragraphs_of(root, skip_comments=bool(comments)))) if root is not None else ""
    page_title = _title_of(root) if root is not None else ""
    if len(body.split()) < MIN_WORDS:  # lxml gave up (nesting past 2,048 levels): the slow parser
        reader = _TextReader(skip_comments=bool(comments))
        for at in range(0, len(markup), _FEED):
            budget.check("reading the page")
            reader.feed(markup[at : at + _FEED])
        reader.close()
        body = normalise("\n".join(reader.paragraphs()))
        page_title = reader.title
    if len(body.split()) < MIN_WORDS:
        raise IngestError(f"{name}: no article text found in this page.")
    found = None
    if metadata:
        from trafilatura import extract_metadata

        found = extract_metadata(markup[:_HEAD_CHARS], default_url=url or None)
    title = (found.title if found else "") or page_title or first_line_title(body, Path(name).stem)
    return _assemble(
        body, " ".join(title.split())[:500], comments,
        source_url=(_http(found.url) if found else "") or url,
        outlet=(found.sitename if found else "") or "",
        author=(found.author if found else "") or "",
        published=_date(found.date) if found else None,
    )


class _TextReader(HTMLParser):
    """Text by paragraph from any HTML, in one pass, with no limit on depth or length."""

    _SKIP = frozenset(("script", "style", "noscript", "template", "nav", "header", "footer", "aside",
                       "form", "select", "button", "svg", "iframe", "object", "head"))
    _BREAK = frozenset(("p", "div", "li", "br", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6",
                        "blockquote", "pre", "section", "article", "main", "dd", "dt", "figcaption",
                        "table", "ul", "ol", "hr", "body"))
    _VOID = frozenset(("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                       "param", "source", "track", "wbr"))

    def __init__(self, *, skip_comments: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.skip_comments = skip_comments
        self.skipping: str | None = None  # the element whose text is left out, until it closes
        self.depth = 0  # elements of that name open inside it
        self.in_title = False
        self.title = ""
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title":
            self.in_title = True
        if self.skipping is not None:
            self.depth += tag == self.skipping
            return
        if tag not in self._VOID and (tag in self._SKIP or (self.skip_comments and _commentish(attrs))):
            self.skipping, self.depth = tag, 1
        elif tag in self._BREAK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False
        if self.skipping is not None:
            if tag == self.skipping:
                self.depth -= 1
                if self.depth == 0:
                    self.skipping = None
            return
        if tag in self._BREAK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title += data
        elif self.skipping is None:
            self.parts.append(data)

    def paragraphs(self) -> list[str]:
        lines = (" ".join(line.split()) for line in "".join(self.parts).split("\n"))
        return [line for line in lines if line]


def _paragraphs_of(root: HtmlElement, *, skip_comments: bool) -> list[str]:
    """What _TextReader reads, from a parsed tree: the same rules, at lxml's speed."""
    from lxml import etree

    skip, breaks = _TextReader._SKIP, _TextReader._BREAK
    parts: list[str] = []
    depth = 0  # inside a left-out element: how deep
    for n, (event, element) in enumerate(etree.iterwalk(root, events=("start", "end"))):
        if not n % 65536:
            budget.check("reading the page")
        tag = element.tag if isinstance(element.tag, str) else ""
        if event == "start":
            if depth:
                depth += 1
            elif not tag or tag in skip or (skip_comments and _commentish(element.items())):
                depth = 1  # an HTML comment's text is not the page's either
            else:
                if tag in breaks:
                    parts.append("\n")
                if element.text:
                    parts.append(element.text)
            continue
        if depth:
            depth -= 1
            if depth:
                continue
        elif tag in breaks:
            parts.append("\n")
        if element.tail:
            parts.append(element.tail)
    lines = (" ".join(line.split()) for line in "".join(parts).split("\n"))
    return [line for line in lines if line]


def _title_of(root: HtmlElement) -> str:
    found = root.find(".//title")
    return (found.text_content() if found is not None else "") or ""


def _commentish(attrs: list[tuple[str, str | None]]) -> bool:
    return any(name in ("class", "id") and value and "comment" in value.lower() for name, value in attrs)


def _starts_with(body: str, title: str) -> bool:
    """Does the body open with the headline already? <title> and <h1> often differ by a tail."""
    first = " ".join(body.split("\n", 1)[0].split()).casefold()
    title = title.casefold()
    return not title or title in first or (len(first) >= 20 and first in title)


def _http(url: str | None) -> str:
    return url if url and url.startswith(("http://", "https://")) else ""


def _date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _append_comments(body: str, comments: list[_Comment]) -> tuple[str, list[Segment]]:
    """Body, a "Comments (n)" line, then each comment's author, date and paragraphs; and segments.

    The heading line is there so the stored text says where comments begin on its own: analyse()
    on the text alone finds the same comment section the importer knew from the page.
    """
    parts = [body, "\n\n"]
    pos = len(body) + 2
    segments: list[Segment] = []

    def line(
        value: str, kind: SegmentKind, author: str | None = None, when: str | None = None
    ) -> None:
        nonlocal pos
        segments.append(Segment(pos, pos + len(value), kind, author=author, date=when))
        parts.append(value + "\n")
        pos += len(value) + 1

    if len(comments) > MAX_COMMENTS:
        comments = comments[:MAX_COMMENTS]
        line(f"Comments ({MAX_COMMENTS})", SegmentKind.FURNITURE)  # a heading analyse() knows
        line(f"(The page has more; Claimdesk keeps the first {MAX_COMMENTS:,}.)", SegmentKind.FURNITURE)
    else:
        line(f"Comments ({len(comments)})", SegmentKind.FURNITURE)
    for comment in comments:
        parts.append("\n")
        pos += 1
        author, when = comment.author or None, comment.date or None
        if author:
            line(author, SegmentKind.FURNITURE, author=author)
        if when:
            line(when, SegmentKind.FURNITURE, when=when)
        for paragraph in comment.paragraphs:
            line(paragraph, SegmentKind.COMMENT, author=author, when=when)
    return "".join(parts).rstrip("\n"), segments


def _bare_comments(text: str) -> list[_Comment]:
    """trafilatura's comments: one a line, with no author or date, and without its own heading."""
    lines = (line.strip() for line in normalise(text).split("\n"))
    return [_Comment("", "", (line,)) for line in lines if line and not _widget(line)][: MAX_COMMENTS + 1]


def _widget(line: str) -> bool:
    return bool(patterns.OPENER.fullmatch(line) or patterns.FURNITURE.fullmatch(line))


def _parse(markup: str, *, huge: bool = False) -> HtmlElement | None:
    """The page as an lxml tree, or None; `huge` lifts libxml2's limits on depth and text size."""
    from lxml import etree
    from lxml import html as lxml_html

    parser = lxml_html.HTMLParser(huge_tree=True) if huge else None
    try:
        return lxml_html.fromstring(markup, parser=parser)
    except (etree.ParserError, ValueError):
        return None


def _comments(markup: str | HtmlElement) -> list[_Comment]:
    """Each comment's author, date and text, from the comment markup of common comment systems."""
    root = _parse(markup) if isinstance(markup, str) else markup
    if root is None:
        return []
    for junk in root.xpath("//script|//style|//noscript|//template"):
        junk.drop_tree()
    found: list[_Comment] = []
    # Only elements that can hold a comment's text, found by libxml2 (in document order): every
    # text class names a comment, else it is schema.org's itemprop. Testing each element of a
    # 100,000-paragraph page in Python took a second.
    candidates = root.xpath(
        "//*[contains(translate(@class, 'COMENT', 'coment'), 'comment') or @itemprop]"
    )
    for n, element in enumerate(candidates):
        if not n % 4096:
            budget.check("reading its comments")
        if not isinstance(element.tag, str) or not _is_text(element):
            continue
        if any(_is_text(a) for a in element.iterancestors()):
            continue  # a quoted comment inside a comment
        paragraphs = _paragraphs(element)
        if not paragraphs:
            continue
        author, when = _meta(element)
        found.append(_Comment(author, when, paragraphs))
        if len(found) > MAX_COMMENTS:
            break  # one more than kept, so the heading can say some were left out
    return found


def _classes(element: HtmlElement) -> list[str]:
    return (element.get("class") or "").split()


def _is_text(element: HtmlElement) -> bool:
    if element.get("itemprop") in ("text", "commentText") and any(
        "Comment" in (a.get("itemtype") or "") for a in element.iterancestors()
    ):
        return True
    return any(_TEXT_CLASS.fullmatch(c) for c in _classes(element))


def _paragraphs(element: HtmlElement) -> tuple[str, ...]:
    blocks = [b for b in element.iter(*_BLOCKS) if b is not element and _outermost(b, element)]
    texts = [_clean(b.text_content()) for b in blocks or [element]]
    return tuple(t for t in texts if t)


def _outermost(block: HtmlElement, root: HtmlElement) -> bool:
    """No paragraph-like element between block and root: a <p> in a <blockquote> is the quote's."""
    parent = block.getparent()
    while parent is not None and parent is not root:
        if parent.tag in _BLOCKS:
            return False
        parent = parent.getparent()
    return True


def _clean(text: str) -> str:
    return normalise(_SPACE.sub(" ", text).strip())


def _meta(text_element: HtmlElement) -> tuple[str, str]:
    """Author and date of the comment whose text this is: in the nearest enclosing element that has
    an author, before the text (so a reply's author is not taken for its parent's)."""
    container = text_element.getparent()
    for _ in range(4):
        # A container of many children is the list of all comments, not one comment: searching
        # it for each comment's author went quadratic (2,000 comments without authors: 48 s).
        if container is None or len(container) > MAX_COMMENT_CHILDREN:
            break
        before = _preceding(container, text_element)
        author = _author(before)
        if author:
            return author, _when(before)
        container = container.getparent()
    return "", ""


def _preceding(container: HtmlElement, stop: HtmlElement) -> list[HtmlElement]:
    out = []
    for element in container.iter():
        if element is stop:
            break
        if isinstance(element.tag, str):
            out.append(element)
    return out


def _author(elements: list[HtmlElement]) -> str:
    for wanted in _AUTHOR_CLASSES:
        for element in elements:
            itemprop = wanted == "author" and element.get("itemprop") == "author"
            if wanted in _classes(element) or itemprop:
                name = _clean(element.text_content())
                if m := patterns.SAYS.fullmatch(name):
                    name = m["name"]
                if name:
                    return name[:80]
    return ""


def _when(elements: list[HtmlElement]) -> str:
    """The comment's date as shown: a <time>, else an element classed as a date, else the meta."""
    for element in elements:
        if element.tag == "time":
            return _clean(element.text_content()) or element.get("datetime", "")
    for pattern in (_DATE_CLASS, _META_CLASS):
        for element in elements:
            if any(pattern.fullmatch(c) for c in _classes(element)):
                value = _clean(element.text_content())
                if value and len(value) <= 60:
                    return value
    return ""
