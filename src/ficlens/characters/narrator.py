"""Pipeline component: give a first-person narrator their name when the story reveals it.

A narrator never calls themselves by name in narration, but other characters do, in dialogue:
"Pip, old chap," said Joe. So a named character who appears (almost) only inside quotations
and is addressed there by name is taken to be the narrator, and the anonymous "Narrator"
character — all the narration's "I"s — is merged into them. "My name is X" / "call me X"
settles it outright.
"""

from __future__ import annotations

import re
from collections import Counter

from ..coref import NARRATOR_ID
from ..pipeline import Analysis
from ..quotes.attribute import vocative_mentions

SELF_NAMING = re.compile(r"\b(?:my name (?:is|was)|call me|I am called|I was called|they call me)\s+([A-Z][\w'’-]+)")
MIN_INSIDE_SHARE = 0.8


def _self_named(analysis: Analysis, names: dict[str, str]) -> str | None:
    quotes = analysis.layers["quote_index"]
    for _, text in analysis.work.iter_story():
        for match in SELF_NAMING.finditer(text):
            owner = names.get(match.group(1).lower())
            if owner and match.start() not in quotes:
                return owner
    return None


def name_narrator(analysis: Analysis) -> None:
    profile = analysis.profile
    if profile.narration.pov != "first" or not any(c.id == NARRATOR_ID for c in profile.characters):
        return
    quotes = analysis.layers["quote_index"]
    text = analysis.work.text
    names = [m for m in profile.mentions if m.kind == "name"]
    total, inside, vocative = Counter(), Counter(), Counter()
    for mention in names:
        total[mention.character] += 1
        if mention.start in quotes:
            inside[mention.character] += 1
    for quote in profile.quotes:
        if quote.speaker == NARRATOR_ID:
            continue  # the narrator does not address themselves
        for mention in vocative_mentions(text, quote, [m for m in names if quote.start <= m.start < quote.end]):
            vocative[mention.character] += 1
    by_alias = {alias.lower(): c.id for c in profile.characters for alias in c.aliases}
    chosen = _self_named(analysis, by_alias)
    if chosen is None:
        candidates = [
            cid for cid in vocative
            if total[cid] >= 2 and inside[cid] / total[cid] >= MIN_INSIDE_SHARE
            and not any(q.speaker == cid for q in profile.quotes)
        ]
        if not candidates:
            return
        chosen = max(candidates, key=lambda cid: (2 * vocative[cid] + inside[cid], cid))
    _merge(analysis, NARRATOR_ID, chosen)


def _merge(analysis: Analysis, source: str, target: str) -> None:
    profile = analysis.profile
    for mention in profile.mentions:
        if mention.character == source:
            mention.character = target
    for quote in profile.quotes:
        if quote.speaker == source:
            quote.speaker = target
        quote.addressees = list(dict.fromkeys(target if a == source else a for a in quote.addressees))
        if quote.speaker in quote.addressees:
            quote.addressees.remove(quote.speaker)
    profile.characters = [c for c in profile.characters if c.id != source]
    profile.recount_mentions()
