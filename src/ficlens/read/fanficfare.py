"""FanFicFare output: TXT, HTML and EPUB files, and the `--json-meta` sidecar.

FanFicFare (FFF) writes every format from the same pieces (its `writers/` and `defaults.ini`):

* a title page of `Label: value` entries, labels from `defaults.ini` (`category_label:Category`,
  `ships_label:Relationships`, `description_label:Summary`…) -- a `<table class="full">` in HTML,
  `<b>Label:</b> value<br />` (or the same table) on `OEBPS/title_page.xhtml` in EPUB, plain
  `Label: value` lines in TXT;
* chapters: `<a name="section0001"><h2>Title</h2></a>` in HTML, `OEBPS/file0001.xhtml` with
  `<h3 class="fff_chapter_title">` in EPUB, a tab-indented title line in TXT;
* for AO3 and many other sites, notes inside the chapter: `div.fff_chapter_notes.fff_head_notes`
  / `.fff_foot_notes` holding `<b>Label:</b>` + `<blockquote>` pairs ("Author's Note:" for the
  work's own notes on the first/last chapter, "Summary for the Chapter:", "Notes for the
  Chapter:").

Every reader here first turns the title page into FFF's own metadata keys (`ships`,
`freeformtags`, `datePublished`…) and then fills the `Work` through `apply_json_meta`, so the
title page and the `--json-meta` sidecar are interpreted by one mapping.

A TXT file keeps its text verbatim (offsets point into the file as decoded), so there the
labels stay in `text` between parts, just as the HTML and EPUB readers keep them as blocks of
their own outside every part.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from typing import Any, Iterable, TypeGuard

from bs4 import BeautifulSoup, PageElement, Tag

from ..errors import UnreadableInput
from ..model import BODY, END_NOTES, NOTES, SUMMARY, AuthorTags, Part, Work
from .html import TextBuilder, blocks_of, class_list, has_class, parse_markup, text_of

__all__ = [
    "looks_like_fanficfare_text",
    "parse_fanficfare_text",
    "load_json_meta",
    "apply_json_meta",
    "looks_like_fanficfare_html",
    "fanficfare_html_work",
    "fanficfare_epub_work",
    "EpubDocument",
]

# Title-page labels (defaults.ini `<key>_label`, plus AO3-flavoured customisations users
# commonly configure) → FFF metadata key.
LABEL_KEYS = {
    "title": "title",
    "story url": "storyUrl",
    "summary": "description",
    "author": "author",
    "author url": "authorUrl",
    "category": "category",
    "genre": "genre",
    "language": "language",
    "characters": "characters",
    "relationships": "ships",
    "series": "series",
    "series url": "seriesUrl",
    "status": "status",
    "published": "datePublished",
    "updated": "dateUpdated",
    "packaged": "dateCreated",
    "rating": "rating",
    "warnings": "warnings",
    "archive warning": "warnings",
    "archive warnings": "warnings",
    "chapters": "numChapters",
    "words": "numWords",
    "publisher": "publisher",
    "site abbrev": "siteabbrev",
    "story id": "storyId",
    "author id": "authorId",
    "extra tags": "extratags",
    "downloader version": "version",
    "fandoms": "fandoms",
    "freeform tags": "freeformtags",
    "additional tags": "freeformtags",
    "ao3 categories": "ao3categories",
    "comments": "comments",
    "chapters/total chapters": "chapterslashtotal",
    "total chapters": "chapterstotal",
    "kudos": "kudos",
    "hits": "hits",
    "collections": "collections",
    "bookmarks": "bookmarks",
    "additional series": "series01",
}

# AO3's fixed category tags: FFF files them under `ao3categories`, and on AO3 also mixes them
# into `genre`; on other sites `category` usually holds the fandom.
AO3_CATEGORIES = ("F/F", "F/M", "Gen", "M/M", "Multi", "Other")
# FFF's `extratags` default (defaults.ini `extratags: FanFiction`): a packaging setting, not a
# tag the author chose.
_FFF_DEFAULT_EXTRATAGS = {"FanFiction"}

_SERIES_INDEX = re.compile(r"^(.*?)\s*\[(\d+(?:\.\d+)?)\]\s*$")


# ---------------------------------------------------------------- metadata (json-meta, title page)


def load_json_meta(data: bytes) -> dict[str, Any]:
    """The metadata dict of a FanFicFare `--json-meta` file."""
    try:
        meta = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise UnreadableInput(f"not a FanFicFare JSON metadata file: {exc}") from None
    if not isinstance(meta, dict):
        raise UnreadableInput("not a FanFicFare JSON metadata file: expected a JSON object")
    return meta


def _text(value: Any) -> str | None:
    if value is None or isinstance(value, (dict,)):
        return None
    if isinstance(value, (list, tuple)):
        value = ", ".join(str(v) for v in value if v not in (None, ""))
    text = str(value).strip()
    return text or None


def _list(value: Any) -> list[str]:
    """FFF joins list metadata with ", " in `getAllMetadata()`; newer files may keep lists."""
    if value is None or isinstance(value, (dict, bool)):
        return []
    items = value if isinstance(value, (list, tuple)) else str(value).split(",")
    out: list[str] = []
    for item in items:
        text = str(item).strip()
        if text and text not in out:
            out.append(text)
    return out


def _series_entries(meta: dict[str, Any]) -> list[dict[str, str]]:
    keyed = [meta.get(f"series{i:02d}") for i in range(4)]
    values = [v for v in keyed if _text(v)] or ([meta["series"]] if _text(meta.get("series")) else [])
    entries = []
    for value in values:
        text = _text(value) or ""
        match = _SERIES_INDEX.match(text)
        entry = {"title": match.group(1)} if match else {"title": text}
        if match:
            entry["position"] = match.group(2)
        if entry["title"]:
            entries.append(entry)
    return entries


_STAT_KEYS = {  # FFF key → stats / metadata key
    "datePublished": "published",
    "dateUpdated": "updated",
    "numWords": "words",
    "kudos": "kudos",
    "hits": "hits",
    "comments": "comments",
    "bookmarks": "bookmarks",
    "status": "status",
}
_OTHER_METADATA_KEYS = {
    "storyUrl": "url",
    "dateCreated": "packaged",
    "storyId": "story_id",
    "site": "site",
    "publisher": "site",
}


def apply_json_meta(work: Work, meta: dict[str, Any]) -> Work:
    """`work` with the facts of FFF metadata (`--json-meta` or a title page) filled in.

    The sidecar speaks for the site, so where it has a value it wins; where it lacks one, what
    was read from the story file is kept. `work` itself is not changed.
    """
    old = work.author_tags
    tags = AuthorTags(
        rating=old.rating,
        warnings=list(old.warnings),
        categories=list(old.categories),
        fandoms=list(old.fandoms),
        relationships=list(old.relationships),
        characters=list(old.characters),
        additional=list(old.additional),
        language=old.language,
        series=list(old.series),
        collections=list(old.collections),
        stats=dict(old.stats),
    )
    metadata = dict(work.metadata)

    category = _list(meta.get("category"))
    genre = _list(meta.get("genre"))
    categories = (
        _list(meta.get("ao3categories"))
        + [c for c in category if c in AO3_CATEGORIES]
        + [g for g in genre if g in AO3_CATEGORIES]
    )
    fandoms = _list(meta.get("fandoms")) or [c for c in category if c not in AO3_CATEGORIES]
    additional: list[str] = []
    for key in ("freeformtags", "freefromtags", "genre", "extratags"):
        for tag in _list(meta.get(key)):
            if tag in categories or tag in _FFF_DEFAULT_EXTRATAGS or tag in additional:
                continue
            additional.append(tag)

    def unique(values: Iterable[str]) -> list[str]:
        return list(dict.fromkeys(values))

    tags.rating = _text(meta.get("rating")) or tags.rating
    tags.warnings = _list(meta.get("warnings")) or tags.warnings
    tags.categories = unique(categories) or tags.categories
    tags.fandoms = fandoms or tags.fandoms
    tags.relationships = _list(meta.get("ships")) or tags.relationships
    tags.characters = _list(meta.get("characters")) or tags.characters
    tags.additional = additional or tags.additional
    tags.language = _text(meta.get("language")) or tags.language
    tags.collections = _list(meta.get("collections")) or tags.collections
    series = _series_entries(meta)
    if series:
        tags.series = [entry["title"] for entry in series]
        metadata["series"] = series
        if "position" in series[0]:
            metadata["series_position"] = series[0]["position"]

    for key, name in _STAT_KEYS.items():
        value = _text(meta.get(key))
        if value:
            tags.stats[name] = value
            metadata[name] = value
    chapters = _text(meta.get("chapterslashtotal")) or _text(meta.get("numChapters"))
    if chapters:
        tags.stats["chapters"] = chapters
        metadata["chapters"] = chapters
    for key, name in _OTHER_METADATA_KEYS.items():
        value = _text(meta.get(key))
        if value:
            metadata[name] = value
    description = _text(meta.get("description"))
    if description and not any(p.kind == SUMMARY and p.chapter is None for p in work.parts):
        summary = "\n\n".join(blocks_of(parse_markup(description).body or parse_markup(description)))
        if summary:
            metadata["summary"] = summary

    return replace(
        work,
        title=_text(meta.get("title")) or work.title,
        authors=_list(meta.get("author")) or list(work.authors),
        language=_text(meta.get("language")) or work.language,
        author_tags=tags,
        metadata=metadata,
    )


def _meta_key(label: str) -> str:
    key = re.sub(r"\s+", " ", label).strip().rstrip(":").strip()
    return LABEL_KEYS.get(key.casefold(), key)


# ------------------------------------------------------------------------- HTML and EPUB markup


@dataclass
class _Entry:
    label: str
    nodes: list[PageElement]  # the value's nodes (Tags and strings), in order


def _title_page_entries(container: Tag, stop: Tag | None = None) -> list[_Entry]:
    """`Label: value` entries of an FFF title page, table or `<b>`/`<br />` form."""
    entries: list[_Entry] = []
    table = container.find("table")
    if table is not None and (stop is None or _precedes(table, stop)):
        for row in table.find_all("tr"):
            cells = row.find_all(["td", "th"])
            if not cells:
                continue
            bold = cells[0].find("b")
            if bold is None or not text_of(bold).endswith(":"):
                continue  # an entry without a label ("no title" entries) carries no metadata
            if len(cells) >= 2:
                nodes = list(cells[1].contents)
            else:  # a wide entry: label and value share one cell
                nodes = list(bold.next_siblings)
            entries.append(_Entry(text_of(bold), nodes))
        return entries
    holder = container.find("div") or container
    current: _Entry | None = None
    for child in list(holder.children):
        if stop is not None and child is stop:
            break
        if isinstance(child, Tag) and child.name in ("b", "strong") and text_of(child).endswith(":"):
            current = _Entry(text_of(child), [])
            entries.append(current)
        elif isinstance(child, Tag) and child.name == "br":
            current = None
        elif current is not None:
            current.nodes.append(child)
    return entries


def _precedes(a: Tag, b: Tag) -> bool:
    return any(node is b for node in a.find_all_next())


def _entry_value(entry: _Entry) -> str:
    return " ".join(" ".join(b.split("\n")) for b in blocks_of(entry.nodes)).strip()


def _title_page(entries: list[_Entry]) -> tuple[dict[str, Any], list[str], str | None]:
    """(FFF metadata, summary blocks, summary label) from title-page entries."""
    meta: dict[str, str] = {}
    summary: list[str] = []
    summary_label = None
    for entry in entries:
        key = _meta_key(entry.label)
        if key == "description":
            summary = blocks_of(entry.nodes)
            summary_label = entry.label
        else:
            value = _entry_value(entry)
            if value:
                meta[key] = value
    return meta, summary, summary_label


def _heading_facts(heading: Tag | None) -> tuple[str | None, list[str], str | None]:
    """Title, authors and story URL from FFF's `<h1>/<h3><a>Title</a> by <a>Author</a>`."""
    if heading is None:
        return None, [], None
    links = heading.find_all("a")
    if not links:
        text = text_of(heading)
        named, _, by = text.partition(" by ")
        return named.strip() or None, [a.strip() for a in by.split(",") if a.strip()], None
    title = text_of(links[0]) or None
    url = links[0].get("href")
    authors = [text_of(a) for a in links[1:] if text_of(a)]
    return title, authors, str(url) if url else None


