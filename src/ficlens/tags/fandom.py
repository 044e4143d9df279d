"""Pipeline component: fandom and character tags from the knowledge base, with evidence.

The characters step already decided which fandoms the story evidences (`characters/kbmatch.py`)
and which characters are canon ones; this turns both into AO3 tags. A story that evidences no
fandom gets no fandom tag: "unknown" is more honest than a guess for original fiction.
"""

from __future__ import annotations

import re

from ..model import Evidence, TagSuggestion
from ..pipeline import Analysis
from .lexicon import MAX_EXCERPT_CHARS

MAX_EVIDENCE = 3


def _evidence(text: str, start: int, end: int) -> Evidence:
    excerpt = " ".join(text[start:end].split())[:MAX_EXCERPT_CHARS]
    return Evidence(start=start, end=end, excerpt=excerpt)


def _first_occurrences(analysis: Analysis, words: list[str]) -> list[Evidence]:
    text = analysis.work.text
    found = []
    for word in words:
        pattern = re.compile(r"\b" + re.escape(word) + r"\b", re.IGNORECASE)
        for part in analysis.work.story_parts():
            match = pattern.search(text, part.start, part.end)
            if match:
                found.append(_evidence(text, match.start(), match.end()))
                break
        if len(found) >= MAX_EVIDENCE:
            break
    return found


def suggest_fandom_and_characters(analysis: Analysis) -> None:
    profile = analysis.profile
    index = analysis.layers.get("kb_index")
    for evidence in index.fandoms if index else []:
        confidence = round(min(0.95, 0.45 + 0.08 * evidence.score), 2)
        hits = [hit for hit, _ in evidence.hits.most_common()]
        profile.tags.fandoms.append(TagSuggestion(evidence.fandom.tag, confidence, _first_occurrences(analysis, hits)))
    kb_characters = analysis.layers.get("kb_characters", {})
    total = sum(c.mention_count for c in profile.characters) or 1
    for character in sorted(profile.characters, key=lambda c: -c.mention_count):
        tag = "Reader" if character.is_reader else (kb_characters[character.id].tag if character.id in kb_characters else None)
        if tag is None or character.mention_count == 0:
            continue
        mentions = [m for m in profile.mentions if m.character == character.id][:MAX_EVIDENCE]
        share = character.mention_count / total
        confidence = round(min(0.95, 0.5 + share), 2)
        profile.tags.characters.append(
            TagSuggestion(tag, confidence, [_evidence(analysis.work.text, m.start, m.end) for m in mentions])
        )
