"""Pipeline component: fandom and character tags from the knowledge base, with evidence.

The characters step already decided which fandoms the story evidences (`characters/kbmatch.py`)
and which characters are canon ones; this turns both into AO3 tags. A story that evidences no
fandom gets no fandom tag: "unknown" is more honest than a guess for original fiction; its main
characters are still tagged, under the names the story gives them.
"""

from __future__ import annotations

import re

from ..analysis import Analysis
from ..component import component
from ..coref import NARRATOR_ID
from ..evidence import evidence_of
from ..model import Evidence, TagSuggestion
from ..relationships.ao3 import character_tag

MAX_EVIDENCE = 3
STORY_CHARACTER_SHARE = 0.05  # of all character mentions, for a non-canon character to be tagged
STORY_CHARACTER_MENTIONS = 5


def _first_occurrences(analysis: Analysis, words: list[str]) -> list[Evidence]:
    text = analysis.work.text
    found = []
    for word in words:
        pattern = re.compile(r"\b" + re.escape(word) + r"\b", re.IGNORECASE)
        for part in analysis.work.story_parts():
            match = pattern.search(text, part.start, part.end)
            if match:
                found.append(evidence_of(text, match.start(), match.end()))
                break
        if len(found) >= MAX_EVIDENCE:
            break
    return found


@component(
    "fandom_tags",
    requires=("kb_index", "kb_characters", "profile.characters", "profile.mentions"),
    assigns=("profile.tags.fandoms", "profile.tags.characters"),
)
def suggest_fandom_and_characters(analysis: Analysis) -> None:
    profile = analysis.profile
    index = analysis.layers.kb_index
    for evidence in index.fandoms if index else []:
        confidence = round(min(0.95, 0.45 + 0.08 * evidence.score), 2)
        hits = [hit for hit, _ in evidence.hits.most_common()]
        profile.tags.fandoms.append(TagSuggestion(evidence.fandom.tag, confidence, _first_occurrences(analysis, hits)))
    kb_characters = analysis.layers.kb_characters
    total = sum(c.mention_count for c in profile.characters) or 1
    no_fandom = not profile.tags.fandoms
    for character in sorted(profile.characters, key=lambda c: -c.mention_count):
        share = character.mention_count / total
        canon = character.is_reader or character.id in kb_characters
        # Outside the knowledge base (original fiction, an unknown canon) the story's own main
        # characters are its character tags, under their fullest name; inside a known fandom a
        # name the KB does not know is most likely an original character, which AO3 tags apart.
        main = no_fandom and share >= STORY_CHARACTER_SHARE and character.mention_count >= STORY_CHARACTER_MENTIONS
        if character.mention_count == 0 or character.id == NARRATOR_ID or not (canon or main):
            continue
        tag = character_tag(character, kb_characters)
        mentions = [m for m in profile.mentions if m.character == character.id][:MAX_EVIDENCE]
        confidence = round(min(0.95, 0.5 + share), 2) if canon else round(min(0.8, 0.35 + share), 2)
        profile.tags.characters.append(
            TagSuggestion(tag, confidence, [evidence_of(analysis.work.text, m.start, m.end) for m in mentions])
        )