@dataclass
class _Chapter:
    title: str | None
    nodes: list[PageElement]


_NOTE_LABEL_KINDS = {
    "summary for the chapter": SUMMARY,
    "chapter summary": SUMMARY,
    "description": SUMMARY,
    "notes for the chapter": None,  # head → notes, foot → end notes
    "author's note": None,
}


def _notes_sections(
    div: Tag, *, head: bool, chapter: int, chapters: int
) -> list[tuple[str | None, list[str], int | None]]:
    """(kind, blocks, chapter) triples from one `div.fff_chapter_notes`; kind None = a label."""
    out: list[tuple[str | None, list[str], int | None]] = []
    label: str | None = None
    nodes: list[PageElement] = []

    def flush() -> None:
        blocks = blocks_of(nodes)
        if not blocks:
            return
        key = (label or "").rstrip(":").strip().casefold().replace("\u2019", "'")
        kind = _NOTE_LABEL_KINDS.get(key) or (NOTES if head else END_NOTES)
        owner: int | None = chapter
        if key == "author's note" and ((head and chapter == 1) or (not head and chapter == chapters)):
            owner = None  # FFF puts the work's own notes on the first and last chapter
        if label:
            out.append((None, [label], None))
        out.append((kind, blocks, owner))

    for child in div.children:
        if isinstance(child, Tag) and child.name in ("b", "strong") and text_of(child).endswith(":"):
            flush()
            label, nodes = text_of(child), []
        elif isinstance(child, Tag) and child.name == "hr":
            continue
        else:
            nodes.append(child)
    flush()
    return out


