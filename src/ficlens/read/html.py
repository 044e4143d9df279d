"""Reading HTML: AO3 downloads, FanFicFare HTML output, and any other HTML page.

HTML is turned into text one *block* at a time (a paragraph, a heading, a list item…), and
`Work.text` is those blocks joined with a blank line ("\\n\\n"), so paragraphs stay visible to
everything downstream while the story's own characters (curly quotes, em dashes, non-breaking
spaces) are kept exactly as the markup had them.

What goes into `Work.text`, the same for every reader in this package (HTML, EPUB, FanFicFare):
headings and labels a reader sees between the parts -- the work title, the "by …" line,
"Summary", "Notes", chapter headings, "Chapter End Notes" -- are kept in `text` as blocks of
their own, but never inside a `Part`. Publisher boilerplate ("Posted originally on…", "Please
drop by the Archive and comment…"), the tag block and tables of contents are left out: they are
metadata, and end up in `Work.author_tags` / `Work.metadata` instead.

The block extraction and the text builder here are shared by `ao3`, `epub` and `fanficfare`.
"""

from __future__ import annotations

import logging
import re
import warnings
from dataclasses import dataclass, field
from typing import Iterable

from bs4 import BeautifulSoup, Comment, Declaration, Doctype, NavigableString, PageElement, ProcessingInstruction, Tag

from ..errors import UnreadableInput
from ..model import BODY, Part, Work

__all__ = ["read_html", "parse_markup", "blocks_of", "text_of", "TextBuilder"]

log = logging.getLogger(__name__)

# Elements that start a new block of text. Table cells count, so that a two-column metadata
# table never runs label and value together.
BLOCK_TAGS = frozenset(
    """address article aside blockquote body caption center dd details dialog div dl dt fieldset
    figcaption figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr html li main nav ol p pre
    section summary table tbody td tfoot th thead tr ul""".split()
)
# Elements whose content is never story text.
SKIP_TAGS = frozenset("script style head title noscript template svg math iframe object button select textarea".split())
_NON_TEXT = (Comment, Declaration, Doctype, ProcessingInstruction)

_LINE_BREAK = "\x00"  # stands for <br> while a block is collected; never survives into text
_HTML_SPACE = re.compile(r"[ \t\n\r\f\v]+")
# C0 controls other than whitespace are not text in any HTML; they come from binary junk.
_CONTROL = re.compile(r"[\x01-\x08\x0e-\x1f\x7f]")


