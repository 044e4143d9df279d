"""Pipeline component: "I/me/my" inside a quote is its speaker, "you" its single addressee.

Runs after attribution: the speaker is what coreference needed and could not know.
"""

from __future__ import annotations

import re

from ..analysis import Analysis
from ..component import component
from ..discourse.pronouns import FIRST_PERSON, SECOND_PERSON
from ..model import Mention

PERSON_WORD = re.compile(r"\b(?:I|me|my|mine|myself|you|your|yours|yourself)\b", re.IGNORECASE)


@component(
    "quote_pronouns",
    requires=("profile.quotes.speaker", "profile.quotes.addressees", "profile.mentions"),
    assigns=("profile.mentions",),
)
def resolve_quote_pronouns(analysis: Analysis) -> None:
    profile = analysis.profile
    text = analysis.work.text
    taken = {(m.start, m.end) for m in profile.mentions}
    added: list[Mention] = []
    for quote in profile.quotes:
        if not quote.speaker:
            continue
        addressee = quote.addressees[0] if len(quote.addressees) == 1 else None
        for m in PERSON_WORD.finditer(text, quote.start, quote.end):
            span = (m.start(), m.end())
            if span in taken:
                continue
            lower = m.group(0).lower()
            if lower in FIRST_PERSON:
                added.append(Mention(span[0], span[1], quote.speaker, "pronoun"))
            elif addressee and lower in SECOND_PERSON:
                added.append(Mention(span[0], span[1], addressee, "pronoun"))
    if added:
        profile.mentions = sorted(profile.mentions + added, key=lambda m: m.start)
        profile.recount_mentions()
