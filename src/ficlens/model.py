"""The data model: one `Work` goes in, one `Profile` comes out.

Everything here is a plain dataclass so that readers, pipeline components, renderers and tests
share one vocabulary. Offsets are always character offsets into `Work.text`, end exclusive.

`Work.text` is the text ficlens analyses. For a plain-text file it is the decoded file itself
(after an optional mojibake repair, see `TextMap`); for HTML/EPUB it is the text ficlens extracted
from the markup. `Profile.to_dict()` maps every offset back to the text it reports in `text`, so a
consumer can always slice `profile["text"][start:end]`.
"""

from __future__ import annotations

import bisect
import dataclasses
import re
from dataclasses import asdict, dataclass, field, fields
from typing import Any, Iterator

SCHEMA_VERSION = "1.1.0"  # 1.1.0: Relationship.roles

# Part kinds. Only BODY parts are story; every other kind is paratext and never analysed as story.
BODY = "body"
SUMMARY = "summary"
NOTES = "notes"  # beginning notes (work or chapter)
END_NOTES = "end_notes"  # end notes / afterword (work or chapter)
PART_KINDS = (BODY, SUMMARY, NOTES, END_NOTES)


@dataclass
class Part:
    """A contiguous span of the work with one role.

    `chapter` is the 1-based chapter number for parts that belong to a chapter (its body, its own
    summary or notes), None for work-level summary and notes.
    """

    kind: str
    start: int
    end: int
    title: str | None = None
    chapter: int | None = None

    @property
    def is_story(self) -> bool:
        return self.kind == BODY


@dataclass
class AuthorTags:
    """The tags an author attached to the work (AO3 preface, FanFicFare metadata).

    These are *claims*, kept apart from the tags ficlens infers so that the two can be audited.
    """

    rating: str | None = None
    warnings: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    fandoms: list[str] = field(default_factory=list)
    relationships: list[str] = field(default_factory=list)
    characters: list[str] = field(default_factory=list)
    additional: list[str] = field(default_factory=list)
    language: str | None = None
    series: list[str] = field(default_factory=list)
    collections: list[str] = field(default_factory=list)
    stats: dict[str, str] = field(default_factory=dict)

    def is_empty(self) -> bool:
        return not any(asdict(self).values())


@dataclass
class TextMap:
    """Maps offsets in a repaired text back to the text as it was decoded.

    Mojibake repair changes lengths ("Iâ€™m" → "I’m"), yet users need offsets into the file they
    gave us. `anchors` holds sorted (repaired_offset, source_offset) pairs at which the two texts
    are aligned; between anchors the texts run in step. An empty map is the identity.
    """

    anchors: list[tuple[int, int]] = field(default_factory=list)

    def is_identity(self) -> bool:
        return not self.anchors

    def to_source(self, offset: int) -> int:
        if not self.anchors:
            return offset
        i = bisect.bisect_right(self.anchors, (offset, float("inf"))) - 1
        if i < 0:
            return offset
        repaired, source = self.anchors[i]
        return source + (offset - repaired)


@dataclass
class Work:
    """One fan work as read from its source, before any analysis."""

    id: str
    text: str
    parts: list[Part] = field(default_factory=list)
    source: str | None = None
    format: str = "text"
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    language: str | None = None
    author_tags: AuthorTags = field(default_factory=AuthorTags)
    # Other facts the source carried (url, published date, series position…), kept verbatim.
    metadata: dict[str, Any] = field(default_factory=dict)
    # Set when `text` is a repaired version of `source_text`.
    source_text: str | None = None
    text_map: TextMap = field(default_factory=TextMap)

    def story_parts(self) -> list[Part]:
        return [p for p in self.parts if p.is_story]

    def part_text(self, part: Part) -> str:
        return self.text[part.start : part.end]

    def iter_story(self) -> Iterator[tuple[Part, str]]:
        for part in self.story_parts():
            yield part, self.part_text(part)


@dataclass
class Evidence:
    """Why ficlens believes something: a span of the text plus a short excerpt of it.

    Usually the excerpt is the whole span, whitespace collapsed. A claim of absence ("General
    Audiences", "No Archive Warnings Apply", "Gen") rests on everything that was read, so its
    span is a whole story part and its excerpt only that part's opening words."""

    start: int
    end: int
    excerpt: str


