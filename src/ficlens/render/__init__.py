"""Renderers: a `Profile` in, a string out. They compute nothing; they only lay out."""

from __future__ import annotations

import json

from ..model import Profile

FORMATS = ("json", "text", "html")
EXTENSIONS = {"json": ".json", "text": ".txt", "html": ".html"}


def render(profile: Profile, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(profile.to_dict(), ensure_ascii=False, indent=2) + "\n"
    if fmt == "text":
        from .text import render_text

        return render_text(profile)
    if fmt == "html":
        from .html import render_html

        return render_html(profile)
    raise ValueError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")
