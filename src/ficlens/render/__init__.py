"""Renderers: a `Profile` in, a string out. They compute nothing; they only lay out."""

from __future__ import annotations

import json

from ..model import AuthorTags, Profile

FORMATS = ("json", "text", "html", "ao3")
EXTENSIONS = {"json": ".json", "text": ".txt", "html": ".html", "ao3": ".ao3.txt"}


def author_tag_rows(tags: AuthorTags) -> list[tuple[str, list[str]]]:
    """The author's tags as (AO3 label, values) rows, in AO3's order; empty rows included."""
    return [
        ("Rating", [tags.rating] if tags.rating else []),
        ("Archive Warnings", tags.warnings),
        ("Category", tags.categories),
        ("Fandom", tags.fandoms),
        ("Relationships", tags.relationships),
        ("Characters", tags.characters),
        ("Additional Tags", tags.additional),
    ]


def render(profile: Profile, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(profile.to_dict(), ensure_ascii=False, indent=2) + "\n"
    if fmt == "text":
        from .text import render_text

        return render_text(profile)
    if fmt == "html":
        from .html import render_html

        return render_html(profile)
    if fmt == "ao3":
        from .ao3 import render_ao3

        return render_ao3(profile)
    raise ValueError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")
