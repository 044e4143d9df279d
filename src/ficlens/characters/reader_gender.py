"""Pipeline component: the Reader's gender, when the story gives the reader a body or a name for one.

Reader-insert fics rarely use a pronoun for the reader ("you" is the point), so coreference
leaves the Reader "unknown". Many still make the reader a woman or a man through the body and
clothes they describe ("against your breasts", "your dress") or what the reader is called
("good girl", "my queen"). Only cues tied to "you/your" count, and only a clear majority decides;
one cue gives a low confidence. Category (F/M, M/M…) depends on this.
"""

from __future__ import annotations

import re

from ..pipeline import Analysis

_FEMALE_BODY = (r"breasts?|bra|bras|dress|dresses|skirt|skirts|nipples|pussy|clit|cunt|womb|lipstick|bikini|"
                r"blouse|heels|panties|cleavage|sundress|gown|ovaries|period")
_MALE_BODY = r"cock|dick|beard|stubble|boxers|balls|adam's apple|moustache|mustache"
_FEMALE_ADDRESS = r"good girl|my girl|pretty girl|sweet girl|princess|my queen|little girl|my lady|miss|ma'am"
_MALE_ADDRESS = r"good boy|my boy|pretty boy|sweet boy|my king|sir|mister|my lord"

CUES = {
    "female": [re.compile(rf"\byour\s+(?:\w+\s+){{0,2}}?(?:{_FEMALE_BODY})\b", re.IGNORECASE),
               re.compile(rf"\b(?:{_FEMALE_ADDRESS})\b", re.IGNORECASE)],
    "male": [re.compile(rf"\byour\s+(?:\w+\s+){{0,2}}?(?:{_MALE_BODY})\b", re.IGNORECASE),
             re.compile(rf"\b(?:{_MALE_ADDRESS})\b", re.IGNORECASE)],
}


def count_reader_cues(text: str, spans: list[tuple[int, int]], quotes=None) -> dict[str, int]:
    """Cue counts per gender. Body cues are read in narration and dialogue alike ("your" is the
    reader in narration, the addressee in dialogue); forms of address only inside quotations."""
    counts = {"female": 0, "male": 0}
    for gender, (body, address) in CUES.items():
        for start, end in spans:
            counts[gender] += sum(1 for m in body.finditer(text, start, end) if quotes is None or m.start() not in quotes)
            if quotes is not None:
                counts[gender] += sum(1 for m in address.finditer(text, start, end) if m.start() in quotes)
    return counts


def infer_reader_gender(analysis: Analysis) -> None:
    reader = next((c for c in analysis.profile.characters if c.is_reader), None)
    if reader is None or reader.gender != "unknown":
        return
    spans = [(p.start, p.end) for p in analysis.work.story_parts()]
    counts = count_reader_cues(analysis.work.text, spans, analysis.layers.get("quote_index"))
    total = counts["female"] + counts["male"]
    if not total:
        return
    gender = max(counts, key=counts.get)
    share = counts[gender] / total
    if share < 0.8:
        return
    reader.gender = gender
    reader.gender_confidence = round(min(0.9, 0.4 + 0.1 * counts[gender]) * share, 2)
