"""AO3's download layout, shared by the HTML download and the (calibre-made) EPUB.

AO3 renders every download from the same templates (otwarchive `app/views/downloads/`):

    div#preface      h2.toc-heading, p.message (work url), div.meta > dl.tags (Rating, Archive
                     Warning(s), Categor(y|ies), Fandom(s), Relationship(s), Character(s),
                     Additional Tags, Language, Series, Collections, Stats), h1 (title),
                     div.byline, p "Summary" + blockquote.userstuff, p "Notes" + blockquote
    div#chapters     per chapter: div.meta.group (h2.heading, p "Chapter Summary"/"Chapter Notes"
                     + blockquote), div.userstuff (the chapter), div.meta#endnotesN
                     (p "Chapter End Notes" + blockquote); a single-chapter work has only the
                     div.userstuff
    div#afterword    div#endnotes (p "End Notes" + blockquote)

Calibre's EPUB conversion keeps these classes but splits the document into several files, so
the chapter container may be repeated or broken up. The walk below therefore never relies on
one `#chapters` element: it reads the document in order and lets each chapter heading start a
new chapter, merging body fragments that belong to the same chapter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from bs4 import BeautifulSoup, Tag

from ..errors import UnreadableInput
from ..model import BODY, END_NOTES, NOTES, SUMMARY, AuthorTags, Work
from .html import TextBuilder, blocks_of, has_class, text_of

__all__ = ["looks_like_ao3", "ao3_work", "parse_tag_block", "find_tag_block"]

# "Summary" and "Chapter Summary" mean the same kind; whether it belongs to the work or a
# chapter follows from where the label stands.
_LABEL_KINDS = {
    "summary": SUMMARY,
    "chapter summary": SUMMARY,
    "notes": NOTES,
    "chapter notes": NOTES,
    "author's notes": NOTES,
    "end notes": END_NOTES,
    "chapter end notes": END_NOTES,
}

# dl.tags labels (singular and plural, any case, colon optional) → AuthorTags field.
_TAG_FIELDS = {
    "rating": "rating",
    "ratings": "rating",
    "archive warning": "warnings",
    "archive warnings": "warnings",
    "warning": "warnings",
    "warnings": "warnings",
    "category": "categories",
    "categories": "categories",
    "fandom": "fandoms",
    "fandoms": "fandoms",
    "relationship": "relationships",
    "relationships": "relationships",
    "character": "characters",
    "characters": "characters",
    "additional tag": "additional",
    "additional tags": "additional",
    "freeform": "additional",
    "freeforms": "additional",
    "language": "language",
    "series": "series",
    "collection": "collections",
    "collections": "collections",
    "stats": "stats",
}

_STAT = re.compile(r"([A-Za-z][A-Za-z ]*?):\s*(.*?)(?=\s+[A-Za-z][A-Za-z ]*?:|\s*$)", re.S)
_SERIES_PART = re.compile(r"Part\s+(\d+)\s+of\s+", re.I)
_CHAPTER_HEADING = re.compile(r"^\s*chapter\s+\d+\b", re.I)


def _label_key(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().rstrip(":").strip().casefold().replace("\u2019", "'")


def find_tag_block(soup: BeautifulSoup | Tag) -> Tag | None:
    """The AO3 `dl.tags` block, or any `dl` whose terms are AO3 tag labels."""
    dl = soup.find("dl", class_="tags")
    if dl is not None:
        return dl
    for candidate in soup.find_all("dl"):
        labels = [_label_key(text_of(dt)) for dt in candidate.find_all("dt")]
        if sum(label in _TAG_FIELDS for label in labels) >= 2:
            return candidate
    return None


def looks_like_ao3(soup: BeautifulSoup) -> bool:
    preface = soup.find(id="preface")
    if preface is not None and (preface.find("dl") is not None or "Archive of Our Own" in preface.get_text()):
        return True
    return find_tag_block(soup) is not None


def _tag_values(dd: Tag) -> list[str]:
    links = [text_of(a) for a in dd.find_all("a")]
    links = [link for link in links if link]
    if links:
        return links
    return [value.strip() for value in text_of(dd).split(",") if value.strip()]


def _series(dd: Tag) -> list[dict[str, str]]:
    text = text_of(dd)
    positions = [m.group(1) for m in _SERIES_PART.finditer(text)]
    titles = [text_of(a) for a in dd.find_all("a") if text_of(a)]
    if not titles:
        titles = [t.strip().rstrip(",").strip() for t in _SERIES_PART.split(text)[2::2] if t.strip()]
    series = []
    for i, title in enumerate(titles):
        entry = {"title": title}
        if i < len(positions):
            entry["position"] = positions[i]
        series.append(entry)
    return series


def _stats(dd: Tag) -> dict[str, str]:
    stats: dict[str, str] = {}
    for match in _STAT.finditer(text_of(dd)):
        key = match.group(1).strip().lower().replace(" ", "_")
        value = match.group(2).strip()
        if value:
            stats[key] = value
    return stats


def parse_tag_block(dl: Tag) -> tuple[AuthorTags, dict[str, Any]]:
    """AuthorTags and extra metadata (series positions) from one AO3 `dl.tags` block."""
    tags = AuthorTags()
    metadata: dict[str, Any] = {}
    for dt in dl.find_all("dt"):
        dd = dt.find_next_sibling(["dd", "dt"])
        if dd is None or dd.name != "dd":
            continue
        field_name = _TAG_FIELDS.get(_label_key(text_of(dt)))
        if field_name is None:
            continue
        if field_name == "rating":
            values = _tag_values(dd)
            tags.rating = ", ".join(values) if values else None
        elif field_name == "language":
            tags.language = text_of(dd) or None
        elif field_name == "series":
            series = _series(dd)
            tags.series = [entry["title"] for entry in series]
            metadata["series"] = series
        elif field_name == "stats":
            tags.stats = _stats(dd)
        else:
            getattr(tags, field_name).extend(_tag_values(dd))
    return tags, metadata


@dataclass
class _Section:
    kind: str | None  # a Part kind, or None for text outside every part (labels, headings)
    blocks: list[str]
    chapter: int | None = None
    title: str | None = None


@dataclass
class _Walk:
    preface: Tag | None
    afterword: Tag | None
    sections: list[_Section] = field(default_factory=list)
    chapter: int = 0
    chapter_titles: dict[int, str] = field(default_factory=dict)


def _next_element(node: Tag) -> Tag | None:
    return node.find_next_sibling(True)


def _labelled_sections(container: Tag, chapter: int | None) -> list[_Section]:
    """Each AO3 label paragraph ("Summary", "Chapter Notes"…) and the blockquote it introduces."""
    sections: list[_Section] = []
    for label in container.find_all("p"):
        label_text = text_of(label)
        kind = _LABEL_KINDS.get(_label_key(label_text))
        if kind is None:
            continue
        quote = _next_element(label)
        if quote is None or not (quote.name == "blockquote" or has_class(quote, "userstuff")):
            continue  # e.g. "Notes" followed only by "See the end of the work for notes"
        blocks = blocks_of(quote)
        if blocks:
            sections.append(_Section(None, [label_text]))
            sections.append(_Section(kind, blocks, chapter=chapter))
    return sections


def _is_chapter_head(node: Tag) -> bool:
    if node.name != "div" or not has_class(node, "meta"):
        return False
    if str(node.get("id") or "").startswith("endnotes"):
        return False
    heading = node.find("h2")
    return heading is not None and (has_class(heading, "heading") or bool(_CHAPTER_HEADING.match(text_of(heading))))


def _is_chapter_end_notes(node: Tag) -> bool:
    if node.name != "div" or not has_class(node, "meta"):
        return False
    if str(node.get("id") or "").startswith("endnotes"):
        return True
    return any(_label_key(text_of(p)) == "chapter end notes" for p in node.find_all("p", recursive=False))


def _holds_structure(node: Tag) -> bool:
    return any(_is_chapter_head(div) or _is_chapter_end_notes(div) for div in node.find_all("div"))


def _visit(node: Tag, walk: _Walk) -> None:
    for child in node.children:
        if not isinstance(child, Tag):
            continue
        if child is walk.preface or child is walk.afterword:
            continue  # read separately, before and after the chapters
        if _is_chapter_head(child):
            walk.chapter += 1
            heading = text_of(child.find("h2"))
            walk.chapter_titles[walk.chapter] = heading
            walk.sections.append(_Section(None, [heading] if heading else []))
            walk.sections.extend(_labelled_sections(child, walk.chapter))
        elif _is_chapter_end_notes(child):
            walk.sections.extend(
                _Section(s.kind, s.blocks, chapter=max(walk.chapter, 1)) for s in _labelled_sections(child, None)
            )
        elif has_class(child, "userstuff") and child.name != "blockquote" and not _holds_structure(child):
            chapter = max(walk.chapter, 1)
            blocks = blocks_of(child)
            last = walk.sections[-1] if walk.sections else None
            if last is not None and last.kind == BODY and last.chapter == chapter:
                last.blocks.extend(blocks)  # one chapter split over several files
            elif blocks:
                walk.sections.append(_Section(BODY, blocks, chapter=chapter, title=walk.chapter_titles.get(chapter)))
        elif child.find(True) is not None and (_holds_structure(child) or child.find(class_="userstuff") is not None):
            _visit(child, walk)


def _find_preface(soup: BeautifulSoup, dl: Tag | None) -> Tag | None:
    preface = soup.find(id="preface")
    if preface is not None:
        return preface
    if dl is None:
        return None
    node = dl.parent
    while node is not None and node.find("h1") is None:
        node = node.parent
    return node if isinstance(node, Tag) and node.name not in ("body", "html", "[document]") else dl.parent


def _authors(byline: Tag | None) -> list[str]:
    if byline is None:
        return []
    links = [text_of(a) for a in byline.find_all("a")]
    links = [link for link in links if link]
    if links:
        return links
    text = re.sub(r"^\s*by\s+", "", text_of(byline), flags=re.I)
    return [name.strip() for name in re.split(r",\s*|\s+and\s+", text) if name.strip()]


def _work_url(preface: Tag | None) -> str | None:
    if preface is None:
        return None
    for a in preface.find_all("a", href=True):
        href = str(a["href"])
        if re.search(r"/works/\d+", href):
            return href
    return None


def ao3_work(soup: BeautifulSoup, *, source: str, work_id: str, fmt: str) -> Work:
    """A `Work` from a document in AO3's download layout (HTML download or EPUB spine joined)."""
    dl = find_tag_block(soup)
    preface = _find_preface(soup, dl)
    afterword = soup.find(id="afterword")
    if afterword is None:
        endnotes = soup.find(id="endnotes")
        afterword = endnotes if isinstance(endnotes, Tag) else None

    tags, metadata = parse_tag_block(dl) if dl is not None else (AuthorTags(), {})
    title_tag = preface.find("h1") if preface is not None else soup.find("h1")
    title = text_of(title_tag) or None
    byline = None
    if preface is not None:
        byline = preface.find(class_="byline") or preface.find(
            lambda t: t.name in ("div", "p", "h2", "h3") and text_of(t).lower().startswith("by ")
        )
    authors = _authors(byline)

    builder = TextBuilder()
    builder.add_text([t for t in (title, text_of(byline) if byline is not None else None) if t])
    front = _labelled_sections(preface, None) if preface is not None else []

    walk = _Walk(preface=preface, afterword=afterword)
    _visit(soup.body or soup, walk)
    back = _labelled_sections(afterword, None) if afterword is not None else []
    if afterword is not None and not back and afterword.name == "div" and afterword.get("id") == "endnotes":
        back = [_Section(END_NOTES, blocks_of(afterword.find("blockquote")))]

    if not any(s.kind == BODY for s in walk.sections):
        # An AO3 layout this walk does not know: keep whatever the chapters container holds.
        chapters = soup.find(id="chapters")
        blocks = blocks_of(chapters) if isinstance(chapters, Tag) else []
        if not blocks:
            raise UnreadableInput("AO3 download without any chapter text")
        walk.sections.append(_Section(BODY, blocks, chapter=1))
    for section in front + walk.sections + back:
        if section.kind is None:
            builder.add_text(section.blocks)
        else:
            builder.add_part(section.kind, section.blocks, title=section.title, chapter=section.chapter)

    url = _work_url(preface)
    if url:
        metadata["url"] = url
    metadata.update(tags.stats)
    for entry in metadata.get("series", []):
        if "position" in entry:
            metadata.setdefault("series_position", entry["position"])
            break
    return Work(
        id=work_id,
        text=builder.text,
        parts=builder.parts,
        source=source,
        format=fmt,
        title=title,
        authors=authors,
        language=tags.language,
        author_tags=tags,
        metadata=metadata,
    )
