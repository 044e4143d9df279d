"""Pipeline component: the Reader's gender, when the story gives the reader a body or a name for one.

Reader-insert fics rarely use a pronoun for the reader ("you" is the point), so coreference
leaves the Reader "unknown". Many still make the reader a woman or a man through the body and
clothes they describe ("against your breasts", "your dress") or what the reader is called
("good girl", "my queen"). Only cues tied to "you/your" count, and only a clear majority decides;
one cue gives a low confidence. Category (F/M, M/M…) depends on this.

Body cues are read in narration only ("your dress" in a second-person story is the reader's;
inside dialogue "your" is whoever is spoken to). Forms of address count only inside a quotation
said *to* the Reader, and only set off as an address ("Yes, princess." / "Good girl,"), so the
verb in "I miss you" or the Reader's own "Yes, sir" never counts.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..analysis import Analysis
from ..component import component

_FEMALE_BODY = (
    r"breasts?|bra|bras|dress|dresses|skirt|skirts|nipples|pussy|clit|cunt|womb|lipstick|bikini|"
    r"blouse|high heels|panties|cleavage|sundress|gown|ovaries"
)
_MALE_BODY = r"cock|dick|beard|stubble|boxers|balls|adam's apple|moustache|mustache"
_FEMALE_ADDRESS = r"good girl|my girl|pretty girl|sweet girl|princess|my queen|little girl|my lady|ma'am"
_MALE_ADDRESS = r"good boy|my boy|pretty boy|sweet boy|my king|my lord"
_SET_OFF_BEFORE = r"(?:^|(?<=[,“\"‘'])\s*|(?<=[.!?])\s+)"  # at the quotation's start, after a comma or a sentence
_SET_OFF_AFTER = r"(?=\s*[,.!?;—”\"’']|\s*$)"

CUES = {
    "female": [
        re.compile(rf"\byour\s+(?:\w+\s+){{0,2}}?(?:{_FEMALE_BODY})\b", re.IGNORECASE),
        re.compile(rf"{_SET_OFF_BEFORE}\b(?:{_FEMALE_ADDRESS})\b{_SET_OFF_AFTER}", re.IGNORECASE),
    ],
    "male": [
        re.compile(rf"\byour\s+(?:\w+\s+){{0,2}}?(?:{_MALE_BODY})\b", re.IGNORECASE),
        re.compile(rf"{_SET_OFF_BEFORE}\b(?:{_MALE_ADDRESS})\b{_SET_OFF_AFTER}", re.IGNORECASE),
    ],
}


def count_reader_cues(
    text: str, spans: list[tuple[int, int]], quotes=None, to_reader: Sequence[tuple[int, int]] = ()
) -> dict[str, int]:
    """Cue counts per gender: body cues in narration (`spans` outside `quotes`), forms of address
    inside the quotations said to the Reader (`to_reader`)."""
    counts = {"female": 0, "male": 0}
    for gender, (body, address) in CUES.items():
        for start, end in spans:
            counts[gender] += sum(
                1 for m in body.finditer(text, start, end) if quotes is None or m.start() not in quotes
            )
        for start, end in to_reader:
            counts[gender] += sum(1 for _ in address.finditer(text[start:end]))
    return counts


@dataclass(frozen=True)
class ReaderGenderSettings:
    # Share of the gendered cues one gender must have before the Reader is given it: a story that
    # calls the Reader both "good girl" and "good boy" leaves the gender open.
    min_share: float = 0.8


@component(
    "reader_gender",
    requires=("quote_index", "profile.characters", "profile.quotes.addressees"),
    assigns=("profile.characters.gender",),
    settings=ReaderGenderSettings,
)
def infer_reader_gender(analysis: Analysis, settings: ReaderGenderSettings = ReaderGenderSettings()) -> None:
    reader = next((c for c in analysis.profile.characters if c.is_reader), None)
    if reader is None or reader.gender != "unknown":
        return
    spans = [(p.start, p.end) for p in analysis.work.story_parts()]
    to_reader = [
        (q.start, q.end) for q in analysis.profile.quotes if reader.id in q.addressees and q.speaker != reader.id
    ]
    counts = count_reader_cues(analysis.work.text, spans, analysis.layers.quote_index, to_reader)
    total = counts["female"] + counts["male"]
    if not total:
        return
    gender = max(counts, key=counts.__getitem__)
    share = counts[gender] / total
    if share < settings.min_share:
        return
    reader.gender = gender
    reader.gender_confidence = round(min(0.9, 0.4 + 0.1 * counts[gender]) * share, 2)