def _chapter_sections(
    nodes: list[PageElement], chapter: int, chapters: int, title: str | None, builder: TextBuilder
) -> None:
    """Add one chapter's notes and body, in document order, to `builder`."""
    pending_body: list[PageElement] = []
    seen_body = False

    def flush_body() -> None:
        nonlocal pending_body, seen_body
        blocks = blocks_of(pending_body)
        pending_body = []
        if blocks:
            builder.add_part(BODY, blocks, title=title, chapter=chapter)
            seen_body = True

    def visit(items: list[PageElement]) -> None:
        for node in items:
            if isinstance(node, Tag) and has_class(node, "fff_chapter_notes"):
                head = has_class(node, "fff_head_notes") or (
                    not has_class(node, "fff_foot_notes") and not seen_body and not blocks_of(pending_body)
                )
                sections = _notes_sections(node, head=head, chapter=chapter, chapters=chapters)
                if not sections:
                    continue  # FFF leaves empty notes divs behind; they must not split the body
                flush_body()
                for kind, blocks, owner in sections:
                    if kind is None:
                        builder.add_text(blocks)
                    else:
                        builder.add_part(kind, blocks, chapter=owner)
            elif isinstance(node, Tag) and node.find(class_="fff_chapter_notes") is not None:
                visit(list(node.children))
            else:
                pending_body.append(node)

    visit(nodes)
    flush_body()


