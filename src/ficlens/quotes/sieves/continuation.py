"""Sieve 2, continuation: a quote that follows its own speaker's tag with nothing else between
(`"…," she said. "…"`) has the same speaker. It may overrule a weak tag (one that opened a new
sentence after a full stop, and so may have been a reaction rather than a tag)."""

from __future__ import annotations

import re

from .context import Context, State

# "said Mr. Bumble" does not end a sentence.
TITLE_ABBREVIATION = re.compile(r"\b(?:Mr|Mrs|Ms|Mx|Dr|St|Messrs|Mme|Mlle|Prof|Rev|Col|Capt|Gen|Sr|Jr)\.")


def continuation(ctx: Context, state: State) -> None:
    results, quotes = state.results, ctx.quotes
    for i in range(1, len(quotes)):
        if (results[i].speaker and i not in state.weak) or not results[i - 1].speaker or i - 1 not in state.tag_end:
            continue
        gap = TITLE_ABBREVIATION.sub("", ctx.text[quotes[i - 1].end : quotes[i].start].strip())
        one_sentence = not re.search(r"[.!?…]\s+\S", gap)
        if one_sentence and not ctx.paragraphs.between(quotes[i - 1].end, quotes[i].start):
            speaker = results[i - 1].speaker
            assert speaker is not None
            results[i].set(speaker, 0.8, "continuation")
