"""The reader of one work: its profile dict turned into what the Work page template shows.

Everything here works on the profile dict (`Corpus.profile()`, or `Profile.to_dict()` for a
pasted text), whose offsets point into its `text`. The marked-up text is built once in Python
(nesting the highlight spans the way the standalone HTML report does, `render.html._nest`)
rather than in the template, because a 100,000-word work has tens of thousands of spans.

Every evidence passage gets an empty anchor at its start (`id="at-<offset>"`), which never
crosses another span, so each evidence link in the side panel has a target; where the passage
nests inside the other highlights it is also wrapped (`data-ev="<start>-<end>"`) so the page can
light it up when its link is followed.
"""

from __future__ import annotations

import bisect
import html
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from ..render.html import _nest, _Span

# How many characters get a colour of their own (c0…c11 in static/style.css); the rest share one.
PALETTE_SIZE = 12
# Evidence longer than this (a rating's "the whole story") is only anchored, not wrapped.
MAX_WRAPPED_EVIDENCE = 600
# The side panel shows this many evidence links per tag, relationship or audit finding.
MAX_EVIDENCE_LINKS = 5

NOTE_LABELS = {"summary": "Summary", "notes": "Author's notes", "end_notes": "End notes"}
TAG_LABELS = (
    ("fandoms", "Fandoms"),
    ("warnings", "Archive warnings"),
    ("categories", "Categories"),
    ("relationships", "Relationships"),
    ("characters", "Characters"),
    ("additional", "Additional tags"),
)


@dataclass
class EvidenceLink:
    start: int
    end: int
    excerpt: str

    @property
    def href(self) -> str:
        return f"#at-{self.start}"

    @property
    def key(self) -> str:
        return f"{self.start}-{self.end}"


@dataclass
class PartView:
    index: int
    kind: str
    label: str
    is_story: bool
    markup: Markup


@dataclass
class CastEntry:
    id: str
    name: str
    aliases: list[str]
    gender: str
    mentions: int
    quotes: int
    colour: str  # a CSS class: c0…c11, or cx for the rest
    is_reader: bool


@dataclass
class Suggestion:
    """A suggested tag, relationship or audit finding with the passages behind it."""

    group: str
    tag: str
    detail: str = ""
    confidence: float | None = None
    evidence: list[EvidenceLink] = field(default_factory=list)
    more: int = 0  # evidence passages not linked


@dataclass
class ReaderView:
    title: str
    authors: list[str]
    words: int
    chapters: int
    narration: str
    author_tags: list[tuple[str, list[str]]]
    parts: list[PartView]
    cast: list[CastEntry]
    relationships: list[Suggestion]
    tags: list[Suggestion]
    audit: list[Suggestion]
    quotes: int
    attributed: int

    @property
    def notes(self) -> list[PartView]:
        return [p for p in self.parts if not p.is_story]


def _links(items: list[dict[str, Any]]) -> tuple[list[EvidenceLink], int]:
    links = [EvidenceLink(e["start"], e["end"], e.get("excerpt") or "") for e in items[:MAX_EVIDENCE_LINKS]]
    return links, max(0, len(items) - MAX_EVIDENCE_LINKS)


def _attr(value: str) -> str:
    return html.escape(value, quote=True)


def _suggestions(
    profile: dict[str, Any], names: dict[str, str]
) -> tuple[list[Suggestion], list[Suggestion], list[Suggestion]]:
    relationships = []
    for r in profile.get("relationships") or []:
        links, more = _links(r.get("evidence") or [])
        detail = r["type"]
        if r.get("relation") and len(r["characters"]) > 1:
            detail += f" ({names.get(r['characters'][1], r['characters'][1])} is {r['relation']})"
        relationships.append(Suggestion("relationship", r["tag"], detail, r.get("confidence"), links, more))
    tags = []
    suggested = profile.get("tags") or {}
    rating = suggested.get("rating")
    if rating:
        links, more = _links(rating.get("evidence") or [])
        tags.append(Suggestion("Rating", rating["tag"], "", rating.get("confidence"), links, more))
    for key, label in TAG_LABELS:
        for t in suggested.get(key) or []:
            links, more = _links(t.get("evidence") or [])
            tags.append(Suggestion(label, t["tag"], "", t.get("confidence"), links, more))
    audit = []
    for a in profile.get("audit") or []:
        links, more = _links(a.get("evidence") or [])
        audit.append(Suggestion(a["kind"], a["tag"], f"{a['field']}: {a['message']}", None, links, more))
    return relationships, tags, audit


def _author_tags(profile: dict[str, Any]) -> list[tuple[str, list[str]]]:
    author = profile["work"].get("author_tags") or {}
    rows = [("Rating", [author["rating"]] if author.get("rating") else [])]
    rows += [(label, list(author.get(key) or [])) for key, label in TAG_LABELS]
    return [(label, values) for label, values in rows if values]


def _cast(profile: dict[str, Any]) -> list[CastEntry]:
    spoken: dict[str, int] = {}
    for q in profile.get("quotes") or []:
        if q.get("speaker"):
            spoken[q["speaker"]] = spoken.get(q["speaker"], 0) + 1
    ranked = sorted(profile.get("characters") or [], key=lambda c: (-c["mention_count"], c["name"]))
    return [
        CastEntry(
            id=c["id"], name=c["name"], aliases=[a for a in c.get("aliases") or [] if a != c["name"]],
            gender=c.get("gender") or "unknown", mentions=c["mention_count"], quotes=spoken.get(c["id"], 0),
            colour=f"c{i}" if i < PALETTE_SIZE else "cx", is_reader=bool(c.get("is_reader")),
        )
        for i, c in enumerate(ranked)
    ]  # fmt: skip


