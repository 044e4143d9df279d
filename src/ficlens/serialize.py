"""Turn a `Profile` into its JSON form (see `data/profile.schema.json`).

Kept apart from `model.py` because it is the one place that knows the on-disk shape: field
order, the schema version, and mapping offsets from the analysed text back to the source text.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from . import __version__
from .model import SCHEMA_VERSION, Profile, TextMap, public_dict


def _map_offsets(value: Any, text_map: TextMap) -> Any:
    """Map every {start, end} span in a nested structure through `text_map`."""
    if isinstance(value, dict):
        out = {k: _map_offsets(v, text_map) for k, v in value.items()}
        if isinstance(out.get("start"), int) and isinstance(out.get("end"), int):
            out["start"] = text_map.to_source(out["start"])
            out["end"] = text_map.to_source(out["end"])
        return out
    if isinstance(value, list):
        return [_map_offsets(v, text_map) for v in value]
    return value


def profile_to_dict(profile: Profile, include_text: bool = True) -> dict[str, Any]:
    work = profile.work
    body = {
        "parts": [asdict(p) for p in work.parts],
        "characters": [asdict(c) for c in profile.characters],
        "mentions": [asdict(m) for m in profile.mentions],
        "quotes": [public_dict(q) for q in profile.quotes],
        "relationships": [asdict(r) for r in profile.relationships],
        "narration": asdict(profile.narration),
        "tags": asdict(profile.tags),
        "audit": [asdict(a) for a in profile.audit],
    }
    if not work.text_map.is_identity():
        body = _map_offsets(body, work.text_map)
    result: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "ficlens_version": __version__,
        "work": {
            "id": work.id,
            "source": work.source,
            "format": work.format,
            "title": work.title,
            "authors": list(work.authors),
            "language": work.language,
            "author_tags": asdict(work.author_tags),
            "metadata": dict(work.metadata),
            "text_repaired": not work.text_map.is_identity(),
        },
        "stats": asdict(profile.stats),
        **body,
    }
    if include_text:
        result["text"] = work.source_text if work.source_text is not None else work.text
    return result
