"""The work header as an AO3 work page lays it out, filled with the tags ficlens suggests.

AO3 shows Rating, Archive Warning, Category, Fandom, Relationship, Characters, Additional Tags,
Language and Stats in that order, singular or plural labels by the number of tags, then the
title, byline and summary. Suggestions below `min_confidence` are left out, as a careful
tagger leaves out what they are unsure of — except that the rating and the warnings are always
given (AO3 requires them); uncertain warnings become "Creator Chose Not To Use Archive
Warnings", which is what AO3 asks of a creator who cannot say. An audit of the author's own tags
follows the header when the input carried them.
"""

from __future__ import annotations

from ..ao3vocab import CATEGORIES, CHOSE_NOT_TO_WARN, NO_WARNINGS
from ..model import Profile, TagSuggestion

DEFAULT_MIN_CONFIDENCE = 0.5
LABEL_WIDTH = 17

# (singular label, plural label)
_LABELS = {
    "rating": ("Rating", "Rating"),
    "warnings": ("Archive Warning", "Archive Warnings"),
    "categories": ("Category", "Categories"),
    "fandoms": ("Fandom", "Fandoms"),
    "relationships": ("Relationship", "Relationships"),
    "characters": ("Character", "Characters"),
    "additional": ("Additional Tags", "Additional Tags"),
}


def _confident(suggestions: list[TagSuggestion], min_confidence: float) -> list[str]:
    seen: list[str] = []
    for suggestion in sorted(suggestions, key=lambda s: -s.confidence):
        if suggestion.confidence >= min_confidence and suggestion.tag not in seen:
            seen.append(suggestion.tag)
    return seen


def _warnings(suggestions: list[TagSuggestion], min_confidence: float) -> list[str]:
    real = [s for s in suggestions if s.tag != NO_WARNINGS]
    sure = _confident(real, min_confidence)
    if sure:
        return sure
    if real:  # something may need a warning, but not surely: AO3's answer is to choose not to warn
        return [CHOSE_NOT_TO_WARN]
    return [NO_WARNINGS]


def _stats_line(profile: Profile) -> str:
    metadata = profile.work.metadata
    bits = [
        f"{label}: {metadata[key]}"
        for key, label in (("published", "Published"), ("updated", "Updated"), ("completed", "Completed"))
        if metadata.get(key)
    ]
    bits.append(f"Words: {profile.stats.words:,}")
    chapters = profile.stats.chapters or 1
    bits.append(f"Chapters: {metadata.get('chapters') or f'{chapters}/{chapters}'}")
    return " ".join(bits)


def header_rows(profile: Profile, min_confidence: float = DEFAULT_MIN_CONFIDENCE) -> list[tuple[str, str]]:
    """(label, value) rows of the header, in AO3's order; empty fields are left out."""
    tags = profile.tags
    fields = {
        "rating": [tags.rating.tag] if tags.rating else [],
        "warnings": _warnings(tags.warnings, min_confidence),
        "categories": sorted(_confident(tags.categories, min_confidence), key=CATEGORIES.index),
        "fandoms": _confident(tags.fandoms, min_confidence),
        "relationships": _confident(tags.relationships, min_confidence),
        "characters": _confident(tags.characters, min_confidence),
        "additional": _confident(tags.additional, min_confidence),
    }
    rows = []
    for key, values in fields.items():
        if values:
            singular, plural = _LABELS[key]
            rows.append((singular if len(values) == 1 else plural, ", ".join(values)))
    rows.append(("Language", profile.work.language or "English"))
    rows.append(("Stats", _stats_line(profile)))
    return rows


def render_ao3(profile: Profile, min_confidence: float = DEFAULT_MIN_CONFIDENCE) -> str:
    work = profile.work
    lines = [f"{label + ':':<{LABEL_WIDTH}} {value}" for label, value in header_rows(profile, min_confidence)]
    lines.append("")
    lines.append(work.title or work.id)
    if work.authors:
        lines.append(", ".join(work.authors))
    summary = next((p for p in work.parts if p.kind == "summary" and p.chapter is None), None)
    if summary is not None:
        lines += ["", "Summary:", "", "    " + " ".join(work.part_text(summary).split())]
    if profile.audit:
        lines += ["", "Tag audit (the author's tags against the text):"]
        for finding in profile.audit:
            where = f' [{finding.evidence[0].start}: "{finding.evidence[0].excerpt}"]' if finding.evidence else ""
            lines.append(f"  {finding.kind:<11} {finding.field}: {finding.message}{where}")
    return "\n".join(lines) + "\n"