class _Intervals:
    """Sorted spans, to ask whether an evidence passage would cross one of them."""

    def __init__(self, spans: list[_Span]):
        self.spans = sorted(spans, key=lambda s: s.start)
        self.starts = [s.start for s in self.spans]
        self.longest = max((s.end - s.start for s in self.spans), default=0)

    def crossed_by(self, start: int, end: int) -> bool:
        """Whether some span holds exactly one of the passage's ends strictly inside it."""
        for point in (start, end):
            lo = bisect.bisect_left(self.starts, point - self.longest)
            hi = bisect.bisect_left(self.starts, point)
            for span in self.spans[lo:hi]:
                if span.start < point < span.end and not (span.start <= start and end <= span.end):
                    return True
        return False


def _spans(profile: dict[str, Any], cast: list[CastEntry], evidence: list[EvidenceLink]) -> list[_Span]:
    """Quotations, mentions and evidence as spans. Evidence is wrapped only where it crosses no
    quotation or mention: the nesting keeps the first of two crossing spans, and a quotation
    losing its speaker to an evidence highlight would be the worse loss."""
    names = {c.id: c.name for c in cast}
    colours = {c.id: c.colour for c in cast}
    spans: list[_Span] = []
    for i, q in enumerate(profile.get("quotes") or []):
        speaker = names.get(q.get("speaker") or "", "unknown speaker")
        to = ", ".join(names.get(a, a) for a in q.get("addressees") or []) or "no one named"
        spans.append(_Span(q["start"], q["end"], (
            f'<span class="q" id="q-{i}" tabindex="0" aria-describedby="tip" data-s="{_attr(speaker)}"'
            f' data-a="{_attr(to)}" data-c="{q.get("confidence", 0):.2f}">'
        )))  # fmt: skip
    for m in profile.get("mentions") or []:
        kind = "pron" if m.get("kind") == "pronoun" else "name"
        colour = colours.get(m["character"], "cx")
        spans.append(_Span(m["start"], m["end"], f'<span class="m {colour} {kind}">'))
    marked = _Intervals(spans)
    seen: set[tuple[int, int]] = set()
    anchors: set[int] = set()
    for e in evidence:
        if e.start not in anchors:
            anchors.add(e.start)
            spans.append(_Span(e.start, e.start, f'<span class="at" id="at-{e.start}">'))
        if (e.start, e.end) in seen or not 0 < e.end - e.start <= MAX_WRAPPED_EVIDENCE:
            continue
        seen.add((e.start, e.end))
        if not marked.crossed_by(e.start, e.end):
            spans.append(_Span(e.start, e.end, f'<span class="ev" data-ev="{e.key}">'))
    return sorted(spans, key=lambda s: (s.start, -s.end))


def _parts(profile: dict[str, Any], spans: list[_Span]) -> list[PartView]:
    text = profile["text"]
    starts = [s.start for s in spans]
    views = []
    for i, part in enumerate(profile.get("parts") or []):
        lo, hi = bisect.bisect_left(starts, part["start"]), bisect.bisect_right(starts, part["end"])
        inside = [s for s in spans[lo:hi] if s.end <= part["end"]]
        marked, pos = _nest(text, inside, part["start"])
        marked += html.escape(text[pos : part["end"]])
        kind = part["kind"]
        if kind == "body":
            label = f"Chapter {part['chapter']}" if part.get("chapter") else ""
            title = (part.get("title") or "").strip()
            if title:
                label = f"{label}: {title}" if label and not title.lower().startswith(label.lower()) else title
        else:
            label = NOTE_LABELS.get(kind, kind.replace("_", " ").capitalize())
        views.append(PartView(i, kind, label, kind == "body", Markup(marked)))
    return views


def build_reader(profile: dict[str, Any]) -> ReaderView:
    work = profile["work"]
    cast = _cast(profile)
    names = {c.id: c.name for c in cast}
    relationships, tags, audit = _suggestions(profile, names)
    evidence = [e for group in (relationships, tags, audit) for s in group for e in s.evidence]
    narration = profile.get("narration") or {}
    told = ", ".join(
        x for x in (f"{narration['pov']} person" if narration.get("pov") else "",
                    f"{narration['tense']} tense" if narration.get("tense") else "",
                    "reader-insert" if narration.get("reader_insert") else "") if x
    )  # fmt: skip
    quotes = profile.get("quotes") or []
    stats = profile.get("stats") or {}
    return ReaderView(
        title=work.get("title") or work["id"],
        authors=list(work.get("authors") or []),
        words=stats.get("words", 0),
        chapters=stats.get("chapters", 0),
        narration=told,
        author_tags=_author_tags(profile),
        parts=_parts(profile, _spans(profile, cast, evidence)),
        cast=cast,
        relationships=relationships,
        tags=tags,
        audit=audit,
        quotes=len(quotes),
        attributed=sum(1 for q in quotes if q.get("speaker")),
    )