def _build_work(
    *,
    source: str,
    work_id: str,
    fmt: str,
    title: str | None,
    authors: list[str],
    url: str | None,
    meta: dict[str, Any],
    summary: list[str],
    summary_label: str | None,
    chapters: list[_Chapter],
) -> Work:
    builder = TextBuilder()
    builder.add_text([t for t in (title, f"by {', '.join(authors)}" if authors else None) if t])
    if summary:
        builder.add_text([summary_label or "Summary:"])
        builder.add_part(SUMMARY, summary)
    for number, chapter in enumerate(chapters, start=1):
        if chapter.title:
            builder.add_text([chapter.title])
        _chapter_sections(chapter.nodes, number, len(chapters), chapter.title, builder)
    if not any(p.kind == BODY for p in builder.parts):
        raise UnreadableInput("FanFicFare file without any chapter text")
    work = Work(
        id=work_id,
        text=builder.text,
        parts=builder.parts,
        source=source,
        format=fmt,
        title=title,
        authors=authors,
        metadata={"url": url} if url else {},
    )
    return apply_json_meta(work, meta)


_SECTION_ANCHOR = re.compile(r"^section\d+$")


def _is_section_anchor(node: Any) -> TypeGuard[Tag]:
    return (
        isinstance(node, Tag)
        and node.name == "a"
        and bool(_SECTION_ANCHOR.match(str(node.get("name") or node.get("id") or "")))
    )


def looks_like_fanficfare_html(soup: BeautifulSoup) -> bool:
    if soup.find(_is_section_anchor) is not None:
        return True
    if soup.find("a", attrs={"name": "TOCTOP"}) is not None:
        return True
    return soup.find(class_="fff_chapter_notes") is not None and soup.find("table", class_="full") is not None


