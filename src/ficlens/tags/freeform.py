"""Pipeline component: the additional (freeform) tags the narration itself settles.

"Reader-Insert", "Second Person", "First Person" and "Present Tense" are among AO3's most used
freeform tags and follow directly from the narration layer; their evidence is the first few
mentions of the Reader (or narrator) in narration. The wider vocabulary (Fluff, Angst,
Hurt/Comfort…) is not built yet.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..analysis import Analysis
from ..component import component
from ..evidence import evidence_of
from ..model import TagSuggestion


@dataclass(frozen=True)
class NarrationTagSettings:
    max_evidence: int = 3  # mentions of the Reader or narrator cited


DEFAULTS = NarrationTagSettings()


@component(
    "narration_tags",
    requires=("quote_index", "profile.narration", "profile.characters", "profile.mentions"),
    assigns=("profile.tags.additional",),
    settings=NarrationTagSettings,
)
def suggest_narration_tags(analysis: Analysis, settings: NarrationTagSettings = DEFAULTS) -> None:
    profile = analysis.profile
    narration = profile.narration
    text = analysis.work.text
    quotes = analysis.layers.quote_index
    voice = next((c for c in profile.characters if c.is_reader), None) if narration.pov == "second" else None
    if narration.pov == "first":
        voice = max(
            profile.characters,
            key=lambda c: sum(
                1
                for m in profile.mentions
                if m.character == c.id and m.kind == "pronoun" and text[m.start : m.end].lower() in ("i", "me", "my")
            ),
            default=None,
        )
    evidence = []
    if voice is not None:
        evidence = [
            evidence_of(text, m.start, m.end)
            for m in profile.mentions
            if m.character == voice.id and (quotes is None or m.start not in quotes)
        ][: settings.max_evidence]
    confidence = narration.confidence
    tags = profile.tags.additional
    if narration.reader_insert and any(c.is_reader for c in profile.characters):
        reader = next(c for c in profile.characters if c.is_reader)
        reader_evidence = [evidence_of(text, m.start, m.end) for m in profile.mentions if m.character == reader.id][
            : settings.max_evidence
        ]
        tags.append(TagSuggestion("Reader-Insert", round(max(confidence, 0.6), 2), reader_evidence))
    if narration.pov == "second":
        tags.append(TagSuggestion("Second Person", confidence, evidence))
    elif narration.pov == "first":
        tags.append(TagSuggestion("First Person", confidence, evidence))
    if narration.tense == "present":
        tags.append(TagSuggestion("Present Tense", confidence, evidence))
