"""Point of view and tense, measured on narration only.

Dialogue says "I" and "you" in every kind of story, so quotations (and notes, which are never
parsed) are left out. Point of view comes from the rate of first-, second- and third-person
pronouns per narration token; tense from the finite verbs of narration. Fan fiction often slides
between past and present, so "mixed" is a real answer, not a failure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .analysis import Analysis
from .component import component
from .discourse.pronouns import FIRST_PERSON, FIRST_PERSON_PLURAL, PRONOUN_GENDER, SECOND_PERSON_ANY
from .model import Narration
from .quotes.detect import QuoteIndex

FIRST, FIRST_PLURAL, SECOND = FIRST_PERSON, FIRST_PERSON_PLURAL, SECOND_PERSON_ANY
THIRD = set(PRONOUN_GENDER)
PLACEHOLDER = re.compile(r"\b[YyLl]/[Nn]\b")


def narration_tokens(analysis: Analysis):
    """Tokens of story text outside quotations."""
    quotes: QuoteIndex = analysis.layers.quote_index
    for chunk in analysis.layers.chunks:
        doc: Any = chunk.doc  # a spaCy Doc
        for token in doc:
            if chunk.offset + token.idx not in quotes:
                yield token


@dataclass(frozen=True)
class NarrationSettings:
    # Pronouns per 1,000 narration tokens above which a person counts as the narrating voice.
    min_rate: float = 8.0
    # Share of the finite verbs of narration in one tense above which the narration is in that
    # tense; between the two it is "mixed" (fan fiction often slides between past and present).
    tense_share: float = 0.75


def decide_pov(
    first: float, second: float, third: float, total: int, min_rate: float = NarrationSettings.min_rate
) -> tuple[str | None, float]:
    if total == 0:
        return None, 0.0
    rates = {name: 1000.0 * count / total for name, count in (("first", first), ("second", second), ("third", third))}
    if rates["second"] >= min_rate and rates["second"] >= 0.5 * rates["first"]:
        pov = "second"
    elif rates["first"] >= min_rate and rates["first"] >= 0.5 * rates["second"]:
        pov = "first"
    else:
        pov = "third"
    ordered = sorted(rates.values(), reverse=True)
    margin = (ordered[0] - ordered[1]) / (ordered[0] or 1.0)
    return pov, round(min(1.0, 0.5 + 0.5 * margin), 2)


def decide_tense(past: int, present: int, tense_share: float = NarrationSettings.tense_share) -> str | None:
    if past + present == 0:
        return None
    share = past / (past + present)
    if share >= tense_share:
        return "past"
    if share <= 1 - tense_share:
        return "present"
    return "mixed"


@component("narration", requires=("chunks", "quote_index"), assigns=("profile.narration",), settings=NarrationSettings)
def detect_narration(analysis: Analysis, settings: NarrationSettings = NarrationSettings()) -> None:
    first = second = third = 0.0
    past = present = total = 0
    for token in narration_tokens(analysis):
        if token.is_punct or token.is_space:
            continue
        total += 1
        lower = token.lower_
        if lower in FIRST:
            first += 1
        elif lower in FIRST_PLURAL:
            first += 0.5
        elif lower in SECOND:
            second += 1
        elif lower in THIRD:
            third += 1
        if token.tag_ == "VBD" or (token.tag_ == "VBN" and token.dep_ == "ROOT"):
            past += 1
        elif token.tag_ in ("VBP", "VBZ"):
            present += 1
    work = analysis.work
    placeholders = sum(len(PLACEHOLDER.findall(text)) for _, text in work.iter_story())
    second += placeholders
    pov, confidence = decide_pov(first, second, third, total, settings.min_rate)
    analysis.profile.narration = Narration(
        pov=pov,
        tense=decide_tense(past, present, settings.tense_share),
        reader_insert=pov == "second" or placeholders > 0,
        confidence=confidence,
    )
