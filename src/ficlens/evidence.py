"""Evidence: the passages a claim rests on, each cited as a span and a short excerpt.

Every tag, warning and relationship cites its evidence the same way, so a reader of the profile
can find the passage and see enough of it to judge, but never gets a passage long enough to copy
a work out of the profile. That cap is `EXCERPT_CHARS`; a component that wants a longer look
(relationships read a whole exchange) passes its own `limit`, a named setting of that component.

Three shapes of evidence exist:
- `evidence_around`: a hit (a word, a phrase) with some context on both sides, cut at word edges
  and never crossing a paragraph break or the story part it is in;
- `evidence_of`: a span cited as it stands (a name, a quotation), its excerpt only shortened;
- `opening_evidence`: for a claim of absence ("General Audiences", "Gen"), the whole story parts
  that were read, each excerpted by its opening words.
`first_apart` picks, among candidates in order of preference, the first few that do not overlap.
"""

from __future__ import annotations

from collections.abc import Iterable

from .model import Evidence

EXCERPT_CHARS = 80  # longest excerpt: a line's worth of context, never a passage
MAX_EVIDENCE = 5  # the most passages a tag cites by default


def part_at(parts: list[tuple[int, int]], offset: int, text_length: int) -> tuple[int, int]:
    """The (start, end) of the part holding `offset`, else the whole text."""
    for start, end in parts:
        if start <= offset < end:
            return start, end
    return 0, text_length


def excerpt_span(
    text: str, start: int, end: int, bounds: tuple[int, int], limit: int = EXCERPT_CHARS
) -> tuple[int, int]:
    """A span around text[start:end] of at most `limit` characters, cut at word edges and never
    crossing a paragraph break or `bounds`: enough to see the context, never a passage."""
    low, high = bounds
    para_start = text.rfind("\n\n", low, start)
    low = para_start + 2 if para_start >= 0 else low
    para_end = text.find("\n\n", end, high)
    high = para_end if para_end >= 0 else high
    if end - start >= limit:
        return start, start + limit
    room = limit - (end - start)
    left = max(low, start - room // 2)
    right = min(high, end + (room - (start - left)))
    left = max(low, start - (room - (right - end)))
    # Snap inwards to word edges so the excerpt starts and ends on whole words.
    if left > low and text[left - 1].isalnum():
        while left < start and text[left].isalnum():
            left += 1
    if right < high and text[right].isalnum():
        while right > end and text[right - 1].isalnum():
            right -= 1
    while left < start and text[left].isspace():
        left += 1
    while right > end and text[right - 1].isspace():
        right -= 1
    return left, right


def _collapsed(text: str) -> str:
    return " ".join(text.split())


def evidence_around(text: str, start: int, end: int, bounds: tuple[int, int], limit: int = EXCERPT_CHARS) -> Evidence:
    """`Evidence` around text[start:end], kept inside `bounds` (its story part, or the passage it
    was found in); the excerpt is the whitespace-collapsed text of the cited span."""
    left, right = excerpt_span(text, start, end, bounds, limit)
    return Evidence(start=left, end=right, excerpt=_collapsed(text[left:right]))


def evidence_of(text: str, start: int, end: int, limit: int = EXCERPT_CHARS) -> Evidence:
    """`Evidence` citing text[start:end] itself: a name or a quotation is its own context. Only
    the excerpt is shortened (to `limit` characters, after collapsing whitespace)."""
    return Evidence(start=start, end=end, excerpt=_collapsed(text[start:end])[:limit])


def opening_evidence(text: str, bounds: list[tuple[int, int]], limit: int = EXCERPT_CHARS) -> list[Evidence]:
    """Evidence for a claim of absence ("General Audiences", "No Archive Warnings Apply"): the
    story parts that were read and found without such content, each with its opening words as
    the excerpt. The claim rests on the whole span, so the span is what is cited."""
    evidence = []
    for start, end in bounds:
        cut = min(end, start + limit)
        space = text.rfind(" ", start, cut)
        if cut < end and text[cut].isalnum() and space > start:
            cut = space
        evidence.append(Evidence(start=start, end=end, excerpt=_collapsed(text[start:cut])))
    return evidence


def overlaps(a: Evidence, b: Evidence) -> bool:
    return a.start < b.end and b.start < a.end


def first_apart(candidates: Iterable[Evidence], count: int = MAX_EVIDENCE) -> list[Evidence]:
    """The first `count` candidates (best first) that overlap none chosen before them. The
    candidates may be a generator: none is built after the last one needed."""
    chosen: list[Evidence] = []
    for item in candidates:
        if any(overlaps(item, e) for e in chosen):
            continue
        chosen.append(item)
        if len(chosen) == count:
            break
    return chosen