def fanficfare_html_work(soup: BeautifulSoup, *, source: str, work_id: str) -> Work:
    """FFF's HTML writer: h1, title-page table, TOC, then `<a name="sectionNNNN">` chapters."""
    body = soup.body or soup
    first_anchor = body.find(_is_section_anchor)
    title, authors, url = _heading_facts(body.find("h1"))
    meta, summary, summary_label = _title_page(_title_page_entries(body, stop=first_anchor))

    chapters: list[_Chapter] = []
    current: _Chapter | None = None
    # Everything before the first section anchor is title page and TOC; walk the document from
    # there on, at whatever depth the anchors sit.
    container = (first_anchor.parent if first_anchor is not None else None) or body
    headings_outside_anchor: list[Tag] = []  # when the parser closed <a> before its <h2>
    for node in list(container.children):
        if _is_section_anchor(node):
            heading = text_of(node)
            if not heading:
                nxt = node.find_next_sibling(True)
                if nxt is not None and nxt.name in ("h1", "h2", "h3"):
                    heading = text_of(nxt)
                    headings_outside_anchor.append(nxt)
            current = _Chapter(heading or None, [])
            chapters.append(current)
        elif current is not None and not any(node is h for h in headings_outside_anchor):
            current.nodes.append(node)
    if not chapters:
        raise UnreadableInput("FanFicFare HTML without chapters")
    return _build_work(
        source=source,
        work_id=work_id,
        fmt="fanficfare-html",
        title=title,
        authors=authors,
        url=url,
        meta=meta,
        summary=summary,
        summary_label=summary_label,
        chapters=chapters,
    )


@dataclass
class EpubDocument:
    """One spine document of an EPUB: its path in the zip and its parsed markup."""

    href: str
    soup: BeautifulSoup


def _body_classes(doc: EpubDocument) -> list[str]:
    return class_list(doc.soup.body) if doc.soup.body is not None else []


def is_fanficfare_epub(docs: list[EpubDocument], opf_meta: dict[str, Any]) -> bool:
    if any("FanFicFare" in c for c in opf_meta.get("contributors", [])):
        return True
    if any(str(i).startswith("fanficfare-uid") for i in opf_meta.get("identifiers", [])):
        return True
    return any(c.startswith("fff_") for doc in docs for c in _body_classes(doc))


def fanficfare_epub_work(docs: list[EpubDocument], opf_meta: dict[str, Any], *, source: str, work_id: str) -> Work:
    """FFF's EPUB writer: title_page.xhtml (+ toc/log pages), then one file per chapter."""
    title = _text(opf_meta.get("title"))
    authors = list(opf_meta.get("creators", []))
    url = _text(opf_meta.get("source"))
    meta: dict[str, Any] = {}
    summary: list[str] = []
    summary_label = None
    chapters: list[_Chapter] = []
    for doc in docs:
        classes = _body_classes(doc)
        name = doc.href.rsplit("/", 1)[-1].lower()
        body = doc.soup.body or doc.soup
        if "fff_titlepage" in classes or name.startswith("title_page"):
            page_title, page_authors, page_url = _heading_facts(body.find(["h3", "h1", "h2"]))
            title, authors, url = page_title or title, page_authors or authors, page_url or url
            meta, summary, summary_label = _title_page(_title_page_entries(body))
        elif any(c in classes for c in ("fff_tocpage", "fff_logpage", "fff_coverpage")) or name.startswith(
            ("toc_page", "log_page", "cover")
        ):
            continue
        else:
            heading = body.find(class_="fff_chapter_title") or body.find(["h3", "h2", "h1"])
            meta_title = doc.soup.find("meta", attrs={"name": "chaptertitle"})
            chapter_title = text_of(heading) or (str(meta_title.get("content")) if meta_title else None)
            nodes = [n for n in body.children if n is not heading]
            chapters.append(_Chapter(chapter_title or None, nodes))
    if not chapters:
        raise UnreadableInput("FanFicFare EPUB without chapters")
    if not summary and opf_meta.get("description"):
        description = parse_markup(opf_meta["description"])
        summary = blocks_of(description.body or description)
    work = _build_work(
        source=source,
        work_id=work_id,
        fmt="fanficfare-epub",
        title=title,
        authors=authors,
        url=url,
        meta={k: v for k, v in meta.items() if v},
        summary=summary,
        summary_label=summary_label,
        chapters=chapters,
    )
    if work.language is None and opf_meta.get("language"):
        work.language = opf_meta["language"]
    for event, key in (("publication", "published"), ("modification", "updated")):
        date = opf_meta.get("dates", {}).get(event)
        if date and key not in work.metadata:
            work.metadata[key] = date
    return work


