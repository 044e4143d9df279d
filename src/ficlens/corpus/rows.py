"""A `Profile` turned into the rows the corpus database stores (one `WorkRecord` per work).

Records are built where the analysis ran (in a worker process or on a Dask worker) and are plain,
picklable data, so that the one writer process only executes INSERTs: the CPU work of
serialising, compressing and MinHashing a profile is spread over the workers.
"""

from __future__ import annotations

import hashlib
import json
import re
import zlib
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from typing import Any

from .. import __version__
from ..model import BODY, SCHEMA_VERSION, Profile, Work
from ..stats import count_words  # the one definition of a word, as in the profile's stats
from .fts import fts_text

_YEAR = re.compile(r"\b(1[5-9]\d\d|20\d\d)(?:-\d\d(?:-\d\d)?)?\b")


def content_hash(work: Work) -> str:
    """What a re-run compares: the text and every fact the reader took from the source."""
    digest = hashlib.sha256()
    digest.update(work.text.encode("utf-8", "surrogatepass"))
    facts = {
        "title": work.title,
        "authors": work.authors,
        "format": work.format,
        "language": work.language,
        "author_tags": asdict(work.author_tags),
        "metadata": work.metadata,
        "parts": [asdict(p) for p in work.parts],
    }
    digest.update(json.dumps(facts, sort_keys=True, ensure_ascii=False, default=str).encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def pack_profile(profile_dict: dict[str, Any]) -> bytes:
    return zlib.compress(json.dumps(profile_dict, ensure_ascii=False).encode("utf-8", "surrogatepass"), 6)


def unpack_profile(blob: bytes) -> dict[str, Any]:
    """The profile exactly as `ficlens analyze --format json` gives it."""
    profile: dict[str, Any] = json.loads(zlib.decompress(blob).decode("utf-8", "surrogatepass"))
    return profile


def published_date(work: Work) -> str | None:
    """The publication date (or year) the source gives, as it gives it, else None."""
    candidates = [work.author_tags.stats.get(k) for k in ("Published", "published")]
    candidates += [work.metadata.get(k) for k in ("published", "date", "datePublished", "year")]
    for value in candidates:
        if value is None:
            continue
        match = _YEAR.search(str(value))
        if match:
            return match.group(0)
    return None


@dataclass
class WorkRecord:
    """Everything the store writes for one work; `rows` maps table name to row tuples."""

    source_key: str
    work: dict[str, Any]
    rows: dict[str, list[tuple[Any, ...]]] = field(default_factory=dict)
    # (scope, text) for the full-text index; (idx, text) of quotations for quote search
    texts: list[tuple[str, str]] = field(default_factory=list)
    quote_texts: list[tuple[int, str]] = field(default_factory=list)
    minhash: tuple[int, bytes] | None = None
    lsh_bands: list[tuple[int, bytes]] = field(default_factory=list)

    @property
    def words(self) -> int:
        return int(self.work.get("words", 0))


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _evidence(items: list[dict[str, Any]]) -> str:
    return _json([{"start": e["start"], "end": e["end"], "excerpt": e["excerpt"]} for e in items])


TAG_FIELDS = (
    ("fandoms", "fandom"),
    ("warnings", "warning"),
    ("categories", "category"),
    ("relationships", "relationship"),
    ("characters", "character"),
    ("additional", "additional"),
)


def build_record(
    profile: Profile, source_key: str, digest: str | None = None, *, with_minhash: bool = True
) -> WorkRecord:
    """The rows of one analysed work. Offsets are those of the profile's JSON form (source text)."""
    data = profile.to_dict()
    work = profile.work
    text = data["text"]
    names = {c["id"]: c["name"] for c in data["characters"]}
    record = WorkRecord(
        source_key=source_key,
        work={
            "source_key": source_key,
            "source": work.source,
            "work_id": work.id,
            "content_hash": digest or content_hash(work),
            "format": work.format,
            "title": work.title,
            "authors": _json(list(work.authors)),
            "language": work.language,
            "published": published_date(work),
            "words": profile.stats.words,
            "chapters": profile.stats.chapters,
            "note_words": profile.stats.note_words,
            "pov": profile.narration.pov,
            "tense": profile.narration.tense,
            "reader_insert": int(profile.narration.reader_insert),
            "ficlens_version": __version__,
            "profile_schema": SCHEMA_VERSION,
            "analysed_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "profile": pack_profile(data),
        },
    )
    parts = data["parts"]
    record.rows["parts"] = [
        (i, p["kind"], p["start"], p["end"], p["chapter"], p["title"], count_words(text[p["start"] : p["end"]]))
        for i, p in enumerate(parts)
    ]
    quote_rows = []
    spoken: dict[str, list[int]] = {}
    for i, q in enumerate(data["quotes"]):
        quote_text = text[q["start"] : q["end"]]
        words = count_words(quote_text)
        if q["speaker"]:
            tally = spoken.setdefault(q["speaker"], [0, 0])
            tally[0] += 1
            tally[1] += words
        quote_rows.append(
            (
                i,
                q["start"],
                q["end"],
                q["speaker"],
                names.get(q["speaker"]) if q["speaker"] else None,
                _json(q["addressees"]),
                _json([names.get(a, a) for a in q["addressees"]]),
                q["confidence"],
                words,
                quote_text,
            )
        )
        record.quote_texts.append((i, fts_text(quote_text)))
    record.rows["quotes"] = quote_rows
    record.rows["characters"] = [
        (
            c["id"],
            c["name"],
            _json(c["aliases"]),
            c["gender"],
            c["gender_confidence"],
            int(c["is_reader"]),
            c["mention_count"],
            *spoken.get(c["id"], (0, 0)),
        )
        for c in data["characters"]
    ]
    record.rows["relationships"] = [
        (
            i,
            r["tag"],
            r["type"],
            _json(r["characters"]),
            r["relation"],
            r["strength"],
            r["confidence"],
            _evidence(r["evidence"]),
        )
        for i, r in enumerate(data["relationships"])
    ]
    tags: list[tuple[Any, ...]] = []
    author = data["work"]["author_tags"]
    if author.get("rating"):
        tags.append(("rating", author["rating"], "author", None, "[]"))
    for field_name, kind in TAG_FIELDS:
        tags += [(kind, tag, "author", None, "[]") for tag in author.get(field_name) or []]
    suggested = data["tags"]
    if suggested.get("rating"):
        r = suggested["rating"]
        tags.append(("rating", r["tag"], "suggested", r["confidence"], _evidence(r["evidence"])))
    for field_name, kind in TAG_FIELDS:
        tags += [
            (kind, t["tag"], "suggested", t["confidence"], _evidence(t["evidence"]))
            for t in suggested.get(field_name) or []
        ]
    record.rows["tags"] = tags
    record.rows["audit"] = [
        (i, a["field"], a["kind"], a["tag"], a["message"], _evidence(a["evidence"]))
        for i, a in enumerate(data["audit"])
    ]
    story = "\n\n".join(text[p["start"] : p["end"]] for p in parts if p["kind"] == BODY)
    notes = "\n\n".join(text[p["start"] : p["end"]] for p in parts if p["kind"] != BODY)
    record.texts = [("story", fts_text(story))] + ([("notes", fts_text(notes))] if notes.strip() else [])
    if with_minhash:
        from .duplicates import duplicate_index

        record.minhash, record.lsh_bands = duplicate_index(story)
    return record