def parse_markup(data: bytes | str) -> BeautifulSoup:
    """Parse (X)HTML leniently: real downloads are often not well-formed."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # bs4's "looks like a URL/filename" hints are noise here
        try:
            return BeautifulSoup(data, "lxml")
        except Exception as exc:  # lxml gives up on some binary garbage
            raise UnreadableInput(f"malformed HTML: {exc}") from None


def _finish_block(pieces: list[str]) -> str | None:
    raw = _CONTROL.sub("", "".join(pieces))
    pieces.clear()
    lines = [_HTML_SPACE.sub(" ", line).strip(" ") for line in raw.split(_LINE_BREAK)]
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    block = "\n".join(lines)
    return block if block.strip() else None


def _collect(nodes: Iterable[PageElement], blocks: list[str], pieces: list[str], in_pre: bool) -> None:
    """Walk sibling nodes, closing a block at every block element.

    One walk serves an element's children and a caller's run of siblings (a chapter lying
    between two anchors) alike, so that both are read by the same rules.
    """
    for child in nodes:
        if isinstance(child, NavigableString):
            if isinstance(child, _NON_TEXT):
                continue
            text = str(child)
            pieces.append(text.replace("\n", _LINE_BREAK) if in_pre else text)
            continue
        if not isinstance(child, Tag):
            continue
        name = (child.name or "").lower()
        if name in SKIP_TAGS:
            continue
        if name == "br":
            pieces.append(_LINE_BREAK)
        elif name in BLOCK_TAGS:
            _flush(blocks, pieces)
            _collect(child.children, blocks, pieces, in_pre or name == "pre")
            _flush(blocks, pieces)
        else:
            _collect(child.children, blocks, pieces, in_pre)


def _flush(blocks: list[str], pieces: list[str]) -> None:
    block = _finish_block(pieces)
    if block is not None:
        blocks.append(block)


def blocks_of(node: Tag | Iterable[PageElement] | None) -> list[str]:
    """The visible text of `node` (or of several sibling nodes) as paragraphs."""
    if node is None:
        return []
    blocks: list[str] = []
    pieces: list[str] = []
    if isinstance(node, Tag):
        if (node.name or "").lower() in SKIP_TAGS:
            return []
        _collect(node.children, blocks, pieces, (node.name or "").lower() == "pre")
    else:
        _collect(node, blocks, pieces, False)  # several siblings, read in place without moving them
    _flush(blocks, pieces)
    return blocks


def text_of(node: Tag | NavigableString | None) -> str:
    """The text of `node` on one line, for labels, titles and tag names."""
    if node is None:
        return ""
    if isinstance(node, NavigableString):
        return _HTML_SPACE.sub(" ", str(node)).strip()
    return " ".join(" ".join(block.split("\n")) for block in blocks_of(node)).strip()


def class_list(node: Tag) -> list[str]:
    """The `class` attribute as a list (BeautifulSoup gives a list, or a string for some parsers)."""
    value = node.get("class")
    if not value:
        return []
    return value.split() if isinstance(value, str) else list(value)


def has_class(node: Tag, *names: str) -> bool:
    classes = class_list(node)
    return all(name in classes for name in names)


@dataclass
class TextBuilder:
    """Builds `Work.text` block by block and records exact part offsets while doing so."""

    chunks: list[str] = field(default_factory=list)
    parts: list[Part] = field(default_factory=list)
    length: int = 0

    def add_block(self, block: str) -> tuple[int, int]:
        if self.chunks:
            self.chunks.append("\n\n")
            self.length += 2
        start = self.length
        self.chunks.append(block)
        self.length += len(block)
        return start, self.length

    def add_text(self, blocks: Iterable[str]) -> None:
        """Blocks that belong to no part (headings, labels)."""
        for block in blocks:
            self.add_block(block)

    def add_part(
        self, kind: str, blocks: list[str], *, title: str | None = None, chapter: int | None = None
    ) -> Part | None:
        if not blocks:
            return None
        spans = [self.add_block(block) for block in blocks]
        part = Part(kind=kind, start=spans[0][0], end=spans[-1][1], title=title, chapter=chapter)
        self.parts.append(part)
        return part

    @property
    def text(self) -> str:
        return "".join(self.chunks)


def no_text_error(what: str) -> UnreadableInput:
    return UnreadableInput(f"no readable text in this {what}")


def has_words(blocks: Iterable[str]) -> bool:
    """Whether there is any letter or digit at all: punctuation and U+FFFD alone are no work."""
    return any(ch.isalnum() for block in blocks for ch in block)


def generic_work(soup: BeautifulSoup, *, source: str, work_id: str) -> Work:
    """Any HTML page: the visible text of <body>, every block a paragraph, all of it one body part."""
    root = soup.body or soup
    blocks = blocks_of(root)
    if not has_words(blocks):
        raise no_text_error("HTML")
    builder = TextBuilder()
    builder.add_part(BODY, blocks, chapter=1)
    title_tag = soup.find("title")
    title = " ".join(title_tag.get_text().split()) or None if title_tag is not None else None
    lang = None
    html_tag = soup.find("html")
    if html_tag is not None and html_tag.get("lang"):
        lang = str(html_tag.get("lang"))
    return Work(
        id=work_id, text=builder.text, parts=builder.parts, source=source, format="html", title=title, language=lang
    )


def read_html(data: bytes, *, source: str, work_id: str) -> Work:
    """One work from an HTML file: an AO3 download, FanFicFare output, or any page."""
    from . import ao3, fanficfare

    if not data or not data.strip():
        raise UnreadableInput("empty HTML file")
    soup = parse_markup(data)
    if ao3.looks_like_ao3(soup):
        log.debug("%s: AO3 download layout", source)
        return ao3.ao3_work(soup, source=source, work_id=work_id, fmt="ao3-html")
    if fanficfare.looks_like_fanficfare_html(soup):
        log.debug("%s: FanFicFare HTML layout", source)
        return fanficfare.fanficfare_html_work(soup, source=source, work_id=work_id)
    return generic_work(soup, source=source, work_id=work_id)
