"""A short, readable summary of one profile for the terminal."""

from __future__ import annotations

from collections import Counter

from ..model import Profile

_KIND_LABELS = {"summary": "summary", "notes": "notes", "end_notes": "end notes", "body": "story"}


def _parts_line(profile: Profile) -> str:
    counts = Counter(p.kind for p in profile.work.parts)
    bits = [f"{counts[k]} {label}" for k, label in _KIND_LABELS.items() if counts[k]]
    return ", ".join(bits) or "none"


def _author_tags_lines(profile: Profile) -> list[str]:
    from . import author_tag_rows

    return [
        f"    {label}: {', '.join(values)}" for label, values in author_tag_rows(profile.work.author_tags) if values
    ]


def render_text(profile: Profile) -> str:
    work = profile.work
    stats = profile.stats
    heading = work.id
    if work.title:
        heading += f" — {work.title}"
    if work.authors:
        heading += f" by {', '.join(work.authors)}"
    lines = [heading, f"  source:     {work.source or '(text)'} [{work.format}]"]
    lines.append(f"  parts:      {_parts_line(profile)}; {stats.chapters} chapter(s)")
    lines.append(f"  words:      {stats.words:,} of story, {stats.note_words:,} in summary/notes")
    narration = profile.narration
    if narration.pov:
        reader = ", reader-insert" if narration.reader_insert else ""
        lines.append(f"  narration:  {narration.pov} person, {narration.tense or 'unknown'} tense{reader}")
    if profile.characters:
        top = sorted(profile.characters, key=lambda c: -c.mention_count)[:8]
        names = ", ".join(f"{c.name} ({c.gender[0] if c.gender != 'unknown' else '?'}, {c.mention_count})" for c in top)
        lines.append(f"  characters: {names}")
    if profile.quotes:
        attributed = sum(1 for q in profile.quotes if q.speaker)
        lines.append(f"  quotes:     {len(profile.quotes)}, {attributed} with a speaker")
    if profile.tags.relationships:  # the tags a wrangler would give; the JSON lists every bond found
        lines.append(f"  relationships: {', '.join(t.tag for t in profile.tags.relationships)}")
    tags = profile.tags
    if tags.fandoms:
        lines.append("  fandom:     " + ", ".join(f"{t.tag} ({t.confidence:.2f})" for t in tags.fandoms))
    if tags.additional:
        lines.append("  tags:       " + ", ".join(t.tag for t in tags.additional))
    if tags.rating:
        warnings = ", ".join(f"{w.tag} ({w.confidence:.2f})" for w in tags.warnings) or "none"
        lines.append(f"  suggested:  {tags.rating.tag} ({tags.rating.confidence:.2f}); warnings: {warnings}")
    tag_lines = _author_tags_lines(profile)
    if tag_lines:
        lines.append("  author tags:")
        lines.extend(tag_lines)
    return "\n".join(lines) + "\n"