# ------------------------------------------------------------------------------------------- TXT

_LINE = re.compile(r"[^\n]*\n?")
_ENTRY = re.compile(r"^([A-Za-z][A-Za-z0-9 /'’.()-]{0,40}): (.*)$")
_TXT_HEADING = re.compile(r"^(?:\t| {4,})(\S.{0,200})$")
_BOLD_LABEL = re.compile(r"^\*\*(.+?:)\*\*\s*$")
_KNOWN_TXT_LABELS = {label for label in LABEL_KEYS}


@dataclass
class _Line:
    start: int
    end: int  # end of content, without the line break
    text: str

    @property
    def blank(self) -> bool:
        return not self.text.strip()


def _lines(text: str) -> list[_Line]:
    lines = []
    for match in _LINE.finditer(text):
        if match.start() == match.end():
            break
        raw = match.group(0)
        content = raw.rstrip("\n").rstrip("\r")
        lines.append(_Line(match.start(), match.start() + len(content), content))
    return lines


def _heading_indices(lines: list[_Line], first: int) -> list[int]:
    found = []
    for i in range(first, len(lines)):
        line = lines[i]
        if not _TXT_HEADING.match(line.text):
            continue
        before_blank = i > 0 and lines[i - 1].blank
        after_blank = i + 1 >= len(lines) or lines[i + 1].blank
        if before_blank and after_blank:
            found.append(i)
    return found


def looks_like_fanficfare_text(text: str) -> bool:
    """FFF's TXT layout: title, "by Author", `Label: value` lines, tab-indented chapter titles."""
    head = text[:20000]
    nonblank = [line.strip() for line in head.splitlines() if line.strip()]
    if len(nonblank) < 4 or not nonblank[1].startswith("by "):
        return False
    labels = 0
    for line in nonblank[2:60]:
        match = _ENTRY.match(line)
        if match and match.group(1).casefold() in _KNOWN_TXT_LABELS:
            labels += 1
    if labels < 2:
        return False
    ends_like_fff = text.rstrip().endswith("End file.")
    return ends_like_fff or bool(_heading_indices(_lines(head), 2))


def _paragraphs(lines: list[_Line], lo: int, hi: int) -> list[tuple[int, int]]:
    """Line-index ranges [i, j) of the non-blank runs between lines lo and hi."""
    runs = []
    i = lo
    while i < hi:
        if lines[i].blank:
            i += 1
            continue
        j = i
        while j < hi and not lines[j].blank:
            j += 1
        runs.append((i, j))
        i = j
    return runs


def _span(lines: list[_Line], first: int, last: int) -> tuple[int, int]:
    return lines[first].start, lines[last - 1].end


def _trim_markup(text: str, start: int, end: int) -> tuple[int, int]:
    """Leave HTML tags at the edges of a title-page summary out of its span."""
    while True:
        segment = text[start:end]
        lead = re.match(r"\s*<[^<>]{1,200}>\s*", segment)
        trail = re.search(r"\s*<[^<>]{1,200}>\s*$", segment)
        if lead and lead.end() < len(segment):
            start += lead.end()
        elif trail and trail.start() > 0:
            end = start + trail.start()
        else:
            return start, end


def _txt_notes(
    lines: list[_Line], runs: list[tuple[int, int]], at_head: bool
) -> tuple[list[tuple[str, int, int]], list[tuple[int, int]]]:
    """Split FFF note blocks (`**Label:**` + `> quoted` paragraphs) off one end of a chapter.

    html2text renders FFF's `<b>Label:</b><blockquote>…</blockquote>` notes that way. Returns
    ([(label, first_quoted_run, end_run)], the runs left), indices into `runs`.
    """
    notes = []
    if at_head:
        i = 0
        while i < len(runs) and (label := _BOLD_LABEL.match(lines[runs[i][0]].text)):
            j = i + 1
            while j < len(runs) and lines[runs[j][0]].text.lstrip().startswith(">"):
                j += 1
            if j == i + 1:
                break
            notes.append((label.group(1), i + 1, j))
            i = j
        return notes, runs[i:]
    end = len(runs)
    while end > 0:
        j = end
        while j > 0 and lines[runs[j - 1][0]].text.lstrip().startswith(">"):
            j -= 1
        if j == end or j == 0 or not (label := _BOLD_LABEL.match(lines[runs[j - 1][0]].text)):
            break
        notes.insert(0, (label.group(1), j, end))
        end = j - 1
    return notes, runs[:end]


