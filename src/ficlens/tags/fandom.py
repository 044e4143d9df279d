"""Pipeline component: fandom and character tags from the knowledge base, with evidence.

The characters step already decided which fandoms the story evidences (`characters/kbmatch.py`)
and which characters are canon ones; this turns both into AO3 tags. A story that evidences no
fandom gets no fandom tag: "unknown" is more honest than a guess for original fiction; its main
characters are still tagged, under the names the story gives them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..analysis import Analysis
from ..component import component
from ..coref import NARRATOR_ID
from ..evidence import evidence_of
from ..model import Evidence, TagSuggestion
from ..relationships.ao3 import character_tag


@dataclass(frozen=True)
class FandomTagSettings:
    # Passages a fandom or character tag cites (names need no more than a few).
    max_evidence: int = 3
    # Outside the knowledge base, a character with this share of all character mentions, and at
    # least this many mentions, is one of the story's own main characters and is tagged.
    story_character_share: float = 0.05
    story_character_mentions: int = 5


DEFAULTS = FandomTagSettings()


def _first_occurrences(analysis: Analysis, words: list[str], count: int) -> list[Evidence]:
    text = analysis.work.text
    found = []
    for word in words:
        pattern = re.compile(r"\b" + re.escape(word) + r"\b", re.IGNORECASE)
        for part in analysis.work.story_parts():
            match = pattern.search(text, part.start, part.end)
            if match:
                found.append(evidence_of(text, match.start(), match.end()))
                break
        if len(found) >= count:
            break
    return found


@component(
    "fandom_tags",
    requires=("kb_index", "kb_characters", "profile.characters", "profile.mentions"),
    assigns=("profile.tags.fandoms", "profile.tags.characters"),
    settings=FandomTagSettings,
)
def suggest_fandom_and_characters(analysis: Analysis, settings: FandomTagSettings = DEFAULTS) -> None:
    profile = analysis.profile
    index = analysis.layers.kb_index
    for evidence in index.fandoms if index else []:
        confidence = round(min(0.95, 0.45 + 0.08 * evidence.score), 2)
        hits = [hit for hit, _ in evidence.hits.most_common()]
        profile.tags.fandoms.append(
            TagSuggestion(evidence.fandom.tag, confidence, _first_occurrences(analysis, hits, settings.max_evidence))
        )
    kb_characters = analysis.layers.kb_characters
    total = sum(c.mention_count for c in profile.characters) or 1
    no_fandom = not profile.tags.fandoms
    for character in sorted(profile.characters, key=lambda c: -c.mention_count):
        share = character.mention_count / total
        canon = character.is_reader or character.id in kb_characters
        # Outside the knowledge base (original fiction, an unknown canon) the story's own main
        # characters are its character tags, under their fullest name; inside a known fandom a
        # name the KB does not know is most likely an original character, which AO3 tags apart.
        main = (
            no_fandom
            and share >= settings.story_character_share
            and character.mention_count >= settings.story_character_mentions
        )
        if character.mention_count == 0 or character.id == NARRATOR_ID or not (canon or main):
            continue
        tag = character_tag(character, kb_characters)
        mentions = [m for m in profile.mentions if m.character == character.id][: settings.max_evidence]
        confidence = round(min(0.95, 0.5 + share), 2) if canon else round(min(0.8, 0.35 + share), 2)
        profile.tags.characters.append(
            TagSuggestion(tag, confidence, [evidence_of(analysis.work.text, m.start, m.end) for m in mentions])
        )