@dataclass
class Character:
    id: str
    name: str
    aliases: list[str] = field(default_factory=list)
    gender: str = "unknown"  # "female" | "male" | "nonbinary" | "unknown"
    gender_confidence: float = 0.0
    is_reader: bool = False
    mention_count: int = 0


def id_slug(name: str) -> str:
    """The id-safe form of a name ("Mr. Bumble" → "mr-bumble") that character ids are made of."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


@dataclass
class Mention:
    start: int
    end: int
    character: str  # Character.id
    kind: str  # "name" | "pronoun" | "nominal"


@dataclass
class Quote:
    start: int
    end: int
    speaker: str | None = None  # Character.id
    addressees: list[str] = field(default_factory=list)
    confidence: float = 0.0
    # How the speakers step attributed it ("explicit", "anaphoric", "turns"…; "" when it found no
    # speaker; None before it ran). Read by later components, not part of the profile's JSON.
    method: str | None = field(default=None, compare=False, repr=False, metadata={"internal": True})


def public_dict(value: Any) -> dict[str, Any]:
    """`asdict(value)` without the fields marked internal: data later components read that the
    profile's JSON does not carry (see `Quote.method`)."""
    data = asdict(value)
    for f in fields(value):
        if f.metadata.get("internal"):
            del data[f.name]
    return data


@dataclass
class Relationship:
    characters: list[str]  # Character.ids, in AO3 tag order
    type: str  # "romantic" | "family" | "friendship" | "antagonism" | "platonic" (shared scenes, no cue)
    tag: str  # "A/B" or "A & B"
    relation: str | None = None  # family: what characters[1] is to characters[0] ("father", "sister"…)
    strength: float = 0.0
    confidence: float = 0.0
    evidence: list[Evidence] = field(default_factory=list)
    # family and spouses: each character's role in the bond, read either way ({"kylo-ren": "son",
    # "han-solo": "father"}), so nobody has to work out the direction of `relation`.
    roles: dict[str, str] = field(default_factory=dict)


@dataclass
class Narration:
    pov: str | None = None  # "first" | "second" | "third" | "mixed"
    tense: str | None = None  # "past" | "present" | "mixed"
    reader_insert: bool = False
    confidence: float = 0.0


@dataclass
class TagSuggestion:
    tag: str
    confidence: float
    evidence: list[Evidence] = field(default_factory=list)


@dataclass
class Tags:
    """AO3-style tags ficlens infers from the text, each with confidence and evidence."""

    fandoms: list[TagSuggestion] = field(default_factory=list)
    rating: TagSuggestion | None = None
    warnings: list[TagSuggestion] = field(default_factory=list)
    categories: list[TagSuggestion] = field(default_factory=list)
    relationships: list[TagSuggestion] = field(default_factory=list)
    characters: list[TagSuggestion] = field(default_factory=list)
    additional: list[TagSuggestion] = field(default_factory=list)


@dataclass
class AuditFinding:
    """A disagreement between the author's tags and what the text shows."""

    field: str  # which tag field, e.g. "rating"
    kind: str  # "unsupported" (tag without support) | "missing" (text shows, tag absent)
    tag: str
    message: str
    evidence: list[Evidence] = dataclasses.field(default_factory=list)  # `field` is a field here


@dataclass
class Stats:
    words: int = 0  # words of story text only
    chapters: int = 0
    paragraphs: int = 0
    note_words: int = 0


@dataclass
class Profile:
    """Everything ficlens found out about one work. Its JSON form is `data/profile.schema.json`."""

    work: Work
    stats: Stats = field(default_factory=Stats)
    characters: list[Character] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    relationships: list[Relationship] = field(default_factory=list)
    narration: Narration = field(default_factory=Narration)
    tags: Tags = field(default_factory=Tags)
    audit: list[AuditFinding] = field(default_factory=list)

    def recount_mentions(self) -> None:
        """Set every character's `mention_count` from `mentions`, the one source of truth."""
        counts: dict[str, int] = {}
        for mention in self.mentions:
            counts[mention.character] = counts.get(mention.character, 0) + 1
        for character in self.characters:
            character.mention_count = counts.get(character.id, 0)

    def character(self, character_id: str) -> Character | None:
        return next((c for c in self.characters if c.id == character_id), None)

    def to_dict(self, include_text: bool = True) -> dict[str, Any]:
        """The JSON form. Offsets are mapped to `text`, which is the source text as decoded."""
        from .serialize import profile_to_dict

        return profile_to_dict(self, include_text=include_text)