def parse_fanficfare_text(text: str, *, source: str, work_id: str) -> Work:
    """A `Work` from FFF's TXT output; `text` is kept as it is and parts point into it."""
    lines = _lines(text)
    content = [i for i, line in enumerate(lines) if not line.blank]
    if len(content) < 2:
        raise UnreadableInput("not a FanFicFare text file: no title and byline")
    title = lines[content[0]].text.strip()
    by_line = lines[content[1]].text.strip()
    authors = [a.strip() for a in re.sub(r"^by\s+", "", by_line).split(",") if a.strip()]

    headings = _heading_indices(lines, content[1] + 1)
    toc = next((i for i, line in enumerate(lines) if line.text.strip() == "TABLE OF CONTENTS"), None)
    page_end = min([i for i in (toc, headings[0] if headings else None) if i is not None], default=len(lines))

    # Title page: `Label: value` entries; lines that start no entry continue the one before.
    meta: dict[str, str] = {}
    entries: list[list[Any]] = []  # [label, value_start_offset, value_end_offset]
    for i in range(content[1] + 1, page_end):
        line = lines[i]
        if line.blank:
            continue
        match = _ENTRY.match(line.text)
        continues_summary = entries and _meta_key(entries[-1][0]) == "description"
        if match and (match.group(1).casefold() in _KNOWN_TXT_LABELS or not continues_summary):
            value_start = line.start + match.start(2)
            entries.append([match.group(1), value_start, line.end])
        elif entries:
            entries[-1][2] = line.end
    builder_parts: list[Part] = []
    for label, start, end in entries:
        key = _meta_key(label)
        if key == "description":
            start, end = _trim_markup(text, start, end)
            if end > start:
                builder_parts.append(Part(kind=SUMMARY, start=start, end=end))
        else:
            value = " ".join(text[start:end].split())
            if value:
                meta[key] = value

    end_file = len(lines)
    for i in range(len(lines) - 1, -1, -1):
        if not lines[i].blank:
            if lines[i].text.strip() == "End file.":
                end_file = i
            break
    chapters = len(headings)
    for number, index in enumerate(headings, start=1):
        chapter_title = lines[index].text.strip()
        stop = headings[number] if number < chapters else end_file
        runs = _paragraphs(lines, index + 1, stop)
        head_notes, body_runs = _txt_notes(lines, runs, at_head=True)
        foot_notes, body_runs_left = _txt_notes(lines, body_runs, at_head=False)
        for label, first, last in head_notes:
            builder_parts.append(
                _txt_note_part(lines, runs, label, first, last, head=True, chapter=number, chapters=chapters)
            )
        if body_runs_left:
            start, end = _span(lines, body_runs_left[0][0], body_runs_left[-1][1])
            builder_parts.append(Part(kind=BODY, start=start, end=end, title=chapter_title, chapter=number))
        for label, first, last in foot_notes:
            builder_parts.append(
                _txt_note_part(lines, body_runs, label, first, last, head=False, chapter=number, chapters=chapters)
            )
    if not any(p.kind == BODY for p in builder_parts):
        raise UnreadableInput("FanFicFare text file without chapter text")
    work = Work(
        id=work_id,
        text=text,
        parts=builder_parts,
        source=source,
        format="fanficfare-txt",
        title=title,
        authors=authors,
    )
    return apply_json_meta(work, meta)


def _txt_note_part(
    lines: list[_Line],
    runs: list[tuple[int, int]],
    label: str,
    first: int,
    last: int,
    *,
    head: bool,
    chapter: int,
    chapters: int,
) -> Part:
    start, end = _span(lines, runs[first][0], runs[last - 1][1])
    key = label.rstrip(":").strip().casefold().replace("\u2019", "'")
    kind = _NOTE_LABEL_KINDS.get(key) or (NOTES if head else END_NOTES)
    owner: int | None = chapter
    if key == "author's note" and ((head and chapter == 1) or (not head and chapter == chapters)):
        owner = None
    return Part(kind=kind, start=start, end=end, chapter=owner)
