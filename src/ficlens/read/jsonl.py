"""Works from JSON Lines: one JSON object a line, `text` plus optional metadata.

This is how datasets of scraped works are usually shared. A bad line is reported with its line
number and skipped; the remaining lines are still read.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any, Iterator

from ..errors import InputTooLarge, UnreadableInput
from ..model import AuthorTags, Work
from .limits import ReadLimits

if TYPE_CHECKING:
    from . import ReadFailure

# Accepted metadata keys → AuthorTags field. Datasets disagree on names, so accept the common ones.
_TAG_KEYS = {
    "warnings": "warnings",
    "archive_warnings": "warnings",
    "category": "categories",
    "categories": "categories",
    "fandom": "fandoms",
    "fandoms": "fandoms",
    "relationship": "relationships",
    "relationships": "relationships",
    "ships": "relationships",
    "character": "characters",
    "characters": "characters",
    "additional_tags": "additional",
    "freeform": "additional",
    "freeforms": "additional",
    "tags": "additional",
}


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    return [str(value)]


def work_from_record(record: dict[str, Any], *, source: str, work_id: str) -> Work:
    """A Work from one JSON object. Unknown keys are kept in `metadata`."""
    from .. import segment

    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        raise UnreadableInput('no "text" string in this record')
    tags = AuthorTags()
    metadata: dict[str, Any] = {}
    for key, value in record.items():
        if key in ("text", "id", "title", "author", "authors", "language"):
            continue
        if key in _TAG_KEYS:
            getattr(tags, _TAG_KEYS[key]).extend(_as_list(value))
        elif key == "rating":
            tags.rating = str(value) if value else None
        else:
            metadata[key] = value
    language = record.get("language")
    tags.language = str(language) if language else None
    return Work(
        id=str(record["id"]) if record.get("id") not in (None, "") else work_id,
        text=text,
        parts=segment.split_parts(text),
        source=source,
        format="jsonl",
        title=str(record["title"]) if record.get("title") else None,
        authors=_as_list(record.get("authors", record.get("author"))),
        language=tags.language,
        author_tags=tags,
        metadata=metadata,
    )


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _without_lone_surrogates(value: Any) -> Any:
    """`value` with every lone surrogate ("\\ud800" is valid JSON) replaced by U+FFFD.

    A lone surrogate is no character: no UTF-8 file, terminal or SQLite database can hold it, so
    a work keeping one could be read but never stored or printed.
    """
    if isinstance(value, str):
        return _LONE_SURROGATE.sub("\ufffd", value)
    if isinstance(value, list):
        return [_without_lone_surrogates(v) for v in value]
    if isinstance(value, dict):
        return {_without_lone_surrogates(k): _without_lone_surrogates(v) for k, v in value.items()}
    return value


def iter_jsonl(data: bytes, *, source: str, work_id: str, limits: ReadLimits) -> Iterator[Work | ReadFailure]:
    from . import ReadFailure

    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    lineno = 0
    start = 0
    while start < len(data):
        end = data.find(b"\n", start)
        end = len(data) if end < 0 else end
        line = data[start:end]
        start = end + 1
        lineno += 1
        where = f"{source}:{lineno}"
        if not line.strip():
            continue
        if len(line) > limits.max_jsonl_line_bytes:
            yield ReadFailure(where, InputTooLarge(f"line is {len(line) / 1e6:.0f} MB, over the limit"))
            continue
        try:
            record = json.loads(line.decode("utf-8"))
        except UnicodeDecodeError:
            yield ReadFailure(where, UnreadableInput("line is not valid UTF-8"))
            continue
        except json.JSONDecodeError as exc:
            yield ReadFailure(where, UnreadableInput(f"not valid JSON ({exc.msg} at column {exc.colno})"))
            continue
        if b"\\u" in line:
            record = _without_lone_surrogates(record)
        if not isinstance(record, dict):
            yield ReadFailure(where, UnreadableInput("line is not a JSON object"))
            continue
        try:
            yield work_from_record(record, source=where, work_id=f"{work_id}-{lineno}")
        except UnreadableInput as exc:
            yield ReadFailure(where, exc)
