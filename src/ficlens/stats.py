"""Counts: story words, chapters, paragraphs, and words in notes (which never count as story)."""

from __future__ import annotations

import re

from .analysis import Analysis
from .component import component
from .discourse.paragraphs import count_paragraphs

WORD = re.compile(r"\w+(?:['’]\w+)*")


def count_words(text: str) -> int:
    return sum(1 for _ in WORD.finditer(text))


@component("stats", assigns=("profile.stats",))
def count_stats(analysis: Analysis) -> None:
    work = analysis.work
    stats = analysis.profile.stats
    chapters = set()
    for part in work.parts:
        text = work.part_text(part)
        if part.is_story:
            stats.words += count_words(text)
            stats.paragraphs += count_paragraphs(text)
            chapters.add(part.chapter)
        else:
            stats.note_words += count_words(text)
    stats.chapters = len(chapters)
